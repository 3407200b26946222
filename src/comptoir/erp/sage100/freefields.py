"""Sage's "informations libres": user-defined columns described in ``cbSysLibre``.

Sage adds one physical column per free field to the table it belongs to (``F_ARTICLE``,
``F_COMPTET``, ``F_DOCENTETE``…), named after the field's label — spaces and accents
included — and records its definition in ``cbSysLibre`` (``CB_File`` table, ``CB_Name``
label, ``CB_Type`` kind, ``CB_Len`` length, ``CB_Pos`` order). comptoir reads the
definitions once per connection and selects the columns by name, always quoted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from sqlalchemy import Column, MetaData, Table, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

from comptoir.erp.sage100 import types as t
from comptoir.erp.sage100.schema import cbSysLibre
from comptoir.erp.sage100.text import TEXT_RULE, TextRule

FREE_FIELD = "sage_free_field"
"""Key of ``Column.info`` marking an information libre column."""


class FreeFieldKind(IntEnum):
    """``cbSysLibre.CB_Type``."""

    DELETED = 0
    SHORT_DATE = 3
    VALUE = 7
    TEXT = 9
    DATE = 14
    AMOUNT = 20
    TABLE = 22


@dataclass(frozen=True, slots=True)
class FreeField:
    """One information libre: its table, label (= column name), kind and length."""

    table: str
    name: str
    kind: FreeFieldKind
    length: int = 0
    position: int = 0

    def column_type(self) -> TypeEngine[Any]:
        if self.kind in (FreeFieldKind.TEXT, FreeFieldKind.TABLE):
            return t.varchar(self.length or 69)
        if self.kind in (FreeFieldKind.VALUE, FreeFieldKind.AMOUNT):
            return t.SageAmount()
        if self.kind is FreeFieldKind.SHORT_DATE:
            return t.sage_smalldatetime()
        return t.sage_datetime()


def add_free_fields(conn: Connection, fields: Sequence[FreeField], *, creator: str = "COMP") -> None:
    """Define free fields as Sage does: one ``cbSysLibre`` row and one physical column each."""
    dialect = conn.dialect
    preparer = dialect.identifier_preparer
    for field in fields:
        ddl_type = field.column_type().compile(dialect=dialect)
        conn.exec_driver_sql(
            f"ALTER TABLE {preparer.quote(field.table)} ADD {preparer.quote(field.name)} {ddl_type} NULL"
        )
    if fields:
        conn.execute(
            insert(cbSysLibre),
            [
                {
                    "CB_File": f.table,
                    "CB_Name": f.name,
                    "CB_Pos": f.position or i,
                    "CB_Type": int(f.kind),
                    "CB_Len": f.length,
                    "CB_Flag": 0,
                    "CB_Formule": "",
                    "CB_Creator": creator,
                }
                for i, f in enumerate(fields, start=1)
            ],
        )


def read_free_fields(conn: Connection) -> dict[str, tuple[FreeField, ...]]:
    """Live free-field definitions per table (deleted ones left out), in Sage's order."""
    rows = conn.execute(
        select(
            cbSysLibre.c.CB_File,
            cbSysLibre.c.CB_Name,
            cbSysLibre.c.CB_Type,
            cbSysLibre.c.CB_Len,
            cbSysLibre.c.CB_Pos,
        )
        .where(cbSysLibre.c.CB_Type != int(FreeFieldKind.DELETED))
        .order_by(cbSysLibre.c.CB_File, cbSysLibre.c.CB_Pos)
    )
    found: dict[str, list[FreeField]] = defaultdict(list)
    known = {k.value for k in FreeFieldKind}
    for file, name, kind, length, position in rows:
        if kind in known:
            found[file].append(FreeField(file, name, FreeFieldKind(kind), length or 0, position or 0))
    return {file: tuple(fields) for file, fields in found.items()}


def with_free_fields(table: Table, fields: Iterable[FreeField], metadata: MetaData) -> Table:
    """A copy of ``table`` in ``metadata`` carrying the free-field columns too (texts are cut)."""
    copy = table.to_metadata(metadata)
    for field in fields:
        info: dict[str, Any] = {FREE_FIELD: True}
        if field.kind in (FreeFieldKind.TEXT, FreeFieldKind.TABLE):
            info[TEXT_RULE] = TextRule.CUT
        copy.append_column(Column(field.name, field.column_type(), nullable=True, info=info))
    return copy


def free_text(value: object) -> str:
    """A free field's value as text: decimals without trailing zeros, dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime):
        if value.year <= t.EMPTY_DATE.year:
            return ""
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def free_values(row: Mapping[Any, Any], fields: Iterable[FreeField]) -> dict[str, str]:
    """The non-empty free-field values of a row, by label."""
    values = {f.name: free_text(row.get(f.name)) for f in fields}
    return {k: v for k, v in values.items() if v}
