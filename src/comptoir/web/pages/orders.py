"""The order ledger (retry, reset) and the reconciliation of a period (shop orders vs ERP documents)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from comptoir.erp.base import ErpError
from comptoir.model import DocumentRef, Order
from comptoir.profile import Profile, SecretError, secret_resolver
from comptoir.registry import open_erp, open_shop
from comptoir.shop.base import ShopError
from comptoir.state import LedgerRow
from comptoir.web.common import audit, language, live_runs, loaded, render, state_of
from comptoir.web.security import checked_form
from comptoir.web.texts import text

STATES = ("failed", "claimed", "written", "done")
SHOWN = 500
CENT = Decimal("0.01")


async def ledger_page(request: Request) -> Response:
    _item, profile = loaded(request)
    state = request.query_params.get("state") or ""
    with state_of(profile) as store:
        rows = list(store.ledger(profile.name).values())
    counts = {s: sum(r.state == s for r in rows) for s in STATES}
    if state in STATES:
        rows = [r for r in rows if r.state == state]
    rows.sort(key=lambda r: r.updated_at, reverse=True)
    return render(
        request,
        "orders.html",
        profile=profile,
        rows=rows[:SHOWN],
        total=len(rows),
        counts=counts,
        state=state,
        message=request.query_params.get("message"),
    )


async def reset(request: Request) -> Response:
    await checked_form(request)
    _item, profile = loaded(request)
    order = str(request.path_params["order"])
    with state_of(profile) as store:
        if store.reset_orders(profile.name, [order]) != 1:
            raise HTTPException(404, "no such order in the ledger")
    audit(request, profile, "reset order", order)
    message = text(language(request), "orders.reset_done", order=order)
    return RedirectResponse(f"/p/{profile.name}/orders?message={_q(message)}", status_code=303)


async def retry(request: Request) -> Response:
    await checked_form(request)
    item, profile = loaded(request)
    order = str(request.path_params["order"])
    run = live_runs(request).start(
        item.path,
        profile.name,
        "import_orders",
        dry_run=False,
        user=str(request.session["user"]),
        extra=("--retry-failed",),
    )
    audit(request, profile, "retry failed orders", f"from order {order}")
    return RedirectResponse(f"/p/{profile.name}/live/{run.id}", status_code=303)


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@dataclass(frozen=True)
class Row:
    order: Order
    document: DocumentRef | None
    ledger: LedgerRow | None

    @property
    def erp_total(self) -> Decimal | None:
        return None if self.document is None else self.document.total_gross

    @property
    def difference(self) -> Decimal | None:
        total = self.erp_total
        return None if total is None else total - self.order.total

    @property
    def verdict(self) -> str:
        if self.document is None:
            return "missing"
        difference = self.difference
        return "differs" if difference is not None and abs(difference) >= CENT else "ok"


async def reconcile(profile: Profile, since: date, until: date) -> list[Row]:
    """Orders of the period in the imported statuses, their ERP documents and ledger rows."""
    start = datetime.combine(since, time.min).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time.min).astimezone(UTC)
    secrets = secret_resolver(profile)
    shop = open_shop(profile.shop, secrets)
    try:
        orders = await shop.list_orders(list(profile.orders.statuses), modified_after=start)
    finally:
        await shop.aclose()
    orders = sorted((o for o in orders if start <= o.created_at < end), key=lambda o: o.created_at)
    ids = [o.shop_id for o in orders]

    def documents() -> dict[str, DocumentRef]:
        erp = open_erp(profile.erp, secrets)
        try:
            return erp.find_documents(ids)
        finally:
            erp.close()

    found = await asyncio.to_thread(documents) if ids else {}
    with state_of(profile) as store:
        ledger = store.ledger(profile.name, ids)
    return [Row(o, found.get(o.shop_id), ledger.get(o.shop_id)) for o in orders]


def _day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


async def reconcile_page(request: Request) -> Response:
    _item, profile = loaded(request)
    today = datetime.now().astimezone().date()
    since = _day(request.query_params.get("since"), today - timedelta(days=7))
    until = _day(request.query_params.get("until"), today)
    rows: list[Row] = []
    error = None
    try:
        rows = await reconcile(profile, since, until)
    except (ShopError, ErpError, SecretError) as exc:
        error = str(exc)
    shop_sum = sum((r.order.total for r in rows), Decimal(0))
    erp_sum = sum((r.erp_total or Decimal(0) for r in rows), Decimal(0))
    return render(
        request,
        "reconcile.html",
        profile=profile,
        rows=rows,
        since=since,
        until=until,
        error=error,
        shop_sum=shop_sum,
        erp_sum=erp_sum,
        missing=sum(r.verdict == "missing" for r in rows),
        differ=sum(r.verdict == "differs" for r in rows),
    )


ROUTES = [
    Route("/p/{name}/orders", ledger_page, methods=["GET"]),
    Route("/p/{name}/orders/{order}/reset", reset, methods=["POST"]),
    Route("/p/{name}/orders/{order}/retry", retry, methods=["POST"]),
    Route("/p/{name}/reconcile", reconcile_page, methods=["GET"]),
]
