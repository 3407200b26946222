"""Issued documents (invoices, credit notes) read back whole, for their PDF, and the company.

Three queries per batch of documents whatever their number: headers, lines, due dates
(``F_DOCREGL``), plus the customers' accounts. Taxes per code are computed as the document
was (``SalesDocument.totals()``'s rules): lines entered with tax (``DL_TTC`` 1) give each code's
net from the sum of their amounts with tax; otherwise each code's tax is its net at the rate.
The sum of the lines' net amounts is made to equal each code's net to the cent (a line entered
with tax shows its own rounded net, the code's net is derived once), so an invoice's lines add
up to its totals as EN 16931 requires. Shipping in the footer (``DO_ValFrais``) becomes a line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.codes import SALES_DOMAIN, SALES_KINDS, document_type
from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.countries import country_code
from comptoir.erp.sage100.read_customers import find_customers
from comptoir.erp.sage100.schema import F_DOCENTETE, F_DOCLIGNE, F_DOCREGL, P_DOSSIER
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import (
    ZERO,
    Address,
    CompanyIdentity,
    DocumentRef,
    DocumentType,
    IssuedDocument,
    IssuedLine,
    TaxBase,
    round_money,
    tax_amount,
)
from comptoir.model.money import money_sum, net_from_gross

_CHUNK = 400
DUE_DATE = 1
"""``DR_TypeRegl`` of a due date (0 is a down payment)."""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _day(value: Any) -> date | None:
    if value is None or value.year <= 1900:
        return None
    return date(value.year, value.month, value.day)


def read_company(conn: Connection) -> CompanyIdentity:
    """The company's identity from ``P_DOSSIER``."""
    row = conn.execute(select(P_DOSSIER).order_by(P_DOSSIER.c.cbMarq)).first()
    if row is None:
        raise ErpError("read company: P_DOSSIER is empty (not a Sage company?)")
    data = row._mapping
    return CompanyIdentity(
        name=_text(data["D_RaisonSoc"]),
        address=Address(
            line1=_text(data["D_Adresse"]),
            line2=_text(data["D_Complement"]),
            postcode=_text(data["D_CodePostal"]),
            city=_text(data["D_Ville"]),
            region=_text(data["D_CodeRegion"]),
            country=country_code(_text(data["D_Pays"])) or "FR",
        ),
        siret=_text(data["D_Siret"]),
        vat_number=_text(data["D_Identifiant"]),
        ape=_text(data["D_Ape"]),
        email=_text(data["D_EMail"]),
        phone=_text(data["D_Telephone"]),
    )


def _kinds(types: Collection[DocumentType]) -> list[tuple[int, int]]:
    """``(DO_Type, DO_Provenance)`` pairs of these model types (a credit note is an invoice
    with provenance 2, posted or not)."""
    pairs: set[tuple[int, int]] = set()
    for kind in types:
        sales = SALES_KINDS[kind]
        pairs.add((sales.do_type, sales.provenance))
        if kind in (DocumentType.INVOICE, DocumentType.CREDIT_NOTE):
            pairs.add((7, sales.provenance))
    return sorted(pairs)


def _type_filter(types: Collection[DocumentType]) -> Any:
    clauses = []
    for do_type, provenance in _kinds(types):
        same_provenance = (
            F_DOCENTETE.c.DO_Provenance == provenance
            if provenance
            else or_(F_DOCENTETE.c.DO_Provenance != 2, F_DOCENTETE.c.DO_Provenance.is_(None))
        )
        clauses.append(and_(F_DOCENTETE.c.DO_Type == do_type, same_provenance))
    return or_(*clauses)


def _ref(row: Any) -> DocumentRef:
    return DocumentRef(
        number=row.DO_Piece.strip(),
        type=document_type(row.DO_Type, row.DO_Provenance or 0),
        customer_code=_text(row.DO_Tiers),
        shop_order_id=_text(row.DO_NoWeb),
        total_net=plain_decimal(row.DO_TotalHTNet),
        total_gross=plain_decimal(row.DO_TotalTTC),
        issued_on=_day(row.DO_Date),
    )


