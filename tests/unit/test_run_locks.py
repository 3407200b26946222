"""Run locks in the state store, on SQLite and PostgreSQL, taken by threads and by real processes."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from comptoir.state import LockKeeper, StateStore


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(state_url: str) -> Iterator[StateStore]:
    opened = StateStore.open(state_url)
    yield opened
    opened.close()


def test_one_holder_per_profile_and_job(store: StateStore) -> None:
    lock = store.locks.acquire("p", "update_stock", holder="host-a pid 1")
    assert lock is not None
    assert store.locks.acquire("p", "update_stock") is None, "a live lock keeps others out"
    other_job = store.locks.acquire("p", "update_prices")
    other_profile = store.locks.acquire("q", "update_stock")
    assert other_job is not None and other_profile is not None, "locks are per profile and job"
    holders = store.locks.holders("p")
    assert set(holders) == {"update_stock", "update_prices"}
    assert holders["update_stock"].holder == "host-a pid 1"
    assert store.locks.release(lock)
    assert not store.locks.release(lock), "released once"
    assert store.locks.acquire("p", "update_stock") is not None


def test_an_expired_lock_is_taken_over_and_its_old_holder_knows(tmp_path: Path) -> None:
    now = [datetime(2026, 7, 11, 10, 0, tzinfo=UTC)]
    store = StateStore.open(f"sqlite:///{tmp_path / 's.sqlite'}", clock=lambda: now[0])
    try:
        ttl = timedelta(minutes=5)
        old = store.locks.acquire("p", "import_orders", ttl)
        assert old is not None and old.expires_at == now[0] + ttl
        now[0] += timedelta(minutes=4)
        refreshed = store.locks.refresh(old, ttl)
        assert refreshed is not None and refreshed.expires_at == now[0] + ttl
        now[0] += timedelta(minutes=4, seconds=59)
        assert store.locks.acquire("p", "import_orders", ttl) is None, "refreshed: still alive"
        now[0] += timedelta(seconds=1)
        assert store.locks.holders("p") == {}, "expired: nobody holds it"
        new = store.locks.acquire("p", "import_orders", ttl, holder="host-b pid 2")
        assert new is not None
        assert store.locks.refresh(old, ttl) is None, "the old holder finds its lock lost"
        assert not store.locks.release(old), "and cannot release the new holder's lock"
        assert store.locks.holders("p")["import_orders"].holder == "host-b pid 2"
    finally:
        store.close()


def test_the_keeper_refreshes_while_the_run_works_and_releases_at_the_end(store: StateStore) -> None:
    ttl = timedelta(milliseconds=300)
    lock = store.locks.acquire("p", "export_products", ttl)
    assert lock is not None
    with LockKeeper(store.locks, lock, ttl) as keeper:
        time.sleep(1.0)  # three times the lock's life: only the keeper's refreshes keep it
        assert store.locks.acquire("p", "export_products", ttl) is None
        assert keeper.lock.expires_at > lock.expires_at
    assert not keeper.lost
    assert store.locks.holders("p") == {}


WORKER = textwrap.dedent(
    """
    import json, sys, time
    from datetime import timedelta
    from comptoir.state import StateStore

    url, name, rounds, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    store = StateStore.open(url)
    spans = []
    deadline = time.monotonic() + 60
    while len(spans) < rounds and time.monotonic() < deadline:
        lock = store.locks.acquire("p", "import_orders", timedelta(seconds=30), holder=name)
        if lock is None:
            time.sleep(0.002)
            continue
        start = time.time()
        holders = store.locks.holders("p")
        assert holders["import_orders"].holder == name, holders
        time.sleep(0.01)
        end = time.time()
        assert store.locks.release(lock)
        spans.append([start, end])
    store.close()
    with open(out, "w") as handle:
        json.dump(spans, handle)
    """
)


def test_concurrent_processes_never_hold_one_job_at_once(state_url: str, tmp_path: Path) -> None:
    StateStore.open(state_url).close()  # schema created once, before the race
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    rounds, workers = 15, 4
    outputs = [tmp_path / f"spans{i}.json" for i in range(workers)]
    processes = [
        subprocess.Popen([sys.executable, str(script), state_url, f"worker-{i}", str(rounds), str(out)])
        for i, out in enumerate(outputs)
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0
    spans = sorted(
        (start, end, i) for i, out in enumerate(outputs) for start, end in json.loads(out.read_text())
    )
    assert len(spans) == rounds * workers, "every worker got its turns"
    assert len({i for _s, _e, i in spans}) == workers
    for (_s1, end1, who1), (start2, _e2, who2) in itertools.pairwise(spans):
        assert end1 <= start2, f"worker-{who1} and worker-{who2} held the lock at once"
