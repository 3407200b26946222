"""Nothing lost between runs: killed runs, held orders, orders left unfinished outside the window.

The way it broke: order X is claimed by a run that is then killed (SIGKILL, a real process);
its run lock keeps the job busy until the lock expires; a newer order Y arrives more than the
overlap later and a run imports it while X's claim is still alive; after the claim expires, the
next run must still import X, exactly once. The shop's clock (the sandbox's) and the state
store's clock are moved instead of waiting.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import datetime, timedelta
from typing import Any

import pytest
from job_harness import Harness
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from comptoir.cli import app
from comptoir.jobs.crash import VARIABLE as FAULT
from comptoir.jobs.orders import CLAIM_TTL, JOB, OVERLAP
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.sandbox.woocommerce.demo_shop import GIFT_CARD_SKU, WEB_CUSTOMER_EMAIL
from comptoir.state import DEFAULT_TTL, StateStore, utcnow

HELD_FR = "en cours d'import par une autre exécution"
SUMMARY_HELD_FR = "1 ignoré(s) car en cours dans une autre exécution"


def query(harness: Harness, sql: str, **params: object) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
    engine.dispose()
    return rows


def documents_of(harness: Harness, shop_id: str) -> list[dict[str, Any]]:
    """ERP documents carrying this shop order id."""
    return query(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=shop_id)


def payments_of(harness: Harness, document: str) -> int:
    return int(
        query(
            harness,
            'SELECT COUNT(*) AS n FROM "F_CREGLEMENT" r JOIN "F_REGLECH" a ON a."RG_No" = r."RG_No" '
            'WHERE a."DO_Piece" = :p',
            p=document,
        )[0]["n"]
    )


def state(harness: Harness) -> StateStore:
    return StateStore.open(harness.profile.state_url())


def shop_meta(harness: Harness, shop_id: str) -> dict[str, str]:
    return {m["key"]: m["value"] for m in harness.client.get(f"orders/{shop_id}")["meta_data"]}


def shop_modified(harness: Harness, shop_id: str) -> datetime:
    raw = harness.client.get(f"orders/{shop_id}")["date_modified_gmt"]
    return datetime.fromisoformat(raw + "+00:00")


async def ready(harness: Harness) -> list[str]:
    """Products and customers in the shop; the SKUs of a few ERP articles on sale there."""
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    products = harness.shop_all("products")
    skus = sorted(
        p["sku"] for p in products if p["type"] == "simple" and p["sku"] and p["sku"] != GIFT_CARD_SKU
    )
    assert len(skus) >= 4
    return skus


def place(harness: Harness, sku: str, *, paid_by: str = "cheque") -> str:
    """A paid order of the web customer for one article; its shop id."""
    [customer] = harness.client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
    [product] = harness.client.get("products", sku=sku)
    order = harness.client.post(
        "orders",
        {
            "customer_id": customer["id"],
            "billing": {**customer["billing"], "email": WEB_CUSTOMER_EMAIL},
            "line_items": [{"product_id": product["id"], "quantity": 1}],
            "payment_method": paid_by,
            "payment_method_title": paid_by,
            "set_paid": True,
            "status": "processing",
        },
    )
    return str(order["id"])


def expire_run_lock(harness: Harness) -> None:
    """The killed run's lock, left behind, expires: a store whose clock is past its expiry takes
    it over and gives it back (what the next run does by itself once the time has passed)."""
    now = state(harness)
    try:
        assert JOB in now.locks.holders("demo"), "the killed run left its lock"
    finally:
        now.close()
    store = StateStore.open(harness.profile.state_url(), clock=later(DEFAULT_TTL + timedelta(seconds=1)))
    try:
        lock = store.locks.acquire("demo", JOB)
        assert lock is not None and store.locks.release(lock)
    finally:
        store.close()


def later(delta: timedelta) -> Any:
    """The state store's clock, ``delta`` ahead of real time."""
    return lambda: utcnow() + delta


@pytest.mark.parametrize("step", ["claim", "document", "written", "marked"])
async def test_an_order_whose_run_was_killed_is_imported_exactly_once(harness: Harness, step: str) -> None:
    skus = await ready(harness)
    first = place(harness, skus[0])
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, lines
    assert harness.client.get(f"orders/{first}")["status"] == "processing"

    x = place(harness, skus[1])
    killed = harness.command("import-orders", env={FAULT: f"kill-after:{step}"})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    store = state(harness)
    try:
        row = store.ledger("demo", [x])[x]
        assert row.state == ("claimed" if step in ("claim", "document") else "written")
        assert row.held(utcnow())
    finally:
        store.close()
    assert len(documents_of(harness, x)) == (0 if step == "claim" else 1)
    assert (shop_meta(harness, x).get("_comptoir_transferred") == "yes") == (step == "marked")
    x_modified = shop_modified(harness, x)

    if step == "claim":
        busy = harness.command("import-orders")
        assert busy.returncode == 3, busy.stdout + busy.stderr
        assert "Import des commandes : non lancé - une autre exécution est en cours" in busy.stdout
    expire_run_lock(harness)
    harness.server.clock.advance(OVERLAP + timedelta(minutes=1))
    y = place(harness, skus[2])
    held = harness.command("import-orders")
    assert held.returncode == 3, held.stdout + held.stderr
    assert f"#{x} : ignoré - {HELD_FR}" in held.stdout, held.stdout
    closing = next(line for line in held.stdout.splitlines() if "Import des commandes : fin" in line)
    assert SUMMARY_HELD_FR in closing
    assert len(documents_of(harness, y)) == 1
    store = state(harness)
    try:
        assert store.job_mark("demo", JOB) == x_modified, "the window stays at the held order"
        assert store.runs("demo", limit=1)[0].status == RunStatus.HELD.value
    finally:
        store.close()

    harness.server.clock.advance(CLAIM_TTL)
    after_ttl = later(CLAIM_TTL + timedelta(minutes=1))
    result, lines = await harness.run(JobName.IMPORT_ORDERS, clock=after_ttl)
    assert result.status is RunStatus.OK, lines
    [line] = [line for line in lines if f"#{x} :" in line]
    if step == "claim":
        assert " : créé - pièce " in line, line
    else:
        assert "déjà présente dans la gestion commerciale" in line, line

    [document] = documents_of(harness, x)
    number = document["DO_Piece"]
    assert payments_of(harness, number) == 1
    meta = shop_meta(harness, x)
    assert (meta["_comptoir_transferred"], meta["_comptoir_document"]) == ("yes", number)
    store = state(harness)
    try:
        row = store.ledger("demo", [x])[x]
        assert (row.state, row.erp_document) == ("done", number)
        assert store.unfinished_orders("demo") == {}
    finally:
        store.close()

    again, lines = await harness.run(JobName.IMPORT_ORDERS, clock=after_ttl, full=True)
    assert (again.counts.created, again.counts.failed, again.counts.held) == (0, 0, 0), lines
    assert len(documents_of(harness, x)) == 1
    assert [len(documents_of(harness, o)) for o in (first, y)] == [1, 1]


