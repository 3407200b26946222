"""Any Unicode text written through the adapter reads back as Sage can hold it.

Customers, sales documents and payments are written with hostile names, addresses, contacts,
custom fields, references, notes and line designations; then every text column of every row
comptoir wrote (``cbCreateur`` = the adapter's user code) is read back from the real database
(SQLite and PostgreSQL) and must be cp1252 text without control or invisible characters,
within the column's declared length. A write the columns cannot hold is refused as a whole,
by an ``ErpError`` naming the record and the column.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, String, create_engine, select

from comptoir.erp.base import ErpError
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.schema import F_COMPTET, F_DOCENTETE, F_DOCLIGNE
from comptoir.erp.sage100.text import erp_text, holdable
from comptoir.model import Address, Contact, Customer, DocumentLine, DocumentType, Payment, SalesDocument
from hostile_text import hostile_text, invisible

USER = "HOST"
RATE, REDUCED = Decimal(20), Decimal("5.5")
WRITTEN = (
    "F_COMPTET",
    "F_LIVRAISON",
    "F_CONTACTT",
    "F_COMPTEG",
    "F_DOCENTETE",
    "F_DOCLIGNE",
    "F_DOCREGL",
    "F_DOCCURRENTPIECE",
    "F_ARTSTOCK",
    "F_CREGLEMENT",
    "F_REGLECH",
)
HYPOTHESIS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
short = hostile_text.map(lambda s: s[:12])
"""Hostile text short enough that contact data (never cut) often fits."""

addresses = st.builds(
    Address,
    first_name=hostile_text,
    last_name=hostile_text,
    company=hostile_text,
    line1=hostile_text,
    line2=hostile_text,
    postcode=short,
    city=hostile_text,
    region=hostile_text,
    phone=short,
    email=short,
    label=hostile_text,
)


def read_back(url: str) -> list[tuple[str, str, int, str]]:
    """(table, column, declared length, value) of every text the adapter's user wrote."""
    engine = create_engine(url)
    found: list[tuple[str, str, int, str]] = []
    try:
        tables = MetaData()
        tables.reflect(engine, only=list(WRITTEN))
        with engine.connect() as conn:
            for name in WRITTEN:
                table = tables.tables[name]
                texts = [c for c in table.c if isinstance(c.type, String) and c.name != "cbCreateur"]
                for row in conn.execute(select(*texts).where(table.c.cbCreateur == USER)):
                    for column, value in zip(texts, row, strict=True):
                        if value:
                            found.append((name, column.name, int(column.type.length or 0), value))
    finally:
        engine.dispose()
    return found


