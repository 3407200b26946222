"""``comptoir shop test`` on a PrestaShop profile, against the sandbox: it passes with a full key
and names each failure — bad key, a resource the key may not use, a read-only key, the
webservice disabled, an untrusted certificate, a timeout, no webservice at that address (in
English here: the WooCommerce CLI tests read the French messages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from comptoir.cli.shop import app as shop_app
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.shop.prestashop.shop import REQUIRED

runner = CliRunner()


def shop_test(
    tmp_path: Path, ps: PrestaShopSandbox, *, url: str = "", ca: bool = True, timeout: float = 5
) -> str:
    ca_line = f'ca_file = "{ps.ca_file}"\n' if ca else ""
    profile = tmp_path / "shop.toml"
    profile.write_text(
        'name = "t"\nlanguage = "en"\n[erp]\nkind = "sage100"\nurl = "sqlite:///erp.sqlite"\n'
        f'[shop]\nkind = "prestashop"\nurl = "{url or ps.url}"\n'
        f"[shop.http]\ntimeout = {timeout}\nmax_attempts = 1\n{ca_line}",
        encoding="utf-8",
    )
    result = runner.invoke(shop_app, ["test", "--profile", str(profile)])
    return f"{result.exit_code} {result.output}"


@pytest.fixture
def use_key(monkeypatch: pytest.MonkeyPatch, ps: PrestaShopSandbox) -> object:
    def use(key: str | None = None) -> None:
        monkeypatch.setenv("COMPTOIR_SHOP_KEY", ps.admin_key if key is None else key)

    use()
    return use


@pytest.mark.parametrize("ps_version", ["1.7", "9"], indirect=True)
def test_a_full_key_passes(ps: PrestaShopSandbox, use_key: object, tmp_path: Path, ps_version: str) -> None:
    out = shop_test(tmp_path, ps)
    assert out.startswith("0 ") and "Shop test passed" in out, out
    assert f"PrestaShop {ps.version.number} webservice" in out


def test_a_bad_key_is_named(ps: PrestaShopSandbox, use_key: object, tmp_path: Path) -> None:
    use_key("ABCDEFGHIJKLMNOPQRSTUVWXYZ123456")  # type: ignore[operator]
    out = shop_test(tmp_path, ps)
    assert out.startswith("1 ") and "API key refused" in out and "unknown or inactive" in out, out
    use_key("short")  # type: ignore[operator]
    assert "not 32 characters" in shop_test(tmp_path, ps)


def test_a_resource_the_key_may_not_use_is_named(
    ps: PrestaShopSandbox, use_key: object, tmp_path: Path
) -> None:
    permissions = {r: sorted(m) for r, m in REQUIRED.items() if r not in ("messages", "order_details")}
    permissions["products"] = ["GET", "PUT"]
    use_key(ps.create_key(permissions))  # type: ignore[operator]
    out = shop_test(tmp_path, ps)
    assert out.startswith("1 ") and "not allowed for the API key" in out, out
    assert "messages (GET, POST)" in out and "order_details (GET)" in out and "products (POST)" in out


def test_a_read_only_key_is_named(ps: PrestaShopSandbox, use_key: object, tmp_path: Path) -> None:
    use_key(ps.create_key({r: ["GET"] for r in REQUIRED}))  # type: ignore[operator]
    out = shop_test(tmp_path, ps)
    assert out.startswith("1 ") and "read-only API key" in out, out


def test_a_disabled_webservice_is_named(ps: PrestaShopSandbox, use_key: object, tmp_path: Path) -> None:
    ps.configure(PS_WEBSERVICE="0")
    out = shop_test(tmp_path, ps)
    assert out.startswith("1 ") and "API is disabled" in out and "Advanced Parameters > Webservice" in out, (
        out
    )


def test_tls_timeouts_and_a_wrong_address_are_named(
    ps: PrestaShopSandbox, use_key: object, tmp_path: Path
) -> None:
    assert "TLS error" in shop_test(tmp_path, ps, ca=False)
    assert "no shop API at that URL" in shop_test(tmp_path, ps, url=ps.url + "/boutique")
    ps.faults.timeout(hang_s=2, process=False)
    assert "does not answer in time" in shop_test(tmp_path, ps, timeout=0.3)


def test_every_registered_platform_has_its_sandbox_command() -> None:
    from comptoir.cli import sandbox as sandbox_cli
    from comptoir.registry import SHOPS

    listed = runner.invoke(sandbox_cli.app, ["--help"]).output
    assert all(kind in listed for kind in SHOPS)


def test_the_prestashop_sandbox_command_takes_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comptoir.cli import sandbox as sandbox_cli

    def stop() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sandbox_cli, "wait_forever", stop)
    db = tmp_path / "shop.sqlite"
    result = runner.invoke(
        sandbox_cli.app, ["prestashop", "--port", "0", "--db", str(db), "--version", "1.7"]
    )
    assert result.exit_code == 0, result.output
    assert "PrestaShop sandbox listening on https://127.0.0.1:" in result.output
    assert "PrestaShop 1.7.6.2" in result.output and "/api" in result.output
    assert "export COMPTOIR_SHOP_KEY=" in result.output and "ca.pem" in result.output and db.exists()
    wrong = runner.invoke(sandbox_cli.app, ["prestashop", "--port", "0", "--version", "7"])
    assert wrong.exit_code == 2 and "one of 1.7, 8, 9" in wrong.output
