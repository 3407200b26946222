"""What happens to an order after its import, in neutral terms: status updates and documents
sent to the shop, refunds read from it, and issued ERP documents (invoices, credit notes) with
everything an invoice must show.

Every write to the shop carries a ``key`` that makes it idempotent: an adapter asked again for an
update or an attachment whose key the order already carries (``verify``) does not apply it twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from comptoir.model.document import DocumentType, TaxBase
from comptoir.model.money import ZERO
from comptoir.model.party import Address


@dataclass(frozen=True, slots=True)
class OrderUpdate:
    """A change to tell a shop order: its new status, the ERP document number, a note."""

    shop_order_id: str
    key: str
    """What this update stands for (e.g. ``BL00012/delivery_note/0``): never applied twice."""
    status: str | None
    """Shop status to set; ``None`` leaves the status alone."""
    document_number: str
    """The ERP document now holding the order, written on the shop order."""
    note: str = ""
    """Order note recording the change (private to the shop staff)."""
    verify: bool = False
    """An earlier attempt may have gone through (a killed run): look at the order before adding
    its note again."""


@dataclass(frozen=True, slots=True)
class OrderAttachment:
    """A document (an invoice PDF) to put on a shop order where its customer finds it."""

    shop_order_id: str
    key: str
    """The document's number: one attachment per key and order, never two."""
    file_name: str
    content: bytes
    media_type: str
    title: str
    """What the customer reads (``Facture FA00012 du 2026-11-29``)."""
    issued_on: date
    total: Decimal
    verify: bool = False
    """An earlier attempt may have gone through: look at the order before attaching again."""


@dataclass(frozen=True, slots=True)
class RefundLine:
    """What a refund gives back on one order line; amounts positive, net of tax."""

    line_id: str
    """The refunded order line's id (``""`` when the shop does not say)."""
    sku: str
    name: str
    quantity: Decimal
    total: Decimal
    tax: Decimal = ZERO
    tax_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    """A refund of a shop order.

    ``amount`` (tax included, positive) is what the customer gets back. ``lines``, ``shipping``
    and ``fees`` say what it is for when the shop itemised it; a refund of an amount only has
    none of them.
    """

    shop_id: str
    order_shop_id: str
    created_at: datetime
    amount: Decimal
    reason: str = ""
    lines: tuple[RefundLine, ...] = ()
    shipping: Decimal = ZERO
    shipping_tax: Decimal = ZERO
    shipping_tax_rate: Decimal | None = None
    fees: tuple[RefundLine, ...] = ()

    @property
    def itemised(self) -> Decimal:
        """The amount with tax its items account for."""
        items = [*self.lines, *self.fees]
        return sum((i.total + i.tax for i in items), ZERO) + self.shipping + self.shipping_tax


@dataclass(frozen=True, slots=True)
class CompanyIdentity:
    """The seller as an invoice names it (the ERP company, completed by the profile)."""

    name: str
    address: Address
    siret: str = ""
    vat_number: str = ""
    ape: str = ""
    email: str = ""
    phone: str = ""

    @property
    def siren(self) -> str:
        """The first nine digits of the SIRET."""
        digits = "".join(c for c in self.siret if c.isdigit())
        return digits[:9]


@dataclass(frozen=True, slots=True)
class IssuedLine:
    """One line of an issued document: net amounts, one tax code."""

    reference: str
    designation: str
    quantity: Decimal
    unit_price: Decimal
    """Net unit price after the line's discount."""
    net: Decimal
    """Net amount of the line (quantity × unit price, rounded)."""
    tax_code: str
    tax_rate: Decimal


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """An invoice or credit note as the ERP holds it, with what its PDF must show."""

    number: str
    type: DocumentType
    date: dt.date
    customer_code: str
    customer_name: str
    billing: Address
    lines: tuple[IssuedLine, ...]
    bases: tuple[TaxBase, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal
    shop_order_id: str = ""
    reference: str = ""
    customer_vat_number: str = ""
    customer_siret: str = ""
    delivery: Address | None = None
    due_date: dt.date | None = None
    paid: Decimal = ZERO
    """What the customer already paid on it (down payments, payments allocated)."""
    origin_number: str = ""
    """For a credit note: the invoice it corrects."""
    currency: str = "EUR"
    pdf: bytes | None = None
    """The ERP's own PDF of the document, when it keeps one."""
    later_numbers: tuple[str, ...] = field(default_factory=tuple)
