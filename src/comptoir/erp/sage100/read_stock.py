"""Stock per article and warehouse, and per range cell and warehouse, in two queries.

``F_ARTSTOCK`` gives one level per (article, warehouse): ``AS_QteSto`` real, ``AS_QteRes``
reserved by customer orders, ``AS_QtePrepa`` held by delivery preparations,
``AS_QteAControler`` received but awaiting quality control, ``AS_QteCom`` ordered from
suppliers. The model derives "available" (real less reserved, in preparation and to be
checked) and "forward" (available plus ordered) from these, as Sage's stock windows do
(docs/erp/sage100.md). Range articles also have ``F_GAMSTOCK`` rows per cell; those come out
under the cell's own reference (``F_ARTENUMREF.AE_Ref``), next to the article's total.

Levels are streamed (``stream_stock``): rows are fetched a batch at a time and turned into
levels one by one, so a caller that sums them never holds the whole table; each distinct quantity
is converted to ``Decimal`` once (``PlainAmounts``). A read can be
limited to some articles (their cells included), in ``IN`` lists of ``CHUNK`` references.

What changed since a date (``read_stock_changes``) comes from the ``cbModification`` column
Sage's triggers set on every write of a stock row (comptoir's own writes set it too): one
grouped query per table, in the company's local time, floored to the minute (the column is a
``smalldatetime``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.types import NullType

from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.read_articles import chunks
from comptoir.erp.sage100.schema import F_ARTENUMREF, F_ARTSTOCK, F_GAMSTOCK
from comptoir.erp.sage100.types import PlainAmounts, slot
from comptoir.model import StockChanges, StockLevel

BATCH = 5000
"""Rows fetched at a time while streaming."""


def _raw(column: Any) -> Any:
    """The column as the driver gives it (no per-value conversion: ``PlainAmounts`` does it)."""
    return type_coerce(column, NullType())


def _queries(warehouses: Collection[str] | None) -> tuple[Select[Any], Select[Any]]:
    stock = F_ARTSTOCK
    query = select(
        stock.c.AR_Ref,
        stock.c.DE_No,
        _raw(stock.c.AS_QteSto),
        _raw(stock.c.AS_QteRes),
        _raw(stock.c.AS_QteCom),
        _raw(stock.c.AS_QtePrepa),
        _raw(stock.c.AS_QteAControler),
    ).order_by(stock.c.AR_Ref, stock.c.DE_No)
    cells = F_GAMSTOCK
    cell_query = (
        select(
            F_ARTENUMREF.c.AE_Ref,
            cells.c.DE_No,
            _raw(cells.c.GS_QteSto),
            _raw(cells.c.GS_QteRes),
            _raw(cells.c.GS_QteCom),
            _raw(cells.c.GS_QtePrepa),
            _raw(cells.c.GS_QteAControler),
        )
        .select_from(
            cells.join(
                F_ARTENUMREF,
                and_(
                    F_ARTENUMREF.c.AR_Ref == cells.c.AR_Ref,
                    F_ARTENUMREF.c.AG_No1 == cells.c.AG_No1,
                    F_ARTENUMREF.c.AG_No2 == cells.c.AG_No2,
                ),
            )
        )
        .where(F_ARTENUMREF.c.AE_Ref != "")
        .order_by(F_ARTENUMREF.c.AE_Ref, cells.c.DE_No)
    )
    if warehouses is not None:
        chosen = sorted({slot(w, "stock", "warehouse") for w in warehouses})
        query = query.where(stock.c.DE_No.in_(chosen))
        cell_query = cell_query.where(cells.c.DE_No.in_(chosen))
    return query, cell_query


def stream_stock(
    conn: Connection, warehouses: Collection[str] | None = None, articles: Collection[str] | None = None
) -> Iterator[StockLevel]:
    """Every stock level, in all warehouses or only in ``warehouses``, of every article or only of
    ``articles`` (article references: their range cells come along under the cells' references)."""
    query, cell_query = _queries(warehouses)
    if articles is None:
        selections = [(query, cell_query)]
    else:
        selections = [
            (query.where(F_ARTSTOCK.c.AR_Ref.in_(chunk)), cell_query.where(F_GAMSTOCK.c.AR_Ref.in_(chunk)))
            for chunk in chunks(articles)
        ]
    streaming = conn.execution_options(yield_per=BATCH)
    plain = PlainAmounts()
    for pair in selections:
        for query_ in pair:
            for ref, warehouse, real, reserved, incoming, preparing, to_check in streaming.execute(query_):
                if ref:
                    yield StockLevel(
                        reference=ref.strip(),
                        warehouse=str(warehouse),
                        real=plain(real),
                        reserved=plain(reserved),
                        incoming=plain(incoming),
                        preparing=plain(preparing),
                        to_check=plain(to_check),
                    )


def read_stock(conn: Connection, warehouses: Collection[str] | None = None) -> list[StockLevel]:
    """Every stock level, in all warehouses or only in ``warehouses``."""
    return list(stream_stock(conn, warehouses))


def read_stock_changes(conn: Connection, clock: SageClock, since: datetime | None) -> StockChanges:
    """The articles whose stock rows (``F_ARTSTOCK``, ``F_GAMSTOCK`` of their cells) changed on or
    after ``since``, each with its newest change; with ``since`` ``None``, only the newest change
    of any stock row (what a full read starts the next window from)."""
    tables = [(F_ARTSTOCK.c.AR_Ref, F_ARTSTOCK.c.cbModification)]
    tables.append((F_GAMSTOCK.c.AR_Ref, F_GAMSTOCK.c.cbModification))
    if since is None:
        dates = [conn.execute(select(func.max(modified))).scalar_one_or_none() for _, modified in tables]
        moments = [moment for local in dates if (moment := clock.to_utc(local)) is not None]
        return StockChanges(None, max(moments, default=None))
    bound = clock.since(since)
    changed: dict[str, datetime] = {}
    for ref, modified in tables:
        query = select(ref, func.max(modified)).where(modified >= bound).group_by(ref)
        for article, local in conn.execute(query):
            moment = clock.to_utc(local)
            if article is None or moment is None:
                continue
            key = article.strip()
            if key not in changed or moment > changed[key]:
                changed[key] = moment
    return StockChanges(changed, max(changed.values(), default=None))
