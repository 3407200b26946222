"""The dashboard in Chromium: login, profiles, the file edited and validated, mappings picked
from live lists, a dry run shown as a plan, a run followed live, the order ledger."""

from __future__ import annotations

import asyncio
import tomllib
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dashboard_harness import Dashboard, screenshot

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.sandbox.woocommerce.demo_shop import GIFT_CARD_SKU, WEB_CUSTOMER_EMAIL


def test_login_then_edit_the_profile_file_with_field_named_errors(dashboard: Dashboard, page: Any) -> None:
    url = dashboard.url
    page.goto(f"{url}/p/demo")
    assert page.url.startswith(f"{url}/login"), "anonymous visitors are sent to the login page"
    page.fill("input[name=user]", "gerant")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".error").inner_text() == "Utilisateur ou mot de passe incorrect."
    screenshot(page, "login")
    dashboard.log_in(page)
    assert page.locator("table.grid a strong").first.inner_text() == "demo"
    screenshot(page, "profiles")

    original = dashboard.profile_path.read_text(encoding="utf-8")
    dashboard.profile_path.write_text(
        "# written by hand: kept by the dashboard\n" + original, encoding="utf-8"
    )
    page.goto(f"{url}/p/demo/edit")
    text = page.locator("textarea[name=text]").input_value()
    assert text.startswith("# written by hand")
    page.locator("textarea[name=text]").fill(text.replace('quantity = "available"', 'quantity = "guessed"'))
    page.click("button[value=validate]")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "stock.quantity: Input should be" in alert.inner_text()
    screenshot(page, "edit-error")
    page.locator("textarea[name=text]").fill(text.replace('quantity = "available"', 'quantity = "real"'))
    page.click("button[value=save]")
    page.locator("[role=status]").wait_for()
    assert page.locator("[role=status]").inner_text() == "Enregistré."
    saved = dashboard.profile_path.read_text(encoding="utf-8")
    assert saved.startswith("# written by hand") and 'quantity = "real"' in saved

    page.click("text=English")
    page.goto(f"{url}/p/demo/audit")
    rows = page.locator("table.grid tbody tr").all_inner_texts()
    assert any("gerant" in row and "edit profile file" in row for row in rows), rows
    assert page.locator("h2").inner_text() == "Actions done from the dashboard"


def test_mappings_are_picked_from_lists_read_live(dashboard: Dashboard, page: Any) -> None:
    dashboard.log_in(page)
    page.goto(f"{dashboard.url}/p/demo/mappings")
    statuses = page.locator("select[name='status:on-hold'] option").all_inner_texts()
    assert "quote" in statuses and "(non importé)" in statuses
    assert "On hold" in page.locator("#statuses").inner_text(), "status names read from the shop"
    modes = page.locator("select[name='mode:bacs'] option").all_inner_texts()
    assert "2 — Virement" in modes, "payment modes read from the ERP"
    journals = page.locator("select[name='journal:bacs'] option").all_inner_texts()
    assert journals[1] == "BQ1 — Banque Crédit Provençal (trésorerie)", "bank journals first"
    page.select_option("select[name='status:on-hold']", "quote")
    page.select_option("select[name='mode:paypal']", "6")
    page.select_option("select[name='journal:paypal']", "BQ1")
    page.check("input[name='pay:paypal']")
    page.check("#stock input[value='2']")
    screenshot(page, "mappings")
    page.click("text=Enregistrer les correspondances")
    page.locator("[role=status]").wait_for()

    data = tomllib.loads(dashboard.profile_path.read_text(encoding="utf-8"))
    assert data["orders"]["statuses"]["on-hold"] == "quote"
    assert data["orders"]["payment_methods"]["paypal"] == {
        "mode": "6",
        "journal": "BQ1",
        "create_payment": True,
    }
    assert data["stock"]["warehouses"] == ["2"]
    assert page.locator("select[name='status:on-hold']").input_value() == "quote", "shown as saved"


def test_a_dry_run_is_a_plan_and_a_run_is_followed_live(dashboard: Dashboard, page: Any) -> None:
    dashboard.log_in(page)
    page.goto(f"{dashboard.url}/p/demo")
    screenshot(page, "profile")
    page.click("#job-export_products button[value=dry]")
    page.locator("#finished").wait_for()
    assert "Simulation : rien ne sera écrit" in page.locator("#journal").inner_text()
    created = page.locator("#plan table.plan-create tr").all_inner_texts()
    assert len(created) > 20 and any("BOL-UZES" in row for row in created), created
    screenshot(page, "dry-run-plan")
    assert dashboard.harness.client.total("products") == 1, "a dry run writes nothing"

    page.goto(f"{dashboard.url}/p/demo")
    page.click("#job-export_products button[value=run]")
    page.locator("#finished").wait_for()
    assert page.locator("#finished").inner_text() == "Terminé (code de sortie 0)."
    assert "Export des articles : fin" in page.locator("#journal").inner_text()
    assert dashboard.harness.client.total("products") > 20

    page.goto(f"{dashboard.url}/p/demo/runs")
    page.click("table.grid tbody tr:first-child a")
    assert "Export des articles : fin" in page.locator(".journal").inner_text()
    screenshot(page, "run")


def test_failed_orders_in_the_ledger_are_retried_or_reset(dashboard: Dashboard, page: Any) -> None:
    harness = dashboard.harness
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        with ThreadPoolExecutor(1) as pool:  # the browser's event loop owns this thread
            result, lines = pool.submit(asyncio.run, harness.run(job)).result()
        assert result.status is RunStatus.OK, lines
    [customer] = harness.client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
    [gift] = harness.client.get("products", sku=GIFT_CARD_SKU)
    order = harness.client.post(
        "orders",
        {
            "customer_id": customer["id"],
            "billing": {**customer["billing"], "email": WEB_CUSTOMER_EMAIL},
            "line_items": [{"product_id": gift["id"], "quantity": 1}],
            "status": "processing",
        },
    )
    dashboard.log_in(page)
    page.goto(f"{dashboard.url}/p/demo")
    page.click("#job-import_orders button[value=run]")
    page.locator("#finished").wait_for()
    page.goto(f"{dashboard.url}/p/demo/orders?state=failed")
    row = page.locator(f"#order-{order['id']}")
    assert GIFT_CARD_SKU in row.inner_text(), "the reason names the unknown reference"
    screenshot(page, "orders")

    row.locator("text=Réessayer").click()
    page.locator("#finished").wait_for()
    assert "--retry-failed" not in page.locator("#journal").inner_text()
    page.goto(f"{dashboard.url}/p/demo/orders")
    page.locator(f"#order-{order['id']} >> text=Oublier").click()
    assert "retirée du registre" in page.locator("[role=status]").inner_text()
    assert page.locator(f"#order-{order['id']}").count() == 0

    page.goto(f"{dashboard.url}/p/demo/reconcile?since=2000-01-01")
    summary = page.locator("#summary").inner_text()
    assert "1 absente(s)" in summary, summary
    assert page.locator(f"#reconcile-{order['id']}").get_attribute("class") == "missing"
    screenshot(page, "reconcile")
