"""Update prices: send each article's base price to the products already in the shop, and with
``prices.specific_prices`` what each customer group and customer pays (``jobs/specific_prices.py``).

A price that makes no sense (missing, negative, zero unless free articles are allowed) is refused
by name and not sent (``jobs/price_check.py``). With variations by grouping, the article carrying a
group's texts has no price of its own in the shop (its variations do): it is not sent. Nor is an
article sold by range cell or packaging unit: each cell or unit sends its own price.
"""

from __future__ import annotations

from comptoir.jobs.catalog import PRICE_FIELDS, push_products, report_selection, select_articles
from comptoir.jobs.context import JobContext
from comptoir.jobs.grouping import master_references
from comptoir.jobs.price_check import checked_prices, report_refusals
from comptoir.jobs.ranges import expand
from comptoir.jobs.specific_prices import push_specific_prices
from comptoir.model import Aspect, ProductDraft


async def update_prices(ctx: JobContext) -> None:
    """Prices only; references missing from the shop are reported, not created."""
    articles = ctx.erp.read_articles()
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}
    master_field = ctx.profile.products.master_field
    carriers = master_references(articles, master_field) if master_field else set()
    expansion = expand(ctx, selection.articles)
    own = [a for a in selection.articles if a.reference not in carriers | expansion.parents]
    prices, refusals = checked_prices(ctx, [*own, *(u.article for u in expansion.units)], rates)
    report_refusals(ctx, refusals)
    drafts = [ProductDraft(sku=sku, regular_price=price) for sku, price in prices.items()]
    await push_products(ctx, drafts, aspects={Aspect.PRICE: PRICE_FIELDS}, create_missing=False)
    if ctx.profile.prices.specific_prices:
        priced = [a for a in selection.articles if a.reference in prices]
        await push_specific_prices(ctx, priced, rates, refused=[r.reference for r in refusals])
