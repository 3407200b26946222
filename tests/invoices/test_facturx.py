"""Factur-X invoices: the XML passes the Factur-X XSD and the EN 16931 schematron; the PDF is
PDF/A-3 shaped (XMP, output intent, embedded fonts) and carries the XML; the page shows the
mentions French law asks for."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from comptoir.invoices import InvoiceDataError, Mentions, cii_xml, factur_x, render_pdf
from comptoir.model import Address, CompanyIdentity, DocumentType, IssuedDocument, IssuedLine, TaxBase
from facturx_checks import embedded_xml, schematron_errors

D = Decimal
SELLER = CompanyIdentity(
    name="Les Caves du Comptoir",
    address=Address(line1="12 rue des Arènes", postcode="30000", city="Nîmes", country="FR"),
    siret="12345678900012",
    vat_number="FR40123456789",
)
MENTIONS = Mentions(
    legal_form="SAS au capital de 10 000 €",
    registry="RCS Nîmes 123 456 789",
    payment_terms="Paiement à 30 jours",
    late_payment="Pénalités de retard : trois fois le taux d'intérêt légal ; indemnité forfaitaire "
    "pour frais de recouvrement : 40 €.",
)
RAM = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def invoice(**changes: object) -> IssuedDocument:
    """FA00012: two rates, a discount line, shipping; 100.00 + 20.00 + 5.50 hand-computed."""
    lines = (
        IssuedLine("VIN-ROUGE", "Côtes du Rhône 2022", D(6), D("12.5"), D("75.00"), "C20", D(20)),
        IssuedLine("THE-VERT", "Thé vert Sencha", D(2), D("10.00"), D("20.00"), "C05", D("5.5")),
        IssuedLine("ZREMISE", "Remise BIENVENUE", D(1), D("-5.00"), D("-5.00"), "C20", D(20)),
        IssuedLine("", "Frais de port", D(1), D("10.00"), D("10.00"), "C20", D(20)),
    )
    bases = (TaxBase("C05", D("5.5"), D("20.00"), D("1.10")), TaxBase("C20", D(20), D("80.00"), D("16.00")))
    values: dict[str, object] = {
        "number": "FA00012",
        "type": DocumentType.INVOICE,
        "date": date(2026, 11, 29),
        "customer_code": "WEB000007",
        "customer_name": "Jeanne Martin",
        "billing": Address(line1="3 place du Marché", postcode="69002", city="Lyon", country="FR"),
        "lines": lines,
        "bases": bases,
        "net": D("100.00"),
        "tax": D("17.10"),
        "gross": D("117.10"),
        "shop_order_id": "187",
        "reference": "Web 187 - Jeanne MARTIN",
        "due_date": date(2026, 12, 29),
    }
    values.update(changes)
    return IssuedDocument(**values)  # type: ignore[arg-type]


def xml_of(document: IssuedDocument) -> bytes:
    return cii_xml(document, SELLER, payment_terms=MENTIONS.payment_terms, notes=[MENTIONS.late_payment])


def test_invoice_xml_passes_xsd_and_en16931_schematron() -> None:
    xml = xml_of(invoice())
    assert schematron_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//ram:DuePayableAmount", namespaces=RAM) == "117.10"
    rates = sorted(
        root.xpath(
            "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent/text()",
            namespaces=RAM,
        )
    )
    assert rates == ["20", "5.5"]
    # a negative price is written as a negative quantity at a positive price (BR-27)
    discount = root.xpath("//ram:IncludedSupplyChainTradeLineItem[3]", namespaces=RAM)[0]
    assert discount.findtext(".//ram:BilledQuantity", namespaces=RAM) == "-1"
    assert discount.findtext(".//ram:NetPriceProductTradePrice/ram:ChargeAmount", namespaces=RAM) == "5"


def test_paid_invoice_credit_note_and_exports_pass_the_schematron() -> None:
    paid = invoice(paid=D("117.10"), due_date=None)
    credit = invoice(number="AV00003", type=DocumentType.CREDIT_NOTE, origin_number="FA00012", due_date=None)
    export_lines = (IssuedLine("VIN-ROUGE", "Côtes du Rhône", D(2), D("12.5"), D("25.00"), "C00", D(0)),)
    export = invoice(
        lines=export_lines,
        bases=(TaxBase("C00", D(0), D("25.00"), D("0.00")),),
        net=D("25.00"),
        tax=D("0.00"),
        gross=D("25.00"),
        billing=Address(line1="1 Main Street", postcode="10001", city="New York", country="US"),
    )
    intra = invoice(
        lines=export_lines,
        bases=(TaxBase("C00", D(0), D("25.00"), D("0.00")),),
        net=D("25.00"),
        tax=D("0.00"),
        gross=D("25.00"),
        billing=Address(line1="Rue Neuve 1", postcode="1000", city="Bruxelles", country="BE"),
        customer_vat_number="BE0123456749",
    )
    for document in (paid, credit, export, intra):
        assert schematron_errors(xml_of(document)) == [], document.number
    assert b"<ram:CategoryCode>G</ram:CategoryCode>" in xml_of(export)
    assert b"<ram:CategoryCode>K</ram:CategoryCode>" in xml_of(intra)
    assert b"<ram:TypeCode>381</ram:TypeCode>" in xml_of(credit)


def test_an_inconsistent_total_is_caught_by_the_schematron() -> None:
    """The check has teeth: a grand total one cent off is reported (BR-CO-15)."""
    errors = schematron_errors(xml_of(invoice(gross=D("117.11"))))
    assert any("BR-CO-15" in e for e in errors), errors


def test_factur_x_pdf_embeds_the_xml_and_is_pdfa3_shaped() -> None:
    pdf = factur_x(invoice(), SELLER, MENTIONS)
    xml = embedded_xml(pdf)
    assert b"FA00012" in xml
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    metadata = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata
    assert b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in metadata
    intents = root["/OutputIntents"]
    assert intents[0].get_object()["/S"] == "/GTS_PDFA1"
    files = root["/AF"]
    assert files[0].get_object()["/AFRelationship"] == "/Data"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()
            descriptor = (
                (descendant.get("/DescendantFonts") or [descendant])[0].get_object().get("/FontDescriptor")
            )
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), descendant


def test_the_page_shows_the_mandatory_mentions() -> None:
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(invoice(), SELLER, MENTIONS))).pages
    )
    flat = " ".join(text.split())
    for mention in (
        "Facture n° FA00012",
        "Date : 29/11/2026",
        "SIREN 123456789",
        "N° TVA intracommunautaire : FR40123456789",
        "SAS au capital de 10 000 €",
        "RCS Nîmes 123 456 789",
        "Jeanne Martin",
        "Total HT 100,00 €",
        "Total TVA 17,10 €",
        "Total TTC 117,10 €",
        "Échéance : 29/12/2026",
        "Paiement à 30 jours",
        "40 €",
    ):
        assert mention in flat, mention


def test_a_seller_without_vat_number_is_refused_by_name() -> None:
    anonymous = CompanyIdentity(name="X", address=SELLER.address, siret="12345678900012")
    with pytest.raises(InvoiceDataError, match="FA00012: the seller has no VAT number"):
        cii_xml(invoice(), anonymous, payment_terms="x", notes=[])
