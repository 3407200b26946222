"""Creating sales documents: numbering, header, lines, totals, stock, refusals, progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import ProgrammingError

from comptoir.erp.base import DuplicateDocument, ErpError, ErpUnsupported, OrderEntry
from comptoir.erp.sage100 import Sage100Erp, SageOptions
from comptoir.erp.sage100.connection import open_engine, pipelined, write_transaction
from comptoir.erp.sage100.numbering import number_unless_written
from comptoir.erp.sage100.schema import F_ARTICLE
from comptoir.erp.sage100.simulate import transform_document
from comptoir.model import Address, Customer, DocumentLine, DocumentType, Payment, SalesDocument

Query = Callable[..., list[Any]]
D = Decimal


def line(reference: str, quantity: str, price: str, code: str = "C20", **extra: Any) -> DocumentLine:
    rates = {"C20": D(20), "C10": D(10), "C05": D("5.5")}
    return DocumentLine(reference, f"Web {reference}", D(quantity), D(price), code, rates[code], **extra)


def order(**changes: Any) -> SalesDocument:
    base = SalesDocument(
        type=DocumentType.ORDER,
        customer_code="AUBERGE",
        date=date(2026, 1, 10),
        lines=(
            line("VIN-TAVEL-ROSE", "2", "12.50"),
            line("HUILE-NYONS-50", "3", "14.50", "C05", discount_percent=D(10)),
            line("REMISE20", "1", "-2.00"),
        ),
        reference="Web 187 - Marion CHABERT",
        shop_order_id="187",
        shipping_amount=D("6.90"),
        shipping_tax_code="C20",
        shipping_tax_rate=D(20),
        notes="Livrer le matin si possible.",
    )
    return replace(base, **changes)


def stock(sql: Query, url: str, reference: str, depot: int = 1) -> tuple[Decimal, Decimal, Decimal]:
    (row,) = sql(
        url,
        'SELECT "AS_QteSto", "AS_QteRes", "AS_QtePrepa" FROM "F_ARTSTOCK" '
        'WHERE "AR_Ref" = :ref AND "DE_No" = :depot',
        ref=reference,
        depot=depot,
    )
    return D(str(row[0])), D(str(row[1])), D(str(row[2]))


def test_order_header_lines_and_totals(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    document = order()
    totals = document.totals()
    ref = erp.create_sales_document(document)
    assert (ref.number, ref.type, ref.customer_code, ref.shop_order_id) == (
        "BC00001",
        DocumentType.ORDER,
        "AUBERGE",
        "187",
    )
    assert (ref.total_net, ref.total_gross) == (totals.net, totals.gross) == (D("69.05"), D("77.18"))
    (head,) = sql(
        company_url,
        'SELECT "DO_Domaine", "DO_Type", "DO_Ref", "DO_Tiers", "DO_NoWeb", "DO_TotalHT", "DO_TotalHTNet", '
        '"DO_TotalTTC", "DO_NetAPayer", "DO_ValFrais", "DO_CodeTaxe1", "DO_Tarif", "N_CatCompta", '
        '"CT_NumPayeur", "DE_No", "cbDE_No", "CO_No", "DO_Souche", "Commentaires", "cbCreateur", "LI_No" '
        'FROM "F_DOCENTETE"',
    )
    assert head[:5] == (0, 1, "Web 187 - Marion", "AUBERGE", "187")
    assert [D(str(v)) for v in head[5:10]] == [
        totals.lines_net,
        totals.net,
        totals.gross,
        totals.gross,
        D("6.9"),
    ]
    assert head[10:] == ("C20", 2, 1, "AUBERGE", 1, 1, 2, 0, "Livrer le matin si possible.", "TEST", 1)
    lines = sql(
        company_url,
        'SELECT "DL_Ligne", "DL_No", "AR_Ref", "DL_Qte", "DL_PrixUnitaire", "DL_Remise01REM_Valeur", '
        '"DL_Remise01REM_Type", "DL_MontantHT", "DL_MontantTTC", "DL_CodeTaxe1", "DL_Taxe1", "DL_PieceBC", '
        '"DL_QteBC", "DL_MvtStock", "DE_No", "DO_Piece" FROM "F_DOCLIGNE" ORDER BY "DL_Ligne"',
    )
    assert [r[0] for r in lines] == [1000, 2000, 3000]
    assert [r[1] for r in lines] == [1, 2, 3]
    oil = lines[1]
    assert oil[2] == "HUILE-NYONS-50" and D(str(oil[3])) == 3 and D(str(oil[5])) == 10 and oil[6] == 1
    assert D(str(oil[7])) == D("39.15") and D(str(oil[8])) == D("41.30")
    assert (oil[9], D(str(oil[10]))) == ("C05", D("5.5"))
    assert all(r[11] == "BC00001" and r[13] == 0 and r[15] == "BC00001" for r in lines)
    (due,) = sql(company_url, 'SELECT "DR_TypeRegl", "DR_Equil", "DR_Regle", "DO_Piece" FROM "F_DOCREGL"')
    assert tuple(due) == (2, 1, 0, "BC00001")
    assert erp.summary().documents == 1


def test_a_tax_inclusive_document_keeps_the_amounts_with_tax(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    """Prices with tax: Sage's lines are TTC (``DL_TTC`` 1), the footer shipping too, and each tax
    code's net is derived from the sum of its amounts with tax."""
    document = order(
        lines=(line("VIN-TAVEL-ROSE", "3", "10.00"), line("HUILE-NYONS-50", "1", "15.30", "C05")),
        shipping_amount=D("8.28"),
        prices_include_tax=True,
    )
    totals = document.totals()
    assert totals.gross == D("53.58")
    assert {b.code: (b.base, b.tax) for b in totals.bases} == {
        "C20": (D("31.90"), D("6.38")),
        "C05": (D("14.50"), D("0.80")),
    }
    ref = erp.create_sales_document(document)
    assert ref.total_gross == D("53.58")
    (head,) = sql(
        company_url,
        'SELECT "DO_TotalHT", "DO_TotalHTNet", "DO_TotalTTC", "DO_ValFrais", "DO_TypeLigneFrais" '
        'FROM "F_DOCENTETE"',
    )
    assert [D(str(v)) for v in head[:4]] == [D("39.50"), D("46.40"), D("53.58"), D("8.28")]
    assert head[4] == 1
    rows = sql(
        company_url,
        'SELECT "DL_TTC", "DL_PUTTC", "DL_PrixUnitaire", "DL_MontantHT", "DL_MontantTTC" FROM "F_DOCLIGNE" '
        'ORDER BY "DL_Ligne"',
    )
    assert [(r[0], *(D(str(v)) for v in r[1:])) for r in rows] == [
        (1, D("10"), D("8.333333"), D("25"), D("30")),
        (1, D("15.3"), D("14.50237"), D("14.5"), D("15.3")),
    ]


