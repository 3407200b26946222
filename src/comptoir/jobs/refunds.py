"""Import refunds: each shop refund of an imported order becomes one ERP credit note (or return,
by profile), linked to the order's invoice (else to its document), amounts to the cent.

Refunds are read through a window on their creation dates in the shop's clock (``state.Window``:
overlap, de-duplication, never past an unfinished refund). The credit note is built by
``refund_document.py``; its total is the refund's amount or it is not written.

Exactly once: each refund is a task (key ``R<refund id>``) claimed before the ERP write; the
ERP document carries the same key as its shop order id, so a run killed after the write is
recovered by the ERP's own check (``DuplicateDocument``), and the next run only records it.
A refund of an order the ledger does not know is skipped (nothing to credit); one of an order
still being imported waits (the window stays at it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from comptoir.erp.base import DuplicateDocument, ErpError
from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.crash import crash_point
from comptoir.jobs.order_document import OrderRejected
from comptoir.jobs.refund_document import build_refund_document, refund_key
from comptoir.journal import Outcome
from comptoir.model import Article, DocumentRef, DocumentType, Order, Refund, format_money
from comptoir.state import LedgerRow, TaskRow, Window

JOB = "import_refunds"
CLAIM_TTL = timedelta(minutes=15)
OVERLAP = timedelta(minutes=10)


async def import_refunds(ctx: JobContext, *, full: bool = False) -> None:
    """Write the credit notes of the shop's new refunds (see the module doc)."""
    journal = ctx.journal
    if not ctx.capabilities.refunds:
        platform = ctx.profile.shop.kind
        message = journal.t("platform.cannot", title=journal.title, platform=platform, capability="refunds")
        raise JobAborted(message)
    window = ctx.state.window(ctx.name, JOB, OVERLAP, full=full)
    refunds = Window.unique(await ctx.shop.list_refunds(created_after=window.start), key=lambda r: r.shop_id)
    refunds.sort(key=lambda r: (r.created_at, r.shop_id))
    journal.info("refund.read", count=len(refunds))
    journal.plan(len(refunds))
    if not refunds:
        return
    order_ids = sorted({r.order_shop_id for r in refunds})
    ledger = ctx.state.ledger(ctx.name, order_ids)
    tasks = ctx.state.tasks.rows(ctx.name, JOB, [refund_key(r) for r in refunds])
    imported = [i for i in order_ids if (row := ledger.get(i)) is not None and row.state == "done"]
    orders = {o.shop_id: o for o in await ctx.shop.get_orders(imported)} if imported else {}
    documents = ctx.erp.find_documents(imported) if imported else {}
    invoices: dict[str, DocumentRef] = {}
    for ref in ctx.erp.list_issued_documents(imported, [DocumentType.INVOICE]) if imported else []:
        invoices[ref.shop_order_id] = ref  # the latest invoice of the order (listed oldest first)
    existing = ctx.erp.find_documents([refund_key(r) for r in refunds])
    skus = {line.sku for r in refunds for line in r.lines if line.sku}
    skus |= {line.sku for o in orders.values() for line in o.lines if line.sku}
    options = ctx.profile.orders
    skus |= {options.miscellaneous_article, options.shipping_article}
    if ctx.profile.refunds.refund_article:
        skus.add(ctx.profile.refunds.refund_article)
    articles = ctx.erp.find_articles({s for s in skus if s})
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}

    known = _Known(ledger, tasks, orders, documents, invoices, existing, articles, rates)
    for refund in refunds:
        window.note(refund.created_at, finished=_import_one(ctx, refund, known))
    if not ctx.dry_run:
        ctx.state.save_window(ctx.name, JOB, window)


@dataclass(frozen=True, slots=True)
class _Known:
    """What the run read once for every refund."""

    ledger: Mapping[str, LedgerRow]
    tasks: Mapping[str, TaskRow]
    orders: Mapping[str, Order]
    documents: Mapping[str, DocumentRef]
    invoices: Mapping[str, DocumentRef]
    existing: Mapping[str, DocumentRef]
    articles: Mapping[str, Article]
    rates: Mapping[str, Decimal]


def _import_one(ctx: JobContext, refund: Refund, known: _Known) -> bool:
    """One refund; returns whether it is finished (the window may move past it)."""
    journal = ctx.journal
    item = f"R{refund.shop_id}"
    key = refund_key(refund)
    row = known.tasks.get(key)
    if row is not None and row.state == "done":
        journal.item(item, Outcome.UNCHANGED, journal.t("refund.done", document=row.detail or "?"))
        return True
    if row is not None and row.held(ctx.state.now()):
        journal.held(item, journal.t("refund.held"))
        return False
    order_row = known.ledger.get(refund.order_shop_id)
    if order_row is None:
        journal.item(
            item, Outcome.SKIPPED, journal.t("refund.order_not_imported", order=refund.order_shop_id)
        )
        return True
    order = known.orders.get(refund.order_shop_id)
    original = known.documents.get(refund.order_shop_id)
    if order_row.state != "done" or order is None or original is None:
        journal.held(item, journal.t("refund.order_pending", order=refund.order_shop_id))
        return False
    kind = journal.t(f"doctype.{ctx.profile.refunds.document.value}")
    invoice = known.invoices.get(refund.order_shop_id)
    origin = (invoice or original).number
    found = known.existing.get(key)
    if found is None:
        try:
            document = build_refund_document(
                refund,
                order,
                customer_code=original.customer_code,
                origin_number=origin,
                articles=known.articles,
                orders=ctx.profile.orders,
                options=ctx.profile.refunds,
                rates=known.rates,
            )
        except OrderRejected as exc:
            return _failed(ctx, item, key, str(exc))
        if ctx.dry_run:
            detail = journal.t(
                "refund.plan",
                type=kind,
                origin=origin,
                customer=original.customer_code,
                lines=len(document.lines),
                total=format_money(document.totals().gross),
            )
            journal.item(item, Outcome.CREATED, detail, would=True)
            return True
    elif ctx.dry_run:
        journal.item(item, Outcome.UNCHANGED, journal.t("refund.found_in_erp", document=found.number))
        return True
    claim = ctx.state.tasks.claim(ctx.name, JOB, key, CLAIM_TTL)
    if claim is None:
        journal.held(item, journal.t("refund.held"))
        return False
    crash_point("refund-claim")
    if found is None:
        try:
            try:
                found = ctx.erp.create_sales_document(document)
            except DuplicateDocument as duplicate:
                found = duplicate.existing
        except ErpError as exc:
            ctx.state.tasks.failed(ctx.name, JOB, claim, str(exc))
            journal.item(item, Outcome.FAILED, str(exc))
            return True
        crash_point("refund-document")
        detail = journal.t(
            "refund.created",
            type=kind,
            document=found.number,
            origin=origin,
            customer=found.customer_code,
            total=format_money(found.total_gross),
        )
        outcome = Outcome.CREATED
    else:
        detail, outcome = journal.t("refund.found_in_erp", document=found.number), Outcome.UNCHANGED
    ctx.state.tasks.done(ctx.name, JOB, claim, found.number)
    journal.item(item, outcome, detail)
    return True


def _failed(ctx: JobContext, item: str, key: str, message: str) -> bool:
    """A refund that cannot become a document fails alone (kept, tried again next run)."""
    if not ctx.dry_run:
        claim = ctx.state.tasks.claim(ctx.name, JOB, key, CLAIM_TTL)
        if claim is not None:
            ctx.state.tasks.failed(ctx.name, JOB, claim, message)
    ctx.journal.item(item, Outcome.FAILED, message)
    return True
