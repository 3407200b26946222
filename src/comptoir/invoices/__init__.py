"""Invoices as Factur-X PDFs (EN 16931), from the ERP's issued documents."""

from comptoir.invoices.cii import InvoiceDataError, cii_xml, vat_category
from comptoir.invoices.facturx_pdf import MEDIA_TYPE, factur_x, file_name
from comptoir.invoices.pdf import Mentions, render_pdf

__all__ = [
    "MEDIA_TYPE",
    "InvoiceDataError",
    "Mentions",
    "cii_xml",
    "factur_x",
    "file_name",
    "render_pdf",
    "vat_category",
]
