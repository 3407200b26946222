"""Send invoices: each issued ERP document of an imported order, as a Factur-X PDF, on the shop
order where its customer finds it.

The ERP lists the invoices (and, when ``invoices.types`` says so, the credit notes) carrying the
shop order ids the ledger holds as imported — several per order when deliveries were split. A
document the task ledger does not hold as sent is read whole, drawn as a Factur-X PDF
(``comptoir.invoices``) unless the ERP keeps its own PDF, and attached to its order through the
shop (``Shop.attach_documents``).

Exactly once: each document is a task (key ``<order>/<number>``) claimed before the shop is
called and recorded done after; a run killed in between leaves the claim, and once it expires the
next run attaches again with ``verify``: the adapter finds the file and the note the killed run
left instead of adding them twice. A document that cannot be drawn (the seller's VAT number
missing…) fails alone, named, and is tried again by the next run.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from comptoir.invoices import MEDIA_TYPE, InvoiceDataError, Mentions, factur_x, file_name
from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.crash import crash_point
from comptoir.journal import Outcome
from comptoir.model import CompanyIdentity, DocumentRef, DocumentType, OrderAttachment, format_money
from comptoir.state import TaskClaim

JOB = "send_invoices"
CLAIM_TTL = timedelta(minutes=15)


def task_key(ref: DocumentRef) -> str:
    return f"{ref.shop_order_id}/{ref.number}"


def _seller(ctx: JobContext) -> CompanyIdentity:
    company = ctx.erp.read_company()
    options = ctx.profile.invoices
    return replace(
        company,
        siret=company.siret or options.siret,
        vat_number=company.vat_number or options.vat_number,
    )


def _title(ref: DocumentRef) -> str:
    kind = "Avoir" if ref.type is DocumentType.CREDIT_NOTE else "Facture"
    day = f" du {ref.issued_on:%d/%m/%Y}" if ref.issued_on else ""
    return f"{kind} {ref.number}{day}"


async def send_invoices(ctx: JobContext) -> None:
    """Attach the issued documents of imported orders to their shop orders (see the module doc)."""
    journal = ctx.journal
    if not ctx.capabilities.attachments:
        platform = ctx.profile.shop.kind
        raise JobAborted(
            journal.t("platform.cannot", title=journal.title, platform=platform, capability="attachments")
        )
    options = ctx.profile.invoices
    imported = ctx.state.imported_orders(ctx.name)
    refs = ctx.erp.list_issued_documents(sorted(imported), options.types) if imported else []
    tasks = ctx.state.tasks.rows(ctx.name, JOB, [task_key(r) for r in refs])
    todo = [r for r in refs if (row := tasks.get(task_key(r))) is None or row.state != "done"]
    journal.info("invoice.read", documents=len(refs), todo=len(todo))
    journal.plan(len(todo))
    if not todo:
        return
    now = ctx.state.now()
    ready = []
    for ref in todo:
        row = tasks.get(task_key(ref))
        if row is not None and row.held(now):
            journal.held(f"#{ref.shop_order_id}", journal.t("invoice.held"))
        else:
            ready.append(ref)
    seller = _seller(ctx)
    mentions = Mentions(
        legal_form=options.legal_form,
        registry=options.registry,
        payment_terms=options.payment_terms,
        late_payment=options.late_payment,
        message=options.message,
    )
    attachments: list[tuple[OrderAttachment, DocumentRef]] = []
    for document, ref in zip(ctx.erp.read_issued_documents(ready), ready, strict=True):
        try:
            pdf = factur_x(document, seller, mentions)
        except InvoiceDataError as exc:
            _failed(ctx, ref, str(exc))
            continue
        attachment = OrderAttachment(
            shop_order_id=ref.shop_order_id,
            key=ref.number,
            file_name=file_name(document),
            content=pdf,
            media_type=MEDIA_TYPE,
            title=_title(ref),
            issued_on=document.date,
            total=document.gross,
            verify=task_key(ref) in tasks,
        )
        attachments.append((attachment, ref))
    if ctx.dry_run:
        for attachment, ref in attachments:
            journal.item(f"#{ref.shop_order_id}", Outcome.CREATED, _sent(ctx, attachment), would=True)
        return

    claimed: list[tuple[OrderAttachment, DocumentRef, TaskClaim]] = []
    for attachment, ref in attachments:
        claim = ctx.state.tasks.claim(ctx.name, JOB, task_key(ref), CLAIM_TTL)
        if claim is None:
            journal.held(f"#{ref.shop_order_id}", journal.t("invoice.held"))
            continue
        claimed.append((replace(attachment, verify=attachment.verify or claim.retaken), ref, claim))
    if not claimed:
        return
    crash_point("invoice-claim")
    results = {r.key: r for r in await ctx.shop.attach_documents([a for a, _, _ in claimed])}
    crash_point("invoice-sent")
    for attachment, ref, claim in claimed:
        result = results.get(attachment.key)
        if result is not None and result.ok:
            ctx.state.tasks.done(ctx.name, JOB, claim, result.shop_id or "")
            journal.item(f"#{ref.shop_order_id}", Outcome.CREATED, _sent(ctx, attachment))
        else:
            error = result.error.message if result is not None and result.error else "no answer from the shop"
            ctx.state.tasks.failed(ctx.name, JOB, claim, error)
            journal.item(f"#{ref.shop_order_id}", Outcome.FAILED, f"{ref.number}: {error}")


def _sent(ctx: JobContext, attachment: OrderAttachment) -> str:
    return ctx.journal.t(
        "invoice.sent",
        file=attachment.file_name,
        order=attachment.shop_order_id,
        total=format_money(attachment.total),
    )


def _failed(ctx: JobContext, ref: DocumentRef, message: str) -> None:
    """A document that cannot be drawn fails alone; the task ledger keeps why (tried again next run)."""
    item = f"#{ref.shop_order_id}"
    if ctx.dry_run:
        ctx.journal.item(item, Outcome.FAILED, message)
        return
    claim = ctx.state.tasks.claim(ctx.name, JOB, task_key(ref), CLAIM_TTL)
    if claim is not None:
        ctx.state.tasks.failed(ctx.name, JOB, claim, message)
    ctx.journal.item(item, Outcome.FAILED, message)
