"""Bundles from bills of materials (SPEC §3): an article made of other articles (a gift box, a
kit) becomes a bundle product once every component is in the shop.

With ``products.bundles``, an article with components (``Article.components``) is not sent as a
simple product: it waits until each component is bound in the shop (exported, or adopted by
SKU), and the journal names the ones still missing. It is then created (or updated) as a bundle
— the platform decides how (``ShopCapabilities.bundles``: PrestaShop packs with quantities,
WooCommerce grouped products) — with its own price, texts and category; its components are the
shop objects the bindings name, in the ERP's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from comptoir.jobs.catalog import PRODUCT
from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome
from comptoir.model import Article, BundleItem, ProductDraft, ProductKind
from comptoir.state import BoundObject


def bundle_articles(ctx: JobContext, articles: Sequence[Article]) -> set[str]:
    """References of the articles the profile sends as bundles."""
    if not ctx.profile.products.bundles:
        return set()
    if not ctx.capabilities.bundles:
        if any(a.components for a in articles):
            ctx.journal.warning("media.unsupported", kind=ctx.journal.t("bundle.kind"))
        return set()
    return {a.reference for a in articles if a.components}


def bundle_drafts(
    ctx: JobContext,
    drafts: Mapping[str, ProductDraft],
    articles: Sequence[Article],
    places: Mapping[str, BoundObject],
) -> list[ProductDraft]:
    """The bundle drafts whose components are all in the shop; the others are named and skipped."""
    bound = {**ctx.state.bindings(ctx.name, PRODUCT), **places}
    ready: list[ProductDraft] = []
    for article in articles:
        draft = drafts.get(article.reference)
        if draft is None:
            continue
        missing = [ref for ref, _ in article.components if ref not in bound]
        if missing:
            ctx.journal.item(
                article.reference,
                Outcome.SKIPPED,
                ctx.journal.t("bundle.waiting", missing=", ".join(missing)),
            )
            continue
        items = tuple(
            BundleItem(bound[ref].shop_id, bound[ref].parent_id, quantity)
            for ref, quantity in article.components
        )
        ready.append(replace(draft, kind=ProductKind.BUNDLE, bundle_items=items))
    return ready
