"""Incremental reads of the ERP for export products: only the articles modified since the last
run, in the ERP's own clock, with an overlap (``state/window.py``), then fingerprints.

With ``products.incremental``, a run reads the articles whose modification date (Sage:
``AR_DateModif``) is after the stored cursor minus ``OVERLAP``; a first run, or ``--full``, reads
them all. Fingerprints then decide what is sent, as always. A changed article of a group (variations
by master reference) brings its whole group along — the other members are the ones bound under the
same variable product — so a group is always checked complete. The cursor moves to the newest
modification date read, never past an article that failed (it is read again next time).

What an article's modification date does not see is not read by an incremental run: stock (the
update stock job sends it), prices kept outside the article (range cells, packaging units: update
prices sends them), categories renamed in the ERP. ``--full`` reads everything.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from comptoir.jobs.context import JobContext
from comptoir.model import Article
from comptoir.state import Window

JOB = "export_products"
OVERLAP = timedelta(minutes=10)
"""Read again what changed this long before the cursor: ERP writes committed late, clock steps."""


def read_window(ctx: JobContext, *, full: bool) -> tuple[list[Article], Window | None]:
    """The articles this run reads, and its window (``None`` when the profile reads everything)."""
    if not ctx.profile.products.incremental:
        return ctx.erp.read_articles(), None
    window = ctx.state.window(ctx.name, JOB, OVERLAP, full=full)
    if window.start is None:
        return ctx.erp.read_articles(), window
    changed = ctx.erp.read_articles(modified_since=window.start)
    ctx.journal.info("incremental.read", count=len(changed), since=window.start.isoformat(timespec="seconds"))
    return with_groups(ctx, changed), window


def with_groups(ctx: JobContext, changed: Sequence[Article]) -> list[Article]:
    """``changed`` and every other article of the groups they belong to: a group is checked and
    sent whole (its combinations, the variable product's attributes), so a changed member brings
    all of its group's articles, bound or not (dormant and unpublished members included: the
    group's rules decide what they become). The groups are read by their master reference, not
    with the rest of the catalog."""
    master_field = ctx.profile.products.master_field
    if not master_field:
        return list(changed)
    masters = {m for a in changed if (m := a.custom_fields.get(master_field, "").strip())}
    if not masters:
        return list(changed)
    # The groups come whole from one read, changed members included, in the ERP's order: a
    # group's attribute values then come out as a full run makes them, and an unchanged group
    # is found unchanged (changed members put first reordered them, and the group was sent again).
    grouped = ctx.erp.read_group_articles(master_field, masters)
    inside = {a.reference for a in grouped}
    return [*(a for a in changed if a.reference not in inside), *grouped]


def close_window(
    ctx: JobContext, window: Window | None, articles: Sequence[Article], failed: Collection[str]
) -> None:
    """Move the cursor past what was read, never past an article that failed."""
    if window is None or ctx.dry_run:
        return
    for article in articles:
        if article.modified_at is not None:
            window.note(article.modified_at, finished=article.reference not in failed)
    ctx.state.save_window(ctx.name, JOB, window)
