"""Payments (``F_CREGLEMENT``) linked to a document (``F_REGLECH``), and document validation.

On an order, a quote, a preparation or a delivery note, a payment is a down payment (acompte),
as Sage and PrestaConnect record one: an ``F_DOCREGL`` row of ``DR_TypeRegl`` 0 carrying the
amount, linked to the payment through ``F_REGLECH``; the document's ``DO_NetAPayer`` (gross
total less down payments) shrinks by it. When Sage turns the order into an invoice, the down
payment moves with the document and the invoice is born partly or fully paid. On an invoice
(created only when the profile allows invoices), a payment is allocated to the first open due
date (``DR_TypeRegl`` 2, ``DR_Regle`` 0); ``DO_MontantRegle`` grows and the due date is marked
paid when nothing remains. Either way the amount used is at most what remains to be paid
(``DO_NetAPayer`` − ``DO_MontantRegle``); a document held open in Sage by a user is left alone
(:mod:`comptoir.erp.sage100.locks`). A payment larger than what remains keeps the excess unallocated
(``RG_Impute`` 0), as Sage does. A payment carrying a reference is written once: the same
reference, date and amount for the same document returns the payment already recorded (a retry
after a crash does not pay twice).

A payment written in the same transaction as its document (``Sage100Erp.write_order``) is told
so (``Fresh``): the document's customer and total are known and nobody can hold or have paid a
document that is not committed yet, so none of that is read again; the journal and the payment
mode come from what the batch read once (:mod:`comptoir.erp.sage100.prefetch`) when given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.codes import SALES_DOMAIN, SALES_KINDS
from comptoir.erp.sage100.connection import pipelined
from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.locks import ensure_free
from comptoir.erp.sage100.numbering import next_id
from comptoir.erp.sage100.prefetch import Prefetched
from comptoir.erp.sage100.rows import insert_rows, set_twins, update_rows
from comptoir.erp.sage100.schema import (
    F_COMPTET,
    F_CREGLEMENT,
    F_DOCENTETE,
    F_DOCREGL,
    F_JOURNAUX,
    F_REGLECH,
    P_REGLEMENT,
)
from comptoir.erp.sage100.text import erp_text
from comptoir.erp.sage100.types import plain_decimal, sage_day, slot
from comptoir.model import DocumentType, Payment

ZERO = Decimal(0)
DOWN_PAYMENT = 0
"""``DR_TypeRegl`` of a down payment (acompte)."""
DUE_DATE = 2
"""``DR_TypeRegl`` of a due date (échéance)."""
CUSTOMER_PAYMENT = 0
"""``RG_Type`` of a customer payment."""


@dataclass(frozen=True, slots=True)
class Fresh:
    """The document a payment is written with, in the same transaction."""

    customer: str
    total: Decimal
    """``DO_NetAPayer`` as written (the gross total)."""
    validate: bool = False
    """Validate the document with the payment (``DO_Valide`` set by the same header update)."""


@dataclass(frozen=True, slots=True)
class Paid:
    """The document a payment is for: its row, customer and what is left to pay."""

    marq: int | None
    """``cbMarq`` of its header, ``None`` for a document of the same transaction."""
    customer: str
    net_to_pay: Decimal
    """``DO_NetAPayer``: the gross total less the down payments already recorded."""
    settled: Decimal
    """``DO_MontantRegle``: what payments allocated to its due dates already settle."""

    @property
    def left(self) -> Decimal:
        return max(self.net_to_pay - self.settled, ZERO)


def _document(conn: Connection, ctx: SageContext, payment: Payment, what: str) -> Paid:
    kind = SALES_KINDS[payment.document_type]
    header = ctx.header
    totals = [header.c[name] for name in ("DO_NetAPayer", "DO_MontantRegle") if name in header.c]
    row = conn.execute(
        select(header.c.cbMarq, header.c.DO_Tiers, *totals).where(
            header.c.DO_Domaine == SALES_DOMAIN,
            header.c.DO_Type == kind.do_type,
            header.c.DO_Piece == payment.document_number,
        )
    ).first()
    if row is None:
        raise ErpError(
            f"{what}: {payment.document_type.value} {payment.document_number} does not exist (F_DOCENTETE)"
        )
    values = row._mapping
    return Paid(
        marq=row.cbMarq,
        customer=row.DO_Tiers.strip(),
        net_to_pay=plain_decimal(values.get("DO_NetAPayer", payment.amount)),
        settled=plain_decimal(values.get("DO_MontantRegle", ZERO)),
    )


def _recorded(conn: Connection, payment: Payment, what: str) -> int | None:
    """A payment already recorded for the same document, reference, date and amount (a retry)."""
    if not payment.document_number or not payment.reference.strip():
        return None
    reference = erp_text(payment.reference, F_CREGLEMENT.c.RG_Reference, what)
    found = conn.execute(
        select(F_CREGLEMENT.c.RG_No)
        .select_from(F_CREGLEMENT.join(F_REGLECH, F_REGLECH.c.RG_No == F_CREGLEMENT.c.RG_No))
        .where(
            F_REGLECH.c.DO_Domaine == SALES_DOMAIN,
            F_REGLECH.c.DO_Piece == payment.document_number,
            F_CREGLEMENT.c.RG_Reference == reference,
            F_CREGLEMENT.c.RG_Montant == payment.amount,
            F_CREGLEMENT.c.RG_Date == sage_day(payment.date),
        )
        .order_by(F_CREGLEMENT.c.RG_No)
    ).first()
    return int(found.RG_No) if found is not None else None


def _payer(conn: Connection, code: str, what: str, prefetched: Prefetched | None) -> str:
    """The account paying for ``code`` (its ``CT_NumPayeur``, else itself)."""
    if prefetched is not None and prefetched.knows_customer(code):
        customer = prefetched.customers.get(code)
    else:
        customer = conn.execute(
            select(F_COMPTET.c.CT_Num, F_COMPTET.c.CT_NumPayeur).where(
                F_COMPTET.c.CT_Num == code, F_COMPTET.c.CT_Type == 0
            )
        ).first()
    if customer is None:
        raise ErpError(f"{what}: customer {code} does not exist (F_COMPTET, CT_Type 0)")
    return (customer.CT_NumPayeur or "").strip() or code


def _journal_account(conn: Connection, payment: Payment, what: str, prefetched: Prefetched | None) -> str:
    if prefetched is not None:
        journal = prefetched.journals.get(payment.journal)
    else:
        journal = conn.execute(
            select(F_JOURNAUX.c.CG_Num).where(F_JOURNAUX.c.JO_Num == payment.journal)
        ).first()
    if journal is None:
        raise ErpError(f"{what}: journal {payment.journal!r} does not exist (F_JOURNAUX)")
    return (journal.CG_Num or "").strip()


def _mode_name(conn: Connection, payment: Payment, what: str, prefetched: Prefetched | None) -> str:
    mode = slot(payment.mode, what, "payment mode")
    if prefetched is not None:
        name = prefetched.payment_modes.get(mode)
    else:
        name = conn.execute(
            select(P_REGLEMENT.c.R_Intitule).where(
                P_REGLEMENT.c.cbIndice == mode, P_REGLEMENT.c.R_Intitule != ""
            )
        ).scalar()
    if name is None:
        raise ErpError(f"{what}: payment mode {payment.mode} does not exist (P_REGLEMENT)")
    return str(name)


def create_payment(
    conn: Connection,
    ctx: SageContext,
    payment: Payment,
    prefetched: Prefetched | None = None,
    fresh: Fresh | None = None,
) -> str:
    """Record the payment and its allocation; returns the payment number (``RG_No``).

    ``fresh``: the payment's document was written in this transaction (see the module); when it
    asks for validation, the document is validated too, by the header update that records the
    down payment (one statement for both)."""
    validate = fresh is not None and fresh.validate
    if validate:
        _refuse_invoice(payment.document_number, payment.document_type)
    number, validated = _create_payment(conn, ctx, payment, prefetched, fresh)
    if validate and not validated:
        validate_document(conn, ctx, payment.document_number, payment.document_type)
    return number


def _create_payment(
    conn: Connection, ctx: SageContext, payment: Payment, prefetched: Prefetched | None, fresh: Fresh | None
) -> tuple[str, bool]:
    """``create_payment``; whether the header update validated the document too."""
    code = payment.customer_code.strip().upper()
    what = f"payment of {code}" + (f" for {payment.document_number}" if payment.document_number else "")
    if payment.amount <= 0:
        raise ErpError(f"{what}: amount {payment.amount} is not positive")
    payer = _payer(conn, code, what, prefetched)
    journal_account = _journal_account(conn, payment, what, prefetched)
    mode_name = _mode_name(conn, payment, what, prefetched)
    if fresh is None:
        recorded = _recorded(conn, payment, what)
        if recorded is not None:
            return str(recorded), False
    now = ctx.clock.now()
    number = next_id(conn, F_CREGLEMENT, "RG_No")
    kind = SALES_KINDS[payment.document_type]
    allocated, due = ZERO, None
    document: Paid | None = None
    if payment.document_number:
        if fresh is not None:
            document = Paid(marq=None, customer=fresh.customer, net_to_pay=fresh.total, settled=ZERO)
        else:
            document = _document(conn, ctx, payment, what)
        if document.customer != code:
            raise ErpError(
                f"{what}: {payment.document_number} belongs to customer {document.customer}, not {code}"
            )
        if document.marq is not None:
            ensure_free(conn, ctx.header, document.marq, f"{what}: {payment.document_number}")
        allocated = min(payment.amount, document.left)
        if kind.invoice:
            due = _open_due_date(conn, payment, kind.do_type, what)
        elif allocated <= 0:
            raise ErpError(f"{what}: {payment.document_number} has nothing left to pay")
        else:
            due = SimpleNamespace(DR_No=next_id(conn, F_DOCREGL, "DR_No"))
    with pipelined(conn):  # all is read: the payment's rows are sent at once
        if document is not None and due is not None and not kind.invoice:
            _down_payment(conn, ctx, payment, kind.do_type, due.DR_No, allocated, mode_name, now, what)
        paid = (document, due, allocated)
        return _record(conn, ctx, payment, number, payer, journal_account, paid, fresh, now)


def _record(
    conn: Connection,
    ctx: SageContext,
    payment: Payment,
    number: int,
    payer: str,
    journal_account: str,
    paid: tuple[Paid | None, Any, Decimal],
    fresh: Fresh | None,
    now: datetime,
) -> tuple[str, bool]:
    """The payment (``F_CREGLEMENT``), its allocation to the due date (``F_REGLECH``) and the
    document's header (and the invoice's due date) once paid; whether the header update validated
    the document too. ``paid``: the document, its due date and the amount allocated to it."""
    document, due, allocated = paid
    code = payment.customer_code.strip().upper()
    what = f"payment of {code}" + (f" for {payment.document_number}" if payment.document_number else "")
    kind = SALES_KINDS[payment.document_type]
    row = ctx.blank(F_CREGLEMENT, now)
    row.update(
        RG_No=number,
        CT_NumPayeur=payer,
        CT_NumPayeurOrig=payer,
        RG_Date=sage_day(payment.date),
        RG_Reference=payment.reference,
        RG_Libelle=payment.label,
        RG_Montant=payment.amount,
        N_Reglement=slot(payment.mode, what, "payment mode"),
        RG_Impute=int(allocated == payment.amount),
        RG_Type=CUSTOMER_PAYMENT,
        JO_Num=payment.journal,
        CG_Num=journal_account,
        RG_Heure=f"000{now:%H%M%S}",
    )
    table = ctx.table(F_CREGLEMENT)
    insert_rows(conn, table, [set_twins(table, row)], what)
    if document is None or due is None or allocated <= 0:
        return str(number), False
    link = ctx.blank(F_REGLECH, now)
    link.update(
        RG_No=number,
        DR_No=due.DR_No,
        DO_Domaine=SALES_DOMAIN,
        DO_Type=kind.do_type,
        DO_Piece=payment.document_number,
        RC_Montant=allocated,
    )
    insert_rows(conn, ctx.table(F_REGLECH), [link], what)
    header = ctx.header
    where = (
        {"cbMarq": document.marq}
        if document.marq is not None
        else {"DO_Domaine": SALES_DOMAIN, "DO_Type": kind.do_type, "DO_Piece": payment.document_number}
    )
    if kind.invoice:
        changes: dict[str, object] = {"cbModification": now}
        if "DO_MontantRegle" in header.c:
            changes["DO_MontantRegle"] = document.settled + allocated
        update_rows(conn, header, where, changes, what)
        if allocated >= document.left:
            settled = {"DR_Regle": 1, "cbModification": now}
            update_rows(conn, F_DOCREGL, {"cbMarq": due.cbMarq}, settled, what)
    elif "DO_NetAPayer" in header.c:
        changes = {"DO_NetAPayer": document.net_to_pay - allocated, "cbModification": now}
        if fresh is not None and fresh.validate:
            changes |= {"DO_Valide": 1, "cbCreateur": ctx.user}
        update_rows(conn, header, where, changes, what)
        return str(number), fresh is not None and fresh.validate
    return str(number), False


def _open_due_date(conn: Connection, payment: Payment, do_type: int, what: str) -> Any:
    """The invoice's first due date not yet paid (``DR_TypeRegl`` 2, ``DR_Regle`` 0)."""
    due = conn.execute(
        select(F_DOCREGL.c.cbMarq, F_DOCREGL.c.DR_No)
        .where(
            F_DOCREGL.c.DO_Domaine == SALES_DOMAIN,
            F_DOCREGL.c.DO_Type == do_type,
            F_DOCREGL.c.DO_Piece == payment.document_number,
            F_DOCREGL.c.DR_TypeRegl == DUE_DATE,
            F_DOCREGL.c.DR_Regle == 0,
        )
        .order_by(F_DOCREGL.c.DR_Date, F_DOCREGL.c.DR_No)
    ).first()
    if due is None:
        raise ErpError(f"{what}: {payment.document_number} has no open due date (F_DOCREGL)")
    return due