_REF_COLUMNS = (
    F_DOCENTETE.c.DO_Piece,
    F_DOCENTETE.c.DO_Type,
    F_DOCENTETE.c.DO_Provenance,
    F_DOCENTETE.c.DO_Tiers,
    F_DOCENTETE.c.DO_NoWeb,
    F_DOCENTETE.c.DO_TotalHTNet,
    F_DOCENTETE.c.DO_TotalTTC,
    F_DOCENTETE.c.DO_Date,
)


def list_issued_documents(
    conn: Connection, shop_order_ids: Collection[str], types: Collection[DocumentType]
) -> list[DocumentRef]:
    """Headers of the documents of ``types`` carrying these shop order ids, oldest first."""
    wanted = sorted({i.strip() for i in shop_order_ids if i and i.strip()})
    found: list[DocumentRef] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            select(*_REF_COLUMNS).where(
                F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
                F_DOCENTETE.c.DO_NoWeb.in_(chunk),
                _type_filter(types),
            )
        )
        found.extend(_ref(row) for row in rows)
    found.sort(key=lambda r: (r.issued_on or date.min, r.number))
    return found


def read_issued_documents(
    conn: Connection, ctx: SageContext, refs: Sequence[DocumentRef]
) -> list[IssuedDocument]:
    """These documents whole, in the order asked."""
    keys = sorted({(SALES_KINDS[r.type].do_type, r.number) for r in refs})
    headers: dict[tuple[int, str], Any] = {}
    lines: dict[tuple[int, str], list[Any]] = defaultdict(list)
    dues: dict[tuple[int, str], list[date]] = defaultdict(list)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        for row in conn.execute(
            select(F_DOCENTETE).where(
                F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
                tuple_(F_DOCENTETE.c.DO_Type, F_DOCENTETE.c.DO_Piece).in_(chunk),
            )
        ):
            headers[(row.DO_Type, row.DO_Piece.strip())] = row
        for row in conn.execute(
            select(F_DOCLIGNE)
            .where(
                F_DOCLIGNE.c.DO_Domaine == SALES_DOMAIN,
                tuple_(F_DOCLIGNE.c.DO_Type, F_DOCLIGNE.c.DO_Piece).in_(chunk),
            )
            .order_by(F_DOCLIGNE.c.DO_Piece, F_DOCLIGNE.c.DL_Ligne, F_DOCLIGNE.c.DL_No)
        ):
            lines[(row.DO_Type, row.DO_Piece.strip())].append(row)
        for row in conn.execute(
            select(F_DOCREGL.c.DO_Type, F_DOCREGL.c.DO_Piece, F_DOCREGL.c.DR_Date).where(
                F_DOCREGL.c.DO_Domaine == SALES_DOMAIN,
                F_DOCREGL.c.DR_TypeRegl == DUE_DATE,
                tuple_(F_DOCREGL.c.DO_Type, F_DOCREGL.c.DO_Piece).in_(chunk),
            )
        ):
            day = _day(row.DR_Date)
            if day is not None:
                dues[(row.DO_Type, row.DO_Piece.strip())].append(day)
    customers = find_customers(conn, ctx, {_text(h.DO_Tiers) for h in headers.values()})
    documents: list[IssuedDocument] = []
    for ref in refs:
        key = (SALES_KINDS[ref.type].do_type, ref.number)
        header = headers.get(key)
        if header is None:
            raise ErpError(f"read document {ref.number}: it does not exist ({ref.type.value})")
        documents.append(_document(header, lines.get(key, []), dues.get(key, []), customers))
    return documents


