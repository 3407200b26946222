"""Document numbers from ``F_DOCCURRENTPIECE`` and the MAX+1 counters Sage uses elsewhere.

``F_DOCCURRENTPIECE`` holds, per domain × numbering column (``DC_IdCol``) × series
(``DC_Souche``), the *next* number (``DC_Piece``, e.g. ``BC00042``): the counter row Sage
itself advances. A number is never reused: the candidate is checked against the numbers in
``F_DOCENTETE`` and in the transformation history of ``F_DOCLIGNE`` (``DL_PieceDE/BC/PL/BL``),
a number typed by hand in Sage ahead of the counter being moved past, then the row is advanced.
The check is one statement of equality look-ups on indexed columns (no scan of the numbers
already given, whatever their count), compiled once. Callers hold the writer lock
(:func:`comptoir.erp.sage100.connection.lock_writers`), which locks the counter rows.

Within a write transaction the writer lock hands its counter rows over (:func:`locked`), and the
MAX+1 identifiers of the tables a document and its payment fill (``DL_No``, ``DR_No``, ``RG_No``,
``LI_No``) are read once, in one statement (the document number's first check when the number
is taken first), then handed out in sequence: nobody else can insert while the lock is held. A savepoint
rolled back leaves a gap, as a deleted row does in Sage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Select,
    Table,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.codes import SALES_DOMAIN
from comptoir.erp.sage100.rows import update_rows
from comptoir.erp.sage100.schema import (
    F_CREGLEMENT,
    F_DOCCURRENTPIECE,
    F_DOCENTETE,
    F_DOCLIGNE,
    F_DOCREGL,
    F_LIVRAISON,
)

_NUMBER = re.compile(r"^(.*?)(\d+)$")
PIECE_LENGTH = 13
_SALES_TYPES = list(range(8))
"""Every sales ``DO_Type`` (0 quote … 7 posted invoice): with the domain, the leading columns
of the document indexes."""


def increment(number: str) -> str:
    """``BC00009`` → ``BC00010`` (the digits widen only when they overflow)."""
    match = _NUMBER.match(number.strip())
    if not match:
        raise ErpError(f"F_DOCCURRENTPIECE: number {number!r} does not end with digits")
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def _probe() -> Select[Any]:
    """Whether the number ``:piece`` is taken: in a header, a line or a line's history.

    Each branch is an equality on an indexed column (the header's and the line's
    (``DO_Domaine``, ``DO_Type``, ``DO_Piece``) indexes through the list of sales types, the
    history columns' own indexes), so the check costs a few index look-ups."""
    piece = bindparam("piece", type_=F_DOCENTETE.c.DO_Piece.type)
    history: list[Column[str]] = [
        F_DOCLIGNE.c.DL_PieceDE,
        F_DOCLIGNE.c.DL_PieceBC,
        F_DOCLIGNE.c.DL_PiecePL,
        F_DOCLIGNE.c.DL_PieceBL,
    ]
    # The types as literals: a list of bound values is expanded at each execution.
    types: list[ColumnElement[int]] = [literal_column(str(number)) for number in _SALES_TYPES]
    branches = [
        select(literal(1)).where(
            table.c.DO_Domaine == SALES_DOMAIN, table.c.DO_Type.in_(types), table.c.DO_Piece == piece
        )
        for table in (F_DOCENTETE, F_DOCLIGNE)
    ] + [
        # ``DO_Domaine + 0``: the domain is checked on the rows the history column's index finds;
        # compared bare, SQLite's planner may prefer the (domain, type, number) index on the
        # domain alone and scan every sales line of the company for each number.
        select(literal(1)).where(column == piece, (F_DOCLIGNE.c.DO_Domaine + 0) == SALES_DOMAIN)
        for column in history
    ]
    return select(func.count()).select_from(union_all(*branches).subquery())


TAKEN = _probe()
COUNTER = select(F_DOCCURRENTPIECE.c.cbMarq, F_DOCCURRENTPIECE.c.DC_Piece).where(
    F_DOCCURRENTPIECE.c.DC_Domaine == SALES_DOMAIN,
    F_DOCCURRENTPIECE.c.DC_IdCol == bindparam("id_col"),
    F_DOCCURRENTPIECE.c.DC_Souche == bindparam("series"),
)


def _taken(conn: Connection, candidate: str) -> bool:
    return bool(conn.execute(TAKEN, {"piece": candidate}).scalar())


WEB_TAKEN = (
    select(literal(1))
    .where(F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN, F_DOCENTETE.c.DO_NoWeb == bindparam("web"))
    .limit(1)
)
"""Whether a sales document already carries the shop order id ``:web`` (1, else nothing)."""


@cache
def _first_check(web: bool, ids: bool) -> Select[Any]:
    """The first look of :func:`next_number`, one statement: whether the candidate number is
    taken, then whether a document carries the shop order id (``web``), then the MAX+1
    identifiers' one read of the transaction (``ids``)."""
    columns: list[Any] = [TAKEN.scalar_subquery()]
    if web:
        columns.append(WEB_TAKEN.scalar_subquery())
    if ids:
        columns += [select(func.max(table.c[column])).scalar_subquery() for table, column in SEQUENCES]
    return select(*columns)


_COUNTERS = "comptoir_counters"
_IDS = "comptoir_ids"
SEQUENCES: tuple[tuple[Table, str], ...] = (
    (F_DOCLIGNE, "DL_No"),
    (F_DOCREGL, "DR_No"),
    (F_CREGLEMENT, "RG_No"),
    (F_LIVRAISON, "LI_No"),
)
"""The MAX+1 identifiers a write transaction hands out from one read."""
HIGHEST = select(*(select(func.max(table.c[column])).scalar_subquery() for table, column in SEQUENCES))


def locked(conn: Connection, counters: Sequence[Any]) -> None:
    """The writer lock is held: keep its counter rows (``cbMarq``, ``DC_IdCol``, ``DC_Souche``,
    ``DC_Piece``) for :func:`next_number`, and hand identifiers out from one read."""
    if not counters:  # nothing locked: nothing handed over, every number is read as it is taken
        return
    conn.info[_COUNTERS] = {
        (row.DC_IdCol, row.DC_Souche): SimpleNamespace(cbMarq=row.cbMarq, DC_Piece=row.DC_Piece)
        for row in counters
    }
    conn.info[_IDS] = None


def released(conn: Connection) -> None:
    """The write transaction ended: what it knew is forgotten (the connection goes back to the pool)."""
    conn.info.pop(_COUNTERS, None)
    conn.info.pop(_IDS, None)
    conn.info.pop(_ADVANCES, None)


def next_number(conn: Connection, *, id_col: int, series: int, user: str, now: datetime, what: str) -> str:
    """Take the next free number of a numbering column and series, and advance the counter."""
    number = number_unless_written(conn, id_col=id_col, series=series, user=user, now=now, what=what)
    assert number is not None  # no shop order id to find
    return number


def number_unless_written(
    conn: Connection,
    *,
    id_col: int,
    series: int,
    user: str,
    now: datetime,
    what: str,
    web_id: str = "",
    advance: bool = True,
) -> str | None:
    """:func:`next_number`, unless a sales document already carries the shop order id
    ``web_id``: then ``None``, nothing taken, nothing advanced. Checked in the same statement as
    the first candidate number (and the identifiers' read, see the module): on a server, one
    round trip for what took three.

    ``advance=False`` leaves the counter's ``UPDATE`` for :func:`advance_counter`, which the
    caller sends with its other writes (the writer lock holds the row meanwhile); a write
    transaction sends it before its commit if the caller did not."""
    counters: dict[tuple[int, int], Any] | None = conn.info.get(_COUNTERS)
    row = (
        counters.get((id_col, series))
        if counters is not None
        else conn.execute(COUNTER, {"id_col": id_col, "series": series}).first()
    )
    if row is None or not (row.DC_Piece or "").strip():
        raise ErpError(
            f"{what}: no numbering in F_DOCCURRENTPIECE for series {series} "
            f"(DC_Domaine {SALES_DOMAIN}, DC_IdCol {id_col})"
        )
    candidate = str(row.DC_Piece).strip()
    reading_ids = _IDS in conn.info and conn.info[_IDS] is None
    values = {"piece": candidate, "web": web_id} if web_id else {"piece": candidate}
    taken, *found = conn.execute(_first_check(bool(web_id), reading_ids), values).one()
    if web_id and found.pop(0) is not None:
        return None
    if reading_ids:
        conn.info[_IDS] = {k: int(v or 0) for k, v in zip(_SEQUENCE_KEYS, found, strict=True)}
    while taken:
        candidate = increment(candidate)
        taken = _taken(conn, candidate)
    following = increment(candidate)
    if len(following) > PIECE_LENGTH:
        raise ErpError(f"{what}: numbering of series {series} is exhausted after {candidate}")
    changes = {"DC_Piece": following, "cbModification": now, "cbCreateur": user}
    conn.info.setdefault(_ADVANCES, []).append((row.cbMarq, changes, what))
    if advance:
        advance_counter(conn)
    if counters is not None:
        counters[(id_col, series)] = SimpleNamespace(cbMarq=row.cbMarq, DC_Piece=following)
    return candidate


_ADVANCES = "comptoir_advances"
"""``conn.info`` key: the counters' advances taken and not sent yet (:func:`advance_counter`)."""


def advance_counter(conn: Connection) -> None:
    """Send the counters' advances :func:`number_unless_written` left pending (a write only)."""
    for marq, changes, what in conn.info.pop(_ADVANCES, ()):
        update_rows(conn, F_DOCCURRENTPIECE, {"cbMarq": marq}, changes, what)


def next_id(conn: Connection, table: Table, column: str, count: int = 1) -> int:
    """Sage's MAX+1 identifiers (``DL_No``, ``DR_No``, ``RG_No``, ``LI_No``, ``CT_No``…): the first
    of ``count`` consecutive ones."""
    key = f"{table.name}.{column}"
    if _IDS in conn.info and key in _SEQUENCE_KEYS:
        ids: dict[str, int] | None = conn.info[_IDS]
        if ids is None:
            highest = conn.execute(HIGHEST).one()
            ids = conn.info[_IDS] = {k: int(v or 0) for k, v in zip(_SEQUENCE_KEYS, highest, strict=True)}
        first = ids[key] + 1
        ids[key] += count
        return first
    current = conn.execute(select(func.max(table.c[column]))).scalar()
    return int(current or 0) + 1


_SEQUENCE_KEYS = [f"{table.name}.{column}" for table, column in SEQUENCES]
