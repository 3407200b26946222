"""``FakeErp``: the ``Erp`` protocol in memory, refusing what a real adapter refuses.

Its tables are plain dictionaries a test fills or changes (``articles``, ``stock``,
``customers``…); ``small_company()`` gives a small French company to start from. Writes follow
the ERP contract (tests/contract/test_erp_contract.py) and the Sage adapter's rules:

- a customer code is upper-cased and must fit 17 characters; saving an existing code updates it;
- a document for a shop order id that a document already carries raises ``DuplicateDocument``
  naming it; a document needs lines, an active customer, active articles and known tax codes
  at the ERP's rates; it is numbered from its type's series (``BC00001``);
- a payment needs a positive amount, a known customer, journal and payment mode and, when it
  names a document, that document of that customer; the same payment (document, reference, date,
  amount) is recorded once: a retry returns the number already recorded;
- ``find_customer_by_email`` ignores case and looks at contacts too, active accounts first.

Knobs: ``fail(operation, key=…)`` makes a call raise ``ErpError`` (before writing, or after
writing with ``after_write``: a commit whose answer was lost); ``race(shop_order_id)`` has another
writer create that order's document just before the next create for it (between a job's lookup
and its write); ``calls`` counts calls by method.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal

from comptoir.erp.base import DuplicateDocument, ErpCheck, ErpError, ErpSummary, OrderEntry, OrderWritten
from comptoir.model import (
    Address,
    Article,
    Category,
    Choice,
    CompanyIdentity,
    Contact,
    Customer,
    Discount,
    DocumentProgress,
    DocumentRef,
    DocumentType,
    IssuedDocument,
    IssuedLine,
    Payment,
    PriceCategory,
    PriceRule,
    SalesDocument,
    StockChanges,
    StockLevel,
    TaxRate,
    Warehouse,
)

CODE_LENGTH = 17
"""Longest customer code (Sage's CT_Num)."""

PREFIXES = {
    DocumentType.QUOTE: "DE",
    DocumentType.ORDER: "BC",
    DocumentType.DELIVERY_PREPARATION: "PL",
    DocumentType.DELIVERY_NOTE: "BL",
    DocumentType.INVOICE: "FA",
    DocumentType.POSTED_INVOICE: "FC",
    DocumentType.RETURN: "BR",
    DocumentType.CREDIT_NOTE: "AV",
}
_STAGES = list(PREFIXES)

KEYED = {
    "save_customer": "customer code",
    "create_sales_document": "shop order id",
    "validate_document": "document number",
    "create_payment": "document number",
}
"""What ``fail(operation, key=…)`` matches for each write."""


@dataclass
class StoredDocument:
    """A document the ERP holds: what was written, its numbers and its state."""

    ref: DocumentRef
    document: SalesDocument
    validated: bool = False
    status: int = 0
    paid: Decimal = Decimal(0)
    later_numbers: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoredPayment:
    number: str
    payment: Payment


@dataclass
class _Failure:
    message: str
    key: str | None
    times: int | None
    after_write: bool


class FakeErp:
    """An in-memory ERP company implementing the ``Erp`` protocol."""

    name = "fake"

    def __init__(self) -> None:
        self.categories: dict[str, Category] = {}
        self.articles: dict[str, Article] = {}
        self.catalogue: dict[str, Category] = {}
        """The catalogue tree, parents first."""
        self.tax_rates: dict[str, TaxRate] = {}
        self.warehouses: dict[str, Warehouse] = {}
        self.stock: dict[tuple[str, str], StockLevel] = {}
        """(reference, warehouse) → level."""
        self.stock_modified: dict[tuple[str, str], datetime] = {}
        """(reference, warehouse) → when ``set_stock`` last wrote it (absent: before any run)."""
        self.price_categories: dict[str, PriceCategory] = {}
        self.price_rules: list[PriceRule] = []
        self.customers: dict[str, Customer] = {}
        self.documents: dict[str, StoredDocument] = {}
        """Number → document."""
        self.payments: list[StoredPayment] = []
        self.journals: set[str] = {"BQ1"}
        self.payment_modes: set[str] = {"1", "2", "3", "4"}
        self.calls: Counter[str] = Counter()
        self.closed = False
        self._failures: dict[str, list[_Failure]] = {}
        self._counters: Counter[DocumentType] = Counter()
        self._races: set[str] = set()
        self.company = CompanyIdentity(
            name="Comptoir de démonstration",
            address=Address(line1="1 rue du Port", postcode="13002", city="Marseille"),
            siret="81234567800017",
            vat_number="FR47812345678",
        )

    # --- knobs -------------------------------------------------------------------------------
    def fail(
        self,
        operation: str,
        message: str = "the ERP database refused the write",
        *,
        key: str | None = None,
        times: int | None = None,
        after_write: bool = False,
    ) -> None:
        """Make ``operation`` raise ``ErpError`` (for ``key`` only when given, see ``KEYED``),
        ``times`` times or until ``clear()``; ``after_write`` applies the write first."""
        if not hasattr(self, operation):
            raise ValueError(f"no ERP operation {operation!r}")
        self._failures.setdefault(operation, []).append(_Failure(message, key, times, after_write))

    def race(self, shop_order_id: str) -> None:
        """Another writer creates this order's document right before the next create for it."""
        self._races.add(shop_order_id)

    def clear(self) -> None:
        self._failures.clear()
        self._races.clear()

    def _failure(self, operation: str, key: str | None = None) -> _Failure | None:
        for failure in self._failures.get(operation, []):
            if failure.key is not None and failure.key != key:
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures[operation].remove(failure)
            return failure
        return None

    def _enter(self, operation: str, key: str | None = None) -> _Failure | None:
        """Count the call; raise a failure meant to strike before writing, return one meant after."""
        self.calls[operation] += 1
        failure = self._failure(operation, key)
        if failure is None:
            return None
        what = f"{operation} {key}" if key else operation
        if not failure.after_write:
            raise ErpError(f"{what}: {failure.message}")
        return failure

    @staticmethod
    def _after(operation: str, key: str | None, failure: _Failure | None) -> None:
        if failure is not None:
            what = f"{operation} {key}" if key else operation
            raise ErpError(f"{what}: {failure.message}")

    # --- filling the company (for tests) ---------------------------------------------------
    def add_article(self, article: Article, stock: dict[str, Decimal | int] | None = None) -> Article:
        """Add (or replace) an article and its real stock per warehouse."""
        self.articles[article.reference] = article
        for warehouse, real in (stock or {}).items():
            self.stock[(article.reference, warehouse)] = StockLevel(
                article.reference, warehouse, Decimal(real)
            )
        return article

    def change_article(self, reference: str, **changes: object) -> Article:
        """Change fields of an article, as a user would in the ERP (its modification date moves)."""
        changes.setdefault("modified_at", datetime.now(UTC))
        article = replace(self.articles[reference], **changes)  # type: ignore[arg-type]
        self.articles[reference] = article
        return article

    def set_stock(
        self, reference: str, warehouse: str, real: Decimal | int, reserved: Decimal | int = 0
    ) -> None:
        self.stock[(reference, warehouse)] = StockLevel(
            reference, warehouse, Decimal(real), Decimal(reserved)
        )
        self.stock_modified[(reference, warehouse)] = datetime.now(UTC)

    def documents_of(self, shop_order_id: str) -> list[StoredDocument]:
        """Documents carrying this shop order id (one at most, unless a test wrote more)."""
        return [d for d in self.documents.values() if d.ref.shop_order_id == shop_order_id]

    def payments_of(self, number: str) -> list[StoredPayment]:
        return [p for p in self.payments if p.payment.document_number == number]

    def transform(self, number: str, to: DocumentType) -> str:
        """Turn a document into a later one (an order into a delivery note), as a user does in the
        ERP; the new document keeps the shop order id; its number."""
        source = self.documents[number]
        new_number = self._number(to)
        ref = replace(source.ref, number=new_number, type=to)
        self.documents[new_number] = StoredDocument(ref, replace(source.document, type=to))
        source.later_numbers.append(new_number)
        return new_number

    # --- connection --------------------------------------------------------------------------
    def close(self) -> None:
        self.calls["close"] += 1
        self.closed = True

    def verify(self) -> None:
        self._enter("verify")

    def check(self) -> ErpCheck:
        self._enter("check")
        return ErpCheck("fake", "in-memory company", "memory", "fake 1", can_read=True, can_write=True)

    # --- catalog -----------------------------------------------------------------------------
    def read_categories(self) -> list[Category]:
        self._enter("read_categories")
        return list(self.categories.values())

    def read_catalogue(self) -> list[Category]:
        self._enter("read_catalogue")
        return list(self.catalogue.values())

    def read_articles(self, *, modified_since: datetime | None = None) -> list[Article]:
        self._enter("read_articles")
        return [
            a
            for a in self.articles.values()
            if modified_since is None or (a.modified_at is not None and a.modified_at >= modified_since)
        ]

    def read_group_articles(self, field: str, masters: Collection[str]) -> list[Article]:
        self._enter("read_group_articles")
        wanted = {m.strip() for m in masters}
        return [
            a
            for a in self.articles.values()
            if a.reference in wanted or a.custom_fields.get(field, "").strip() in wanted
        ]

    def find_articles(self, references: Collection[str]) -> dict[str, Article]:
        self._enter("find_articles")
        return {r: self.articles[r] for r in {r.strip() for r in references if r} if r in self.articles}

    def read_warehouses(self) -> list[Warehouse]:
        self._enter("read_warehouses")
        return list(self.warehouses.values())

    def read_stock(self, warehouses: Collection[str] | None = None) -> list[StockLevel]:
        self._enter("read_stock")
        wanted = set(warehouses) if warehouses is not None else None
        return [s for (_, w), s in sorted(self.stock.items()) if wanted is None or w in wanted]

    def stream_stock(
        self, warehouses: Collection[str] | None = None, *, articles: Collection[str] | None = None
    ) -> Iterator[StockLevel]:
        self._enter("stream_stock")
        wanted = set(warehouses) if warehouses is not None else None
        of = None if articles is None else set(articles)
        for (ref, w), level in sorted(self.stock.items()):
            if (wanted is None or w in wanted) and (of is None or self._article_of(ref) in of):
                yield level

    def read_stock_changes(self, since: datetime | None) -> StockChanges:
        self._enter("read_stock_changes")
        if since is None:
            return StockChanges(None, max(self.stock_modified.values(), default=None))
        changed: dict[str, datetime] = {}
        for (ref, _), moment in self.stock_modified.items():
            article = self._article_of(ref)
            if moment >= since and (article not in changed or moment > changed[article]):
                changed[article] = moment
        return StockChanges(changed, max(changed.values(), default=None))

    def _article_of(self, reference: str) -> str:
        """The article a stock reference belongs to (a range cell's article, else itself)."""
        for article in self.articles.values():
            if any(cell.reference == reference for cell in article.ranges):
                return article.reference
        return reference

    def read_tax_rates(self) -> list[TaxRate]:
        self._enter("read_tax_rates")
        return list(self.tax_rates.values())

    def read_price_categories(self) -> list[PriceCategory]:
        self._enter("read_price_categories")
        return list(self.price_categories.values())

    def read_price_rules(self) -> list[PriceRule]:
        self._enter("read_price_rules")
        return list(self.price_rules)

    # --- customers ---------------------------------------------------------------------------
    def read_customers(self, *, modified_since: datetime | None = None) -> list[Customer]:
        self._enter("read_customers")
        return [
            c
            for c in self.customers.values()
            if modified_since is None or (c.modified_at is not None and c.modified_at >= modified_since)
        ]

    def find_customer(self, code: str) -> Customer | None:
        self._enter("find_customer")
        return self.customers.get(code.strip().upper())

    def find_customer_by_email(self, email: str) -> Customer | None:
        self._enter("find_customer_by_email")
        return self._by_email(email)

    def _by_email(self, email: str) -> Customer | None:
        wanted = email.strip().casefold()
        if not wanted:
            return None
        candidates = sorted(
            [(c.dormant, 0, c.code) for c in self.customers.values() if c.email.strip().casefold() == wanted]
            + [
                (c.dormant, 1, c.code)
                for c in self.customers.values()
                if any(p.email.strip().casefold() == wanted for p in c.contacts)
            ]
        )
        return self.customers[candidates[0][2]] if candidates else None

    def find_customers(self, codes: Collection[str]) -> dict[str, Customer]:
        self._enter("find_customers")
        wanted = {c.strip().upper() for c in codes if c and c.strip()}
        return {code: c for code, c in self.customers.items() if code in wanted}

    def find_customers_by_email(self, emails: Collection[str]) -> dict[str, Customer]:
        self._enter("find_customers_by_email")
        found: dict[str, Customer] = {}
        for email in {e.strip().casefold() for e in emails if e and e.strip()}:
            customer = self._by_email(email)
            if customer is not None:
                found[email] = customer
        return found

    def save_customer(self, customer: Customer) -> str:
        code = customer.code.strip().upper()
        failure = self._enter("save_customer", code)
        if not code:
            raise ErpError(
                f"customer {customer.name or customer.email!r}: an account number (code) is required"
            )
        if len(code) > CODE_LENGTH:
            raise ErpError(f"customer {code}: the code is longer than {CODE_LENGTH} characters")
        if customer.price_category and customer.price_category not in self.price_categories:
            raise ErpError(f"customer {code}: price category {customer.price_category} does not exist")
        current = self.customers.get(code)
        saved = replace(customer, code=code, modified_at=datetime.now(UTC))
        if current is not None and not customer.price_category:
            saved = replace(saved, price_category=current.price_category)
        self.customers[code] = saved
        self._after("save_customer", code, failure)
        return code

    # --- documents ---------------------------------------------------------------------------
    def find_documents(self, shop_order_ids: Collection[str]) -> dict[str, DocumentRef]:
        self._enter("find_documents")
        wanted = {i.strip() for i in shop_order_ids if i and i.strip()}
        found: dict[str, DocumentRef] = {}
        for stored in self.documents.values():
            shop_id = stored.ref.shop_order_id
            if shop_id in wanted:
                current = found.get(shop_id)
                if current is None or _stage(stored.ref) > _stage(current):
                    found[shop_id] = stored.ref
        return found

    def _number(self, document_type: DocumentType) -> str:
        self._counters[document_type] += 1
        return f"{PREFIXES[document_type]}{self._counters[document_type]:05d}"

    def create_sales_document(self, document: SalesDocument) -> DocumentRef:
        shop_id = document.shop_order_id.strip()
        failure = self._enter("create_sales_document", shop_id)
        what = f"document for shop order {shop_id}" if shop_id else f"{document.type.value} document"
        if document.type is DocumentType.POSTED_INVOICE:
            raise ErpError(f"{what}: the ERP creates {document.type.value} documents itself")
        if shop_id in self._races:
            self._races.discard(shop_id)
            self.create_sales_document(document)
        if shop_id:
            existing = self.find_documents([shop_id]).get(shop_id)
            if existing is not None:
                raise DuplicateDocument(existing)
        if not document.lines:
            raise ErpError(f"{what}: the document has no lines")
        code = document.customer_code.strip().upper()
        customer = self.customers.get(code)
        if customer is None:
            raise ErpError(f"{what}: customer {code} does not exist")
        if customer.dormant:
            raise ErpError(f"{what}: customer {code} is dormant")
        for position, line in enumerate(document.lines, start=1):
            article = self.articles.get(line.reference.strip())
            if article is None:
                raise ErpError(f"{what}, line {position}: article {line.reference!r} does not exist")
            if article.dormant:
                raise ErpError(f"{what}, line {position}: article {line.reference} is dormant")
            self._check_tax(line.tax_code, line.tax_rate, f"{what}, line {position}")
        if document.shipping_amount:
            self._check_tax(document.shipping_tax_code, document.shipping_tax_rate, f"{what}, shipping")
        for where, warehouse in [("header", document.warehouse)] + [
            (f"line {n}", line.warehouse) for n, line in enumerate(document.lines, start=1)
        ]:
            if warehouse and warehouse not in self.warehouses:
                raise ErpError(f"{what}, {where}: warehouse {warehouse} does not exist")
        totals = document.totals()
        ref = DocumentRef(
            number=self._number(document.type),
            type=document.type,
            customer_code=code,
            shop_order_id=shop_id,
            total_net=totals.net,
            total_gross=totals.gross,
        )
        self.documents[ref.number] = StoredDocument(ref, document)
        self._after("create_sales_document", shop_id, failure)
        return ref

    def _check_tax(self, code: str, rate: Decimal, where: str) -> None:
        known = self.tax_rates.get(code)
        if known is None:
            raise ErpError(f"{where}: tax code {code!r} does not exist")
        if known.rate != rate:
            raise ErpError(
                f"{where}: tax code {code} is {known.rate} % in the ERP, the document says {rate} %"
            )

    def _document(self, number: str, document_type: DocumentType, what: str) -> StoredDocument:
        stored = self.documents.get(number)
        if stored is None or stored.ref.type is not document_type:
            raise ErpError(f"{what}: {document_type.value} {number} does not exist")
        return stored

    def write_order(self, entry: OrderEntry) -> OrderWritten:
        """``save_customer``, ``create_sales_document``, then ``validate_document`` and
        ``create_payment`` (their ``fail`` knobs apply), all or nothing but the payment: a
        refused customer or document leaves nothing written."""
        self.calls["write_order"] += 1
        created_customer = None
        if entry.customer is not None:
            self.save_customer(entry.customer)
            created_customer = entry.customer.code.strip().upper()
        try:
            ref = self.create_sales_document(entry.document)
        except DuplicateDocument:
            if created_customer is not None:
                del self.customers[created_customer]
            raise
        except ErpError:
            if created_customer is not None and not any(
                d.ref.customer_code == created_customer for d in self.documents.values()
            ):
                del self.customers[created_customer]
            raise
        if entry.payment is None:
            return OrderWritten(ref)
        payment = replace(
            entry.payment, document_number=ref.number, document_type=ref.type, customer_code=ref.customer_code
        )
        try:
            if entry.validate:
                self.validate_document(ref.number, ref.type)
            self.create_payment(payment)
        except ErpError as exc:
            return OrderWritten(ref, exc)
        return OrderWritten(ref)

    @contextmanager
    def prepared_writes(self, references: Collection[str], customer_codes: Collection[str]) -> Iterator[None]:
        """Nothing to read ahead in memory; counted in ``calls``."""
        self.calls["prepared_writes"] += 1
        yield

    def validate_document(self, number: str, document_type: DocumentType) -> None:
        failure = self._enter("validate_document", number)
        self._document(number, document_type, f"validate {document_type.value} {number}").validated = True
        self._after("validate_document", number, failure)

    def create_payment(self, payment: Payment) -> str:
        failure = self._enter("create_payment", payment.document_number)
        code = payment.customer_code.strip().upper()
        what = f"payment of {code}" + (f" for {payment.document_number}" if payment.document_number else "")
        if payment.amount <= 0:
            raise ErpError(f"{what}: amount {payment.amount} is not positive")
        if code not in self.customers:
            raise ErpError(f"{what}: customer {code} does not exist")
        if payment.journal not in self.journals:
            raise ErpError(f"{what}: journal {payment.journal!r} does not exist")
        if payment.mode not in self.payment_modes:
            raise ErpError(f"{what}: payment mode {payment.mode} does not exist")
        if payment.document_number and payment.reference.strip():
            for recorded in self.payments:
                earlier = recorded.payment
                if (earlier.document_number, earlier.reference, earlier.date, earlier.amount) == (
                    payment.document_number,
                    payment.reference,
                    payment.date,
                    payment.amount,
                ):
                    return recorded.number
        if payment.document_number:
            stored = self._document(payment.document_number, payment.document_type, what)
            if stored.ref.customer_code != code:
                raise ErpError(
                    f"{what}: {payment.document_number} belongs to customer {stored.ref.customer_code}"
                )
            stored.paid += min(payment.amount, max(stored.ref.total_gross - stored.paid, Decimal(0)))
        number = str(len(self.payments) + 1)
        self.payments.append(StoredPayment(number, payment))
        self._after("create_payment", payment.document_number, failure)
        return number

    def read_document_progress(self, shop_order_ids: Sequence[str]) -> list[DocumentProgress]:
        self._enter("read_document_progress")
        progress: list[DocumentProgress] = []
        for shop_id in shop_order_ids:
            stored = sorted(self.documents_of(shop_id.strip()), key=lambda s: _stage(s.ref))
            if not stored:
                continue
            first, current = stored[0], stored[-1]
            later = [n for s in stored for n in s.later_numbers]
            progress.append(
                DocumentProgress(
                    shop_order_id=shop_id,
                    number=current.ref.number,
                    type=current.ref.type,
                    status=current.status,
                    later_numbers=tuple(dict.fromkeys(n for n in later if n != first.ref.number)),
                )
            )
        return progress

    def read_payment_modes(self) -> list[Choice]:
        self._enter("read_payment_modes")
        return [Choice(mode, f"mode {mode}") for mode in sorted(self.payment_modes)]

    def read_journals(self) -> list[Choice]:
        self._enter("read_journals")
        return [Choice(journal, f"journal {journal}", "trésorerie") for journal in sorted(self.journals)]

    def read_free_fields(self, kind: str) -> list[Choice]:
        self._enter("read_free_fields")
        records = {"article": list(self.articles.values()), "customer": list(self.customers.values())}
        if kind not in records:
            raise ValueError(f"{kind!r} is not a kind of free field (known: article, customer)")
        names = dict.fromkeys(name for record in records[kind] for name in record.custom_fields)
        return [Choice(name, name) for name in names]

    # --- issued documents -------------------------------------------------------------------
    def read_company(self) -> CompanyIdentity:
        self._enter("read_company")
        return self.company

    def list_issued_documents(
        self, shop_order_ids: Collection[str], types: Collection[DocumentType]
    ) -> list[DocumentRef]:
        self._enter("list_issued_documents")
        wanted = {i.strip() for i in shop_order_ids if i and i.strip()}
        kinds = set(types)
        return sorted(
            (s.ref for s in self.documents.values() if s.ref.shop_order_id in wanted and s.ref.type in kinds),
            key=lambda r: r.number,
        )

    def read_issued_documents(self, refs: Sequence[DocumentRef]) -> list[IssuedDocument]:
        """The documents as written; each line's net from its amount (lines with tax: each tax
        code's net derived once, the largest line taking the cent left over)."""
        self._enter("read_issued_documents")
        documents = []
        for ref in refs:
            stored = self._document(ref.number, ref.type, f"read document {ref.number}")
            written = stored.document
            totals = written.totals()
            lines = []
            for line in written.lines:
                net, _ = line.net_and_gross(written.prices_include_tax)
                lines.append(
                    IssuedLine(
                        line.reference,
                        line.designation,
                        line.quantity,
                        net / line.quantity,
                        net,
                        line.tax_code,
                        line.tax_rate,
                    )
                )
            for base in totals.bases:
                mine = [n for n, li in enumerate(lines) if li.tax_code == base.code]
                gap = base.base - sum((lines[n].net for n in mine), Decimal(0))
                if gap and mine:
                    n = max(mine, key=lambda k: abs(lines[k].net))
                    lines[n] = replace(lines[n], net=lines[n].net + gap)
            customer = self.customers.get(written.customer_code)
            documents.append(
                IssuedDocument(
                    number=ref.number,
                    type=ref.type,
                    date=written.date,
                    customer_code=written.customer_code,
                    customer_name=customer.name if customer else written.customer_code,
                    billing=customer.billing if customer else Address(),
                    lines=tuple(lines),
                    bases=totals.bases,
                    net=totals.net,
                    tax=totals.tax,
                    gross=totals.gross,
                    shop_order_id=written.shop_order_id,
                    reference=written.reference,
                    customer_vat_number=customer.vat_number if customer else "",
                    paid=stored.paid,
                    origin_number=written.origin_number,
                )
            )
        return documents

    def summary(self) -> ErpSummary:
        self._enter("summary")
        return ErpSummary(
            articles=len(self.articles), customers=len(self.customers), documents=len(self.documents)
        )

    def count_duplicate_documents(self) -> int:
        self._enter("count_duplicate_documents")
        per_order = Counter(
            (d.ref.type, d.ref.shop_order_id) for d in self.documents.values() if d.ref.shop_order_id
        )
        return sum(n - 1 for n in per_order.values())


def _stage(ref: DocumentRef) -> tuple[int, str]:
    return (_STAGES.index(ref.type), ref.number)


MASTER = "Référence mère"
ATTRIBUTE_FIELDS = [("Attribut 1", "Valeur 1"), ("Attribut 2", "Valeur 2")]
NAPPES = {
    "NAPPE-BLE-150": ("Bleue", "150 x 150 cm", "39.00"),
    "NAPPE-BLE-250": ("Bleue", "150 x 250 cm", "49.00"),
    "NAPPE-JAU-150": ("Jaune", "150 x 150 cm", "39.00"),
    "NAPPE-JAU-250": ("Jaune", "150 x 250 cm", "49.00"),
}
ORDER_ARTICLES = {
    "DIVERS": "Article divers",
    "PORT": "Frais de port",
    "EMBALLAGE": "Emballage cadeau",
    "REMISE20": "Remise 20 %",
    "REMISE10": "Remise 10 %",
    "REMISE055": "Remise 5,5 %",
}
WHEN = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def small_company() -> FakeErp:
    """A small company: three families, simple articles (one dormant, one unpublished, one whose
    stock is not tracked), a tablecloth sold in four colour/size variations grouped by master
    reference, the articles orders need, two warehouses and four customers."""
    erp = FakeErp()
    for code, rate in (("C20", "20"), ("C10", "10"), ("C05", "5.5")):
        erp.tax_rates[code] = TaxRate(code, Decimal(rate), f"TVA {rate} %")
    for key, name in (("EPI", "Épicerie"), ("CAV", "Cave"), ("LIN", "Linge de maison"), ("ZDIV", "Divers")):
        erp.categories[key] = Category(key, name)
    erp.warehouses["1"] = Warehouse("1", "Entrepôt", principal=True)
    erp.warehouses["2"] = Warehouse("2", "Boutique")
    erp.price_categories["1"] = PriceCategory("1", "Particuliers")
    erp.price_categories["2"] = PriceCategory("2", "Revendeurs")

    def article(
        reference: str, name: str, family: str, price: str | None, tax: str, **extra: object
    ) -> Article:
        return Article(
            reference=reference,
            designation=name,
            family_code=family,
            sale_price=Decimal(price) if price is not None else None,
            tax_code=tax,
            description=f"{name}, de Provence",
            modified_at=WHEN,
            **extra,  # type: ignore[arg-type]
        )

    erp.add_article(article("MIEL-LAV", "Miel de lavande", "EPI", "12.00", "C05"), {"1": 10, "2": 5})
    erp.set_stock("MIEL-LAV", "1", 10, reserved=2)
    erp.add_article(
        article("HUILE-OLIVE", "Huile d'olive", "EPI", "18.50", "C05", barcode="3760000000011"), {"1": 20}
    )
    erp.add_article(
        article("VIN-ROUGE", "Côtes du Rhône", "CAV", "9.90", "C20", weight_net=Decimal("1.2")),
        {"1": 30, "2": 6},
    )
    erp.add_article(article("SAVON", "Savon de Marseille", "EPI", "4.50", "C20", stock_managed=False))
    erp.add_article(article("VIEUX-VIN", "Vieux millésime", "CAV", "80.00", "C20", dormant=True), {"1": 1})
    erp.add_article(article("BROUILLON", "Article en préparation", "EPI", "5.00", "C20", published=False))
    erp.add_article(
        article("NAPPE-PROV", "Nappe provençale", "LIN", "39.00", "C20", custom_fields={MASTER: "NAPPE-PROV"})
    )
    for reference, (colour, size, price) in NAPPES.items():
        fields = {
            MASTER: "NAPPE-PROV",
            "Attribut 1": "Couleur",
            "Valeur 1": colour,
            "Attribut 2": "Dimensions",
            "Valeur 2": size,
        }
        erp.add_article(
            article(
                reference,
                f"Nappe provençale {colour.lower()} {size}",
                "LIN",
                price,
                "C20",
                custom_fields=fields,
            ),
            {"1": 4},
        )
    for reference, name in ORDER_ARTICLES.items():
        tax = {"REMISE10": "C10", "REMISE055": "C05"}.get(reference, "C20")
        erp.add_article(article(reference, name, "ZDIV", "0", tax, published=False, stock_managed=False))
    erp.price_rules.append(
        PriceRule(family_code="CAV", price_category="2", discounts=(Discount(Decimal(10)),))
    )

    address = Address(line1="3 place Bellecour", postcode="69002", city="Lyon")
    erp.customers["C0001"] = Customer(
        code="C0001",
        name="Anne Martin",
        first_name="Anne",
        last_name="Martin",
        email="anne.martin@exemple.fr",
        billing=replace(address, first_name="Anne", last_name="Martin"),
        price_category="1",
        modified_at=WHEN,
    )
    erp.customers["C0002"] = Customer(
        code="C0002",
        name="Épicerie Bernard",
        company="Épicerie Bernard SARL",
        email="Contact@Epicerie-Bernard.fr",
        billing=replace(address, company="Épicerie Bernard SARL", line1="8 rue Mercière"),
        contacts=(Contact("Paul", "Bernard", email="paul@epicerie-bernard.fr"),),
        price_category="2",
        vat_number="FR40123456789",
        siret="12345678900012",
        modified_at=WHEN,
    )
    erp.customers["C0003"] = Customer(
        code="C0003", name="Ancien client", email="ancien@exemple.fr", dormant=True
    )
    erp.customers["C0004"] = Customer(code="C0004", name="Client sans e-mail", billing=address)
    erp.customers["WEBINVITE"] = Customer(code="WEBINVITE", name="Clients web (invités)")
    return erp
