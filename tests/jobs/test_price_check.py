"""Prices that make no sense never reach the shop: export products, update prices, variations.

Each test breaks prices in the demo company's database (NULL, negative, zero, a price that rounds
to nothing), runs the job against the sandbox shop and checks the shop itself: the broken articles
are neither created nor updated, each is named with its ERP field, the others go through.
"""

from __future__ import annotations

from decimal import Decimal

from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.sage100 import Sage100Erp
from comptoir.jobs.runner import JobName, RunStatus

NO_PRICE = "BOL-UZES"
NEGATIVE = "CARAFE-BIOT"
FREE = "SAVON-MARSEILLE"
TINY = "PLANCHE-OLIVIER"


def set_price(harness: Harness, reference: str, price: str | None) -> None:
    """The article's sale price, as Sage's article form sets it: a price of 0 takes the coefficient
    to 0 too (else the price would come from purchase price × coefficient)."""
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        value = "NULL" if price is None else str(Decimal(price))
        coef = ', "AR_Coef" = 0' if price is not None and Decimal(price) == 0 else ""
        conn.execute(
            text(f'UPDATE "F_ARTICLE" SET "AR_PrixVen" = {value}{coef} WHERE "AR_Ref" = :r'), {"r": reference}
        )
    engine.dispose()


def sellable_count(harness: Harness) -> int:
    erp = Sage100Erp(harness.company_url)
    try:
        return sum(1 for a in erp.read_articles() if a.published and not a.dormant)
    finally:
        erp.close()


def shop_price(harness: Harness, sku: str) -> Decimal | None:
    found = harness.client.get("products", sku=sku)
    return Decimal(found[0]["regular_price"]) if found else None


def refusal(lines: list[str], reference: str) -> str:
    [line] = [line for line in lines if f"Article {reference} non envoyé" in line]
    return line


async def test_export_refuses_missing_negative_and_zero_prices_by_name(harness: Harness) -> None:
    set_price(harness, NO_PRICE, None)
    set_price(harness, NEGATIVE, "-5")
    set_price(harness, FREE, "0")
    set_price(harness, TINY, "0.004")
    groups = 2  # NAPPE-PROV and TABLIER-LIN, sent as variable products
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)

    assert result.status is RunStatus.ITEMS_FAILED
    assert result.counts.failed == 4
    assert result.counts.created == sellable_count(harness) - 4 + groups, "the run goes on"
    assert "prix de vente vide (AR_PrixVen)" in refusal(lines, NO_PRICE)
    assert "prix de vente négatif (AR_PrixVen = -5)" in refusal(lines, NEGATIVE)
    assert "prix de vente nul (AR_PrixVen = 0)" in refusal(lines, FREE)
    assert "arrondi à 0 avec 2 décimale(s)" in refusal(lines, TINY)
    for sku in (NO_PRICE, NEGATIVE, FREE, TINY):
        assert shop_price(harness, sku) is None, f"{sku} must not be created"
    assert shop_price(harness, "PASTIS-ARTISAN") == Decimal("24.00")

    harness.write_profile(prices={"allow_free_articles": True})
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.failed == 2, lines
    assert again.counts.created == 2, "the free article and the one at 0.004 (sent at 0.00)"
    assert shop_price(harness, FREE) == Decimal("0.00")
    assert shop_price(harness, TINY) == Decimal("0.00")
    assert shop_price(harness, NO_PRICE) is None and shop_price(harness, NEGATIVE) is None
    assert "prix de vente vide" in refusal(lines, NO_PRICE)


async def test_update_prices_keeps_the_shop_price_of_a_refused_article(harness: Harness) -> None:
    harness.write_profile(language="en")
    exported, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert exported.status is RunStatus.OK, lines
    set_price(harness, NO_PRICE, None)
    set_price(harness, NEGATIVE, "-5")
    set_price(harness, FREE, "0")
    set_price(harness, "PASTIS-ARTISAN", "25.50")

    result, lines = await harness.run(JobName.UPDATE_PRICES)
    assert result.status is RunStatus.ITEMS_FAILED
    assert (result.counts.failed, result.counts.updated) == (3, 1), lines
    assert any("Article BOL-UZES not sent: sale price empty (AR_PrixVen)" in line for line in lines), lines
    assert any(
        "Article CARAFE-BIOT not sent: negative sale price (AR_PrixVen = -5)" in line for line in lines
    )
    assert any("Article SAVON-MARSEILLE not sent: zero sale price" in line for line in lines)
    assert shop_price(harness, NO_PRICE) == Decimal("12.00")
    assert shop_price(harness, NEGATIVE) == Decimal("38.00")
    assert shop_price(harness, FREE) == Decimal("4.50")
    assert shop_price(harness, "PASTIS-ARTISAN") == Decimal("25.50")

    set_price(harness, NO_PRICE, "12.40")
    fixed, lines = await harness.run(JobName.UPDATE_PRICES)
    assert (fixed.counts.failed, fixed.counts.updated) == (2, 1), lines
    assert shop_price(harness, NO_PRICE) == Decimal("12.40")


async def test_a_variation_with_a_bad_price_leaves_its_group_without_it(harness: Harness) -> None:
    set_price(harness, "NAPPE-JAU-250", None)
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.ITEMS_FAILED
    assert result.counts.failed == 1
    assert "AR_PrixVen" in refusal(lines, "NAPPE-JAU-250")
    assert not any("Regroupement NAPPE-PROV refusé" in line for line in lines), (
        "the group stays complete in the ERP: it is sent without the refused variation"
    )
    [parent] = harness.client.get("products", sku="NAPPE-PROV")
    variations = harness.client.get(f"products/{parent['id']}/variations", per_page=100)
    assert sorted(v["sku"] for v in variations) == ["NAPPE-BLE-150", "NAPPE-BLE-250", "NAPPE-JAU-150"]
    assert shop_price(harness, "NAPPE-JAU-250") is None

    set_price(harness, "NAPPE-JAU-250", "52")
    set_price(harness, "NAPPE-BLE-250", "-1")
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.created == 1, lines
    assert shop_price(harness, "NAPPE-JAU-250") == Decimal("52.00")
    assert "négatif" in refusal(lines, "NAPPE-BLE-250")
    assert shop_price(harness, "NAPPE-BLE-250") == Decimal("49.00"), (
        "an existing variation keeps the shop's price"
    )
