"""Catalog options end to end on PrestaShop: the Sage demo company, the PrestaShop sandbox as a
real server; each test checks the products the shop holds afterwards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import tomli_w
from ps_harness import PsHarness

from comptoir.demo.images import png, write_images
from comptoir.demo.runner import demo_profile
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.profile import load_profile
from comptoir.sandbox.prestashop.demo_shop import GIFT_CARD_SKU


def configure(ps: PsHarness, **sections: Any) -> None:
    """The demo profile with ``sections`` merged in."""
    data = demo_profile(ps.workdir, ps.erp_table, ps.sandbox, ps.demo.profile_options())
    for name, values in sections.items():
        data[name] = {**data.get(name, {}), **values}
    (ps.workdir / "profile.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    ps.profile = load_profile(ps.workdir / "profile.toml")


def product(ps: PsHarness, reference: str) -> dict[str, Any]:
    [found] = ps.shop("products", **{"filter[reference]": f"[{reference}]"})
    return found


def simple_references(ps: PsHarness) -> list[str]:
    return sorted(
        p["reference"]
        for p in ps.shop("products")
        if p["reference"] != GIFT_CARD_SKU and p["product_type"] != "combinations"
    )


def rename(ps: PsHarness, reference: str, name: str) -> None:
    ps.erp('UPDATE "F_ARTICLE" SET "AR_Design" = :n WHERE "AR_Ref" = :r', n=name, r=reference)


def names(item: dict[str, Any]) -> set[str]:
    value = item["name"]
    return {v["value"] for v in value} if isinstance(value, list) else {str(value)}


async def test_categories_off_keeps_the_categories_of_existing_products(ps: PsHarness) -> None:
    configure(ps, products={"update_fields": ["name", "category"]})
    await ps.run(JobName.EXPORT_PRODUCTS)
    reference = simple_references(ps)[0]
    before = product(ps, reference)
    assert before["id_category_default"] not in ("0", "1", "2")

    configure(ps, products={"categories": "off", "update_fields": ["name", "category"]})
    rename(ps, reference, "Renommé")
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    after = product(ps, reference)
    assert "Renommé" in names(after)
    assert after["id_category_default"] == before["id_category_default"]
    assert after["associations"]["categories"] == before["associations"]["categories"]


async def test_created_disabled_and_never_disabled_by_an_update(ps: PsHarness) -> None:
    configure(ps, products={"create_enabled": False, "update_fields": ["name", "status"]})
    await ps.run(JobName.EXPORT_PRODUCTS)
    reference = simple_references(ps)[0]
    created = product(ps, reference)
    assert created["active"] == "0"
    ps.sandbox.client.patch("products", "product", created["id"], {"active": "1"})

    rename(ps, reference, "Renommé")
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.counts.updated == 1, lines
    after = product(ps, reference)
    assert after["active"] == "1" and "Renommé" in names(after)


async def test_a_product_deleted_in_the_shop_is_created_again(ps: PsHarness) -> None:
    await ps.run(JobName.EXPORT_PRODUCTS)
    reference = simple_references(ps)[0]
    old = product(ps, reference)
    ps.sandbox.client.delete("products", old["id"])
    rename(ps, reference, "Renommé")

    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert (result.status, result.counts.created, result.counts.failed) == (RunStatus.OK, 1, 0), lines
    new = product(ps, reference)
    assert new["id"] != old["id"] and "Renommé" in names(new) and new["price"] == old["price"]
    writes = ps.writes()
    again, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.created, again.counts.updated) == (0, 0), lines
    assert ps.writes() == writes


async def test_enable_products_follows_dormant_articles(ps: PsHarness) -> None:
    await ps.run(JobName.EXPORT_PRODUCTS)
    reference = simple_references(ps)[0]
    ps.erp('UPDATE "F_ARTICLE" SET "AR_Sommeil" = 1 WHERE "AR_Ref" = :r', r=reference)
    result, lines = await ps.run(JobName.ENABLE_PRODUCTS)
    assert (result.status, result.counts.updated) == (RunStatus.OK, 1), lines
    assert product(ps, reference)["active"] == "0"
    ps.erp('UPDATE "F_ARTICLE" SET "AR_Sommeil" = 0 WHERE "AR_Ref" = :r', r=reference)
    result, lines = await ps.run(JobName.ENABLE_PRODUCTS)
    assert result.counts.updated == 1, lines
    assert product(ps, reference)["active"] == "1"


async def test_catalogue_tree_becomes_nested_categories(ps: PsHarness) -> None:
    configure(ps, products={"categories": "catalogue"})
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    categories = {str(c["id"]): c for c in ps.shop("categories")}
    by_name = {n: c for c in categories.values() for n in names(c)}
    assert str(by_name["Épicerie salée et sucrée"]["id_parent"]) == str(by_name["Gastronomie"]["id"])
    assert str(by_name["Linge et vaisselle"]["id_parent"]) == str(by_name["Maison"]["id"])
    rows = ps.erp(
        'SELECT a."AR_Ref" AS ref, c."CL_Intitule" AS level FROM "F_ARTICLE" a JOIN "F_CATALOGUE" c '
        'ON c."CL_No" = a."CL_No1" WHERE a."AR_Publie" = 1 AND a."AR_Sommeil" = 0'
    )
    simple = set(simple_references(ps))
    checked = [r for r in rows if r["ref"].strip() in simple]
    assert len(checked) >= 3
    for row in checked:
        shown = product(ps, row["ref"].strip())
        assert names(categories[str(shown["id_category_default"])]) == {row["level"].strip()}, row


RTF = (
    r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 "
    r"Fruit\'e9e, {\b ar\'f4me} d\u8217?olive\par Nyons\par}"
)


async def test_texts_from_mapped_fields_and_rtf_as_html(ps: PsHarness) -> None:
    reference = "HUILE-NYONS-50"
    ps.erp('UPDATE "F_ARTICLE" SET "Description" = :rtf WHERE "AR_Ref" = :r', rtf=RTF, r=reference)
    configure(ps, products={"texts": {"seo_title": "field:Marque", "slug": "field:Marque"}})
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    shown = product(ps, reference)

    def text(value: Any) -> str:
        return str(value[0]["value"]) if isinstance(value, list) else str(value)

    assert text(shown["description"]) == "<p>Fruitée, arôme d’olive</p>\n<p>Nyons</p>"
    assert text(shown["link_rewrite"]) == "moulin-du-ventoux"
    assert text(shown["meta_title"]) == "Moulin du Ventoux"


async def test_images_are_uploaded_once_and_replaced_when_changed(ps: PsHarness) -> None:
    articles = [a for a in ps.articles() if a.published and not a.dormant]
    folder = ps.workdir / "images"
    write_images(folder, [a.reference for a in articles])
    configure(ps, products={"images": {"enabled": True, "folder": str(folder)}, "update_fields": ["images"]})
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    uploads = ps.sandbox.stats.by_route
    simple = simple_references(ps)
    for reference in simple:
        shown = product(ps, reference)
        [image] = shown["associations"]["images"]
        data = ps.sandbox.client.image(shown["id"], image["id"])
        assert data == (folder / f"{reference}.png").read_bytes(), reference
    writes = ps.writes() + sum(n for r, n in uploads.items() if r.startswith("DELETE"))
    again, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.updated, again.counts.failed) == (0, 0), lines
    assert ps.writes() + sum(n for r, n in uploads.items() if r.startswith("DELETE")) == writes, "no upload"

    reference = simple[0]
    (folder / f"{reference}.png").write_bytes(png(16, 16, (1, 2, 3)))
    third, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert third.status is RunStatus.OK, lines
    shown = product(ps, reference)
    [image] = shown["associations"]["images"]
    data = ps.sandbox.client.image(shown["id"], image["id"])
    assert data == png(16, 16, (1, 2, 3)), "the new image replaced the old one"

    (folder / f"{reference}.png").write_bytes(b"not a picture at all")
    refused, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert refused.status is RunStatus.ITEMS_FAILED, lines
    assert any(reference in line for line in lines if "échec" in line), lines
    shown = product(ps, reference)
    assert shown["associations"]["images"] == [image], "the product still shows its image"
    assert ps.sandbox.client.image(shown["id"], image["id"]) == png(16, 16, (1, 2, 3))


async def test_dimensions_and_gross_weight_are_sent(ps: PsHarness) -> None:
    configure(
        ps,
        products={
            "dimensions": {"height": "Degré d'alcool"},
            "weight": "gross",
            "features": {"EAN": "barcode"},
        },
    )
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert any("caractéristiques non envoyé(e)s" in line for line in lines), lines
    articles = {a.reference: a for a in ps.articles()}
    simple = simple_references(ps)
    wine = next(r for r in simple if articles[r].custom_fields.get("Degré d'alcool"))
    shown = product(ps, wine)
    assert Decimal(shown["height"]) == Decimal(articles[wine].custom_fields["Degré d'alcool"])
    assert Decimal(shown["weight"]) == articles[wine].weight_gross


async def test_ranges_and_packaging_units_become_combinations(ps: PsHarness) -> None:
    configure(ps, products={"variations_from_ranges": True, "variations_from_packagings": True})
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    bowl = product(ps, "BOL-UZES")
    assert bowl["product_type"] == "combinations"
    combinations = {c["reference"]: c for c in ps.shop("combinations")}
    assert {"BOL-UZES-MIE", "BOL-UZES-VER", "BOL-UZES-BLE", "VIN-VENTOUX-RGE-C6"} <= set(combinations)
    assert Decimal(combinations["BOL-UZES-BLE"]["price"]) == Decimal("13.50")
    assert Decimal(combinations["VIN-VENTOUX-RGE-C6"]["price"]) == Decimal("50.70")
    assert str(combinations["BOL-UZES-BLE"]["id_product"]) == str(bowl["id"])
    writes = ps.writes()
    for job in (JobName.EXPORT_PRODUCTS, JobName.UPDATE_PRICES, JobName.UPDATE_STOCK):
        again, lines = await ps.run(job)
        assert (again.counts.created, again.counts.updated, again.counts.failed) == (0, 0, 0), lines
    assert ps.writes() == writes


async def test_a_bill_of_materials_becomes_a_pack(ps: PsHarness) -> None:
    configure(ps, products={"bundles": True})
    result, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    box = product(ps, "COFFRET-GOURMAND")
    assert box["type"] == "pack"
    rows = box["associations"]["product_bundle"]
    components = ps.erp('SELECT "NO_RefDet" AS ref, "NO_Qte" AS qty FROM "F_NOMENCLAT" ORDER BY "NO_Ordre"')
    assert [str(r["id"]) for r in rows] == [str(product(ps, c["ref"].strip())["id"]) for c in components]
    assert [int(r["quantity"]) for r in rows] == [int(c["qty"]) for c in components]
    writes = ps.writes()
    again, lines = await ps.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 0 and ps.writes() == writes, lines
