"""What a Sage user does by hand, imitated for the demo and the tests.

comptoir never transforms documents in production: a sales rep does it in Sage. The demo and
the tests need documents that move on (quote → order → delivery note → invoice) to show the
"update order statuses" job at work, so :func:`transform_document` does what Sage does: the
document gets the next number of its new type (``F_DOCCURRENTPIECE``), its header and lines
change type and number in place, the lines record the new stage (``DL_PieceBL``…) next to the
earlier ones, the due dates and down payments (``F_DOCREGL``, ``F_REGLECH``) follow the document,
and the stock moves from reserved to shipped.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select, update

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.adapter import Sage100Erp
from comptoir.erp.sage100.codes import SALES_DOMAIN, SALES_KINDS
from comptoir.erp.sage100.connection import write_transaction
from comptoir.erp.sage100.context import load_context
from comptoir.erp.sage100.numbering import next_number
from comptoir.erp.sage100.schema import F_DOCENTETE, F_DOCLIGNE, F_DOCREGL, F_REGLECH
from comptoir.erp.sage100.types import plain_decimal
from comptoir.erp.sage100.write_documents import StockItem, move_stock, resolve_items
from comptoir.model import DocumentType


def transform_document(erp: Sage100Erp, number: str, source: DocumentType, target: DocumentType) -> str:
    """Transform document ``number`` of type ``source`` into ``target``; returns its new number."""
    before, after = SALES_KINDS[source], SALES_KINDS[target]
    what = f"transform {number} into {target.value}"
    if after.do_type <= before.do_type or not after.creatable:
        raise ErpError(f"{what}: a document only moves forward, to a type comptoir can write")
    with write_transaction(erp.engine) as conn:
        where = (
            F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN,
            F_DOCENTETE.c.DO_Type == before.do_type,
            F_DOCENTETE.c.DO_Piece == number,
        )
        header = conn.execute(select(F_DOCENTETE.c.DO_Souche, F_DOCENTETE.c.DO_Date).where(*where)).first()
        if header is None:
            raise ErpError(f"{what}: the document does not exist")
        now = erp.clock.now()
        new = next_number(
            conn, id_col=after.id_col, series=header.DO_Souche or 0, user=erp.user_code, now=now, what=what
        )
        lines = conn.execute(
            select(
                F_DOCLIGNE.c.AR_Ref,
                F_DOCLIGNE.c.AG_No1,
                F_DOCLIGNE.c.AG_No2,
                F_DOCLIGNE.c.DE_No,
                F_DOCLIGNE.c.DL_Qte,
            ).where(
                F_DOCLIGNE.c.DO_Domaine == SALES_DOMAIN,
                F_DOCLIGNE.c.DO_Type == before.do_type,
                F_DOCLIGNE.c.DO_Piece == number,
            )
        ).all()
        conn.execute(
            update(F_DOCENTETE).where(*where).values(DO_Type=after.do_type, DO_Piece=new, cbModification=now)
        )
        stage: dict[str, object] = {
            "DO_Type": after.do_type,
            "DO_Piece": new,
            "DL_MvtStock": after.stock_move,
        }
        if after.history:
            stage.update({f"DL_Piece{after.history}": new, f"DL_Date{after.history}": header.DO_Date})
        conn.execute(
            update(F_DOCLIGNE)
            .where(
                F_DOCLIGNE.c.DO_Domaine == SALES_DOMAIN,
                F_DOCLIGNE.c.DO_Type == before.do_type,
                F_DOCLIGNE.c.DO_Piece == number,
            )
            .values(stage)
        )
        conn.execute(
            update(F_DOCREGL)
            .where(
                F_DOCREGL.c.DO_Domaine == SALES_DOMAIN,
                F_DOCREGL.c.DO_Type == before.do_type,
                F_DOCREGL.c.DO_Piece == number,
            )
            .values(DO_Type=after.do_type, DO_Piece=new)
        )
        conn.execute(
            update(F_REGLECH)
            .where(
                F_REGLECH.c.DO_Domaine == SALES_DOMAIN,
                F_REGLECH.c.DO_Type == before.do_type,
                F_REGLECH.c.DO_Piece == number,
            )
            .values(DO_Type=after.do_type, DO_Piece=new)
        )
        items = resolve_items(conn, {line.AR_Ref.strip() for line in lines})
        moves: list[tuple[StockItem, int, Decimal]] = []
        for line in lines:
            item = items.get(line.AR_Ref.strip())
            if item is not None and item.stock_managed:
                cell = replace(item, range1=line.AG_No1 or 0, range2=line.AG_No2 or 0)
                moves.append((cell, line.DE_No, plain_decimal(line.DL_Qte)))
        ctx = load_context(conn, erp.clock, erp.user_code, erp.options)
        move_stock(conn, ctx, before.effect, [(i, d, -q) for i, d, q in moves], now)
        move_stock(conn, ctx, after.effect, moves, now)
    return new
