"""Sales documents created from web orders: which exist, and where they stand now.

A document created by comptoir carries the shop order id in ``DO_NoWeb``. When a user
transforms it in Sage (quote → order → delivery note → invoice) the lines keep the earlier
numbers in ``DL_PieceDE/BC/PL/BL``; the progress of an order is read from the documents
carrying its id and the documents whose lines point back to them. Three queries per batch
of ids, whatever the number of documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, or_, select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.codes import SALES_DOMAIN, document_type
from comptoir.erp.sage100.read_articles import chunks
from comptoir.erp.sage100.schema import F_DOCENTETE, F_DOCLIGNE
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import DocumentProgress, DocumentRef

_STAGE_COLUMNS = (("DL_PieceDE", 0), ("DL_PieceBC", 1), ("DL_PiecePL", 2), ("DL_PieceBL", 3))
"""History columns of a line and the ``DO_Type`` of the stage each records."""


@dataclass(frozen=True, slots=True)
class _Header:
    number: str
    do_type: int
    provenance: int
    customer: str
    shop_order_id: str
    status: int
    net: Decimal | None
    gross: Decimal | None

    @property
    def stage(self) -> tuple[int, str]:
        return (self.do_type, self.number)

    def ref(self) -> DocumentRef:
        return DocumentRef(
            number=self.number,
            type=document_type(self.do_type, self.provenance),
            customer_code=self.customer,
            shop_order_id=self.shop_order_id,
            total_net=plain_decimal(self.net),
            total_gross=plain_decimal(self.gross),
        )


_HEADER_COLUMNS = (
    F_DOCENTETE.c.DO_Piece,
    F_DOCENTETE.c.DO_Type,
    F_DOCENTETE.c.DO_Provenance,
    F_DOCENTETE.c.DO_Tiers,
    F_DOCENTETE.c.DO_NoWeb,
    F_DOCENTETE.c.DO_Statut,
    F_DOCENTETE.c.DO_TotalHTNet,
    F_DOCENTETE.c.DO_TotalTTC,
)


def _header_query(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(*_HEADER_COLUMNS)
        .where(F_DOCENTETE.c.DO_Domaine == SALES_DOMAIN, where)
        .order_by(F_DOCENTETE.c.DO_Type, F_DOCENTETE.c.DO_Piece)
    )


_BY_SHOP_ID = _header_query(F_DOCENTETE.c.DO_NoWeb.in_(bindparam("shop_ids", expanding=True)))
"""The headers carrying some shop order ids (built once: every order written looks itself up)."""


def _headers(
    conn: Connection, where: ColumnElement[bool] | Select[Any], params: dict[str, Any] | None = None
) -> list[_Header]:
    query = where if isinstance(where, Select) else _header_query(where)
    rows = conn.execute(query, params or {})
    return [
        _Header(
            number=piece.strip(),
            do_type=do_type,
            provenance=provenance or 0,
            customer=(tiers or "").strip(),
            shop_order_id=(web or "").strip(),
            status=status or 0,
            net=net,
            gross=gross,
        )
        for piece, do_type, provenance, tiers, web, status, net, gross in rows
    ]


def _by_shop_id(conn: Connection, shop_order_ids: Collection[str]) -> dict[str, list[_Header]]:
    found: dict[str, list[_Header]] = defaultdict(list)
    for chunk in chunks({i.strip() for i in shop_order_ids if i and i.strip()}):
        for header in _headers(conn, _BY_SHOP_ID, {"shop_ids": list(chunk)}):
            found[header.shop_order_id].append(header)
    return found


def find_documents(conn: Connection, shop_order_ids: Collection[str]) -> dict[str, DocumentRef]:
    """The document carrying each shop order id (the most advanced one if several do)."""
    return {
        shop_id: max(headers, key=lambda h: h.stage).ref()
        for shop_id, headers in _by_shop_id(conn, shop_order_ids).items()
    }


def read_document_progress(conn: Connection, shop_order_ids: Sequence[str]) -> list[DocumentProgress]:
    """Where each order's document stands: the most advanced document now holding it.

    ``number``/``type``/``status`` describe that document; ``later_numbers`` lists, in order,
    every number the order received after its first document (empty while it has not moved).
    """
    origins = _by_shop_id(conn, shop_order_ids)
    numbers = sorted({h.number for headers in origins.values() for h in headers})
    links: dict[str, set[str]] = defaultdict(set)
    """Document number → the numbers its lines record as earlier stages."""
    stages: dict[str, int] = {}
    """Number → ``DO_Type`` of the stage it was recorded for."""
    for chunk in chunks(numbers):
        query = (
            select(F_DOCLIGNE.c.DO_Piece, *(F_DOCLIGNE.c[c] for c, _ in _STAGE_COLUMNS))
            .where(
                F_DOCLIGNE.c.DO_Domaine == SALES_DOMAIN,
                or_(
                    F_DOCLIGNE.c.DO_Piece.in_(chunk),
                    *(F_DOCLIGNE.c[c].in_(chunk) for c, _ in _STAGE_COLUMNS),
                ),
            )
            .distinct()
        )
        for row in conn.execute(query):
            piece = row[0].strip()
            for (_, stage), value in zip(_STAGE_COLUMNS, row[1:], strict=True):
                number = (value or "").strip()
                if number and number != piece:
                    links[piece].add(number)
                    stages[number] = stage
    extra: dict[str, _Header] = {}
    for chunk in chunks(set(links) - set(numbers)):
        extra.update({h.number: h for h in _headers(conn, F_DOCENTETE.c.DO_Piece.in_(chunk))})
    progress: list[DocumentProgress] = []
    for shop_id in shop_order_ids:
        headers = {h.number: h for h in origins.get(shop_id.strip(), [])}
        for piece, earlier in links.items():
            if piece in extra and earlier & set(headers):
                headers[piece] = extra[piece]
        if not headers:
            continue
        history = set(headers).union(*(links.get(n, set()) for n in headers))
        current = max(headers.values(), key=lambda h: h.stage)
        order = {n: (headers[n].do_type if n in headers else stages.get(n, -1), n) for n in history}
        chain = sorted(history, key=order.__getitem__)
        progress.append(
            DocumentProgress(
                shop_order_id=shop_id,
                number=current.number,
                type=document_type(current.do_type, current.provenance),
                status=current.status,
                later_numbers=tuple(chain[1:]),
            )
        )
    return progress
