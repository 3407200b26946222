"""``comptoir shop test`` and ``comptoir sandbox woocommerce`` through their Typer apps."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comptoir.cli import sandbox as sandbox_cli
from comptoir.cli.shop import app as shop_app
from comptoir.sandbox.woocommerce import SandboxServer

runner = CliRunner()


def write_profile(tmp_path: Path, url: str, ca_file: Path | None, timeout: float = 5) -> Path:
    ca_line = f'ca_file = "{ca_file}"\n' if ca_file else ""
    path = tmp_path / "shop.toml"
    path.write_text(
        'name = "t"\n[erp]\nkind = "sage100"\nurl = "sqlite:///erp.sqlite"\n'
        f'[shop]\nkind = "woocommerce"\nurl = "{url}"\n'
        f"[shop.http]\ntimeout = {timeout}\nmax_attempts = 1\n{ca_line}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def keys(woo_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPTOIR_SHOP_KEY", woo_sandbox.consumer_key)
    monkeypatch.setenv("COMPTOIR_SHOP_SECRET", woo_sandbox.consumer_secret)


def test_shop_test_passes_with_a_read_write_key(
    woo_sandbox: SandboxServer, keys: None, tmp_path: Path
) -> None:
    result = runner.invoke(
        shop_app, ["test", "--profile", str(write_profile(tmp_path, woo_sandbox.url, woo_sandbox.ca_file))]
    )
    assert result.exit_code == 0, result.output
    assert "Test de la boutique réussi" in result.output and "HTTP Basic" in result.output


def test_shop_test_names_a_read_only_key(
    woo_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, secret = woo_sandbox.create_key("read")
    monkeypatch.setenv("COMPTOIR_SHOP_KEY", key)
    monkeypatch.setenv("COMPTOIR_SHOP_SECRET", secret)
    result = runner.invoke(
        shop_app, ["test", "--profile", str(write_profile(tmp_path, woo_sandbox.url, woo_sandbox.ca_file))]
    )
    assert result.exit_code == 1
    assert "clé d'API en lecture seule" in result.output


def test_shop_test_names_a_bad_secret(
    woo_sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPTOIR_SHOP_KEY", woo_sandbox.consumer_key)
    monkeypatch.setenv("COMPTOIR_SHOP_SECRET", "cs_wrong")
    result = runner.invoke(
        shop_app, ["test", "--profile", str(write_profile(tmp_path, woo_sandbox.url, woo_sandbox.ca_file))]
    )
    assert result.exit_code == 1
    assert "clé d'API refusée" in result.output and "consumer secret" in result.output


def test_shop_test_names_tls_errors(woo_sandbox: SandboxServer, keys: None, tmp_path: Path) -> None:
    result = runner.invoke(
        shop_app, ["test", "--profile", str(write_profile(tmp_path, woo_sandbox.url, None))]
    )
    assert result.exit_code == 1
    assert "TLS error" in result.output


def test_shop_test_names_timeouts(woo_sandbox: SandboxServer, keys: None, tmp_path: Path) -> None:
    woo_sandbox.faults.timeout(hang_s=2, process=False)
    profile = write_profile(tmp_path, woo_sandbox.url, woo_sandbox.ca_file, timeout=0.3)
    result = runner.invoke(shop_app, ["test", "--profile", str(profile)])
    assert result.exit_code == 1
    assert "la boutique ne répond pas à temps" in result.output


def test_shop_test_names_a_wrong_url(keys: None, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(
        shop_app, ["test", "--profile", str(write_profile(tmp_path, f"https://127.0.0.1:{port}", None))]
    )
    assert result.exit_code == 1
    assert "boutique injoignable" in result.output


def test_shop_test_names_a_site_without_woocommerce(
    woo_sandbox: SandboxServer, keys: None, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, woo_sandbox.url + "/blog", woo_sandbox.ca_file)
    result = runner.invoke(shop_app, ["test", "--profile", str(profile)])
    assert result.exit_code == 1
    assert "no WooCommerce REST API" in result.output


def test_sandbox_command_prints_url_ca_and_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sandbox_cli, "wait_forever", stop)
    db = tmp_path / "shop.sqlite"
    result = runner.invoke(
        sandbox_cli.app, ["woocommerce", "--port", "0", "--db", str(db), "--error-rate", "0.1"]
    )
    assert result.exit_code == 0, result.output
    assert "https://127.0.0.1:" in result.output
    assert "export COMPTOIR_SHOP_KEY=ck_" in result.output
    assert "export COMPTOIR_SHOP_SECRET=cs_" in result.output
    assert "ca.pem" in result.output
    assert db.exists()
