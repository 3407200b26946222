"""Update stock: send each article's quantity (chosen warehouses and kind) to the shop.

With ``stock.per_warehouse``, each warehouse's (or warehouse group's) quantity goes with it, for
shops that can hold them (``jobs/warehouses.py``). Withdrawn articles (put to sleep, or no longer
published) are disabled in the shop and enabled again when they come back
(``jobs/availability.py``).

With variations by grouping, the article carrying a group's texts is the variable product, whose
stock is its variations': its own quantity is not sent (export sends the variable product without
one, and an update must not turn on a product-level stock the shop would then count). The same
holds for an article sold by range cell or packaging unit: each cell or unit sends its stock.

With ``stock.incremental``, a run reads only the articles whose stock or record changed since the
last one, and only their stock rows, with a periodic full read (``jobs/stock_window.py``).
"""

from __future__ import annotations

from comptoir.jobs.availability import sync_availability
from comptoir.jobs.catalog import (
    STOCK_FIELDS,
    article_stock,
    push_products,
    report_selection,
    select_articles,
)
from comptoir.jobs.context import JobContext
from comptoir.jobs.grouping import master_references
from comptoir.jobs.ranges import expand, unit_quantity
from comptoir.jobs.stock_window import close_stock_window, read_stock_window, variable_products
from comptoir.model import Aspect, ProductDraft


async def update_stock(ctx: JobContext, *, full: bool = False) -> None:
    """Stock only; references missing from the shop are reported, not created. With
    ``stock.incremental``, only what changed since the last run is read (``jobs/stock_window.py``)
    unless ``full``."""
    read = read_stock_window(ctx, full=full)
    articles = read.articles
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    master_field = ctx.profile.products.master_field
    carriers = master_references(articles, master_field) if master_field else set()
    if not read.full:
        carriers |= variable_products(ctx, [a.reference for a in articles])
    expansion = expand(ctx, selection.articles)
    stocked = [a for a in selection.articles if a.reference not in carriers]
    cells = [u.article for u in expansion.units if u.per is None]
    stock = article_stock(ctx, [*stocked, *cells], stock_of=read.stock_of)
    quantities = {ref: figures.quantity for ref, figures in stock.items()}
    for unit in expansion.units:
        if unit.per is not None:
            quantities[unit.article.reference] = unit_quantity(quantities.get(unit.parent), unit.per)
    sent = [a.reference for a in stocked if a.reference not in expansion.parents]
    sent += [u.article.reference for u in expansion.units]
    drafts = [
        ProductDraft(
            sku=sku,
            manage_stock=quantities[sku] is not None,
            stock_quantity=quantities[sku],
            warehouse_quantities=stock[sku].per_warehouse if sku in stock else None,
        )
        for sku in sent
    ]
    report = await push_products(ctx, drafts, aspects={Aspect.STOCK: STOCK_FIELDS}, create_missing=False)
    await sync_availability(ctx, articles, carriers)
    article_of = {u.article.reference: u.parent for u in expansion.units}
    failed = {article_of.get(sku, sku) for sku in report.failed}
    close_stock_window(ctx, read, failed)
