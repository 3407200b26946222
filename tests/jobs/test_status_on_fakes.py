"""Enable / disable products on the fakes: the shop's status follows the ERP's, never a deletion."""

from __future__ import annotations

from comptoir.jobs.runner import JobName, RunStatus
from fakes import FakeWorld

VARIATIONS = ["NAPPE-BLE-150", "NAPPE-BLE-250", "NAPPE-JAU-150", "NAPPE-JAU-250"]


async def test_dormant_articles_are_disabled_then_enabled_when_they_come_back(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    products = len(world.shop.products)
    world.erp.change_article("MIEL-LAV", dormant=True)
    world.erp.change_article("HUILE-OLIVE", published=False)

    result, lines = await world.run(JobName.ENABLE_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.updated == 2, lines
    honey, oil, wine = (world.shop.product(s) for s in ("MIEL-LAV", "HUILE-OLIVE", "VIN-ROUGE"))
    assert honey is not None and honey.get("enabled") is False
    assert oil is not None and oil.get("enabled") is False
    assert wine is not None and wine.get("enabled") is True
    assert len(world.shop.products) == products, "nothing is deleted"
    sent = [s for s in world.shop.sent if s.action == "update"]
    assert all(s.carried() == {"enabled"} for s in sent), "only the status is written"

    quiet, lines = await world.run(JobName.ENABLE_PRODUCTS)
    assert (quiet.counts.updated, quiet.counts.unchanged) == (0, 9), lines

    world.erp.change_article("MIEL-LAV", dormant=False)
    back, lines = await world.run(JobName.ENABLE_PRODUCTS)
    assert back.counts.updated == 1, lines
    assert honey.get("enabled") is True


async def test_a_group_is_disabled_when_all_its_variations_are(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    for sku in VARIATIONS[:3]:
        world.erp.change_article(sku, dormant=True)
    await world.run(JobName.ENABLE_PRODUCTS)
    parent = world.shop.product("NAPPE-PROV")
    assert parent is not None and parent.get("enabled") is True, "one variation is still sold"
    assert [world.shop.product(s).get("enabled") for s in VARIATIONS] == [False, False, False, True]  # type: ignore[union-attr]

    world.erp.change_article(VARIATIONS[3], published=False)
    result, lines = await world.run(JobName.ENABLE_PRODUCTS)
    assert result.counts.updated == 2, lines
    assert parent.get("enabled") is False


async def test_an_article_deleted_from_the_erp_is_disabled_in_the_shop(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    del world.erp.articles["SAVON"]
    result, lines = await world.run(JobName.ENABLE_PRODUCTS)
    assert result.counts.updated == 1, lines
    soap = world.shop.product("SAVON")
    assert soap is not None and soap.get("enabled") is False


async def test_export_with_status_updatable_disables_what_it_no_longer_exports(world: FakeWorld) -> None:
    world.configure(products={"update_fields": ["name", "price", "stock", "status"]})
    await world.run(JobName.EXPORT_PRODUCTS)
    world.erp.change_article("VIN-ROUGE", dormant=True)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.updated == 1, lines
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("enabled") is False
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 0, lines
