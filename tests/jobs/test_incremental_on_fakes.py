"""Incremental export on the fakes: only what the ERP changed since the last run is read (its own
clock, with an overlap), groups come whole, the cursor never passes a failed article."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from comptoir.jobs.runner import JobName, RunStatus
from fakes import FakeWorld
from fakes.erp import WHEN


def read_line(lines: list[str]) -> str:
    return next(line for line in lines if "lus dans la gestion commerciale" in line)


def age(world: FakeWorld) -> None:
    """Every article last modified a month ago, the oil yesterday (the newest: the cursor)."""
    for reference in world.erp.articles:
        world.erp.change_article(reference, modified_at=WHEN - timedelta(days=30))
    world.erp.change_article("HUILE-OLIVE", modified_at=WHEN)


async def test_only_changed_articles_are_read_then_the_cursor_moves(world: FakeWorld) -> None:
    age(world)
    world.configure(products={"incremental": True})
    first, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert first.status is RunStatus.OK, lines
    assert "17 article(s) lus" in read_line(lines), "a first run reads everything"

    later = WHEN + timedelta(days=1)
    world.erp.change_article("MIEL-LAV", sale_price=Decimal("14.00"), modified_at=later)
    world.erp.change_article("NAPPE-BLE-150", designation="Nappe bleue 150", modified_at=later)
    calls = world.erp.calls["read_articles"]
    group_calls = world.erp.calls["read_group_articles"]
    second, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert second.counts.updated >= 1 and second.counts.failed == 0, lines
    assert any("lecture incrémentale : 3 article(s)" in line for line in lines), lines
    assert "7 article(s) lus" in read_line(lines), "the oil (overlap), the changed ones, the whole group"
    assert world.erp.calls["read_articles"] == calls + 1, "the window; the catalog is not read again"
    assert world.erp.calls["read_group_articles"] == group_calls + 1, "then the group's other articles"
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("regular_price") == Decimal("14.00")

    third, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (third.counts.updated, third.counts.created) == (0, 0), lines
    assert "6 article(s) lus" in read_line(lines), "the cursor moved: the oil is out of the window"
    assert not any("refusé" in line for line in lines), lines
    assert world.shop.product("VIN-ROUGE") is not None

    full, lines = await world.run(JobName.EXPORT_PRODUCTS, full=True)
    assert "17 article(s) lus" in read_line(lines) and full.counts.updated == 0, lines


async def test_a_failed_article_holds_the_cursor(world: FakeWorld) -> None:
    age(world)
    world.configure(products={"incremental": True})
    await world.run(JobName.EXPORT_PRODUCTS)
    later = WHEN + timedelta(days=1)
    world.erp.change_article("MIEL-LAV", sale_price=Decimal("-1"), modified_at=later)
    world.erp.change_article("SAVON", designation="Savon", modified_at=later + timedelta(days=1))
    failed, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert failed.counts.failed == 1, lines
    world.erp.change_article("MIEL-LAV", sale_price=Decimal("15.00"))
    fixed, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert fixed.counts.failed == 0 and fixed.counts.updated == 1, lines
    assert any("lecture incrémentale : 2 article(s)" in line for line in lines), "the cursor waited"
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("regular_price") == Decimal("15.00")


async def test_a_changed_member_brings_its_whole_group_even_members_never_sent(world: FakeWorld) -> None:
    """A group member the shop never received (unpublished: not sold, but part of the group's
    combinations) is read with the changed member: the group is not refused as incomplete and the
    variable product keeps every option."""
    age(world)
    world.erp.change_article("NAPPE-JAU-250", published=False, modified_at=WHEN - timedelta(days=30))
    world.configure(products={"incremental": True})
    first, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert first.status is RunStatus.OK, lines
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None
    attributes = parent.get("attributes")

    later = WHEN + timedelta(days=1)
    world.erp.change_article("NAPPE-BLE-150", sale_price=Decimal("41.00"), modified_at=later)
    second, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert second.counts.failed == 0 and not any("refusé" in line for line in lines), lines
    assert any("NAPPE-BLE-150" in line and "mis à jour" in line for line in lines), lines
    assert not any("NAPPE-PROV" in line and "mis à jour" in line for line in lines), lines
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None and parent.get("attributes") == attributes


async def test_a_group_read_again_unchanged_sends_nothing(world: FakeWorld) -> None:
    """A member saved in the ERP without any change (its date only) brings its group back into the
    window: the group comes out as a full run makes it (attribute values in the same order, the same
    name), so nothing is sent. Touching the last member of the group is what used to reorder it."""
    age(world)
    world.configure(products={"incremental": True})
    first, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert first.status is RunStatus.OK, lines
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None
    attributes = parent.get("attributes")

    world.erp.change_article("NAPPE-JAU-250", modified_at=WHEN + timedelta(days=1))
    second, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert any("lecture incrémentale : 2 article(s)" in line for line in lines), lines
    assert (second.counts.created, second.counts.updated, second.counts.failed) == (0, 0, 0), lines
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None and parent.get("attributes") == attributes


async def test_an_incremental_run_reads_the_stock_of_the_articles_it_read_only(world: FakeWorld) -> None:
    """A full run streams every stock row; an incremental one asks only for the articles of its
    window (and of their groups), so its cost follows the change, not the catalog."""
    age(world)
    world.configure(products={"incremental": True})
    asked: list[set[str] | None] = []
    stream = world.erp.stream_stock

    def recording(warehouses: Any = None, *, articles: Any = None) -> Any:
        asked.append(None if articles is None else set(articles))
        return stream(warehouses, articles=articles)

    world.erp.stream_stock = recording  # type: ignore[method-assign]
    first, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert first.status is RunStatus.OK and asked == [None], lines

    world.erp.change_article("MIEL-LAV", sale_price=Decimal("14.00"), modified_at=WHEN + timedelta(days=1))
    second, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert second.counts.failed == 0, lines
    assert asked[1] == {"MIEL-LAV", "HUILE-OLIVE"}, "the changed article and the overlap's, no other"
