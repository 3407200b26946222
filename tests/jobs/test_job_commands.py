"""Job commands through the CLI: exit codes, the journal on the terminal, dry runs that write nothing."""

from __future__ import annotations

from job_harness import Harness
from typer.testing import CliRunner

from comptoir.cli import app
from comptoir.cli.terminal import FEW_ITEMS


def invoke(harness: Harness, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--profile", str(harness.workdir / "profile.toml")])
    return result.exit_code, result.output


def test_export_products_command_dry_run_then_for_real(harness: Harness) -> None:
    code, output = invoke(harness, "export-products", "--dry-run")
    assert code == 0, output
    assert "Simulation : rien ne sera écrit" in output
    assert "serait créé" in output
    assert harness.client.total("products") == 1, "only the shop's own gift card"
    assert not (harness.workdir / "logs" / "demo.log").exists(), "a dry run writes no log either"

    code, output = invoke(harness, "export-products")
    assert code == 0, output
    assert "Export des articles : fin - " in output
    assert harness.client.total("products") > 1
    log = (harness.workdir / "logs" / "demo.log").read_text(encoding="utf-8")
    assert "Export des articles : fin - " in log

    code, output = invoke(harness, "runs")
    assert code == 0 and "export_products" in output


def test_import_orders_dry_run_writes_nothing_in_the_erp(harness: Harness) -> None:
    from comptoir.erp.sage100 import Sage100Erp
    from comptoir.sandbox.woocommerce.demo_shop import place_orders

    for command in ("export-products", "export-customers"):
        assert invoke(harness, command)[0] == 0
    erp = Sage100Erp(harness.company_url)
    placed = place_orders(harness.client, erp.read_articles(), erp.read_customers())
    before = erp.summary()
    erp.close()

    code, output = invoke(harness, "import-orders", "--dry-run")
    assert code == 1, "the order with an unknown reference is reported as failing"
    assert output.count("serait créé") == sum(1 for p in placed if p.expect_imported), output
    assert "CARTE-CADEAU-25" in output
    erp = Sage100Erp(harness.company_url)
    assert erp.summary() == before
    erp.close()
    for order in placed:
        meta = {m["key"] for m in harness.client.get(f"orders/{order.shop_id}")["meta_data"]}
        assert "_comptoir_transferred" not in meta


def test_a_missing_secret_exits_2_and_names_it(harness: Harness) -> None:
    (harness.workdir / "secrets.env").write_text("")
    (harness.workdir / "secrets.env").chmod(0o600)
    code, output = invoke(harness, "update-stock")
    assert code == 2
    assert "COMPTOIR_DEMO_SHOP_KEY is not set" in output


def test_a_run_of_many_items_leaves_their_lines_in_the_log_file(harness: Harness) -> None:
    code, output = invoke(harness, "export-products")
    assert code == 0, output
    log = (harness.workdir / "logs" / "demo.log").read_text(encoding="utf-8")
    created = [line for line in log.splitlines() if " : créé - " in line]
    assert len(created) > FEW_ITEMS, "the demo company has more articles than the terminal shows"
    assert " : créé - " not in output
    note = (
        f"Plus de {FEW_ITEMS} éléments : une ligne par élément dans {harness.workdir / 'logs' / 'demo.log'}"
    )
    assert note in " ".join(output.split()), output
    assert "Export des articles : fin - " in output


def test_verbose_prints_every_item_line(harness: Harness) -> None:
    code, output = invoke(harness, "export-products", "--verbose")
    assert code == 0, output
    log = (harness.workdir / "logs" / "demo.log").read_text(encoding="utf-8")
    created = [line.split(" - ", 1)[1] for line in log.splitlines() if " : créé - " in line]
    assert len(created) > FEW_ITEMS
    assert all(text in output for text in created)
    assert "Plus de" not in output
