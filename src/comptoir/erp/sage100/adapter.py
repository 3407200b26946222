"""``Sage100Erp``: the ``Erp`` protocol over a Sage 100c Gestion commerciale database.

SQLAlchemy Core, synchronous. Reads are set-based (a fixed handful of queries per call);
every write is one transaction holding the writer lock (see
:mod:`comptoir.erp.sage100.connection`): an order's new customer, document, validation and
payment are one (``write_order``, the payment in a savepoint so that a payment refused leaves
the document written). Within ``prepared_writes`` the writes take what they share from rows
read once for the batch (:mod:`comptoir.erp.sage100.prefetch`). Database errors come out as
``ErpError`` naming what was being done.

Each operation imports the module doing it when first called (``read_stock``, ``write_documents``…):
a job loads the readers and writers it uses, and describes only their tables (see ``schema``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import URL, func, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from comptoir.erp.base import ErpCheck, ErpError, ErpSummary, OrderEntry, OrderWritten
from comptoir.erp.sage100 import schema
from comptoir.erp.sage100.check import check_company, driver_error, verify_company
from comptoir.erp.sage100.clock import DEFAULT_TIMEZONE, SageClock
from comptoir.erp.sage100.codes import SALES_DOMAIN
from comptoir.erp.sage100.connection import batch_writer, open_engine, write_transaction
from comptoir.erp.sage100.context import SageContext, SageOptions, load_context
from comptoir.model.kinds import DocumentType

if TYPE_CHECKING:
    from comptoir.erp.sage100.prefetch import Prefetched
    from comptoir.model import (
        Article,
        Category,
        Choice,
        CompanyIdentity,
        Customer,
        DocumentProgress,
        DocumentRef,
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

T = TypeVar("T")


class Sage100Erp:
    """An open connection to one Sage 100c company (SQL Server, or a replica elsewhere)."""

    name = "sage100"

    def __init__(
        self,
        url: URL | str,
        *,
        user_code: str = "COMP",
        timezone: str = DEFAULT_TIMEZONE,
        options: SageOptions | None = None,
    ) -> None:
        if not 1 <= len(user_code) <= 4:
            raise ValueError(f"user_code {user_code!r}: Sage's cbCreateur holds 1 to 4 characters")
        self.url = make_url(url)
        try:
            self.engine: Engine = open_engine(self.url, must_exist=True)
        except (ImportError, NoSuchModuleError, ArgumentError) as exc:
            raise driver_error(self.url, exc) from exc
        self.user_code = user_code
        self.clock = SageClock(timezone)
        self.options = options or SageOptions()
        self._context: SageContext | None = None
        self._prefetched: Prefetched | None = None
        self._writer: Connection | None = None
        """The connection a batch of writes keeps (``prepared_writes``)."""

    # --- plumbing --------------------------------------------------------------------------
    def _described(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def _ctx(self, conn: Connection) -> SageContext:
        if self._context is None:
            self._context = load_context(conn, self.clock, self.user_code, self.options)
        return self._context

    @contextmanager
    def _reading(self, what: str) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except ErpError:
            raise
        except SQLAlchemyError as exc:
            raise ErpError(f"{what}: the Sage database failed: {_reason(exc)}") from exc

    def _read(self, what: str, action: Callable[[Connection], T]) -> T:
        with self._reading(what) as conn:
            return action(conn)

    def _write(self, what: str, action: Callable[[Connection], T]) -> T:
        try:
            with write_transaction(self.engine, self._writer) as conn:
                return action(conn)
        except ErpError:
            raise
        except SQLAlchemyError as exc:
            raise ErpError(f"{what}: the Sage database refused the write: {_reason(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def verify(self) -> None:
        """Make sure the database is a Sage 100 company: the file is there, its key tables too.

        Cheap enough for every opening; raises ``ErpConnectionError`` naming the URL and the
        failure (``database_missing``, ``not_erp``, ``unreachable``…).
        """
        verify_company(self.engine, self.url, self._described())

    def check(self) -> ErpCheck:
        """The company, its Sage version and the login's rights (``ErpConnectionError`` naming
        the failure: see :mod:`comptoir.erp.sage100.check`)."""
        return check_company(self.engine, self.url, self._described())

    # --- catalog ---------------------------------------------------------------------------
    def read_categories(self) -> list[Category]:
        from comptoir.erp.sage100 import read_catalog as catalog

        return self._read("read families", catalog.read_families)

    def read_catalogue(self) -> list[Category]:
        """The catalogue tree (``F_CATALOGUE``), an alternative source of shop categories."""
        from comptoir.erp.sage100 import read_catalog as catalog

        return self._read("read catalogue", catalog.read_catalogue)

    def read_articles(self, *, modified_since: datetime | None = None) -> list[Article]:
        from comptoir.erp.sage100 import read_articles as articles

        return self._read(
            "read articles", lambda c: articles.read_articles(c, self._ctx(c), modified_since=modified_since)
        )

    def read_group_articles(self, field: str, masters: Collection[str]) -> list[Article]:
        from comptoir.erp.sage100 import read_articles as articles

        return self._read(
            "read grouped articles", lambda c: articles.read_group_articles(c, self._ctx(c), field, masters)
        )

    def find_articles(self, references: Collection[str]) -> dict[str, Article]:
        from comptoir.erp.sage100 import read_articles as articles

        return self._read("find articles", lambda c: articles.find_articles(c, self._ctx(c), references))

    def read_warehouses(self) -> list[Warehouse]:
        from comptoir.erp.sage100 import read_catalog as catalog

        return self._read("read warehouses", catalog.read_warehouses)

    def read_stock(self, warehouses: Collection[str] | None = None) -> list[StockLevel]:
        from comptoir.erp.sage100 import read_stock as stock

        return self._read("read stock", lambda c: stock.read_stock(c, warehouses))

    def stream_stock(
        self, warehouses: Collection[str] | None = None, *, articles: Collection[str] | None = None
    ) -> Iterator[StockLevel]:
        from comptoir.erp.sage100 import read_stock as stock

        with self._reading("read stock") as conn:
            yield from stock.stream_stock(conn, warehouses, articles)

    def read_stock_changes(self, since: datetime | None) -> StockChanges:
        from comptoir.erp.sage100 import read_stock as stock

        return self._read("read stock changes", lambda c: stock.read_stock_changes(c, self.clock, since))

    def read_tax_rates(self) -> list[TaxRate]:
        from comptoir.erp.sage100 import read_catalog as catalog

        return self._read("read tax rates", catalog.read_tax_rates)

    def read_price_categories(self) -> list[PriceCategory]:
        from comptoir.erp.sage100 import read_prices as prices

        return self._read("read price categories", prices.read_price_categories)

    def read_price_rules(self) -> list[PriceRule]:
        from comptoir.erp.sage100 import read_prices as prices

        return self._read("read price rules", prices.read_price_rules)

    def read_payment_modes(self) -> list[Choice]:
        from comptoir.erp.sage100 import read_lists as lists

        return self._read("read payment modes", lists.read_payment_modes)

    def read_journals(self) -> list[Choice]:
        from comptoir.erp.sage100 import read_lists as lists

        return self._read("read journals", lists.read_journals)

    def read_free_fields(self, kind: str) -> list[Choice]:
        from comptoir.erp.sage100 import read_lists as lists

        return self._read("read free fields", lambda c: lists.read_free_fields(c, kind))

    def read_central_links(self) -> dict[str, str]:
        """Member customer → purchasing central."""
        from comptoir.erp.sage100 import read_prices as prices

        return self._read("read purchasing centrals", prices.read_central_links)

    # --- customers -------------------------------------------------------------------------
    def read_customers(self, *, modified_since: datetime | None = None) -> list[Customer]:
        from comptoir.erp.sage100 import read_customers as customers

        return self._read(
            "read customers",
            lambda c: customers.read_customers(c, self._ctx(c), modified_since=modified_since),
        )

    def find_customer(self, code: str) -> Customer | None:
        from comptoir.erp.sage100 import read_customers as customers

        return self._read(f"find customer {code}", lambda c: customers.find_customer(c, self._ctx(c), code))

    def find_customer_by_email(self, email: str) -> Customer | None:
        from comptoir.erp.sage100 import read_customers as customers

        return self._read(
            "find customer by e-mail", lambda c: customers.find_customer_by_email(c, self._ctx(c), email)
        )

    def find_customers(self, codes: Collection[str]) -> dict[str, Customer]:
        from comptoir.erp.sage100 import read_customers as customers

        return self._read("find customers", lambda c: customers.find_customers(c, self._ctx(c), codes))

    def find_customers_by_email(self, emails: Collection[str]) -> dict[str, Customer]:
        from comptoir.erp.sage100 import read_customers as customers

        return self._read(
            "find customers by e-mail", lambda c: customers.find_customers_by_email(c, self._ctx(c), emails)
        )

    def save_customer(self, customer: Customer) -> str:
        from comptoir.erp.sage100 import write_customers

        if self._prefetched is not None:
            self._prefetched.forget_customer(customer.code.strip().upper())
        return self._write(
            f"save customer {customer.code}",
            lambda c: write_customers.save_customer(c, self._ctx(c), customer),
        )

    # --- documents -------------------------------------------------------------------------
    def find_documents(self, shop_order_ids: Collection[str]) -> dict[str, DocumentRef]:
        from comptoir.erp.sage100 import read_documents as documents

        return self._read("find documents", lambda c: documents.find_documents(c, shop_order_ids))

    def create_sales_document(self, document: SalesDocument) -> DocumentRef:
        from comptoir.erp.sage100 import write_documents

        with self._forgetting_on_failure(document.customer_code):
            return self._write(
                f"create document for shop order {document.shop_order_id}",
                lambda c: write_documents.create_sales_document(c, self._ctx(c), document, self._prefetched),
            )

    def create_payment(self, payment: Payment) -> str:
        from comptoir.erp.sage100 import write_payments

        return self._write(
            f"create payment of {payment.customer_code}",
            lambda c: write_payments.create_payment(c, self._ctx(c), payment, self._prefetched),
        )

    def write_order(self, entry: OrderEntry) -> OrderWritten:
        """The order's new customer, document, validation and payment in one transaction; the
        payment in a savepoint: refused, it is rolled back alone and named in the result."""
        from comptoir.erp.sage100 import write_customers, write_documents, write_payments

        document = entry.document

        def write(conn: Connection) -> OrderWritten:
            ctx = self._ctx(conn)
            if entry.customer is not None:
                saved = write_customers.write_customer(conn, ctx, entry.customer)
                if self._prefetched is not None:
                    self._prefetched.forget_customer(saved.code)
                    if saved.created is not None:  # handed to the document, not read back
                        self._prefetched.remember_customer(saved.code, saved.created, saved.deliveries)
            ref = write_documents.create_sales_document(conn, ctx, document, self._prefetched)
            if entry.payment is None:
                return OrderWritten(ref)
            payment = replace(
                entry.payment,
                document_number=ref.number,
                document_type=ref.type,
                customer_code=ref.customer_code,
            )
            total = ref.total_gross if "DO_NetAPayer" in ctx.header.c else payment.amount
            fresh = write_payments.Fresh(customer=ref.customer_code, total=total, validate=entry.validate)
            savepoint = conn.begin_nested()
            try:
                write_payments.create_payment(conn, ctx, payment, self._prefetched, fresh)
            except ErpError as exc:
                savepoint.rollback()
                return OrderWritten(ref, exc)
            except SQLAlchemyError as exc:
                savepoint.rollback()
                return OrderWritten(
                    ref, ErpError(f"payment for {ref.number}: the Sage database refused it: {_reason(exc)}")
                )
            # Not released: the commit that follows releases it (a round trip less on a server).
            return OrderWritten(ref)

        with self._forgetting_on_failure(document.customer_code):
            return self._write(f"create document for shop order {document.shop_order_id}", write)

    @contextmanager
    def prepared_writes(self, references: Collection[str], customer_codes: Collection[str]) -> Iterator[None]:
        """Read once what the block's writes share (see :mod:`comptoir.erp.sage100.prefetch`);
        the block's writes share one connection (each is still its own transaction)."""
        from comptoir.erp.sage100.prefetch import prefetch

        self._prefetched = self._read("prepare writes", lambda c: prefetch(c, references, customer_codes))
        writing = ExitStack()
        try:
            self._writer = writing.enter_context(batch_writer(self.engine))
        except SQLAlchemyError as exc:
            self._prefetched = None
            raise ErpError(f"prepare writes: the Sage database failed: {_reason(exc)}") from exc
        try:
            yield
        finally:
            self._writer, self._prefetched = None, None
            writing.close()

    @contextmanager
    def _forgetting_on_failure(self, customer_code: str) -> Iterator[None]:
        """A failed write may have rolled back what the batch's rows say of its customer."""
        try:
            yield
        except Exception:
            if self._prefetched is not None:
                self._prefetched.forget_customer(customer_code.strip().upper())
            raise

    def validate_document(self, number: str, document_type: DocumentType = DocumentType.ORDER) -> None:
        """Validate (lock) a document, as the "validate the document" option asks."""
        from comptoir.erp.sage100 import write_payments

        self._write(
            f"validate {number}",
            lambda c: write_payments.validate_document(c, self._ctx(c), number, document_type),
        )

    def read_document_progress(self, shop_order_ids: Sequence[str]) -> list[DocumentProgress]:
        from comptoir.erp.sage100 import read_documents as documents

        return self._read(
            "read document progress", lambda c: documents.read_document_progress(c, shop_order_ids)
        )

    def read_company(self) -> CompanyIdentity:
        from comptoir.erp.sage100 import read_issued as issued

        return self._read("read company", issued.read_company)

    def list_issued_documents(
        self, shop_order_ids: Collection[str], types: Collection[DocumentType]
    ) -> list[DocumentRef]:
        from comptoir.erp.sage100 import read_issued as issued

        return self._read(
            "list issued documents", lambda c: issued.list_issued_documents(c, shop_order_ids, types)
        )

    def read_issued_documents(self, refs: Sequence[DocumentRef]) -> list[IssuedDocument]:
        from comptoir.erp.sage100 import read_issued as issued

        return self._read(
            "read issued documents", lambda c: issued.read_issued_documents(c, self._ctx(c), refs)
        )

    def summary(self) -> ErpSummary:
        def count(conn: Connection) -> ErpSummary:
            article, customer, header = schema.F_ARTICLE, schema.F_COMPTET, schema.F_DOCENTETE
            return ErpSummary(
                articles=conn.execute(select(func.count()).select_from(article)).scalar_one(),
                customers=conn.execute(
                    select(func.count()).select_from(customer).where(customer.c.CT_Type == 0)
                ).scalar_one(),
                documents=conn.execute(
                    select(func.count()).select_from(header).where(header.c.DO_Domaine == SALES_DOMAIN)
                ).scalar_one(),
            )

        return self._read("summary", count)

    def count_duplicate_documents(self) -> int:
        def duplicates(conn: Connection) -> int:
            header = schema.F_DOCENTETE
            per_order = (
                select(header.c.DO_NoWeb, func.count().label("n"))
                .where(header.c.DO_Domaine == SALES_DOMAIN, header.c.DO_NoWeb != "")
                .group_by(header.c.DO_Type, header.c.DO_NoWeb)
                .subquery()
            )
            return int(conn.execute(select(func.coalesce(func.sum(per_order.c.n - 1), 0))).scalar_one())

        return self._read("count duplicate documents", duplicates)


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
