"""Export products, update prices, update stock: against the sandbox shop as a real server.

Each test checks what the shop holds afterwards against the ERP database, and that a second
run sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import QuantityKind


def erp_view(harness: Harness) -> Sage100Erp:
    return Sage100Erp(harness.company_url)


def sellable(harness: Harness) -> dict[str, object]:
    erp = erp_view(harness)
    try:
        return {a.reference: a for a in erp.read_articles() if a.published and not a.dormant}
    finally:
        erp.close()


def expected_stock(harness: Harness, warehouses: set[str] | None = None) -> dict[str, int]:
    erp = erp_view(harness)
    try:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for level in erp.read_stock(warehouses):
            totals[level.reference] += level.quantity(QuantityKind.AVAILABLE)
        return {ref: max(int(q), 0) for ref, q in totals.items()}
    finally:
        erp.close()


def execute(harness: Harness, sql: str, **params: object) -> None:
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


MASTER = "Référence mère"


async def test_export_products_creates_everything_once_then_nothing(harness: Harness) -> None:
    articles = sellable(harness)
    masters = {a.custom_fields[MASTER] for a in articles.values() if a.custom_fields.get(MASTER)}  # type: ignore[attr-defined]
    assert masters, "the demo company groups some articles as variations"
    stock = expected_stock(harness)
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    assert result.counts.created == len(articles) + len(masters)
    assert result.counts.skipped >= 2, "the dormant and the unpublished articles are skipped"

    found = harness.client.get("products", sku=",".join(sorted(articles)), per_page=100)
    products = {p["sku"]: p for p in found}
    assert set(products) == set(articles)
    for ref, article in articles.items():
        product = products[ref]
        master = article.custom_fields.get(MASTER)  # type: ignore[attr-defined]
        if master:
            assert product["type"] == "variation" and product["parent_id"], ref
        else:
            assert product["name"] == article.designation  # type: ignore[attr-defined]
            assert product["categories"], f"{ref} has no category"
        assert Decimal(product["regular_price"]) == article.sale_price.quantize(Decimal("0.01"))  # type: ignore[attr-defined]
        if article.stock_managed:  # type: ignore[attr-defined]
            assert product["stock_quantity"] == stock.get(ref, 0)
        assert {"key": "_comptoir_reference", "value": ref} in [
            {"key": m["key"], "value": m["value"]} for m in product["meta_data"]
        ]
    categories = {c["name"] for c in harness.shop_all("products/categories")}
    erp = erp_view(harness)
    families = {c.key: c.name for c in erp.read_categories()}
    erp.close()
    used = {families[a.family_code] for a in articles.values()}  # type: ignore[attr-defined]
    assert used <= categories

    writes_before = _writes(harness)
    again, _ = await harness.run(JobName.EXPORT_PRODUCTS)
    assert (again.counts.created, again.counts.updated, again.counts.failed) == (0, 0, 0)
    assert again.counts.unchanged == len(articles) + len(masters)
    assert _writes(harness) == writes_before, "an unchanged catalog must not be written again"


async def test_grouped_articles_become_one_variable_product(harness: Harness) -> None:
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    [parent] = harness.client.get("products", sku="NAPPE-PROV")
    assert parent["type"] == "variable"
    assert parent["name"] == "Nappe provençale"
    attributes = {a["name"]: sorted(a["options"]) for a in parent["attributes"]}
    assert attributes == {"Couleur": ["Bleue", "Jaune"], "Dimensions": ["150 x 150 cm", "150 x 250 cm"]}
    variations = harness.client.get(f"products/{parent['id']}/variations", per_page=100)
    by_sku = {v["sku"]: {a["name"]: a["option"] for a in v["attributes"]} for v in variations}
    assert by_sku["NAPPE-JAU-250"] == {"Couleur": "Jaune", "Dimensions": "150 x 250 cm"}
    assert len(by_sku) == 4

    execute(harness, 'UPDATE "F_ARTICLE" SET "AR_PrixVen" = 61.50 WHERE "AR_Ref" = :ref', ref="NAPPE-JAU-250")
    prices, lines = await harness.run(JobName.UPDATE_PRICES)
    assert prices.counts.updated == 1, lines
    [variation] = harness.client.get("products", sku="NAPPE-JAU-250")
    assert Decimal(variation["regular_price"]) == Decimal("61.50")


async def test_update_stock_follows_the_chosen_warehouses(harness: Harness) -> None:
    await harness.run(JobName.EXPORT_PRODUCTS)
    ref = sorted(r for r, a in sellable(harness).items() if a.stock_managed)[1]  # type: ignore[attr-defined]
    execute(
        harness,
        'UPDATE "F_ARTSTOCK" SET "AS_QteSto" = 40, "AS_QteRes" = 3 WHERE "AR_Ref" = :ref AND "DE_No" = 1',
        ref=ref,
    )
    result, lines = await harness.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK, lines
    assert result.counts.updated == 1
    [product] = harness.client.get("products", sku=ref)
    assert product["stock_quantity"] == expected_stock(harness)[ref]

    harness.write_profile(stock={"warehouses": [1]})
    only_first = expected_stock(harness, {"1"})
    result, _ = await harness.run(JobName.UPDATE_STOCK)
    assert result.status is RunStatus.OK
    [product] = harness.client.get("products", sku=ref)
    assert product["stock_quantity"] == only_first[ref] == 37


def _writes(harness: Harness) -> int:
    stats = harness.server.stats
    return sum(
        n for route, n in stats.by_route.items() if route.split(" ")[0] in {"POST", "PUT", "PATCH", "DELETE"}
    )
