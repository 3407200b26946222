"""Import orders: each shop order in the selected statuses becomes exactly one ERP document.

The order ledger makes it exactly-once: claim → ERP write (the document carries the shop
order id, so a lost ledger is rebuilt from the ERP) → ledger "written" → shop marked
transferred → ledger "done". Each step can be retried; a crash between two steps neither
duplicates nor loses an order. One bad order fails alone, with its reason in the journal.

Nothing is lost between runs either: the incremental window (``state.Window``) never moves past
an order this run did not finish, and the orders the ledger holds as claimed or written are
read again by id whatever the window says, so a claim left by a killed run is taken over once
it expires. An order held by another run's live claim is skipped, counted as held, and the run
ends with its own status (exit code 3) so a scheduler sees it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path

from comptoir.erp.base import DuplicateDocument, ErpError, OrderEntry
from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.crash import crash_point
from comptoir.jobs.order_accounting import accounting_for
from comptoir.jobs.order_changes import snapshot
from comptoir.jobs.order_document import (
    OrderRejected,
    account_code,
    build_document,
    customer_from_order,
    payment_for,
    with_tax_codes,
)
from comptoir.jobs.order_file import OrderFileError, load_orders
from comptoir.jobs.order_grouping import groups_order
from comptoir.jobs.order_rounding import Adjustment, Reconciliation, carry_payment_difference, reconcile
from comptoir.jobs.warehouses import home_warehouse
from comptoir.journal import Outcome
from comptoir.model import (
    Article,
    Customer,
    DocumentRef,
    Order,
    SalesDocument,
    TransferMark,
    Warehouse,
    format_money,
)
from comptoir.profile import OrderOptions
from comptoir.state import Claim, LedgerRow, Window, WrittenMark

CLAIM_TTL = timedelta(minutes=15)
OVERLAP = timedelta(minutes=10)
JOB = "import_orders"
WRITTEN_BATCH = 50
"""Orders whose ERP transaction committed are recorded "written" in the ledger this many at a
time (one transaction): until then the ledger holds them claimed, which a crash leaves exactly
as a crash right after the ERP write does (the next run finds their documents in the ERP)."""


class Left(Enum):
    """Where one order stands at the end of its turn in a run."""

    FINISHED = "finished"
    """Done, failed and recorded, or nothing to import: the window may move past it."""
    UNFINISHED = "unfinished"
    """Held by another run or left for the next run: the window stays at it."""


@dataclass(frozen=True, slots=True)
class Committed:
    """An order whose document (and payment, unless ``problem`` says why not) the ERP
    committed; the ledger records it "written" with the next batch (``WRITTEN_BATCH``)."""

    order: Order
    claim: Claim
    document: DocumentRef
    detail: str
    problem: str
    """Why the payment could not be recorded ("" when it was, or when there is none)."""


@dataclass(frozen=True, slots=True)
class Written:
    """An order whose ERP document exists and whose payment is recorded; the shop is told next."""

    order: Order
    claim: Claim
    document: DocumentRef


async def import_orders(
    ctx: JobContext,
    *,
    retry_failed: bool = False,
    full: bool = False,
    only: Sequence[str] = (),
    from_file: Path | None = None,
) -> None:
    """Import the shop's orders in the profile's statuses.

    The window starts from the stored cursor in the shop's clock, minus an overlap; ``full``
    ignores it. ``retry_failed`` re-examines orders that failed before (and reads every order).
    Orders the ledger left claimed or written are looked at again in every run.

    ``only`` imports these orders again (``comptoir orders reimport``): the ledger forgets them
    first, they are read by id whatever their date and transfer mark, and the window does not
    move; an order whose ERP document still exists is found, never written twice. ``from_file``
    reads the orders from a JSON file (``order_file.py``) for a shop that cannot be reached: the
    shop is not contacted, the orders stay "written" in the ledger and the next ordinary run
    marks them in the shop.
    """
    journal = ctx.journal
    options = ctx.profile.orders
    missing = options.missing_required
    if missing:
        raise JobAborted(journal.t("orders.required", fields=", ".join(missing)))

    window = ctx.state.window(ctx.name, JOB, OVERLAP, full=full or retry_failed)
    forced = bool(only) or from_file is not None
    outside: list[str] = []
    gone: list[str] = []
    if from_file is not None:
        try:
            listed = Window.unique(load_orders(from_file), key=lambda o: o.shop_id)
        except OrderFileError as exc:
            raise JobAborted(str(exc)) from None
        journal.info("orders.from_file", count=len(listed), file=from_file.name)
        fetched: list[Order] = []
    elif only:
        wanted = list(dict.fromkeys(only))
        if not ctx.dry_run:
            count = ctx.state.reset_orders(ctx.name, wanted)
            journal.info("orders.reset", count=count, orders=", ".join(wanted))
        listed = await ctx.shop.get_orders(wanted)
        fetched = []
        missing_ids = sorted(set(wanted) - {o.shop_id for o in listed})
        for shop_id in missing_ids:
            journal.item(f"#{shop_id}", Outcome.FAILED, journal.t("order.gone"))
    else:
        listed = Window.unique(
            await ctx.shop.list_orders(list(options.statuses), modified_after=window.start),
            key=lambda o: o.shop_id,
        )
        left = ctx.state.unfinished_orders(ctx.name)
        outside = [shop_id for shop_id in sorted(left) if shop_id not in {o.shop_id for o in listed}]
        fetched = await ctx.shop.get_orders(outside) if outside else []
        gone = sorted(set(outside) - {o.shop_id for o in fetched})
        journal.info("read.orders", count=len(listed), statuses=", ".join(options.statuses))
    in_window = set() if forced else {o.shop_id for o in listed}
    orders = [*listed, *fetched]
    orders.sort(key=lambda o: (o.created_at, o.shop_id))
    if outside:
        journal.info("read.orders_left", count=len(outside))
    journal.plan(len(orders) + len(gone))

    ids = [o.shop_id for o in orders] + gone
    ledger = ctx.state.ledger(ctx.name, ids)
    existing = ctx.erp.find_documents(ids)
    references = {line.sku for o in orders for line in o.lines if line.sku}
    references |= {options.miscellaneous_article, options.shipping_article, options.packaging_article}
    references |= set(options.discount_articles.values())
    if options.rounding_article:
        references.add(options.rounding_article)
    if options.payment_difference_article:
        references.add(options.payment_difference_article)
    articles = ctx.erp.find_articles(references)
    rates = {t.code: t.rate for t in ctx.erp.read_tax_rates()}
    customers = _known_customers(ctx, orders)
    grouped: list[Order] = []
    if options.grouping.orders != "none" and not forced:
        grouped = [
            o
            for o in orders
            if o.status in options.statuses
            and groups_order(o, options.grouping)
            and o.shop_id not in existing
        ]
        chosen = {o.shop_id for o in grouped}
        orders = [o for o in orders if o.shop_id not in chosen]

    pending: list[Written] = []
    committed: list[Committed] = []

    def settle(results: Sequence[tuple[Order, Written | Left]]) -> None:
        for order, result in results:
            if isinstance(result, Written):
                pending.append(result)
            elif order.shop_id in in_window:
                window.note(_modified(order), finished=result is Left.FINISHED)

    with ctx.erp.prepared_writes(references, customers.codes()):
        for start in range(0, len(orders), WRITTEN_BATCH):
            chunk = orders[start : start + WRITTEN_BATCH]
            claims = _claim_ahead(ctx, chunk, ledger, existing, retry_failed, forced)
            for order in chunk:
                result = await _import_one(
                    ctx,
                    order,
                    ledger.get(order.shop_id),
                    existing,
                    articles,
                    rates,
                    retry_failed,
                    customers,
                    forced,
                    claims,
                )
                if isinstance(result, Committed):
                    committed.append(result)
                else:
                    settle([(order, result)])
            for claim in claims.values():  # none left, unless an order took another path
                if claim is not None:
                    ctx.state.release(ctx.name, claim)
            settle(_record_committed(ctx, committed))
            committed.clear()
    for shop_id in gone:
        _gone(ctx, shop_id, ledger.get(shop_id), existing)
    if grouped:
        from comptoir.jobs.order_groups_run import import_groups  # it builds on this module's steps

        group_written, group_left = await import_groups(ctx, grouped, ledger, articles, rates)
        pending += group_written
        for order in grouped:
            if order.shop_id in in_window and order.shop_id in group_left:
                window.note(_modified(order), finished=group_left[order.shop_id] is Left.FINISHED)

    if pending and from_file is not None:
        for written in pending:  # the shop is not reachable: the next ordinary run marks them
            ctx.state.release(ctx.name, written.claim)
        pending = []
    if pending:
        marked = await _mark_transferred(ctx, pending)
        for written in pending:
            if written.order.shop_id in in_window:
                window.note(_modified(written.order), finished=written.order.shop_id in marked)
    if not ctx.dry_run and not forced:
        ctx.state.save_window(ctx.name, JOB, window)


def _modified(order: Order) -> datetime:
    return order.modified_at or order.created_at


def _claim_ahead(
    ctx: JobContext,
    orders: Sequence[Order],
    ledger: Mapping[str, LedgerRow],
    existing: Mapping[str, DocumentRef],
    retry_failed: bool,
    forced: bool,
) -> dict[str, Claim | None]:
    """Claim at once (one ledger transaction) the orders of ``orders`` that their turn would
    claim to write them: not done, not failed before (unless retried), not held, not skipped as
    transferred, not found in the ERP, in a status the profile imports. Nothing in a dry run."""
    if ctx.dry_run:
        return {}
    now = ctx.state.now()
    options = ctx.profile.orders
    wanted = []
    for order in orders:
        row = ledger.get(order.shop_id)
        if row is not None and (
            row.state == "done" or (row.state == "failed" and not retry_failed) or row.held(now)
        ):
            continue
        if order.shop_id in existing or order.status not in options.statuses:
            continue
        if order.transferred and not forced and row is None and not options.include_transferred:
            continue
        wanted.append(order.shop_id)
    return ctx.state.claim_orders(ctx.name, wanted, CLAIM_TTL, retry_failed=retry_failed)


def _claim(
    ctx: JobContext, shop_id: str, retry_failed: bool, claims: dict[str, Claim | None] | None
) -> Claim | None:
    """The order's claim: the one taken ahead for it, else one taken now."""
    if claims is not None and shop_id in claims:
        return claims.pop(shop_id)
    return ctx.state.claim_order(ctx.name, shop_id, CLAIM_TTL, retry_failed=retry_failed)


