"""Benchmark: what recording a push costs the state store (bindings and fingerprints).

A first export of N products records, for each, its binding and the fingerprints of four
aspects (catalog, price, stock, status), slice by slice as the shop answers (``jobs/push.py``).
Measured, on SQLite and (with ``COMPTOIR_TEST_POSTGRES_URL`` or ``--postgres URL``) PostgreSQL:

- naive: as the store did before, each slice's bindings and four aspects written in five
  transactions, every row handed to SQLAlchemy as a dictionary (``conn.execute(statement,
  rows)``: each row's values go through its column types' processing);
- comptoir: ``StateStore.record_sent``, one transaction per slice, the values every row shares
  (profile, kind, aspect, time) processed once and the rows handed to the database driver.

Figures are CPU seconds of this process (the database's own work included on SQLite), best of
``--repeat`` runs, each into a fresh store.

Usage: python benchmarks/state_writes.py [--items N] [--slice S] [--repeat R] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import create_engine, make_url, text

from comptoir.state import BoundObject, StateStore
from comptoir.state import store as store_module

ASPECTS = ("catalog", "price", "stock", "status")


def _through_sqlalchemy(conn: Any, statement: Any, constant: Any, varying: Any, rows: Any) -> None:
    """The store's writing before: every row a dictionary through ``conn.execute``."""
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        conn.execute(statement, [{**constant, **dict(zip(varying, row, strict=True))} for row in chunk])


def naive(store: StateStore, keys: list[str], size: int) -> None:
    with patch.object(store_module, "_many", _through_sqlalchemy):
        for start in range(0, len(keys), size):
            part = keys[start : start + size]
            store.bind("p", "product", {k: BoundObject(str(start + i), None) for i, k in enumerate(part)})
            for aspect in ASPECTS:
                store.record_fingerprints("p", "product", aspect, dict.fromkeys(part, "d" * 64))


def comptoir(store: StateStore, keys: list[str], size: int) -> None:
    for start in range(0, len(keys), size):
        part = keys[start : start + size]
        places = {k: BoundObject(str(start + i), None) for i, k in enumerate(part)}
        store.record_sent(
            "p", "product", places, {aspect: dict.fromkeys(part, "d" * 64) for aspect in ASPECTS}
        )


def measure(
    url_for: Callable[[], str],
    run: Callable[[StateStore, list[str], int], None],
    items: int,
    size: int,
    repeat: int,
) -> float:
    keys = [f"REF-{i:06d}" for i in range(items)]
    best = float("inf")
    for _ in range(repeat):
        store = StateStore.open(url_for())
        try:
            started = time.process_time()
            run(store, keys, size)
            best = min(best, time.process_time() - started)
            assert len(store.bindings("p", "product")) == items
            assert len(store.fingerprints("p", "product", "status")) == items
        finally:
            store.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=17_344, help="products recorded (a first export's)")
    parser.add_argument("--slice", type=int, default=500, help="products per slice")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("COMPTOIR_TEST_POSTGRES_URL"))
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    targets: list[tuple[str, Callable[[], str]]] = [
        ("SQLite", lambda: f"sqlite:///{folder / f'{uuid.uuid4().hex}.sqlite'}")
    ]
    made: list[str] = []
    admin = create_engine(options.postgres, isolation_level="AUTOCOMMIT") if options.postgres else None
    if admin is not None:
        base = make_url(options.postgres)

        def fresh() -> str:
            name = f"bench_state_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            made.append(name)
            return base.set(database=name).render_as_string(hide_password=False)

        targets.append(("PostgreSQL", fresh))
    print(f"{options.items:,} products, slices of {options.slice}, bindings + {len(ASPECTS)} aspects each")
    print(f"{'database':<12} {'naive CPU s':>12} {'comptoir CPU s':>15} {'naive ÷ comptoir':>17}")
    try:
        for name, url_for in targets:
            slow = measure(url_for, naive, options.items, options.slice, options.repeat)
            fast = measure(url_for, comptoir, options.items, options.slice, options.repeat)
            print(f"{name:<12} {slow:>12.2f} {fast:>15.2f} {slow / fast:>16.1f}×")
    finally:
        if admin is not None:
            with admin.connect() as conn:
                for name in made:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()


if __name__ == "__main__":
    main()
