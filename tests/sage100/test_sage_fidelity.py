"""What Sage itself would write: stock in preparation, stock reads, invoices left to Sage."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from comptoir.erp.base import ErpError
from comptoir.erp.sage100 import Sage100Erp, SageOptions
from comptoir.erp.sage100.simulate import transform_document
from comptoir.model import DocumentLine, DocumentType, Payment, QuantityKind, SalesDocument

Query = Callable[..., list[Any]]
D = Decimal


def order(**changes: Any) -> SalesDocument:
    base = SalesDocument(
        type=DocumentType.ORDER,
        customer_code="AUBERGE",
        date=date(2026, 1, 10),
        lines=(DocumentLine("VIN-TAVEL-ROSE", "Tavel", D(2), D("12.50"), "C20", D(20)),),
        reference="Web 187",
        shop_order_id="187",
    )
    return replace(base, **changes)


def stock(sql: Query, url: str, reference: str = "VIN-TAVEL-ROSE") -> tuple[Decimal, ...]:
    (row,) = sql(
        url,
        'SELECT "AS_QteSto", "AS_QteRes", "AS_QtePrepa" FROM "F_ARTSTOCK" '
        'WHERE "AR_Ref" = :r AND "DE_No" = 1',
        r=reference,
    )
    return tuple(D(str(v)) for v in row)


def execute(url: str, statement: str, **params: Any) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()


# --- 1. delivery preparations ------------------------------------------------------------


def test_a_preparation_holds_stock_in_preparation_only(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    real, reserved, preparing = stock(sql, company_url)
    erp.create_sales_document(order(type=DocumentType.DELIVERY_PREPARATION))
    assert stock(sql, company_url) == (real, reserved, preparing + 2)


def test_an_order_turned_into_a_preparation_moves_reserved_to_preparation(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    real, reserved, preparing = stock(sql, company_url)
    ref = erp.create_sales_document(order())
    assert stock(sql, company_url) == (real, reserved + 2, preparing)
    transform_document(erp, ref.number, DocumentType.ORDER, DocumentType.DELIVERY_PREPARATION)
    assert stock(sql, company_url) == (real, reserved, preparing + 2), "counted once, in preparation"
    levels = {(s.reference, s.warehouse): s for s in erp.read_stock(["1"])}
    tavel = levels[("VIN-TAVEL-ROSE", "1")]
    assert tavel.quantity(QuantityKind.AVAILABLE) == real - reserved - preparing - 2


# --- 2. stock reads ----------------------------------------------------------------------


def test_available_and_forward_leave_out_what_is_held(erp: Sage100Erp, company_url: str) -> None:
    execute(
        company_url,
        'UPDATE "F_ARTSTOCK" SET "AS_QteSto" = 50, "AS_QteRes" = 5, "AS_QtePrepa" = 3, '
        '"AS_QteAControler" = 4, "AS_QteCom" = 20 WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 1',
    )
    level = next(s for s in erp.read_stock(["1"]) if s.reference == "VIN-TAVEL-ROSE")
    assert (level.real, level.reserved, level.preparing, level.to_check, level.incoming) == (50, 5, 3, 4, 20)
    assert level.quantity(QuantityKind.REAL) == 50
    assert level.quantity(QuantityKind.AVAILABLE) == 38
    assert level.quantity(QuantityKind.FORWARD) == 58
    assert level.quantity(QuantityKind.FORWARD_MINUS_SUPPLIER_ORDERS) == 38
    assert level.quantity(QuantityKind.REAL_PLUS_CUSTOMER_ORDERS) == 55


def test_range_cells_read_their_quantity_to_check(erp: Sage100Erp, company_url: str) -> None:
    execute(
        company_url,
        'UPDATE "F_GAMSTOCK" SET "GS_QteSto" = 10, "GS_QteRes" = 0, "GS_QtePrepa" = 1, '
        '"GS_QteAControler" = 2 WHERE "AG_No1" = 3 AND "DE_No" = 1',
    )
    cell = next(s for s in erp.read_stock(["1"]) if s.reference == "BOL-UZES-BLE")
    assert (cell.to_check, cell.quantity(QuantityKind.AVAILABLE)) == (2, 7)


# --- 4. invoices -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [DocumentType.INVOICE, DocumentType.CREDIT_NOTE])
def test_invoices_are_refused_unless_the_profile_allows_them(
    erp: Sage100Erp, company_url: str, sql: Query, kind: DocumentType
) -> None:
    before = stock(sql, company_url)
    with pytest.raises(ErpError, match=r"erp\.allow_invoices") as caught:
        erp.create_sales_document(order(type=kind))
    assert "shop order 187" in str(caught.value)
    assert erp.summary().documents == 0 and stock(sql, company_url) == before
    allowed = Sage100Erp(company_url, user_code="TEST", options=SageOptions(allow_invoices=True))
    try:
        assert allowed.create_sales_document(order(type=kind)).type is kind
    finally:
        allowed.close()


def test_an_invoice_is_never_validated_by_comptoir(company_url: str, sql: Query) -> None:
    erp = Sage100Erp(company_url, user_code="TEST", options=SageOptions(allow_invoices=True))
    try:
        ref = erp.create_sales_document(order(type=DocumentType.INVOICE))
        with pytest.raises(ErpError, match="never validates an invoice"):
            erp.validate_document(ref.number, DocumentType.INVOICE)
    finally:
        erp.close()
    assert sql(company_url, 'SELECT "DO_Valide", "cbHash" FROM "F_DOCENTETE"') == [(0, None)]


# --- 3. payments on orders are down payments; due dates from the payment terms ------------


def test_a_payment_on_an_order_is_a_down_payment_that_follows_it_into_the_invoice(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    ref = erp.create_sales_document(order())
    paid = Payment("AUBERGE", date(2026, 1, 11), D(10), "3", "BQ1", "CB 187", "Web 187", ref.number)
    erp.create_payment(paid)
    rows = sql(
        company_url,
        'SELECT "DR_TypeRegl", "DR_Montant", "DR_Regle", "DR_Libelle", "N_Reglement", "DO_Type" '
        'FROM "F_DOCREGL" ORDER BY "DR_No"',
    )
    assert [(r[0], D(str(r[1])), r[2], r[3], r[4], r[5]) for r in rows] == [
        (2, D(0), 0, "", 1, 1),
        (0, D(10), 1, "CB 187", 3, 1),
    ]
    (link,) = sql(company_url, 'SELECT "RG_No", "DR_No", "RC_Montant" FROM "F_REGLECH"')
    assert (link[0], link[1], D(str(link[2]))) == (1, 2, D(10))
    invoice = transform_document(erp, ref.number, DocumentType.ORDER, DocumentType.INVOICE)
    (head,) = sql(company_url, 'SELECT "DO_Type", "DO_NetAPayer", "DO_TotalTTC" FROM "F_DOCENTETE"')
    assert (head[0], D(str(head[1])), D(str(head[2]))) == (6, D(20), D(30))
    moved = sql(company_url, 'SELECT DISTINCT "DO_Type", "DO_Piece" FROM "F_DOCREGL"')
    assert moved == [(6, invoice)]
    assert sql(company_url, 'SELECT "DO_Type", "DO_Piece" FROM "F_REGLECH"') == [(6, invoice)]


def test_due_dates_follow_the_customers_payment_terms(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    erp.create_sales_document(order(customer_code="HOTELCASSIS", date=date(2026, 1, 10)))
    rows = sql(
        company_url,
        'SELECT "DR_Date", "DR_Pourcent", "DR_Equil", "N_Reglement" FROM "F_DOCREGL" ORDER BY "DR_No"',
    )
    assert [(str(r[0])[:10], D(str(r[1])), r[2], r[3]) for r in rows] == [
        ("2026-01-10", D(30), 0, 2),
        ("2026-02-28", D(0), 1, 2),
    ], "30 % on ordering, the balance at 30 days end of calendar month, by transfer"


def test_a_document_open_in_sage_is_left_alone(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    ref = erp.create_sales_document(order())
    (marq,) = sql(company_url, 'SELECT "cbMarq" FROM "F_DOCENTETE"')[0]
    execute(
        company_url,
        'INSERT INTO "cbLock" ("cbSession", "cbFile", "cbMarq") VALUES (52, \'F_DOCENTETE\', :m)',
        m=marq,
    )
    paid = Payment("AUBERGE", date(2026, 1, 11), D(10), "3", "BQ1", document_number=ref.number)
    with pytest.raises(ErpError, match=r"open in Sage by a user \(record lock on F_DOCENTETE\)"):
        erp.create_payment(paid)
    assert sql(company_url, 'SELECT * FROM "F_CREGLEMENT"') == []
    execute(company_url, 'DELETE FROM "cbLock"')
    assert erp.create_payment(paid) == "1"


# --- 5. tax columns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("TA_Sens", 0, "is a deductible tax"),
        ("TA_TTaux", 1, "is an amount"),
        ("TA_Type", 2, "is not VAT"),
    ],
)
def test_tax_codes_a_sale_cannot_carry_are_refused(
    erp: Sage100Erp, company_url: str, column: str, value: int, message: str
) -> None:
    execute(company_url, f'UPDATE "F_TAXE" SET "{column}" = :v WHERE "TA_Code" = \'C20\'', v=value)
    with pytest.raises(ErpError, match=f"tax code C20 {message}"):
        erp.create_sales_document(order())
    assert erp.summary().documents == 0


def test_vat_on_receipts_and_tax_inclusive_categories(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    execute(company_url, 'UPDATE "F_TAXE" SET "TA_Type" = 1 WHERE "TA_Code" = \'C20\'')
    execute(company_url, 'UPDATE "P_CATTARIF" SET "CT_PrixTTC" = 1 WHERE "cbIndice" = 2')
    lines = (DocumentLine("VIN-TAVEL-ROSE", "Tavel", D(3), D("10.416667"), "C20", D(20)),)
    erp.create_sales_document(order(lines=lines, price_category="2"))
    (line,) = sql(
        company_url,
        'SELECT "DL_TypeTaux1", "DL_TypeTaxe1", "DL_TTC", "DL_PUTTC", "DL_MontantTTC", "DL_MontantHT" '
        'FROM "F_DOCLIGNE"',
    )
    assert line[:3] == (0, 1, 1)
    assert [D(str(v)) for v in line[3:]] == [D("12.5"), D("37.5"), D("31.25")]


def test_a_tax_not_collected_adds_nothing(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    execute(company_url, 'UPDATE "F_TAXE" SET "TA_NP" = 1 WHERE "TA_Code" = \'C20\'')
    with pytest.raises(ErpError, match=r"20 % not collected \(TA_NP\)"):
        erp.create_sales_document(order())
    lines = (DocumentLine("VIN-TAVEL-ROSE", "Tavel", D(2), D("12.50"), "C20", D(0)),)
    erp.create_sales_document(order(lines=lines))
    (line,) = sql(company_url, 'SELECT "DL_Taxe1", "DL_MontantTTC" FROM "F_DOCLIGNE"')
    assert [D(str(v)) for v in line] == [D(20), D(25)]


# --- 6. header defaults ------------------------------------------------------------------


def test_header_defaults_as_sage_sets_them(company_url: str, sql: Query) -> None:
    execute(
        company_url,
        'UPDATE "F_COMPTET" SET "N_CatCompta" = 3, "N_Expedition" = 2 WHERE "CT_Num" = \'AUBERGE\'',
    )
    execute(company_url, 'UPDATE "F_LIVRAISON" SET "N_Expedition" = 2 WHERE "CT_Num" = \'AUBERGE\'')
    options = SageOptions(document_status=2, transaction_codes={3: (11, 25)})
    erp = Sage100Erp(company_url, user_code="TEST", options=options)
    try:
        erp.create_sales_document(
            order(shipping_amount=D("5.00"), shipping_tax_code="C20", shipping_tax_rate=D(20))
        )
    finally:
        erp.close()
    (head,) = sql(
        company_url,
        'SELECT "DO_Statut", "DO_Transaction", "DO_Regime", "DO_DocType", "DO_Expedit", "DO_TypeLigneFrais", '
        '"DO_ValFrais", "DO_NbFacture", "DO_Conversion" FROM "F_DOCENTETE"',
    )
    assert head[:6] == (2, 11, 25, 1, 2, 1), "carrier 2 enters its fee gross"
    assert (D(str(head[6])), head[7], head[8]) == (D(6), 1, 0)


def test_ordinary_french_sales_are_transaction_11_regime_21(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    erp.create_sales_document(order())
    assert sql(company_url, 'SELECT "DO_Statut", "DO_Transaction", "DO_Regime" FROM "F_DOCENTETE"') == [
        (0, 11, 21)
    ]


# --- 7. costs, lots and serial numbers ---------------------------------------------------


def test_line_cost_is_the_weighted_average_cost(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    execute(
        company_url,
        'UPDATE "F_ARTSTOCK" SET "AS_QteSto" = 40, "AS_MontSto" = 300 '
        'WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 1',
    )
    execute(
        company_url,
        'UPDATE "F_ARTICLE" SET "AR_PUNet" = 9, "AR_PrixAch" = 5 WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\'',
    )
    erp.create_sales_document(order())
    erp.create_sales_document(order(shop_order_id="188", warehouse="2"))
    execute(
        company_url,
        'UPDATE "F_ARTSTOCK" SET "AS_QteSto" = 0 WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 1',
    )
    erp.create_sales_document(order(shop_order_id="189"))
    costs = sql(company_url, 'SELECT "DO_Piece", "DL_CMUP", "DL_PrixRU" FROM "F_DOCLIGNE" ORDER BY "DL_No"')
    average_lyon = sql(
        company_url,
        'SELECT "AS_MontSto", "AS_QteSto" FROM "F_ARTSTOCK" '
        'WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 2',
    )[0]
    lyon = (D(str(average_lyon[0])) / D(str(average_lyon[1]))).quantize(D("0.000001"))
    assert [(r[0], D(str(r[1])), D(str(r[2]))) for r in costs] == [
        ("BC00001", D("7.5"), D("7.5")),
        ("BC00002", lyon.normalize(), lyon.normalize()),
        ("BC00003", D(9), D(9)),
    ]


@pytest.mark.parametrize(("tracking", "name"), [(5, "lots"), (1, "serial numbers")])
def test_lot_and_serial_articles_fail_where_a_move_needs_them(
    erp: Sage100Erp, company_url: str, tracking: int, name: str
) -> None:
    execute(
        company_url,
        'UPDATE "F_ARTICLE" SET "AR_SuiviStock" = :t WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\'',
        t=tracking,
    )
    with pytest.raises(ErpError, match=f"VIN-TAVEL-ROSE is managed by {name}"):
        erp.create_sales_document(order(type=DocumentType.DELIVERY_NOTE))
    assert erp.create_sales_document(order()).number == "BC00001", "an order needs none"


# --- 8. columns of recent versions -------------------------------------------------------


def test_recent_columns_are_filled_when_present_and_left_out_when_not(empty_url: str, sql: Query) -> None:
    from comptoir.demo.company import build_company

    build_company(empty_url)
    creator = uuid.UUID("77384016-921f-472f-b56d-1d563b7ddf3c")
    erp = Sage100Erp(empty_url, user_code="TEST", options=SageOptions(creation_user=creator))
    try:
        ref = erp.create_sales_document(order())
        erp.create_payment(
            Payment("AUBERGE", date(2026, 1, 11), D(5), "3", "BQ1", document_number=ref.number)
        )
    finally:
        erp.close()
    (line,) = sql(empty_url, 'SELECT "cbCreation", "cbCreationUser", "DO_DocType" FROM "F_DOCLIGNE"')
    assert str(line[0]) >= "2026" and str(line[1]).replace("-", "") == creator.hex and line[2] == 1
    assert sql(empty_url, 'SELECT DISTINCT "DO_PieceAcompte" FROM "F_DOCREGL"') == [("",)]
    engine = create_engine(empty_url)
    with engine.begin() as conn:
        for table in ("F_DOCENTETE", "F_DOCLIGNE", "F_DOCREGL", "F_CREGLEMENT", "F_REGLECH", "F_ARTSTOCK"):
            for column in ("cbCreation", "cbCreationUser"):
                conn.execute(text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
        conn.execute(text('ALTER TABLE "F_DOCENTETE" DROP COLUMN "DO_Conversion"'))
        conn.execute(text('ALTER TABLE "F_DOCREGL" DROP COLUMN "DO_PieceAcompte"'))
    engine.dispose()
    older = Sage100Erp(empty_url, user_code="TEST")
    try:
        ref = older.create_sales_document(order(shop_order_id="188"))
        older.create_payment(
            Payment("AUBERGE", date(2026, 1, 11), D(5), "3", "BQ1", document_number=ref.number)
        )
    finally:
        older.close()
    assert len(sql(empty_url, 'SELECT 1 FROM "F_DOCENTETE"')) == 2