def test_order_reserves_stock_and_numbers_follow(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    before = stock(sql, company_url, "VIN-TAVEL-ROSE")
    erp.create_sales_document(order())
    after = stock(sql, company_url, "VIN-TAVEL-ROSE")
    assert after == (before[0], before[1] + 2, before[2])
    assert stock(sql, company_url, "REMISE20") == (0, 0, 0)
    second = erp.create_sales_document(order(shop_order_id="188"))
    assert second.number == "BC00002"
    (counter,) = sql(
        company_url,
        'SELECT "DC_Piece" FROM "F_DOCCURRENTPIECE" '
        'WHERE "DC_Domaine" = 0 AND "DC_IdCol" = 1 AND "DC_Souche" = 0',
    )
    assert counter[0] == "BC00003"


@pytest.mark.parametrize(
    ("kind", "moved"), [(DocumentType.ORDER, "AS_QteRes"), (DocumentType.DELIVERY_PREPARATION, "AS_QtePrepa")]
)
def test_a_warehouse_without_a_stock_row_gets_one_and_the_line_the_article_cost(
    company_url: str, sql: Query, kind: DocumentType, moved: str
) -> None:
    """The stock row of the line's warehouse is added and moved; the line is valued at the
    article's last net cost; the other warehouse's row, its average cost, is valued as before."""
    engine = create_engine(company_url)
    with engine.begin() as conn:
        conn.execute(text('DELETE FROM "F_ARTSTOCK" WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 2'))
        conn.execute(
            text(
                'UPDATE "F_ARTSTOCK" SET "AS_QteSto" = 40, "AS_MontSto" = 300 '
                'WHERE "AR_Ref" = \'HUILE-NYONS-50\' AND "DE_No" = 2'
            )
        )
        conn.execute(text('UPDATE "F_ARTICLE" SET "AR_PUNet" = 9 WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\''))
    engine.dispose()
    erp = Sage100Erp(company_url, user_code="TEST")
    erp.create_sales_document(order(type=kind, warehouse="2"))
    erp.close()
    rows = sql(
        company_url,
        f'SELECT "AS_QteSto", "AS_QteRes", "AS_QtePrepa", "AS_MontSto", "{moved}" FROM "F_ARTSTOCK" '
        'WHERE "AR_Ref" = \'VIN-TAVEL-ROSE\' AND "DE_No" = 2',
    )
    columns = ("AS_QteSto", "AS_QteRes", "AS_QtePrepa", "AS_MontSto")
    expected = tuple(D(2) if name == moved else D(0) for name in columns)
    assert [tuple(D(str(v)) for v in row) for row in rows] == [(*expected, D(2))]
    costs = sql(company_url, 'SELECT "AR_Ref", "DL_CMUP", "DE_No" FROM "F_DOCLIGNE" ORDER BY "DL_Ligne"')
    assert [(r[0], D(str(r[1])), r[2]) for r in costs] == [
        ("VIN-TAVEL-ROSE", D(9), 2),
        ("HUILE-NYONS-50", D("7.5"), 2),
        ("REMISE20", D(0), 0),
    ]


@pytest.mark.parametrize(
    ("kind", "number", "effect"),
    [
        (DocumentType.QUOTE, "DE00001", (0, 0, 0)),
        (DocumentType.DELIVERY_PREPARATION, "PL00001", (0, 0, 2)),
        (DocumentType.DELIVERY_NOTE, "BL00001", (-2, 0, 0)),
        (DocumentType.INVOICE, "FA00001", (-2, 0, 0)),
        (DocumentType.RETURN, "BR00001", (2, 0, 0)),
        (DocumentType.CREDIT_NOTE, "AV00001", (0, 0, 0)),
    ],
)
def test_each_type_numbers_and_moves_stock(
    company_url: str,
    sql: Query,
    kind: DocumentType,
    number: str,
    effect: tuple[int, int, int],
) -> None:
    erp = Sage100Erp(company_url, user_code="TEST", options=SageOptions(allow_invoices=True))
    before = stock(sql, company_url, "VIN-TAVEL-ROSE")
    ref = erp.create_sales_document(order(type=kind))
    assert ref.number == number and ref.type is kind
    after = stock(sql, company_url, "VIN-TAVEL-ROSE")
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == effect
    assert erp.find_documents(["187"])["187"].type is kind
    erp.close()


def test_a_counter_advance_left_pending_is_sent_before_the_commit(company_url: str, sql: Query) -> None:
    """A caller may leave the counter's advance for later (to send it with its other writes);
    one left out is sent by the write transaction before it commits."""
    engine = open_engine(company_url)
    try:
        with write_transaction(engine) as conn:
            number = number_unless_written(
                conn, id_col=1, series=0, user="TEST", now=datetime(2026, 1, 10), what="test", advance=False
            )
    finally:
        engine.dispose()
    assert number == "BC00001"
    counter = sql(
        company_url,
        'SELECT "DC_Piece", "cbCreateur" FROM "F_DOCCURRENTPIECE" '
        'WHERE "DC_Domaine" = 0 AND "DC_IdCol" = 1 AND "DC_Souche" = 0',
    )
    assert [(r[0], r[1].strip()) for r in counter] == [("BC00002", "TEST")]


def test_series_has_its_own_numbering(erp: Sage100Erp) -> None:
    assert erp.create_sales_document(order(series="1")).number == "WBC0001"
    assert erp.create_sales_document(order(shop_order_id="2")).number == "BC00001"


def test_numbers_already_used_are_skipped(erp: Sage100Erp, company_url: str) -> None:
    from sqlalchemy import create_engine, update

    from comptoir.erp.sage100.schema import F_DOCLIGNE

    erp.create_sales_document(order(shop_order_id="1"))
    erp.create_sales_document(order(shop_order_id="2", type=DocumentType.DELIVERY_NOTE))
    engine = create_engine(company_url)
    with engine.begin() as conn:
        # BC00002 survives only in the history of a delivery note's lines; BC00003 is a header.
        conn.execute(
            update(F_DOCLIGNE).where(F_DOCLIGNE.c.DO_Piece == "BL00001").values(DL_PieceBC="BC00002")
        )
        conn.exec_driver_sql(
            'UPDATE "F_DOCENTETE" SET "DO_Piece" = \'BC00003\' WHERE "DO_Piece" = \'BC00001\''
        )
    engine.dispose()
    assert erp.create_sales_document(order(shop_order_id="3")).number == "BC00004"


def test_duplicate_shop_order_is_refused(erp: Sage100Erp) -> None:
    first = erp.create_sales_document(order())
    with pytest.raises(DuplicateDocument) as caught:
        erp.create_sales_document(order(type=DocumentType.QUOTE))
    assert caught.value.existing == first
    assert erp.summary().documents == 1


def test_range_cell_and_packaging_lines(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    document = order(lines=(line("BOL-UZES-BLE", "2", "13.50"), line("VIN-VENTOUX-RGE-C6", "1", "50.70")))
    before_cell = sql(
        company_url,
        'SELECT "GS_QteRes" FROM "F_GAMSTOCK" WHERE "AG_No1" = 3 AND "DE_No" = 1',
    )[0][0]
    before_wine = stock(sql, company_url, "VIN-VENTOUX-RGE")
    erp.create_sales_document(document)
    rows = sql(
        company_url,
        'SELECT "AR_Ref", "AG_No1", "DL_Qte", "EU_Qte", "EU_Enumere", "DL_PrixUnitaire", "DL_MontantHT" '
        'FROM "F_DOCLIGNE" ORDER BY "DL_Ligne"',
    )
    bowl, wine = rows
    assert (bowl[0], bowl[1], D(str(bowl[2]))) == ("BOL-UZES", 3, 2)
    assert (wine[0], D(str(wine[2])), D(str(wine[3])), wine[4]) == ("VIN-VENTOUX-RGE", 6, 1, "Carton de 6")
    assert D(str(wine[5])) == D("8.45") and D(str(wine[6])) == D("50.7")
    after_cell = sql(company_url, 'SELECT "GS_QteRes" FROM "F_GAMSTOCK" WHERE "AG_No1" = 3 AND "DE_No" = 1')[
        0
    ][0]
    assert D(str(after_cell)) - D(str(before_cell)) == 2
    assert stock(sql, company_url, "VIN-VENTOUX-RGE")[1] - before_wine[1] == 6


def test_delivery_address_is_reused_or_added(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    known = Address(line1="Chemin des Hautes Granges", postcode="84410", city="Bédoin")
    erp.create_sales_document(order(delivery_address=known))
    new = Address(
        first_name="Marion", last_name="Chabert", line1="Place de la Mairie", postcode="84410", city="Bédoin"
    )
    erp.create_sales_document(order(shop_order_id="2", delivery_address=new))
    pieces = sql(
        company_url,
        'SELECT "D"."DO_Piece", "L"."LI_Adresse", "D"."DO_Contact" FROM "F_DOCENTETE" "D" '
        'JOIN "F_LIVRAISON" "L" ON "L"."LI_No" = "D"."LI_No" ORDER BY "D"."DO_Piece"',
    )
    assert [tuple(p) for p in pieces] == [
        ("BC00001", "Chemin des Hautes Granges", ""),
        ("BC00002", "Place de la Mairie", "Marion Chabert"),
    ]
    assert len(sql(company_url, 'SELECT 1 FROM "F_LIVRAISON" WHERE "CT_Num" = \'AUBERGE\'')) == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lines": (line("INCONNU", "1", "1"),)}, "line 1: article 'INCONNU' does not exist"),
        ({"lines": (line("THE-NOIR-AGRUMES", "1", "6.80", "C05"),)}, "THE-NOIR-AGRUMES is dormant"),
        (
            {"lines": (replace(line("VIN-TAVEL-ROSE", "1", "12.50"), tax_code="C10"),)},
            "tax code C10 is 10 % in Sage, the document says 20 %",
        ),
        ({"lines": (replace(line("VIN-TAVEL-ROSE", "1", "1"), tax_code="T99"),)}, "'T99' does not exist"),
        ({"customer_code": "NOBODY"}, "customer NOBODY does not exist"),
        ({"customer_code": "FABREC"}, "customer FABREC is dormant"),
        ({"warehouse": "9"}, "warehouse 9 does not exist"),
        ({"series": "5"}, "no numbering in F_DOCCURRENTPIECE for series 5"),
        ({"shop_order_id": "X" * 18}, "longer than DO_NoWeb"),
        ({"currency": "JPY"}, "currency JPY"),
        ({"lines": ()}, "no lines"),
        ({"lines": (line("VIN-TAVEL-ROSE", "1", "12.1234567"),)}, "DL_PrixUnitaire keeps 6 decimals"),
    ],
)
def test_refusals_name_the_order_and_write_nothing(
    erp: Sage100Erp, company_url: str, sql: Query, changes: dict[str, Any], message: str
) -> None:
    counters = sql(company_url, 'SELECT "DC_Piece" FROM "F_DOCCURRENTPIECE" ORDER BY "cbMarq"')
    with pytest.raises(ErpError, match=message) as caught:
        erp.create_sales_document(order(**changes))
    assert "187" in str(caught.value) or "X" * 18 in str(caught.value)
    assert erp.summary().documents == 0
    assert sql(company_url, 'SELECT "DC_Piece" FROM "F_DOCCURRENTPIECE" ORDER BY "cbMarq"') == counters
    assert sql(company_url, 'SELECT * FROM "F_DOCLIGNE"') == []


def test_posted_invoices_are_left_to_sage(erp: Sage100Erp) -> None:
    with pytest.raises(ErpUnsupported):
        erp.create_sales_document(order(type=DocumentType.POSTED_INVOICE))


def test_payment_allocated_to_the_order(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    ref = erp.create_sales_document(order())
    part = Payment(
        "AUBERGE", date(2026, 1, 11), D("50"), "3", "BQ1", "Marion CHABERT - 187", "Web 187", ref.number
    )
    first = erp.create_payment(part)
    assert erp.create_payment(part) == first, "a retry returns the payment already recorded"
    second = erp.create_payment(replace(part, amount=D("100")))
    assert (first, second) == ("1", "2")
    payments = sql(
        company_url,
        'SELECT "RG_No", "RG_Montant", "RG_Impute", "JO_Num", "CG_Num", "N_Reglement", "CT_NumPayeur", '
        '"RG_Libelle" FROM "F_CREGLEMENT" ORDER BY "RG_No"',
    )
    assert [(p[0], D(str(p[1])), p[2]) for p in payments] == [(1, D(50), 1), (2, D(100), 0)]
    assert payments[0][3:] == ("BQ1", "5121000", 3, "AUBERGE", "Marion CHABERT - 187")
    links = sql(company_url, 'SELECT "RG_No", "RC_Montant", "DO_Piece" FROM "F_REGLECH" ORDER BY "RG_No"')
    assert [(r[0], D(str(r[1])), r[2]) for r in links] == [(1, D(50), "BC00001"), (2, D("27.18"), "BC00001")]
    (head,) = sql(company_url, 'SELECT "DO_NetAPayer", "DO_MontantRegle", "DO_TotalTTC" FROM "F_DOCENTETE"')
    assert [D(str(v)) for v in head] == [0, 0, ref.total_gross], "down payments lower the net to pay"
    downs = sql(
        company_url,
        'SELECT "DR_Montant", "DR_Regle" FROM "F_DOCREGL" WHERE "DR_TypeRegl" = 0 ORDER BY "DR_No"',
    )
    assert [(D(str(r[0])), r[1]) for r in downs] == [(D(50), 1), (D("27.18"), 1)]
    with pytest.raises(ErpError, match="nothing left to pay"):
        erp.create_payment(replace(part, reference="Web 187 bis"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"journal": "XX"}, "journal 'XX' does not exist"),
        ({"mode": "29"}, "payment mode 29 does not exist"),
        ({"amount": D(0)}, "not positive"),
        ({"document_number": "BC09999"}, "BC09999 does not exist"),
        ({"customer_code": "HOTELCASSIS"}, "belongs to customer AUBERGE"),
    ],
)
def test_payment_refusals(erp: Sage100Erp, changes: dict[str, Any], message: str) -> None:
    ref = erp.create_sales_document(order())
    payment = Payment("AUBERGE", date(2026, 1, 11), D("10"), "3", "BQ1", document_number=ref.number)
    with pytest.raises(ErpError, match=message):
        erp.create_payment(replace(payment, **changes))


