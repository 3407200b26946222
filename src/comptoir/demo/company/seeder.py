"""Bulk insertion of complete Sage rows for the demo company, in large ``executemany`` chunks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, Table, insert
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.freefields import FreeField, with_free_fields
from comptoir.erp.sage100.rows import blank_row, prepared, set_twins
from comptoir.erp.sage100.schema import metadata as sage_metadata

AUTHOR = "DEMO"
"""``cbCreateur`` of every demo row."""


def metadata_table(name: str) -> Table:
    return sage_metadata.tables[name]


class Seeder:
    """Writes rows as Sage would (every column filled), each prepared like comptoir's own rows."""

    def __init__(
        self, conn: Connection, now: datetime, *, free_fields: Iterable[FreeField] = (), chunk: int = 5000
    ) -> None:
        self.conn = conn
        self.now = now
        self.chunk = chunk
        self.counts: dict[str, int] = {}
        by_table: dict[str, list[FreeField]] = defaultdict(list)
        for field in free_fields:
            by_table[field.table].append(field)
        metadata = MetaData()
        self._tables = {
            name: with_free_fields(metadata_table(name), fields, metadata)
            for name, fields in by_table.items()
        }

    def table(self, table: Table) -> Table:
        """``table`` as it stands in this company: with its free-field columns."""
        return self._tables.get(table.name, table)

    def row(self, table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
        table = self.table(table)
        row = blank_row(table, user=AUTHOR, now=self.now)
        row.update(values)
        return prepared(table, set_twins(table, row), f"demo {table.name}", amounts=False)

    def add(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert ``rows`` (partial values; the rest is Sage's empty values); returns the count."""
        table = self.table(table)
        buffer: list[dict[str, Any]] = []
        total = 0
        for values in rows:
            buffer.append(self.row(table, values))
            if len(buffer) >= self.chunk:
                self.conn.execute(insert(table), buffer)
                total += len(buffer)
                buffer = []
        if buffer:
            self.conn.execute(insert(table), buffer)
            total += len(buffer)
        self.counts[table.name] = self.counts.get(table.name, 0) + total
        return total
