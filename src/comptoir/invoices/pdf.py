"""The readable side of an invoice: a PDF drawn with ReportLab, made PDF/A-3 ready.

Everything PDF/A needs from the drawing is done here: fonts embedded (the DejaVu-compatible
Bitstream Vera fonts ReportLab ships), no transparency, and an sRGB output intent (the ICC
profile made by Pillow's ImageCms, added with pypdf). The ``factur-x`` library then adds the XMP
metadata (PDF/A-3B, Factur-X) and embeds the XML (``facturx_pdf.py``).

The page shows the mentions French invoices must carry (Code de commerce L441-9, CGI 242
nonies A): seller identity with SIREN, VAT number, legal form and register; buyer identity and
VAT number; number and date; lines with quantity, unit price and net amount; VAT per rate;
totals; payment terms, due date, late-payment penalties and the 40 € recovery indemnity; for
a credit note the invoice it corrects; an exemption text for each 0 % rate.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import reportlab
from PIL import ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from comptoir.invoices.cii import EXEMPTIONS, vat_category
from comptoir.model import Address, CompanyIdentity, DocumentType, IssuedDocument
from comptoir.model.money import format_money

FONT, BOLD = "ComptoirSans", "ComptoirSans-Bold"
_FONTS = Path(reportlab.__file__).resolve().parent / "fonts"


@dataclass(frozen=True, slots=True)
class Mentions:
    """What the profile adds to the ERP's data (``[invoices]``)."""

    legal_form: str
    registry: str
    payment_terms: str
    late_payment: str
    message: str = ""


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def euros(value: Decimal) -> str:
    """``1 234,50 €`` as French invoices write amounts."""
    text = format_money(value)
    whole, _, cents = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{' '.join(groups) or '0'},{cents} €"


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _price(value: Decimal) -> str:
    """A unit price: in euros when it has cents only, else with all its decimals."""
    if value == value.quantize(Decimal("0.01")):
        return euros(value)
    return f"{_number(value)} €"


def _address_lines(address: Address) -> list[str]:
    lines = [address.line1, address.line2, f"{address.postcode} {address.city}".strip()]
    if address.country and address.country != "FR":
        lines.append(address.country)
    return [line for line in lines if line]


def _date(value: object) -> str:
    return f"{value:%d/%m/%Y}"


