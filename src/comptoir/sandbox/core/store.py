"""The sandboxes' data: records in memory, written through to one SQLite file (or kept in memory).

Every record is a JSON-able dict under a kind (``product``, ``customer``, ``order``…) and an
integer id. Reads are served from memory; each request's changes are flushed to SQLite in one
transaction with ``executemany`` (records written by orjson, a tenth of the sandbox's CPU with
the standard library's ``json``), so a restart on the same file finds the same shop. Unique
lookups (SKU, e-mail…) are declared per platform with ``Index``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

Record = dict[str, Any]


@dataclass(frozen=True)
class Index:
    """A unique lookup of records by one field's value, shared by the ``kinds`` listed."""

    name: str
    kinds: Mapping[str, str]
    """kind → the field holding the value (several kinds may share one index)."""
    case_sensitive: bool = False
    skip: Callable[[Record], bool] = field(default=lambda record: False)
    """Records left out of the index (a trashed post keeps its SKU but frees it)."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id INTEGER NOT NULL, body TEXT NOT NULL,
                                    PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    """In-memory records with optional SQLite write-through; ``lock`` serialises all access."""

    def __init__(self, path: Path | None = None, indexes: Sequence[Index] = ()) -> None:
        self.path = path
        self._indexes: dict[str, list[Index]] = defaultdict(list)
        self._index_names: dict[str, Index] = {}
        for index in indexes:
            self._index_names[index.name] = index
            for kind in index.kinds:
                self._indexes[kind].append(index)
        self.lock = threading.RLock()
        self._tables: dict[str, dict[int, Record]] = defaultdict(dict)
        self._settings: dict[str, Any] = {}
        self._index: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        self._dirty: set[tuple[str, int]] = set()
        self._dirty_settings: set[str] = set()
        self._db: sqlite3.Connection | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._load()

    # --- loading and flushing ------------------------------------------------------------
    def _load(self) -> None:
        assert self._db is not None
        for kind, ident, body in self._db.execute("SELECT kind, id, body FROM records"):
            record = orjson.loads(body)
            self._tables[kind][ident] = record
            self._reindex(kind, ident, None, record)
        for key, value in self._db.execute("SELECT key, value FROM settings"):
            self._settings[key] = json.loads(value)

    def commit(self) -> None:
        """Write the changes made since the last commit, in one transaction."""
        with self.lock:
            if self._db is None:
                self._dirty.clear()
                self._dirty_settings.clear()
                return
            if not self._dirty and not self._dirty_settings:
                return
            upserts: list[tuple[str, int, str]] = []
            deletes: list[tuple[str, int]] = []
            for kind, ident in self._dirty:
                record = self._tables[kind].get(ident)
                if record is None:
                    deletes.append((kind, ident))
                else:
                    upserts.append(
                        (kind, ident, orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS).decode())
                    )
            settings = [(k, json.dumps(self._settings[k])) for k in self._dirty_settings]
            db = self._db
            db.execute("BEGIN")
            try:
                db.executemany("INSERT OR REPLACE INTO records (kind, id, body) VALUES (?, ?, ?)", upserts)
                db.executemany("DELETE FROM records WHERE kind = ? AND id = ?", deletes)
                db.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", settings)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._dirty.clear()
            self._dirty_settings.clear()

    def close(self) -> None:
        with self.lock:
            self.commit()
            if self._db is not None:
                self._db.close()
                self._db = None

    # --- records -------------------------------------------------------------------------
    def get(self, kind: str, ident: int) -> Record | None:
        return self._tables[kind].get(ident)

    def put(self, kind: str, ident: int, record: Record) -> None:
        old = self._tables[kind].get(ident)
        self._tables[kind][ident] = record
        self._reindex(kind, ident, old, record)
        self._dirty.add((kind, ident))

    def delete(self, kind: str, ident: int) -> None:
        old = self._tables[kind].pop(ident, None)
        self._reindex(kind, ident, old, None)
        self._dirty.add((kind, ident))

    def records(self, kind: str) -> Iterator[Record]:
        return iter(list(self._tables[kind].values()))

    def count(self, kind: str) -> int:
        return len(self._tables[kind])

    def lookup(self, index: str, value: str) -> tuple[str, int] | None:
        """``(kind, id)`` of the live record holding ``value`` in ``index`` (``sku``, ``email``, ``code``)."""
        declared = self._index_names.get(index)
        key = value if declared is not None and declared.case_sensitive else value.lower()
        return self._index[index].get(key)

    def _reindex(self, kind: str, ident: int, old: Record | None, new: Record | None) -> None:
        for index in self._indexes.get(kind, ()):
            entries = self._index[index.name]
            field_name = index.kinds[kind]
            for record, add in ((old, False), (new, True)):
                if record is None:
                    continue
                value = record.get(field_name) or ""
                if not value or index.skip(record):
                    continue
                key = str(value) if index.case_sensitive else str(value).lower()
                if add:
                    entries[key] = (kind, ident)
                elif entries.get(key) == (kind, ident):
                    del entries[key]

    # --- sequences and settings ----------------------------------------------------------
    def next_id(self, sequence: str) -> int:
        """The next id of a sequence (``post``, ``term``, ``user``, ``product``…)."""
        key = f"seq:{sequence}"
        value = int(self._settings.get(key, 0)) + 1
        self.set_setting(key, value)
        return value

    def ensure_sequence(self, sequence: str, start: int) -> None:
        key = f"seq:{sequence}"
        if int(self._settings.get(key, 0)) < start:
            self.set_setting(key, start)

    def setting(self, key: str, default: Any = None) -> Any:
        return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._settings[key] = value
        self._dirty_settings.add(key)
