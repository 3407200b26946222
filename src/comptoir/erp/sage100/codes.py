"""Sage's numeric codes for sales documents, in the model's words.

``DO_Type`` (sales domain ``DO_Domaine`` 0): 0 devis, 1 bon de commande, 2 préparation de
livraison, 3 bon de livraison, 4 bon de retour, 5 bon d'avoir financier, 6 facture,
7 facture comptabilisée. A facture d'avoir is a ``DO_Type`` 6 with ``DO_Provenance`` 2 and
its own numbering column (``DC_IdCol`` 8). ``DL_MvtStock``: 0 none, 1 stock in, 3 stock out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from comptoir.model import DocumentType

SALES_DOMAIN = 0


class StockEffect(Enum):
    """What writing a document does to ``F_ARTSTOCK``."""

    NONE = "none"
    RESERVE = "reserve"
    """Customer order: ``AS_QteRes`` += quantity."""
    PREPARE = "prepare"
    """Delivery preparation: ``AS_QtePrepa`` += quantity (not reserved as well: an order turned
    into a preparation leaves ``AS_QteRes`` for ``AS_QtePrepa``)."""
    OUT = "out"
    """Delivery note or direct invoice: ``AS_QteSto`` -= quantity."""
    IN = "in"
    """Return: ``AS_QteSto`` += quantity."""


@dataclass(frozen=True, slots=True)
class SalesKind:
    """How one model document type is stored in Sage."""

    do_type: int
    id_col: int
    """``F_DOCCURRENTPIECE.DC_IdCol``: the numbering column."""
    prefix: str
    """Number prefix of the demo company's numbering."""
    stock_move: int
    """``DL_MvtStock`` of its lines."""
    effect: StockEffect
    history: str = ""
    """Suffix of the ``DL_Piece*`` / ``DL_Qte*`` / ``DL_Date*`` columns recording this stage."""
    provenance: int = 0
    creatable: bool = True

    @property
    def invoice(self) -> bool:
        """An invoice-type document (facture, facture d'avoir, facture comptabilisée)."""
        return self.do_type in INVOICE_TYPES


INVOICE_TYPES = (6, 7)
"""``DO_Type`` of invoices (6, with credit notes as ``DO_Provenance`` 2) and posted invoices (7)."""


SALES_KINDS: dict[DocumentType, SalesKind] = {
    DocumentType.QUOTE: SalesKind(0, 0, "DE", 0, StockEffect.NONE, "DE"),
    DocumentType.ORDER: SalesKind(1, 1, "BC", 0, StockEffect.RESERVE, "BC"),
    DocumentType.DELIVERY_PREPARATION: SalesKind(2, 2, "PL", 0, StockEffect.PREPARE, "PL"),
    DocumentType.DELIVERY_NOTE: SalesKind(3, 3, "BL", 3, StockEffect.OUT, "BL"),
    DocumentType.RETURN: SalesKind(4, 4, "BR", 1, StockEffect.IN),
    DocumentType.INVOICE: SalesKind(6, 6, "FA", 3, StockEffect.OUT),
    DocumentType.POSTED_INVOICE: SalesKind(7, 6, "FA", 3, StockEffect.OUT, creatable=False),
    DocumentType.CREDIT_NOTE: SalesKind(6, 8, "AV", 0, StockEffect.NONE, provenance=2),
}

NUMBERING_COLUMNS: dict[int, str] = {
    0: "DE",
    1: "BC",
    2: "PL",
    3: "BL",
    4: "BR",
    5: "BA",
    6: "FA",
    7: "FR",
    8: "AV",
}
"""``DC_IdCol`` → prefix used by the demo company (7 facture de retour, 8 facture d'avoir)."""

HISTORY_STAGES = ("DE", "BC", "PL", "BL")
"""The stages whose number a line keeps when its document is transformed (``DL_Piece*``)."""


def document_type(do_type: int, provenance: int = 0) -> DocumentType:
    """The model type of a sales document stored with ``DO_Type`` / ``DO_Provenance``."""
    if do_type == 5 or (do_type in (6, 7) and provenance == 2):
        return DocumentType.CREDIT_NOTE
    for kind, sales in SALES_KINDS.items():
        if sales.do_type == do_type and sales.provenance == 0:
            return kind
    raise ValueError(f"DO_Type {do_type} is not a sales document type")
