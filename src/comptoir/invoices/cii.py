"""The Factur-X XML (UN/CEFACT CII, EN 16931 profile) of an issued document.

Built with the ``factur-x`` library (``generate_cii_xml``: its data dictionary is keyed by the
EN 16931 business terms, and it checks the result against the Factur-X XSD). What the norm
asks and how it is met:

- type code 380 for an invoice, 381 for a credit note (which names its invoice, BG-3);
- seller with SIREN (scheme 0002) and VAT number, buyer with its VAT number when it has one;
- one VAT breakdown per tax code: ``S`` for a positive rate, and for 0 %: ``K`` (intra-EU
  delivery to a buyer with a VAT number), ``G`` (export out of the EU), else ``E`` (exempt), each
  with the exemption text French law asks for;
- line amounts positive prices: a discount line (negative price) is a negative quantity;
- payment terms (BT-20) and due date (BT-9), paid amount and amount due.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from facturx import generate_cii_xml

from comptoir.model import CompanyIdentity, DocumentType, IssuedDocument, IssuedLine, TaxBase
from comptoir.model.geo import EU_MEMBERS as EU
from comptoir.model.money import format_money

"""EU member states (ISO codes; Greece is ``GR``, EL only in VAT numbers)."""
TYPE_CODES = {DocumentType.INVOICE: "380", DocumentType.CREDIT_NOTE: "381"}
EXEMPTIONS = {
    "K": "Autoliquidation : livraison intracommunautaire exonérée, article 262 ter I du CGI",
    "G": "Exonération de TVA, article 262 I du CGI (exportation)",
    "E": "Exonération de TVA",
}


class InvoiceDataError(ValueError):
    """The document lacks what an invoice must show; the message names it."""


def _amount(value: Decimal) -> str:
    return format_money(value)


def _number(value: Decimal, places: int = 4) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)).normalize():f}"


def vat_category(rate: Decimal, document: IssuedDocument) -> str:
    """The EN 16931 VAT category code of a rate on this document (see the module doc)."""
    if rate > 0:
        return "S"
    country = document.billing.country or "FR"
    if country in EU and country != "FR" and document.customer_vat_number:
        return "K"
    if country not in EU:
        return "G"
    return "E"


def _party(name: str, address: Any, **extra: Any) -> dict[str, Any]:
    party: dict[str, Any] = {
        "name": name,
        "addr_l1": address.line1,
        "addr_l2": address.line2,
        "postcode": address.postcode,
        "city": address.city,
        "country_code": address.country or "FR",
    }
    party.update({k: v for k, v in extra.items() if v})
    return {k: v for k, v in party.items() if v}


def _line(position: int, line: IssuedLine, document: IssuedDocument) -> dict[str, Any]:
    quantity, price = line.quantity, line.unit_price
    if price < 0:
        quantity, price = -quantity, -price
    item: dict[str, Any] = {
        "BT-126": str(position),
        "BT-129": _number(quantity),
        "BT-130": "C62",
        "BT-131": _amount(line.net),
        "BT-146": _number(price),
        "BT-151": vat_category(line.tax_rate, document),
        "BT-152": _number(line.tax_rate, 2),
        "BT-153": line.designation or line.reference or "Article",
    }
    if line.reference:
        item["BT-155"] = line.reference
    return item


def _breakdown(base: TaxBase, document: IssuedDocument) -> dict[str, Any]:
    category = vat_category(base.rate, document)
    row: dict[str, Any] = {
        "BT-116": _amount(base.base),
        "BT-117": _amount(base.tax),
        "BT-118": category,
        "BT-119": _number(base.rate, 2),
    }
    if category in EXEMPTIONS:
        row["BT-120"] = EXEMPTIONS[category]
    return row


def data_dict(
    document: IssuedDocument,
    seller: CompanyIdentity,
    *,
    payment_terms: str,
    notes: list[str],
) -> dict[str, Any]:
    """The ``factur-x`` data dictionary of ``document``; ``InvoiceDataError`` names what is missing."""
    if document.type not in TYPE_CODES:
        raise InvoiceDataError(
            f"{document.number}: a {document.type.value} is not an invoice nor a credit note"
        )
    if not seller.name:
        raise InvoiceDataError(f"{document.number}: the seller has no name (the ERP company's)")
    if not seller.vat_number:
        raise InvoiceDataError(
            f"{document.number}: the seller has no VAT number (the ERP company's, or invoices.vat_number)"
        )
    if not seller.siren:
        raise InvoiceDataError(
            f"{document.number}: the seller has no SIRET (the ERP company's, or invoices.siret)"
        )
    if not document.lines:
        raise InvoiceDataError(f"{document.number}: the document has no lines")
    due = document.gross - document.paid
    data: dict[str, Any] = {
        "BT-24": "urn:cen.eu:en16931:2017",
        "BT-1": document.number,
        "BT-2": document.date,
        "BT-3": TYPE_CODES[document.type],
        "BT-5": document.currency or "EUR",
        "BT-10": document.customer_code,
        "BT-20": payment_terms,
        "BT-72": document.date,
        "BG-1": [{"BT-22": note} for note in notes if note],
        "BG-4": _party(
            seller.name,
            seller.address,
            legal_identifier=seller.siren,
            legal_identifier_schemeid="0002",
            vat_identifier=seller.vat_number,
        ),
        "BG-7": _party(
            document.customer_name or document.customer_code,
            document.billing,
            vat_identifier=document.customer_vat_number,
            identifiers={None: document.customer_code},
        ),
        "BG-23": [_breakdown(b, document) for b in document.bases],
        "BG-25": [_line(n, line, document) for n, line in enumerate(document.lines, start=1)],
        "BT-106": _amount(sum((line.net for line in document.lines), Decimal(0))),
        "BT-109": _amount(document.net),
        "BT-110": _amount(document.tax),
        "BT-112": _amount(document.gross),
        "BT-113": _amount(document.paid),
        "BT-115": _amount(due),
    }
    if document.due_date is not None and due > 0:
        data["BT-9"] = document.due_date
    if document.reference:
        data["BT-13"] = document.reference
    if document.type is DocumentType.CREDIT_NOTE and document.origin_number:
        data["BG-3"] = [{"BT-25": document.origin_number}]
    delivery = document.delivery if document.delivery is not None and document.delivery.line1 else None
    if delivery is None and any(row["BT-118"] == "K" for row in data["BG-23"]):
        delivery = document.billing  # an intra-EU supply names where it goes (BR-IC-12)
    if delivery is not None:
        data["BG-13"] = _party(document.customer_name, delivery)
    return data


def cii_xml(
    document: IssuedDocument, seller: CompanyIdentity, *, payment_terms: str, notes: list[str]
) -> bytes:
    """The CII XML of ``document``, checked against the Factur-X EN 16931 XSD."""
    data = data_dict(document, seller, payment_terms=payment_terms, notes=notes)
    try:
        xml = generate_cii_xml(data, level="en16931", check_xsd=True, check_schematron=False)
    except Exception as exc:  # the library raises bare exceptions naming the field
        raise InvoiceDataError(f"{document.number}: {exc}") from exc
    return xml if isinstance(xml, bytes) else str(xml).encode("utf-8")
