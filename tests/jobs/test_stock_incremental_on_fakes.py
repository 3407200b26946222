"""Incremental update stock on the fakes: only the articles whose stock or record changed since the
last run are read (the ERP's clock, with an overlap), a group's carrier changed alone sends nothing,
a failed article is read again, ``--full`` and the periodic full read catch what dates miss."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import StockLevel
from fakes import FakeWorld
from fakes.erp import WHEN

INCREMENTAL = "lecture incrémentale du stock"


def incremental_line(lines: list[str]) -> str | None:
    return next((line for line in lines if INCREMENTAL in line), None)


async def ready(world: FakeWorld) -> None:
    """Articles and stock rows last written a month ago, one article (unpublished) the day after
    (the newest: the cursor), the catalog exported, a first (full) stock run."""
    for key in world.erp.stock:
        world.erp.stock_modified[key] = WHEN - timedelta(days=30)
    for reference in world.erp.articles:
        world.erp.change_article(reference, modified_at=WHEN - timedelta(days=30))
    world.erp.change_article("BROUILLON", modified_at=WHEN - timedelta(days=29))
    world.configure(stock={"incremental": True})
    exported, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert exported.status is RunStatus.OK, lines
    first, lines = await world.run(JobName.UPDATE_STOCK)
    assert first.status is RunStatus.OK, lines
    assert incremental_line(lines) is None, "a first run reads everything"
    assert first.counts.updated == 0, "export sent the stock already"


def quantity(world: FakeWorld, sku: str) -> object:
    product = world.shop.product(sku)
    assert product is not None, sku
    return product.get("stock_quantity")


async def test_only_changed_stock_is_read_and_dates_missed_wait_for_a_full_read(world: FakeWorld) -> None:
    await ready(world)
    world.erp.set_stock("VIN-ROUGE", "1", 25)
    world.erp.set_stock("NAPPE-PROV", "1", 9)  # the group's carrier: its stock is its variations'
    world.erp.stock[("HUILE-OLIVE", "1")] = StockLevel("HUILE-OLIVE", "1", Decimal(3))  # no date
    world.erp.change_article("SAVON", dormant=True)
    streams = world.erp.calls["stream_stock"]
    sent = len(world.shop.sent)

    result, lines = await world.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK, lines
    # the changed wine, carrier and soap, the unpublished article again (the overlap)
    assert incremental_line(lines) is not None and "4 article(s)" in str(incremental_line(lines)), lines
    assert world.erp.calls["stream_stock"] == streams + 1
    assert [s.key for s in world.shop.sent[sent:]] == ["VIN-ROUGE", "SAVON"], "stock, then the withdrawal"
    assert quantity(world, "VIN-ROUGE") == 31
    assert quantity(world, "HUILE-OLIVE") == 20, "a change without its date is not seen"

    again, lines = await world.run(JobName.UPDATE_STOCK)
    assert again.counts.updated == 0, "read again within the overlap, nothing new to send"

    full, lines = await world.run(JobName.UPDATE_STOCK, full=True)
    assert incremental_line(lines) is None
    assert full.counts.updated == 1 and quantity(world, "HUILE-OLIVE") == 3, lines


async def test_a_full_read_comes_back_every_full_every_hours(world: FakeWorld) -> None:
    await ready(world)
    world.configure(stock={"incremental": True, "full_every": 6})
    _, lines = await world.run(JobName.UPDATE_STOCK)
    assert incremental_line(lines) is not None
    world.state_offset = timedelta(hours=5)
    _, lines = await world.run(JobName.UPDATE_STOCK)
    assert incremental_line(lines) is not None
    world.state_offset = timedelta(hours=6, minutes=1)
    _, lines = await world.run(JobName.UPDATE_STOCK)
    assert incremental_line(lines) is None, "six hours since the last full read"
    _, lines = await world.run(JobName.UPDATE_STOCK)
    assert incremental_line(lines) is not None


async def test_an_article_that_failed_is_read_again(world: FakeWorld) -> None:
    await ready(world)
    world.erp.set_stock("VIN-ROUGE", "1", 25)
    world.erp.set_stock("HUILE-OLIVE", "1", 12)
    later = world.erp.stock_modified[("VIN-ROUGE", "1")] + timedelta(hours=1)
    world.erp.stock_modified[("HUILE-OLIVE", "1")] = later  # newer than the overlap reaches back
    world.shop.refuse("VIN-ROUGE", times=1)
    failed, lines = await world.run(JobName.UPDATE_STOCK)
    assert (failed.counts.failed, failed.counts.updated) == (1, 1), lines
    retried, lines = await world.run(JobName.UPDATE_STOCK)
    assert retried.counts.updated == 1 and quantity(world, "VIN-ROUGE") == 31, lines
    assert quantity(world, "HUILE-OLIVE") == 12
