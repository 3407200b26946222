"""Export products, update prices, update stock: the jobs' own logic, on the in-memory fakes.

Each test runs the job through ``run_job`` and checks what the fake shop holds and was sent, and
what the state store remembers. The same jobs against the WooCommerce sandbox and the Sage demo
company are in test_catalog_jobs.py.
"""

from __future__ import annotations

from decimal import Decimal

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Article, AttributeDraft, ProductDraft, ProductKind
from fakes import FakeWorld
from fakes.erp import MASTER

SIMPLE = ["MIEL-LAV", "HUILE-OLIVE", "VIN-ROUGE", "SAVON"]
VARIATIONS = ["NAPPE-BLE-150", "NAPPE-BLE-250", "NAPPE-JAU-150", "NAPPE-JAU-250"]
GROUP = "NAPPE-PROV"
LEFT_OUT = ["VIEUX-VIN", "BROUILLON", "DIVERS", "PORT", "EMBALLAGE", "REMISE20", "REMISE10", "REMISE055"]
"""Dormant, unpublished, and the articles orders need (not sold on the web)."""
NOT_ALLOWED_BY_DEFAULT = {
    "description",
    "short_description",
    "weight",
    "barcode",
    "category_shop_ids",
    "enabled",
    "tax_code",
}
"""Catalog fields an update never sends unless ``products.update_fields`` names them."""


def bound(world: FakeWorld, kind: str = "product") -> dict[str, str]:
    return {key: place.shop_id for key, place in world.state.bindings("fake", kind).items()}


async def test_export_creates_every_product_then_a_second_run_sends_nothing(world: FakeWorld) -> None:
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == len(SIMPLE) + len(VARIATIONS) + 1, "the group's variable product too"
    assert result.counts.skipped == len(LEFT_OUT)
    for sku in LEFT_OUT:
        assert world.shop.count_sku(sku) == 0, sku

    categories = {c.name: c.shop_id for c in world.shop.categories.values()}
    assert set(categories) == {"Épicerie", "Cave", "Linge de maison"}
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.kind is ProductKind.SIMPLE
    assert (honey.get("name"), honey.get("regular_price")) == ("Miel de lavande", Decimal("12.00"))
    assert honey.get("stock_quantity") == 13, "available: 10 - 2 reserved in 1, 5 in 2"
    assert honey.get("category_shop_ids") == (categories["Épicerie"],)
    assert (honey.get("tax_code"), honey.get("erp_reference")) == ("C05", "MIEL-LAV")
    oil, wine, soap = (world.shop.product(s) for s in ("HUILE-OLIVE", "VIN-ROUGE", "SAVON"))
    assert oil is not None and oil.get("barcode") == "3760000000011"
    assert wine is not None and wine.get("weight") == Decimal("1.2")
    assert soap is not None and soap.get("manage_stock") is False and soap.get("stock_quantity") is None
    assert set(bound(world)) == {*SIMPLE, *VARIATIONS, GROUP}
    assert {k: p.shop_id for k, p in world.state.bindings("fake", "category").items()} == {
        "EPI": categories["Épicerie"],
        "CAV": categories["Cave"],
        "LIN": categories["Linge de maison"],
    }

    writes, saves = world.shop.writes, world.shop.calls["save_products"]
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.created, again.counts.updated, again.counts.failed) == (0, 0, 0), lines
    assert again.counts.unchanged == len(SIMPLE) + len(VARIATIONS) + 1
    assert world.shop.writes == writes, "an unchanged catalog is not written again"
    assert world.shop.calls["save_products"] == saves
    assert all(world.shop.count_sku(s) == 1 for s in [*SIMPLE, *VARIATIONS, GROUP])


