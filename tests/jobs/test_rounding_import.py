"""Orders that differ from the ERP by rounding alone go in; the ERP stores the shop's total.

Random ordinary orders are placed in the sandbox shop over HTTP (the demo catalog at 20, 10 and
5.5 %, quantities, a percent coupon, shipping, guests and registered customers) and imported into
the demo company. The refusals a profile that refuses rounding differences would make are
counted with a dry run, then the default profile imports every order: none is refused, each one
the journal reports as adjusted says what moved, and ``F_DOCENTETE.DO_TotalTTC`` equals the
shop's total for all of them.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.sandbox.woocommerce.demo_shop import place_random_orders

D = Decimal
ADJUSTED = "arrondi de la boutique reporté"


def query(harness: Harness, sql: str, **params: object) -> list[dict[str, Any]]:
    engine = create_engine(harness.company_url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(text(sql), params).mappings()]
    engine.dispose()
    return rows


def execute(harness: Harness, sql: str, **params: object) -> None:
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def reprice(harness: Harness, seed: int) -> None:
    """Ordinary shop prices (12.49, 7.95…) instead of the demo's round ones."""
    chance = random.Random(seed)
    erp = Sage100Erp(harness.company_url)
    references = sorted(a.reference for a in erp.read_articles())
    erp.close()
    for reference in references:
        price = D(chance.randint(150, 9_999)) / 100
        execute(harness, f'UPDATE "F_ARTICLE" SET "AR_PrixVen" = {price} WHERE "AR_Ref" = :r', r=reference)


async def export_catalog(harness: Harness) -> list[dict[str, Any]]:
    for job in (JobName.EXPORT_PRODUCTS, JobName.EXPORT_CUSTOMERS):
        result, lines = await harness.run(job)
        assert result.status is RunStatus.OK, lines
    erp = Sage100Erp(harness.company_url)
    skus = sorted(a.reference for a in erp.read_articles() if a.published and not a.dormant)
    erp.close()
    return [
        p
        for start in range(0, len(skus), 50)
        for p in harness.client.get("products", sku=",".join(skus[start : start + 50]), per_page=100)
    ]


def stored_totals(harness: Harness) -> dict[str, D]:
    rows = query(harness, 'SELECT "DO_NoWeb", "DO_TotalTTC" FROM "F_DOCENTETE" WHERE "DO_NoWeb" <> \'\'')
    return {r["DO_NoWeb"]: D(str(r["DO_TotalTTC"])).quantize(D("0.01")) for r in rows}


async def test_two_hundred_random_orders_none_refused_for_rounding(harness: Harness) -> None:
    reprice(harness, seed=2026)
    products = await export_catalog(harness)
    placed = place_random_orders(harness.client, products, 200, seed=2026)

    harness.write_profile(orders={"rounding": "refuse"})
    _, lines = await harness.run(JobName.IMPORT_ORDERS, dry_run=True)
    would_refuse = [line for line in lines if "écart de total" in line]
    assert all("arrondi de la TVA" in line for line in would_refuse), would_refuse
    assert 20 <= len(would_refuse) <= 100, f"{len(would_refuse)} of 200 differ by rounding"

    harness.write_profile()
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    failed = [line for line in lines if "en échec" in line]
    assert (result.counts.created, result.counts.failed) == (200, 0), failed
    adjusted = [line for line in lines if ADJUSTED in line]
    assert len(adjusted) == len(would_refuse), "exactly the orders a refusing profile would refuse"
    assert all("lignes en TTC aux montants de la boutique" in line for line in adjusted)
    assert stored_totals(harness) == placed
    ttc_documents = query(
        harness, 'SELECT COUNT(DISTINCT "DO_Piece") AS n FROM "F_DOCLIGNE" WHERE "DL_TTC" = 1'
    )[0]["n"]
    assert ttc_documents == len(adjusted)


async def test_a_tax_inclusive_shop_gets_tax_inclusive_documents(harness: Harness) -> None:
    harness.client.post("settings/tax/woocommerce_prices_include_tax", {"value": "yes"})
    harness.write_profile(prices={"include_tax": True})
    products = await export_catalog(harness)
    [soap] = [p for p in products if p["sku"] == "SAVON-MARSEILLE"]
    assert D(soap["regular_price"]) == D("5.40"), "prices are sent with tax (4.50 + 20 %)"
    placed = place_random_orders(harness.client, products, 40, seed=7)

    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (40, 0), lines
    assert stored_totals(harness) == placed
    flags = query(harness, 'SELECT DISTINCT "DL_TTC" AS ttc FROM "F_DOCLIGNE"')
    assert flags == [{"ttc": 1}]
    for shop_id, total in placed.items():
        [header] = query(harness, 'SELECT * FROM "F_DOCENTETE" WHERE "DO_NoWeb" = :o', o=shop_id)
        rows = query(
            harness, 'SELECT "DL_MontantTTC" FROM "F_DOCLIGNE" WHERE "DO_Piece" = :p', p=header["DO_Piece"]
        )
        shipping = D(str(header["DO_ValFrais"] or 0))
        assert sum((D(str(r["DL_MontantTTC"])) for r in rows), shipping).quantize(D("0.01")) == total


async def test_the_rounding_can_go_on_a_rounding_line(harness: Harness) -> None:
    execute(
        harness,
        'INSERT INTO "F_TAXE" ("TA_No", "TA_Code", "TA_Intitule", "TA_Taux", "TA_TTaux", "TA_Type", '
        "\"TA_Sens\", \"CG_Num\", \"TA_Regroup\") VALUES (4, 'C00', 'Exonéré', 0, 0, 0, 1, '4457120', 'C00')",
    )
    harness.write_profile(
        orders={
            "rounding": "rounding_line",
            "rounding_article": "DIVERS",
            "tax_codes": {"20": "C20", "10": "C10", "5.5": "C05", "0": "C00"},
        }
    )
    products = await export_catalog(harness)
    placed = place_random_orders(harness.client, products, 30, seed=11)
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert (result.counts.created, result.counts.failed) == (30, 0), lines
    assert stored_totals(harness) == placed
    adjusted = [line for line in lines if ADJUSTED in line]
    assert adjusted and all("ligne d'arrondi DIVERS de" in line for line in adjusted), adjusted
    rounding = query(
        harness,
        'SELECT "DL_MontantHT", "DL_MontantTTC", "DL_CodeTaxe1", "DL_TTC" FROM "F_DOCLIGNE" '
        "WHERE \"AR_Ref\" = 'DIVERS'",
    )
    assert len(rounding) == len(adjusted)
    for row in rounding:
        assert row["DL_CodeTaxe1"] == "C00" and row["DL_TTC"] == 0
        assert D(str(row["DL_MontantHT"])) == D(str(row["DL_MontantTTC"]))
        assert 0 < abs(D(str(row["DL_MontantHT"]))) <= D("0.05")


async def test_a_missing_rounding_setting_stops_the_import_by_name(harness: Harness) -> None:
    harness.write_profile(orders={"rounding": "rounding_line"})
    result, lines = await harness.run(JobName.IMPORT_ORDERS)
    assert result.status is RunStatus.ABORTED
    assert any('orders.rounding_article, orders.tax_codes["0"]' in line for line in lines), lines