def _down_payment(
    conn: Connection,
    ctx: SageContext,
    payment: Payment,
    do_type: int,
    number: int,
    amount: Decimal,
    mode_name: str,
    now: datetime,
    what: str,
) -> None:
    """A down payment (acompte) on the document, numbered ``number``: an ``F_DOCREGL`` row of
    ``DR_TypeRegl`` 0 that carries the amount and follows the document when Sage transforms it
    into an invoice."""
    row = ctx.blank(F_DOCREGL, now)
    row.update(
        DR_No=number,
        DO_Domaine=SALES_DOMAIN,
        DO_Type=do_type,
        DO_DocType=do_type,
        DO_Piece=payment.document_number,
        DR_TypeRegl=DOWN_PAYMENT,
        DR_Date=sage_day(payment.date),
        DR_Libelle=payment.label or mode_name,
        DR_Montant=amount,
        DR_Regle=1,
        DR_Equil=0,
        N_Reglement=slot(payment.mode, what, "payment mode"),
    )
    table = ctx.table(F_DOCREGL)
    insert_rows(conn, table, [set_twins(table, row)], what)


def validate_document(conn: Connection, ctx: SageContext, number: str, doc_type: DocumentType) -> None:
    """Validate (lock) a document: ``DO_Valide`` 1. Invoices are refused: Sage seals an invoice
    (``cbHash``, anti-fraud law) when it validates it, which an SQL write cannot do."""
    kind = SALES_KINDS[doc_type]
    what = f"validate {doc_type.value} {number}"
    _refuse_invoice(number, doc_type)
    where = {"DO_Domaine": SALES_DOMAIN, "DO_Type": kind.do_type, "DO_Piece": number}
    changes = {"DO_Valide": 1, "cbModification": ctx.clock.now(), "cbCreateur": ctx.user}
    if update_rows(conn, F_DOCENTETE, where, changes, what) == 0:
        raise ErpError(f"{what}: the document does not exist (F_DOCENTETE)")


def _refuse_invoice(number: str, doc_type: DocumentType) -> None:
    """``ErpError`` when the document to validate is an invoice."""
    if SALES_KINDS[doc_type].invoice:
        raise ErpError(
            f"validate {doc_type.value} {number}: comptoir never validates an invoice; "
            "Sage seals invoices when it validates them (validate it in Sage)"
        )
