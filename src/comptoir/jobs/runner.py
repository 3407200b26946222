"""Run a job for a profile: open the ERP, the shop and the state store, journal, record the run."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from importlib import import_module
from typing import Any

from comptoir.erp.base import Erp, ErpError
from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.exit_code import ExitCode as ExitCode
from comptoir.journal import Counts, FileSink, Journal, Sink, StoreSink
from comptoir.journal.messages import shop_failure
from comptoir.profile import Profile, SecretError, secret_resolver
from comptoir.registry import open_erp, open_shop
from comptoir.shop.base import Shop, ShopError
from comptoir.state import DEFAULT_TTL, BindingConflict, Clock, LockKeeper, StateStore, utcnow


class JobName(StrEnum):
    EXPORT_PRODUCTS = "export_products"
    UPDATE_PRICES = "update_prices"
    UPDATE_STOCK = "update_stock"
    ENABLE_PRODUCTS = "enable_products"
    EXPORT_CUSTOMERS = "export_customers"
    IMPORT_ORDERS = "import_orders"
    UPDATE_ORDER_STATUSES = "update_order_statuses"
    SEND_INVOICES = "send_invoices"
    IMPORT_REFUNDS = "import_refunds"
    RESET_ORDERS = "reset_orders"


OPERATOR_JOBS = frozenset({JobName.RESET_ORDERS})
"""Jobs an operator runs by hand (``comptoir orders reset``), never on a schedule."""

JOBS: dict[JobName, str] = {
    JobName.EXPORT_PRODUCTS: "comptoir.jobs.products:export_products",
    JobName.UPDATE_PRICES: "comptoir.jobs.prices:update_prices",
    JobName.UPDATE_STOCK: "comptoir.jobs.stock:update_stock",
    JobName.ENABLE_PRODUCTS: "comptoir.jobs.status:enable_products",
    JobName.EXPORT_CUSTOMERS: "comptoir.jobs.customers:export_customers",
    JobName.IMPORT_ORDERS: "comptoir.jobs.orders:import_orders",
    JobName.UPDATE_ORDER_STATUSES: "comptoir.jobs.order_statuses:update_order_statuses",
    JobName.SEND_INVOICES: "comptoir.jobs.invoices:send_invoices",
    JobName.IMPORT_REFUNDS: "comptoir.jobs.refunds:import_refunds",
    JobName.RESET_ORDERS: "comptoir.jobs.order_reset:reset_orders",
}
"""Job → ``module:function`` running it; a run imports only its own job (the invoices job alone
loads the PDF libraries, the order import alone the order mapping)."""


def job_function(job: JobName) -> Callable[..., Awaitable[None]]:
    """The coroutine function running ``job``, imported on first use."""
    module, name = JOBS[job].split(":")
    function: Callable[..., Awaitable[None]] = getattr(import_module(module), name)
    return function


class RunStatus(StrEnum):
    OK = "ok"
    ITEMS_FAILED = "items_failed"
    ABORTED = "aborted"
    HELD = "held"
    """Nothing failed, but some items were skipped because another run holds them."""
    BUSY = "busy"
    """Nothing ran: another run of the same profile and job holds its run lock."""


_EXIT_CODES = {
    RunStatus.OK: ExitCode.OK,
    RunStatus.ITEMS_FAILED: ExitCode.ITEMS_FAILED,
    RunStatus.ABORTED: ExitCode.ITEMS_FAILED,
    RunStatus.HELD: ExitCode.HELD,
    RunStatus.BUSY: ExitCode.HELD,
}


@dataclass(frozen=True, slots=True)
class JobResult:
    job: JobName
    status: RunStatus
    counts: Counts
    summary: str
    run_id: int | None = None
    error: str | None = None
    failure: str | None = None
    """What stopped the run: ``shop``, ``erp`` (cannot be used) or ``job`` (anything else)."""

    @property
    def exit_code(self) -> int:
        return int(_EXIT_CODES[self.status])


@dataclass
class Connections:
    """The ERP, the shop and the state store of one profile, opened together."""

    erp: Erp
    shop: Shop
    state: StateStore


@asynccontextmanager
async def connect(profile: Profile, *, clock: Clock = utcnow) -> AsyncIterator[Connections]:
    """Open the profile's ERP (first: a wrong database leaves nothing behind), state store and shop.

    ``clock`` is the state store's (claims expire by it); tests move it instead of waiting.
    """
    secrets = secret_resolver(profile)
    erp = open_erp(profile.erp, secrets)
    try:
        state = StateStore.open(profile.state_url(), clock=clock)
        try:
            shop = open_shop(profile.shop, secrets)
            try:
                yield Connections(erp, shop, state)
            finally:
                await shop.aclose()
        finally:
            state.close()
    finally:
        erp.close()


def journal_failed_start(profile: Profile, job: JobName, error: str) -> None:
    """Say in the profile's log file that a run could not start, so a scheduled run leaves a trace."""
    try:
        sink = FileSink(profile.log_path())
    except OSError:
        return
    journal = Journal(job.value, profile.language, [sink])
    journal.abort(error)
    journal.close()