async def test_only_the_changed_aspects_are_sent(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    world.erp.change_article("MIEL-LAV", sale_price=Decimal("13.20"))
    world.erp.set_stock("VIN-ROUGE", "1", 12)
    world.erp.change_article("HUILE-OLIVE", designation="Huile d'olive vierge extra")
    before = len(world.shop.sent)

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (result.counts.updated, result.counts.created, result.counts.failed) == (3, 0, 0), lines
    sent = {s.key: s.carried() for s in world.shop.sent[before:]}
    assert sent == {
        "MIEL-LAV": {"regular_price"},
        "VIN-ROUGE": {"manage_stock", "stock_quantity"},
        "HUILE-OLIVE": {"name", "erp_reference"},
    }
    honey, wine, oil = (world.shop.product(s) for s in ("MIEL-LAV", "VIN-ROUGE", "HUILE-OLIVE"))
    assert honey is not None and honey.get("regular_price") == Decimal("13.20")
    assert honey.get("name") == "Miel de lavande", "what was not sent is kept"
    assert wine is not None and wine.get("stock_quantity") == 18
    assert oil is not None and oil.get("name") == "Huile d'olive vierge extra"
    assert any(line.startswith("[1/3] MIEL-LAV : mis à jour - regular_price") for line in lines), lines


async def test_an_update_never_sends_what_the_profile_does_not_allow(world: FakeWorld) -> None:
    world.configure(products={"update_fields": ["price"]})
    await world.run(JobName.EXPORT_PRODUCTS)
    categories = {c.name: c.shop_id for c in world.shop.categories.values()}
    world.erp.change_article(
        "HUILE-OLIVE",
        designation="Huile nouvelle",
        description="Texte revu",
        weight_net=Decimal("0.75"),
        barcode="3760000000099",
        family_code="CAV",
        tax_code="C20",
        sale_price=Decimal("19.00"),
    )
    world.erp.set_stock("VIN-ROUGE", "1", 2)
    before = len(world.shop.sent)

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (result.counts.updated, result.counts.unchanged) == (1, 8), lines
    [update] = world.shop.sent[before:]
    assert (update.key, update.carried()) == ("HUILE-OLIVE", {"regular_price"})
    oil = world.shop.product("HUILE-OLIVE")
    assert oil is not None
    assert (oil.get("name"), oil.get("description")) == ("Huile d'olive", "Huile d'olive, de Provence")
    assert oil.get("category_shop_ids") == (categories["Épicerie"],)
    assert (oil.get("tax_code"), oil.get("regular_price")) == ("C05", Decimal("19.00"))
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("stock_quantity") == 36, "stock is not export's to update here"

    world.configure(products={"update_fields": ["name", "price"]})
    before = len(world.shop.sent)
    widened, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert widened.counts.failed == 0, lines
    updates = world.shop.sent[before:]
    assert updates and all(s.action == "update" for s in updates)
    assert all(
        not s.carried() & (NOT_ALLOWED_BY_DEFAULT | {"stock_quantity", "manage_stock"}) for s in updates
    )
    oil = world.shop.product("HUILE-OLIVE")
    assert oil is not None and oil.get("name") == "Huile nouvelle"
    assert oil.get("description") == "Huile d'olive, de Provence"

    stock, lines = await world.run(JobName.UPDATE_STOCK)
    assert stock.counts.updated == 1, lines
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("stock_quantity") == 8


async def test_a_product_already_in_the_shop_is_adopted_by_sku(world: FakeWorld) -> None:
    existing = world.shop.add_product(
        ProductDraft("VIN-ROUGE", name="Vin rouge (fiche boutique)", regular_price=Decimal("8"))
    )
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert (result.counts.created, result.counts.updated) == (8, 1)
    assert "VIN-ROUGE" not in {s.key for s in world.shop.creates_of("products")}
    assert world.shop.count_sku("VIN-ROUGE") == 1
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.shop_id == existing
    assert (wine.get("name"), wine.get("regular_price")) == ("Côtes du Rhône", Decimal("9.90"))
    assert bound(world)["VIN-ROUGE"] == existing
    assert any("VIN-ROUGE : mis à jour" in line for line in lines), lines


async def test_a_product_the_shop_refuses_fails_alone_and_is_named(world: FakeWorld) -> None:
    world.shop.refuse("HUILE-OLIVE", code="invalid_param", message="image too large", field="images")
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert (result.counts.failed, result.counts.created) == (1, 8)
    assert any(
        "HUILE-OLIVE : en échec - invalid_param [images]: image too large" in line for line in lines
    ), lines
    assert world.shop.count_sku("HUILE-OLIVE") == 0
    assert "HUILE-OLIVE" not in bound(world)
    assert "HUILE-OLIVE" not in world.state.fingerprints("fake", "product", "catalog")
    [run] = world.state.runs("fake", limit=1)
    assert run.status == "items_failed"
    stored = [line for line in world.state.journal(run.id) if line.item == "HUILE-OLIVE"]
    assert stored and "image too large" in stored[0].message

    world.shop.clear()
    retry, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert (retry.counts.created, retry.counts.failed, retry.counts.unchanged) == (1, 0, 8), lines
    assert world.shop.count_sku("HUILE-OLIVE") == 1


async def test_a_lost_answer_is_recovered_without_a_duplicate(world: FakeWorld) -> None:
    world.shop.lose_answers("products", 1)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == 9
    assert world.shop.requests["products"] == 2, "the lost request, then its creates sent as updates"
    assert all(world.shop.count_sku(s) == 1 for s in [*SIMPLE, *VARIATIONS, GROUP])
    assert bound(world)["MIEL-LAV"] == world.shop.product("MIEL-LAV").shop_id  # type: ignore[union-attr]


async def test_answers_lost_for_a_whole_run_never_duplicate_on_the_next(world: FakeWorld) -> None:
    world.shop.lose_answers("products", world.shop.rounds + 1)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert result.counts.failed == len(SIMPLE) + 1, lines
    assert any("MIEL-LAV : en échec - retry_exhausted" in line for line in lines), lines
    assert all(world.shop.count_sku(s) == 1 for s in [*SIMPLE, GROUP]), "the shop did apply them"
    assert not set(bound(world)) & {*SIMPLE, GROUP}, "nothing is bound without an answer"

    creates = len(world.shop.creates_of("products"))
    again, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.status is RunStatus.OK, lines
    assert (again.counts.created, again.counts.updated) == (0, len(SIMPLE) + 1), "adopted by SKU"
    assert len(world.shop.creates_of("products")) == creates
    assert all(world.shop.count_sku(s) == 1 for s in [*SIMPLE, *VARIATIONS, GROUP])
    assert len(world.shop.products) == len(SIMPLE) + len(VARIATIONS) + 1


async def test_a_dry_run_writes_nothing_anywhere(world: FakeWorld) -> None:
    world.shop.add_product(ProductDraft("VIN-ROUGE", name="Vin rouge", regular_price=Decimal("8")))
    world.shop.place_order("anne.martin@exemple.fr", [("VIN-ROUGE", 2)])
    shop_writes = ("create_categories", "save_products", "save_customers", "mark_transferred")
    erp_writes = ("save_customer", "create_sales_document", "validate_document", "create_payment")

    products, lines = await world.run(JobName.EXPORT_PRODUCTS, dry_run=True)
    assert (products.counts.created, products.counts.updated) == (8, 1), lines
    assert any("MIEL-LAV : serait créé" in line for line in lines), lines
    assert any("VIN-ROUGE : serait mis à jour" in line for line in lines), lines
    customers, lines = await world.run(JobName.EXPORT_CUSTOMERS, dry_run=True)
    assert customers.counts.created == 2, lines
    orders, lines = await world.run(JobName.IMPORT_ORDERS, dry_run=True)
    assert orders.counts.created == 1, lines
    for job in (JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        result, lines = await world.run(job, dry_run=True)
        assert result.counts.updated == 1, lines

    assert [world.shop.calls[name] for name in shop_writes] == [0, 0, 0, 0]
    assert world.shop.writes == 0 and world.shop.categories == {} and len(world.shop.products) == 1
    assert [world.erp.calls[name] for name in erp_writes] == [0, 0, 0, 0]
    assert world.erp.documents == {} and world.erp.payments == []
    assert world.remembered() == {"bindings": 0, "fingerprints": 0, "ledger": 0, "runs": 0, "marks": 0}
    assert not (world.workdir / "logs").exists(), "a dry run writes no log either"
    assert not any(o.transferred for o in world.shop.orders.values())


async def test_prices_and_stock_for_products_missing_from_the_shop_are_reported_not_created(
    world: FakeWorld,
) -> None:
    for job in (JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        result, lines = await world.run(job)
        assert result.counts.created == 0
        assert result.status is RunStatus.OK
        missing = [line for line in lines if "absente(s) de la boutique" in line]
        assert len(missing) == 1 and "MIEL-LAV" in missing[0], lines
    assert world.shop.calls["save_products"] == 0 and world.shop.products == {}

    await world.run(JobName.EXPORT_PRODUCTS)
    tapenade = Article("TAPENADE", "Tapenade", "EPI", sale_price=Decimal("6.90"), tax_code="C05")
    world.erp.add_article(tapenade, {"1": 8})
    for job in (JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        result, lines = await world.run(job)
        assert (result.counts.created, result.counts.updated) == (0, 0), lines
        assert any(
            "1 référence(s) absente(s) de la boutique (exportez d'abord les articles) : TAPENADE" in line
            for line in lines
        ), lines
    assert world.shop.count_sku("TAPENADE") == 0


async def test_update_prices_sends_the_changed_price_only(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    world.erp.change_article("VIN-ROUGE", sale_price=Decimal("10.40"), designation="Autre nom")
    before = len(world.shop.sent)
    result, lines = await world.run(JobName.UPDATE_PRICES)
    assert (result.counts.updated, result.counts.created) == (1, 0), lines
    assert [(s.key, s.carried()) for s in world.shop.sent[before:]] == [("VIN-ROUGE", {"regular_price"})]
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("regular_price") == Decimal("10.40")
    assert wine.get("name") == "Côtes du Rhône"
    writes = world.shop.writes
    again, _ = await world.run(JobName.UPDATE_PRICES)
    assert again.counts.updated == 0 and world.shop.writes == writes

    world.configure(prices={"include_tax": True})
    taxed, lines = await world.run(JobName.UPDATE_PRICES)
    assert taxed.counts.updated == 8, lines
    wine = world.shop.product("VIN-ROUGE")
    assert wine is not None and wine.get("regular_price") == Decimal("12.48"), "10.40 + 20 %"
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("regular_price") == Decimal("12.66"), "12.00 + 5.5 %"


async def test_update_stock_follows_warehouses_kind_and_negatives(world: FakeWorld) -> None:
    await world.run(JobName.EXPORT_PRODUCTS)
    world.erp.set_stock("VIN-ROUGE", "1", 40, reserved=3)
    world.erp.set_stock("MIEL-LAV", "1", 0, reserved=20)
    result, lines = await world.run(JobName.UPDATE_STOCK)
    assert result.counts.updated == 2, lines
    quantities = {s: world.shop.product(s).get("stock_quantity") for s in ("VIN-ROUGE", "MIEL-LAV")}  # type: ignore[union-attr]
    assert quantities == {"VIN-ROUGE": 37 + 6, "MIEL-LAV": 0}, "negative available stock is sent as 0"

    world.configure(stock={"warehouses": ["1"], "quantity": "real", "negative_as_zero": False})
    result, lines = await world.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK, lines
    quantities = {s: world.shop.product(s).get("stock_quantity") for s in ("VIN-ROUGE", "MIEL-LAV")}  # type: ignore[union-attr]
    assert quantities == {"VIN-ROUGE": 40, "MIEL-LAV": 0}
    world.configure(stock={"warehouses": ["1"], "negative_as_zero": False})
    await world.run(JobName.UPDATE_STOCK)
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("stock_quantity") == -20
    soap = world.shop.product("SAVON")
    assert soap is not None and soap.get("stock_quantity") is None, "an untracked article sends no quantity"


async def test_grouped_articles_become_one_variable_product_with_its_variations(world: FakeWorld) -> None:
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    parent = world.shop.product(GROUP)
    assert parent is not None and parent.kind is ProductKind.VARIABLE
    assert parent.get("name") == "Nappe provençale" and parent.get("regular_price") is None
    assert parent.get("attributes") == (
        AttributeDraft("Couleur", ("Bleue", "Jaune")),
        AttributeDraft("Dimensions", ("150 x 150 cm", "150 x 250 cm")),
    )
    for sku in VARIATIONS:
        variation = world.shop.product(sku)
        assert variation is not None and variation.kind is ProductKind.VARIATION, sku
        assert variation.parent_id == parent.shop_id
    yellow = world.shop.product("NAPPE-JAU-250")
    assert yellow is not None
    assert yellow.get("variation_options") == (("Couleur", "Jaune"), ("Dimensions", "150 x 250 cm"))
    assert (yellow.get("regular_price"), yellow.get("stock_quantity")) == (Decimal("49.00"), 4)
    assert world.state.bindings("fake", "product")["NAPPE-JAU-250"].parent_id == parent.shop_id

    stock, lines = await world.run(JobName.UPDATE_STOCK)
    assert (stock.counts.updated, stock.counts.unchanged) == (0, len(SIMPLE) + len(VARIATIONS)), lines
    assert parent.get("manage_stock") is None, "the variable product's stock is its variations'"

    world.erp.change_article("NAPPE-JAU-250", sale_price=Decimal("51.50"))
    prices, lines = await world.run(JobName.UPDATE_PRICES)
    assert prices.counts.updated == 1, lines
    assert world.shop.updates_of("variations")[-1].key == "NAPPE-JAU-250"
    assert yellow.get("regular_price") == Decimal("51.50")


async def test_unpublished_variations_leave_their_group_complete_without_them(world: FakeWorld) -> None:
    for sku in ("NAPPE-BLE-150", "NAPPE-BLE-250"):
        world.erp.change_article(sku, published=False)
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    parent = world.shop.product(GROUP)
    assert parent is not None and parent.kind is ProductKind.VARIABLE
    children = sorted(p.sku for p in world.shop.products.values() if p.parent_id == parent.shop_id)
    assert children == ["NAPPE-JAU-150", "NAPPE-JAU-250"]
    assert [(a.name, a.options) for a in parent.get("attributes")] == [
        ("Couleur", ("Jaune",)),
        ("Dimensions", ("150 x 150 cm", "150 x 250 cm")),
    ], "a colour no variation is sold in is not offered"
    assert world.shop.count_sku("NAPPE-BLE-150") == world.shop.count_sku("NAPPE-BLE-250") == 0


async def test_an_incomplete_group_is_refused_whole_and_named(world: FakeWorld) -> None:
    fields = dict(world.erp.articles["NAPPE-JAU-250"].custom_fields)
    world.erp.change_article("NAPPE-JAU-250", custom_fields={**fields, MASTER: ""})
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert result.counts.failed == 3, "the group's three other articles"
    assert any(
        "Regroupement NAPPE-PROV refusé" in line and "il manque : Jaune / 150 x 250 cm" in line
        for line in lines
    ), lines
    for sku in (GROUP, "NAPPE-BLE-150", "NAPPE-BLE-250", "NAPPE-JAU-150"):
        assert world.shop.count_sku(sku) == 0, sku
    alone = world.shop.product("NAPPE-JAU-250")
    assert alone is not None and alone.kind is ProductKind.SIMPLE, "no longer grouped: a simple product"
    assert result.counts.created == len(SIMPLE) + 1
