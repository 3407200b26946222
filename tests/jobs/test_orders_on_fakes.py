"""Import orders: exactly once, held orders, failures recorded, payments once, on the in-memory fakes.

Each test places orders in the fake shop, runs the job through ``run_job`` and checks the fake
ERP's documents and payments, the shop's transfer marks and the ledger of the real state store.
The same job against the WooCommerce sandbox and the Sage demo company, with killed processes,
is in test_customers_and_orders.py and test_order_recovery.py.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from comptoir.jobs.orders import CLAIM_TTL, JOB, OVERLAP
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import DocumentType, LineKind
from fakes import FakeWorld

ANNE = "anne.martin@exemple.fr"
BERNARD = "contact@epicerie-bernard.fr"


async def ready(world: FakeWorld) -> None:
    """Products and customers in the shop, as before any order is placed."""
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await world.run(job)
        assert result.status is RunStatus.OK, lines


def line_of(lines: list[str], shop_id: str) -> str:
    [line] = [line for line in lines if f"#{shop_id} :" in line]
    return line


async def test_each_order_becomes_one_document_and_its_payment_is_recorded_once(world: FakeWorld) -> None:
    await ready(world)
    paid = world.shop.place_order(ANNE, [("MIEL-LAV", 2), ("VIN-ROUGE", 1)], shipping=Decimal("5.90"))
    guest = world.shop.place_order(
        "passant@exemple.fr", [("HUILE-OLIVE", 1)], guest=True, payment_method="cod"
    )
    quote = world.shop.place_order(
        BERNARD, [("NAPPE-JAU-250", 2)], status="on-hold", payment_method="bacs", paid=False
    )
    newcomer = world.shop.add_customer("lucie@exemple.fr", "Lucie", "Durand")
    web = world.shop.place_order("lucie@exemple.fr", [("SAVON", 3)], payment_method="cod")
    pending = world.shop.place_order(ANNE, [("SAVON", 1)], status="pending")

    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == 4
    documents = {shop_id: world.erp.documents_of(shop_id) for shop_id in (paid, guest, quote, web, pending)}
    assert [len(d) for d in documents.values()] == [1, 1, 1, 1, 0]
    stored = {shop_id: found[0] for shop_id, found in documents.items() if found}
    assert (stored[paid].ref.type, stored[paid].ref.customer_code) == (DocumentType.ORDER, "C0001")
    assert stored[paid].ref.total_gross == world.shop.orders[paid].total, "to the cent"
    assert [line.kind for line in stored[paid].document.lines] == [LineKind.ARTICLE, LineKind.ARTICLE]
    assert stored[paid].document.shipping_amount == Decimal("5.90")
    assert stored[guest].ref.customer_code == "WEBINVITE"
    assert (stored[quote].ref.type, stored[quote].ref.customer_code) == (DocumentType.QUOTE, "C0002")
    account = f"WEB{newcomer:0>6}"
    assert stored[web].ref.customer_code == account
    assert world.erp.customers[account].email == "lucie@exemple.fr"
    assert f"client {account} créé dans la gestion commerciale" in line_of(lines, web)

    [payment] = world.erp.payments
    assert payment.payment.document_number == stored[paid].ref.number
    assert payment.payment.amount == world.shop.orders[paid].total
    assert stored[paid].validated, "validated before its payment is recorded"
    for shop_id in (paid, guest, quote, web):
        order = world.shop.orders[shop_id]
        assert order.transferred and order.meta["document"] == stored[shop_id].ref.number
    assert not world.shop.orders[pending].transferred
    ledger = world.state.ledger("fake")
    assert {k: row.state for k, row in ledger.items()} == dict.fromkeys((paid, guest, quote, web), "done")

    again, lines = await world.run(JobName.IMPORT_ORDERS)
    assert world.shop.listed_after[-1] == world.shop.clock() - OVERLAP, "from the cursor, in the shop's clock"
    assert (again.counts.created, again.counts.unchanged) == (0, 4), lines
    full, lines = await world.run(JobName.IMPORT_ORDERS, full=True, retry_failed=True)
    assert (full.counts.created, full.counts.failed) == (0, 0), lines
    assert world.shop.listed_after[-1] is None
    assert len(world.erp.payments) == 1 and len(world.erp.documents) == 4
    assert world.erp.count_duplicate_documents() == 0


async def test_an_order_the_shop_cannot_mark_is_finished_by_the_next_run_without_a_second_document(
    world: FakeWorld,
) -> None:
    await ready(world)
    order = world.shop.place_order(ANNE, [("VIN-ROUGE", 6)])
    world.shop.refuse(order, code="http", message="the shop answered 500")
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, lines
    assert any("pas pu être marquée" in line and "the shop answered 500" in line for line in lines), lines
    assert world.state.ledger("fake")[order].state == "written"
    assert not world.shop.orders[order].transferred

    world.shop.clear()
    world.shop.lose_answers("orders", 1)
    retry, lines = await world.run(JobName.IMPORT_ORDERS)
    assert (retry.counts.created, retry.counts.unchanged) == (0, 1), lines
    [document] = world.erp.documents_of(order)
    assert "déjà présente dans la gestion commerciale" in line_of(lines, order)
    assert world.shop.orders[order].transferred
    assert world.shop.orders[order].meta["document"] == document.ref.number
    assert len(world.erp.payments_of(document.ref.number)) == 1
    assert world.state.ledger("fake")[order].state == "done"


async def test_an_order_recorded_written_whose_document_the_erp_lost_is_written_again(
    world: FakeWorld,
) -> None:
    """A database may make a batch's writes durable only when the batch ends (Erp.prepared_writes):
    a crash of its server before then loses the last documents whole, after the ledger recorded
    them as written. The shop is told after the batch, so the order is not marked; the next run
    looks the document up, does not find it and writes it again, once."""
    await ready(world)
    order = world.shop.place_order(ANNE, [("VIN-ROUGE", 2)])
    world.shop.refuse(order, code="http", message="the database server stopped")
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, lines
    assert world.state.ledger("fake")[order].state == "written"
    [lost] = world.erp.documents_of(order)
    del world.erp.documents[lost.ref.number]
    world.erp.payments = [p for p in world.erp.payments if p.payment.document_number != lost.ref.number]

    world.shop.clear()
    again, lines = await world.run(JobName.IMPORT_ORDERS)
    assert again.counts.created == 1, lines
    [document] = world.erp.documents_of(order)
    assert len(world.erp.payments_of(document.ref.number)) == 1
    assert world.shop.orders[order].transferred
    assert world.shop.orders[order].meta["document"] == document.ref.number
    assert world.state.ledger("fake")[order].state == "done"


async def test_a_lost_erp_answer_fails_the_order_and_the_retry_finds_its_document(world: FakeWorld) -> None:
    await ready(world)
    order = world.shop.place_order(ANNE, [("HUILE-OLIVE", 2)])
    world.erp.fail("create_sales_document", "connection reset", key=order, times=1, after_write=True)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert "connection reset" in line_of(lines, order)
    assert len(world.erp.documents_of(order)) == 1, "the ERP did write it"
    row = world.state.ledger("fake")[order]
    assert row.state == "failed" and "connection reset" in (row.error or "")

    later, lines = await world.run(JobName.IMPORT_ORDERS)
    assert "relancez avec --retry-failed" in line_of(lines, order)
    assert later.counts.created == 0

    retry, lines = await world.run(JobName.IMPORT_ORDERS, retry_failed=True)
    assert retry.status is RunStatus.OK, lines
    assert "déjà présente dans la gestion commerciale" in line_of(lines, order)
    [document] = world.erp.documents_of(order)
    assert len(world.erp.payments_of(document.ref.number)) == 1
    assert world.shop.orders[order].transferred


async def test_a_document_written_meanwhile_by_another_writer_is_adopted_not_doubled(
    world: FakeWorld,
) -> None:
    await ready(world)
    order = world.shop.place_order(ANNE, [("HUILE-OLIVE", 1)])
    world.erp.race(order)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK, lines
    [document] = world.erp.documents_of(order)
    assert f"pièce {document.ref.number}" in line_of(lines, order)
    assert len(world.erp.payments_of(document.ref.number)) == 1
    assert world.shop.orders[order].meta["document"] == document.ref.number


async def test_a_lost_ledger_never_duplicates_a_document_or_a_payment(world: FakeWorld) -> None:
    await ready(world)
    orders = [world.shop.place_order(ANNE, [(sku, 1)]) for sku in ("MIEL-LAV", "VIN-ROUGE")]
    await world.run(JobName.IMPORT_ORDERS)
    world.lose_state()
    result, lines = await world.run(JobName.IMPORT_ORDERS, full=True, retry_failed=True)
    assert (result.counts.created, result.counts.failed, result.counts.unchanged) == (0, 0, 2), lines
    assert [len(world.erp.documents_of(o)) for o in orders] == [1, 1]
    assert len(world.erp.payments) == 2
    assert {row.state for row in world.state.ledger("fake").values()} == {"done"}


async def test_an_order_held_by_another_run_is_skipped_then_taken_over_once_its_claim_expires(
    world: FakeWorld,
) -> None:
    await ready(world)
    held = world.shop.place_order(ANNE, [("MIEL-LAV", 1)])
    held_modified = world.shop.orders[held].modified_at
    world.shop.advance(timedelta(hours=1))
    other = world.shop.place_order(BERNARD, [("VIN-ROUGE", 12)])
    assert world.state.claim_order("fake", held, CLAIM_TTL) is not None, "another run is importing it"

    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.HELD and result.exit_code == 3
    assert (result.counts.held, result.counts.created) == (1, 1)
    assert line_of(lines, held).startswith(
        f"[1/2] #{held} : ignoré - en cours d'import par une autre exécution"
    )
    assert world.erp.documents_of(held) == [] and len(world.erp.documents_of(other)) == 1
    assert world.state.job_mark("fake", JOB) == held_modified, "the window stays at the held order"
    assert world.state.ledger("fake")[held].state == "claimed", "the other run's claim is left alone"

    world.state_offset = CLAIM_TTL + timedelta(minutes=1)
    taken, lines = await world.run(JobName.IMPORT_ORDERS)
    assert taken.status is RunStatus.OK, lines
    assert (taken.counts.created, taken.counts.unchanged) == (1, 1)
    assert [len(world.erp.documents_of(o)) for o in (held, other)] == [1, 1]
    assert world.state.unfinished_orders("fake") == {}


async def test_an_erp_write_failure_fails_its_order_alone_and_is_recorded(world: FakeWorld) -> None:
    await ready(world)
    broken = world.shop.place_order(ANNE, [("MIEL-LAV", 1)])
    fine = world.shop.place_order(BERNARD, [("VIN-ROUGE", 12)])
    world.erp.fail("create_sales_document", "the customer account is locked by another user", key=broken)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ITEMS_FAILED and result.exit_code == 1
    assert (result.counts.failed, result.counts.created) == (1, 1)
    assert "en échec" in line_of(lines, broken) and "locked by another user" in line_of(lines, broken)
    assert world.erp.documents_of(broken) == [] and len(world.erp.documents_of(fine)) == 1
    row = world.state.ledger("fake")[broken]
    assert row.state == "failed" and "locked by another user" in (row.error or "")
    assert not world.shop.orders[broken].transferred
    [run] = world.state.runs("fake", limit=1)
    assert run.status == "items_failed"

    skipped, lines = await world.run(JobName.IMPORT_ORDERS, full=True)
    assert (skipped.counts.created, skipped.counts.failed) == (0, 0), lines
    assert "en échec lors d'un import précédent" in line_of(lines, broken)

    world.erp.clear()
    retry, lines = await world.run(JobName.IMPORT_ORDERS, retry_failed=True)
    assert retry.counts.created == 1, lines
    assert len(world.erp.documents_of(broken)) == 1 and world.shop.orders[broken].transferred


async def test_an_unknown_reference_fails_its_order_unless_the_profile_sends_it_as_miscellaneous(
    world: FakeWorld,
) -> None:
    await ready(world)
    gift = world.shop.place_order(ANNE, [("CARTE-CADEAU", 1)], prices={"CARTE-CADEAU": Decimal("25")})
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.failed == 1
    assert "référence 'CARTE-CADEAU' inconnue dans la gestion commerciale" in line_of(lines, gift)
    assert world.erp.calls["create_sales_document"] == 0

    world.configure(orders={"unknown_reference": "miscellaneous"})
    retry, lines = await world.run(JobName.IMPORT_ORDERS, retry_failed=True)
    assert retry.counts.created == 1, lines
    [document] = world.erp.documents_of(gift)
    assert [(line.reference, line.kind) for line in document.document.lines] == [
        ("DIVERS", LineKind.MISCELLANEOUS)
    ]


async def test_a_payment_that_cannot_be_recorded_is_recorded_once_by_the_next_run(world: FakeWorld) -> None:
    await ready(world)
    order = world.shop.place_order(ANNE, [("VIN-ROUGE", 2)], payment_method="bacs")
    world.configure(
        orders={"payment_methods": {"bacs": {"mode": "2", "journal": "NOPE", "create_payment": True}}}
    )
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ITEMS_FAILED
    line = line_of(lines, order)
    assert "règlement non enregistré" in line and "NOPE" in line, line
    [document] = world.erp.documents_of(order)
    assert world.erp.payments == []
    assert world.state.ledger("fake")[order].state == "written"
    assert not world.shop.orders[order].transferred

    world.configure(
        orders={"payment_methods": {"bacs": {"mode": "2", "journal": "BQ1", "create_payment": True}}}
    )
    retry, lines = await world.run(JobName.IMPORT_ORDERS)
    assert (retry.counts.created, retry.counts.failed) == (0, 0), lines
    assert world.erp.documents_of(order) == [document]
    assert len(world.erp.payments_of(document.ref.number)) == 1
    assert world.shop.orders[order].transferred


async def test_a_payment_whose_answer_was_lost_is_not_recorded_twice(world: FakeWorld) -> None:
    await ready(world)
    order = world.shop.place_order(ANNE, [("MIEL-LAV", 3)])
    world.erp.fail("create_payment", "connection reset", times=1, after_write=True)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.failed == 1 and "connection reset" in line_of(lines, order), lines
    [document] = world.erp.documents_of(order)
    assert len(world.erp.payments_of(document.ref.number)) == 1, "the ERP did record it"

    retry, lines = await world.run(JobName.IMPORT_ORDERS)
    assert (retry.counts.failed, retry.counts.created) == (0, 0), lines
    assert len(world.erp.payments_of(document.ref.number)) == 1, "the retry finds the payment recorded"
    assert world.erp.calls["create_payment"] == 2
    assert world.shop.orders[order].transferred


async def test_import_orders_refuses_to_start_without_the_articles_it_needs(world: FakeWorld) -> None:
    world.shop.place_order(ANNE, [("SAVON", 1)], prices={"SAVON": Decimal("4.50")})
    world.configure(orders={"shipping_article": "", "discount_articles": {}})
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ABORTED and result.exit_code == 1
    assert any("orders.shipping_article, orders.discount_articles" in line for line in lines), lines
    assert world.shop.calls["list_orders"] == 0 and world.erp.documents == {}
