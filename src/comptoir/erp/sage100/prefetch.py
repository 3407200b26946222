"""What a batch of document writes shares, read once when the batch begins.

Writing one order used to read, inside its transaction, its customer's account, delivery
addresses and payment terms, its articles (three queries), the tax codes, the warehouses, the
carrier's fee type, the price category, the journal and the payment mode: about fifteen queries
a document for data that does not change during a batch. ``Prefetched`` reads them for the
whole batch in a fixed handful of queries (per 900 articles or customers); the writes then use
it and read only what must be read under the writer lock (a document already carrying the shop
order id, the numbering counter, the next line and payment numbers, the stock rows they move).

What a write creates is kept up to date: a delivery address added to a customer is added to its
cached list; a customer saved by the batch is forgotten (read again, fresh, when a document
names it); a write that fails forgets its customer so nothing it may have rolled back is
reused. Articles and customers the batch did not announce are read as before, per document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.read_articles import chunks
from comptoir.erp.sage100.schema import (
    F_COMPTET,
    F_DEPOT,
    F_JOURNAUX,
    F_LIVRAISON,
    F_REGLEMENTT,
    F_TAXE,
    P_CATTARIF,
    P_DEVISE,
    P_EXPEDITION,
    P_REGLEMENT,
)
from comptoir.erp.sage100.types import plain_decimal

CUSTOMER_COLUMNS = (
    F_COMPTET.c.CT_Num,
    F_COMPTET.c.CT_Sommeil,
    F_COMPTET.c.CT_NumPayeur,
    F_COMPTET.c.CO_No,
    F_COMPTET.c.N_CatTarif,
    F_COMPTET.c.N_CatCompta,
    F_COMPTET.c.N_Period,
    F_COMPTET.c.N_Expedition,
    F_COMPTET.c.N_Condition,
    F_COMPTET.c.CG_NumPrinc,
    F_COMPTET.c.CT_NumCentrale,
    F_COMPTET.c.DE_No,
    F_COMPTET.c.CT_Facture,
    F_COMPTET.c.CT_BLFact,
    F_COMPTET.c.CT_Langue,
)
"""The account columns a document takes its defaults from (``CT_Type`` 0 rows only)."""
CUSTOMER_ROWS = select(*CUSTOMER_COLUMNS).where(F_COMPTET.c.CT_Type == 0)
TAX_ROWS = select(
    F_TAXE.c.TA_Code, F_TAXE.c.TA_Taux, F_TAXE.c.TA_TTaux, F_TAXE.c.TA_Type, F_TAXE.c.TA_Sens, F_TAXE.c.TA_NP
)
WAREHOUSE_ROWS = select(F_DEPOT.c.DE_No, F_DEPOT.c.DE_Principal).order_by(F_DEPOT.c.DE_No)


@dataclass
class Places:
    """One account's delivery addresses by place (the first one, principal first, wins) and by
    ``LI_No``."""

    by_place: dict[tuple[str, ...], Any] = field(default_factory=dict)
    by_number: dict[int, Any] = field(default_factory=dict)

    def add(self, row: Any) -> None:
        from comptoir.erp.sage100.write_customers import row_place  # it builds on this module

        self.by_place.setdefault(row_place(row), row)
        self.by_number.setdefault(int(row.LI_No), row)


@dataclass
class Prefetched:
    """Rows a batch of writes shares (see the module docstring); filled by :func:`prefetch`."""

    taxes: dict[str, Any] = field(default_factory=dict)
    """``F_TAXE`` rows by code (every code: the table is small)."""
    currencies: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    """ISO code → (``P_DEVISE.cbIndice``, ``D_Cours``)."""
    warehouses: list[Any] = field(default_factory=list)
    fee_types: dict[int, int] = field(default_factory=dict)
    """Carrier (``P_EXPEDITION.cbIndice``) → ``E_TypeLigneFrais``."""
    gross_categories: dict[int, int] = field(default_factory=dict)
    """Price category (``P_CATTARIF.cbIndice``) → ``CT_PrixTTC``."""
    journals: dict[str, Any] = field(default_factory=dict)
    """``F_JOURNAUX`` rows (``CG_Num``) by ``JO_Num``."""
    payment_modes: dict[int, str] = field(default_factory=dict)
    """Named payment modes: ``P_REGLEMENT.cbIndice`` → ``R_Intitule``."""
    items: dict[str, Any] = field(default_factory=dict)
    """Line reference → ``StockItem``, for the announced references that exist."""
    asked_items: set[str] = field(default_factory=set)
    customers: dict[str, Any] = field(default_factory=dict)
    """Account rows (:data:`CUSTOMER_COLUMNS`) of the announced customers that exist."""
    deliveries: dict[str, list[Any]] = field(default_factory=dict)
    """``F_LIVRAISON`` rows by account, principal first then by number."""
    terms: dict[str, list[Any]] = field(default_factory=dict)
    """``F_REGLEMENTT`` rows (payment terms) by account, in ``cbMarq`` order."""
    asked_customers: set[str] = field(default_factory=set)
    places: dict[str, Places] = field(default_factory=dict)
    """The delivery addresses of ``deliveries`` indexed by place and by number (built when a
    document first looks at an account's addresses: a shared web account gathers thousands)."""

    def places_of(self, code: str) -> Places:
        """The account's delivery addresses indexed (``code`` must be in ``deliveries``)."""
        found = self.places.get(code)
        if found is None:
            found = self.places[code] = Places()
            for row in self.deliveries[code]:
                found.add(row)
        return found

    def add_delivery(self, code: str, row: Any) -> None:
        """A delivery address the batch wrote for an account whose addresses it holds."""
        self.deliveries[code].append(row)
        if code in self.places:
            self.places[code].add(row)

    def remember_customer(self, code: str, account: dict[str, Any], deliveries: list[dict[str, Any]]) -> None:
        """A customer the batch created (``account``: its ``F_COMPTET`` row as written, with the
        ``F_LIVRAISON`` rows written with it): its document takes them from here, as a read
        would have found them (a new account has no payment terms)."""
        self.forget_customer(code)
        self.asked_customers.add(code)
        self.customers[code] = SimpleNamespace(**{c.name: account[c.name] for c in CUSTOMER_COLUMNS})
        rows = sorted(deliveries, key=lambda r: (-int(r["LI_Principal"]), int(r["LI_No"])))
        self.deliveries[code] = [SimpleNamespace(**row) for row in rows]
        self.terms[code] = []

    def knows_items(self, references: Collection[str]) -> bool:
        return all(reference in self.asked_items for reference in references)

    def knows_customer(self, code: str) -> bool:
        return code in self.asked_customers

    def forget_customer(self, code: str) -> None:
        """Read this account again when a document names it (it was saved, or a write failed)."""
        self.asked_customers.discard(code)
        self.customers.pop(code, None)
        self.deliveries.pop(code, None)
        self.terms.pop(code, None)
        self.places.pop(code, None)


def prefetch(conn: Connection, references: Collection[str], customer_codes: Collection[str]) -> Prefetched:
    """Read what writing documents for these references and customers shares."""
    from comptoir.erp.sage100.write_documents import resolve_items  # it builds on this module

    found = Prefetched()
    found.taxes = {row.TA_Code.strip(): row for row in conn.execute(TAX_ROWS)}
    found.currencies = {
        (row.D_CodeISO or "").strip().upper(): (int(row.cbIndice), plain_decimal(row.D_Cours))
        for row in conn.execute(select(P_DEVISE.c.D_CodeISO, P_DEVISE.c.cbIndice, P_DEVISE.c.D_Cours))
        if (row.D_CodeISO or "").strip()
    }
    found.warehouses = list(conn.execute(WAREHOUSE_ROWS))
    found.fee_types = {
        int(row.cbIndice): int(row.E_TypeLigneFrais or 0)
        for row in conn.execute(select(P_EXPEDITION.c.cbIndice, P_EXPEDITION.c.E_TypeLigneFrais))
    }
    found.gross_categories = {
        int(row.cbIndice): int(row.CT_PrixTTC or 0)
        for row in conn.execute(select(P_CATTARIF.c.cbIndice, P_CATTARIF.c.CT_PrixTTC))
    }
    found.journals = {
        row.JO_Num.strip(): row for row in conn.execute(select(F_JOURNAUX.c.JO_Num, F_JOURNAUX.c.CG_Num))
    }
    found.payment_modes = {
        int(row.cbIndice): row.R_Intitule
        for row in conn.execute(
            select(P_REGLEMENT.c.cbIndice, P_REGLEMENT.c.R_Intitule).where(P_REGLEMENT.c.R_Intitule != "")
        )
    }
    wanted = {reference.strip() for reference in references if reference and reference.strip()}
    found.items = resolve_items(conn, wanted) if wanted else {}
    found.asked_items = wanted
    codes = sorted({code.strip().upper() for code in customer_codes if code and code.strip()})
    deliveries: dict[str, list[Any]] = defaultdict(list)
    terms: dict[str, list[Any]] = defaultdict(list)
    for chunk in chunks(codes):
        for row in conn.execute(CUSTOMER_ROWS.where(F_COMPTET.c.CT_Num.in_(chunk))):
            found.customers[row.CT_Num.strip()] = row
        for row in conn.execute(
            select(F_LIVRAISON)
            .where(F_LIVRAISON.c.CT_Num.in_(chunk))
            .order_by(F_LIVRAISON.c.LI_Principal.desc(), F_LIVRAISON.c.LI_No)
        ):
            deliveries[row.CT_Num.strip()].append(row)
        for row in conn.execute(
            select(F_REGLEMENTT).where(F_REGLEMENTT.c.CT_Num.in_(chunk)).order_by(F_REGLEMENTT.c.cbMarq)
        ):
            terms[row.CT_Num.strip()].append(row)
    found.deliveries = {code: deliveries.get(code, []) for code in codes}
    found.terms = {code: terms.get(code, []) for code in codes}
    found.asked_customers = set(codes)
    return found
