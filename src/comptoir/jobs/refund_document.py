"""Turn a shop refund into an ERP credit note or return (pure: no I/O).

The document's prices include tax: each line carries the amount with tax the shop gave back
for it (net + tax, as the refund says), so the document's total is the refund's amount to the
cent whatever the rounding, and the ERP derives each tax code's net. What the refund names
becomes lines: refunded items on their articles (quantities positive: the document type makes it
a credit), shipping on the shipping article, fees on the miscellaneous article. What it does not
name (a refund of an amount only, or the part of a refund beyond its items) goes on the refund
article, spread over the order's tax codes pro rata of the order's amounts with tax. The ERP
document carries the refund's key (``R`` + the shop's refund id) as its shop order id, so it is
written once, and names the document it corrects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from comptoir.jobs.order_document import OrderRejected, render_reference
from comptoir.model import (
    ZERO,
    Article,
    DocumentLine,
    DocumentType,
    LineKind,
    Order,
    Refund,
    SalesDocument,
    round_money,
    split_pro_rata,
)
from comptoir.profile import OrderOptions, RefundMode, RefundOptions, UnknownReference

KEY_PREFIX = "R"
_UNIT_PLACES = 6


def refund_key(refund: Refund) -> str:
    """The shop order id the credit note carries in the ERP: ``R`` + the refund's id."""
    return f"{KEY_PREFIX}{refund.shop_id}"


def _code(options: OrderOptions, rate: Decimal | None, where: str, codes: Mapping[str, str]) -> str:
    value = rate if rate is not None else ZERO
    for key, mapped in codes.items():
        if Decimal(key) == value:
            return mapped
    code = options.tax_code_for(value)
    if code is None:
        raise OrderRejected(
            f"{where}: tax rate {value.normalize():f} % is not mapped to an ERP tax code (orders.tax_codes)"
        )
    return code


def build_refund_document(
    refund: Refund,
    order: Order,
    *,
    customer_code: str,
    origin_number: str,
    articles: Mapping[str, Article],
    orders: OrderOptions,
    options: RefundOptions,
    rates: Mapping[str, Decimal],
    tax_codes: Mapping[str, str] | None = None,
) -> SalesDocument:
    """The credit note (or return) of ``refund``; ``OrderRejected`` names what is wrong."""
    codes = tax_codes or {}
    if refund.amount <= 0:
        raise OrderRejected(f"refund {refund.shop_id}: amount {refund.amount} is not positive")
    order_lines = {line.line_id: line for line in order.lines}
    lines: list[DocumentLine] = []

    def add(
        reference: str,
        name: str,
        quantity: Decimal,
        gross: Decimal,
        rate: Decimal | None,
        kind: LineKind,
        where: str,
    ) -> None:
        code = _code(orders, rate, where, codes)
        lines.append(
            DocumentLine(
                reference=reference,
                designation=name,
                quantity=quantity,
                unit_price=round_money(gross / quantity, _UNIT_PLACES),
                tax_code=code,
                tax_rate=rates.get(code, rate if rate is not None else ZERO),
                kind=kind,
            )
        )

    for number, item in enumerate(refund.lines, start=1):
        where = f"refund {refund.shop_id}, line {number} ({item.sku or item.name})"
        ordered = order_lines.get(item.line_id)
        sku = item.sku or (ordered.sku if ordered else "")
        rate = item.tax_rate if item.tax_rate is not None else (ordered.tax_rate if ordered else None)
        article = articles.get(sku) if sku else None
        kind = LineKind.ARTICLE
        if article is None:
            if orders.unknown_reference is UnknownReference.FAIL:
                raise OrderRejected(f"{where}: reference {sku!r} unknown in the ERP")
            kind = LineKind.MISCELLANEOUS
        reference = article.reference if article is not None else orders.miscellaneous_article
        quantity = item.quantity if item.quantity > 0 else Decimal(1)
        add(
            reference,
            item.name or (ordered.name if ordered else sku),
            quantity,
            item.total + item.tax,
            rate,
            kind,
            where,
        )
    for fee in refund.fees:
        add(
            orders.miscellaneous_article,
            fee.name,
            Decimal(1),
            fee.total + fee.tax,
            fee.tax_rate,
            LineKind.FEE,
            f"refund {refund.shop_id}, fee {fee.name}",
        )
    if refund.shipping or refund.shipping_tax:
        rate = refund.shipping_tax_rate
        if rate is None and order.shipping_lines:
            rate = order.shipping_lines[0].tax_rate
        add(
            orders.shipping_article,
            "Frais de port",
            Decimal(1),
            refund.shipping + refund.shipping_tax,
            rate,
            LineKind.SHIPPING,
            f"refund {refund.shop_id}, shipping",
        )
    rest = round_money(refund.amount - refund.itemised)
    if rest < 0:
        raise OrderRejected(
            f"refund {refund.shop_id}: its items add up to {round_money(refund.itemised)}, "
            f"more than its amount {refund.amount}"
        )
    if rest > 0:
        remainder_article = options.refund_article or orders.miscellaneous_article
        weights: dict[Decimal | None, Decimal] = defaultdict(Decimal)
        for line in order.lines:
            weights[line.tax_rate] += line.total + line.tax
        for shipping in order.shipping_lines:
            weights[shipping.tax_rate] += shipping.total + shipping.tax
        for charge in order.fees:
            weights[charge.tax_rate] += charge.total + charge.tax
        parts = [(rate, weight) for rate, weight in weights.items() if weight > 0] or [(None, Decimal(1))]
        label = f"Remboursement {refund.reason}".strip() if refund.reason else "Remboursement"
        for (rate, _), amount in zip(parts, split_pro_rata(rest, [w for _, w in parts]), strict=True):
            if amount:
                add(
                    remainder_article,
                    label,
                    Decimal(1),
                    amount,
                    rate,
                    LineKind.FEE,
                    f"refund {refund.shop_id}",
                )
    document = SalesDocument(
        type=DocumentType.CREDIT_NOTE if options.document is RefundMode.CREDIT_NOTE else DocumentType.RETURN,
        customer_code=customer_code,
        date=refund.created_at.date(),
        lines=tuple(lines),
        reference=render_reference(options.reference_template, order)[:17],
        shop_order_id=refund_key(refund),
        shop_order_number=order.number,
        series=orders.series,
        warehouse=orders.warehouse,
        currency=order.currency,
        notes=refund.reason,
        prices_include_tax=True,
        origin_number=origin_number,
    )
    total = document.totals().gross
    if total != round_money(refund.amount):
        raise OrderRejected(
            f"refund {refund.shop_id}: the credit note totals {total}, the refund {refund.amount}"
        )
    return document
