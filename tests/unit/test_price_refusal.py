"""Which ERP prices are refused before reaching the shop, and why (the message key and values)."""

from __future__ import annotations

from decimal import Decimal

from comptoir.jobs.price_check import price_refusal
from comptoir.model import Article


def article(price: str | None, field: str = "AR_PrixVen") -> Article:
    return Article(
        reference="REF",
        designation="Article",
        family_code="F",
        sale_price=Decimal(price) if price is not None else None,
        price_field=field,
    )


def reason(
    price: str | None, shop: str | None, *, allow_free: bool = False
) -> tuple[str, dict[str, str]] | None:
    found = price_refusal(
        article(price), Decimal(shop) if shop is not None else None, allow_free=allow_free, decimals=2
    )
    return (found.message, dict(found.values)) if found else None


def test_sensible_prices_pass() -> None:
    assert reason("12.5", "12.50") is None
    assert reason("0.01", "0.01") is None


def test_missing_negative_and_zero_prices_are_refused_with_their_field() -> None:
    assert reason(None, None) == ("price.missing", {"field": "AR_PrixVen"})
    assert reason("-5", "-5.00") == ("price.negative", {"field": "AR_PrixVen", "price": "-5"})
    assert reason("-5", "-5.00", allow_free=True) is not None, "free articles do not allow negative prices"
    assert reason("0", "0.00") == ("price.zero", {"field": "AR_PrixVen"})
    assert reason("0.004", "0.00") == (
        "price.rounds_to_zero",
        {"field": "AR_PrixVen", "price": "0.0040", "decimals": "2"},
    )


def test_free_articles_when_the_profile_allows_them() -> None:
    assert reason("0", "0.00", allow_free=True) is None
    assert reason("0.004", "0.00", allow_free=True) is None
    assert reason(None, None, allow_free=True) == ("price.missing", {"field": "AR_PrixVen"})


def test_the_field_names_where_the_price_comes_from() -> None:
    found = price_refusal(article(None, "F_TARIFGAM.TG_Prix"), None, allow_free=False, decimals=2)
    assert found is not None and found.values["field"] == "F_TARIFGAM.TG_Prix"
