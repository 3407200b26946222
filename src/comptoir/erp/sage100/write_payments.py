"""Payments (``F_CREGLEMENT``) allocated to a document's due date (``F_REGLECH``), and
document validation (``DO_Valide``).

A payment is allocated to the document's first open due date (``F_DOCREGL``, ``DR_Regle``
0), up to what remains to be paid (``DO_NetAPayer`` − ``DO_MontantRegle``); the document's
``DO_MontantRegle`` grows by the allocated amount and the due date is marked paid when
nothing remains. A payment larger than what remains keeps the excess unallocated
(``RG_Impute`` 0), as Sage does. A payment carrying a reference is written once: the same
reference, date and amount for the same document returns the payment already recorded (a retry
after a crash does not pay twice).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.codes import SALES_DOMAIN, SALES_KINDS
from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.numbering import next_id
from comptoir.erp.sage100.rows import blank_row, insert_rows, set_twins, update_rows
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
CUSTOMER_PAYMENT = 0
"""``RG_Type`` of a customer payment."""


def _document(
    conn: Connection, number: str, doc_type: DocumentType, what: str
) -> tuple[int, str, Decimal, Decimal]:
    kind = SALES_KINDS[doc_type]
    row = conn.execute(
        select(
            F_DOCENTETE.c.cbMarq,
            F_DOCENTETE.c.DO_Tiers,
            F_DOCENTETE.c.DO_NetAPayer,
            F_DOCENTETE.c.DO_MontantRegle,
        ).where(
            F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
            F_DOCENTETE.c.DO_Type == kind.do_type,
            F_DOCENTETE.c.DO_Piece == number,
        )
    ).first()
    if row is None:
        raise ErpError(f"{what}: {doc_type.value} {number} does not exist (F_DOCENTETE)")
    return (
        row.cbMarq,
        row.DO_Tiers.strip(),
        plain_decimal(row.DO_NetAPayer),
        plain_decimal(row.DO_MontantRegle),
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


def create_payment(conn: Connection, ctx: SageContext, payment: Payment) -> str:
    """Record the payment and its allocation; returns the payment number (``RG_No``)."""
    code = payment.customer_code.strip().upper()
    what = f"payment of {code}" + (f" for {payment.document_number}" if payment.document_number else "")
    if payment.amount <= 0:
        raise ErpError(f"{what}: amount {payment.amount} is not positive")
    customer = conn.execute(
        select(F_COMPTET.c.CT_Num, F_COMPTET.c.CT_NumPayeur).where(
            F_COMPTET.c.CT_Num == code, F_COMPTET.c.CT_Type == 0
        )
    ).first()
    if customer is None:
        raise ErpError(f"{what}: customer {code} does not exist (F_COMPTET, CT_Type 0)")
    journal = conn.execute(select(F_JOURNAUX.c.CG_Num).where(F_JOURNAUX.c.JO_Num == payment.journal)).first()
    if journal is None:
        raise ErpError(f"{what}: journal {payment.journal!r} does not exist (F_JOURNAUX)")
    mode = conn.execute(
        select(P_REGLEMENT.c.R_Intitule).where(
            P_REGLEMENT.c.cbIndice == slot(payment.mode, what, "payment mode"), P_REGLEMENT.c.R_Intitule != ""
        )
    ).first()
    if mode is None:
        raise ErpError(f"{what}: payment mode {payment.mode} does not exist (P_REGLEMENT)")
    recorded = _recorded(conn, payment, what)
    if recorded is not None:
        return str(recorded)
    now = ctx.clock.now()
    number = next_id(conn, F_CREGLEMENT, "RG_No")
    allocated = ZERO
    due = None
    kind = SALES_KINDS[payment.document_type]
    if payment.document_number:
        marq, tiers, to_pay, paid = _document(conn, payment.document_number, payment.document_type, what)
        if tiers != code:
            raise ErpError(f"{what}: {payment.document_number} belongs to customer {tiers}, not {code}")
        due = conn.execute(
            select(F_DOCREGL.c.cbMarq, F_DOCREGL.c.DR_No)
            .where(
                F_DOCREGL.c.DO_Domaine == SALES_DOMAIN,
                F_DOCREGL.c.DO_Type == kind.do_type,
                F_DOCREGL.c.DO_Piece == payment.document_number,
                F_DOCREGL.c.DR_Regle == 0,
            )
            .order_by(F_DOCREGL.c.DR_Date, F_DOCREGL.c.DR_No)
        ).first()
        if due is None:
            raise ErpError(f"{what}: {payment.document_number} has no open due date (F_DOCREGL)")
        allocated = min(payment.amount, max(to_pay - paid, ZERO))
    row = blank_row(F_CREGLEMENT, user=ctx.user, now=now)
    row.update(
        RG_No=number,
        CT_NumPayeur=(customer.CT_NumPayeur or "").strip() or code,
        RG_Date=sage_day(payment.date),
        RG_Reference=payment.reference,
        RG_Libelle=payment.label,
        RG_Montant=payment.amount,
        N_Reglement=slot(payment.mode, what, "payment mode"),
        RG_Impute=int(allocated == payment.amount),
        RG_Type=CUSTOMER_PAYMENT,
        JO_Num=payment.journal,
        CG_Num=(journal.CG_Num or "").strip(),
        RG_Heure=f"000{now:%H%M%S}",
    )
    insert_rows(conn, F_CREGLEMENT, [set_twins(F_CREGLEMENT, row)], what)
    if due is not None and allocated > 0:
        link = blank_row(F_REGLECH, user=ctx.user, now=now)
        link.update(
            RG_No=number,
            DR_No=due.DR_No,
            DO_Domaine=SALES_DOMAIN,
            DO_Type=kind.do_type,
            DO_Piece=payment.document_number,
            RC_Montant=allocated,
        )
        insert_rows(conn, F_REGLECH, [link], what)
        paid_now = paid + allocated
        changes = {"DO_MontantRegle": paid_now, "cbModification": now}
        update_rows(conn, F_DOCENTETE, F_DOCENTETE.c.cbMarq == marq, changes, what)
        if paid_now >= to_pay:
            changes = {"DR_Regle": 1, "cbModification": now}
            update_rows(conn, F_DOCREGL, F_DOCREGL.c.cbMarq == due.cbMarq, changes, what)
    return str(number)


def validate_document(conn: Connection, ctx: SageContext, number: str, doc_type: DocumentType) -> None:
    """Validate (lock) a document: ``DO_Valide`` 1."""
    kind = SALES_KINDS[doc_type]
    what = f"validate {doc_type.value} {number}"
    where = and_(
        F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
        F_DOCENTETE.c.DO_Type == kind.do_type,
        F_DOCENTETE.c.DO_Piece == number,
    )
    changes = {"DO_Valide": 1, "cbModification": ctx.clock.now(), "cbCreateur": ctx.user}
    if update_rows(conn, F_DOCENTETE, where, changes, what) == 0:
        raise ErpError(f"{what}: the document does not exist (F_DOCENTETE)")