async def _import_one(
    ctx: JobContext,
    order: Order,
    row: LedgerRow | None,
    existing: Mapping[str, DocumentRef],
    articles: Mapping[str, Article],
    rates: Mapping[str, Decimal],
    retry_failed: bool,
    customers: KnownCustomers,
    forced: bool = False,
    claims: dict[str, Claim | None] | None = None,
) -> Written | Committed | Left:
    """One order's turn: skipped, failed, found in the ERP, or written (``Committed``).

    ``claims`` holds the ledger claims taken ahead for the orders about to be written
    (:func:`_claim_ahead`); an order takes its own from there instead of claiming alone."""
    journal = ctx.journal
    key = f"#{order.shop_id}"
    if row is not None and row.state == "done":
        journal.item(key, Outcome.UNCHANGED, journal.t("order.done", document=row.erp_document))
        return Left.FINISHED
    if row is not None and row.state == "failed" and not retry_failed:
        journal.item(key, Outcome.SKIPPED, journal.t("order.failed_before", error=row.error))
        return Left.FINISHED
    if row is not None and row.held(ctx.state.now()):
        return _held(ctx, order.shop_id, row)
    if (
        order.transferred
        and not forced
        and row is None
        and order.shop_id not in existing
        and not ctx.profile.orders.include_transferred
    ):
        journal.item(key, Outcome.SKIPPED, journal.t("order.already_transferred"))
        return Left.FINISHED
    found = existing.get(order.shop_id)
    if found is not None:
        return _found(ctx, order, found, retry_failed)
    if order.status not in ctx.profile.orders.statuses:
        return _no_longer_selected(ctx, order)

    document_type = ctx.profile.orders.statuses[order.status]
    try:
        customer_code = _customer_code(ctx, order, customers)
        accounting = accounting_for(order, ctx.profile.orders.accounting)
        options = with_tax_codes(
            _document_options(ctx, order, customer_code, customers), accounting.tax_codes
        )

        def build(tax_inclusive: bool) -> SalesDocument:
            return build_document(
                order,
                document_type=document_type,
                customer_code=customer_code,
                articles=articles,
                options=options,
                rates=rates,
                tax_inclusive=tax_inclusive,
                accounting_category=accounting.category or "",
            )

        check = carry_payment_difference(reconcile(order, build, options, rates), options, rates)
        document = check.document
    except OrderRejected as exc:
        if ctx.dry_run:
            journal.item(key, Outcome.FAILED, journal.say(exc))
            return Left.FINISHED
        return _fail(ctx, order, journal.say(exc), claims)

    if ctx.dry_run:
        detail = journal.t(
            "order.plan",
            type=document_type.value,
            customer=customer_code,
            lines=len(document.lines),
            total=format_money(check.erp_total),
        )
        if check.difference:
            detail += "; " + _difference(ctx, check)
        if check.adjustment is not None:
            detail += "; " + _adjusted(ctx, check.adjustment)
        journal.item(key, Outcome.CREATED, detail, would=True)
        return Left.FINISHED

    claim = _claim(ctx, order.shop_id, retry_failed, claims)
    if claim is None:
        return _held(ctx, order.shop_id)
    crash_point("claim")

    if check.difference and not ctx.profile.orders.allow_total_difference:
        message = _difference(ctx, check)
        ctx.state.mark_failed(ctx.name, claim, message)
        journal.item(key, Outcome.FAILED, message)
        return Left.FINISHED

    new_customer = _new_customer(ctx, order, customer_code, customers)
    payment = payment_for(
        order, DocumentRef(number="", type=document.type, customer_code=customer_code), options
    )
    paid: str | None = ""  # the payment's problem ("" none); None: to record now (a document found)
    try:
        try:
            entry = OrderEntry(document, new_customer, payment, ctx.profile.orders.validate_before_payment)
            written = ctx.erp.write_order(entry)
            ref = written.document
            if written.payment_error is not None:
                paid = _payment_failed(ctx, ref, written.payment_error)
        except DuplicateDocument as duplicate:
            ref, new_customer, paid = duplicate.existing, None, None
    except ErpError as exc:
        message = journal.t("erp.error", detail=journal.say(exc))
        ctx.state.mark_failed(ctx.name, claim, message)
        journal.item(key, Outcome.FAILED, message)
        return Left.FINISHED
    if new_customer is not None:
        customers.by_code[customer_code] = new_customer
    created_customer = new_customer is not None
    crash_point("document")
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
    if check.adjustment is not None:
        detail += "; " + _adjusted(ctx, check.adjustment)
    if paid is None:
        return _written(ctx, order, claim, ref, Outcome.CREATED, detail)
    return Committed(order, claim, ref, detail, paid)