def render_pdf(document: IssuedDocument, seller: CompanyIdentity, mentions: Mentions) -> bytes:
    """The invoice's PDF (not yet Factur-X: ``facturx_pdf.factur_x`` adds the XML)."""
    _register_fonts()
    normal = ParagraphStyle("n", fontName=FONT, fontSize=9, leading=11)
    small = ParagraphStyle("s", fontName=FONT, fontSize=7.5, leading=9)
    title = ParagraphStyle("t", fontName=BOLD, fontSize=15, leading=18)
    bold = ParagraphStyle("b", fontName=BOLD, fontSize=9, leading=11)
    credit = document.type is DocumentType.CREDIT_NOTE
    kind = "Avoir" if credit else "Facture"
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{kind} {document.number}",
        author=seller.name,
        subject=f"{kind} {document.number}",
        creator="comptoir",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=9,
    )
    story: list[object] = []

    def escape(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    seller_lines = [f"<b>{escape(seller.name)}</b>", *map(escape, _address_lines(seller.address))]
    if mentions.legal_form:
        seller_lines.append(escape(mentions.legal_form))
    seller_lines.append(f"SIREN {seller.siren}" + (f" - SIRET {seller.siret}" if seller.siret else ""))
    if mentions.registry:
        seller_lines.append(escape(mentions.registry))
    seller_lines.append(f"N° TVA intracommunautaire : {escape(seller.vat_number)}")
    buyer_lines = [f"<b>{escape(document.customer_name)}</b>", *map(escape, _address_lines(document.billing))]
    buyer_lines.append(f"Client : {escape(document.customer_code)}")
    if document.customer_vat_number:
        buyer_lines.append(f"N° TVA intracommunautaire : {escape(document.customer_vat_number)}")
    if document.customer_siret:
        buyer_lines.append(f"SIRET : {escape(document.customer_siret)}")
    head = Table(
        [[Paragraph("<br/>".join(seller_lines), normal), Paragraph("<br/>".join(buyer_lines), normal)]],
        colWidths=[90 * mm, 90 * mm],
    )
    head.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [head, Spacer(1, 8 * mm), Paragraph(f"{kind} n° {escape(document.number)}", title)]
    facts = [f"Date : {_date(document.date)}"]
    if document.reference:
        facts.append(f"Référence : {escape(document.reference)}")
    if document.shop_order_id:
        facts.append(f"Commande en ligne n° {escape(document.shop_order_id)}")
    if credit and document.origin_number:
        facts.append(f"Avoir sur la facture n° {escape(document.origin_number)}")
    story += [Paragraph(" - ".join(facts), normal), Spacer(1, 5 * mm)]

    rows: list[list[object]] = [["Référence", "Désignation", "Qté", "PU HT", "HT", "TVA"]]
    for line in document.lines:
        rows.append(
            [
                Paragraph(escape(line.reference), small),
                Paragraph(escape(line.designation), small),
                _number(line.quantity),
                _price(line.unit_price),
                euros(line.net),
                f"{_number(line.tax_rate)} %",
            ]
        )
    table = Table(rows, colWidths=[28 * mm, 76 * mm, 14 * mm, 22 * mm, 24 * mm, 16 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("FONT", (0, 1), (-1, -1), FONT, 8),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 5 * mm)]

    taxes: list[list[object]] = [["Code", "Taux", "Base HT", "TVA"]]
    exemptions: list[str] = []
    for base in document.bases:
        taxes.append([base.code, f"{_number(base.rate)} %", euros(base.base), euros(base.tax)])
        category = vat_category(base.rate, document)
        if category in EXEMPTIONS and EXEMPTIONS[category] not in exemptions:
            exemptions.append(EXEMPTIONS[category])
    totals = [
        ["Total HT", euros(document.net)],
        ["Total TVA", euros(document.tax)],
        ["Total TTC", euros(document.gross)],
    ]
    if document.paid:
        totals += [
            ["Déjà réglé", euros(document.paid)],
            ["Net à payer", euros(document.gross - document.paid)],
        ]
    tax_table = Table(taxes, colWidths=[18 * mm, 16 * mm, 26 * mm, 24 * mm])
    tax_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), BOLD, 8),
                ("FONT", (0, 1), (-1, -1), FONT, 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ]
        )
    )
    total_table = Table(totals, colWidths=[30 * mm, 30 * mm])
    total_table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 2), (-1, 2), BOLD, 9),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ]
        )
    )
    summary = Table([[tax_table, total_table]], colWidths=[100 * mm, 80 * mm])
    summary.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    story += [summary, Spacer(1, 6 * mm)]

    terms = [f"Conditions de paiement : {escape(mentions.payment_terms)}"]
    due = document.gross - document.paid
    if document.due_date is not None and due > 0:
        terms.append(f"Échéance : {_date(document.due_date)}")
    elif due <= 0 and not credit:
        terms.append("Facture acquittée")
    story.append(Paragraph(" - ".join(terms), bold))
    for text in exemptions:
        story.append(Paragraph(escape(text), normal))
    story += [Spacer(1, 3 * mm), Paragraph(escape(mentions.late_payment), small)]
    if mentions.message:
        story += [Spacer(1, 3 * mm), Paragraph(escape(mentions.message), normal)]
    pdf.build(story)
    return _with_output_intent(buffer.getvalue())


def _with_output_intent(data: bytes) -> bytes:
    """Add an sRGB output intent (PDF/A wants one for device colours)."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    icc = StreamObject()
    icc.set_data(profile)
    icc[NameObject("/N")] = NumberObject(3)
    icc_ref = writer._add_object(icc)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): icc_ref,
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
