"""The operator's commands on orders: reset, reimport, orders from a JSON file for a shop that
cannot be reached — through the real ``comptoir`` command, on the sandbox and the demo company."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from job_harness import Harness
from pydantic import TypeAdapter
from sqlalchemy import create_engine, text

from comptoir.jobs.runner import JobName, RunStatus, connect
from comptoir.model import Order
from comptoir.sandbox.woocommerce.demo_shop import WEB_CUSTOMER_EMAIL
from comptoir.state import StateStore


def documents_of(harness: Harness, shop_id: str) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [
            dict(r)
            for r in conn.execute(
                text('SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o'), {"o": shop_id}
            ).mappings()
        ]
    engine.dispose()
    return rows


def delete_documents(harness: Harness, shop_id: str) -> None:
    """What a Sage user does by deleting the document of an order."""
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        pieces = [
            r[0]
            for r in conn.execute(
                text('SELECT "DO_Piece" FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o'), {"o": shop_id}
            )
        ]
        for piece in pieces:
            for table in ("F_DOCLIGNE", "F_DOCREGL", "F_DOCENTETE"):
                conn.execute(text(f'DELETE FROM "{table}" WHERE "DO_Piece" = :p'), {"p": piece})
    engine.dispose()


def ledger(harness: Harness, shop_id: str) -> Any:
    store = StateStore.open(harness.profile.state_url())
    try:
        return store.ledger("demo", [shop_id]).get(shop_id)
    finally:
        store.close()


async def ready(harness: Harness) -> str:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    [customer] = harness.client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
    products = [p for p in harness.shop_all("products") if p["type"] == "simple" and p["sku"] and p["price"]]
    order = harness.client.post(
        "orders",
        {
            "customer_id": customer["id"],
            "billing": {**customer["billing"], "email": WEB_CUSTOMER_EMAIL},
            "line_items": [{"product_id": products[0]["id"], "quantity": 2}],
            "payment_method": "cod",
            "status": "processing",
        },
    )
    return str(order["id"])


async def test_reset_then_reimport_after_the_document_was_deleted(harness: Harness) -> None:
    order = await ready(harness)
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, lines
    [first] = documents_of(harness, order)

    again = harness.command("orders", "reimport", order)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "déjà présente dans la gestion commerciale" in again.stdout
    assert len(documents_of(harness, order)) == 1, "never written twice"

    delete_documents(harness, order)
    reset = harness.command("orders", "reset", order)
    assert reset.returncode == 0, reset.stdout + reset.stderr
    assert "1 commande(s) retirée(s) du registre" in reset.stdout
    assert ledger(harness, order) is None
    normal, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert normal.counts.created == 0, "the window and the transfer mark keep a reset order out"

    reimported = harness.command("orders", "reimport", order)
    assert reimported.returncode == 0, reimported.stdout + reimported.stderr
    [second] = documents_of(harness, order)
    assert second["DO_Piece"] != first["DO_Piece"]
    row = ledger(harness, order)
    assert (row.state, row.erp_document) == ("done", second["DO_Piece"].strip())
    store = StateStore.open(harness.profile.state_url())
    try:
        assert [r.job for r in store.runs("demo", limit=3)][:2] == ["import_orders", "import_orders"]
        assert "reset_orders" in [r.job for r in store.runs("demo", limit=10)]
    finally:
        store.close()


async def test_orders_from_a_file_while_the_shop_is_down(harness: Harness, tmp_path: Path) -> None:
    order_id = await ready(harness)
    async with connect(harness.profile) as connections:
        [order] = await connections.shop.get_orders([order_id])
    exported = TypeAdapter(list[Order]).dump_python([order], mode="json")
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    profile = tomllib.loads((harness.workdir / "profile.toml").read_text(encoding="utf-8"))
    profile["shop"]["url"] = "https://127.0.0.1:9"  # nothing listens there: the shop is down
    down = harness.workdir / "down.toml"
    down.write_text(tomli_w.dumps(profile), encoding="utf-8")
    loaded = subprocess.run(
        [sys.executable, "-m", "comptoir", "import-orders", "--from-file", str(path), "--profile", str(down)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "1 commande(s) lue(s) du fichier orders.json (boutique non contactée)" in loaded.stdout
    assert len(documents_of(harness, order_id)) == 1
    row = ledger(harness, order_id)
    assert row.state == "written", "the shop is marked by the next ordinary run"

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK, lines
    assert len(documents_of(harness, order_id)) == 1
    assert ledger(harness, order_id).state == "done"
    meta = {m["key"]: m["value"] for m in harness.client.get(f"orders/{order_id}")["meta_data"]}
    assert meta["_comptoir_transferred"] == "yes"


def test_a_bad_orders_file_is_refused_naming_the_order_and_field(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps([{"shop_id": "9", "number": "9", "status": "processing"}]), encoding="utf-8")
    result = harness.command("import-orders", "--from-file", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "order 1 (#9), created_at: Field required" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
