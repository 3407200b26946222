"""Update stock: send each article's quantity (chosen warehouses and kind) to the shop."""

from __future__ import annotations

from comptoir.jobs.catalog import (
    STOCK_FIELDS,
    push_products,
    report_selection,
    select_articles,
    stock_quantities,
)
from comptoir.jobs.context import JobContext
from comptoir.model import Aspect, ProductDraft


async def update_stock(ctx: JobContext) -> None:
    """Stock only; references missing from the shop are reported, not created."""
    articles = ctx.erp.read_articles()
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    quantities = stock_quantities(ctx, selection.articles)
    drafts = [
        ProductDraft(
            sku=a.reference,
            manage_stock=a.stock_managed,
            stock_quantity=quantities[a.reference] if a.stock_managed else None,
        )
        for a in selection.articles
    ]
    await push_products(ctx, drafts, aspects={Aspect.STOCK: STOCK_FIELDS}, create_missing=False)