def _record_committed(ctx: JobContext, committed: Sequence[Committed]) -> list[tuple[Order, Written | Left]]:
    """Record in the ledger (one transaction) that these orders' documents are written, then
    journal each: created, or failed when its payment was refused (the claim is given back: the
    next run finds the document and records the payment only), or held when its claim was lost.
    """
    if not committed:
        return []
    marks = [
        WrittenMark(
            c.claim,
            c.document.number,
            format_money(c.document.total_gross),
            format_money(c.order.total),
            snapshot(c.order),
        )
        for c in committed
    ]
    settled = ctx.state.mark_written_many(ctx.name, marks)
    crash_point("written")
    results: list[tuple[Order, Written | Left]] = []
    for c in committed:
        key = f"#{c.order.shop_id}"
        if c.order.shop_id not in settled:
            ctx.journal.held(key, ctx.journal.t("order.claim_lost", document=c.document.number))
            results.append((c.order, Left.UNFINISHED))
        elif c.problem:
            ctx.state.release(ctx.name, c.claim)
            ctx.journal.item(key, Outcome.FAILED, c.problem)
            results.append((c.order, Left.UNFINISHED))
        else:
            ctx.journal.item(key, Outcome.CREATED, c.detail)
            results.append((c.order, Written(c.order, c.claim, c.document)))
    return results


