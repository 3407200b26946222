"""Reset orders: the ledger forgets them, so a later run imports them again (the operator's
``comptoir orders reset ID…``; ``ALL`` forgets every order of the profile). Recorded in the run
history like any job. The ERP is not touched: an order whose document still exists there is
found by its shop order id and never written twice."""

from __future__ import annotations

from collections.abc import Sequence

from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome


async def reset_orders(ctx: JobContext, *, ids: Sequence[str]) -> None:
    """Forget ``ids`` (or every order with ``ALL``) in the order ledger."""
    everything = any(i.strip().upper() == "ALL" for i in ids)
    wanted = [] if everything else list(dict.fromkeys(i.strip() for i in ids if i.strip()))
    known = ctx.state.ledger(ctx.name, None if everything else wanted)
    shown = sorted(known) if everything else wanted
    ctx.journal.plan(len(shown))
    for shop_id in shown:
        row = known.get(shop_id)
        detail = f"{row.state} ({row.erp_document or '-'})" if row is not None else "-"
        ctx.journal.item(
            f"#{shop_id}", Outcome.UPDATED if row else Outcome.SKIPPED, detail, would=ctx.dry_run
        )
    if ctx.dry_run:
        return
    count = ctx.state.reset_orders(ctx.name, None if everything else wanted)
    ctx.journal.info("orders.reset", count=count, orders=", ".join(shown) or "-")
