"""Options that used to damage a live shop, on the fakes: categories off, products created
disabled, a product deleted in the shop, the quantity of articles whose stock is not tracked."""

from __future__ import annotations

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import ProductDraft
from fakes import FakeWorld

VARIATIONS = ["NAPPE-BLE-150", "NAPPE-BLE-250", "NAPPE-JAU-150", "NAPPE-JAU-250"]


async def test_categories_off_never_touches_the_categories_of_existing_products(world: FakeWorld) -> None:
    world.configure(products={"update_fields": ["name", "category"]})
    await world.run(JobName.EXPORT_PRODUCTS)
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None
    kept = honey.get("category_shop_ids")
    assert kept, "created in its family's category"

    world.configure(products={"categories": "off", "update_fields": ["name", "category"]})
    world.erp.change_article("MIEL-LAV", designation="Miel de lavande de Provence")
    before = len(world.shop.sent)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    sent = world.shop.sent[before:]
    assert "MIEL-LAV" in [s.key for s in sent], lines
    assert all("category_shop_ids" not in s.carried() for s in sent), "no update carries categories"
    assert honey.get("category_shop_ids") == kept, "the shop's categories are left as they are"
    assert honey.get("name") == "Miel de lavande de Provence"


async def test_products_created_disabled_stay_as_the_shop_has_them_on_update(world: FakeWorld) -> None:
    world.configure(products={"create_enabled": False, "update_fields": ["name", "status"]})
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("enabled") is False, "created as a draft"
    honey.data["enabled"] = True  # shop staff publish it

    world.erp.change_article("MIEL-LAV", designation="Miel de lavande AOP")
    before = len(world.shop.sent)
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 1, lines
    [update] = world.shop.sent[before:]
    assert "enabled" not in update.carried(), "an update never turns a live product into a draft"
    assert honey.get("enabled") is True


async def test_a_product_deleted_in_the_shop_is_created_again_and_journaled(world: FakeWorld) -> None:
    world.configure(products={"update_fields": ["name", "price", "stock"]})
    await world.run(JobName.EXPORT_PRODUCTS)
    old = world.shop.product("MIEL-LAV")
    assert old is not None
    world.shop.delete_product("MIEL-LAV")
    world.erp.change_article("MIEL-LAV", designation="Miel de lavande AOP")

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert (result.counts.created, result.counts.failed) == (1, 0), lines
    new = world.shop.product("MIEL-LAV")
    assert new is not None and new.shop_id != old.shop_id
    assert new.get("name") == "Miel de lavande AOP" and new.get("regular_price") is not None
    assert new.get("stock_quantity") == 13, "created whole: every aspect, not only the changed one"
    assert world.state.bindings("fake", "product")["MIEL-LAV"].shop_id == new.shop_id
    assert any("MIEL-LAV : créé - recréé" in line for line in lines), lines
    assert any("absent(s) de la boutique" in line and "MIEL-LAV" in line for line in lines), lines

    writes = world.shop.writes
    quiet, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (quiet.counts.created, quiet.counts.updated, quiet.counts.failed) == (0, 0, 0), lines
    assert world.shop.writes == writes


async def test_a_deleted_variable_product_is_created_again_with_its_variations(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    world.shop.delete_product("NAPPE-PROV")
    world.erp.change_article("NAPPE-JAU-250", sale_price=world.erp.articles["NAPPE-JAU-250"].sale_price + 1)  # type: ignore[operator]

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == 1 + len(VARIATIONS), lines
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None
    for sku in VARIATIONS:
        variation = world.shop.product(sku)
        assert variation is not None and variation.parent_id == parent.shop_id, sku
    total = result.counts.created + result.counts.updated + result.counts.unchanged
    assert total == 9, "each product counted once"


async def test_a_product_the_staff_recreated_is_adopted_by_sku(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None
    world.shop.delete_product("MIEL-LAV")
    again_id = world.shop.add_product(ProductDraft(sku="MIEL-LAV", name="Miel (saisi à la main)"))
    world.erp.change_article("MIEL-LAV", designation="Miel de lavande AOP")

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (result.counts.created, result.counts.updated, result.counts.failed) == (0, 1, 0), lines
    assert world.shop.count_sku("MIEL-LAV") == 1
    assert world.state.bindings("fake", "product")["MIEL-LAV"].shop_id == again_id
    assert world.shop.products[again_id].get("name") == "Miel de lavande AOP"


async def test_price_update_of_a_deleted_product_says_so_and_unbinds(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    world.shop.delete_product("VIN-ROUGE")
    world.erp.change_article("VIN-ROUGE", sale_price=world.erp.articles["VIN-ROUGE"].sale_price + 1)  # type: ignore[operator]
    result, lines = await world.run(JobName.UPDATE_PRICES)
    assert result.counts.failed == 0 and result.counts.skipped >= 1, lines
    assert "VIN-ROUGE" not in world.state.bindings("fake", "product")
    assert any("VIN-ROUGE : ignoré - n'existe plus" in line for line in lines), lines
    exported, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert exported.counts.created == 1 and world.shop.count_sku("VIN-ROUGE") == 1, lines


async def test_unmanaged_quantity_is_sent_for_articles_without_stock_tracking(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    soap = world.shop.product("SAVON")
    assert soap is not None and soap.get("manage_stock") is False, "default: the shop does not track it"

    world.configure(stock={"unmanaged_quantity": 50})
    result, lines = await world.run(JobName.UPDATE_STOCK)
    assert result.counts.updated >= 1, lines
    assert (soap.get("manage_stock"), soap.get("stock_quantity")) == (True, 50)
    again, _ = await world.run(JobName.UPDATE_STOCK)
    assert again.counts.updated == 0
