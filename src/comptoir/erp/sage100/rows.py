"""Complete rows for Sage tables, and the one place where comptoir's rows enter them.

Sage's own programs never leave a column NULL: numbers are 0, texts ``''``, dates
``1753-01-01``. Writers start from :func:`blank_row` and set what they know, so a row written
by comptoir looks like one written by Sage. Rows are written through :func:`insert_rows` and
:func:`update_rows`, which pass every value through :func:`prepared`: each text goes through
:func:`~comptoir.erp.sage100.text.erp_text` (code page, control characters, the column's
length rule from the schema) and each amount must fit ``decimal(24,6)``; a value that cannot
be written raises :class:`~comptoir.erp.base.ErpError` naming the record and the column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Column, Integer, SmallInteger, String, Table, bindparam, insert, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.types import DateTime, LargeBinary, Uuid

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.freefields import FREE_FIELD
from comptoir.erp.sage100.text import erp_text
from comptoir.erp.sage100.types import AMOUNT_DIGITS, AMOUNT_PLACES, EMPTY_DATE, SageAmount

_TRAILER = {"cbMarq", "cbProt", "cbCreateur", "cbModification", "cbReplication", "cbFlag"}


def _is_twin(table: Table, column: Column[Any]) -> bool:
    return column.name.startswith("cb") and column.name[2:] in table.c


def _empty(table: Table, column: Column[Any]) -> Any:
    kind = column.type
    if _is_twin(table, column) or column.info.get(FREE_FIELD):
        return None
    if isinstance(kind, SageAmount):
        return Decimal(0)
    if isinstance(kind, SmallInteger | Integer):
        return 0
    if isinstance(kind, String):
        return ""
    if isinstance(kind, DateTime):
        return EMPTY_DATE
    if isinstance(kind, LargeBinary | Uuid):
        return None
    return None  # pragma: no cover - every replica type is handled above


@cache
def _template(table: Table) -> dict[str, Any]:
    row = {c.name: _empty(table, c) for c in table.c if c.name not in _TRAILER}
    if "cbHashVersion" in row:
        row["cbHashVersion"] = 1
    return row


def blank_row(table: Table, *, user: str, now: datetime) -> dict[str, Any]:
    """A row of ``table`` with Sage's empty values, the author code and the modification time."""
    row = dict(_template(table))
    trailer = {"cbProt": 0, "cbCreateur": user, "cbModification": now, "cbReplication": 0, "cbFlag": 0}
    row.update({k: v for k, v in trailer.items() if k in table.c})
    return row


@cache
def _twins(table: Table) -> tuple[tuple[str, str], ...]:
    return tuple((c.name, c.name[2:]) for c in table.c if _is_twin(table, c))


def set_twins(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Fill the integer twins (``cbDE_No`` …) from their key: the key, or NULL when it is 0."""
    for twin, key in _twins(table):
        if key in row:
            value = row[key]
            row[twin] = value if value else None
    return row


def column_length(table: Table, name: str) -> int:
    """The length of a text column, as the replica schema declares it."""
    length = getattr(table.c[name].type, "length", None)
    if not isinstance(length, int):  # pragma: no cover - only called on text columns
        raise TypeError(f"{table.name}.{name} is not a text column")
    return length


@cache
def _kinds(table: Table) -> tuple[tuple[Column[Any], ...], tuple[str, ...]]:
    """The table's text columns and the names of its amount columns, in the table's order."""
    texts = tuple(c for c in table.c if isinstance(c.type, String))
    amounts = tuple(c.name for c in table.c if isinstance(c.type, SageAmount))
    return texts, amounts


def prepared(table: Table, row: Mapping[str, Any], record: str, *, amounts: bool = True) -> dict[str, Any]:
    """``row`` as ``table`` can hold it: texts through ``erp_text``, amounts checked.

    Raises ``ErpError`` naming ``record`` and the column for a value that cannot be written (the
    first in the table's order). ``amounts=False`` leaves amounts unchecked (generated data
    already rounded).
    """
    texts, amount_columns = _kinds(table)
    result = dict(row)
    for column in texts:
        value = row.get(column.name)
        if value and isinstance(value, str):
            result[column.name] = erp_text(value, column, record)
    if amounts:
        for name in amount_columns:
            value = row.get(name)
            if value and isinstance(value, Decimal):
                _check_amount(table, name, value, record)
    return result


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], record: str | Sequence[str]
) -> None:
    """Insert ``rows``, each :func:`prepared` (``record`` names them all, or each one)."""
    names = [record] * len(rows) if isinstance(record, str) else list(record)
    conn.execute(_insert(table), [prepared(table, row, name) for row, name in zip(rows, names, strict=True)])


@cache
def _insert(table: Table) -> Insert:
    """The table's ``INSERT``, built once (its compiled form is then found in SQLAlchemy's cache).

    Inline: the new ``cbMarq`` is not asked back (nothing reads it). SQLAlchemy would otherwise
    add ``RETURNING`` to a one-row ``INSERT`` on PostgreSQL, and on SQL Server an ``OUTPUT``
    clause, which SQL Server refuses on a table with triggers, as Sage's tables have."""
    return insert(table).inline()


def update_rows(
    conn: Connection, table: Table, key: Mapping[str, Any], values: Mapping[str, Any], record: str
) -> int:
    """Update the rows whose ``key`` columns hold ``key``'s values with :func:`prepared`
    ``values``; returns the count."""
    params = prepared(table, values, record)
    params.update({f"key_{name}": value for name, value in key.items()})
    return int(conn.execute(_update(table, tuple(key)), params).rowcount)


@cache
def _update(table: Table, key: tuple[str, ...]) -> Update:
    """The table's ``UPDATE`` of the rows equal to a key, built once (the columns it sets are
    the values' names at each execution)."""
    return update(table).where(*(table.c[name] == bindparam(f"key_{name}") for name in key))


_FITTING: dict[Decimal, None] = {}
"""Amounts found to fit ``decimal(24,6)`` (by value: 2.5 and 2.50 fit alike), a few thousand
at most: prices, quantities and rates come back in every document."""


def _check_amount(table: Table, name: str, value: Decimal, record: str) -> None:
    if not value.is_finite():
        raise ErpError(f"{record}: {table.name}.{name} cannot hold {value}")
    if value in _FITTING:
        return
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > AMOUNT_PLACES and value != value.quantize(Decimal(1).scaleb(-AMOUNT_PLACES)):
        raise ErpError(f"{record}: {table.name}.{name} keeps {AMOUNT_PLACES} decimals, {value} has more")
    if abs(value) >= Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES):
        raise ErpError(f"{record}: {table.name}.{name} cannot hold {value} (too large)")
    if len(_FITTING) >= 10_000:
        _FITTING.clear()
    _FITTING[value] = None
