"""Incremental update stock on the Sage replica and the sandbox shop: after a few stock rows
changed, the run reads the changes, then only those articles' stock rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from job_harness import Harness
from sqlalchemy import create_engine, event, update

from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.schema import F_ARTICLE, F_ARTSTOCK, F_GAMSTOCK
from comptoir.jobs.runner import JobName, RunStatus, connect, run_job
from comptoir.journal import MemorySink

LONG_AGO = datetime(2026, 1, 5, 9, 30)
LATER = datetime(2026, 1, 6, 9, 30)


def age_company(url: str, newest: str) -> None:
    """Every article and stock row last written long ago (as in a company used for a while), the
    stock of ``newest`` a day later."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(update(F_ARTSTOCK).values(cbModification=LONG_AGO))
        conn.execute(update(F_ARTSTOCK).where(F_ARTSTOCK.c.AR_Ref == newest).values(cbModification=LATER))
        conn.execute(update(F_GAMSTOCK).values(cbModification=LONG_AGO))
        conn.execute(update(F_ARTICLE).values(AR_DateModif=LONG_AGO, cbModification=LONG_AGO))
    engine.dispose()


def change_stock(url: str, references: list[str]) -> None:
    """What Sage does when stock moves: the quantity and the row's ``cbModification``."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            update(F_ARTSTOCK)
            .where(F_ARTSTOCK.c.AR_Ref.in_(references), F_ARTSTOCK.c.DE_No == 1)
            .values(AS_QteSto=F_ARTSTOCK.c.AS_QteSto + 500, cbModification=SageClock().now())
        )
    engine.dispose()


async def test_a_few_changed_rows_are_all_the_run_reads(harness: Harness) -> None:
    erp = Sage100Erp(harness.company_url)
    try:
        levels = erp.read_stock(["1"])
        articles = {a.reference: a for a in erp.read_articles()}
    finally:
        erp.close()
    candidates = sorted(
        {
            level.reference
            for level in levels
            if level.reference in articles
            and articles[level.reference].published
            and not articles[level.reference].dormant
            and articles[level.reference].stock_managed
            and not articles[level.reference].ranges
            and not articles[level.reference].packagings
        }
    )
    changed, newest = candidates[:3], candidates[3]
    age_company(harness.company_url, newest)
    harness.write_profile(stock={"incremental": True})
    exported, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert exported.status is RunStatus.OK, lines
    first, lines = await harness.run(JobName.UPDATE_STOCK)
    assert first.status is RunStatus.OK and first.counts.updated == 0, lines
    change_stock(harness.company_url, changed)

    statements: list[tuple[str, Any]] = []
    sink = MemorySink()
    async with connect(harness.profile) as connections:
        assert isinstance(connections.erp, Sage100Erp)

        def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            statements.append((statement, parameters))

        event.listen(connections.erp.engine, "before_cursor_execute", seen)
        result = await run_job(harness.profile, JobName.UPDATE_STOCK, connections, sinks=[sink])
    assert result.status is RunStatus.OK, sink.texts()
    assert result.counts.updated == 3, sink.texts()
    # the three changed, and the newest of the last run again (the overlap)
    assert any("lecture incrémentale du stock : 4 article(s)" in line for line in sink.texts()), sink.texts()

    stock_reads = [
        (sql, params)
        for sql, params in statements
        if ('FROM "F_ARTSTOCK"' in sql or 'FROM "F_GAMSTOCK"' in sql) and "max(" not in sql.lower()
    ]
    assert stock_reads, "the changed articles' rows are read"
    assert all(" IN (" in sql for sql, _ in stock_reads), "no stock read over the whole table"
    asked = {p for _, params in stock_reads for p in params if isinstance(p, str) and p}
    assert asked == {*changed, newest}
    for reference in changed:
        [product] = harness.client.get("products", sku=reference)
        assert product["stock_quantity"] >= 500
