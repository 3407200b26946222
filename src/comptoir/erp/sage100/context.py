"""What every read and write of the adapter needs: the clock, the author code, the free fields,
the columns this Sage version has.

The free-field definitions are read from ``cbSysLibre`` once per connection; the tables that
carry them (``F_ARTICLE``, ``F_COMPTET``, ``F_DOCENTETE``) are then used in copies that list
those columns too. Columns that only recent Sage versions have (``cbCreation``,
``cbCreationUser``, ``DO_Conversion``, ``DO_PieceAcompte``: ``schema.RECENT``) are looked up in
the database once: the tables comptoir writes are used in copies without the ones it lacks, so
the same code writes a v3 company and a v12 one, filling the newer columns as Sage does.

Those copies are made when first used, once per connection: a job that only reads articles and
stock never describes the customer and document tables it does not touch.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, inspect
from sqlalchemy.engine import Connection

from comptoir.erp.sage100 import schema
from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.freefields import FreeField, read_free_fields, with_free_fields
from comptoir.erp.sage100.rows import blank_row
from comptoir.erp.sage100.schema import RECENT

WRITTEN: tuple[str, ...] = (
    "F_ARTSTOCK",
    "F_COMPTEG",
    "F_COMPTET",
    "F_CONTACTT",
    "F_CREGLEMENT",
    "F_DOCENTETE",
    "F_DOCLIGNE",
    "F_DOCREGL",
    "F_GAMSTOCK",
    "F_LIVRAISON",
    "F_REGLECH",
)
"""The tables comptoir inserts rows into."""

WITH_FREE_FIELDS: tuple[str, ...] = ("F_ARTICLE", "F_COMPTET", "F_DOCENTETE")
"""The tables used with their free fields (``SageContext.article``, ``customer``, ``header``)."""

DEFAULT_TRANSACTION = (11, 21)
"""``DO_Transaction`` 11 / ``DO_Regime`` 21: what Sage and SQL writers put on ordinary French sales."""


@dataclass(frozen=True, slots=True)
class SageOptions:
    """Adapter choices a deployment may change (documented in docs/erp/sage100.md)."""

    description_field: str = "Description"
    """Article free field holding the long description."""
    notes_field: str = "Commentaires"
    """Document-header free field receiving the order's customer notes."""
    default_account: str = "4110000"
    """Collective account of created customers when the customer names none."""
    accounting_category: int = 1
    """Accounting category (``N_CatCompta``) whose sales tax codes articles carry (1 = France)."""
    allow_invoices: bool = False
    """Create invoices and credit notes when asked (see ``Sage100Settings.allow_invoices``)."""
    document_status: int = 0
    """``DO_Statut`` of created documents (0 entered, 1 confirmed, 2 ready)."""
    transaction_codes: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    """Accounting category → (``DO_Transaction``, ``DO_Regime``); others get ``DEFAULT_TRANSACTION``."""
    creation_user: uuid.UUID | None = None
    """``cbCreationUser`` of written rows (Sage v10 and later), or NULL."""

    def transaction(self, category: int) -> tuple[int, int]:
        """(``DO_Transaction``, ``DO_Regime``) of a document of accounting category ``category``."""
        return self.transaction_codes.get(category, DEFAULT_TRANSACTION)


@dataclass(frozen=True, slots=True)
class SageContext:
    """What the reads and writes of one connection share: clock, author, options, free fields and
    the tables as this database has them (each made when first used, then kept)."""

    clock: SageClock
    user: str
    options: SageOptions
    free: Mapping[str, tuple[FreeField, ...]] = field(default_factory=dict)
    recent: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Per written table, the columns of recent versions this database has (``recent_columns``)."""
    _tables: dict[str, Table] = field(default_factory=dict, init=False, repr=False, compare=False)
    _metadata: MetaData = field(default_factory=MetaData, init=False, repr=False, compare=False)
    _making: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @property
    def article(self) -> Table:
        """``F_ARTICLE`` with its free fields."""
        return self._made("F_ARTICLE")

    @property
    def customer(self) -> Table:
        """``F_COMPTET`` with its free fields, as this database has it."""
        return self._made("F_COMPTET")

    @property
    def header(self) -> Table:
        """``F_DOCENTETE`` with its free fields, as this database has it."""
        return self._made("F_DOCENTETE")

    def fields(self, table: str) -> tuple[FreeField, ...]:
        return self.free.get(table, ())

    def table(self, table: Table) -> Table:
        """``table`` as this database has it (free fields added, missing recent columns left out)."""
        return self._made(table.name) if table.name in WRITTEN else table

    def _made(self, name: str) -> Table:
        """The table ``name`` as this context uses it, made on first use and kept (one object per
        table, whichever thread asks first: statements never mix two copies)."""
        made = self._tables.get(name)
        if made is not None:
            return made
        with self._making:
            made = self._tables.get(name)
            if made is None:
                made = schema.table(name)
                if name in WRITTEN:
                    made = _as_present(made, self.recent.get(name, frozenset()), self._metadata)
                if name in WITH_FREE_FIELDS:
                    metadata = self._metadata if name == "F_ARTICLE" else MetaData()
                    made = with_free_fields(made, self.free.get(name, ()), metadata)
                self._tables[name] = made
        return made

    def has(self, table: Table, column: str) -> bool:
        """Whether this database's ``table`` has ``column``."""
        return column in self.table(table).c

    def blank(self, table: Table, now: datetime) -> dict[str, Any]:
        """A complete empty row of ``table`` as Sage writes one, stamped with author and times."""
        target = self.table(table)
        row = blank_row(target, user=self.user, now=now)
        if "cbCreation" in target.c:
            row["cbCreation"] = now
        if "cbCreationUser" in target.c:
            row["cbCreationUser"] = self.options.creation_user
        return row


def present_columns(conn: Connection, tables: tuple[str, ...] = WRITTEN) -> dict[str, frozenset[str]]:
    """The columns each of ``tables`` has in the database (one catalogue look-up per table)."""
    inspector = inspect(conn)
    return {name: frozenset(c["name"] for c in inspector.get_columns(name)) for name in tables}


def recent_columns(conn: Connection) -> dict[str, frozenset[str]]:
    """Per written table, the columns of recent versions the database has, in two look-ups: a Sage
    version adds ``cbCreation`` and ``cbCreationUser`` to every table at once (read on
    ``F_DOCENTETE``, with ``DO_Conversion``), ``DO_PieceAcompte`` to ``F_DOCREGL``. (Columns not
    marked ``RECENT`` are taken as there: every Sage version has them.)"""
    seen = present_columns(conn, ("F_DOCENTETE", "F_DOCREGL"))
    stamps = {"cbCreation", "cbCreationUser"} & seen["F_DOCENTETE"]
    return {name: frozenset(stamps | seen.get(name, frozenset())) for name in WRITTEN}


def _as_present(table: Table, present: frozenset[str], metadata: MetaData) -> Table:
    """``table`` without the recent columns the database lacks (the same object when none is)."""
    absent = {c.name for c in table.c if c.info.get(RECENT) and c.name not in present}
    if not absent:
        return table
    columns = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, info=dict(c.info))
        for c in table.c
        if c.name not in absent
    ]
    return Table(table.name, metadata, *columns)


def load_context(conn: Connection, clock: SageClock, user: str, options: SageOptions) -> SageContext:
    """Read the free-field definitions and the recent columns present (the tables are made from
    them when first used)."""
    return SageContext(
        clock=clock, user=user, options=options, free=read_free_fields(conn), recent=recent_columns(conn)
    )
