"""Engines and transactions for the Sage database, the same on SQL Server, PostgreSQL, SQLite.

Reads run in ordinary transactions. A write runs in one transaction that first takes the
*writer lock*: the sales numbering rows of ``F_DOCCURRENTPIECE``, locked in ``cbMarq`` order
(``SELECT … FOR UPDATE`` on PostgreSQL, ``WITH (UPDLOCK, ROWLOCK)`` on SQL Server, ``BEGIN
IMMEDIATE`` on SQLite). Two comptoir writers therefore never compute the same document
number, line number (``DL_No``) or payment number; Sage's own users only wait for the few
milliseconds a comptoir write lasts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, event, select
from sqlalchemy.engine import Connection, Engine, make_url

from comptoir.erp.sage100.codes import SALES_DOMAIN
from comptoir.erp.sage100.schema import F_DOCCURRENTPIECE

_WRITE = "comptoir_write"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (deferred or immediate).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 30000")
    # A committed write survives a power cut, whatever the file's journal (a write-ahead log
    # is synced at each commit): the order ledger relies on it.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def open_engine(url: URL | str, *, must_exist: bool = False) -> Engine:
    """An engine for ``url``; on SQLite, writers take the database lock when they begin.

    With ``must_exist``, a SQLite file is opened read-write without ever being created: a
    wrong path fails to connect instead of silently making an empty company.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if must_exist and parsed.database not in (None, "", ":memory:") and "uri" not in parsed.query:
            parsed = _existing_only(parsed)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _existing_only(url: URL) -> URL:
    """The same SQLite file as a ``mode=rw`` URI: opened read-write, never created."""
    assert url.database is not None
    uri = Path(url.database).resolve().as_uri()
    return url.set(database=uri, query={**url.query, "mode": "rw", "uri": "true"})


@contextmanager
def write_transaction(engine: Engine, writer: Connection | None = None) -> Iterator[Connection]:
    """One write transaction holding the writer lock; committed on success, rolled back on error.

    ``writer``: a connection kept for a batch of writes (:func:`writer_connection`), used instead
    of one checked out of the pool (and pinged) for each write."""
    from comptoir.erp.sage100 import numbering  # its tables are described when a job first writes

    with nullcontext(writer) if writer is not None else engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        try:
            with conn.begin():
                numbering.locked(conn, lock_writers(conn))
                yield conn
        finally:
            numbering.released(conn)


def writer_connection(engine: Engine) -> Connection:
    """A connection for a batch of write transactions (each still its own, see
    :func:`write_transaction`); the caller closes it when the batch ends."""
    conn = engine.connect()
    conn.execution_options(**{_WRITE: True})
    return conn


def lock_writers(conn: Connection) -> Sequence[Any]:
    """Lock the sales numbering rows (no-op on SQLite, already locked by ``BEGIN IMMEDIATE``);
    return them (``cbMarq``, ``DC_IdCol``, ``DC_Souche``, ``DC_Piece``)."""
    return conn.execute(_LOCK_WRITERS).all()


_LOCK_WRITERS = (
    select(
        F_DOCCURRENTPIECE.c.cbMarq,
        F_DOCCURRENTPIECE.c.DC_IdCol,
        F_DOCCURRENTPIECE.c.DC_Souche,
        F_DOCCURRENTPIECE.c.DC_Piece,
    )
    .where(F_DOCCURRENTPIECE.c.DC_Domaine == SALES_DOMAIN)
    .order_by(F_DOCCURRENTPIECE.c.cbMarq)
    .with_for_update()
    .with_hint(F_DOCCURRENTPIECE, "WITH (UPDLOCK, ROWLOCK)", dialect_name="mssql")
)
"""The writer lock's statement, built once."""