def _written(
    ctx: JobContext, order: Order, claim: Claim, ref: DocumentRef, outcome: Outcome, detail: str
) -> Written | Left:
    """The ERP holds the order's document: ledger "written", payment recorded, item journaled.

    A payment that cannot be recorded gives the claim back: the next run finds the document by
    its shop order id and records the payment only. A claim lost meanwhile (this run outlived
    it and another run took the order over) leaves the order to that run.
    """
    key = f"#{order.shop_id}"
    if not ctx.state.mark_written(
        ctx.name,
        claim,
        ref.number,
        format_money(ref.total_gross),
        format_money(order.total),
        snapshot(order),
    ):
        ctx.journal.held(key, ctx.journal.t("order.claim_lost", document=ref.number))
        return Left.UNFINISHED
    crash_point("written")
    problem = _record_payment(ctx, order, ref)
    if problem is not None:
        ctx.state.release(ctx.name, claim)
        ctx.journal.item(key, Outcome.FAILED, problem)
        return Left.UNFINISHED
    ctx.journal.item(key, outcome, detail)
    return Written(order, claim, ref)


def _held(ctx: JobContext, shop_id: str, row: LedgerRow | None = None) -> Left:
    """Skip an order another run holds; say until when (its claim's expiry) it may hold it."""
    if row is None:
        row = ctx.state.ledger(ctx.name, [shop_id]).get(shop_id)
    expires = row.claim_expires_at if row is not None else None
    until = f"{expires.astimezone():%Y-%m-%d %H:%M:%S}" if expires is not None else "?"
    ctx.journal.held(f"#{shop_id}", ctx.journal.t("order.claimed", until=until))
    return Left.UNFINISHED


