"""The command line: the demo twice on one work folder, and an invalid profile."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broken_profiles import BASE, SECRETS
from comptoir.cli import app


def run_demo(workdir: Path) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-m", "comptoir", "demo", "--workdir", str(workdir), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    last = completed.stdout.strip().splitlines()[-1]
    return dict(json.loads(last))


def test_demo_twice_on_one_workdir(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    erp, shop = first["erp"], first["shop"]
    assert isinstance(erp, dict) and isinstance(shop, dict)
    assert erp["articles"] >= 30 and erp["customers"] >= 8
    assert shop["products"] >= 25 and shop["customers"] >= 8
    assert first["orders_placed"] == 6
    assert shop["orders"] == 6
    assert first["orders_imported"] == 4
    assert first["orders_failed"] == 1
    assert first["duplicates"] == 0
    jobs = {run["job"]: run for run in first["jobs"]}  # type: ignore[union-attr]
    # created: every published article (simple product or variation) and the variable products;
    # the shop also lists its own gift card, and lists variations under their products.
    assert jobs["export_products"]["created"] > shop["products"] - 1
    assert jobs["import_orders"]["created"] == 4

    second = run_demo(tmp_path)
    assert second["erp"] == erp, "a second run creates nothing in the ERP"
    assert second["shop"] == shop, "a second run creates nothing in the shop"
    assert second["orders_placed"] == 0
    assert second["duplicates"] == 0
    for counts in second["jobs"]:  # type: ignore[union-attr]
        assert counts["created"] == 0 and counts["updated"] == 0, counts
        assert counts["failed"] == 0, counts
    log = (tmp_path / "logs" / "demo.log").read_text(encoding="utf-8")
    assert "Import des commandes : fin" in log


def test_invalid_profile_exits_2_naming_the_field(tmp_path: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(
        'name = "x"\n[erp]\nkind = "sage100"\nurl = "sqlite:///c.sqlite"\n[shop]\nkind = "woocommerce"\nurl = "ftp://nope"\n'
    )
    result = CliRunner().invoke(app, ["export-products", "--profile", str(profile)])
    assert result.exit_code == 2
    assert "shop.url: must start with https:// or http://" in result.output
    result = CliRunner().invoke(app, ["profile", "check", "--profile", str(tmp_path / "missing.toml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_a_job_that_cannot_start_says_why_in_the_profile_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    profile = tmp_path / "boutique.toml"
    text = BASE.replace("sqlite:///company.sqlite", "sqlite:///compagny.sqlite")
    missing = f"erp.url: sqlite:///{(tmp_path / 'compagny.sqlite').as_posix()}: no such database file"
    for language, expected in [
        ("fr", f"Mise à jour des stocks : arrêt sur erreur - {missing}"),
        ("en", f"Update stock: stopped on error - {missing}"),
    ]:
        profile.write_text(f'language = "{language}"\n' + text, encoding="utf-8")
        result = CliRunner().invoke(app, ["update-stock", "--profile", str(profile)])
        assert result.exit_code == 2
        assert f"{profile}: {missing}" in " ".join(result.output.split())
        log = (tmp_path / "logs" / "broken.log").read_text(encoding="utf-8")
        assert log.rstrip().endswith(expected)
    result = CliRunner().invoke(app, ["update-stock", "--profile", str(profile), "--dry-run"])
    assert result.exit_code == 2
    assert (tmp_path / "logs" / "broken.log").read_text(encoding="utf-8").count("\n") == 2
    assert not (tmp_path / "compagny.sqlite").exists() and not (tmp_path / "state.sqlite").exists()
