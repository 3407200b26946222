"""ERP sales documents and payments built from shop orders, with their totals.

Totals are computed the way French invoicing software presents them: each line's amount
rounded to the cent, then one tax amount per tax code on the sum of that code's amounts
(footer taxes), shipping in the footer taxed with its own code. A document's prices are net of
tax, or tax-inclusive (``SalesDocument.prices_include_tax``): then each code's amounts are
amounts with tax, their sum is what the customer pays for that code, and the net is derived
from it (net = sum × 100 / (100 + rate), rounded; tax = sum − net).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from comptoir.model.kinds import DocumentType as DocumentType
from comptoir.model.money import (
    HUNDRED,
    ZERO,
    Rounding,
    money_sum,
    net_from_gross,
    round_money,
    tax_amount,
)
from comptoir.model.party import Address


class LineKind(StrEnum):
    """Why a document line exists."""

    ARTICLE = "article"
    MISCELLANEOUS = "miscellaneous"
    SHIPPING = "shipping"
    DISCOUNT = "discount"
    PACKAGING = "packaging"
    FEE = "fee"
    ROUNDING = "rounding"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line of a sales document; ``unit_price`` is net of tax, or includes tax when the
    document's prices do (``SalesDocument.prices_include_tax``)."""

    reference: str
    designation: str
    quantity: Decimal
    unit_price: Decimal
    tax_code: str
    tax_rate: Decimal
    discount_percent: Decimal = ZERO
    kind: LineKind = LineKind.ARTICLE
    warehouse: str | None = None
    """ERP warehouse identifier; None: the document's."""

    def amount(self, rule: Rounding = Rounding.COMMERCIAL) -> Decimal:
        """Amount of the line in the document's terms (net, or with tax), rounded to the cent."""
        gross = self.quantity * self.unit_price
        return round_money(gross * (HUNDRED - self.discount_percent) / HUNDRED, 2, rule)

    def net_and_gross(
        self, prices_include_tax: bool, rule: Rounding = Rounding.COMMERCIAL
    ) -> tuple[Decimal, Decimal]:
        """The line's own net amount and amount with tax, for display columns; the document's
        taxes are computed per code on the footer, not from these."""
        amount = self.amount(rule)
        if prices_include_tax:
            return net_from_gross(amount, self.tax_rate, 2, rule), amount
        return amount, amount + tax_amount(amount, self.tax_rate, rule)


@dataclass(frozen=True, slots=True)
class TaxBase:
    """The footer line of one tax code: base, rate and tax."""

    code: str
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class DocumentTotals:
    """Footer totals of a document."""

    lines_net: Decimal
    shipping_net: Decimal
    net: Decimal
    tax: Decimal
    gross: Decimal
    bases: tuple[TaxBase, ...]


@dataclass(frozen=True, slots=True)
class SalesDocument:
    """A sales document to write into the ERP."""

    type: DocumentType
    customer_code: str
    date: date
    lines: tuple[DocumentLine, ...]
    reference: str = ""
    shop_order_id: str = ""
    shop_order_number: str = ""
    series: str = ""
    """ERP numbering series identifier; empty: the ERP's default series."""
    warehouse: str | None = None
    """ERP warehouse identifier; None: the customer's home warehouse, else the ERP's main one."""
    shipping_amount: Decimal = ZERO
    """Shipping charged in the footer (not as a line): net, or with tax when the document's prices
    include tax."""
    shipping_tax_code: str = ""
    shipping_tax_rate: Decimal = ZERO
    currency: str = "EUR"
    notes: str = ""
    delivery_address: Address | None = None
    delivery_address_number: int | None = None
    price_category: str = ""
    accounting_category: str = ""
    payment_mode: str = ""
    prices_include_tax: bool = False
    """Line unit prices and the footer shipping include tax (Sage: ``DL_TTC`` lines): the total is
    the sum of the amounts with tax, each code's net is derived from its sum."""
    origin_number: str = ""
    """For a credit note or a return: the ERP document it corrects (Sage: ``DO_PieceOrig``)."""

    def totals(self, rule: Rounding = Rounding.COMMERCIAL) -> DocumentTotals:
        """Footer totals: one tax per tax code on the sum of its amounts."""
        amounts: dict[str, list[Decimal]] = {}
        rates: dict[str, Decimal] = {}
        for line in self.lines:
            amounts.setdefault(line.tax_code, []).append(line.amount(rule))
            rates[line.tax_code] = line.tax_rate
        shipping = round_money(self.shipping_amount, 2, rule)
        if shipping:
            amounts.setdefault(self.shipping_tax_code, []).append(shipping)
            rates[self.shipping_tax_code] = self.shipping_tax_rate
        footer = tuple(
            self._footer(code, rates[code], money_sum(parts), rule) for code, parts in sorted(amounts.items())
        )
        net = money_sum(b.base for b in footer)
        tax = money_sum(b.tax for b in footer)
        shipping_net = shipping
        if self.prices_include_tax and shipping:
            shipping_net = net_from_gross(shipping, self.shipping_tax_rate, 2, rule)
        return DocumentTotals(net - shipping_net, shipping_net, net, tax, net + tax, footer)

    def _footer(self, code: str, rate: Decimal, amount: Decimal, rule: Rounding) -> TaxBase:
        if self.prices_include_tax:
            base = net_from_gross(amount, rate, 2, rule)
            return TaxBase(code, rate, base, amount - base)
        return TaxBase(code, rate, amount, tax_amount(amount, rate, rule))


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document that exists in the ERP."""

    number: str
    type: DocumentType
    customer_code: str = ""
    shop_order_id: str = ""
    total_net: Decimal = ZERO
    total_gross: Decimal = ZERO
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A customer payment (règlement) allocated to a document."""

    customer_code: str
    date: date
    amount: Decimal
    mode: str
    """ERP payment mode identifier."""
    journal: str
    label: str = ""
    reference: str = ""
    document_number: str = ""
    document_type: DocumentType = DocumentType.ORDER


@dataclass(frozen=True, slots=True)
class DocumentProgress:
    """Where the ERP document created from a shop order now stands."""

    shop_order_id: str
    number: str
    type: DocumentType
    status: int = 0
    later_numbers: tuple[str, ...] = field(default_factory=tuple)
