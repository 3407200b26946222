"""Export products: create and update shop products from ERP articles, categories first.

With a master-reference field in the profile, articles sharing a master reference are sent as
the variations of one variable product (``jobs/grouping.py``). Withdrawn articles (put to sleep,
or no longer published) are disabled in the shop, and enabled again when they come back
(``jobs/availability.py``).

An article whose price makes no sense (``jobs/price_check.py``) fails alone and is neither
created nor updated. A variation refused for its price is left out of its group like an
unpublished article: the group goes on with its other variations, and the refused combination is
not offered (an existing variation keeps what the shop has). The article carrying a group's texts
(its reference is the master reference) sends no price of its own, so its price is not checked.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from comptoir.jobs.availability import sync_availability
from comptoir.jobs.bundles import bundle_articles, bundle_drafts
from comptoir.jobs.catalog import (
    PRICE_FIELDS,
    STATUS_FIELDS,
    STOCK_FIELDS,
    ArticleStock,
    article_stock,
    catalog_fields,
    push_products,
    report_selection,
    select_articles,
)
from comptoir.jobs.categories import ensure_categories
from comptoir.jobs.context import JobContext
from comptoir.jobs.grouping import Group, group_articles, master_references
from comptoir.jobs.incremental import close_window, read_window
from comptoir.jobs.media import erp_pictures, find_files, push_media
from comptoir.jobs.price_check import checked_prices, report_refusals
from comptoir.jobs.push import Pieces, PushReport
from comptoir.jobs.ranges import Expansion, Unit, attributes_of, expand, unit_quantity
from comptoir.jobs.status import status_drafts
from comptoir.jobs.texts import article_texts, dimensions, features
from comptoir.journal import Outcome
from comptoir.model import Article, Aspect, MediaKind, ProductDraft, ProductKind, clean_draft, clean_text
from comptoir.profile import CategorySource, UpdatableField


def product_draft(
    ctx: JobContext,
    article: Article,
    *,
    price: Decimal,
    quantity: int | None,
    categories: Mapping[str, tuple[str, ...]],
    per_warehouse: tuple[tuple[str, int], ...] | None = None,
) -> ProductDraft:
    """The full draft of one simple product (creation sends all of it)."""
    texts = article_texts(ctx, article)
    width, height, depth = dimensions(ctx, article)
    weight = article.weight_gross if ctx.profile.products.weight == "gross" else article.weight_net
    draft = ProductDraft(
        sku=article.reference,
        name=texts.name,
        description=texts.description,
        short_description=texts.short_description,
        seo_title=texts.seo_title,
        seo_description=texts.seo_description,
        slug=texts.slug,
        regular_price=price,
        enabled=True,
        category_shop_ids=_categories(ctx, categories.get(article.reference)),
        manage_stock=quantity is not None,
        stock_quantity=quantity,
        warehouse_quantities=per_warehouse,
        weight=weight or None,
        width=width,
        height=height,
        depth=depth,
        features=features(ctx, article),
        barcode=article.barcode or None,
        tax_code=article.tax_code,
        erp_reference=article.reference,
    )
    return clean_draft(draft)


async def send_media(
    ctx: JobContext, drafts: Sequence[ProductDraft], articles: Sequence[Article], report: PushReport
) -> None:
    """Images and documents of the products just created, and of every product when an update may
    overwrite them (``images`` / ``documents`` in ``products.update_fields``)."""
    options = ctx.profile.products
    kinds = {d.sku: d.kind for d in drafts}
    created = set(report.created)
    for kind, wanted_option, field, able in (
        (MediaKind.IMAGE, options.images, UpdatableField.IMAGES, ctx.capabilities.images),
        (MediaKind.DOCUMENT, options.documents, UpdatableField.DOCUMENTS, ctx.capabilities.product_documents),
    ):
        if not wanted_option.enabled:
            continue
        if not able:
            ctx.journal.warning("media.unsupported", kind=ctx.journal.t(f"media.{kind.value}s"))
            continue
        allowed = field in options.update_fields
        places = {
            sku: (place, kinds[sku])
            for sku, place in report.places.items()
            if sku in kinds and (allowed or sku in created)
        }
        skus = list(places)
        if kind is MediaKind.IMAGE:
            images = options.images
            files = find_files(
                images.folder, skus, extensions=images.extensions, subfolders=images.subfolders
            )
            if images.from_erp:
                for sku, paths in erp_pictures(ctx, [a for a in articles if a.reference in places]).items():
                    files[sku] = [*files.get(sku, []), *paths]
            replace_others = images.replace_shop_images
        else:
            documents = options.documents
            files = find_files(documents.folder, skus, extensions=documents.extensions, subfolders=True)
            replace_others = documents.replace_shop_documents
        done = await push_media(ctx, kind, files, places, replace_others=replace_others)
        if done.products:
            ctx.journal.info(
                "media.summary",
                kind=ctx.journal.t(f"media.{kind.value}s"),
                products=done.products,
                uploaded=done.uploaded,
                deleted=done.deleted,
                would=ctx.journal.t("media.would") if ctx.dry_run else "",
            )


def report_expansion(ctx: JobContext, expansion: Expansion) -> None:
    """Cells and units that cannot be sold (no reference of their own), one failure each."""
    for reference, problem in expansion.problems:
        ctx.journal.error("variation.refused", reference=reference, problem=problem)
        ctx.journal.tally(Outcome.FAILED, 1)
    if expansion.units:
        ctx.journal.info(
            "variation.summary", products=len(expansion.parents), variations=len(expansion.units)
        )


def _expansion_units(expansion: Expansion, prices: Mapping[str, Decimal]) -> dict[str, list[Unit]]:
    """Parent reference → its cells or units whose price is accepted (the others are not offered),
    for the articles sold by range cell or packaging unit that have any."""
    by_parent: dict[str, list[Unit]] = {}
    for unit in expansion.units:
        if unit.article.reference in prices:
            by_parent.setdefault(unit.parent, []).append(unit)
    return {ref: by_parent[ref] for ref in expansion.articles if ref in by_parent}


@dataclass(frozen=True, slots=True)
class _Family:
    """A product and its variations, known by their keys (the product's first) before their
    drafts are built: a single article, a group by master reference, or an article sold by
    range cell or packaging unit (``units``)."""

    keys: list[str]
    group: Group | None = None
    units: list[Unit] | None = None


class _DraftBuilder:
    """Builds the drafts of a family from the articles, their prices, stock and categories."""

    def __init__(
        self,
        ctx: JobContext,
        priced: Sequence[Article],
        expansion: Expansion,
        prices: Mapping[str, Decimal],
        stock: Mapping[str, ArticleStock],
        categories: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.ctx = ctx
        self.articles = {a.reference: a for a in priced}
        self.expansion = expansion
        self.prices = prices
        self.stock = stock
        self.categories = categories

    def single(self, reference: str) -> ProductDraft:
        """The full draft of one simple product (a group's variation starts from it)."""
        figures = self.stock[reference]
        return product_draft(
            self.ctx,
            self.articles[reference],
            price=self.prices[reference],
            quantity=figures.quantity,
            categories=self.categories,
            per_warehouse=figures.per_warehouse,
        )

    def build(self, family: _Family) -> list[ProductDraft]:
        """The family's drafts, in the order of its keys."""
        if family.group is not None:
            members = {a.reference: self.single(a.reference) for a in family.group.articles}
            return group_drafts(self.ctx, family.group, members, self.categories)
        if family.units is not None:
            return self.ranged(family.keys[0], family.units)
        return [self.single(family.keys[0])]

    def ranged(self, reference: str, units: Sequence[Unit]) -> list[ProductDraft]:
        """The variable product of an article sold by range cell or packaging unit, then its
        variations; a cell's stock is its own, a unit's the article's in whole units."""
        ctx = self.ctx
        article = self.expansion.articles[reference]
        base = product_draft(ctx, article, price=Decimal(0), quantity=None, categories=self.categories)
        drafts = [
            replace(
                base,
                kind=ProductKind.VARIABLE,
                regular_price=None,
                manage_stock=None,
                stock_quantity=None,
                barcode=None,
                attributes=attributes_of(units),
            )
        ]
        for unit in units:
            if unit.per is None:
                quantity = self._quantity(unit.article.reference)
            else:
                quantity = unit_quantity(self._quantity(reference), unit.per)
            variation = product_draft(
                ctx, unit.article, price=self.prices[unit.article.reference], quantity=quantity, categories={}
            )
            drafts.append(
                replace(
                    variation,
                    kind=ProductKind.VARIATION,
                    parent_sku=reference,
                    name=None,
                    short_description=None,
                    seo_title=None,
                    seo_description=None,
                    slug=None,
                    category_shop_ids=None,
                    features=None,
                    variation_options=unit.options,
                )
            )
        return drafts

    def _quantity(self, reference: str) -> int | None:
        figures = self.stock.get(reference)
        return None if figures is None else figures.quantity

    def pieces(
        self,
        families: Sequence[_Family],
        bundles: Collection[str],
        built: list[ProductDraft],
        kits: list[ProductDraft],
    ) -> Iterator[list[ProductDraft]]:
        """Each family's drafts, built when asked for; kits (``bundles``) are put aside in
        ``kits`` (they are sent after their components), every other draft in ``built`` too."""
        for family in families:
            drafts = self.build(family)
            if any(d.sku in bundles for d in drafts):
                kits += [d for d in drafts if d.sku in bundles]
                drafts = [d for d in drafts if d.sku not in bundles]
            built += drafts
            yield drafts


def _categories(ctx: JobContext, ids: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The categories a draft carries: none at all (``None``: the shop's are left as they are)
    when categories are off or the article has no shop category."""
    if ctx.profile.products.categories is CategorySource.OFF or not ids:
        return None
    return ids


def group_drafts(
    ctx: JobContext,
    group: Group,
    variations: Mapping[str, ProductDraft],
    categories: Mapping[str, tuple[str, ...]],
) -> list[ProductDraft]:
    """The variable product of a group, then its variations (parents are created first), texts
    cleaned (the variations' drafts come cleaned: only their options are new)."""
    first = group.carrier or group.articles[0]
    texts = article_texts(ctx, first)
    name = group.name(lambda article: article_texts(ctx, article).name)
    parent = ProductDraft(
        sku=group.master,
        kind=ProductKind.VARIABLE,
        name=name,
        description=name if ctx.profile.products.texts.description == "designation" else texts.description,
        short_description=texts.short_description,
        seo_title=texts.seo_title,
        seo_description=texts.seo_description,
        slug=texts.slug,
        enabled=True,
        category_shop_ids=_categories(ctx, categories.get(first.reference)),
        tax_code=variations[group.articles[0].reference].tax_code,
        attributes=group.attributes,
        features=features(ctx, first),
        erp_reference=group.master,
    )
    children = [
        replace(
            variations[article.reference],
            kind=ProductKind.VARIATION,
            parent_sku=group.master,
            name=None,
            short_description=None,
            seo_title=None,
            seo_description=None,
            slug=None,
            category_shop_ids=None,
            variation_options=tuple(
                (clean_text(n), clean_text(v)) for n, v in group.options[article.reference]
            ),
            features=None,
        )
        for article in group.articles
    ]
    return [clean_draft(parent), *children]


async def export_products(ctx: JobContext, *, full: bool = False) -> None:
    """Create missing products and update what the profile lets an update overwrite (with
    ``products.incremental``, of the articles changed since the last run unless ``full``)."""
    options = ctx.profile.products
    articles, window = read_window(ctx, full=full)
    complete = window is None or window.start is None
    selection = select_articles(ctx, articles)
    report_selection(ctx, len(articles), selection)
    categories = await ensure_categories(ctx, selection.articles)
    if options.categories is not CategorySource.OFF and not ctx.dry_run:
        homeless = sorted({a.reference for a in selection.articles} - set(categories))
        if homeless:
            sample = ", ".join(homeless[:10]) + (" …" if len(homeless) > 10 else "")
            ctx.journal.warning("category.missing", count=len(homeless), sample=sample)
    if options.features and not ctx.capabilities.features:
        ctx.journal.warning("media.unsupported", kind=ctx.journal.t("media.features"))
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}
    carriers = master_references(articles, options.master_field) if options.master_field else set()
    expansion = expand(ctx, selection.articles)
    report_expansion(ctx, expansion)
    own = [a for a in selection.articles if a.reference not in carriers | expansion.parents]
    prices, refusals = checked_prices(ctx, [*own, *(u.article for u in expansion.units)], rates)
    report_refusals(ctx, refusals)
    failed = {r.reference for r in refusals} | {ref for ref, _ in expansion.problems}
    bundles = bundle_articles(ctx, own)
    priced = [a for a in own if a.reference in prices]
    cells = [u.article for u in expansion.units if u.per is None]
    # An incremental run reads the stock rows of the articles it read, not of the whole catalog.
    stock_of = None if complete else {a.reference for a in [*articles, *expansion.articles.values()]}
    stock = article_stock(ctx, [*priced, *expansion.articles.values(), *cells], stock_of=stock_of)
    priced_refs = [a.reference for a in priced]
    families = [_Family([a.reference]) for a in priced]
    if options.master_field:
        grouping = group_articles(
            articles, options.master_field, options.attribute_fields, selected=priced_refs
        )
        for problem in grouping.problems:
            failed |= set(problem.references)
            ctx.journal.error("group.refused", master=problem.master, problem=problem.message)
            ctx.journal.tally(Outcome.FAILED, len(problem.references))
        if grouping.groups:
            ctx.journal.info(
                "group.summary",
                groups=len(grouping.groups),
                variations=sum(len(g.articles) for g in grouping.groups),
            )
        families = [_Family([a.reference]) for a in grouping.singles]
        families += [
            _Family([g.master, *(a.reference for a in g.articles)], group=g) for g in grouping.groups
        ]
    for reference, units in _expansion_units(expansion, prices).items():
        families.append(_Family([reference, *(u.article.reference for u in units)], units=units))
    update_fields = options.update_fields
    aspects = {Aspect.CATALOG: catalog_fields(update_fields)}
    if UpdatableField.PRICE in update_fields:
        aspects[Aspect.PRICE] = PRICE_FIELDS
    if UpdatableField.STOCK in update_fields:
        aspects[Aspect.STOCK] = STOCK_FIELDS
    if UpdatableField.STATUS in update_fields:
        aspects[Aspect.STATUS] = STATUS_FIELDS
    # The drafts are built family by family while the first ones are sent (``Pieces``); what
    # builds them (every article's stock and price) is held by the builder alone, let go after
    # the push. A group's first drafts (one per article) live only while the group is built.
    to_send: list[ProductDraft] = []
    kits: list[ProductDraft] = []
    builder = _DraftBuilder(ctx, priced, expansion, prices, stock, categories)
    del stock, prices
    keys = [(key, key) for family in families for key in family.keys if key not in bundles]
    pieces = builder.pieces(families, bundles, to_send, kits)
    report = await push_products(ctx, Pieces(keys, pieces), aspects=aspects, create_missing=True)
    del builder, pieces, keys
    if kits:
        kit_articles = [a for a in own if a.reference in bundles]
        ready = bundle_drafts(ctx, {d.sku: d for d in kits}, kit_articles, report.places)
        kit_report = await push_products(ctx, ready, aspects=aspects, create_missing=True)
        report.places |= kit_report.places
        report.created += kit_report.created
        report.failed |= kit_report.failed
        to_send += ready
    await send_media(ctx, to_send, selection.articles, report)
    if UpdatableField.STATUS in update_fields:
        sent = {d.sku for d in to_send}
        active = {a.reference for a in selection.articles}
        left_out = [
            d
            for d in status_drafts(ctx, articles, active, bound_only=True, complete=complete)
            if d.sku not in sent
        ]
        if left_out:
            await push_products(ctx, left_out, aspects={Aspect.STATUS: STATUS_FIELDS}, create_missing=False)
    else:
        await sync_availability(ctx, articles, carriers)
    close_window(ctx, window, articles, failed | set(report.failed))
