"""Document numbers from ``F_DOCCURRENTPIECE`` and the MAX+1 counters Sage uses elsewhere.

``F_DOCCURRENTPIECE`` holds, per domain × numbering column (``DC_IdCol``) × series
(``DC_Souche``), the *next* number (``DC_Piece``, e.g. ``BC00042``). A number is never
reused: the candidate is moved past every number already present in ``F_DOCENTETE`` or kept
in the transformation history of ``F_DOCLIGNE`` (``DL_PieceDE/BC/PL/BL``), then the row is
advanced. Callers hold the writer lock (:func:`comptoir.erp.sage100.connection.lock_writers`).
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Column, Table, func, select, union
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.codes import SALES_DOMAIN
from comptoir.erp.sage100.rows import update_rows
from comptoir.erp.sage100.schema import F_DOCCURRENTPIECE, F_DOCENTETE, F_DOCLIGNE

_NUMBER = re.compile(r"^(.*?)(\d+)$")
PIECE_LENGTH = 13


def increment(number: str) -> str:
    """``BC00009`` → ``BC00010`` (the digits widen only when they overflow)."""
    match = _NUMBER.match(number.strip())
    if not match:
        raise ErpError(f"F_DOCCURRENTPIECE: number {number!r} does not end with digits")
    prefix, digits = match.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


def _taken(conn: Connection, candidate: str) -> set[str]:
    """Numbers at or after ``candidate`` with its prefix and width, in headers or line history."""
    match = _NUMBER.match(candidate)
    prefix = match.group(1) if match else candidate
    columns: list[Column[str]] = [
        F_DOCLIGNE.c.DO_Piece,
        F_DOCLIGNE.c.DL_PieceDE,
        F_DOCLIGNE.c.DL_PieceBC,
        F_DOCLIGNE.c.DL_PiecePL,
        F_DOCLIGNE.c.DL_PieceBL,
    ]
    parts = [
        select(F_DOCENTETE.c.DO_Piece.label("piece")).where(
            F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
            F_DOCENTETE.c.DO_Piece.startswith(prefix, autoescape=True),
            F_DOCENTETE.c.DO_Piece >= candidate,
        )
    ] + [
        select(column.label("piece")).where(
            F_DOCLIGNE.c.DO_Domaine == SALES_DOMAIN,
            column.startswith(prefix, autoescape=True),
            column >= candidate,
        )
        for column in columns
    ]
    rows = conn.execute(union(*parts))
    return {piece.strip() for (piece,) in rows if piece and len(piece.strip()) == len(candidate)}


def next_number(conn: Connection, *, id_col: int, series: int, user: str, now: datetime, what: str) -> str:
    """Take the next free number of a numbering column and series, and advance the counter."""
    table = F_DOCCURRENTPIECE
    row = conn.execute(
        select(table.c.cbMarq, table.c.DC_Piece).where(
            table.c.DC_Domaine == SALES_DOMAIN, table.c.DC_IdCol == id_col, table.c.DC_Souche == series
        )
    ).first()
    if row is None or not (row.DC_Piece or "").strip():
        raise ErpError(
            f"{what}: no numbering in F_DOCCURRENTPIECE for series {series} "
            f"(DC_Domaine {SALES_DOMAIN}, DC_IdCol {id_col})"
        )
    candidate = str(row.DC_Piece).strip()
    taken = _taken(conn, candidate)
    while candidate in taken:
        candidate = increment(candidate)
    following = increment(candidate)
    if len(following) > PIECE_LENGTH:
        raise ErpError(f"{what}: numbering of series {series} is exhausted after {candidate}")
    changes = {"DC_Piece": following, "cbModification": now, "cbCreateur": user}
    update_rows(conn, table, table.c.cbMarq == row.cbMarq, changes, what)
    return candidate


def next_id(conn: Connection, table: Table, column: str) -> int:
    """Sage's MAX+1 identifiers (``DL_No``, ``DR_No``, ``RG_No``, ``LI_No``, ``CT_No``…)."""
    current = conn.execute(select(func.max(table.c[column]))).scalar()
    return int(current or 0) + 1
