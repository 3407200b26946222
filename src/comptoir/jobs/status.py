"""Enable / disable products: the shop's status follows the ERP's (SPEC §2).

An article put to sleep (dormant), or no longer published on the web when the profile exports
published articles only, or no longer in the ERP at all, is **disabled** in the shop — never
deleted: its orders, reviews and links stay. It is enabled again when it comes back. A variable
product (a group of articles) is enabled while one of its variations is.

Only products the connector knows (bound, or found in the shop by SKU) are touched; the
``status`` aspect has its own fingerprint, so a product is written only when its status changes.
Export products does the same for the products it handles when ``status`` is an updatable field.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from comptoir.jobs.catalog import PRODUCT, STATUS_FIELDS, push_products, select_articles
from comptoir.jobs.context import JobContext
from comptoir.model import Article, Aspect, ProductDraft, ProductKind


def status_drafts(
    ctx: JobContext,
    articles: Sequence[Article],
    active: Collection[str],
    *,
    bound_only: bool,
    complete: bool = True,
) -> list[ProductDraft]:
    """One status draft per product the ERP decides: enabled for ``active`` references, disabled
    for the others; ``bound_only`` keeps the products the connector already knows (the rest would
    only be reported missing). Bound products whose article is not among ``articles`` are disabled
    only when ``articles`` is the ``complete`` catalog (not an incremental read)."""
    bound = ctx.state.bindings(ctx.name, PRODUCT)
    master_field = ctx.profile.products.master_field
    groups: dict[str, bool] = {}
    drafts: list[ProductDraft] = []
    for article in articles:
        master = article.custom_fields.get(master_field, "").strip() if master_field else ""
        if master and master != article.reference:
            groups[master] = groups.get(master, False) or article.reference in active
            kind = ProductKind.VARIATION
        else:
            kind = ProductKind.SIMPLE
        if bound_only and article.reference not in bound:
            continue
        enabled = article.reference in active
        drafts.append(
            ProductDraft(sku=article.reference, kind=kind, parent_sku=master or None, enabled=enabled)
        )
    known = {d.sku for d in drafts}
    drafts += [
        ProductDraft(sku=master, kind=ProductKind.VARIABLE, enabled=enabled)
        for master, enabled in sorted(groups.items())
        if master not in known and (not bound_only or master in bound)
    ]
    for index, draft in enumerate(drafts):
        if draft.sku in groups and draft.kind is ProductKind.SIMPLE:
            drafts[index] = ProductDraft(sku=draft.sku, kind=ProductKind.VARIABLE, enabled=groups[draft.sku])
    gone = sorted(set(bound) - {a.reference for a in articles} - set(groups)) if complete else []
    drafts += [ProductDraft(sku=sku, enabled=False) for sku in gone]
    return drafts


async def enable_products(ctx: JobContext) -> None:
    """Enable the products of active articles, disable the others; nothing is created or deleted."""
    articles = ctx.erp.read_articles()
    active = {a.reference for a in select_articles(ctx, articles).articles}
    ctx.journal.info("enable.read", count=len(articles), active=len(active))
    drafts = status_drafts(ctx, articles, active, bound_only=True)
    await push_products(ctx, drafts, aspects={Aspect.STATUS: STATUS_FIELDS}, create_missing=False)