def _document(header: Any, rows: list[Any], dues: list[date], customers: dict[str, Any]) -> IssuedDocument:
    number = header.DO_Piece.strip()
    what = f"read document {number}"
    issued: list[tuple[IssuedLine, Decimal, bool]] = []
    for row in rows:
        code = _text(row.DL_CodeTaxe1)
        rate = plain_decimal(row.DL_Taxe1)
        quantity = plain_decimal(row.DL_Qte)
        net = round_money(plain_decimal(row.DL_MontantHT))
        gross = round_money(plain_decimal(row.DL_MontantTTC))
        inclusive = bool(row.DL_TTC)
        unit = round_money(net / quantity, 6) if quantity else ZERO
        line = IssuedLine(
            reference=_text(row.AR_Ref),
            designation=_text(row.DL_Design),
            quantity=quantity,
            unit_price=unit,
            net=net,
            tax_code=code,
            tax_rate=rate,
        )
        issued.append((line, gross, inclusive))
    shipping = round_money(plain_decimal(header.DO_ValFrais))
    if shipping:
        code = _text(header.DO_CodeTaxe1)
        rate = plain_decimal(header.DO_Taxe1)
        inclusive = bool(header.DO_TypeLigneFrais)
        net = net_from_gross(shipping, rate) if inclusive else shipping
        line = IssuedLine("", "Frais de port", Decimal(1), net, net, code, rate)
        issued.append((line, shipping if inclusive else net + tax_amount(net, rate), inclusive))
    by_code: dict[str, list[tuple[IssuedLine, Decimal, bool]]] = defaultdict(list)
    for entry in issued:
        by_code[entry[0].tax_code].append(entry)
    bases: list[TaxBase] = []
    final_lines: dict[int, IssuedLine] = {}
    for code, entries in sorted(by_code.items()):
        rate = entries[0][0].tax_rate
        if any(inclusive for _, _, inclusive in entries):
            gross_sum = money_sum(gross for _, gross, _ in entries)
            base = net_from_gross(gross_sum, rate)
            tax = gross_sum - base
        else:
            base = money_sum(line.net for line, _, _ in entries)
            tax = tax_amount(base, rate)
        bases.append(TaxBase(code, rate, base, tax))
        gap = base - money_sum(line.net for line, _, _ in entries)
        largest = max(entries, key=lambda e: abs(e[0].net))[0] if entries else None
        for line, _, _ in entries:
            adjusted = line
            if gap and line is largest:
                net = line.net + gap
                unit = round_money(net / line.quantity, 6) if line.quantity else ZERO
                adjusted = replace(line, net=net, unit_price=unit)
            final_lines[id(line)] = adjusted
    lines = tuple(final_lines[id(line)] for line, _, _ in issued)
    net_total = money_sum(b.base for b in bases)
    tax_total = money_sum(b.tax for b in bases)
    gross_total = net_total + tax_total
    stored = round_money(plain_decimal(header.DO_TotalTTC))
    if stored and stored != gross_total:
        raise ErpError(
            f"{what}: its lines add up to {gross_total} with tax, the header says {stored} (DO_TotalTTC)"
        )
    issued_on = _day(header.DO_Date)
    if issued_on is None:
        raise ErpError(f"{what}: it has no date (DO_Date)")
    customer = customers.get(_text(header.DO_Tiers))
    billing = customer.billing if customer is not None else Address()
    return IssuedDocument(
        number=number,
        type=document_type(header.DO_Type, header.DO_Provenance or 0),
        date=issued_on,
        customer_code=_text(header.DO_Tiers),
        customer_name=customer.name if customer is not None else _text(header.DO_Tiers),
        billing=billing,
        lines=lines,
        bases=tuple(bases),
        net=net_total,
        tax=tax_total,
        gross=gross_total,
        shop_order_id=_text(header.DO_NoWeb),
        reference=_text(header.DO_Ref),
        customer_vat_number=customer.vat_number if customer is not None else "",
        customer_siret=customer.siret if customer is not None else "",
        due_date=min(dues) if dues else None,
        paid=round_money(plain_decimal(header.DO_MontantRegle)),
        origin_number=_text(getattr(header, "DO_PieceOrig", "")),
        currency="EUR",
    )
