"""Shared steps of the ERP → shop catalog jobs (export products, update prices, update stock).

Each job builds neutral drafts from ERP articles, then ``push_products`` sends only what
changed: bindings say where each reference lives in the shop (found in bulk by SKU when
unknown), fingerprints say what was last sent for each aspect (catalog, price, stock).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from comptoir.jobs.context import JobContext
from comptoir.jobs.push import Pieces, PushReport, Resource, push
from comptoir.jobs.warehouses import WarehousePlan, stock_figures
from comptoir.journal import Outcome
from comptoir.model import (
    Article,
    Aspect,
    ItemResult,
    ProductDraft,
    ProductKind,
    ShopRef,
    round_money,
)
from comptoir.model.money import HUNDRED
from comptoir.profile import UpdatableField
from comptoir.state import BoundObject

PRODUCT = "product"

PRICE_FIELDS = frozenset({"regular_price", "sale_price"})
STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity", "warehouse_quantities"})
STATUS_FIELDS = frozenset({"enabled"})
_CATALOG_FIELDS_BY_OPTION: dict[UpdatableField, frozenset[str]] = {
    UpdatableField.NAME: frozenset({"name"}),
    UpdatableField.DESCRIPTION: frozenset({"description"}),
    UpdatableField.SHORT_DESCRIPTION: frozenset({"short_description"}),
    UpdatableField.WEIGHT: frozenset({"weight"}),
    UpdatableField.DIMENSIONS: frozenset({"width", "height", "depth"}),
    UpdatableField.BARCODE: frozenset({"barcode"}),
    UpdatableField.CATEGORY: frozenset({"category_shop_ids"}),
    UpdatableField.TAX: frozenset({"tax_code"}),
    UpdatableField.SEO: frozenset({"seo_title", "seo_description"}),
    UpdatableField.SLUG: frozenset({"slug"}),
}
_ALWAYS_CATALOG = frozenset({"erp_reference", "attributes", "variation_options", "features", "bundle_items"})


def catalog_fields(update_fields: Iterable[UpdatableField]) -> frozenset[str]:
    """Draft fields an update of the catalog aspect may carry, per the profile."""
    result = set(_ALWAYS_CATALOG)
    for option in update_fields:
        result |= _CATALOG_FIELDS_BY_OPTION.get(option, frozenset())
    return frozenset(result)


def all_aspect_fields(ctx: JobContext) -> dict[Aspect, frozenset[str]]:
    """Each aspect's fields: what a creation records fingerprints for."""
    return {
        Aspect.CATALOG: catalog_fields(ctx.profile.products.update_fields),
        Aspect.PRICE: PRICE_FIELDS,
        Aspect.STOCK: STOCK_FIELDS,
        Aspect.STATUS: STATUS_FIELDS,
    }


@dataclass(frozen=True, slots=True)
class Selection:
    """Articles a job will handle, and how many were left out and why."""

    articles: list[Article]
    left_out: dict[str, int]


def select_articles(ctx: JobContext, articles: Sequence[Article]) -> Selection:
    """Never dormant articles; only published ones when the profile says so; none of a family the
    ERP does not publish when ``products.skip_unpublished_families``."""
    options = ctx.profile.products
    hidden: set[str] = set()
    if options.skip_unpublished_families:
        hidden = {c.key for c in ctx.erp.read_categories() if not c.published}
    kept: list[Article] = []
    left_out: dict[str, int] = defaultdict(int)
    for article in articles:
        if article.dormant:
            left_out["reason.dormant"] += 1
        elif options.published_only and not article.published:
            left_out["reason.unpublished"] += 1
        elif article.family_code in hidden:
            left_out["reason.family_unpublished"] += 1
        else:
            kept.append(article)
    return Selection(kept, dict(left_out))


def report_selection(ctx: JobContext, read: int, selection: Selection) -> None:
    ctx.journal.info("read.articles", count=read, selected=len(selection.articles))
    for reason, count in selection.left_out.items():
        ctx.journal.info("filter.skipped", count=count, reason=ctx.journal.t(reason))
        ctx.journal.tally(Outcome.SKIPPED, count)


def shop_price(article: Article, rates: Mapping[str, Decimal], ctx: JobContext) -> Decimal | None:
    """The base price as the shop expects it (with or without tax), rounded to the profile's decimals;
    ``None`` when the article has no price (``jobs/price_check.py`` refuses it)."""
    options = ctx.profile.prices
    price = article.sale_price
    if price is None:
        return None
    rate = rates.get(article.tax_code, Decimal(0))
    if article.price_includes_tax and not options.include_tax:
        price = price * HUNDRED / (HUNDRED + rate)
    elif options.include_tax and not article.price_includes_tax:
        price = price * (HUNDRED + rate) / HUNDRED
    return round_money(price, options.decimals)


