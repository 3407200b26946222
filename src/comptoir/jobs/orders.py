"""Import orders: each shop order in the selected statuses becomes exactly one ERP document.

The order ledger makes it exactly-once: claim → ERP write (the document carries the shop
order id, so a lost ledger is rebuilt from the ERP) → ledger "written" → shop marked
transferred → ledger "done". Each step can be retried; a crash between two steps neither
duplicates nor loses an order. One bad order fails alone, with its reason in the journal.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from comptoir.erp.base import DuplicateDocument, ErpError
from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.order_document import (
    OrderRejected,
    Reconciliation,
    account_code,
    build_document,
    customer_from_order,
    payment_for,
    reconcile,
)
from comptoir.journal import Outcome
from comptoir.model import Article, DocumentRef, Order, TransferMark, format_money
from comptoir.state import Claim, LedgerRow

CLAIM_TTL = timedelta(minutes=15)
OVERLAP = timedelta(minutes=10)
JOB = "import_orders"


async def import_orders(ctx: JobContext, *, retry_failed: bool = False, full: bool = False) -> None:
    """Import the shop's orders in the profile's statuses.

    The window starts from the last order modification the shop reported (its clock, minus
    an overlap); ``full`` ignores it. ``retry_failed`` re-examines orders that failed before.
    """
    journal = ctx.journal
    options = ctx.profile.orders
    missing = options.missing_required
    if missing:
        raise JobAborted(journal.t("orders.required", fields=", ".join(missing)))

    since = None if (full or retry_failed) else ctx.state.job_mark(ctx.name, JOB)
    orders = await ctx.shop.list_orders(
        list(options.statuses), modified_after=since - OVERLAP if since else None
    )
    orders = list({o.shop_id: o for o in orders}.values())
    orders.sort(key=lambda o: (o.created_at, o.shop_id))
    journal.info("read.orders", count=len(orders), statuses=", ".join(options.statuses))
    journal.plan(len(orders))

    ids = [o.shop_id for o in orders]
    ledger = ctx.state.ledger(ctx.name, ids)
    existing = ctx.erp.find_documents(ids)
    references = {line.sku for o in orders for line in o.lines if line.sku}
    references |= {options.miscellaneous_article, options.shipping_article, options.packaging_article}
    references |= set(options.discount_articles.values())
    articles = ctx.erp.find_articles(references)
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}

    pending: list[tuple[Order, Claim, DocumentRef]] = []
    for order in orders:
        outcome = await _import_one(
            ctx, order, ledger.get(order.shop_id), existing, articles, rates, retry_failed
        )
        if outcome is not None:
            pending.append(outcome)

    if pending:
        await _mark_transferred(ctx, pending)
    if orders and not ctx.dry_run:
        latest = max((o.modified_at or o.created_at) for o in orders)
        ctx.state.set_job_mark(ctx.name, JOB, latest)


async def _import_one(
    ctx: JobContext,
    order: Order,
    row: LedgerRow | None,
    existing: Mapping[str, DocumentRef],
    articles: Mapping[str, Article],
    rates: Mapping[str, Decimal],
    retry_failed: bool,
) -> tuple[Order, Claim, DocumentRef] | None:
    journal = ctx.journal
    key = f"#{order.shop_id}"
    if row is not None and row.state == "done":
        journal.item(key, Outcome.UNCHANGED, journal.t("order.done", document=row.erp_document))
        return None
    if row is not None and row.state == "failed" and not retry_failed:
        journal.item(key, Outcome.SKIPPED, journal.t("order.failed_before", error=row.error))
        return None
    if (
        order.transferred
        and row is None
        and order.shop_id not in existing
        and not ctx.profile.orders.include_transferred
    ):
        journal.item(key, Outcome.SKIPPED, journal.t("order.already_transferred"))
        return None

    document_type = ctx.profile.orders.statuses[order.status]
    try:
        customer_code = _customer_code(ctx, order)
        document = build_document(
            order,
            document_type=document_type,
            customer_code=customer_code,
            articles=articles,
            options=ctx.profile.orders,
            rates=rates,
        )
        check = reconcile(document, order)
    except OrderRejected as exc:
        if ctx.dry_run:
            journal.item(key, Outcome.FAILED, str(exc))
            return None
        _fail(ctx, order, str(exc))
        return None

    if ctx.dry_run:
        if order.shop_id in existing:
            journal.item(
                key, Outcome.SKIPPED, journal.t("order.found_in_erp", document=existing[order.shop_id].number)
            )
            return None
        detail = journal.t(
            "order.plan",
            type=document_type.value,
            customer=customer_code,
            lines=len(document.lines),
            total=format_money(check.erp_total),
        )
        if check.difference:
            detail += "; " + _difference(ctx, check)
        journal.item(key, Outcome.CREATED, detail, would=True)
        return None

    claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL, retry_failed=retry_failed)
    if claim is None:
        journal.item(key, Outcome.SKIPPED, journal.t("order.claimed"))
        return None

    found = existing.get(order.shop_id)
    if found is not None:
        detail = journal.t("order.found_in_erp", document=found.number)
        return _written(ctx, order, claim, found, Outcome.UNCHANGED, detail)

    if check.difference and not ctx.profile.orders.allow_total_difference:
        message = _difference(ctx, check)
        ctx.state.mark_failed(ctx.name, claim, message)
        journal.item(key, Outcome.FAILED, message)
        return None

    try:
        created_customer = _ensure_customer(ctx, order, customer_code)
        try:
            ref = ctx.erp.create_sales_document(document)
        except DuplicateDocument as duplicate:
            ref = duplicate.existing
    except ErpError as exc:
        ctx.state.mark_failed(ctx.name, claim, str(exc))
        journal.item(key, Outcome.FAILED, str(exc))
        return None
    detail = journal.t(
        "order.created",
        document=ref.number,
        type=document_type.value,
        customer=customer_code,
        total=format_money(ref.total_gross),
    )
    if created_customer:
        detail += "; " + journal.t("order.customer_created", customer=customer_code)
    if check.difference:
        detail += "; " + _difference(ctx, check)
    return _written(ctx, order, claim, ref, Outcome.CREATED, detail)


def _written(
    ctx: JobContext, order: Order, claim: Claim, ref: DocumentRef, outcome: Outcome, detail: str
) -> tuple[Order, Claim, DocumentRef] | None:
    """The ERP holds the order's document: ledger "written", payment recorded, item journaled.

    A payment that cannot be recorded gives the claim back: the next run finds the document by
    its shop order id and records the payment only.
    """
    key = f"#{order.shop_id}"
    ctx.state.mark_written(
        ctx.name, claim, ref.number, format_money(ref.total_gross), format_money(order.total)
    )
    problem = _record_payment(ctx, order, ref)
    if problem is not None:
        ctx.state.release(ctx.name, claim)
        ctx.journal.item(key, Outcome.FAILED, problem)
        return None
    ctx.journal.item(key, outcome, detail)
    return order, claim, ref


def _difference(ctx: JobContext, check: Reconciliation) -> str:
    return ctx.journal.t(
        "order.total_difference", erp=check.erp_total, shop=check.shop_total, cause=check.cause
    )


def _fail(ctx: JobContext, order: Order, message: str) -> None:
    """Record a rejected order in the ledger (kept for the user) and in the journal."""
    claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL, retry_failed=True)
    if claim is not None:
        ctx.state.mark_failed(ctx.name, claim, message)
    ctx.journal.item(f"#{order.shop_id}", Outcome.FAILED, message)


def _customer_code(ctx: JobContext, order: Order) -> str:
    """The order's ERP account: the payment method's account, an existing customer with the same
    e-mail, else per the account mode."""
    options = ctx.profile.customers
    mapping = ctx.profile.orders.payment_methods.get(order.payment_method)
    if options.lookup_by_email and not order.is_guest and order.email and not (mapping and mapping.account):
        known = ctx.erp.find_customer_by_email(order.email)
        if known is not None:
            return known.code
    return account_code(order, options, ctx.profile.orders)


def _record_payment(ctx: JobContext, order: Order, document: DocumentRef) -> str | None:
    """Record the order's payment when its method asks for it (a retry finds the one recorded).

    Returns what went wrong, or ``None``; the order then stays "written" for the next run.
    """
    payment = payment_for(order, document, ctx.profile.orders)
    if payment is None:
        return None
    try:
        if ctx.profile.orders.validate_before_payment:
            ctx.erp.validate_document(document.number, document.type)
        ctx.erp.create_payment(payment)
    except ErpError as exc:
        return ctx.journal.t("order.payment_failed", document=document.number, error=str(exc))
    return None


def _ensure_customer(ctx: JobContext, order: Order, code: str) -> bool:
    """Make sure the document's customer exists in the ERP; True when it was created."""
    options = ctx.profile.customers
    if ctx.erp.find_customer(code) is not None:
        return False
    ctx.erp.save_customer(customer_from_order(order, code, options))
    return True


async def _mark_transferred(ctx: JobContext, pending: list[tuple[Order, Claim, DocumentRef]]) -> None:
    marks = [TransferMark(order.shop_id, ref.number) for order, _claim, ref in pending]
    results = {r.key: r for r in await ctx.shop.mark_transferred(marks)}
    for order, claim, ref in pending:
        result = results.get(order.shop_id)
        if result is not None and result.ok:
            ctx.state.mark_done(ctx.name, claim, ref.number)
        else:
            error = result.error.message if result is not None and result.error else "no answer from the shop"
            ctx.state.release(ctx.name, claim)
            ctx.journal.warning("order.mark_failed", order=order.shop_id, document=ref.number, error=error)
