"""What every read and write of the adapter needs: the clock, the author code, the free fields,
the columns this Sage version has.

The free-field definitions are read from ``cbSysLibre`` once per connection; the tables that
carry them (``F_ARTICLE``, ``F_COMPTET``, ``F_DOCENTETE``) are then used in copies that list
those columns too. Columns that only recent Sage versions have (``cbCreation``,
``cbCreationUser``, ``DO_Conversion``, ``DO_PieceAcompte``: ``schema.RECENT``) are looked up in
the database once: the tables comptoir writes are used in copies without the ones it lacks, so
the same code writes a v3 company and a v12 one, filling the newer columns as Sage does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, inspect
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.freefields import FreeField, read_free_fields, with_free_fields
from comptoir.erp.sage100.rows import blank_row
from comptoir.erp.sage100.schema import (
    F_ARTICLE,
    F_ARTSTOCK,
    F_COMPTEG,
    F_COMPTET,
    F_CONTACTT,
    F_CREGLEMENT,
    F_DOCENTETE,
    F_DOCLIGNE,
    F_DOCREGL,
    F_GAMSTOCK,
    F_LIVRAISON,
    F_REGLECH,
    RECENT,
)

WRITTEN: tuple[Table, ...] = (
    F_ARTSTOCK,
    F_COMPTEG,
    F_COMPTET,
    F_CONTACTT,
    F_CREGLEMENT,
    F_DOCENTETE,
    F_DOCLIGNE,
    F_DOCREGL,
    F_GAMSTOCK,
    F_LIVRAISON,
    F_REGLECH,
)
"""The tables comptoir inserts rows into."""

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
    the tables as this database has them.

    (A dataclass without a docstring gets one made of its signature, whose defaults here are
    whole tables: rendering them loaded SQLAlchemy's Oracle dialect at every start-up.)
    """

    clock: SageClock
    user: str
    options: SageOptions
    free: Mapping[str, tuple[FreeField, ...]] = field(default_factory=dict)
    article: Table = F_ARTICLE
    customer: Table = F_COMPTET
    header: Table = F_DOCENTETE
    tables: Mapping[str, Table] = field(default_factory=dict)
    """The written tables as this database has them (recent columns it lacks left out)."""

    def fields(self, table: str) -> tuple[FreeField, ...]:
        return self.free.get(table, ())

    def table(self, table: Table) -> Table:
        """``table`` as this database has it (free fields added, missing recent columns left out)."""
        return self.tables.get(table.name, table)

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


def present_columns(conn: Connection, tables: tuple[Table, ...] = WRITTEN) -> dict[str, frozenset[str]]:
    """The columns each of ``tables`` has in the database (one catalogue look-up per table)."""
    inspector = inspect(conn)
    return {table.name: frozenset(c["name"] for c in inspector.get_columns(table.name)) for table in tables}


def recent_columns(conn: Connection) -> dict[str, frozenset[str]]:
    """The columns of the written tables, in two look-ups: a Sage version adds ``cbCreation`` and
    ``cbCreationUser`` to every table at once (read on ``F_DOCENTETE``, with ``DO_Conversion``),
    ``DO_PieceAcompte`` to ``F_DOCREGL``."""
    seen = present_columns(conn, (F_DOCENTETE, F_DOCREGL))
    stamps = {"cbCreation", "cbCreationUser"} & seen[F_DOCENTETE.name]
    present: dict[str, frozenset[str]] = {}
    for table in WRITTEN:
        columns = {c.name for c in table.c if not c.info.get(RECENT)} | stamps
        present[table.name] = frozenset(columns | seen.get(table.name, frozenset()))
    return present


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
    """Read the free-field definitions and the columns present; build the tables accordingly."""
    free = read_free_fields(conn)
    present = recent_columns(conn)
    metadata = MetaData()
    tables = {table.name: _as_present(table, present[table.name], metadata) for table in WRITTEN}
    customer = with_free_fields(tables["F_COMPTET"], free.get("F_COMPTET", ()), MetaData())
    header = with_free_fields(tables["F_DOCENTETE"], free.get("F_DOCENTETE", ()), MetaData())
    tables.update(F_COMPTET=customer, F_DOCENTETE=header)
    return SageContext(
        clock=clock,
        user=user,
        options=options,
        free=free,
        article=with_free_fields(F_ARTICLE, free.get("F_ARTICLE", ()), metadata),
        customer=customer,
        header=header,
        tables=tables,
    )