@dataclass(frozen=True, slots=True)
class ArticleStock:
    """What the shop receives of an article's stock: the quantity it sells from and, when asked
    and the shop can hold them, each warehouse key's quantity."""

    quantity: int | None
    """None: the shop tracks no stock for the article (``manage_stock`` off)."""
    per_warehouse: tuple[tuple[str, int], ...] | None = None


def article_stock(
    ctx: JobContext, articles: Sequence[Article], *, stock_of: Collection[str] | None = None
) -> dict[str, ArticleStock]:
    """Per reference: chosen warehouses summed (groups and exclusions per ``jobs/warehouses.py``),
    chosen quantity kind, negatives per the profile. An article whose stock the ERP does not track
    gets ``stock.unmanaged_quantity``; ``None`` (the default) means the shop tracks no stock for it.

    The ERP's stock rows are streamed and summed as they come, only for ``articles``; with
    ``stock_of`` (article references, range cells included under them) only those articles' rows
    are read."""
    options = ctx.profile.stock
    plan = WarehousePlan.from_options(options)
    keys: list[str] = []
    if options.per_warehouse:
        if ctx.capabilities.per_warehouse_stock:
            keys = sorted({plan.key(w.key) for w in ctx.erp.read_warehouses() if plan.counts(w.key)})
        else:
            ctx.journal.warning("stock.per_warehouse_unsupported", platform=ctx.profile.shop.kind)
    wanted = {a.reference for a in articles if a.stock_managed}
    levels = ctx.erp.stream_stock(set(options.warehouses) or None, articles=stock_of)
    figures = stock_figures(levels, plan, options.quantity, only=wanted, per_key=bool(keys))

    def shown(value: Decimal) -> int:
        quantity = int(value)
        return max(quantity, 0) if options.negative_as_zero else quantity

    result: dict[str, ArticleStock] = {}
    for article in articles:
        if not article.stock_managed:
            result[article.reference] = ArticleStock(options.unmanaged_quantity)
            continue
        ref = article.reference
        by_key = figures.by_key.get(ref, {})
        per_warehouse = tuple((k, shown(by_key.get(k, Decimal(0)))) for k in keys) if keys else None
        result[ref] = ArticleStock(shown(figures.totals.get(ref, Decimal(0))), per_warehouse)
    return result


def product_resource(ctx: JobContext) -> Resource[ProductDraft]:
    """Products and variations for the push engine: keyed and found by SKU.

    A draft says what the ERP wants (``enabled`` for an active article); a creation sends it
    disabled when ``products.create_enabled`` is off, and only a creation: an update never
    turns a live product into a draft."""

    async def find(skus: list[str]) -> dict[str, BoundObject]:
        found = await ctx.shop.find_products(skus)
        return {sku: BoundObject(ref.shop_id, ref.parent_id) for sku, ref in found.items()}

    async def save(
        creates: Sequence[ProductDraft], updates: Sequence[tuple[BoundObject, ProductDraft]]
    ) -> list[ItemResult]:
        refs = [(ShopRef(p.shop_id, p.parent_id, d.sku, d.kind), d) for p, d in updates]
        return await ctx.shop.save_products(creates, refs)

    def as_created(draft: ProductDraft) -> ProductDraft:
        if draft.enabled and not ctx.profile.products.create_enabled:
            return replace(draft, enabled=False)
        return draft

    def as_variation(place: BoundObject, draft: ProductDraft) -> ProductDraft:
        if place.parent_id and draft.kind is not ProductKind.VARIATION:
            return replace(draft, kind=ProductKind.VARIATION)
        return draft

    return Resource(
        kind=PRODUCT,
        key=lambda d: d.sku,
        natural_key=lambda d: d.sku,
        find=find,
        save=save,
        only=lambda d, names: d.only(names),
        prepare_update=as_variation,
        prepare_create=as_created,
        parent_key=lambda d: d.parent_sku,
        describe=lambda d: d.name or "",
    )


async def push_products(
    ctx: JobContext,
    drafts: Sequence[ProductDraft] | Pieces[ProductDraft],
    *,
    aspects: Mapping[Aspect, frozenset[str]],
    create_missing: bool,
) -> PushReport:
    """Create missing products (when allowed) and update changed aspects of existing ones
    (``Pieces``: drafts built while the first are sent)."""
    return await push(
        ctx,
        product_resource(ctx),
        drafts,
        aspects=aspects,
        creation_aspects=all_aspect_fields(ctx),
        create_missing=create_missing,
        update_detail=_field_list,
    )


def _field_list(draft: ProductDraft) -> str:
    names = [
        name
        for name in ProductDraft.__dataclass_fields__
        if name not in {"sku", "kind", "parent_sku", "erp_reference"} and getattr(draft, name) is not None
    ]
    return ", ".join(names)
