"""Turn a shop order into an ERP sales document (pure: no I/O).

Lines are found by reference; cart discounts become discount-article lines, one per tax
code, each carrying the exact discount the shop applied to that code's lines; shipping goes
in the footer or on a line; fees become packaging or miscellaneous lines. Every refusal is an
``OrderRejected`` naming the line and the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from comptoir.journal.messages import Text
from comptoir.model import (
    ZERO,
    Address,
    Article,
    Customer,
    DocumentLine,
    DocumentRef,
    DocumentType,
    LineKind,
    Order,
    Payment,
    SalesDocument,
    round_money,
)
from comptoir.model.money import money_sum
from comptoir.profile import AccountMode, CustomerOptions, OrderOptions, ShippingMode, UnknownReference

_UNIT_PRICE_PLACES = 6
_PACKAGING_WORDS = re.compile(r"emballage|paquet|gift|wrap", re.IGNORECASE)


class OrderRejected(Exception):
    """The order cannot become a document; the message (a ``Text``: English as a string, in the
    profile's language in the journal) names where and why."""


def account_code(order: Order, options: CustomerOptions, orders: OrderOptions | None = None) -> str:
    """The ERP account of the order's customer: the payment method's account when it names one
    (marketplaces), else per the account mode (WEB000530)."""
    mapping = orders.payment_methods.get(order.payment_method) if orders else None
    if mapping is not None and mapping.account:
        return mapping.account
    if order.is_guest:
        return options.guest_account
    if options.account_mode is AccountMode.SHARED:
        return options.shared_account
    shop_id = order.customer_shop_id or ""
    width = options.account_length - len(options.account_prefix)
    if len(shop_id) > width:
        raise OrderRejected(
            Text(
                "reject.account_length",
                customer=shop_id,
                length=options.account_length,
                prefix=options.account_prefix,
            )
        )
    return options.account_prefix + shop_id.zfill(width)


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def customer_from_order(order: Order, code: str, options: CustomerOptions) -> Customer:
    """A new ERP customer from the order's billing details."""
    billing = order.billing
    last_name = billing.last_name.upper() if options.uppercase_name else billing.last_name
    person = f"{billing.first_name} {last_name}".strip()
    name = billing.company or person or order.email or code
    if order.is_guest and code == options.guest_account:
        name = "Clients web (invités)"
    return Customer(
        code=code,
        name=name,
        first_name=billing.first_name,
        last_name=last_name,
        company=billing.company,
        email=order.email or billing.email,
        phone=billing.phone,
        billing=billing,
        deliveries=(order.shipping,) if order.shipping.line1 else (),
        price_category=options.price_category,
        accounting_account=options.accounting_account,
        vat_number=order.vat_number,
        siret=order.siret,
        shop_id=order.customer_shop_id,
    )


def payment_for(order: Order, document: DocumentRef, options: OrderOptions) -> Payment | None:
    """The payment to record for a paid order whose method asks for it, else ``None``."""
    mapping = options.payment_methods.get(order.payment_method)
    if mapping is None or not mapping.create_payment or order.paid_at is None:
        return None
    return Payment(
        customer_code=document.customer_code,
        date=order.paid_at.date(),
        amount=round_money(order.total),
        mode=mapping.mode,
        journal=mapping.journal,
        label=render_reference(options.payment_label, order),
        reference=order.number or order.shop_id,
        document_number=document.number,
        document_type=document.type,
    )


def render_reference(template: str, order: Order) -> str:
    """Fill ``%OI %OR %OD %CF %CL %CC %PM`` from the order."""
    values = {
        "%OI": order.shop_id,
        "%OR": order.number,
        "%OD": order.created_at.date().isoformat(),
        "%CF": order.billing.first_name,
        "%CL": order.billing.last_name,
        "%CC": order.billing.company,
        "%PM": order.payment_method_title or order.payment_method,
    }
    return re.sub(r"%(OI|OR|OD|CF|CL|CC|PM)", lambda m: values[m.group(0)], template).strip()


def with_tax_codes(options: OrderOptions, overrides: Mapping[str, str]) -> OrderOptions:
    """``options`` whose tax codes are ``overrides`` first (the order's accounting category's),
    then the profile's for the rates the overrides do not name."""
    if not overrides:
        return options
    named = {Decimal(k) for k in overrides}
    rest = {k: v for k, v in options.tax_codes.items() if Decimal(k) not in named}
    return options.model_copy(update={"tax_codes": {**overrides, **rest}})


def _tax_code(options: OrderOptions, rate: Decimal | None, where: str) -> str:
    code = options.tax_code_for(rate if rate is not None else ZERO)
    if code is None:
        shown = Text("reject.no_tax") if rate is None else f"{rate.normalize():f} %"
        raise OrderRejected(Text("reject.tax_unmapped", where=where, rate=shown))
    return code


def _discount_article(options: OrderOptions, code: str) -> str:
    article = options.discount_articles.get(code) or options.discount_articles.get("*")
    if not article:
        raise OrderRejected(Text("reject.no_discount_article", code=code))
    return article


def build_document(
    order: Order,
    *,
    document_type: DocumentType,
    customer_code: str,
    articles: Mapping[str, Article],
    options: OrderOptions,
    rates: Mapping[str, Decimal],
    tax_inclusive: bool = False,
    accounting_category: str = "",
) -> SalesDocument:
    """The sales document for ``order``; raises ``OrderRejected`` naming what is wrong.

    ``tax_inclusive``: every amount is the shop's amount with tax (net + the tax the shop rounded
    for it), and the document's prices include tax; otherwise amounts are the shop's net amounts.
    """
    lines: list[DocumentLine] = []
    discounts: dict[str, Decimal] = defaultdict(Decimal)
    for number, item in enumerate(order.lines, start=1):
        where = Text("where.line", number=number, reference=item.sku or item.name)
        if item.quantity <= 0:
            raise OrderRejected(Text("reject.quantity", where=where, quantity=item.quantity))
        article = articles.get(item.sku) if item.sku else None
        kind = LineKind.ARTICLE
        if article is None:
            if options.unknown_reference is UnknownReference.FAIL:
                raise OrderRejected(Text("reject.unknown_reference", where=where, reference=item.sku))
            article = articles.get(options.miscellaneous_article)
            if article is None:
                raise OrderRejected(
                    Text("reject.miscellaneous_missing", where=where, article=options.miscellaneous_article)
                )
            kind = LineKind.MISCELLANEOUS
        code = _tax_code(options, item.tax_rate, where)
        subtotal = item.subtotal + item.subtotal_tax if tax_inclusive else item.subtotal
        unit = round_money(subtotal / item.quantity, _UNIT_PRICE_PLACES)
        lines.append(
            DocumentLine(
                reference=article.reference,
                designation=item.name,
                quantity=item.quantity,
                unit_price=unit,
                tax_code=code,
                tax_rate=rates.get(code, item.tax_rate or ZERO),
                kind=kind,
                warehouse=options.warehouse,
            )
        )
        discount = subtotal - (item.total + item.tax if tax_inclusive else item.total)
        if discount:
            discounts[code] += discount
    for code, amount in sorted(discounts.items()):
        lines.append(
            DocumentLine(
                reference=_discount_article(options, code),
                designation=_coupon_label(order),
                quantity=Decimal(1),
                unit_price=-amount,
                tax_code=code,
                tax_rate=rates.get(code, ZERO),
                kind=LineKind.DISCOUNT,
            )
        )
    for fee in order.fees:
        code = _tax_code(options, fee.tax_rate, Text("where.fee", name=fee.name))
        is_packaging = bool(_PACKAGING_WORDS.search(fee.name))
        lines.append(
            DocumentLine(
                reference=options.packaging_article if is_packaging else options.miscellaneous_article,
                designation=fee.name,
                quantity=Decimal(1),
                unit_price=fee.total + fee.tax if tax_inclusive else fee.total,
                tax_code=code,
                tax_rate=rates.get(code, ZERO),
                kind=LineKind.PACKAGING if is_packaging else LineKind.FEE,
            )
        )
    shipping_amount = ZERO
    shipping_code = ""
    shipping_rate = ZERO
    charged = [(s, s.total + s.tax if tax_inclusive else s.total) for s in order.shipping_lines if s.total]
    shipping_codes = {
        _tax_code(options, s.tax_rate, Text("where.shipping", label=s.label)) for s, _ in charged
    }
    if options.shipping is ShippingMode.LINE or len(shipping_codes) > 1:
        for shipping, amount in charged:
            code = _tax_code(options, shipping.tax_rate, Text("where.shipping", label=shipping.label))
            lines.append(
                DocumentLine(
                    reference=options.shipping_article,
                    designation=shipping.label,
                    quantity=Decimal(1),
                    unit_price=amount,
                    tax_code=code,
                    tax_rate=rates.get(code, ZERO),
                    kind=LineKind.SHIPPING,
                )
            )
    elif charged:
        shipping_code = shipping_codes.pop()
        shipping_amount = money_sum(amount for _, amount in charged)
        shipping_rate = rates.get(shipping_code, ZERO)
    return SalesDocument(
        type=document_type,
        customer_code=customer_code,
        date=order.created_at.date(),
        lines=tuple(lines),
        reference=render_reference(options.reference_template, order),
        shop_order_id=order.shop_id,
        shop_order_number=order.number,
        series=options.series,
        warehouse=options.warehouse,
        shipping_amount=shipping_amount,
        shipping_tax_code=shipping_code,
        shipping_tax_rate=shipping_rate,
        currency=order.currency,
        notes=order.customer_note,
        delivery_address=order.shipping if order.shipping.line1 else _as_delivery(order.billing),
        payment_mode=mapping.mode if (mapping := options.payment_methods.get(order.payment_method)) else "",
        prices_include_tax=tax_inclusive,
        accounting_category=accounting_category,
    )


def _as_delivery(address: Address) -> Address | None:
    return address if address.line1 else None


def _coupon_label(order: Order) -> str:
    codes = ", ".join(c.code for c in order.coupons)
    return f"Remise {codes}".strip() if codes else "Remise"
