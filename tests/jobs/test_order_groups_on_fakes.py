"""A day's guest orders grouped into one document the next day (``orders.grouping``), on the fakes:
lines merged, the total the sum of the orders' totals, one payment per method, each order marked;
an order of today waits; a group whose payment failed is finished by the next run, once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Customer, DocumentType
from comptoir.state import utcnow
from fakes import FakeWorld

D = Decimal
ANNE = "anne.martin@exemple.fr"


async def ready(world: FakeWorld) -> None:
    world.erp.customers["WEBGROUPE"] = Customer("WEBGROUPE", "Ventes web groupées")
    world.configure(orders={"grouping": {"orders": "guests", "account": "WEBGROUPE"}})
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await world.run(job)
        assert result.status is RunStatus.OK, lines


async def test_a_day_of_guest_orders_becomes_one_document(world: FakeWorld) -> None:
    await ready(world)
    first = world.shop.place_order("a@exemple.fr", [("SAVON", 2), ("MIEL-LAV", 1)], guest=True)
    second = world.shop.place_order("b@exemple.fr", [("SAVON", 1)], guest=True, payment_method="cod")
    third = world.shop.place_order("c@exemple.fr", [("MIEL-LAV", 2)], guest=True)
    own = world.shop.place_order(ANNE, [("SAVON", 1)])
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK and result.counts.created == 4, lines

    key = "J260302BC1"
    [group] = world.erp.documents_of(key)
    assert group.ref.customer_code == "WEBGROUPE"
    # SAVON 4.50 at 20 % → 5.40 with tax, MIEL-LAV 12.00 at 5.5 % → 12.66: merged by price
    lines_of = sorted((li.reference, li.quantity, li.unit_price) for li in group.document.lines)
    assert lines_of == [("MIEL-LAV", D(3), D("12.66")), ("SAVON", D(3), D("5.40"))]
    totals = [world.shop.orders[i].total for i in (first, second, third)]
    assert group.ref.total_gross == sum(totals) == D("54.18")
    # one cheque payment for the two paid-by-cheque orders, none for cash on delivery
    [payment] = world.erp.payments_of(group.ref.number)
    assert payment.payment.amount == totals[0] + totals[2]
    for shop_id in (first, second, third):
        assert world.shop.orders[shop_id].meta["document"] == group.ref.number
        assert world.state.ledger(world.profile.name, [shop_id])[shop_id].state == "done"
    assert world.erp.documents_of(own)[0].ref.customer_code != "WEBGROUPE", "registered orders alone"

    again, lines = await world.run(JobName.IMPORT_ORDERS, full=True)
    assert (again.counts.created, again.counts.failed) == (0, 0), lines
    assert len(world.erp.documents_of(key)) == 1 and len(world.erp.payments_of(group.ref.number)) == 1


async def test_today_s_orders_wait_for_the_day_to_end(world: FakeWorld) -> None:
    await ready(world)
    world.shop.clock.freeze(utcnow())
    today = world.shop.place_order("a@exemple.fr", [("SAVON", 1)], guest=True)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert any(f"#{today} : ignoré - regroupée avec les commandes du" in line for line in lines), lines
    assert world.erp.documents == {}
    world.state_offset = timedelta(days=1)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.counts.created == 1, lines
    [document] = [d for d in world.erp.documents.values()]
    assert document.ref.shop_order_id.startswith("J") and document.ref.type is DocumentType.ORDER


async def test_a_group_whose_payment_failed_is_finished_once_by_the_next_run(world: FakeWorld) -> None:
    await ready(world)
    orders = [world.shop.place_order(f"{n}@exemple.fr", [("SAVON", 1)], guest=True) for n in "ab"]
    world.erp.fail("create_payment", times=1)
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ITEMS_FAILED, lines
    [group] = world.erp.documents_of("J260302BC1")
    assert world.erp.payments_of(group.ref.number) == []
    result, lines = await world.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.OK, lines
    assert len(world.erp.documents_of("J260302BC1")) == 1
    [payment] = world.erp.payments_of(group.ref.number)
    assert payment.payment.amount == D("10.80")
    for shop_id in orders:
        assert world.shop.orders[shop_id].meta["document"] == group.ref.number
