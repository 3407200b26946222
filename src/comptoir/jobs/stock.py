"""Update stock: send each article's quantity (chosen warehouses and kind) to the shop.

With variations by grouping, the article carrying a group's texts is the variable product, whose
stock is its variations': its own quantity is not sent (export sends the variable product without
one, and an update must not turn on a product-level stock the shop would then count).
"""

from __future__ import annotations

from comptoir.jobs.catalog import (
    STOCK_FIELDS,
    push_products,
    report_selection,
    select_articles,
    stock_quantities,
)
from comptoir.jobs.context import JobContext
from comptoir.jobs.grouping import master_references
from comptoir.model import Aspect, ProductDraft


async def update_stock(ctx: JobContext) -> None:
    """Stock only; references missing from the shop are reported, not created."""
    articles = ctx.erp.read_articles()
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    master_field = ctx.profile.products.master_field
    carriers = master_references(articles, master_field) if master_field else set()
    stocked = [a for a in selection.articles if a.reference not in carriers]
    quantities = stock_quantities(ctx, stocked)
    drafts = [
        ProductDraft(
            sku=a.reference,
            manage_stock=quantities[a.reference] is not None,
            stock_quantity=quantities[a.reference],
        )
        for a in stocked
    ]
    await push_products(ctx, drafts, aspects={Aspect.STOCK: STOCK_FIELDS}, create_missing=False)
