"""Variations from ranges and packaging units, on the fakes: refused cells named, units' stock."""

from __future__ import annotations

from decimal import Decimal

from comptoir.jobs.runner import JobName
from comptoir.model import Packaging, RangeItem
from fakes import FakeWorld


async def test_a_cell_without_reference_is_refused_and_units_count_whole_packs(world: FakeWorld) -> None:
    world.erp.change_article(
        "VIN-ROUGE",
        ranges=(
            RangeItem("VIN-ROUGE-75", (("Contenance", "75 cl"),), price=Decimal("9.90")),
            RangeItem("", (("Contenance", "150 cl"),), price=Decimal("21")),
            RangeItem("VIN-ROUGE-37", (("Contenance", "37,5 cl"),), price=Decimal(-1), price_field="TG"),
        ),
    )
    world.erp.change_article("HUILE-OLIVE", packagings=(Packaging(1, "Carton de 6", Decimal(6), "HUILE-C6"),))
    world.configure(products={"variations_from_ranges": True, "variations_from_packagings": True})
    reads = world.erp.calls["stream_stock"]
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.failed == 2, lines
    assert world.erp.calls["stream_stock"] == reads + 1, "one stock read for articles, cells and units"
    assert any("VIN-ROUGE : la gamme 150 cl n'a pas de référence propre" in line for line in lines), lines
    assert any("VIN-ROUGE-37" in line and "(TG = -1)" in line for line in lines), lines
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("regular_price") is None
    assert wine.get("attributes")[0].options == ("75 cl",), "only what can be sold is offered"
    carton = world.shop.product("HUILE-C6")
    assert carton is not None and carton.parent_id == world.shop.product("HUILE-OLIVE").shop_id  # type: ignore[union-attr]
    assert carton.get("regular_price") == Decimal("111.00"), "the base price times the quantity"
    assert carton.get("stock_quantity") == 3, "20 bottles: 3 whole cartons"
