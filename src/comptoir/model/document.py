"""ERP sales documents and payments built from shop orders, with their totals.

Totals are computed the way French invoicing software presents them: each line's net amount
rounded to the cent, then one tax amount per tax code on the sum of that code's bases
(footer taxes), shipping in the footer taxed with its own code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from comptoir.model.money import HUNDRED, ZERO, Rounding, money_sum, round_money, tax_amount
from comptoir.model.party import Address


class DocumentType(StrEnum):
    """Sales document types of SPEC §7, in the order a sale progresses."""

    QUOTE = "quote"
    ORDER = "order"
    DELIVERY_PREPARATION = "delivery_preparation"
    DELIVERY_NOTE = "delivery_note"
    INVOICE = "invoice"
    POSTED_INVOICE = "posted_invoice"
    RETURN = "return"
    CREDIT_NOTE = "credit_note"


class LineKind(StrEnum):
    """Why a document line exists."""

    ARTICLE = "article"
    MISCELLANEOUS = "miscellaneous"
    SHIPPING = "shipping"
    DISCOUNT = "discount"
    PACKAGING = "packaging"
    FEE = "fee"


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line of a sales document; ``unit_price`` is net of tax."""

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
        """Net amount of the line, rounded to the cent."""
        gross = self.quantity * self.unit_price
        return round_money(gross * (HUNDRED - self.discount_percent) / HUNDRED, 2, rule)


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
    shipping_net: Decimal = ZERO
    """Shipping charged in the footer (not as a line)."""
    shipping_tax_code: str = ""
    shipping_tax_rate: Decimal = ZERO
    currency: str = "EUR"
    notes: str = ""
    delivery_address: Address | None = None
    delivery_address_number: int | None = None
    price_category: str = ""
    accounting_category: str = ""
    payment_mode: str = ""

    def totals(self, rule: Rounding = Rounding.COMMERCIAL) -> DocumentTotals:
        """Footer totals: one tax per tax code on the sum of its bases."""
        bases: dict[str, list[Decimal]] = {}
        rates: dict[str, Decimal] = {}
        for line in self.lines:
            bases.setdefault(line.tax_code, []).append(line.amount(rule))
            rates[line.tax_code] = line.tax_rate
        shipping = round_money(self.shipping_net, 2, rule)
        if shipping:
            bases.setdefault(self.shipping_tax_code, []).append(shipping)
            rates[self.shipping_tax_code] = self.shipping_tax_rate
        footer = tuple(
            TaxBase(code, rates[code], base, tax_amount(base, rates[code], rule))
            for code, amounts in sorted(bases.items())
            for base in [money_sum(amounts)]
        )
        lines_net = money_sum(line.amount(rule) for line in self.lines)
        net = lines_net + shipping
        tax = money_sum(b.tax for b in footer)
        return DocumentTotals(lines_net, shipping, net, tax, net + tax, footer)


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document that exists in the ERP."""

    number: str
    type: DocumentType
    customer_code: str = ""
    shop_order_id: str = ""
    total_net: Decimal = ZERO
    total_gross: Decimal = ZERO


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
