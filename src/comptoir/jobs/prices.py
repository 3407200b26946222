"""Update prices: send each article's base price to the products already in the shop."""

from __future__ import annotations

from comptoir.jobs.catalog import PRICE_FIELDS, push_products, report_selection, select_articles, shop_price
from comptoir.jobs.context import JobContext
from comptoir.model import Aspect, ProductDraft


async def update_prices(ctx: JobContext) -> None:
    """Prices only; references missing from the shop are reported, not created."""
    articles = ctx.erp.read_articles()
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}
    drafts = [
        ProductDraft(sku=a.reference, regular_price=shop_price(a, rates, ctx)) for a in selection.articles
    ]
    await push_products(ctx, drafts, aspects={Aspect.PRICE: PRICE_FIELDS}, create_missing=False)
