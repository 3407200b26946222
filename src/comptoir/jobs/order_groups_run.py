"""The grouped part of an order import (see ``order_grouping.py`` for the rules): which grouped
orders wait for their day to end, which days become documents now, and the recovery of a group a
killed run left. Called by ``orders.import_orders``; its orders then go through the same marking
step as the others."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from comptoir.erp.base import DuplicateDocument, ErpError
from comptoir.jobs.context import JobContext
from comptoir.jobs.crash import crash_point
from comptoir.jobs.order_accounting import accounting_for
from comptoir.jobs.order_changes import snapshot
from comptoir.jobs.order_grouping import (
    JOB,
    Built,
    buckets,
    build_member,
    day_of,
    group_document,
    group_key,
    members_of,
    sequence_for,
)
from comptoir.jobs.orders import CLAIM_TTL, Left, Written
from comptoir.journal import Outcome
from comptoir.model import Article, DocumentRef, DocumentType, Order, Payment, format_money, round_money
from comptoir.state import Claim, LedgerRow


def _document_of(detail: str | None) -> str:
    try:
        found = json.loads(detail or "{}")
    except ValueError:
        return ""
    return str(found.get("document") or "") if isinstance(found, dict) else ""


async def import_groups(
    ctx: JobContext,
    orders: Sequence[Order],
    ledger: Mapping[str, LedgerRow],
    articles: Mapping[str, Article],
    rates: Mapping[str, Decimal],
) -> tuple[list[Written], dict[str, Left]]:
    """Group the orders whose day is over; returns the members written (the shop is told next)
    and where each other order stands."""
    journal = ctx.journal
    options = ctx.profile.orders
    grouping = options.grouping
    zone = ZoneInfo(grouping.timezone)
    today = ctx.state.now().astimezone(zone).date()
    tasks = ctx.state.tasks.rows(ctx.name, JOB)
    member_task = {m: key for key, row in tasks.items() for m in members_of(_members_json(row.detail))}
    left: dict[str, Left] = {}
    written: list[Written] = []
    fresh: list[Order] = []
    retaken: dict[str, list[Order]] = defaultdict(list)
    now = ctx.state.now()
    for order in orders:
        item = f"#{order.shop_id}"
        row = ledger.get(order.shop_id)
        if row is not None and row.state == "done":
            journal.item(item, Outcome.UNCHANGED, journal.t("order.done", document=row.erp_document))
            left[order.shop_id] = Left.FINISHED
            continue
        key = member_task.get(order.shop_id)
        task = tasks.get(key) if key else None
        if task is not None and task.state == "done":
            # the group is written; this member's shop mark was left for this run
            found = _written_member(ctx, order, key or "", _document_of(task.detail))
            if isinstance(found, Written):
                written.append(found)
            else:
                left[order.shop_id] = found
            continue
        if task is not None and task.held(now):
            journal.held(item, journal.t("group.held", key=key or ""))
            left[order.shop_id] = Left.UNFINISHED
            continue
        if task is not None and key:
            retaken[key].append(order)
            continue
        if day_of(order, zone) >= today:
            journal.item(
                item, Outcome.SKIPPED, journal.t("group.tomorrow", day=f"{day_of(order, zone):%d/%m/%Y}")
            )
            left[order.shop_id] = Left.UNFINISHED
            continue
        fresh.append(order)

    done_keys = [k for k, r in tasks.items() if r.state == "done"]
    plans: list[tuple[str, date, DocumentType, list[Order], bool]] = []
    for key, members in retaken.items():
        kind = options.statuses[members[0].status]
        plans.append((key, day_of(members[0], zone), kind, members, True))
    for (day, kind), members in sorted(buckets(fresh, zone, options.statuses).items()):
        key = group_key(day, kind, sequence_for(done_keys, day, kind))
        plans.append(
            (
                key,
                day,
                kind,
                sorted(members, key=lambda o: int(o.shop_id) if o.shop_id.isdigit() else 0),
                False,
            )
        )
    for key, day, kind, members, again in plans:
        outcome = _one_group(ctx, key, day, kind, members, again, articles, rates)
        if isinstance(outcome, list):
            written += outcome
            for member in members:
                if member.shop_id not in {w.order.shop_id for w in outcome}:
                    left.setdefault(member.shop_id, Left.FINISHED)
        else:
            for member in members:
                left[member.shop_id] = outcome
    return written, left


def _members_json(detail: str | None) -> str:
    """The member list of a group task's detail (a list, or ``{"members": […]}`` once done)."""
    try:
        found = json.loads(detail or "[]")
    except ValueError:
        return "[]"
    if isinstance(found, dict):
        return json.dumps(found.get("members") or [])
    return detail or "[]"


def _written_member(ctx: JobContext, order: Order, key: str, number: str) -> Written | Left:
    claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL)
    if claim is None:
        ctx.journal.held(f"#{order.shop_id}", ctx.journal.t("order.claimed", until="?"))
        return Left.UNFINISHED
    ref = DocumentRef(
        number=number,
        type=DocumentType.ORDER,
        customer_code=ctx.profile.orders.grouping.account,
        shop_order_id=key,
    )
    ctx.journal.item(
        f"#{order.shop_id}", Outcome.UNCHANGED, ctx.journal.t("group.member", document=number, key=key)
    )
    return Written(order, claim, ref)