def _found(ctx: JobContext, order: Order, found: DocumentRef, retry_failed: bool) -> Written | Left:
    """The ERP already holds the order's document (a crash, a lost ledger, a shop left unmarked).

    Nothing is written in the ERP: the claim is taken, the payment recorded if it is missing, and
    the shop told; the order's current content and status do not matter any more.
    """
    key = f"#{order.shop_id}"
    detail = ctx.journal.t("order.found_in_erp", document=found.number)
    if ctx.dry_run:
        ctx.journal.item(key, Outcome.SKIPPED, detail)
        return Left.FINISHED
    claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL, retry_failed=retry_failed)
    if claim is None:
        return _held(ctx, order.shop_id)
    crash_point("claim")
    return _written(ctx, order, claim, found, Outcome.UNCHANGED, detail)


def _no_longer_selected(ctx: JobContext, order: Order) -> Left:
    """An order the ledger left unfinished, read again by id, whose status is no longer imported
    and which has no ERP document: there is nothing to import, the ledger forgets it."""
    key = f"#{order.shop_id}"
    detail = ctx.journal.t("order.not_selected", status=order.status)
    if not ctx.dry_run:
        claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL)
        if claim is None:
            return _held(ctx, order.shop_id)
        ctx.state.forget(ctx.name, claim)
    ctx.journal.item(key, Outcome.SKIPPED, detail)
    return Left.FINISHED


