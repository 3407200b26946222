"""Withdrawn articles: disabled in the shop (never deleted), enabled again when they come back.

An article is withdrawn when the ERP puts it to sleep, or when it is no longer published and the
profile exports published articles only. Its shop product (or variation) is disabled once; the
``availability`` fingerprint remembers that comptoir did it, so that the product is enabled again
when the article comes back — and only then: a product disabled by shop staff, or created
disabled, is never enabled by this. The article carrying a group's texts is the variable product
itself and is left alone (its variations follow their own articles).
"""

from __future__ import annotations

from collections.abc import Sequence

from comptoir.jobs.catalog import PRODUCT, push_products
from comptoir.jobs.context import JobContext
from comptoir.model import Article, Aspect, ProductDraft, fingerprint

FIELDS = frozenset({"enabled"})


def withdrawn(ctx: JobContext, article: Article) -> bool:
    return article.dormant or (ctx.profile.products.published_only and not article.published)


async def sync_availability(ctx: JobContext, articles: Sequence[Article], carriers: set[str]) -> None:
    """Disable the bound products of withdrawn ``articles``, enable those comptoir disabled that
    came back."""
    if not ctx.profile.products.disable_withdrawn:
        return
    keys = [a.reference for a in articles]
    bound = ctx.state.bindings(ctx.name, PRODUCT, keys)
    sent = ctx.state.fingerprints(ctx.name, PRODUCT, Aspect.AVAILABILITY, keys)
    off = fingerprint(ProductDraft("", enabled=False), set(FIELDS))
    drafts: list[ProductDraft] = []
    for article in articles:
        ref = article.reference
        if ref in carriers or ref not in bound:
            continue
        if withdrawn(ctx, article):
            if sent.get(ref) != off:
                drafts.append(ProductDraft(ref, enabled=False))
        elif sent.get(ref) == off:
            drafts.append(ProductDraft(ref, enabled=True))
    if drafts:
        await push_products(ctx, drafts, aspects={Aspect.AVAILABILITY: FIELDS}, create_missing=False)
