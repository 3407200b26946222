"""The schema replica: Sage's names and types, the trailer, indexes, exact amounts, free fields."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Integer, LargeBinary, create_engine, insert, inspect, select
from sqlalchemy.dialects import mssql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, CreateTable

from comptoir.erp.sage100 import schema
from comptoir.erp.sage100.freefields import (
    FreeField,
    FreeFieldKind,
    add_free_fields,
    free_text,
    read_free_fields,
)
from comptoir.erp.sage100.rows import blank_row
from comptoir.erp.sage100.types import EMPTY_DATE, SageAmount

ISSUE_TABLES = (
    "F_ARTICLE",
    "F_FAMILLE",
    "F_CATALOGUE",
    "F_DEPOT",
    "F_ARTSTOCK",
    "F_CONDITION",
    "F_ARTGAMME",
    "F_GAMSTOCK",
    "F_TARIFGAM",
    "F_NOMENCLAT",
    "F_ARTFOURNISS",
    "F_ARTCLIENT",
    "F_FAMCLIENT",
    "F_TARIFQTE",
    "P_CATTARIF",
    "P_CATCOMPTA",
    "P_DEVISE",
    "P_REGLEMENT",
    "F_TAXE",
    "F_COMPTET",
    "F_COMPTEG",
    "F_LIVRAISON",
    "F_CONTACTT",
    "F_COLLABORATEUR",
    "F_DOCENTETE",
    "F_DOCLIGNE",
    "F_DOCREGL",
    "F_CREGLEMENT",
    "F_REGLECH",
    "F_DOCCURRENTPIECE",
    "cbSysLibre",
)


def test_every_table_of_the_issue_exists_with_sage_names() -> None:
    missing = [name for name in ISSUE_TABLES if name not in schema.metadata.tables]
    assert missing == []


@pytest.mark.parametrize("name", [n for n in ISSUE_TABLES if n != "cbSysLibre"])
def test_tables_carry_cbmarq_identity_primary_key(name: str) -> None:
    table = schema.metadata.tables[name]
    assert [c.name for c in table.primary_key.columns] == ["cbMarq"]
    assert table.c.cbMarq.identity is not None
    if not name.startswith("P_"):
        assert {"cbProt", "cbCreateur", "cbModification", "cbReplication", "cbFlag"} <= set(table.c.keys())


def test_no_computed_shadow_columns_and_integer_twins_kept() -> None:
    for table in schema.metadata.tables.values():
        for column in table.c:
            if column.name.startswith("cb") and column.name[2:] in table.c:
                assert isinstance(column.type, Integer), f"{table.name}.{column.name}"
            if isinstance(column.type, LargeBinary):
                assert column.name == "cbHash", f"{table.name}.{column.name} is a computed shadow"
    assert "cbDE_No" in schema.F_DOCENTETE.c and "cbAR_Ref" not in schema.F_ARTICLE.c


def test_sage_types_and_lengths() -> None:
    article = schema.F_ARTICLE.c
    assert article.AR_Ref.type.length == 19 and not article.AR_Ref.nullable
    assert article.AR_Design.type.length == 69
    assert isinstance(article.AR_PrixVen.type, SageAmount)
    assert schema.F_COMPTET.c.CT_Num.type.length == 17
    assert schema.F_DOCENTETE.c.DO_Piece.type.length == 13
    assert schema.F_DOCENTETE.c.DO_NoWeb.type.length == 17
    ddl = str(CreateTable(schema.F_ARTICLE).compile(dialect=mssql.dialect()))
    assert "[AR_PrixVen] NUMERIC(24, 6)" in ddl
    assert "[AR_DateModif] SMALLDATETIME" in ddl
    assert "[cbMarq] INTEGER NOT NULL IDENTITY(1,1)" in ddl


def test_every_table_and_index_compiles_for_sql_server() -> None:
    dialect = mssql.dialect()
    for table in schema.metadata.sorted_tables:
        assert f"CREATE TABLE [{table.name}]" in str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            assert index.name and str(CreateIndex(index).compile(dialect=dialect)).startswith("CREATE")


def test_create_schema_builds_tables_and_unique_business_keys(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        schema.create_schema(engine)
        inspector = inspect(engine)
        assert set(ISSUE_TABLES) <= set(inspector.get_table_names())
        unique = {tuple(i["column_names"]) for i in inspector.get_indexes("F_ARTSTOCK") if i["unique"]}
        assert ("AR_Ref", "DE_No") in unique
        row = blank_row(schema.F_FAMILLE, user="TEST", now=EMPTY_DATE)
        with engine.begin() as conn:
            conn.execute(insert(schema.F_FAMILLE), [{**row, "FA_CodeFamille": "A"}])
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(schema.F_FAMILLE), [{**row, "FA_CodeFamille": "A"}])
    finally:
        engine.dispose()


AMOUNTS = ["12.34", "0.000001", "999999999.999999", "-5.5", "0", "1234.5", "0.1", "19.99"]


def test_amounts_round_trip_exactly(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        schema.create_schema(engine, [schema.F_ARTSTOCK])
        row = blank_row(schema.F_ARTSTOCK, user="TEST", now=EMPTY_DATE)
        with engine.begin() as conn:
            conn.execute(
                insert(schema.F_ARTSTOCK),
                [
                    {**row, "AR_Ref": f"A{i}", "DE_No": 1, "AS_QteSto": Decimal(v)}
                    for i, v in enumerate(AMOUNTS)
                ],
            )
        with engine.connect() as conn:
            back = conn.execute(
                select(schema.F_ARTSTOCK.c.AS_QteSto).order_by(schema.F_ARTSTOCK.c.cbMarq)
            ).scalars()
            values = list(back)
        assert all(isinstance(v, Decimal) for v in values)
        assert values == [Decimal(v) for v in AMOUNTS]
    finally:
        engine.dispose()


def test_free_fields_become_columns_described_in_cbsyslibre(empty_url: str) -> None:
    engine = create_engine(empty_url)
    fields = [
        FreeField("F_ARTICLE", "Référence mère", FreeFieldKind.TEXT, 19),
        FreeField("F_ARTICLE", "Degré d'alcool", FreeFieldKind.VALUE),
        FreeField("F_COMPTET", "Client depuis", FreeFieldKind.DATE),
    ]
    try:
        schema.create_schema(engine)
        with engine.begin() as conn:
            add_free_fields(conn, fields, creator="TEST")
            conn.execute(
                insert(schema.cbSysLibre),
                [{"CB_File": "F_ARTICLE", "CB_Name": "Ancien champ", "CB_Pos": 9, "CB_Type": 0, "CB_Len": 0}],
            )
        columns = {c["name"]: c for c in inspect(engine).get_columns("F_ARTICLE")}
        assert columns["Référence mère"]["type"].length == 19
        assert "Degré d'alcool" in columns
        with engine.connect() as conn:
            found = read_free_fields(conn)
        assert [f.name for f in found["F_ARTICLE"]] == ["Référence mère", "Degré d'alcool"]
        assert found["F_COMPTET"][0].kind is FreeFieldKind.DATE
    finally:
        engine.dispose()


def test_free_values_as_text() -> None:
    from datetime import datetime

    assert free_text(Decimal("14.000000")) == "14"
    assert free_text(Decimal("0.000000")) == "0"
    assert free_text(datetime(2026, 3, 5)) == "2026-03-05"
    assert free_text(EMPTY_DATE) == ""
    assert free_text("  Olive ") == "Olive"
    assert free_text(None) == ""


def test_every_declared_table_is_described_when_used() -> None:
    """Tables are described on first use: each declared name gives its table, always the same
    one, with the columns of recent versions; ``metadata`` holds them all."""
    declared = [name for name, kind in schema.__annotations__.items() if kind == "Table"]
    assert sorted(declared) == sorted(schema.metadata.tables)
    for name in declared:
        table = getattr(schema, name)
        assert table.name == name
        assert schema.table(name) is table is schema.metadata.tables[name]
    assert [t.name for t in schema.SAGE_TABLES] == [t.name for t in schema.metadata.sorted_tables]
    recent = {c.name for c in schema.F_DOCENTETE.c if c.info.get(schema.RECENT)}
    assert recent == {"cbCreation", "cbCreationUser", "DO_Conversion"}
    assert not any(c.info.get(schema.RECENT) for c in schema.P_DEVISE.c)
    with pytest.raises(AttributeError, match="F_NOTHING"):
        getattr(schema, "F_NOTHING")  # noqa: B009


READ_THEN_LIST = """
import json, sys
from sqlalchemy import Table
from comptoir.erp.sage100 import Sage100Erp, schema
erp = Sage100Erp(sys.argv[1])
erp.verify()
described = {}
for step in ("opened", "articles", "stock", "customer"):
    if step == "articles":
        erp.read_articles()
    elif step == "stock":
        erp.read_stock()
    elif step == "customer":
        erp.find_customer("NOBODY")
    described[step] = sorted(name for name, value in vars(schema).items() if isinstance(value, Table))
erp.close()
print(json.dumps(described))
"""


def test_a_reader_describes_only_the_tables_it_uses(sqlite_template: Path) -> None:
    """In a fresh process: opening the company describes no table; reading articles and stock
    describes theirs and not the document or payment tables; a customer look-up adds its own."""
    completed = subprocess.run(
        [sys.executable, "-c", READ_THEN_LIST, f"sqlite:///{sqlite_template.as_posix()}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    described = {step: set(names) for step, names in json.loads(completed.stdout).items()}
    assert not described["opened"] & {"F_ARTICLE", "F_COMPTET", "F_DOCENTETE", "P_DOSSIER"}
    assert {"F_ARTICLE", "F_ARTSTOCK", "F_GAMSTOCK"} <= described["stock"]
    unused = {"F_DOCENTETE", "F_DOCLIGNE", "F_DOCREGL", "F_CREGLEMENT", "F_REGLECH", "F_COMPTET"}
    assert not described["stock"] & unused, described["stock"] & unused
    assert "F_COMPTET" in described["customer"]
