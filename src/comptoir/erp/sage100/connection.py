"""Engines and transactions for the Sage database, the same on SQL Server, PostgreSQL, SQLite.

Reads run in ordinary transactions. A write runs in one transaction that first takes the
*writer lock*: the sales numbering rows of ``F_DOCCURRENTPIECE``, locked in ``cbMarq`` order
(``SELECT … FOR UPDATE`` on PostgreSQL, ``WITH (UPDLOCK, ROWLOCK)`` on SQL Server, ``BEGIN
IMMEDIATE`` on SQLite). Two comptoir writers therefore never compute the same document
number, line number (``DL_No``) or payment number; Sage's own users only wait for the few
milliseconds a comptoir write lasts.

On PostgreSQL through psycopg 3, statements go out with the server's own placeholders (``$1``)
through psycopg's raw cursors. With SQLAlchemy's default ``%(name)s`` placeholders psycopg
rewrites each statement's text at every execution when it is longer than 4 KB or has more than
50 parameters (it keeps the rewrite of shorter ones only): a document's ``INSERT`` has 100 to 120
columns, and the rewrite cost about 0.3 ms of the client's time per execution. A batch's writer
connection (:func:`batch_writer`) plans without sequential scans: every statement it sends finds
rows by key, and the plan the server keeps for a prepared statement is made on its first
executions; in a company whose document tables were nearly empty then, the number check kept
scanning them, a little longer for each document written (0.2 ms for the first order, 10 ms by
the thousandth). Its commits do not wait for the disk one by one: the batch's writes are made
durable together when it ends (2 to 3 ms of each order's commit on a server's disk).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import URL, create_engine, event, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError, SQLAlchemyError

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
    elif parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() == "psycopg":
        engine = _psycopg_engine(parsed)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _writes_only_when_pipelined)
    return engine


def _psycopg_engine(url: URL) -> Engine:
    """An engine whose statements psycopg sends as they are (``$1`` placeholders, raw cursors)."""
    import psycopg

    engine = create_engine(
        url,
        pool_pre_ping=True,
        paramstyle="numeric_dollar",
        connect_args={"cursor_factory": psycopg.RawCursor},
    )
    event.listen(engine, "connect", _psycopg_connect)
    return engine


PIPELINE = "comptoir_pipeline"
"""``conn.info`` key present while :func:`pipelined` sends the connection's statements (its value
is the same object for every statement of one block: the block is one round trip)."""


@contextmanager
def pipelined(conn: Connection) -> Iterator[None]:
    """A block of writes whose answers nobody reads: on PostgreSQL they are sent one after the
    other without waiting for each answer (psycopg's pipeline mode) and the block waits for them
    all when it ends, raising there the first error as SQLAlchemy would have raised it (the
    transaction is then aborted, as after any failed statement). Elsewhere an ordinary block.

    Only ``INSERT`` and ``UPDATE`` without ``RETURNING`` may run in it, on every database (so that
    the tests on any of them catch a mistake): a statement whose rows are read would find none
    before the block ends, so it is refused."""
    conn.info[_WRITES_ONLY] = True
    try:
        driver = conn.connection.driver_connection
        if driver is None or conn.dialect.name != "postgresql" or not hasattr(driver, "pipeline"):
            yield
            return
        yield from _pipeline(conn, driver)
    finally:
        conn.info.pop(_WRITES_ONLY, None)


_WRITES_ONLY = "comptoir_writes_only"
"""``conn.info`` key present within :func:`pipelined` (on every database)."""


def _pipeline(conn: Connection, driver: Any) -> Iterator[None]:
    import psycopg

    conn.info[PIPELINE] = object()
    try:
        with driver.pipeline():
            yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(None, None, exc, psycopg.Error) from exc
    finally:
        conn.info.pop(PIPELINE, None)


def _writes_only_when_pipelined(
    conn: Connection, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    if _WRITES_ONLY not in conn.info:
        return
    compiled = getattr(context, "compiled", None)
    if compiled is None or not (context.isinsert or context.isupdate) or compiled.effective_returning:
        raise ProgrammingError(
            statement, None, Exception("only INSERT and UPDATE without RETURNING run in a pipelined block")
        )


def _psycopg_connect(dbapi_connection: Any, _record: Any) -> None:
    import psycopg

    # Streamed reads (``yield_per``) use a server-side cursor: raw too.
    dbapi_connection.server_cursor_factory = psycopg.RawServerCursor


def _existing_only(url: URL) -> URL:
    """The same SQLite file as a ``mode=rw`` URI: opened read-write, never created."""
    assert url.database is not None
    uri = Path(url.database).resolve().as_uri()
    return url.set(database=uri, query={**url.query, "mode": "rw", "uri": "true"})


@contextmanager
def write_transaction(engine: Engine, writer: Connection | None = None) -> Iterator[Connection]:
    """One write transaction holding the writer lock; committed on success, rolled back on error.

    ``writer``: a connection kept for a batch of writes (:func:`batch_writer`), used instead
    of one checked out of the pool (and pinged) for each write."""
    from comptoir.erp.sage100 import numbering  # its tables are described when a job first writes

    with nullcontext(writer) if writer is not None else engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        try:
            with conn.begin():
                numbering.locked(conn, lock_writers(conn))
                yield conn
                numbering.advance_counter(conn)  # an advance left pending is never left out
            if conn.info.get(_DEFERRED):
                conn.info[_UNFLUSHED] = True
        finally:
            numbering.released(conn)


_DEFERRED = "comptoir_deferred"
"""``conn.info`` key: the connection's commits do not wait for the disk (see :func:`batch_writer`)."""
_UNFLUSHED = "comptoir_unflushed"
"""``conn.info`` key: a commit of the connection may not be on disk yet."""
_BATCH_SETTINGS = ("enable_seqscan", "synchronous_commit")


@contextmanager
def batch_writer(engine: Engine) -> Iterator[Connection]:
    """A connection for a batch of write transactions (each still its own, see
    :func:`write_transaction`), closed when the batch ends.

    On PostgreSQL, while the batch lasts, it plans without sequential scans (see the module) and
    its commits do not wait for the disk: each write is committed, and seen by every reader, when
    it returns, and the batch's writes are made durable together when the batch ends
    (:func:`flush_commits`), before the block of writes is left. A crash of the server in
    between loses the last writes whole (each is one transaction), as a crash before their commit
    would: what is told elsewhere that they happened is told after the block (comptoir's order
    ledger records a document as written within the block, and the next run looks the document up
    in the company before it trusts that record)."""
    conn = engine.connect()
    server = conn.dialect.name == "postgresql"
    try:
        if server:
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET synchronous_commit = off")
            conn.commit()
            conn.info[_DEFERRED] = True
        conn.execution_options(**{_WRITE: True})
        yield conn
        flush_commits(conn)
    finally:
        if server:
            conn.info.pop(_DEFERRED, None)
            try:
                conn.rollback()
                flush_commits(conn)
                for setting in _BATCH_SETTINGS:
                    conn.exec_driver_sql(f"RESET {setting}")
                conn.commit()
            except SQLAlchemyError:
                conn.invalidate()  # the pool opens a new connection rather than keep this one
        conn.close()


def flush_commits(conn: Connection) -> None:
    """Wait until every commit of ``conn`` is on disk (PostgreSQL, in a :func:`batch_writer`).

    A transaction that commits waiting for the disk waits for everything logged before its own
    commit, provided it logged something itself (the server does not wait for one that wrote
    nothing): it takes the writer lock, whose row locks are logged, and nothing else."""
    if not conn.info.get(_UNFLUSHED):
        return
    with conn.begin():
        conn.exec_driver_sql("SET LOCAL synchronous_commit = on")
        lock_writers(conn)
    conn.info[_UNFLUSHED] = False


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
