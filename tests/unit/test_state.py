"""The state store on SQLite and PostgreSQL: bindings, fingerprints, ledger claims, runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import StatementError

from comptoir.state import BindingConflict, BoundObject, StateError, StateStore, StoredLine, WrittenMark
from comptoir.state.store import _many
from comptoir.state.tables import BINDINGS, FINGERPRINTS


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    opened = StateStore.open(url)
    yield opened
    opened.close()


def test_bindings_are_unique_on_both_sides(store: StateStore) -> None:
    store.bind("p", "product", {"A": BoundObject("1", None), "B": BoundObject("2", "9")})
    assert store.bindings("p", "product") == {"A": BoundObject("1", None), "B": BoundObject("2", "9")}
    store.bind("p", "product", {"A": BoundObject("3", None)})
    assert store.bindings("p", "product")["A"].shop_id == "3"
    with pytest.raises(BindingConflict, match="shop product 2 is bound to 'B', not 'C'"):
        store.bind("p", "product", {"C": BoundObject("2", None)})
    assert store.bindings("other", "product") == {}


def test_fingerprints_replace_per_aspect(store: StateStore) -> None:
    store.record_fingerprints("p", "product", "price", {"A": "x", "B": "y"})
    store.record_fingerprints("p", "product", "price", {"A": "z"})
    store.record_fingerprints("p", "product", "stock", {"A": "s"})
    assert store.fingerprints("p", "product", "price") == {"A": "z", "B": "y"}
    assert store.fingerprints("p", "product", "stock") == {"A": "s"}


def test_many_rows_in_one_call(store: StateStore) -> None:
    bindings = {f"REF{i:05d}": BoundObject(str(i), None) for i in range(2500)}
    store.bind("p", "product", bindings)
    store.record_fingerprints("p", "product", "stock", {k: "d" for k in bindings})
    assert len(store.bindings("p", "product")) == 2500
    assert len(store.fingerprints("p", "product", "stock")) == 2500


def test_record_sent_keeps_bindings_fingerprints_and_their_time(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A push's batch is recorded in one transaction; its rows go to the driver with the time
    processed once, and read back as the store's clock gave it."""
    sent_at = datetime(2026, 11, 30, 7, 15, 42, 123456, tzinfo=UTC)
    for url in (f"sqlite:///{tmp_path / 'state.sqlite'}", request.getfixturevalue("postgres_url")):
        store = StateStore.open(url, clock=lambda: sent_at)
        try:
            places = {f"R{i:04d}": BoundObject(str(i), "77" if i % 2 else None) for i in range(1200)}
            digests = {"price": {k: f"p{k}" for k in places}, "stock": {"R0001": "s1"}}
            store.record_sent("p", "product", places, digests)
            assert store.bindings("p", "product") == places
            assert store.fingerprints("p", "product", "price") == digests["price"]
            assert store.fingerprints("p", "product", "stock") == {"R0001": "s1"}
            with store.engine.connect() as conn:
                times = {row[0] for row in conn.execute(select(FINGERPRINTS.c.sent_at))}
                bound_at = {row[0] for row in conn.execute(select(BINDINGS.c.updated_at))}
            assert times == bound_at == {sent_at}

            with pytest.raises(BindingConflict):
                store.record_sent(
                    "p", "product", {"OTHER": BoundObject("5", None)}, {"price": {"OTHER": "x"}}
                )
            assert "OTHER" not in store.fingerprints("p", "product", "price"), "nothing of a refused batch"
        finally:
            store.close()


def test_values_varying_from_row_to_row_are_converted_as_their_column_says(store: StateStore) -> None:
    """``_many`` converts each row's values by their column types (times in UTC) itself."""
    first = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    later = first + timedelta(days=3)
    with store.engine.begin() as conn:
        _many(
            conn,
            insert(FINGERPRINTS),
            {"profile": "p", "kind": "product", "aspect": "price"},
            ("erp_key", "digest", "sent_at"),
            [("A", "a", first), ("B", "b", later)],
        )
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(FINGERPRINTS.c.erp_key, FINGERPRINTS.c.sent_at)).all())
    assert rows == {"A": first, "B": later}


