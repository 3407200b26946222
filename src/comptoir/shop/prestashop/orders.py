"""PrestaShop orders → neutral ``Order``, and the transfer mark.

An order is read from ``orders`` (totals, state, carrier, payment module), its ``order_details``
(one per row: reference, quantity, totals excluding and including tax as the shop rounded them,
the ``taxes`` association naming the row's taxes), its customer (e-mail; a guest checkout is a
customer flagged ``is_guest``), its invoice and delivery addresses, its histories (when it
entered a paid state) and its messages (comptoir's transfer mark).

What the customer pays is each row's amount with tax (``total_price_tax_incl``: unit prices
with tax rounded then multiplied per item, or the row rounded per line, as ``PS_ROUND_TYPE``
says) less the discounts, plus shipping; PrestaShop rounds each row's amount without tax on its
own, so a row's "with tax − without tax" is not its rate times its net within half a cent. The
neutral order therefore carries the amounts with tax and derives each net from them
(``prices_include_tax``): the ERP's total is then what the customer paid.

PrestaShop keeps cart discounts on the order only (``total_discounts_tax_incl``); the neutral
order wants them spread over the lines, so they are spread pro rata of each row's amount with
tax (what PrestaShop itself does for a percentage and for an amount rule), to the cent. Shipping
is one line at ``carrier_tax_rate``; gift wrapping a fee.

The transfer mark is a private order message whose text starts with ``comptoir:`` and names the
ERP document (docs/shops/prestashop.md says why a message rather than an order state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from comptoir.model import (
    ZERO,
    Address,
    CouponLine,
    FeeLine,
    Order,
    OrderLine,
    ShippingLine,
    TaxRounding,
    split_pro_rata,
    to_decimal,
)
from comptoir.model.money import net_from_gross

MARK_PREFIX = "comptoir:"
"""How comptoir's transfer message starts (the rest names the ERP document)."""
ROUND_TYPES = {"1": "item", "2": "line", "3": "total"}
"""``PS_ROUND_TYPE``: rounding per item, per line, or on the total only."""
TAX_ROUNDING = {"1": TaxRounding.LINE}
"""The neutral fact for each ``round_type``. Per item, every row's amounts with and without tax
are rounded unit prices times the quantity, and the total is their sum: tax is rounded per line.
Per line (the default) rows are rounded but ``total_paid`` rounds the sum of the unrounded rows
(``Calculator::getTotal``), a cent apart at times; per total nothing is rounded before the total:
neither is the neutral "line" nor "subtotal" rounding, so the order does not claim one (the
reconciliation then allows half a cent per line, and ``meta["round_type"]`` says which)."""
ROUND_MODES = {"0": "up", "1": "down", "2": "half_up", "3": "half_down", "4": "half_even", "5": "half_odd"}
"""``PS_PRICE_ROUND_MODE`` as ``Tools::ps_round`` applies it."""
WRAPPING = "Emballage cadeau"


def mark_text(document: str) -> str:
    """The private message marking an order transferred to the ERP."""
    return f"{MARK_PREFIX} commande transférée dans la gestion commerciale, pièce {document}"


def is_mark(message: Mapping[str, Any]) -> bool:
    return str(message.get("message") or "").startswith(MARK_PREFIX)


@dataclass
class References:
    """The shop's settings orders point to, read once per connection."""

    countries: dict[str, str] = field(default_factory=dict)
    """Country id → ISO code."""
    paid_states: set[str] = field(default_factory=set)
    carriers: dict[str, str] = field(default_factory=dict)
    """Carrier id → name."""
    currencies: dict[str, str] = field(default_factory=dict)
    """Currency id → ISO code."""
    taxes: dict[str, Decimal] = field(default_factory=dict)
    """Tax id → rate in percent."""


@dataclass
class OrderParts:
    """Everything read about one order besides the order itself."""

    details: list[dict[str, Any]] = field(default_factory=list)
    customer: dict[str, Any] | None = None
    addresses: dict[str, dict[str, Any]] = field(default_factory=dict)
    histories: list[dict[str, Any]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)


