"""Every statement the adapter issues also compiles for SQL Server (the production target)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects import mssql
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.dml import Insert

from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.check import privilege_query
from comptoir.erp.sage100.simulate import transform_document
from comptoir.model import Address, Customer, DocumentLine, DocumentType, Payment, SalesDocument


def exercise(erp: Sage100Erp) -> None:
    """Every read and write of the adapter, once."""
    erp.check()
    erp.summary()
    erp.read_categories()
    erp.read_catalogue()
    erp.read_articles()
    erp.read_articles(modified_since=datetime(2025, 1, 1, tzinfo=UTC))
    erp.find_articles(["PORT", "BOL-UZES-BLE", "VIN-VENTOUX-RGE-C6"])
    erp.read_warehouses()
    erp.read_stock()
    erp.read_stock(["1"])
    erp.read_tax_rates()
    erp.read_price_categories()
    erp.read_price_rules()
    erp.read_central_links()
    erp.read_customers()
    erp.read_customers(modified_since=datetime(2025, 1, 1, tzinfo=UTC))
    erp.find_customer("AUBERGE")
    erp.find_customer_by_email("fabien.reynaud@example.com")
    address = Address(
        first_name="Jean", last_name="Dupont", line1="1 rue de la Paix", postcode="75002", city="Paris"
    )
    customer = Customer(
        code="WEB000001",
        name="Jean DUPONT",
        first_name="Jean",
        last_name="DUPONT",
        email="jean@example.com",
        billing=address,
        accounting_account="411W000001",
    )
    erp.save_customer(customer)
    erp.save_customer(customer)
    lines = (
        DocumentLine("VIN-TAVEL-ROSE", "Tavel", Decimal(2), Decimal("12.50"), "C20", Decimal(20)),
        DocumentLine("BOL-UZES-BLE", "Bol", Decimal(1), Decimal("13.50"), "C20", Decimal(20)),
    )
    document = SalesDocument(
        DocumentType.QUOTE,
        "WEB000001",
        date(2026, 1, 10),
        lines,
        shop_order_id="1",
        delivery_address=Address(line1="5 avenue Foch", postcode="75016", city="Paris"),
        shipping_amount=Decimal("4.90"),
        shipping_tax_code="C20",
        shipping_tax_rate=Decimal(20),
        notes="Merci",
    )
    ref = erp.create_sales_document(document)
    ordered = transform_document(erp, ref.number, DocumentType.QUOTE, DocumentType.ORDER)
    erp.create_payment(
        Payment("WEB000001", date(2026, 1, 10), Decimal(10), "3", "BQ1", document_number=ordered)
    )
    erp.validate_document(ordered, DocumentType.ORDER)
    erp.find_documents(["1"])
    erp.read_document_progress(["1"])


def _catalogue(clause: ClauseElement, conn: Any) -> bool:
    """A look-up of the database's own catalogue (the dialect's inspector), not a Sage statement."""
    text = str(clause.compile(dialect=conn.dialect))
    return "pg_catalog" in text or "information_schema" in text or "sqlite_" in text


def test_every_statement_compiles_for_sql_server(erp: Sage100Erp) -> None:
    seen: list[tuple[ClauseElement, list[str]]] = []

    def capture(conn: Any, clause: Any, multiparams: Any, params: Any, options: Any) -> None:
        if isinstance(clause, ClauseElement) and not _catalogue(clause, conn):
            first = params or (multiparams[0] if multiparams else {})
            seen.append((clause, sorted(first) if isinstance(first, dict) else []))

    event.listen(erp.engine, "before_execute", capture)
    exercise(erp)
    dialect = mssql.dialect()
    compiled: list[str] = []
    for clause, keys in seen:
        if isinstance(clause, Insert):
            text = str(clause.compile(dialect=dialect, column_keys=keys))
            columns = text.split("(", 1)[1].split(")", 1)[0]
            assert len(keys) > 3 and all(f"[{key}]" in columns for key in keys)
            assert "[cbMarq]" not in columns, "the identity column is never inserted"
            assert "OUTPUT" not in text, "SQL Server refuses OUTPUT on tables with triggers (Sage's)"
        else:
            text = str(clause.compile(dialect=dialect))
        compiled.append(text)
    assert len(compiled) > 60
    tables = {m.group(1) for t in compiled if (m := re.match(r"(?:INSERT INTO|UPDATE) (\[\w+\])", t))}
    assert {
        "[F_COMPTET]",
        "[F_LIVRAISON]",
        "[F_CONTACTT]",
        "[F_COMPTEG]",
        "[F_DOCENTETE]",
        "[F_DOCLIGNE]",
        "[F_DOCREGL]",
        "[F_DOCCURRENTPIECE]",
        "[F_ARTSTOCK]",
        "[F_GAMSTOCK]",
        "[F_CREGLEMENT]",
        "[F_REGLECH]",
    } <= tables
    assert any("WITH (UPDLOCK, ROWLOCK)" in t for t in compiled)
    rights = privilege_query("mssql", "F_DOCENTETE", "INSERT")
    assert rights is not None
    assert "HAS_PERMS_BY_NAME(" in str(rights.compile(dialect=dialect))
    assert any("[Référence mère]" in t for t in compiled)
