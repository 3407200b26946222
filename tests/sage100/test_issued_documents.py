"""Issued documents read back whole (invoices after Sage transformed an order, credit notes),
the company's identity, customers found set-wise; the Factur-X made from them passes EN 16931."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from comptoir.erp.base import DuplicateDocument
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.context import SageOptions
from comptoir.erp.sage100.simulate import transform_document
from comptoir.invoices import Mentions, cii_xml, factur_x
from comptoir.model import DocumentLine, DocumentType, SalesDocument
from facturx_checks import embedded_xml, schematron_errors

Query = Callable[..., list[Any]]
D = Decimal
MENTIONS = Mentions(
    "SAS au capital de 50 000 €", "RCS Avignon 812 345 678", "À réception", "Pénalités : 40 €"
)


def line(reference: str, quantity: str, price: str, code: str = "C20") -> DocumentLine:
    rates = {"C20": D(20), "C05": D("5.5")}
    return DocumentLine(reference, f"Web {reference}", D(quantity), D(price), code, rates[code])


def order(shop_id: str = "187", **changes: Any) -> SalesDocument:
    base = SalesDocument(
        type=DocumentType.ORDER,
        customer_code="AUBERGE",
        date=date(2026, 1, 10),
        lines=(line("VIN-TAVEL-ROSE", "2", "12.50"), line("HUILE-NYONS-50", "3", "14.50", "C05")),
        reference=f"Web {shop_id}",
        shop_order_id=shop_id,
        shipping_amount=D("6.90"),
        shipping_tax_code="C20",
        shipping_tax_rate=D(20),
    )
    return replace(base, **changes)


def test_an_invoice_reads_back_with_its_totals_and_makes_a_valid_factur_x(erp: Sage100Erp) -> None:
    created = erp.create_sales_document(order())
    invoice = transform_document(erp, created.number, DocumentType.ORDER, DocumentType.INVOICE)
    refs = erp.list_issued_documents(["187", "999"], [DocumentType.INVOICE])
    assert [(r.number, r.type, r.shop_order_id) for r in refs] == [(invoice, DocumentType.INVOICE, "187")]
    (document,) = erp.read_issued_documents(refs)
    # hand-computed: 25.00 + 6.90 at 20 % = 31.90 → 6.38; 43.50 at 5.5 % → 2.39
    assert [(b.code, b.base, b.tax) for b in document.bases] == [
        ("C05", D("43.50"), D("2.39")),
        ("C20", D("31.90"), D("6.38")),
    ]
    assert (document.net, document.tax, document.gross) == (D("75.40"), D("8.77"), D("84.17"))
    assert document.gross == created.total_gross
    assert sum(line.net for line in document.lines) == document.net
    assert document.customer_code == "AUBERGE" and document.billing.city
    company = erp.read_company()
    assert (company.siren, company.vat_number) == ("812345678", "FR47812345678")
    xml = cii_xml(document, company, payment_terms="À réception", notes=[])
    assert schematron_errors(xml) == []
    assert embedded_xml(factur_x(document, company, MENTIONS)).count(invoice.encode()) >= 1


def test_tax_inclusive_lines_add_up_to_each_code_s_net(erp: Sage100Erp) -> None:
    """Lines entered with tax show their own rounded nets; the invoice's lines are made to add
    up to the net the ERP derived per code (3 × 9.99 TTC at 20 %: nets 8.33 × 3 = 24.99, but the
    code's net is 29.97 / 1.2 = 24.98)."""
    lines = tuple(line(ref, "1", "9.99") for ref in ("VIN-TAVEL-ROSE", "VIN-CDR-BLANC", "HUILE-NYONS-50"))
    lines = tuple(replace(li, tax_code="C20", tax_rate=D(20)) for li in lines)
    created = erp.create_sales_document(
        order("188", lines=lines, shipping_amount=D(0), prices_include_tax=True)
    )
    invoice = transform_document(erp, created.number, DocumentType.ORDER, DocumentType.INVOICE)
    (document,) = erp.read_issued_documents(erp.list_issued_documents(["188"], [DocumentType.INVOICE]))
    assert document.number == invoice
    assert [(b.base, b.tax) for b in document.bases] == [(D("24.98"), D("4.99"))]
    assert sum(line.net for line in document.lines) == D("24.98")
    assert document.gross == D("29.97")
    assert schematron_errors(cii_xml(document, erp.read_company(), payment_terms="x", notes=[])) == []


def test_a_credit_note_names_its_invoice_and_is_written_once(company_url: str, sql: Query) -> None:
    erp = Sage100Erp(company_url, options=SageOptions(allow_invoices=True))
    created = erp.create_sales_document(order())
    invoice = transform_document(erp, created.number, DocumentType.ORDER, DocumentType.INVOICE)
    credit = SalesDocument(
        type=DocumentType.CREDIT_NOTE,
        customer_code="AUBERGE",
        date=date(2026, 1, 20),
        lines=(line("VIN-TAVEL-ROSE", "1", "15.00"),),
        reference="Avoir 187",
        shop_order_id="R501",
        prices_include_tax=True,
        origin_number=invoice,
    )
    ref = erp.create_sales_document(credit)
    with pytest.raises(DuplicateDocument) as again:
        erp.create_sales_document(credit)
    assert again.value.existing.number == ref.number
    (row,) = sql(
        company_url,
        'SELECT "DO_Type", "DO_Provenance", "DO_PieceOrig", "DO_TotalTTC" FROM "F_DOCENTETE" '
        'WHERE "DO_NoWeb" = :k',
        k="R501",
    )
    assert (row[0], row[1], row[2], D(str(row[3]))) == (6, 2, invoice, D("15.00"))
    refs = erp.list_issued_documents(["R501"], [DocumentType.CREDIT_NOTE])
    (document,) = erp.read_issued_documents(refs)
    assert (document.type, document.origin_number, document.gross) == (
        DocumentType.CREDIT_NOTE,
        invoice,
        D("15.00"),
    )
    assert schematron_errors(cii_xml(document, erp.read_company(), payment_terms="x", notes=[])) == []
    # the invoice list of the order is not confused by the credit note
    assert [r.number for r in erp.list_issued_documents(["187"], [DocumentType.INVOICE])] == [invoice]
    erp.close()


def test_customers_found_set_wise_match_the_single_lookups(erp: Sage100Erp) -> None:
    everyone = erp.read_customers()
    codes = [c.code for c in everyone[:30]] + ["NOPE"]
    found = erp.find_customers(codes)
    assert set(found) == {c.code for c in everyone[:30]}
    emails = [*[c.email for c in everyone if c.email][:30], "nobody@example.invalid"]
    by_email = erp.find_customers_by_email([e.upper() for e in emails])
    for email in emails[:-1]:
        single = erp.find_customer_by_email(email)
        assert single is not None and by_email[email.lower()].code == single.code
    assert "nobody@example.invalid" not in by_email