def _gone(ctx: JobContext, shop_id: str, row: LedgerRow | None, existing: Mapping[str, DocumentRef]) -> None:
    """An order the ledger left unfinished that the shop no longer has.

    With an ERP document it fails, recorded with the document named (someone has to look);
    without one the ledger forgets it.
    """
    key = f"#{shop_id}"
    found = existing.get(shop_id)
    if row is not None and row.held(ctx.state.now()):
        _held(ctx, shop_id, row)
        return
    message = (
        ctx.journal.t("order.gone_written", document=found.number)
        if found is not None
        else ctx.journal.t("order.gone")
    )
    outcome = Outcome.FAILED if found is not None else Outcome.SKIPPED
    if ctx.dry_run:
        ctx.journal.item(key, outcome, message)
        return
    claim = ctx.state.claim_order(ctx.name, shop_id, CLAIM_TTL)
    if claim is None:
        _held(ctx, shop_id)
        return
    if found is not None:
        ctx.state.mark_failed(ctx.name, claim, message)
    else:
        ctx.state.forget(ctx.name, claim)
    ctx.journal.item(key, outcome, message)


def _difference(ctx: JobContext, check: Reconciliation) -> str:
    return ctx.journal.t(
        "order.total_difference", erp=check.erp_total, shop=check.shop_total, cause=check.cause
    )


def _adjusted(ctx: JobContext, adjustment: Adjustment) -> str:
    """What a rounding adjustment moved, in the journal's language."""
    changes = ", ".join(ctx.journal.t(c.message, **c.values) for c in adjustment.changes)
    return ctx.journal.t(
        "order.rounding_adjusted",
        before=format_money(adjustment.before),
        after=format_money(adjustment.after),
        changes=changes,
    )


def _fail(ctx: JobContext, order: Order, message: str, claims: dict[str, Claim | None] | None = None) -> Left:
    """Record a rejected order in the ledger (kept for the user) and in the journal."""
    claim = _claim(ctx, order.shop_id, True, claims)
    if claim is None:
        return _held(ctx, order.shop_id)
    ctx.state.mark_failed(ctx.name, claim, message)
    ctx.journal.item(f"#{order.shop_id}", Outcome.FAILED, message)
    return Left.FINISHED


@dataclass
class KnownCustomers:
    """The ERP customers the run's orders may go to, read set-wise once (by code and e-mail),
    and the ERP's warehouses when the home-warehouse rule needs them (read once too)."""

    by_code: dict[str, Customer]
    by_email: dict[str, Customer]
    asked: set[str]
    """The codes looked up: one of them missing from ``by_code`` is not in the ERP."""
    warehouses: list[Warehouse] | None = None

    def exists(self, code: str) -> bool:
        return code in self.by_code or any(c.code == code for c in self.by_email.values())

    def find(self, code: str) -> Customer | None:
        found = self.by_code.get(code)
        return found or next((c for c in self.by_email.values() if c.code == code), None)

    def codes(self) -> set[str]:
        """Every account the run's documents may name (asked, or found by e-mail)."""
        return self.asked | {c.code for c in self.by_email.values()}


def _known_customers(ctx: JobContext, orders: Sequence[Order]) -> KnownCustomers:
    """Read at once every ERP customer the orders could name: the codes kept on shop customers,
    the accounts the profile would use, and the customers holding the orders' e-mails."""
    options = ctx.profile.customers
    codes = {m.account.strip().upper() for m in ctx.profile.orders.payment_methods.values() if m.account}
    emails: set[str] = set()
    for order in orders:
        if order.customer_erp_code:
            codes.add(order.customer_erp_code.strip().upper())
        with suppress(OrderRejected):  # refused again, by name, when the order is built
            codes.add(account_code(order, options, ctx.profile.orders))
        if options.lookup_by_email and not order.is_guest:
            emails |= {e.strip().lower() for e in (order.email, order.customer_email) if e and e.strip()}
    by_code = ctx.erp.find_customers(codes) if codes else {}
    by_email = ctx.erp.find_customers_by_email(emails) if emails else {}
    return KnownCustomers(by_code, by_email, codes)