def name_of(url: str, code: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            name = select(F_COMPTET.c.CT_Intitule).where(F_COMPTET.c.CT_Num == code)
            return str(conn.execute(name).scalar_one())
    finally:
        engine.dispose()


def assert_holdable(url: str) -> None:
    for table, column, length, value in read_back(url):
        where = f"{table}.{column} = {value!r}"
        value.encode("cp1252")
        assert not any(invisible(c) for c in value), where
        assert len(value) <= length, where


def customer(
    code: str, name: str, billing: Address, delivery: Address, contact: Contact, origin: str
) -> Customer:
    return Customer(
        code=code,
        name=name,
        first_name=billing.first_name,
        last_name=billing.last_name,
        company=billing.company,
        email=billing.email,
        phone=billing.phone,
        billing=billing,
        deliveries=(delivery,),
        contacts=(contact,),
        price_category="1",
        custom_fields={"Origine": origin},
    )


@HYPOTHESIS
@given(
    name=hostile_text,
    billing=addresses,
    delivery=addresses,
    contact=st.builds(Contact, hostile_text, hostile_text, email=short, phone=short, role=hostile_text),
    origin=hostile_text,
)
def test_saved_customers_read_back_holdable(
    company_url: str, name: str, billing: Address, delivery: Address, contact: Contact, origin: str
) -> None:
    code = f"HX{next(NUMBERS)}"
    erp = Sage100Erp(company_url, user_code=USER)
    try:
        erp.save_customer(customer(code, name, billing, delivery, contact, origin))
    except ErpError as error:
        event("refused")
        assert str(error).startswith(f"customer {code}: F_"), error
        assert erp.find_customer(code) is None, "a refused customer is not half-written"
        return
    finally:
        erp.close()
    assert_holdable(company_url)
    written = name_of(company_url, code)
    assert written, "an account always has a name (its number at worst)"
    if holdable(name):
        assert written == erp_text(name, F_COMPTET.c.CT_Intitule, "x"), "the name is kept, cleaned"


NUMBERS = itertools.count(1)


@HYPOTHESIS
@given(
    reference=hostile_text,
    notes=hostile_text,
    designations=st.lists(hostile_text, min_size=2, max_size=2),
    delivery=addresses,
    label=hostile_text,
    payment_reference=hostile_text,
)
def test_documents_and_payments_read_back_holdable(
    company_url: str,
    reference: str,
    notes: str,
    designations: list[str],
    delivery: Address,
    label: str,
    payment_reference: str,
) -> None:
    shop_id = str(9000 + next(NUMBERS))
    document = SalesDocument(
        type=DocumentType.ORDER,
        customer_code="AUBERGE",
        date=date(2026, 1, 10),
        lines=(
            DocumentLine("VIN-TAVEL-ROSE", designations[0], Decimal(2), Decimal("12.5"), "C20", RATE),
            DocumentLine("HUILE-NYONS-50", designations[1], Decimal(1), Decimal("14.5"), "C05", REDUCED),
        ),
        reference=reference,
        shop_order_id=shop_id,
        notes=notes,
        delivery_address=delivery,
    )
    erp = Sage100Erp(company_url, user_code=USER)
    try:
        try:
            ref = erp.create_sales_document(document)
        except ErpError as error:
            event("refused")
            assert str(error).startswith(f"document for shop order {shop_id}: F_LIVRAISON."), error
            assert not erp.find_documents([shop_id]), "a refused document is not half-written"
            return
        erp.create_payment(
            Payment(
                customer_code="AUBERGE",
                date=date(2026, 1, 11),
                amount=ref.total_gross,
                mode="3",
                journal="BQ1",
                label=label,
                reference=payment_reference,
                document_number=ref.number,
                document_type=DocumentType.ORDER,
            )
        )
    finally:
        erp.close()
    assert_holdable(company_url)
    values = {(t, c, v) for t, c, _, v in read_back(company_url)}
    for designation in designations:
        expected = erp_text(designation, F_DOCLIGNE.c.DL_Design, "x")
        assert not expected or ("F_DOCLIGNE", "DL_Design", expected) in values, "designations are kept"
    expected_ref = erp_text(reference, F_DOCENTETE.c.DO_Ref, "x")
    assert not expected_ref or ("F_DOCENTETE", "DO_Ref", expected_ref) in values


def test_hostile_values_are_written_cleaned(erp: Sage100Erp, company_url: str, sql: Any) -> None:
    """The issue's order: NUL, controls, bidi overrides and emoji in every name."""
    hostile = "Zo\x00é \u202eŁukasz😀 Cœur\x07\u200b"
    billing = Address(
        first_name=hostile, last_name=hostile, line1=hostile, postcode="75001", city=hostile, phone="01\x0023"
    )
    erp.save_customer(
        Customer("HOSTILE", hostile, first_name=hostile, billing=billing, deliveries=(billing,))
    )
    [(name, city, contact)] = sql(
        company_url,
        'SELECT "CT_Intitule", "CT_Ville", "CT_Contact" FROM "F_COMPTET" WHERE "CT_Num" = :c',
        c="HOSTILE",
    )
    assert (name, city, contact) == ("Zoé Lukasz Cœur",) * 3
    [(label, phone)] = sql(
        company_url,
        'SELECT "LI_Intitule", "LI_Telephone" FROM "F_LIVRAISON" WHERE "CT_Num" = :c',
        c="HOSTILE",
    )
    assert (label, phone) == ("Zoé Lukasz Cœur Zoé Lukasz Cœur", "0123")