def shop_moment(value: Any, zone: ZoneInfo) -> datetime | None:
    """A shop date (``2026-03-01 10:00:00`` in the shop's zone) as a UTC instant; None when empty."""
    text = str(value or "")
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        local = datetime.fromisoformat(text[:19])
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


def shop_time(moment: datetime, zone: ZoneInfo) -> str:
    """A UTC instant as the shop writes its dates (local time, no offset), for date filters."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _rate_from_prices(excl: Decimal, incl: Decimal, known: Sequence[Decimal]) -> Decimal | None:
    """The rate a row's unit prices imply, snapped to a rate the shop has (for rows whose taxes
    the shop does not list)."""
    if excl <= 0 or incl <= excl:
        return None
    implied = (incl / excl - 1) * 100
    for rate in known:
        if abs(rate - implied) < Decimal("0.05"):
            return rate
    return implied.quantize(Decimal("0.001"))


def _line_rate(detail: Mapping[str, Any], refs: References) -> Decimal | None:
    taxes = (detail.get("associations") or {}).get("taxes") or []
    rates = [refs.taxes[str(t.get("id"))] for t in taxes if str(t.get("id")) in refs.taxes]
    if rates:
        total = sum(rates, ZERO)
        return total if total else None
    return _rate_from_prices(
        to_decimal(detail.get("unit_price_tax_excl")),
        to_decimal(detail.get("unit_price_tax_incl")),
        sorted(set(refs.taxes.values())),
    )


def _address(data: Mapping[str, Any] | None, refs: References, email: str = "") -> Address:
    if not data:
        return Address(email=email)
    return Address(
        first_name=str(data.get("firstname") or ""),
        last_name=str(data.get("lastname") or ""),
        company=str(data.get("company") or ""),
        line1=str(data.get("address1") or ""),
        line2=str(data.get("address2") or ""),
        postcode=str(data.get("postcode") or ""),
        city=str(data.get("city") or ""),
        country=refs.countries.get(str(data.get("id_country") or ""), ""),
        phone=str(data.get("phone") or data.get("phone_mobile") or ""),
        email=email,
        label=str(data.get("alias") or ""),
    )


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    if not total or not weights or sum(weights, ZERO) <= 0:
        return [ZERO for _ in weights]
    return split_pro_rata(total, weights)


def _net(gross: Decimal, rate: Decimal | None) -> Decimal:
    """The net of an amount with tax at ``rate`` (rounded half up to the cent)."""
    return net_from_gross(gross, rate or ZERO)


def _lines(order: Mapping[str, Any], parts: OrderParts, refs: References) -> tuple[OrderLine, ...]:
    details = sorted(parts.details, key=lambda d: int(d.get("id") or 0))
    incl = [to_decimal(d.get("total_price_tax_incl"), field="total_price_tax_incl") for d in details]
    off = _spread(to_decimal(order.get("total_discounts_tax_incl")), incl)
    lines = []
    for index, detail in enumerate(details):
        rate = _line_rate(detail, refs)
        before, after = incl[index], incl[index] - off[index]
        net_before, net_after = _net(before, rate), _net(after, rate)
        variation = str(detail.get("product_attribute_id") or "0")
        lines.append(
            OrderLine(
                line_id=str(detail.get("id")),
                sku=str(detail.get("product_reference") or ""),
                name=str(detail.get("product_name") or ""),
                quantity=to_decimal(detail.get("product_quantity"), field="product_quantity"),
                subtotal=net_before,
                total=net_after,
                tax=after - net_after,
                subtotal_tax=before - net_before,
                tax_rate=rate,
                product_id=str(detail.get("product_id") or ""),
                variation_id="" if variation == "0" else variation,
            )
        )
    return tuple(lines)


def _paid_at(
    order: Mapping[str, Any], parts: OrderParts, refs: References, zone: ZoneInfo
) -> datetime | None:
    paid = sorted(
        (h for h in parts.histories if str(h.get("id_order_state")) in refs.paid_states),
        key=lambda h: (str(h.get("date_add") or ""), int(h.get("id") or 0)),
    )
    if paid:
        return shop_moment(paid[0].get("date_add"), zone)
    if str(order.get("current_state")) in refs.paid_states:
        return shop_moment(order.get("invoice_date"), zone) or shop_moment(order.get("date_upd"), zone)
    return None


def order_from(order: Mapping[str, Any], parts: OrderParts, refs: References, zone: ZoneInfo) -> Order:
    """The neutral order (amounts excluding tax, taxes apart, as the model states them)."""
    customer = parts.customer or {}
    email = str(customer.get("email") or "")
    guest = not customer or str(customer.get("is_guest")) == "1"
    invoice = parts.addresses.get(str(order.get("id_address_invoice")))
    delivery = parts.addresses.get(str(order.get("id_address_delivery")))
    shipping_incl = to_decimal(order.get("total_shipping_tax_incl"))
    carrier_rate = to_decimal(order.get("carrier_tax_rate")) or None
    carrier = str(order.get("id_carrier") or "")
    shipping_net = _net(shipping_incl, carrier_rate)
    shipping = ShippingLine(
        method=carrier,
        label=refs.carriers.get(carrier, f"Transporteur {carrier}"),
        total=shipping_net,
        tax=shipping_incl - shipping_net,
        tax_rate=carrier_rate,
    )
    fees: tuple[FeeLine, ...] = ()
    wrapping_incl = to_decimal(order.get("total_wrapping_tax_incl"))
    if wrapping_incl:
        wrapping_excl = to_decimal(order.get("total_wrapping_tax_excl"))
        rate = _rate_from_prices(wrapping_excl, wrapping_incl, sorted(set(refs.taxes.values())))
        wrapping_net = _net(wrapping_incl, rate)
        fees = (FeeLine(WRAPPING, wrapping_net, wrapping_incl - wrapping_net, rate),)
    coupons: tuple[CouponLine, ...] = ()
    discount_excl = to_decimal(order.get("total_discounts_tax_excl"))
    if discount_excl:
        discount_incl = to_decimal(order.get("total_discounts_tax_incl"))
        coupons = (CouponLine("", discount_excl, discount_incl - discount_excl, "Bons de réduction"),)
    zone_created = shop_moment(order.get("date_add"), zone) or datetime.fromtimestamp(0, UTC)
    total = to_decimal(order.get("total_paid_tax_incl") or order.get("total_paid"))
    lines = _lines(order, parts, refs)
    net = sum((line.total for line in lines), ZERO) + shipping.total + sum((f.total for f in fees), ZERO)
    meta = {
        "reference": str(order.get("reference") or ""),
        "round_type": ROUND_TYPES.get(str(order.get("round_type")), str(order.get("round_type") or "")),
        "round_mode": ROUND_MODES.get(str(order.get("round_mode")), str(order.get("round_mode") or "")),
    }
    documents = [str(m.get("message") or "").rsplit(" ", 1)[-1] for m in parts.marks]
    if documents:
        meta["transferred_document"] = documents[-1]
    return Order(
        shop_id=str(order["id"]),
        number=str(order.get("reference") or order["id"]),
        status=str(order.get("current_state") or ""),
        created_at=zone_created,
        currency=refs.currencies.get(str(order.get("id_currency") or ""), ""),
        total=total,
        total_tax=total - net,
        lines=lines,
        modified_at=shop_moment(order.get("date_upd"), zone),
        paid_at=_paid_at(order, parts, refs, zone),
        prices_include_tax=True,
        tax_rounding=TAX_ROUNDING.get(str(order.get("round_type"))),
        customer_shop_id=None if guest else str(customer.get("id")),
        email=email,
        billing=_address(invoice, refs, email),
        shipping=_address(delivery, refs),
        shipping_lines=(shipping,),
        fees=fees,
        coupons=coupons,
        payment_method=str(order.get("module") or ""),
        payment_method_title=str(order.get("payment") or ""),
        transferred=bool(parts.marks),
        vat_number=str((invoice or {}).get("vat_number") or ""),
        siret=str(customer.get("siret") or ""),
        meta=meta,
    )