def test_validate_document(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    ref = erp.create_sales_document(order())
    erp.validate_document(ref.number, DocumentType.ORDER)
    assert sql(company_url, 'SELECT "DO_Valide" FROM "F_DOCENTETE"')[0][0] == 1
    with pytest.raises(ErpError, match="does not exist"):
        erp.validate_document(ref.number, DocumentType.QUOTE)


def test_progress_follows_transformations(erp: Sage100Erp, company_url: str, sql: Query) -> None:
    quote = erp.create_sales_document(order(type=DocumentType.QUOTE))
    erp.create_sales_document(order(shop_order_id="188"))
    before = stock(sql, company_url, "VIN-TAVEL-ROSE")
    assert erp.read_document_progress(["187"])[0].later_numbers == ()
    ordered = transform_document(erp, quote.number, DocumentType.QUOTE, DocumentType.ORDER)
    delivered = transform_document(erp, ordered, DocumentType.ORDER, DocumentType.DELIVERY_NOTE)
    assert (ordered, delivered) == ("BC00002", "BL00001")
    assert stock(sql, company_url, "VIN-TAVEL-ROSE") == (before[0] - 2, before[1], before[2])
    progress = {p.shop_order_id: p for p in erp.read_document_progress(["187", "188", "999"])}
    assert set(progress) == {"187", "188"}
    moved = progress["187"]
    assert (moved.number, moved.type, moved.later_numbers) == (
        "BL00001",
        DocumentType.DELIVERY_NOTE,
        ("BC00002", "BL00001"),
    )
    assert (progress["188"].number, progress["188"].later_numbers) == ("BC00001", ())
    assert erp.find_documents(["187"])["187"].number == "BL00001"
    with pytest.raises(DuplicateDocument):
        erp.create_sales_document(order())


VOLATILE = {"cbMarq", "cbModification", "cbCreation", "DO_GUID", "DO_Heure", "RG_Heure"}
NUMBERS = {
    "DO_Piece",
    "DO_NoWeb",
    "DO_Ref",
    "DL_No",
    "DL_PieceBC",
    "DR_No",
    "RG_No",
    "RG_Reference",
    "RG_Libelle",
}


def rows_of(sql: Query, url: str, table: str, where: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of ``table`` matching ``where``, without what differs between two writes of one order."""
    found = sql(url, f'SELECT * FROM "{table}" WHERE {where} ORDER BY "cbMarq"', **params)
    return [{k: v for k, v in r._mapping.items() if k not in VOLATILE | NUMBERS} for r in found]


def written_rows(sql: Query, url: str, number: str) -> dict[str, list[dict[str, Any]]]:
    payments = 'SELECT "RG_No" FROM "F_REGLECH" WHERE "DO_Piece" = :n'
    return {
        "header": rows_of(sql, url, "F_DOCENTETE", '"DO_Piece" = :n', n=number),
        "lines": rows_of(sql, url, "F_DOCLIGNE", '"DO_Piece" = :n', n=number),
        "due dates": rows_of(sql, url, "F_DOCREGL", '"DO_Piece" = :n', n=number),
        "allocations": rows_of(sql, url, "F_REGLECH", '"DO_Piece" = :n', n=number),
        "payments": rows_of(sql, url, "F_CREGLEMENT", f'"RG_No" IN ({payments})', n=number),
    }


def test_an_order_written_in_one_transaction_is_the_order_written_step_by_step(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    """``write_order`` in a prepared batch writes the same rows as the separate calls, and moves
    the same stock; only numbers, times and identifiers differ."""
    paid = Payment("AUBERGE", date(2026, 1, 11), D("30"), "3", "BQ1", "Marion CHABERT - 187", "Web 187")
    before = stock(sql, company_url, "VIN-TAVEL-ROSE")
    alone = erp.create_sales_document(order())
    erp.validate_document(alone.number, alone.type)
    erp.create_payment(replace(paid, document_number=alone.number))
    middle = stock(sql, company_url, "VIN-TAVEL-ROSE")
    references = [line.reference for line in order().lines]
    with erp.prepared_writes(references, ["AUBERGE"]):
        together = erp.write_order(OrderEntry(order(shop_order_id="188"), None, paid, validate=True))
    assert together.payment_error is None
    assert together.document.total_gross == alone.total_gross
    step_by_step = written_rows(sql, company_url, alone.number)
    assert {k: len(v) for k, v in step_by_step.items()} == {
        "header": 1,
        "lines": 3,
        "due dates": 2,
        "allocations": 1,
        "payments": 1,
    }
    assert written_rows(sql, company_url, together.document.number) == step_by_step
    after = stock(sql, company_url, "VIN-TAVEL-ROSE")
    assert after[1] - middle[1] == middle[1] - before[1] == 2, "both reserve the same stock"


def test_an_order_refused_writes_nothing_and_a_payment_refused_leaves_the_document(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    new = Customer(code="WEB000901", name="Lea MARTIN", email="lea.martin@exemple.fr")
    unknown = order(
        shop_order_id="301", customer_code="WEB000901", lines=(line("NO-SUCH-ARTICLE", "1", "5.00"),)
    )
    paid = Payment("WEB000901", date(2026, 1, 11), D("10"), "3", "NOPE")
    with erp.prepared_writes(["VIN-TAVEL-ROSE", "NO-SUCH-ARTICLE"], ["WEB000901"]):
        with pytest.raises(ErpError, match="NO-SUCH-ARTICLE"):
            erp.write_order(OrderEntry(unknown, new, paid))
        assert erp.find_customer("WEB000901") is None, "the customer went with the refused document"
        good = order(
            shop_order_id="302", customer_code="WEB000901", lines=(line("VIN-TAVEL-ROSE", "1", "12.50"),)
        )
        written = erp.write_order(OrderEntry(good, new, paid, validate=True))
        assert written.payment_error is not None and "journal 'NOPE' does not exist" in str(
            written.payment_error
        )
        again = erp.write_order(
            OrderEntry(replace(good, shop_order_id="303"), None, replace(paid, journal="BQ1"))
        )
        assert again.payment_error is None, "the customer created in the batch is seen by the next order"
    assert erp.find_customer("WEB000901") is not None
    assert set(erp.find_documents(["301", "302", "303"])) == {"302", "303"}
    (valid,) = sql(company_url, 'SELECT "DO_Valide" FROM "F_DOCENTETE" WHERE "DO_NoWeb" = \'302\'')
    assert valid[0] == 0, "the validation went with the refused payment"
    assert (
        len(
            sql(company_url, 'SELECT "RG_No" FROM "F_REGLECH" WHERE "DO_Piece" = :n', n=again.document.number)
        )
        == 1
    )


@contextmanager
def refused_inserts(url: str, table: str) -> Iterator[None]:
    """The database refuses every row inserted into ``table`` (as a Sage trigger could) while
    the block lasts (the PostgreSQL company is shared by the tests)."""
    engine = create_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    refuse, allow = (
        (
            f'CREATE TRIGGER "refuse_{table}" BEFORE INSERT ON "{table}" '
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
            f'DROP TRIGGER "refuse_{table}"',
        )
        if sqlite
        else (
            f'ALTER TABLE "{table}" ADD CONSTRAINT "refuse_{table}" CHECK (false) NOT VALID',
            f'ALTER TABLE "{table}" DROP CONSTRAINT "refuse_{table}"',
        )
    )
    with engine.begin() as conn:
        conn.exec_driver_sql(refuse)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(allow)
        engine.dispose()


def test_a_payment_the_database_refuses_is_rolled_back_alone(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    """The payment's rows are sent together (on PostgreSQL without waiting for each answer): the
    database's refusal of one of them rolls the payment and the validation back, the document
    stays and the refusal is named."""
    paid = Payment("AUBERGE", date(2026, 1, 11), D("30"), "3", "BQ1", "Marion CHABERT - 187", "Web 187")
    references = [line.reference for line in order().lines]
    with refused_inserts(company_url, "F_REGLECH"), erp.prepared_writes(references, ["AUBERGE"]):
        written = erp.write_order(OrderEntry(order(), None, paid, validate=True))
        after = erp.write_order(OrderEntry(order(shop_order_id="188"), None, None))
    refusal = str(written.payment_error)
    assert "the Sage database refused it" in refusal
    assert "refused by the test" in refusal or "refuse_F_REGLECH" in refusal, refusal
    assert set(erp.find_documents(["187", "188"])) == {"187", "188"}
    assert after.document.number == "BC00002"
    header = sql(
        company_url, 'SELECT "DO_Valide", "DO_NetAPayer" FROM "F_DOCENTETE" WHERE "DO_NoWeb" = \'187\''
    )
    assert [(r[0], D(str(r[1]))) for r in header] == [(0, written.document.total_gross)]
    assert sql(company_url, 'SELECT COUNT(*) FROM "F_CREGLEMENT"')[0][0] == 0
    down = sql(company_url, 'SELECT COUNT(*) FROM "F_DOCREGL" WHERE "DR_TypeRegl" = 0')
    assert down[0][0] == 0, "the down payment went with the payment"


def test_a_document_row_the_database_refuses_writes_nothing_of_the_order(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    before = stock(sql, company_url, "VIN-TAVEL-ROSE")
    new = Customer(code="WEB000931", name="Lea MARTIN", email="lea.martin@exemple.fr")
    references = [line.reference for line in order().lines]
    with (
        refused_inserts(company_url, "F_DOCREGL"),
        erp.prepared_writes(references, ["WEB000931"]),
        pytest.raises(ErpError, match="refused the write"),
    ):
        erp.write_order(OrderEntry(order(customer_code="WEB000931"), new, None))
    assert erp.find_documents(["187"]) == {}
    assert erp.find_customer("WEB000931") is None
    assert stock(sql, company_url, "VIN-TAVEL-ROSE") == before
    assert sql(company_url, 'SELECT COUNT(*) FROM "F_DOCLIGNE"')[0][0] == 0


def test_a_pipelined_block_refuses_a_read_on_every_database(company_url: str) -> None:
    """Rows read inside a pipelined block would come only at its end on PostgreSQL: the block
    refuses such a statement on every database, so a test on any of them catches the mistake."""
    engine = open_engine(company_url)
    try:
        with engine.connect() as conn, conn.begin():
            with pipelined(conn), pytest.raises(ProgrammingError, match="without RETURNING"):
                conn.execute(select(F_ARTICLE.c.AR_Ref))
            assert conn.execute(select(F_ARTICLE.c.AR_Ref).limit(1)).all(), "read again after the block"
    finally:
        engine.dispose()


def test_a_customer_created_with_its_order_is_handed_to_the_document(
    erp: Sage100Erp, company_url: str, sql: Query
) -> None:
    """In a batch, the document of an order whose customer it creates takes the new account's
    rows as written (no read back of the account, its addresses, its payment terms) and comes
    out as the same order written alone, where everything is read back."""

    def customer(code: str) -> Customer:
        billing = Address(
            first_name="Lea", last_name="Martin", line1="3 rue des Lices", postcode="84000", city="Avignon"
        )
        return Customer(code=code, name="Lea MARTIN", email=f"{code.lower()}@exemple.fr", billing=billing)

    def entry(code: str, shop_id: str) -> OrderEntry:
        paid = Payment(code, date(2026, 1, 11), D("30"), "3", "BQ1", "Commande web", f"Web {shop_id}")
        document = order(shop_order_id=shop_id, customer_code=code)
        return OrderEntry(document, customer(code), paid, validate=True)

    alone = erp.write_order(entry("WEB000921", "501"))
    sent: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    references = [line.reference for line in order().lines]
    with erp.prepared_writes(references, ["WEB000922"]):
        event.listen(erp.engine, "before_cursor_execute", seen)
        try:
            together = erp.write_order(entry("WEB000922", "502"))
        finally:
            event.remove(erp.engine, "before_cursor_execute", seen)
    assert alone.payment_error is None and together.payment_error is None
    read_back = [s for s in sent if s.lstrip().upper().startswith("SELECT") and "F_REGLEMENTT" in s]
    assert not read_back, "the new account's payment terms are not read back"

    def rows(number: str, code: str) -> dict[str, list[dict[str, Any]]]:
        found = written_rows(sql, company_url, number)
        (principal,) = sql(
            company_url,
            'SELECT "LI_No" FROM "F_LIVRAISON" WHERE "CT_Num" = :c AND "LI_Principal" = 1',
            c=code,
        )
        (header,) = found["header"]
        assert header["LI_No"] == principal[0], "the document goes to the new account's address"
        return {
            part: [
                {k: code_free(v, code) for k, v in row.items() if k not in ("LI_No", "cbLI_No")}
                for row in part_rows
            ]
            for part, part_rows in found.items()
        }

    def code_free(value: Any, code: str) -> Any:
        return value.replace(code, "<code>") if isinstance(value, str) else value

    assert rows(together.document.number, "WEB000922") == rows(alone.document.number, "WEB000921")
