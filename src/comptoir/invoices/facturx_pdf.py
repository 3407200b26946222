"""An issued document as a Factur-X PDF: the PDF of ``pdf.py`` with the XML of ``cii.py``
embedded by the ``factur-x`` library (PDF/A-3B XMP metadata, ``factur-x.xml`` attached with
``AFRelationship`` Data), or the ERP's own PDF when it keeps one."""

from __future__ import annotations

from facturx import generate_from_binary

from comptoir.invoices.cii import InvoiceDataError, cii_xml
from comptoir.invoices.pdf import Mentions, render_pdf
from comptoir.model import CompanyIdentity, DocumentType, IssuedDocument

MEDIA_TYPE = "application/pdf"


def file_name(document: IssuedDocument) -> str:
    """``Facture-FA00012.pdf``, ``Avoir-AV00003.pdf``."""
    kind = "Avoir" if document.type is DocumentType.CREDIT_NOTE else "Facture"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in document.number)
    return f"{kind}-{safe}.pdf"


def factur_x(document: IssuedDocument, seller: CompanyIdentity, mentions: Mentions) -> bytes:
    """The Factur-X PDF (EN 16931) of ``document``; ``InvoiceDataError`` names what is missing."""
    notes = [mentions.late_payment]
    if mentions.legal_form or mentions.registry:
        notes.insert(0, " - ".join(n for n in (mentions.legal_form, mentions.registry) if n))
    xml = cii_xml(document, seller, payment_terms=mentions.payment_terms, notes=notes)
    pdf = document.pdf or render_pdf(document, seller, mentions)
    kind = "Avoir" if document.type is DocumentType.CREDIT_NOTE else "Facture"
    metadata = {
        "author": seller.name,
        "keywords": "Factur-X",
        "title": f"{kind} {document.number}",
        "subject": f"{kind} {document.number} - {seller.name}",
    }
    try:
        result = generate_from_binary(
            pdf, xml, flavor="factur-x", level="en16931", check_xsd=False, pdf_metadata=metadata, lang="fr-FR"
        )
    except Exception as exc:  # the library raises bare exceptions
        raise InvoiceDataError(f"{document.number}: Factur-X assembly failed: {exc}") from exc
    assert isinstance(result, bytes)
    return result
