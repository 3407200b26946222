"""Update order statuses: where each imported order's ERP document stands, told to the shop.

For every order the ledger holds as imported, the ERP says where its document now stands
(``Erp.read_document_progress``: a quote turned into an order, a delivery note, an invoice —
found through the shop order id it carries even after Sage gave it a new number and type). A
stage not told yet becomes one shop update: the status ``statuses.map`` gives it (the most
precise of ``type:status`` and ``type``), the ERP document number, and an order note. Only
documents that moved since the last run are sent.

Exactly once: each stage is a task of the task ledger (key ``<order>@<number>/<type>/<status>``),
claimed before the shop is called and recorded done after. A run killed in between leaves the
claim; once it expires the next run sends the update again with ``verify``, and the adapter finds
the note the killed run already left instead of adding a second one.

The job also names the orders modified in the shop after their import (lines, total,
addresses), once per change: comptoir never rewrites an ERP document, a person does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta

from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.crash import crash_point
from comptoir.jobs.order_changes import changes, digest
from comptoir.journal import Outcome
from comptoir.model import DocumentProgress, OrderUpdate
from comptoir.state import LedgerRow, TaskClaim, Window

JOB = "update_order_statuses"
CHANGES = "order_changes"
CLAIM_TTL = timedelta(minutes=10)
OVERLAP = timedelta(minutes=10)


def stage_key(progress: DocumentProgress) -> str:
    """The task key of one stage of one order's document."""
    return f"{progress.shop_order_id}@{progress.number}/{progress.type.value}/{progress.status}"


def render_note(template: str, progress: DocumentProgress, type_words: str, status: str | None) -> str:
    values = {
        "%DN": progress.number,
        "%DT": type_words,
        "%ST": status or "",
        "%OI": progress.shop_order_id,
    }
    text = template
    for key, value in values.items():
        text = text.replace(key, value)
    return " ".join(text.split())


async def update_order_statuses(ctx: JobContext) -> None:
    """Tell the shop where the ERP documents of imported orders stand (see the module doc)."""
    journal = ctx.journal
    capabilities = ctx.capabilities
    if not capabilities.status_update and not capabilities.order_notes:
        raise JobAborted(
            journal.t(
                "platform.cannot",
                title=journal.title,
                platform=ctx.profile.shop.kind,
                capability="status_update",
            )
        )
    imported = ctx.state.imported_orders(ctx.name)
    progress = ctx.erp.read_document_progress(sorted(imported)) if imported else []
    tasks = ctx.state.tasks.rows(ctx.name, JOB, [stage_key(p) for p in progress])
    moved = [p for p in progress if (row := tasks.get(stage_key(p))) is None or row.state != "done"]
    journal.info("status.read", orders=len(imported), moved=len(moved))
    await _report_changes(ctx, imported)
    journal.plan(len(moved))

    options = ctx.profile.statuses
    updates: list[tuple[OrderUpdate, DocumentProgress]] = []
    for stage in moved:
        key = stage_key(stage)
        row = tasks.get(key)
        if row is not None and row.held(ctx.state.now()):
            journal.held(f"#{stage.shop_order_id}", journal.t("status.held"))
            continue
        status = options.status_for(stage.type, stage.status) if capabilities.status_update else None
        words = journal.t(f"doctype.{stage.type.value}")
        update = OrderUpdate(
            shop_order_id=stage.shop_order_id,
            key=key,
            status=status,
            document_number=stage.number if options.write_document_number else "",
            note=render_note(options.note, stage, words, status) if capabilities.order_notes else "",
            verify=row is not None,
        )
        updates.append((update, stage))
    if ctx.dry_run:
        for update, stage in updates:
            journal.item(f"#{stage.shop_order_id}", Outcome.UPDATED, _detail(ctx, update, stage), would=True)
        return

    claimed: list[tuple[OrderUpdate, DocumentProgress, TaskClaim]] = []
    for update, stage in updates:
        claim = ctx.state.tasks.claim(ctx.name, JOB, update.key, CLAIM_TTL)
        if claim is None:
            journal.held(f"#{stage.shop_order_id}", journal.t("status.held"))
            continue
        if claim.retaken and not update.verify:
            update = replace(update, verify=True)
        claimed.append((update, stage, claim))
    if not claimed:
        return
    crash_point("status-claim")
    results = {r.key: r for r in await ctx.shop.update_orders([u for u, _, _ in claimed])}
    crash_point("status-sent")
    for update, stage, claim in claimed:
        result = results.get(update.key)
        item = f"#{stage.shop_order_id}"
        if result is not None and result.ok:
            ctx.state.tasks.done(ctx.name, JOB, claim, update.status or "")
            journal.item(item, Outcome.UPDATED, _detail(ctx, update, stage))
        else:
            error = result.error.message if result is not None and result.error else "no answer from the shop"
            ctx.state.tasks.failed(ctx.name, JOB, claim, error)
            journal.item(item, Outcome.FAILED, error)


def _detail(ctx: JobContext, update: OrderUpdate, stage: DocumentProgress) -> str:
    words = ctx.journal.t(f"doctype.{stage.type.value}")
    if update.status is None:
        return ctx.journal.t("status.note_only", document=stage.number, type=words)
    return ctx.journal.t("status.update", document=stage.number, type=words, status=update.status)


async def _report_changes(ctx: JobContext, imported: Mapping[str, LedgerRow]) -> None:
    """Name the imported orders modified in the shop since their import, each change once."""
    window = ctx.state.window(ctx.name, CHANGES, OVERLAP)
    if window.cursor is None:
        # First run: start watching from now on rather than reading every order ever placed.
        if not ctx.dry_run:
            ctx.state.set_job_mark(ctx.name, CHANGES, ctx.state.now())
        return
    orders = Window.unique(
        await ctx.shop.list_orders([], modified_after=window.start), key=lambda o: o.shop_id
    )
    found: dict[str, tuple[str, str]] = {}
    for order in orders:
        window.note(order.modified_at or order.created_at, finished=True)
        row = imported.get(order.shop_id)
        if row is None or not row.fingerprint:
            continue
        differences = changes(row.fingerprint, order)
        if differences:
            text = "; ".join(ctx.journal.t(c.message, **c.values) for c in differences)
            found[f"{order.shop_id}#{digest(differences)}"] = (order.shop_id, text)
    reported = ctx.state.tasks.rows(ctx.name, CHANGES, list(found))
    for key, (shop_id, text) in sorted(found.items()):
        if key in reported:
            continue
        row = imported[shop_id]
        ctx.journal.warning("order.changed", document=row.erp_document or "?", changes=text, order=shop_id)
        if not ctx.dry_run:
            claim = ctx.state.tasks.claim(ctx.name, CHANGES, key, CLAIM_TTL)
            if claim is not None:
                ctx.state.tasks.done(ctx.name, CHANGES, claim, text)
    if not ctx.dry_run:
        ctx.state.save_window(ctx.name, CHANGES, window)
