"""Orders as a shop reports them, in neutral terms.

Amounts follow the shop: ``total``/``subtotal`` are net (tax excluded), taxes are separate.
``subtotal`` is before cart discounts (coupons), ``total`` after. What the shop says of its own
rounding (prices entered with tax or not, tax rounded per line or on the subtotal) travels with
the order as neutral facts, so the ERP document can be reconciled with it to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from comptoir.model.money import ZERO, money_sum
from comptoir.model.party import Address


class TaxRounding(StrEnum):
    """Where a shop rounds tax to the cent."""

    LINE = "line"
    """Each line's tax (and shipping's, each fee's) is rounded, then summed (the usual default of shops)."""
    SUBTOTAL = "subtotal"
    """Each rate's tax is rounded once, on the sum of its lines."""


@dataclass(frozen=True, slots=True)
class OrderLine:
    """A product line of a shop order."""

    line_id: str
    sku: str
    name: str
    quantity: Decimal
    subtotal: Decimal
    total: Decimal
    tax: Decimal = ZERO
    tax_rate: Decimal | None = None
    """Percent, as the shop's tax line states it; ``None`` when the line is untaxed."""
    subtotal_tax: Decimal = ZERO
    """Tax on ``subtotal`` (before cart discounts), as the shop rounded it; ``tax`` is on ``total``."""
    product_id: str = ""
    variation_id: str = ""

    @property
    def discount(self) -> Decimal:
        """Net amount of cart discounts applied to this line."""
        return self.subtotal - self.total


@dataclass(frozen=True, slots=True)
class ShippingLine:
    """A shipping method charged on the order."""

    method: str
    label: str
    total: Decimal
    tax: Decimal = ZERO
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FeeLine:
    """An extra fee (gift wrapping, payment surcharge…)."""

    name: str
    total: Decimal
    tax: Decimal = ZERO
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CouponLine:
    """A coupon used on the order; its discount is already spread over the lines."""

    code: str
    discount: Decimal
    discount_tax: Decimal = ZERO
    description: str = ""


@dataclass(frozen=True, slots=True)
class Order:
    """A shop order."""

    shop_id: str
    number: str
    status: str
    created_at: datetime
    currency: str
    total: Decimal
    """Grand total, tax included, as the shop charged it."""
    total_tax: Decimal
    lines: tuple[OrderLine, ...]
    modified_at: datetime | None = None
    paid_at: datetime | None = None
    prices_include_tax: bool = False
    """The shop's prices were entered with tax: what the customer saw and paid per line is
    ``total + tax``, the net amounts are derived from it."""
    tax_rounding: TaxRounding | None = None
    """Where the shop rounds tax; ``None`` when the shop did not say."""
    customer_shop_id: str | None = None
    """``None`` for a guest order."""
    email: str = ""
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    shipping_lines: tuple[ShippingLine, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    coupons: tuple[CouponLine, ...] = ()
    payment_method: str = ""
    payment_method_title: str = ""
    transaction_id: str = ""
    customer_note: str = ""
    transferred: bool = False
    """The shop already carries comptoir's "transferred" mark."""
    customer_erp_code: str = ""
    """The ERP customer code the shop keeps on the order's customer account (set by the export of
    customers, or by hand): the first way to find the order's ERP customer."""
    customer_email: str = ""
    """The e-mail of the shop customer account, when it differs from the billing e-mail."""
    vat_number: str = ""
    """The buyer's intra-EU VAT number, where the shop keeps one."""
    siret: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_guest(self) -> bool:
        return self.customer_shop_id is None

    @property
    def shipping_total(self) -> Decimal:
        return money_sum(s.total for s in self.shipping_lines)

    @property
    def discount_total(self) -> Decimal:
        return money_sum(line.discount for line in self.lines)


@dataclass(frozen=True, slots=True)
class TransferMark:
    """What the shop is told once an order is in the ERP."""

    shop_order_id: str
    document_number: str
