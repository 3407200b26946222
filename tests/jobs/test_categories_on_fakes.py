"""Shop categories in each mode (families, catalogue tree, custom fields, additional, off), on the
fakes: created level by level under their parents, adopted when the shop has them, never twice."""

from __future__ import annotations

from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Category, CategoryDraft
from fakes import FakeWorld


def tree(world: FakeWorld) -> dict[str, str | None]:
    """Category name path → parent name path, as the shop holds them."""
    cats = world.shop.categories

    def path(shop_id: str) -> str:
        category = cats[shop_id]
        return f"{path(category.parent_id)}/{category.name}" if category.parent_id else category.name

    return {path(i): (path(c.parent_id) if c.parent_id else None) for i, c in cats.items()}


def names_of(world: FakeWorld, sku: str) -> set[str]:
    product = world.shop.product(sku)
    assert product is not None, sku
    return {world.shop.categories[i].name for i in product.get("category_shop_ids") or ()}


async def test_catalogue_tree_levels_are_created_under_their_parents(world: FakeWorld) -> None:
    for key, name, parent in (
        ("1", "Gastronomie", None),
        ("2", "Épicerie fine", "1"),
        ("3", "Miels", "2"),
        ("4", "Boissons", "1"),
        ("9", "Inutilisé", None),
    ):
        world.erp.catalogue[key] = Category(key, name, parent)
    world.erp.change_article("MIEL-LAV", catalogue="3")
    world.erp.change_article("HUILE-OLIVE", catalogue="2")
    world.erp.change_article("VIN-ROUGE", catalogue="4")
    world.configure(products={"categories": "catalogue"})

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert tree(world) == {
        "Gastronomie": None,
        "Gastronomie/Épicerie fine": "Gastronomie",
        "Gastronomie/Épicerie fine/Miels": "Gastronomie/Épicerie fine",
        "Gastronomie/Boissons": "Gastronomie",
    }, "only the levels articles use, and their parents"
    assert names_of(world, "MIEL-LAV") == {"Miels"}
    assert names_of(world, "VIN-ROUGE") == {"Boissons"}
    soap = world.shop.product("SAVON")
    assert soap is not None and soap.get("category_shop_ids") is None, "no level: the shop's default"
    assert any("sans catégorie" in line and "SAVON" in line for line in lines), lines

    requests = world.shop.requests["categories"]
    again, _ = await world.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.created == 0 and world.shop.requests["categories"] == requests


async def test_custom_field_levels_and_a_name_used_under_two_parents(world: FakeWorld) -> None:
    paths = {
        "MIEL-LAV": ("Épicerie", "Sucré", "Miels"),
        "HUILE-OLIVE": ("Épicerie", "Salé", ""),
        "VIN-ROUGE": ("Cave", "Rouges", ""),
        "SAVON": ("Maison", "Sucré", ""),
    }
    for sku, levels in paths.items():
        fields = dict(world.erp.articles[sku].custom_fields)
        fields.update({"Rayon": levels[0], "Sous-rayon": levels[1], "Famille web": levels[2]})
        world.erp.change_article(sku, custom_fields=fields)
    levels = ["Rayon", "Sous-rayon", "Famille web"]
    world.configure(products={"categories": "fields", "category_fields": levels})

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    shop = tree(world)
    assert shop["Épicerie/Sucré/Miels"] == "Épicerie/Sucré"
    assert shop["Maison/Sucré"] == "Maison", "one name under two parents is two categories"
    assert shop["Épicerie/Sucré"] == "Épicerie"
    assert names_of(world, "HUILE-OLIVE") == {"Salé"}
    assert names_of(world, "MIEL-LAV") == {"Miels"}


async def test_existing_shop_categories_are_adopted_under_the_same_parent(world: FakeWorld) -> None:
    [top] = await world.shop.create_categories([CategoryDraft("x", "Épicerie")])
    assert top.shop_id is not None
    [child] = await world.shop.create_categories([CategoryDraft("y", "sucré", top.shop_id)])
    fields = dict(world.erp.articles["MIEL-LAV"].custom_fields, Rayon="ÉPICERIE", **{"Sous-rayon": "Sucré"})
    world.erp.change_article("MIEL-LAV", custom_fields=fields)
    world.configure(products={"categories": "fields", "category_fields": ["Rayon", "Sous-rayon"]})

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("category_shop_ids") == (child.shop_id,)
    assert len(world.shop.categories) == 2, "found by name (any case) under the same parent"


async def test_additional_categories_and_unpublished_families(world: FakeWorld) -> None:
    fields = dict(world.erp.articles["MIEL-LAV"].custom_fields, Extra="Idées cadeaux, Promotions")
    world.erp.change_article("MIEL-LAV", custom_fields=fields)
    world.erp.categories["CAV"] = Category("CAV", "Cave", published=False)
    world.configure(products={"additional_categories_field": "Extra", "skip_unpublished_families": True})

    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert names_of(world, "MIEL-LAV") == {"Épicerie", "Idées cadeaux", "Promotions"}
    assert world.shop.product("VIN-ROUGE") is None, "its family is not published"
    assert "Cave" not in {c.name for c in world.shop.categories.values()}
    assert any("famille non publiée" in line for line in lines), lines


async def test_categories_off_creates_none(world: FakeWorld) -> None:
    world.configure(products={"categories": "off", "additional_categories_field": "Extra"})
    result, lines = await world.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert world.shop.categories == {} and world.shop.calls["list_categories"] == 0
    honey = world.shop.product("MIEL-LAV")
    assert honey is not None and honey.get("category_shop_ids") is None