def test_a_statement_with_parameters_of_its_own_runs_row_by_row_as_sqlalchemy_would(
    store: StateStore,
) -> None:
    """A statement whose parameters are not exactly the columns named (here one the ``WHERE``
    names) goes through SQLAlchemy's own parameter handling: the same rows written."""
    first = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    store.record_fingerprints("p", "product", "price", {"A": "old", "B": "old", "C": "old"})
    statement = (
        update(FINGERPRINTS)
        .where(
            FINGERPRINTS.c.profile == "p",
            FINGERPRINTS.c.aspect == "price",
            FINGERPRINTS.c.erp_key == bindparam("key"),
        )
        .values(digest=bindparam("digest"), sent_at=bindparam("sent_at"))
    )
    with store.engine.begin() as conn:
        _many(conn, statement, {"sent_at": first}, ("key", "digest"), [("A", "a"), ("C", "c")])
    assert store.fingerprints("p", "product", "price") == {"A": "a", "B": "old", "C": "c"}
    with store.engine.connect() as conn:
        times = dict(conn.execute(select(FINGERPRINTS.c.erp_key, FINGERPRINTS.c.sent_at)).all())
    assert times["A"] == times["C"] == first != times["B"]


@pytest.mark.parametrize("keyed_read_max", [3_000, 10])
def test_keyed_reads_return_only_the_keys_asked(
    store: StateStore, keyed_read_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few keys are looked up, many read whole and filtered: the same answer either way."""
    monkeypatch.setattr("comptoir.state.store.KEYED_READ_MAX", keyed_read_max)
    store.bind("p", "product", {f"REF{i:04d}": BoundObject(str(i), None) for i in range(1200)})
    store.bind("p", "product", {"V1": BoundObject("5001", "7"), "V2": BoundObject("5002", "7")})
    store.bind("q", "product", {"REF0001": BoundObject("1", None)})
    store.record_fingerprints("p", "product", "stock", {f"REF{i:04d}": f"d{i}" for i in range(0, 1200, 2)})
    asked = [f"REF{i:04d}" for i in range(0, 1200, 3)] + ["ABSENT", "REF0003"]
    bound = store.bindings("p", "product", asked)
    assert set(bound) == {f"REF{i:04d}" for i in range(0, 1200, 3)}
    assert bound["REF0006"] == BoundObject("6", None)
    sent = store.fingerprints("p", "product", "stock", asked)
    assert sent == {f"REF{i:04d}": f"d{i}" for i in range(0, 1200, 6)}
    assert store.bindings("p", "product", []) == {}
    assert store.taken_shop_ids("p", "product", {"6", "5002", "99999"}) == {"6", "5002"}
    assert store.bound_parents("p", "product", ["REF0007", "REF0008", "V1"]) == {"REF0007"}


def test_claim_is_exclusive_and_expired_claims_are_taken_over(store: StateStore) -> None:
    first = store.claim_order("p", "187", timedelta(minutes=5))
    assert first is not None
    assert store.claim_order("p", "187", timedelta(minutes=5)) is None
    stale = store.claim_order("p", "188", timedelta(seconds=-1))
    assert stale is not None
    takeover = store.claim_order("p", "188", timedelta(minutes=5))
    assert takeover is not None and takeover.token != stale.token
    assert not store.mark_done("p", stale, "BC1"), "a lost claim must not settle the order"
    assert store.mark_written("p", takeover, "BC00002", "12.00", "12.00")
    assert store.ledger("p", ["188"])["188"].state == "written"
    assert store.claim_order("p", "188", timedelta(minutes=5)) is None, "written under a live claim: held"
    assert store.release("p", takeover), "the claim is given back, the document stays"
    again = store.claim_order("p", "188", timedelta(minutes=5))
    assert again is not None
    assert store.mark_done("p", again)
    row = store.ledger("p")["188"]
    assert (row.state, row.erp_document, row.attempts) == ("done", "BC00002", 3)
    assert store.claim_order("p", "188", timedelta(minutes=5)) is None


def test_a_claim_held_past_its_expiry_is_taken_over_by_the_store_clock(tmp_path: Path) -> None:
    now = [datetime(2026, 7, 11, 10, 0, tzinfo=UTC)]
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.sqlite'}", clock=lambda: now[0])
    try:
        ttl = timedelta(minutes=15)
        claimed = store.claim_order("p", "1", ttl)
        written = store.claim_order("p", "2", ttl)
        assert claimed is not None and written is not None
        assert claimed.expires_at == now[0] + ttl
        assert store.mark_written("p", written, "BC00007", "10.00", "10.00")
        rows = store.unfinished_orders("p")
        assert set(rows) == {"1", "2"}
        assert all(row.held(now[0]) for row in rows.values())
        assert store.claim_order("p", "1", ttl) is None
        assert store.claim_order("p", "2", ttl) is None

        now[0] += ttl
        assert not any(row.held(now[0]) for row in store.unfinished_orders("p").values())
        taken = store.claim_order("p", "1", ttl)
        finishing = store.claim_order("p", "2", ttl)
        assert taken is not None and finishing is not None
        assert not store.mark_written("p", written, "BC00007", "10.00", "10.00"), "the old claim is lost"
        assert store.forget("p", taken)
        assert store.mark_done("p", finishing)
        assert store.unfinished_orders("p") == {}
        assert store.ledger("p")["2"].state == "done"
        assert "1" not in store.ledger("p")
    finally:
        store.close()


def test_failed_orders_are_kept_until_retried(store: StateStore) -> None:
    claim = store.claim_order("p", "9", timedelta(minutes=5))
    assert claim is not None
    store.mark_failed("p", claim, "line 1: reference 'X' unknown")
    assert store.claim_order("p", "9", timedelta(minutes=5)) is None
    assert store.ledger("p")["9"].error == "line 1: reference 'X' unknown"
    assert store.claim_order("p", "9", timedelta(minutes=5), retry_failed=True) is not None
    assert store.reset_orders("p", ["9"]) == 1
    assert store.ledger("p") == {}


def test_orders_claimed_and_settled_together_follow_the_one_by_one_rules(store: StateStore) -> None:
    ttl = timedelta(minutes=5)
    live = store.claim_order("p", "1", ttl)
    stale = store.claim_order("p", "2", timedelta(seconds=-1))
    failed = store.claim_order("p", "3", ttl)
    done = store.claim_order("p", "4", ttl)
    assert live and stale and failed and done
    store.mark_failed("p", failed, "refused")
    store.mark_done("p", done, "BC00004")

    claims = store.claim_orders("p", ["1", "2", "3", "4", "5", "6"], ttl)
    assert claims["1"] is None, "a live claim is held"
    assert claims["3"] is None and claims["4"] is None, "failed (not retried) and done are not claimed"
    taken, new, newer = claims["2"], claims["5"], claims["6"]
    assert taken is not None and taken.token != stale.token, "an expired claim is taken over"
    assert new is not None and newer is not None
    assert store.claim_orders("p", ["5"], ttl) == {"5": None}, "now held"
    assert store.claim_orders("p", ["3"], ttl, retry_failed=True)["3"] is not None

    settled = store.mark_written_many(
        "p",
        [
            WrittenMark(taken, "BC00002", "10.00", "10.00", "fp"),
            WrittenMark(new, "BC00005", "5.00", "5.00"),
            WrittenMark(stale, "BC00009", "1.00", "1.00"),
        ],
    )
    assert settled == {"2", "5"}, "the lost claim settles nothing"
    rows = store.ledger("p")
    assert (rows["2"].state, rows["2"].erp_document, rows["2"].attempts) == ("written", "BC00002", 2)
    assert (rows["2"].fingerprint, rows["5"].state, rows["5"].erp_document) == ("fp", "written", "BC00005")
    assert store.mark_done_many("p", [(taken, "BC00002"), (new, "BC00005"), (live, "BC00001")]) == {
        "2",
        "5",
        "1",
    }
    assert {k: r.state for k, r in store.ledger("p").items()} == {
        "1": "done",
        "2": "done",
        "3": "claimed",
        "4": "done",
        "5": "done",
        "6": "claimed",
    }
    assert store.ledger("p")["1"].erp_document == "BC00001"


def test_concurrent_claims_give_one_winner(store: StateStore) -> None:
    winners: list[str] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        barrier.wait()
        result = store.claim_order("p", "500", timedelta(minutes=5))
        if result is not None:
            winners.append(result.token)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_runs_and_journal(store: StateStore) -> None:
    start = datetime(2026, 7, 11, 8, 8, 45, tzinfo=UTC)
    run = store.start_run("p", "import_orders", dry_run=False, started_at=start)
    store.add_lines(run, [StoredLine(start, "info", None, "Import des commandes : début")])
    store.finish_run(run, "ok", {"created": 2, "failed": 1}, start + timedelta(seconds=3))
    [row] = store.runs("p")
    assert row.status == "ok" and row.counts["created"] == 2 and row.counts["failed"] == 1
    assert row.started_at == start
    assert [line.message for line in store.journal(run)] == ["Import des commandes : début"]
    with pytest.raises(StatementError, match="naive"):
        store.start_run("p", "x", dry_run=False, started_at=datetime(2026, 1, 1))


def test_job_marks(store: StateStore) -> None:
    assert store.job_mark("p", "import_orders") is None
    when = datetime(2026, 7, 11, 10, 0, tzinfo=UTC)
    store.set_job_mark("p", "import_orders", when)
    store.set_job_mark("p", "import_orders", when + timedelta(hours=1))
    assert store.job_mark("p", "import_orders") == when + timedelta(hours=1)


def test_a_window_is_kept_per_profile_and_job(store: StateStore) -> None:
    overlap = timedelta(minutes=10)
    when = datetime(2026, 7, 11, 10, 0, tzinfo=UTC)
    first = store.window("p", "import_orders", overlap)
    assert first.start is None
    first.note(when, finished=True)
    first.note(when + timedelta(minutes=30), finished=False)
    store.save_window("p", "import_orders", first)
    second = store.window("p", "import_orders", overlap)
    assert second.cursor == when + timedelta(minutes=30)
    assert second.start == when + timedelta(minutes=20)
    assert store.window("p", "import_orders", overlap, full=True).start is None
    assert store.window("other", "import_orders", overlap).cursor is None
    store.save_window("p", "import_orders", store.window("p", "import_orders", overlap))
    assert store.job_mark("p", "import_orders") == when + timedelta(minutes=30), "an empty read keeps it"


def test_a_state_database_that_cannot_be_opened_is_named(tmp_path: Path) -> None:
    junk = tmp_path / "state.sqlite"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(StateError, match=r"^state database sqlite:///.*state\.sqlite: cannot be opened \("):
        StateStore.open(f"sqlite:///{junk.as_posix()}")
    below_a_file = junk / "state.sqlite"
    with pytest.raises(StateError, match=r"cannot be opened \((Not a directory|File exists)\)"):
        StateStore.open(f"sqlite:///{below_a_file.as_posix()}")
    with pytest.raises(StateError, match="'nope nope' is not a database URL"):
        StateStore.open("nope nope")


async def test_a_batch_recorded_aside_is_recorded_as_in_place(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """``record_sent_aside`` writes from a worker thread what ``record_sent`` writes, on a file, on
    PostgreSQL and in an in-memory SQLite database (written in place: another thread would see
    another, empty database); a refused batch is refused the same."""
    sent_at = datetime(2026, 11, 30, 7, 15, 42, 123456, tzinfo=UTC)
    places = {f"R{i:04d}": BoundObject(str(i), "77" if i % 2 else None) for i in range(700)}
    digests = {"price": {k: f"p{k}" for k in places}, "stock": {"R0001": "s1"}}
    for url in (
        f"sqlite:///{tmp_path / 'state.sqlite'}",
        request.getfixturevalue("postgres_url"),
        "sqlite://",
    ):
        store = StateStore.open(url, clock=lambda: sent_at)
        try:
            await store.record_sent_aside("p", "product", places, digests)
            assert store.bindings("p", "product") == places
            assert store.fingerprints("p", "product", "price") == digests["price"]
            assert store.fingerprints("p", "product", "stock") == {"R0001": "s1"}
            with pytest.raises(BindingConflict):
                await store.record_sent_aside(
                    "p", "product", {"X": BoundObject("5", None)}, {"price": {"X": "x"}}
                )
            assert "X" not in store.fingerprints("p", "product", "price")
        finally:
            store.close()


def test_a_time_every_row_shares_is_stored_as_the_driver_writes_it(tmp_path: Path) -> None:
    """SQLite: the time of a recorded batch, adapted once for all its rows, is the text the
    driver makes of a time given with each row."""
    sent_at = datetime(2026, 11, 30, 7, 15, 42, 123456, tzinfo=UTC)
    store = StateStore.open(f"sqlite:///{tmp_path / 'state.sqlite'}", clock=lambda: sent_at)
    try:
        store.record_sent("p", "product", {"A": BoundObject("1", None)}, {"price": {"A": "x"}})
        with store.engine.begin() as conn:
            _many(
                conn,
                insert(FINGERPRINTS),
                {"profile": "p", "kind": "product", "aspect": "stock"},
                ("erp_key", "digest", "sent_at"),
                [("A", "y", sent_at)],
            )
            raw = dict(conn.exec_driver_sql(f"SELECT aspect, sent_at FROM {FINGERPRINTS.name}").all())
        assert raw["price"] == raw["stock"]
        assert isinstance(raw["price"], str) and raw["price"].startswith("2026-11-30 07:15:42.123456")
    finally:
        store.close()
