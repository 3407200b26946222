"""Export products: create and update shop products from ERP articles, categories first."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from comptoir.jobs.catalog import (
    PRICE_FIELDS,
    STOCK_FIELDS,
    catalog_fields,
    ensure_categories,
    push_products,
    report_selection,
    select_articles,
    shop_price,
    stock_quantities,
)
from comptoir.jobs.context import JobContext
from comptoir.model import Article, Aspect, ProductDraft
from comptoir.profile import CategorySource, UpdatableField


def product_draft(
    ctx: JobContext,
    article: Article,
    *,
    price: Decimal,
    quantity: int,
    categories: Mapping[str, str],
) -> ProductDraft:
    """The full draft of one simple product (creation sends all of it)."""
    options = ctx.profile.products
    description = {
        "designation": article.designation,
        "description": article.description,
        "none": None,
    }[options.description_field]
    category = categories.get(article.family_code)
    return ProductDraft(
        sku=article.reference,
        name=article.designation,
        description=description,
        regular_price=price,
        enabled=options.create_enabled,
        category_shop_ids=(category,) if category else (),
        manage_stock=article.stock_managed,
        stock_quantity=quantity if article.stock_managed else None,
        weight=article.weight_net or None,
        barcode=article.barcode or None,
        tax_class=options.tax_classes.get(article.tax_code, options.default_tax_class),
        meta={options.erp_reference_meta: article.reference},
    )


async def export_products(ctx: JobContext) -> None:
    """Create missing products and update what the profile lets an update overwrite."""
    articles = ctx.erp.read_articles()
    selection = select_articles(ctx, articles, published_only=ctx.profile.products.published_only)
    report_selection(ctx, len(articles), selection)
    categories = await ensure_categories(ctx, selection.articles)
    if ctx.profile.products.categories is not CategorySource.OFF and not ctx.dry_run:
        for family in sorted({a.family_code for a in selection.articles} - set(categories)):
            ctx.journal.warning("category.missing", family=family)
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}
    quantities = stock_quantities(ctx, selection.articles)
    drafts = [
        product_draft(
            ctx,
            article,
            price=shop_price(article, rates, ctx),
            quantity=quantities[article.reference],
            categories=categories,
        )
        for article in selection.articles
    ]
    update_fields = ctx.profile.products.update_fields
    aspects = {Aspect.CATALOG: catalog_fields(update_fields)}
    if UpdatableField.PRICE in update_fields:
        aspects[Aspect.PRICE] = PRICE_FIELDS
    if UpdatableField.STOCK in update_fields:
        aspects[Aspect.STOCK] = STOCK_FIELDS
    await push_products(ctx, drafts, aspects=aspects, create_missing=True)
