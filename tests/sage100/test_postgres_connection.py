"""How comptoir talks to a Sage company on PostgreSQL: statements psycopg sends as they are, and
a batch's writer connection that plans by key, makes its writes durable together when the batch
ends and goes back to the pool as it was taken."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError

from comptoir.erp.sage100.connection import batch_writer, open_engine, pipelined, write_transaction
from comptoir.erp.sage100.schema import F_ARTICLE, F_DOCCURRENTPIECE


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    opened = open_engine(str(request.getfixturevalue("postgres_company")))
    yield opened
    opened.dispose()


def test_statements_reach_the_server_with_its_own_placeholders(engine: Engine) -> None:
    sent: list[tuple[str, Any]] = []

    def seen(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append((statement, cursor))

    event.listen(engine, "before_cursor_execute", seen)
    with engine.connect() as conn:
        found = conn.execute(select(F_ARTICLE.c.AR_Ref).where(F_ARTICLE.c.AR_Ref == "VIN-TAVEL-ROSE")).all()
        # A literal percent sign is sent as it is, next to a placeholder.
        suffixed = conn.execute(text("SELECT :ref || '%'"), {"ref": "VIN"}).scalar()
    assert [r.AR_Ref.strip() for r in found] == ["VIN-TAVEL-ROSE"]
    assert suffixed == "VIN%"
    assert all(isinstance(cursor, psycopg.RawCursor) for _, cursor in sent)
    assert "$1" in sent[0][0] and "%(" not in sent[0][0]


def test_streamed_reads_use_a_raw_server_cursor(engine: Engine) -> None:
    query = select(F_ARTICLE.c.AR_Ref).where(F_ARTICLE.c.AR_Ref.like("%-%")).order_by(F_ARTICLE.c.AR_Ref)
    with engine.connect() as conn:
        expected = [r.AR_Ref for r in conn.execute(query)]
        streamed = [r.AR_Ref for r in conn.execution_options(yield_per=2).execute(query)]
    assert len(expected) > 4 and streamed == expected


SETTINGS = "SELECT current_setting('enable_seqscan'), current_setting('synchronous_commit')"


def test_a_batch_writer_plans_by_key_and_leaves_its_connection_as_it_found_it(engine: Engine) -> None:
    with engine.connect() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        assert tuple(conn.exec_driver_sql(SETTINGS).one()) == ("on", "on")
    with batch_writer(engine) as writer:
        assert writer.exec_driver_sql("SELECT pg_backend_pid()").scalar() == pid
        assert tuple(writer.exec_driver_sql(SETTINGS).one()) == ("off", "off")
        writer.rollback()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar() == pid
        assert tuple(conn.exec_driver_sql(SETTINGS).one()) == ("on", "on")


def test_the_writes_of_a_batch_are_on_disk_when_it_ends(engine: Engine) -> None:
    """Each commit of the batch returns without waiting for the disk; leaving the batch waits
    until the server's log is on disk past the last of them."""
    counter = F_DOCCURRENTPIECE
    with batch_writer(engine) as writer:
        for _ in range(3):
            with write_transaction(engine, writer) as conn:
                conn.execute(update(counter).values(cbModification=func.now()))
        written = writer.exec_driver_sql("SELECT pg_current_wal_insert_lsn()").scalar()
        writer.rollback()
        sent: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    assert sent[0] == "SET LOCAL synchronous_commit = on" and "FOR UPDATE" in sent[1]
    assert sent[2:] == ["RESET enable_seqscan", "RESET synchronous_commit"]
    with engine.connect() as conn:
        flushed = conn.execute(
            text("SELECT pg_current_wal_flush_lsn() >= CAST(:lsn AS pg_lsn)"), {"lsn": written}
        ).scalar()
    assert flushed


def test_a_batch_without_writes_waits_for_nothing(engine: Engine) -> None:
    sent: list[str] = []
    with batch_writer(engine) as writer:
        writer.exec_driver_sql("SELECT 1")
        writer.rollback()
        event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    assert sent == ["RESET enable_seqscan", "RESET synchronous_commit"]


def test_a_batch_writer_left_in_a_failed_transaction_is_still_reset(engine: Engine) -> None:
    with pytest.raises(ZeroDivisionError), batch_writer(engine) as writer:
        writer.exec_driver_sql("SELECT 1")
        raise ZeroDivisionError
    with engine.connect() as conn:
        assert tuple(conn.exec_driver_sql(SETTINGS).one()) == ("on", "on")


def test_a_pipelined_block_sends_its_writes_and_refuses_a_read(engine: Engine) -> None:
    """Writes of a pipelined block are applied when it ends; a statement whose rows would be read
    is refused (they would come only at the end of the block)."""
    counter = F_DOCCURRENTPIECE
    with engine.connect() as conn, conn.begin():
        with pipelined(conn):
            conn.execute(update(counter).values(cbModification=func.now(), cbCreateur="PIPE"))
            conn.execute(update(counter).values(cbCreateur="LINE"))
            with pytest.raises(ProgrammingError, match="without RETURNING"):
                conn.execute(select(counter.c.cbCreateur))
        written = {r.cbCreateur for r in conn.execute(select(counter.c.cbCreateur))}
        conn.rollback()
    assert written == {"LINE"}
