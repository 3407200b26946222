"""Stock per article and warehouse, and per range cell and warehouse, in two queries.

``F_ARTSTOCK`` gives one level per (article, warehouse): ``AS_QteSto`` real, ``AS_QteRes``
reserved by customer orders, ``AS_QtePrepa`` held by delivery preparations,
``AS_QteAControler`` received but awaiting quality control, ``AS_QteCom`` ordered from
suppliers. The model derives "available" (real less reserved, in preparation and to be
checked) and "forward" (available plus ordered) from these, as Sage's stock windows do
(docs/erp/sage100.md). Range articles also have ``F_GAMSTOCK`` rows per cell; those come out
under the cell's own reference (``F_ARTENUMREF.AE_Ref``), next to the article's total.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.schema import F_ARTENUMREF, F_ARTSTOCK, F_GAMSTOCK
from comptoir.erp.sage100.types import plain_decimal, slot
from comptoir.model import StockLevel


def read_stock(conn: Connection, warehouses: Collection[str] | None = None) -> list[StockLevel]:
    """Every stock level, in all warehouses or only in ``warehouses``."""
    stock = F_ARTSTOCK
    query = select(
        stock.c.AR_Ref,
        stock.c.DE_No,
        stock.c.AS_QteSto,
        stock.c.AS_QteRes,
        stock.c.AS_QteCom,
        stock.c.AS_QtePrepa,
        stock.c.AS_QteAControler,
    ).order_by(stock.c.AR_Ref, stock.c.DE_No)
    cells = F_GAMSTOCK
    cell_query = (
        select(
            F_ARTENUMREF.c.AE_Ref,
            cells.c.DE_No,
            cells.c.GS_QteSto,
            cells.c.GS_QteRes,
            cells.c.GS_QteCom,
            cells.c.GS_QtePrepa,
            cells.c.GS_QteAControler,
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
    levels = [
        StockLevel(
            reference=ref.strip(),
            warehouse=str(warehouse),
            real=plain_decimal(real),
            reserved=plain_decimal(reserved),
            incoming=plain_decimal(incoming),
            preparing=plain_decimal(preparing),
            to_check=plain_decimal(to_check),
        )
        for query_ in (query, cell_query)
        for ref, warehouse, real, reserved, incoming, preparing, to_check in conn.execute(query_)
        if ref
    ]
    return levels
