"""Incremental reads of the ERP for update stock: only what changed since the last run.

With ``stock.incremental``, a run reads the articles whose stock rows changed (Sage:
``cbModification`` of ``F_ARTSTOCK`` and ``F_GAMSTOCK``) or whose article record changed (put to
sleep, no longer published, stock no longer tracked: ``AR_DateModif``) after the stored cursor
minus ``OVERLAP``, in the ERP's own clock (``state/window.py``), then only those articles' stock
rows, every warehouse of them. A run after a 1 % change reads about 1 % of the rows.

A **full read** (every article, every stock row) happens on the first run, with ``--full``, and
once ``stock.full_every`` hours have passed since the last complete full read: it catches what
modification dates miss (a row written without its date). Fingerprints decide what is sent in
both cases, so a full read sends only what really changed.

The cursor moves to the newest change read, never past an article whose stock failed to be sent
(it is read again next time). A full read in which an item failed leaves the cursor where it was
and does not count as the periodic full read: the next run reads everything again.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from comptoir.jobs.catalog import PRODUCT
from comptoir.jobs.context import JobContext
from comptoir.model import Article
from comptoir.state import Window

JOB = "update_stock"
FULL_JOB = "update_stock.full"
"""The job mark holding when the last complete full read ran (the connector's clock)."""
OVERLAP = timedelta(minutes=10)
"""Read again what changed this long before the cursor: ERP writes committed late, clock steps."""


@dataclass
class StockRead:
    """What one run of update stock reads."""

    articles: list[Article]
    stock_of: set[str] | None
    """The article references whose stock rows to read; ``None``: every row (a full read)."""
    window: Window | None
    """``None`` when the profile reads everything every time."""
    changed_at: Mapping[str, datetime]
    """Article reference → the newest change read for it (stock row or article record)."""

    @property
    def full(self) -> bool:
        return self.stock_of is None


def read_stock_window(ctx: JobContext, *, full: bool) -> StockRead:
    """The articles (and stock rows) this run reads."""
    if not ctx.profile.stock.incremental:
        return StockRead(ctx.erp.read_articles(), None, None, {})
    full = full or _full_read_due(ctx)
    window = ctx.state.window(ctx.name, JOB, OVERLAP, full=full)
    start = window.start
    if start is None:
        changes = ctx.erp.read_stock_changes(None)
        articles = ctx.erp.read_articles()
        if changes.newest is not None:
            window.note(changes.newest, finished=True)
        return StockRead(articles, None, window, _article_dates(articles))
    changes = ctx.erp.read_stock_changes(start)
    modified = ctx.erp.read_articles(modified_since=start)
    changed_at = _article_dates(modified)
    for ref, moment in (changes.articles or {}).items():
        if ref not in changed_at or moment > changed_at[ref]:
            changed_at[ref] = moment
    have = {a.reference for a in modified}
    missing = sorted(set(changes.articles or {}) - have)
    found = ctx.erp.find_articles(missing) if missing else {}
    articles = [*modified, *(found[ref] for ref in missing if ref in found)]
    ctx.journal.info(
        "incremental.read_stock",
        count=len(articles),
        since=start.isoformat(timespec="seconds"),
    )
    return StockRead(articles, {a.reference for a in articles}, window, changed_at)


def _article_dates(articles: Collection[Article]) -> dict[str, datetime]:
    return {a.reference: a.modified_at for a in articles if a.modified_at is not None}


def _full_read_due(ctx: JobContext) -> bool:
    last = ctx.state.job_mark(ctx.name, FULL_JOB)
    return last is None or ctx.state.now() - last >= timedelta(hours=ctx.profile.stock.full_every)


def variable_products(ctx: JobContext, references: Collection[str]) -> set[str]:
    """Those of ``references`` bound to a shop product that has variations bound under it: a
    variable product, whose stock is its variations' (an incremental read may hold a group's
    carrier without any of its members, so the group cannot be recognised from the articles
    read)."""
    return ctx.state.bound_parents(ctx.name, PRODUCT, references)


def close_stock_window(ctx: JobContext, read: StockRead, failed: Collection[str]) -> None:
    """Move the cursor past what was read, never past an article that failed; remember a complete
    full read."""
    window = read.window
    if window is None or ctx.dry_run:
        return
    if read.full:
        if failed:
            return
        for moment in read.changed_at.values():
            window.note(moment, finished=True)
        ctx.state.save_window(ctx.name, JOB, window)
        ctx.state.set_job_mark(ctx.name, FULL_JOB, ctx.state.now())
        return
    for ref, moment in read.changed_at.items():
        window.note(moment, finished=ref not in failed)
    ctx.state.save_window(ctx.name, JOB, window)
