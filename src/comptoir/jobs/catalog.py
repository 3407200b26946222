"""Shared steps of the ERP → shop catalog jobs (export products, update prices, update stock).

Each job builds neutral drafts from ERP articles, then ``push_products`` sends only what
changed: bindings say where each reference lives in the shop (found in bulk by SKU when
unknown), fingerprints say what was last sent for each aspect (catalog, price, stock).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome
from comptoir.model import (
    Article,
    Aspect,
    CategoryDraft,
    ItemResult,
    ProductDraft,
    ProductKind,
    ShopRef,
    fingerprint,
    round_money,
)
from comptoir.model.money import HUNDRED
from comptoir.profile import CategorySource, UpdatableField
from comptoir.state import BoundObject

PRODUCT = "product"
CATEGORY = "category"

PRICE_FIELDS = frozenset({"regular_price", "sale_price", "price_tiers"})
STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})
_CATALOG_FIELDS_BY_OPTION: dict[UpdatableField, frozenset[str]] = {
    UpdatableField.NAME: frozenset({"name"}),
    UpdatableField.DESCRIPTION: frozenset({"description"}),
    UpdatableField.SHORT_DESCRIPTION: frozenset({"short_description"}),
    UpdatableField.WEIGHT: frozenset({"weight"}),
    UpdatableField.BARCODE: frozenset({"barcode"}),
    UpdatableField.CATEGORY: frozenset({"category_shop_ids"}),
    UpdatableField.STATUS: frozenset({"enabled"}),
    UpdatableField.TAX: frozenset({"tax_code"}),
}
_ALWAYS_CATALOG = frozenset({"erp_reference", "attributes", "variation_options"})


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
    }


@dataclass(frozen=True, slots=True)
class Selection:
    """Articles a job will handle, and how many were left out and why."""

    articles: list[Article]
    left_out: dict[str, int]


def select_articles(ctx: JobContext, articles: Sequence[Article]) -> Selection:
    """Never dormant articles; only published ones when the profile says so."""
    published_only = ctx.profile.products.published_only
    kept: list[Article] = []
    left_out: dict[str, int] = defaultdict(int)
    for article in articles:
        if article.dormant:
            left_out["reason.dormant"] += 1
        elif published_only and not article.published:
            left_out["reason.unpublished"] += 1
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


def stock_quantities(ctx: JobContext, articles: Sequence[Article]) -> dict[str, int]:
    """Quantity per reference: chosen warehouses summed, chosen kind, negatives per the profile."""
    options = ctx.profile.stock
    warehouses = set(options.warehouses) or None
    excluded = set(options.exclude_warehouses)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for level in ctx.erp.read_stock(warehouses):
        if level.warehouse in excluded:
            continue
        totals[level.reference] += level.quantity(options.quantity)
    result: dict[str, int] = {}
    for article in articles:
        if not article.stock_managed:
            result[article.reference] = options.unmanaged_quantity
            continue
        quantity = int(totals.get(article.reference, Decimal(0)))
        result[article.reference] = max(quantity, 0) if options.negative_as_zero else quantity
    return result


async def ensure_categories(ctx: JobContext, articles: Sequence[Article]) -> dict[str, str]:
    """Family code → shop category id; missing categories are found by name or created."""
    if ctx.profile.products.categories is CategorySource.OFF:
        return {}
    wanted = {a.family_code for a in articles}
    families = {c.key: c for c in ctx.erp.read_categories() if c.key in wanted}
    bound = {k: b.shop_id for k, b in ctx.state.bindings(ctx.name, CATEGORY).items() if k in families}
    unbound = [families[k] for k in sorted(families) if k not in bound]
    if not unbound:
        ctx.journal.info("categories.plan", bound=len(bound), adopted=0, create=0)
        return bound
    by_name = {c.name.casefold(): c.shop_id for c in await ctx.shop.list_categories()}
    adopted = {c.key: by_name[c.name.casefold()] for c in unbound if c.name.casefold() in by_name}
    to_create = [c for c in unbound if c.key not in adopted]
    ctx.journal.info("categories.plan", bound=len(bound), adopted=len(adopted), create=len(to_create))
    created: dict[str, str] = {}
    if to_create and not ctx.dry_run:
        results = await ctx.shop.create_categories([CategoryDraft(c.key, c.name) for c in to_create])
        for result in results:
            if result.ok and result.shop_id is not None:
                created[result.key] = result.shop_id
            else:
                ctx.journal.error("category.failed", key=result.key, error=_describe(result))
    fresh = adopted | created
    if not ctx.dry_run:
        ctx.state.bind(ctx.name, CATEGORY, {k: BoundObject(v, None) for k, v in fresh.items()})
    return bound | fresh


async def resolve_products(ctx: JobContext, skus: Sequence[str]) -> dict[str, BoundObject]:
    """Where each SKU lives in the shop: bindings first, then one bulk lookup for the rest."""
    bound = ctx.state.bindings(ctx.name, PRODUCT)
    unknown = [sku for sku in skus if sku not in bound]
    if not unknown:
        return bound
    found = await ctx.shop.find_products(unknown)
    adopted = {sku: BoundObject(ref.shop_id, ref.parent_id) for sku, ref in found.items()}
    if adopted and not ctx.dry_run:
        ctx.state.bind(ctx.name, PRODUCT, adopted)
    return bound | adopted


def _describe(result: ItemResult) -> str:
    error = result.error
    if error is None:
        return ""
    where = f" [{error.field}]" if error.field else ""
    return f"{error.code}{where}: {error.message}"


def _changed_fields(
    draft: ProductDraft,
    aspects: Mapping[Aspect, frozenset[str]],
    sent: Mapping[Aspect, dict[str, str]],
) -> tuple[set[str], dict[Aspect, str]]:
    fields: set[str] = set()
    digests: dict[Aspect, str] = {}
    for aspect, names in aspects.items():
        digest = fingerprint(draft, set(names))
        if sent[aspect].get(draft.sku) != digest:
            fields |= names
            digests[aspect] = digest
    return fields, digests


async def push_products(
    ctx: JobContext,
    drafts: Sequence[ProductDraft],
    *,
    aspects: Mapping[Aspect, frozenset[str]],
    create_missing: bool,
) -> None:
    """Create missing products (when allowed) and update changed aspects of existing ones."""
    journal = ctx.journal
    where = await resolve_products(ctx, [d.sku for d in drafts])
    sent = {aspect: ctx.state.fingerprints(ctx.name, PRODUCT, aspect) for aspect in all_aspect_fields(ctx)}
    creation_aspects = all_aspect_fields(ctx)

    creates: list[ProductDraft] = []
    updates: list[tuple[ShopRef, ProductDraft]] = []
    update_digests: dict[str, dict[Aspect, str]] = {}
    missing: list[str] = []
    unchanged = 0
    for draft in drafts:
        place = where.get(draft.sku)
        if place is None:
            if create_missing:
                creates.append(draft)
            else:
                missing.append(draft.sku)
            continue
        fields, digests = _changed_fields(draft, aspects, sent)
        if not fields:
            unchanged += 1
            continue
        if place.parent_id and draft.kind is not ProductKind.VARIATION:
            draft = replace(draft, kind=ProductKind.VARIATION)
        updates.append((ShopRef(place.shop_id, place.parent_id, draft.sku, draft.kind), draft.only(fields)))
        update_digests[draft.sku] = digests

    if missing:
        sample = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        journal.warning("item.not_in_shop", count=len(missing), sample=sample)
        journal.tally(Outcome.SKIPPED, len(missing))
    if unchanged:
        journal.info("unchanged.summary", count=unchanged)
        journal.tally(Outcome.UNCHANGED, unchanged)
    journal.plan(len(creates) + len(updates))

    if ctx.dry_run:
        for draft in creates:
            journal.item(draft.sku, Outcome.CREATED, draft.name or "", would=True)
        for _ref, draft in updates:
            journal.item(draft.sku, Outcome.UPDATED, _field_list(draft), would=True)
        return

    results = (
        {r.key: r for r in await ctx.shop.save_products(creates, updates)} if (creates or updates) else {}
    )
    new_bindings: dict[str, BoundObject] = {}
    recorded: dict[Aspect, dict[str, str]] = defaultdict(dict)
    for draft in creates:
        result = results.get(draft.sku)
        if result is None or not result.ok or result.shop_id is None:
            journal.item(
                draft.sku, Outcome.FAILED, _describe(result) if result else "no answer from the shop"
            )
            continue
        new_bindings[draft.sku] = BoundObject(result.shop_id, result.parent_id)
        for aspect, names in creation_aspects.items():
            recorded[aspect][draft.sku] = fingerprint(draft, set(names))
        journal.item(draft.sku, Outcome.CREATED, f"id {result.shop_id}")
    for _ref, draft in updates:
        result = results.get(draft.sku)
        if result is None or not result.ok:
            journal.item(
                draft.sku, Outcome.FAILED, _describe(result) if result else "no answer from the shop"
            )
            continue
        for aspect, digest in update_digests[draft.sku].items():
            recorded[aspect][draft.sku] = digest
        journal.item(draft.sku, Outcome.UPDATED, _field_list(draft))
    ctx.state.bind(ctx.name, PRODUCT, new_bindings)
    for aspect, by_sku in recorded.items():
        ctx.state.record_fingerprints(ctx.name, PRODUCT, aspect, by_sku)


def _field_list(draft: ProductDraft) -> str:
    names = [
        name
        for name in ProductDraft.__dataclass_fields__
        if name not in {"sku", "kind", "parent_sku", "erp_reference"} and getattr(draft, name) is not None
    ]
    return ", ".join(names)