def _customer_code(ctx: JobContext, order: Order, customers: KnownCustomers) -> str:
    """The order's ERP account: the payment method's account, the ERP code the shop keeps on the
    customer, an existing customer with the order's billing or account e-mail, else per the
    account mode (created if needed)."""
    options = ctx.profile.customers
    mapping = ctx.profile.orders.payment_methods.get(order.payment_method)
    if mapping and mapping.account:
        return mapping.account
    code = order.customer_erp_code.strip().upper()
    if ctx.profile.orders.match_customers and code and code in customers.by_code:
        return code
    if options.lookup_by_email and not order.is_guest:
        for email in (order.email, order.customer_email):
            known = customers.by_email.get(email.strip().lower()) if email else None
            if known is not None:
                return known.code
    return account_code(order, options, ctx.profile.orders)


def _document_options(
    ctx: JobContext, order: Order, customer_code: str, customers: KnownCustomers
) -> OrderOptions:
    """The profile's order options, the document's warehouse being the customer's home warehouse
    when ``customers.home_warehouse`` says so and ``orders.warehouse`` names none. The rule is
    applied to the ERP customer, or to the order's addresses for a customer not in the ERP yet
    (customers and warehouses as the run read them once)."""
    options = ctx.profile.orders
    rule = ctx.profile.customers.home_warehouse
    if options.warehouse is not None or rule is None or not rule.for_orders:
        return options
    known = customers.find(customer_code)
    if known is None and customer_code not in customers.asked:
        known = ctx.erp.find_customer(customer_code)
    customer = known or Customer(code=customer_code, name="", billing=order.billing)
    if customers.warehouses is None:
        customers.warehouses = ctx.erp.read_warehouses()
    warehouses = customers.warehouses
    found = home_warehouse(customer, rule, warehouses, postcode=order.shipping.postcode)
    if found is None or found not in {w.key for w in warehouses}:
        return options
    return options.model_copy(update={"warehouse": found})


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
        return _payment_failed(ctx, document, exc)
    return None


def _payment_failed(ctx: JobContext, document: DocumentRef, exc: ErpError) -> str:
    return ctx.journal.t("order.payment_failed", document=document.number, error=ctx.journal.say(exc))


def _new_customer(ctx: JobContext, order: Order, code: str, customers: KnownCustomers) -> Customer | None:
    """The customer to create with the order's document, or ``None`` when the ERP has it."""
    if customers.exists(code):
        return None
    if code not in customers.asked and ctx.erp.find_customer(code) is not None:  # not read with the others
        return None
    return customer_from_order(order, code, ctx.profile.customers)


async def _mark_transferred(ctx: JobContext, pending: list[Written]) -> set[str]:
    """Tell the shop (one batch for the run), then the ledger (one transaction); return the
    orders now done.

    An order the shop could not mark gives its claim back and stays "written": the next run
    marks it again without writing anything in the ERP.
    """
    marks = [TransferMark(w.order.shop_id, w.document.number) for w in pending]
    results = {r.key: r for r in await ctx.shop.mark_transferred(marks)}
    crash_point("marked")
    marked: list[tuple[Claim, str]] = []
    for written in pending:
        shop_id, number = written.order.shop_id, written.document.number
        result = results.get(shop_id)
        if result is not None and result.ok:
            marked.append((written.claim, number))
        else:
            error = (
                result.error.message
                if result is not None and result.error
                else ctx.journal.t("order.no_answer")
            )
            ctx.state.release(ctx.name, written.claim)
            ctx.journal.warning("order.mark_failed", order=shop_id, document=number, error=error)
    return ctx.state.mark_done_many(ctx.name, marked)