async def run_job(
    profile: Profile,
    job: JobName,
    connections: Connections,
    *,
    dry_run: bool = False,
    sinks: Sequence[Sink] = (),
    lock_ttl: timedelta = DEFAULT_TTL,
    **options: Any,
) -> JobResult:
    """Run one job, journaling to ``sinks`` plus (unless dry run) the log file and run history.

    A real run first takes the run lock of the profile's job in the state store: when another run
    (in any process or machine sharing the state database) holds it, nothing runs and the result
    is ``BUSY``. A dry run writes nothing and takes no lock.
    """
    state = connections.state
    started = state.now()
    if dry_run:
        return await _run(profile, job, connections, dry_run=True, sinks=sinks, options=options)
    lock = state.locks.acquire(profile.name, job.value, lock_ttl)
    if lock is None:
        return _busy(profile, job, state, sinks, started)
    with LockKeeper(state.locks, lock, lock_ttl) as keeper:
        run_id = state.start_run(profile.name, job.value, dry_run=False, started_at=started)
        all_sinks = [*sinks, FileSink(profile.log_path()), StoreSink(state, run_id)]
        result = await _run(profile, job, connections, dry_run=False, sinks=all_sinks, options=options)
        state.finish_run(run_id, result.status.value, result.counts.as_dict(), state.now())
    result = dataclasses.replace(result, run_id=run_id)
    if keeper.lost:
        _journal_lost_lock(profile, job, state, run_id, sinks)
    _alert(profile, result, state, sinks)
    return result


async def _run(
    profile: Profile,
    job: JobName,
    connections: Connections,
    *,
    dry_run: bool,
    sinks: Sequence[Sink],
    options: dict[str, Any],
) -> JobResult:
    journal = Journal(job.value, profile.language, sinks)
    ctx = JobContext(profile, connections.erp, connections.shop, connections.state, journal, dry_run)
    error: str | None = None
    failure: str | None = None
    journal.start(dry_run=dry_run)
    try:
        await job_function(job)(ctx, **options)
    except (JobAborted, ShopError, ErpError, SecretError, BindingConflict) as exc:
        error = _why(journal, exc)
        failure = "shop" if isinstance(exc, ShopError) else "erp" if isinstance(exc, ErpError) else "job"
        journal.abort(error)
    summary = journal.finish()
    counts = journal.counts
    if error is not None:
        status = RunStatus.ABORTED
    elif counts.failed:
        status = RunStatus.ITEMS_FAILED
    elif counts.held:
        status = RunStatus.HELD
    else:
        status = RunStatus.OK
    journal.close()
    return JobResult(job, status, counts, summary, None, error, failure)


def _why(journal: Journal, exc: Exception) -> str:
    """What stopped a run, in the journal's language: which side failed, then the adapter's words."""
    if isinstance(exc, ShopError):
        return shop_failure(exc.code, journal.say(exc), journal.language)
    if isinstance(exc, ErpError):
        return journal.t("erp.error", detail=journal.say(exc))
    return journal.say(exc)


def _busy(
    profile: Profile, job: JobName, state: StateStore, sinks: Sequence[Sink], started: datetime
) -> JobResult:
    """Another run holds the job: say who, since when, until when; record it in the history."""
    holder = state.locks.holders(profile.name).get(job.value)
    run_id = state.start_run(profile.name, job.value, dry_run=False, started_at=started)
    journal = Journal(
        job.value, profile.language, [*sinks, FileSink(profile.log_path()), StoreSink(state, run_id)]
    )
    values: dict[str, Any] = {"title": journal.title}
    if holder is None:  # released between our attempt and this look: the next run goes ahead
        key = "run.busy_gone"
    else:
        key = "run.busy"
        values |= {
            "holder": holder.holder,
            "since": f"{holder.acquired_at.astimezone():%Y-%m-%d %H:%M:%S}",
            "until": f"{holder.expires_at.astimezone():%Y-%m-%d %H:%M:%S}",
        }
    journal.warning(key, **values)
    text = journal.t(key, **values)
    journal.close()
    state.finish_run(run_id, RunStatus.BUSY.value, Counts().as_dict(), state.now())
    return JobResult(job, RunStatus.BUSY, Counts(), text, run_id, None)


def _alert(profile: Profile, result: JobResult, state: StateStore, sinks: Sequence[Sink]) -> None:
    """Mail what the run calls for; a mail that cannot be sent is journaled, never fatal."""
    if profile.alerts is None or result.run_id is None:
        return
    # Imported only for a profile with alerts: the mailer brings smtplib and the e-mail package.
    from comptoir.alerts.notify import after_run as alerts_after_run
    from comptoir.alerts.rules import RunReport

    report = RunReport(
        result.job.value,
        result.run_id,
        result.status is RunStatus.ABORTED,
        result.error,
        result.failure,
        result.summary,
        state.now(),
    )
    problems = alerts_after_run(profile, report, state, state.journal(result.run_id))
    if problems:
        journal = Journal(
            result.job.value,
            profile.language,
            [*sinks, FileSink(profile.log_path()), StoreSink(state, result.run_id)],
        )
        for problem in problems:
            journal.warning("mail.not_sent", error=problem)
        journal.close()


def _journal_lost_lock(
    profile: Profile, job: JobName, state: StateStore, run_id: int, sinks: Sequence[Sink]
) -> None:
    journal = Journal(
        job.value, profile.language, [*sinks, FileSink(profile.log_path()), StoreSink(state, run_id)]
    )
    journal.warning("run.lock_lost", title=journal.title)
    journal.close()