def _one_group(
    ctx: JobContext,
    key: str,
    day: date,
    kind: DocumentType,
    members: list[Order],
    again: bool,
    articles: Mapping[str, Article],
    rates: Mapping[str, Decimal],
) -> list[Written] | Left:
    journal = ctx.journal
    options = ctx.profile.orders
    built = [
        build_member(
            order,
            document_type=kind,
            account=options.grouping.account,
            articles=articles,
            options=options,
            rates=rates,
            tax_codes=accounting_for(order, options.accounting).tax_codes,
        )
        for order in members
    ]
    good = [b for b in built if b.document is not None]
    if ctx.dry_run:
        for member in built:
            if member.document is None:
                journal.item(f"#{member.order.shop_id}", Outcome.FAILED, member.error)
        if good:
            total = group_document(key, day, kind, good, options).totals().gross
            for member in good:
                detail = journal.t(
                    "group.plan", key=key, day=f"{day:%d/%m/%Y}", count=len(good), total=format_money(total)
                )
                journal.item(f"#{member.order.shop_id}", Outcome.CREATED, detail, would=True)
        return Left.FINISHED
    members_json = json.dumps([o.shop_id for o in members])
    task = ctx.state.tasks.claim(ctx.name, JOB, key, CLAIM_TTL, detail=members_json)
    if task is None:
        for order in members:
            journal.held(f"#{order.shop_id}", journal.t("group.held", key=key))
        return Left.UNFINISHED
    claims: dict[str, Claim] = {}
    for order in members:
        claim = ctx.state.claim_order(ctx.name, order.shop_id, CLAIM_TTL, retry_failed=True)
        if claim is None:
            for taken in claims.values():
                ctx.state.release(ctx.name, taken)
            ctx.state.tasks.failed(ctx.name, JOB, task, f"order {order.shop_id} is held by another run")
            journal.held(f"#{order.shop_id}", journal.t("group.held", key=key))
            return Left.UNFINISHED
        claims[order.shop_id] = claim
    for member in built:
        if member.document is None:
            ctx.state.mark_failed(ctx.name, claims.pop(member.order.shop_id), member.error)
            journal.item(f"#{member.order.shop_id}", Outcome.FAILED, member.error)
    if not good:
        ctx.state.tasks.done(ctx.name, JOB, task, json.dumps({"members": [], "document": ""}))
        return Left.FINISHED
    document = group_document(key, day, kind, good, options)
    crash_point("group-claim")
    try:
        try:
            ref = ctx.erp.create_sales_document(document)
        except DuplicateDocument as duplicate:
            ref = duplicate.existing
        crash_point("group-document")
        problem = _payments(ctx, key, day, good, ref)
    except ErpError as exc:
        for member in good:
            ctx.state.mark_failed(ctx.name, claims[member.order.shop_id], str(exc))
            journal.item(f"#{member.order.shop_id}", Outcome.FAILED, str(exc))
        ctx.state.tasks.failed(ctx.name, JOB, task, str(exc))
        return Left.FINISHED
    if problem is not None:
        for claim in claims.values():
            ctx.state.release(ctx.name, claim)
        ctx.state.tasks.failed(ctx.name, JOB, task, problem)
        for member in good:
            journal.item(f"#{member.order.shop_id}", Outcome.FAILED, problem)
        return Left.UNFINISHED
    written: list[Written] = []
    for member in good:
        order = member.order
        claim = claims[order.shop_id]
        shown = format_money(round_money(order.total))
        if ctx.state.mark_written(ctx.name, claim, ref.number, shown, shown, snapshot(order)):
            detail = journal.t(
                "group.created",
                document=ref.number,
                key=key,
                day=f"{day:%d/%m/%Y}",
                count=len(good),
                total=format_money(ref.total_gross),
            )
            journal.item(f"#{order.shop_id}", Outcome.UNCHANGED if again else Outcome.CREATED, detail)
            written.append(Written(order, claim, ref))
    recorded = [m.order.shop_id for m in good]
    ctx.state.tasks.done(ctx.name, JOB, task, json.dumps({"members": recorded, "document": ref.number}))
    return written


def _payments(ctx: JobContext, key: str, day: date, members: Sequence[Built], ref: DocumentRef) -> str | None:
    """One payment per payment method asking for one, the day's paid orders summed; a retry finds
    the payments recorded (same document, reference, date and amount)."""
    options = ctx.profile.orders
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for member in members:
        order = member.order
        mapping = options.payment_methods.get(order.payment_method)
        if mapping is not None and mapping.create_payment and order.paid_at is not None:
            amounts[order.payment_method] += round_money(order.total)
    if not amounts:
        return None
    try:
        if options.validate_before_payment:
            ctx.erp.validate_document(ref.number, ref.type)
        for method, amount in sorted(amounts.items()):
            mapping = options.payment_methods[method]
            ctx.erp.create_payment(
                Payment(
                    customer_code=ref.customer_code or options.grouping.account,
                    date=day,
                    amount=amount,
                    mode=mapping.mode,
                    journal=mapping.journal,
                    label=f"Ventes web du {day:%d/%m/%Y} ({method})"[:35],
                    reference=f"{key}{method}"[:17],
                    document_number=ref.number,
                    document_type=ref.type,
                )
            )
    except ErpError as exc:
        return ctx.journal.t("order.payment_failed", document=ref.number, error=str(exc))
    return None
