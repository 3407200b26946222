"""The reference company for the benchmark, on the Sage 100 replica (SQLite).

``build``: the reference company (SPEC §11) at a scale (1 = 15,000 articles, 3,000 customers).
``age``: every article and stock row last written at a different moment of the past week, as in
a company in use, so that the modification dates an incremental run reads from mean something.
``move_stock``: a share of the stock rows changed as Sage changes them (the quantity and the
row's ``cbModification``, set by Sage's triggers).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, case, create_engine, func, select, update

from comptoir.demo.company import CompanyFacts, ReferenceSize, build_company
from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.schema import F_ARTICLE, F_ARTSTOCK, F_GAMSTOCK

SPREAD_MINUTES = 7 * 24 * 60
"""Past modification dates are spread over a week, a minute apart."""


def build(path: Path, scale: float) -> CompanyFacts:
    """The reference company at ``scale`` in the SQLite file ``path`` (which must not exist)."""
    base = ReferenceSize()
    size = replace(
        base,
        articles=max(int(base.articles * scale), 200),
        customers=max(int(base.customers * scale), 40),
        range_articles=max(int(base.range_articles * scale), 2),
        central_members=max(int(base.central_members * scale), 4),
    )
    return build_company(f"sqlite:///{path.as_posix()}", scale="reference", size=size)


def age(url: str) -> None:
    """Every article and stock row last written during the past week, none in the last hour."""
    clock = SageClock()
    newest = clock.now() - timedelta(hours=1)
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, column in (
            (F_ARTSTOCK, F_ARTSTOCK.c.cbModification),
            (F_GAMSTOCK, F_GAMSTOCK.c.cbModification),
            (F_ARTICLE, F_ARTICLE.c.AR_DateModif),
        ):
            rows = conn.execute(select(table.c.cbMarq)).scalars().all()
            moments = [
                {"b_marq": marq, "b_when": newest - timedelta(minutes=marq * 7919 % SPREAD_MINUTES)}
                for marq in rows
            ]
            if moments:
                values: dict[str, Any] = {
                    column.key: bindparam("b_when"),
                    "cbModification": bindparam("b_when"),
                }
                conn.execute(
                    update(table).where(table.c.cbMarq == bindparam("b_marq")).values(values), moments
                )
    engine.dispose()


def move_stock(url: str, share: float) -> tuple[int, int]:
    """Change ``share`` of the stock rows (spread over the catalog) as Sage would; (changed, total)."""
    engine = create_engine(url)
    step = max(round(1 / share), 1)
    with engine.begin() as conn:
        total = int(conn.execute(select(func.count()).select_from(F_ARTSTOCK)).scalar_one())
        changed = conn.execute(
            update(F_ARTSTOCK)
            .where(F_ARTSTOCK.c.cbMarq % step == 0)
            .values(
                AS_QteSto=F_ARTSTOCK.c.AS_QteSto + case((F_ARTSTOCK.c.cbMarq % 2 == 0, 7), else_=-3),
                cbModification=SageClock().now(),
            )
        ).rowcount
    engine.dispose()
    return int(changed), total
