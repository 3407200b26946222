"""Prices that make no sense never reach the shop (SPEC §4).

An article whose sale price is missing, negative or zero (unless ``prices.allow_free_articles``),
or whose shop price rounds to zero at the profile's decimals, fails alone: the journal names the
reference and the ERP field, the article is neither created nor updated in the shop, and the run
goes on with the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from comptoir.jobs.catalog import shop_price
from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome
from comptoir.model import ZERO, Article, format_money


@dataclass(frozen=True, slots=True)
class PriceRefusal:
    """Why one article's price is not sent: a message key and its values."""

    reference: str
    message: str
    values: Mapping[str, str]


def price_refusal(
    article: Article, price: Decimal | None, *, allow_free: bool, decimals: int
) -> PriceRefusal | None:
    """What is wrong with ``article``'s price (``price`` is the shop price computed from it), if anything."""
    values = {"field": article.price_field}
    raw = article.sale_price
    if raw is None or price is None:
        return PriceRefusal(article.reference, "price.missing", values)
    if raw < ZERO:
        return PriceRefusal(article.reference, "price.negative", {**values, "price": f"{raw:f}"})
    if allow_free:
        return None
    if raw == ZERO:
        return PriceRefusal(article.reference, "price.zero", values)
    if price <= ZERO:
        shown = format_money(raw, max(decimals + 2, 4))
        return PriceRefusal(
            article.reference, "price.rounds_to_zero", {**values, "price": shown, "decimals": str(decimals)}
        )
    return None


def checked_prices(
    ctx: JobContext, articles: Iterable[Article], rates: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], list[PriceRefusal]]:
    """The shop price of each article whose price makes sense, and the refusals of the others."""
    options = ctx.profile.prices
    prices: dict[str, Decimal] = {}
    refusals: list[PriceRefusal] = []
    for article in articles:
        price = shop_price(article, rates, ctx)
        refusal = price_refusal(
            article, price, allow_free=options.allow_free_articles, decimals=options.decimals
        )
        if refusal is not None:
            refusals.append(refusal)
        elif price is not None:
            prices[article.reference] = price
    return prices, refusals


def report_refusals(ctx: JobContext, refusals: Iterable[PriceRefusal]) -> None:
    """One error line per refused article, counted as failed."""
    for refusal in refusals:
        reason = ctx.journal.t(refusal.message, **refusal.values)
        ctx.journal.error("price.refused", reference=refusal.reference, reason=reason)
        ctx.journal.tally(Outcome.FAILED, 1)
