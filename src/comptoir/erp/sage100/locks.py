"""Sage's record locks: a record a Sage user has open is never changed under them.

Sage 100 marks the record a user is editing with ``CB_LockRecord`` (kept in memory on the SQL
Server by the ``xp_CBLockRecord`` extended procedure, per session, table and ``cbMarq``) and asks
``CB_FntIsRecordLock(table, cbMarq)`` before writing. Before comptoir updates a record that
exists (a document's header when a payment is recorded, a customer account), it asks the same
function: a record held by a Sage user is left alone and the write fails with an ``ErpError``
saying so (the job tries again on its next run). New rows (new documents, lines, payments) are
not locked by anyone. The replica keeps such locks in its ``cbLock`` table.
"""

from __future__ import annotations

from sqlalchemy import Table, func, literal, select
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.schema import cbLock


def held(conn: Connection, table: Table, marq: int) -> bool:
    """Whether a Sage user holds the record ``marq`` of ``table``."""
    if conn.dialect.name == "mssql":
        probe = select(func.dbo.CB_FntIsRecordLock(literal(table.name), literal(marq)))
        return bool(conn.execute(probe).scalar())
    if not conn.dialect.has_table(conn, cbLock.name):
        return False
    query = select(cbLock.c.cbMarq).where(cbLock.c.cbFile == table.name, cbLock.c.cbMarq == marq)
    return conn.execute(query).first() is not None


def ensure_free(conn: Connection, table: Table, marq: int, what: str) -> None:
    """``ErpError`` when a Sage user holds the record (``what`` names it)."""
    if held(conn, table, marq):
        raise ErpError(
            f"{what} is open in Sage by a user (record lock on {table.name}); "
            "comptoir leaves it alone and tries again on its next run"
        )