def test_a_run_skipping_a_held_order_exits_3_and_says_so(harness: Harness) -> None:
    skus = asyncio.run(ready(harness))
    harness.write_profile(language="en")
    x = place(harness, skus[0])
    y = place(harness, skus[1])
    unknown = place(harness, GIFT_CARD_SKU)
    store = state(harness)
    try:
        claim = store.claim_order("demo", x, CLAIM_TTL)  # another run is importing X right now
        assert claim is not None
        runner = CliRunner()
        profile = str(harness.workdir / "profile.toml")
        result = runner.invoke(app, ["import-orders", "--profile", profile])
        assert result.exit_code == 1, "a failed order wins over a held one: " + result.output
        assert f"#{unknown}: failed" in result.output
        assert "1 skipped because another run holds them: a later run takes them up" in result.output
        assert len(documents_of(harness, y)) == 1 and documents_of(harness, x) == []

        result = runner.invoke(app, ["import-orders", "--profile", profile])
        assert result.exit_code == 3, result.output
        assert f"#{x}: skipped - being imported by another run (until " in result.output
        closing = next(line for line in result.output.splitlines() if "Import orders: end" in line)
        assert "1 skipped because another run holds them: a later run takes them up" in closing
        assert store.ledger("demo", [x])[x].state == "claimed", "the other run's claim is left alone"
        assert store.runs("demo", limit=1)[0].status == "held"
        assert "3 some items were skipped because another run holds them" in " ".join(
            runner.invoke(app, ["import-orders", "--help"]).output.split()
        )

        dry = runner.invoke(app, ["import-orders", "--profile", profile, "--dry-run"])
        assert dry.exit_code == 3, dry.output
        assert f"#{x}: skipped - being imported by another run" in dry.output

        assert store.release("demo", claim), "the other run gives it back"
        result = runner.invoke(app, ["import-orders", "--profile", profile])
        assert result.exit_code == 0, result.output
        assert len(documents_of(harness, x)) == 1
    finally:
        store.close()


async def test_orders_left_unfinished_are_read_by_id_outside_the_window(harness: Harness) -> None:
    skus = await ready(harness)
    completed = place(harness, skus[0])
    deleted = place(harness, skus[1])
    harness.server.faults.status(500, route="* /wc/v3/orders/batch")
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    harness.server.faults.clear()
    assert result.counts.created == 2, lines
    assert sum("pas pu être marquée" in line for line in lines) == 2, lines
    [kept] = documents_of(harness, completed)

    cancelled = place(harness, skus[2])
    store = state(harness)
    try:
        for shop_id in (cancelled, "999999"):
            assert store.claim_order("demo", shop_id, timedelta(seconds=-1)) is not None, "a crashed run"
    finally:
        store.close()
    harness.client.post(
        "orders/batch",
        {
            "update": [
                {"id": int(completed), "status": "completed"},
                {"id": int(cancelled), "status": "cancelled"},
            ],
            "delete": [int(deleted)],
        },
    )
    harness.server.clock.advance(timedelta(hours=2))
    fresh = place(harness, skus[3])

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert "4 commande(s) laissée(s) inachevée(s) par une exécution précédente, relue(s) par leur numéro" in (
        lines
    ), lines
    outcome = {key: next(line for line in lines if f"#{key} :" in line) for key in (completed, cancelled)}
    assert "déjà présente dans la gestion commerciale" in outcome[completed]
    assert "n'est plus dans un statut importé (cancelled)" in outcome[cancelled]
    assert any(f"#{deleted} : en échec - n'existe plus dans la boutique" in line for line in lines), lines
    assert any("#999999 : ignoré - n'existe plus dans la boutique" in line for line in lines), lines
    assert result.counts.created == 1 and result.counts.failed == 1, lines
    assert shop_meta(harness, completed)["_comptoir_document"] == kept["DO_Piece"]
    assert len(documents_of(harness, fresh)) == 1
    assert documents_of(harness, cancelled) == []
    store = state(harness)
    try:
        ledger = store.ledger("demo")
        assert ledger[completed].state == "done"
        assert ledger[deleted].state == "failed" and documents_of(harness, deleted)[0]["DO_Piece"] in (
            ledger[deleted].error or ""
        )
        assert cancelled not in ledger and "999999" not in ledger
        assert store.unfinished_orders("demo") == {}
    finally:
        store.close()
