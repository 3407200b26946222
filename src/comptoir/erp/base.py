"""The ``Erp`` protocol: everything a job may ask of an ERP, in the neutral vocabulary.

Reads are set-based (a handful of queries whatever the catalog size). Writes are each one
transaction: an order's customer, document, validation and payment together (``write_order``).
A batch of writes may be announced (``prepared_writes``) so that the adapter reads what they
share once. An adapter that cannot do something raises ``ErpUnsupported`` naming it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the types of the signatures only: a job imports the model it uses
    from comptoir.model import (
        Article,
        Category,
        Choice,
        CompanyIdentity,
        Customer,
        DocumentProgress,
        DocumentRef,
        DocumentType,
        IssuedDocument,
        Payment,
        PriceCategory,
        PriceRule,
        SalesDocument,
        StockChanges,
        StockLevel,
        TaxRate,
        Warehouse,
    )


class ErpError(Exception):
    """The ERP refused or could not do something; the message names the record and field.

    The journal says "gestion commerciale : " (in the profile's language) before the message. A
    message given as a ``comptoir.journal.messages.Text`` (a key of ``MESSAGES`` and its values) is
    said in the profile's language too; a plain string is shown as it is.
    """


class ErpConnectionError(ErpError):
    """The ERP cannot be used at all; ``code`` says why, as a short machine word:
    ``driver_missing``, ``unreachable``, ``login_refused``, ``database_missing``, ``not_erp``
    (the database is not this ERP's), ``read_only`` (the login cannot write where comptoir
    writes), ``error`` (anything else)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class ErpUnsupported(ErpError):
    """The adapter does not support this operation."""


class DuplicateDocument(ErpError):
    """A document for this shop order already exists; ``existing`` says which."""

    def __init__(self, existing: DocumentRef) -> None:
        self.existing = existing
        super().__init__(f"shop order {existing.shop_order_id} is already ERP document {existing.number}")


@dataclass(frozen=True, slots=True)
class OrderEntry:
    """What one shop order becomes in the ERP, written in one transaction by ``write_order``."""

    document: SalesDocument
    customer: Customer | None = None
    """A customer account to create first (the document's customer, not in the ERP yet)."""
    payment: Payment | None = None
    """The order's payment, allocated to the document once written (its document number and
    type are the document's, whatever this payment says)."""
    validate: bool = False
    """Validate the document before recording the payment (only when there is a payment)."""


@dataclass(frozen=True, slots=True)
class OrderWritten:
    """The document ``write_order`` wrote; ``payment_error`` says why its payment could not be
    recorded (the document is written all the same: the payment is for a later run)."""

    document: DocumentRef
    payment_error: ErpError | None = None


@dataclass(frozen=True, slots=True)
class ErpSummary:
    """Counts shown at the end of the demo."""

    articles: int
    customers: int
    documents: int


@dataclass(frozen=True, slots=True)
class ErpCheck:
    """Result of a connection test: the company, the ERP version, what the login may do."""

    platform: str
    company: str
    database: str
    version: str
    can_read: bool
    can_write: bool
    notes: tuple[str, ...] = ()
    """Facts worth telling (columns of newer versions filled, options the database lacks…)."""

    @property
    def description(self) -> str:
        rights = "read and write" if self.can_write else "read only"
        return f"{self.platform}: {self.company}, database {self.database}, {self.version}, {rights}"


@runtime_checkable
class Erp(Protocol):
    """An open connection to one ERP company."""

    name: str

    def close(self) -> None: ...

    def check(self) -> ErpCheck:
        """Test the connection, recognise the ERP and its version, check the login's rights.

        Raises ``ErpConnectionError`` with a precise code when the ERP cannot be used.
        """
        ...

    def verify(self) -> None:
        """Make sure the database is this ERP's, cheaply: run whenever a profile's ERP is opened.

        Raises ``ErpConnectionError`` naming the URL (``database_missing``, ``not_erp``…).
        """
        ...

    # --- catalog -------------------------------------------------------------------------
    def read_categories(self) -> list[Category]:
        """The article families (``published`` says whether the ERP shows them on the web)."""
        ...

    def read_catalogue(self) -> list[Category]:
        """The ERP's catalogue tree, parents before children (empty when the ERP has none)."""
        ...

    def read_articles(self, *, modified_since: datetime | None = None) -> list[Article]:
        """Every article (dormant ones included, flagged), or those modified since a date."""
        ...

    def find_articles(self, references: Collection[str]) -> dict[str, Article]:
        """The articles among ``references`` that exist (in one or a few queries)."""
        ...

    def read_group_articles(self, field: str, masters: Collection[str]) -> list[Article]:
        """The articles whose custom field ``field`` holds one of ``masters`` (compared without
        surrounding spaces), and those whose reference is one of them, in ``read_articles``'s
        order: the whole groups of these master references, read without the rest of the catalog."""
        ...

    def read_warehouses(self) -> list[Warehouse]: ...

    def read_stock(self, warehouses: Collection[str] | None = None) -> list[StockLevel]:
        """One level per article and warehouse (all warehouses when ``None``)."""
        ...

    def stream_stock(
        self, warehouses: Collection[str] | None = None, *, articles: Collection[str] | None = None
    ) -> Iterator[StockLevel]:
        """``read_stock`` a level at a time (the whole table is never held), of every article or
        only of ``articles`` (article references; their range cells come along under the cells'
        own references)."""
        ...

    def read_stock_changes(self, since: datetime | None) -> StockChanges:
        """The articles whose stock changed on or after ``since`` (the ERP's own modification
        dates), each with its newest change; with ``since`` ``None``, only the newest change."""
        ...

    def read_tax_rates(self) -> list[TaxRate]: ...

    def read_price_categories(self) -> list[PriceCategory]: ...

    def read_price_rules(self) -> list[PriceRule]:
        """Category prices, customer exception prices, family discounts, quantity breaks."""
        ...

    # --- customers -----------------------------------------------------------------------
    def read_customers(self, *, modified_since: datetime | None = None) -> list[Customer]: ...

    def find_customer(self, code: str) -> Customer | None: ...

    def find_customer_by_email(self, email: str) -> Customer | None: ...

    def find_customers(self, codes: Collection[str]) -> dict[str, Customer]:
        """The customers among ``codes`` that exist, by code (in one or a few queries)."""
        ...

    def find_customers_by_email(self, emails: Collection[str]) -> dict[str, Customer]:
        """Lower-cased e-mail → the customer holding it, for the e-mails found (a few queries)."""
        ...

    def save_customer(self, customer: Customer) -> str:
        """Create the customer (or update it when its code exists); return its code."""
        ...

    # --- documents -----------------------------------------------------------------------
    def find_documents(self, shop_order_ids: Collection[str]) -> dict[str, DocumentRef]:
        """Documents already carrying these shop order ids."""
        ...

    def create_sales_document(self, document: SalesDocument) -> DocumentRef:
        """Write header, lines and footer in one transaction, numbered from the series.

        Raises ``DuplicateDocument`` when a document already carries the shop order id. A
        credit note or a return names the document it corrects (``origin_number``) and carries
        the shop refund's key as its shop order id, so it too is written once.
        """
        ...

    def write_order(self, entry: OrderEntry) -> OrderWritten:
        """Write an order in one transaction: its new customer, its document, then (validation
        and) payment. A payment that cannot be recorded leaves the customer and the document
        written and says why in ``OrderWritten.payment_error``; any other failure writes
        nothing. Raises ``DuplicateDocument`` as ``create_sales_document`` does (then nothing
        is written either)."""
        ...

    def prepared_writes(
        self, references: Collection[str], customer_codes: Collection[str]
    ) -> AbstractContextManager[None]:
        """A block in which documents for these article references and customers are written:
        the adapter may read once, on entering, what those writes share (customers, articles,
        tax codes, warehouses, payment settings) instead of once per document. What the block's
        writes create is seen by the later ones; nothing read is kept after the block. Each write
        is committed when it returns; the adapter may make the block's writes durable together
        when the block ends (a crash of the database in between loses the last ones whole): what
        is told outside comptoir (the shop) is told after the block."""
        ...

    def validate_document(self, number: str, document_type: DocumentType) -> None:
        """Validate (lock) a document, e.g. before recording its payment."""
        ...

    def create_payment(self, payment: Payment) -> str:
        """Record a payment allocated to a document; return its number."""
        ...

    def read_document_progress(self, shop_order_ids: Sequence[str]) -> list[DocumentProgress]:
        """Where each order's document stands now (a transformed document is found through the
        shop order id it carries or the earlier numbers its lines keep)."""
        ...

    # --- issued documents ------------------------------------------------------------------
    def read_company(self) -> CompanyIdentity:
        """The company as its invoices name it (name, address, SIRET, VAT number)."""
        ...

    def list_issued_documents(
        self, shop_order_ids: Collection[str], types: Collection[DocumentType]
    ) -> list[DocumentRef]:
        """Headers of the documents of these types carrying these shop order ids (several
        invoices per order when deliveries were split), in one or a few queries."""
        ...

    def read_issued_documents(self, refs: Sequence[DocumentRef]) -> list[IssuedDocument]:
        """The full content of these documents (lines, taxes per code, due date, customer)."""
        ...

    def summary(self) -> ErpSummary: ...

    # --- lists a person maps to (the dashboard's mapping tables) ----------------------------
    # ``read_tax_rates``, ``read_warehouses`` and ``read_price_categories`` above serve too.
    # ``Choice.key`` must be the exact identifier the profile stores (what ``Payment.mode``,
    # ``Payment.journal`` or an article's custom field name is); ``label`` the ERP's own name.

    def read_payment_modes(self) -> list[Choice]:
        """Payment modes (règlements) a document or payment can carry (``PaymentMapping.mode``)."""
        ...

    def read_journals(self) -> list[Choice]:
        """Journals that can receive a payment, bank and cash first (``PaymentMapping.journal``);
        ``detail`` says the journal's kind."""
        ...

    def read_free_fields(self, kind: str) -> list[Choice]:
        """The user-defined fields of ``kind`` (``"article"`` or ``"customer"``) whose values
        ``Article.custom`` / ``Customer.custom`` carry: key = the field's name as those carry it."""
        ...

    def count_duplicate_documents(self) -> int:
        """Documents of one type beyond the first carrying the same shop order id (always 0)."""
        ...
