"""Group a day's orders into one ERP document the next day (``orders.grouping``: all orders, or
guests only; point of sale and marketplace use).

An order to group waits until its day is over (in ``grouping.timezone``, by the state store's
clock): the window stays at it. Then the day's orders of one document type become one document
on ``grouping.account``: each order's lines with the amounts with tax the shop charged (so the
document's total is the sum of the orders' totals, to the cent), shipping and fees as lines,
identical lines merged (same reference, price, tax code) when ``merge_lines``; one payment per
payment method that asks for one, the day's amounts summed.

Exactly once: the group is a task of the task ledger (key ``J<yymmdd><type><n>``) claimed with
its member orders before anything is written; each member is claimed in the order ledger; the
document carries the group key as its shop order id (the ERP's duplicate check finds it after a
crash); members are then "written" with the group's number and the shop is told as for any
order. A run that finds the group's claim expired takes it over with the members the first run
recorded. An order of a day already grouped (it reached an imported status later) is imported on
its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from comptoir.jobs.order_document import OrderRejected, build_document, with_tax_codes
from comptoir.model import DocumentLine, DocumentType, Order, SalesDocument, round_money
from comptoir.profile import GroupingOptions, OrderOptions, ShippingMode

JOB = "order_groups"
SHORT = {
    DocumentType.QUOTE: "DE",
    DocumentType.ORDER: "BC",
    DocumentType.DELIVERY_PREPARATION: "PL",
    DocumentType.DELIVERY_NOTE: "BL",
    DocumentType.INVOICE: "FA",
}


def groups_order(order: Order, options: GroupingOptions) -> bool:
    """Whether ``order`` is grouped (rather than imported on its own)."""
    return options.orders == "all" or (options.orders == "guests" and order.is_guest)


def day_of(order: Order, zone: ZoneInfo) -> date:
    return order.created_at.astimezone(zone).date()


def group_key(day: date, kind: DocumentType, sequence: int) -> str:
    """``J261129BC1``: the group's key, its shop order id in the ERP (17 characters at most)."""
    return f"J{day:%y%m%d}{SHORT.get(kind, 'XX')}{sequence}"


@dataclass(frozen=True, slots=True)
class Built:
    """A member's own document (amounts with tax) or why it cannot be grouped."""

    order: Order
    document: SalesDocument | None
    error: str = ""


def build_member(
    order: Order,
    *,
    document_type: DocumentType,
    account: str,
    articles: Mapping[str, object],
    options: OrderOptions,
    rates: Mapping[str, Decimal],
    tax_codes: Mapping[str, str],
) -> Built:
    """The member's lines at the shop's amounts with tax, shipping as a line; its total must be
    the order's total."""
    line_options = with_tax_codes(options, tax_codes).model_copy(update={"shipping": ShippingMode.LINE})
    try:
        document = build_document(
            order,
            document_type=document_type,
            customer_code=account,
            articles=articles,  # type: ignore[arg-type]
            options=line_options,
            rates=rates,
            tax_inclusive=True,
        )
    except OrderRejected as exc:
        return Built(order, None, str(exc))
    total = document.totals().gross
    if total != round_money(order.total):
        return Built(
            order, None, f"its lines add up to {total} with tax, the order to {round_money(order.total)}"
        )
    return Built(order, document)


def merged(members: Sequence[SalesDocument], *, merge_lines: bool) -> tuple[DocumentLine, ...]:
    """The members' lines, identical ones (reference, unit price, tax code, kind) added up."""
    lines = [line for document in members for line in document.lines]
    if not merge_lines:
        return tuple(lines)
    totals: dict[tuple[str, Decimal, str, str], DocumentLine] = {}
    for line in lines:
        key = (line.reference, line.unit_price, line.tax_code, line.kind.value)
        known = totals.get(key)
        totals[key] = line if known is None else replace(known, quantity=known.quantity + line.quantity)
    return tuple(totals.values())


def group_document(
    key: str,
    day: date,
    document_type: DocumentType,
    members: Sequence[Built],
    options: OrderOptions,
) -> SalesDocument:
    """The day's document: the members' lines (merged as the profile says), with tax."""
    documents = [m.document for m in members if m.document is not None]
    ids = ", ".join(m.order.shop_id for m in members if m.document is not None)
    return SalesDocument(
        type=document_type,
        customer_code=options.grouping.account,
        date=day,
        lines=merged(documents, merge_lines=options.grouping.merge_lines),
        reference=f"Web {day:%d/%m/%Y}",
        shop_order_id=key,
        shop_order_number=key,
        series=options.series,
        warehouse=options.warehouse,
        currency=documents[0].currency if documents else "EUR",
        notes=f"Commandes du {day:%d/%m/%Y} : {ids}",
        prices_include_tax=True,
    )


def members_of(detail: str | None) -> list[str]:
    """The member order ids a group task recorded."""
    try:
        found = json.loads(detail or "[]")
    except ValueError:
        return []
    return [str(i) for i in found] if isinstance(found, list) else []


def sequence_for(done_keys: Sequence[str], day: date, kind: DocumentType) -> int:
    """The next group number of a day and type (1 for the first group)."""
    prefix = group_key(day, kind, 0)[:-1]
    return 1 + sum(1 for key in done_keys if key.startswith(prefix))


def buckets(
    orders: Sequence[Order], zone: ZoneInfo, statuses: Mapping[str, DocumentType]
) -> dict[tuple[date, DocumentType], list[Order]]:
    """Orders by day and document type."""
    found: dict[tuple[date, DocumentType], list[Order]] = defaultdict(list)
    for order in orders:
        found[(day_of(order, zone), statuses[order.status])].append(order)
    return found
