"""Catalog options end to end: the Sage demo company, the WooCommerce sandbox as a real server.

Each test runs the jobs as a user would and checks the products the shop holds afterwards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import QuantityKind


def execute(harness: Harness, sql: str, **params: object) -> None:
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def product(harness: Harness, sku: str) -> dict[str, Any]:
    found = harness.client.get("products", sku=sku, status="any")
    assert len(found) == 1, f"{sku}: {len(found)} products"
    return dict(found[0])


def simple_skus(harness: Harness) -> list[str]:
    return sorted(p["sku"] for p in harness.shop_all("products", type="simple") if p["sku"])


def writes(harness: Harness) -> int:
    stats = harness.server.stats
    return sum(n for route, n in stats.by_route.items() if route.split(" ")[0] in {"POST", "PUT", "DELETE"})


async def test_categories_off_keeps_the_shop_categories_of_existing_products(harness: Harness) -> None:
    harness.write_profile(products={"update_fields": ["name", "category"]})
    await harness.run(JobName.EXPORT_PRODUCTS)
    sku = simple_skus(harness)[0]
    before = product(harness, sku)["categories"]
    assert before

    harness.write_profile(products={"categories": "off", "update_fields": ["name", "category"]})
    execute(
        harness, 'UPDATE "F_ARTICLE" SET "AR_Design" = :name WHERE "AR_Ref" = :ref', name="Renommé", ref=sku
    )
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    after = product(harness, sku)
    assert after["name"] == "Renommé"
    assert after["categories"] == before


async def test_created_as_drafts_then_updates_never_unpublish(harness: Harness) -> None:
    harness.write_profile(products={"create_enabled": False, "update_fields": ["name", "status"]})
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    sku = simple_skus(harness)[0]
    created = product(harness, sku)
    assert created["status"] == "draft"
    harness.client.post(f"products/{created['id']}", {"status": "publish"})

    execute(
        harness, 'UPDATE "F_ARTICLE" SET "AR_Design" = :name WHERE "AR_Ref" = :ref', name="Renommé", ref=sku
    )
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.updated == 1, lines
    assert (product(harness, sku)["status"], product(harness, sku)["name"]) == ("publish", "Renommé")


async def test_a_product_deleted_in_the_shop_is_created_again(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    sku = simple_skus(harness)[0]
    old = product(harness, sku)
    harness.client.delete(f"products/{old['id']}", force="true")
    execute(
        harness, 'UPDATE "F_ARTICLE" SET "AR_Design" = :name WHERE "AR_Ref" = :ref', name="Renommé", ref=sku
    )

    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert (result.counts.created, result.counts.failed) == (1, 0), lines
    new = product(harness, sku)
    assert new["id"] != old["id"] and new["name"] == "Renommé"
    assert new["regular_price"] == old["regular_price"] and new["categories"] == old["categories"]

    before = writes(harness)
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.created, again.counts.updated, again.counts.failed) == (0, 0, 0), lines
    assert writes(harness) == before


async def test_a_product_in_the_trash_is_created_again(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    sku = simple_skus(harness)[1]
    old = product(harness, sku)
    harness.client.delete(f"products/{old['id']}")
    execute(
        harness, 'UPDATE "F_ARTICLE" SET "AR_Design" = :name WHERE "AR_Ref" = :ref', name="Renommé", ref=sku
    )

    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert (result.counts.created, result.counts.failed) == (1, 0), lines
    live = [p for p in harness.client.get("products", sku=sku, status="any") if p["status"] != "trash"]
    assert len(live) == 1 and live[0]["id"] != old["id"] and live[0]["name"] == "Renommé"


async def test_a_deleted_variable_product_comes_back_with_its_variations(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    parent = product(harness, "NAPPE-PROV")
    harness.client.delete(f"products/{parent['id']}", force="true")
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_PrixVen" = 61.50 WHERE "AR_Ref" = :ref', ref="NAPPE-JAU-250")

    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert (result.counts.failed, result.status) == (0, RunStatus.OK), lines
    again = product(harness, "NAPPE-PROV")
    variations = harness.client.get(f"products/{again['id']}/variations", per_page=100)
    assert len(variations) == 4
    prices = {v["sku"]: Decimal(v["regular_price"]) for v in variations}
    assert prices["NAPPE-JAU-250"] == Decimal("61.50")


async def test_unmanaged_quantity_is_the_stock_of_untracked_articles(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    sku = simple_skus(harness)[0]
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_SuiviStock" = 0 WHERE "AR_Ref" = :ref', ref=sku)
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.counts.updated == 1, lines
    assert product(harness, sku)["manage_stock"] is False, "by default the shop tracks no stock for it"

    harness.write_profile(stock={"unmanaged_quantity": 25})
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.counts.updated == 1, lines
    shown = product(harness, sku)
    assert (shown["manage_stock"], shown["stock_quantity"]) == (True, 25)


async def test_enable_products_command_disables_then_enables_again(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    sku = simple_skus(harness)[0]
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_Sommeil" = 1 WHERE "AR_Ref" = :ref', ref=sku)
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_Publie" = 0 WHERE "AR_Ref" = :ref', ref="NAPPE-BLE-150")
    done = harness.command("enable-products")
    assert done.returncode == 0, done.stdout + done.stderr
    assert product(harness, sku)["status"] == "draft", "disabled, not deleted"
    assert product(harness, "NAPPE-BLE-150")["status"] == "private", "a disabled variation"
    assert product(harness, "NAPPE-PROV")["status"] == "publish", "its other variations are sold"

    before = writes(harness)
    quiet = harness.command("enable-products")
    assert quiet.returncode == 0 and writes(harness) == before, quiet.stdout

    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_Sommeil" = 0 WHERE "AR_Ref" = :ref', ref=sku)
    back = harness.command("enable-products")
    assert back.returncode == 0, back.stdout + back.stderr
    assert product(harness, sku)["status"] == "publish"


async def test_catalogue_tree_becomes_nested_categories(harness: Harness) -> None:
    harness.write_profile(products={"categories": "catalogue"})
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    categories = {c["id"]: c for c in harness.shop_all("products/categories")}
    by_name = {c["name"]: c for c in categories.values()}
    assert by_name["Épicerie salée et sucrée"]["parent"] == by_name["Gastronomie"]["id"]
    assert by_name["Linge et vaisselle"]["parent"] == by_name["Maison"]["id"]
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                'SELECT a."AR_Ref", c."CL_Intitule" FROM "F_ARTICLE" a JOIN "F_CATALOGUE" c '
                'ON c."CL_No" = a."CL_No1" WHERE a."AR_Publie" = 1 AND a."AR_Sommeil" = 0'
            )
        ).all()
    engine.dispose()
    simple = set(simple_skus(harness))
    checked = 0
    for ref, level in rows:
        if ref.strip() in simple:
            assert [c["name"] for c in product(harness, ref.strip())["categories"]] == [level.strip()], ref
            checked += 1
    assert checked >= 3
    before = writes(harness)
    again, _ = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.created == 0 and writes(harness) == before


RTF = (
    r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 "
    r"Fruit\'e9e, {\b ar\'f4me} d\u8217?olive\par Nyons\par}"
)


async def test_texts_from_mapped_fields_and_rtf_as_html(harness: Harness) -> None:
    sku = "HUILE-NYONS-50"
    execute(harness, 'UPDATE "F_ARTICLE" SET "Description" = :rtf WHERE "AR_Ref" = :ref', rtf=RTF, ref=sku)
    harness.write_profile(
        products={
            "texts": {
                "short_description": "designation",
                "seo_title": "field:Marque",
                "seo_description": "description",
                "slug": "field:Marque",
            }
        }
    )
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    [shown] = harness.client.get("products", sku=sku, context="edit")
    assert shown["description"] == "<p>Fruitée, arôme d’olive</p>\n<p>Nyons</p>"
    assert shown["short_description"] == "Huile d'olive vierge extra AOP Nyons 50 cl"
    assert shown["slug"] == "moulin-du-ventoux"
    meta = {m["key"]: m["value"] for m in shown["meta_data"]}
    assert meta["_yoast_wpseo_title"] == "Moulin du Ventoux"
    assert meta["_yoast_wpseo_metadesc"] == "Fruitée, arôme d’olive Nyons", "one line"
    before = writes(harness)
    again, _ = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 0 and writes(harness) == before


async def test_features_become_attributes_and_dimensions_are_sent(harness: Harness) -> None:
    harness.write_profile(
        products={
            "features": {"Marque": "field:Marque", "EAN": "barcode"},
            "dimensions": {"height": "Degré d'alcool"},
            "weight": "gross",
        }
    )
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    erp = Sage100Erp(harness.company_url)
    articles = {a.reference: a for a in erp.read_articles()}
    erp.close()
    oil = articles["HUILE-NYONS-50"]
    [shown] = harness.client.get("products", sku="HUILE-NYONS-50")
    attributes = {a["name"]: (a["options"], a["variation"]) for a in shown["attributes"]}
    assert attributes == {"Marque": (["Moulin du Ventoux"], False), "EAN": ([oil.barcode], False)}
    assert Decimal(shown["weight"]) == oil.weight_gross
    wine = next(
        r for r, a in articles.items() if a.custom_fields.get("Degré d'alcool") and r in simple_skus(harness)
    )
    [bottle] = harness.client.get("products", sku=wine)
    assert Decimal(bottle["dimensions"]["height"]) == Decimal(articles[wine].custom_fields["Degré d'alcool"])
    [parent] = harness.client.get("products", sku="NAPPE-PROV")
    assert any(a["variation"] for a in parent["attributes"]), "variation attributes kept beside features"


async def test_ranges_and_packaging_units_become_variations(harness: Harness) -> None:
    execute(
        harness,
        'UPDATE "F_ARTENUMREF" SET "AE_Sommeil" = 1 WHERE "AE_Ref" = :ref',
        ref="BOL-UZES-VER",
    )
    harness.write_profile(products={"variations_from_ranges": True, "variations_from_packagings": True})
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    [bowl] = harness.client.get("products", sku="BOL-UZES")
    assert bowl["type"] == "variable"
    assert [a["options"] for a in bowl["attributes"] if a["variation"]] == [["Miel", "Bleu"]]
    cells = {v["sku"]: v for v in harness.client.get(f"products/{bowl['id']}/variations", per_page=100)}
    assert set(cells) == {"BOL-UZES-MIE", "BOL-UZES-BLE"}, "the dormant cell is not offered"
    assert Decimal(cells["BOL-UZES-BLE"]["regular_price"]) == Decimal("13.50")
    stock = expected_cell_stock(harness)
    assert cells["BOL-UZES-MIE"]["stock_quantity"] == stock["BOL-UZES-MIE"]

    [wine] = harness.client.get("products", sku="VIN-VENTOUX-RGE")
    assert wine["type"] == "variable"
    [carton] = harness.client.get(f"products/{wine['id']}/variations", per_page=100)
    assert carton["sku"] == "VIN-VENTOUX-RGE-C6" and Decimal(carton["regular_price"]) == Decimal("50.70")
    assert [a["option"] for a in carton["attributes"]] == ["Carton de 6"]
    bottles = expected_cell_stock(harness)["VIN-VENTOUX-RGE"]
    assert carton["stock_quantity"] == bottles // 6

    before = writes(harness)
    for job in (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        again, lines = await harness.run(job)
        assert (again.counts.created, again.counts.updated, again.counts.failed) == (0, 0, 0), lines
    assert writes(harness) == before

    execute(
        harness,
        'UPDATE "F_TARIFGAM" SET "TG_Prix" = 14.20 WHERE "TG_Ref" = :ref AND "TG_RefCF" = :cat',
        ref="BOL-UZES-BLE",
        cat="a01",
    )
    prices, lines = await harness.run(JobName.UPDATE_PRICES)
    assert prices.counts.updated == 1, lines
    [cell] = harness.client.get("products", sku="BOL-UZES-BLE")
    assert Decimal(cell["regular_price"]) == Decimal("14.20")


def expected_cell_stock(harness: Harness) -> dict[str, int]:
    erp = Sage100Erp(harness.company_url)
    try:
        totals: dict[str, Decimal] = {}
        for level in erp.read_stock():
            totals[level.reference] = totals.get(level.reference, Decimal(0)) + level.quantity(
                QuantityKind.AVAILABLE
            )
        return {ref: max(int(q), 0) for ref, q in totals.items()}
    finally:
        erp.close()


async def test_a_bill_of_materials_becomes_a_grouped_product(harness: Harness) -> None:
    harness.write_profile(products={"bundles": True})
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    [box] = harness.client.get("products", sku="COFFRET-GOURMAND")
    assert box["type"] == "grouped"
    erp = Sage100Erp(harness.company_url)
    components = [ref for ref, _ in erp.find_articles(["COFFRET-GOURMAND"])["COFFRET-GOURMAND"].components]
    erp.close()
    ids = [product(harness, ref)["id"] for ref in components]
    assert box["grouped_products"] == ids
    before = writes(harness)
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 0 and writes(harness) == before, lines


async def test_a_bundle_waits_for_its_components(harness: Harness) -> None:
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_Publie" = 0 WHERE "AR_Ref" = :ref', ref="TAPENADE-NOIRE")
    harness.write_profile(products={"bundles": True})
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert any(
        "COFFRET-GOURMAND : ignoré - lot en attente" in line and "TAPENADE-NOIRE" in line for line in lines
    )
    assert harness.client.get("products", sku="COFFRET-GOURMAND") == []
    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_Publie" = 1 WHERE "AR_Ref" = :ref', ref="TAPENADE-NOIRE")
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    [box] = harness.client.get("products", sku="COFFRET-GOURMAND")
    assert box["type"] == "grouped" and len(box["grouped_products"]) == 4
