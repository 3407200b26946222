"""Create a sales document: header, lines, footer totals, due date, stock, in one transaction.

What is written (docs/erp/sage100.md has the full column list):

* ``F_DOCENTETE``: numbered from ``F_DOCCURRENTPIECE`` for the document's column and series,
  the shop order id in ``DO_NoWeb``, the reference in ``DO_Ref`` (cut to its 17), the
  customer's defaults (payer, rep, price and accounting categories, collective account),
  shipping in the footer (``DO_ValFrais``, ``DO_TypeFrais`` 0 = flat, ``DO_TypeLigneFrais``
  0 = net or 1 = with tax, its tax in ``DO_CodeTaxe1``/``DO_Taxe1``), totals from ``SalesDocument.totals()``
  (``DO_TotalHT`` lines, ``DO_TotalHTNet`` with shipping, ``DO_TotalTTC``, ``DO_NetAPayer``)
  and the order's notes in the header free field named by ``SageOptions.notes_field``;
* ``F_DOCLIGNE``: ``DL_Ligne`` in steps of 1000, ``DL_No`` MAX+1, prices (``DL_TTC`` 1 with the
  price with tax in ``DL_PUTTC`` when the document's prices include tax, the net unit price
  derived from it), discount in percent
  (``DL_Remise01REM_Type`` 1), tax code and rate, net and gross amounts, the stage number and
  quantity columns (``DL_PieceBC``/``DL_QteBC``… for the document's own stage),
  ``DL_MvtStock`` per type; range cells get ``AG_No1``/``AG_No2``, packaging units their
  label in ``EU_Enumere`` and the base quantity in ``DL_Qte``;
* ``F_DOCREGL``: one due date balancing the document (``DR_Equil`` 1);
* ``F_LIVRAISON``: a new delivery address when the document's is not one of the customer's;
* ``F_ARTSTOCK`` / ``F_GAMSTOCK``: reserved (order), in preparation only (preparation),
  out of stock (delivery note, invoice) or back in stock (return), for stock-managed articles.

Every text is written through :func:`~comptoir.erp.sage100.rows.insert_rows` (code page,
control characters, the column's length rule from the schema: references, names,
designations and notes are cut, keys refused when they do not fit). Every refusal is an
``ErpError`` naming the document (shop order) and the line or field.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Update

from comptoir.erp.base import DuplicateDocument, ErpError, ErpUnsupported
from comptoir.erp.sage100.codes import SALES_DOMAIN, SALES_KINDS, SalesKind, StockEffect
from comptoir.erp.sage100.connection import pipelined
from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.numbering import advance_counter, next_id, number_unless_written
from comptoir.erp.sage100.prefetch import CUSTOMER_ROWS, TAX_ROWS, WAREHOUSE_ROWS, Prefetched
from comptoir.erp.sage100.read_articles import chunks
from comptoir.erp.sage100.read_documents import find_documents
from comptoir.erp.sage100.rows import blank_row, column_length, insert_rows, set_twins
from comptoir.erp.sage100.schema import (
    F_ARTENUMREF,
    F_ARTICLE,
    F_ARTSTOCK,
    F_COMPTET,
    F_CONDITION,
    F_DOCLIGNE,
    F_DOCREGL,
    F_GAMSTOCK,
    F_LIVRAISON,
    F_REGLEMENTT,
    F_TAXE,
    P_CATTARIF,
    P_DEVISE,
    P_EXPEDITION,
    P_UNITE,
)
from comptoir.erp.sage100.terms import split_terms
from comptoir.erp.sage100.types import EMPTY_DATE, SageAmount, plain_decimal, sage_day, slot
from comptoir.erp.sage100.write_customers import delivery_row, delivery_values, same_place, values_place
from comptoir.model import DocumentLine, DocumentRef, SalesDocument, round_money, tax_amount
from comptoir.model.money import HUNDRED

ONE = Decimal(1)
ZERO = Decimal(0)
PERCENT = 1
DUE_DATE = 2
"""``DR_TypeRegl`` of an ordinary due date (0 is a down payment)."""
COMPANY_CURRENCY = "EUR"
"""Documents in this currency are in the company's own currency (``DO_Devise`` 0)."""


@dataclass(frozen=True, slots=True)
class StockItem:
    """What a line's reference designates: an article, a range cell or a packaging unit."""

    article: str
    design: str
    stock_managed: bool
    dormant: bool
    weight_net: Decimal
    weight_gross: Decimal
    cost: Decimal
    """The article's last net cost (``AR_PUNet``), else its purchase price: used where the
    warehouse holds no stock to average (``AS_MontSto`` ÷ ``AS_QteSto``)."""
    unit_label: str
    tracking: int = 0
    """``AR_SuiviStock``: 0 none, 1 serial numbers, 2 weighted average, 3 FIFO, 4 LIFO, 5 lots."""
    range1: int = 0
    range2: int = 0
    pack_quantity: Decimal = ONE


def resolve_items(conn: Connection, references: Collection[str]) -> dict[str, StockItem]:
    """Resolve line references in a few queries: articles, range cells, packaging units."""
    found: dict[str, StockItem] = {}
    for chunk in chunks(references):
        cells = conn.execute(
            select(
                F_ARTENUMREF.c.AE_Ref, F_ARTENUMREF.c.AR_Ref, F_ARTENUMREF.c.AG_No1, F_ARTENUMREF.c.AG_No2
            ).where(F_ARTENUMREF.c.AE_Ref.in_(chunk))
        ).all()
        packs = conn.execute(
            select(
                F_CONDITION.c.CO_Ref,
                F_CONDITION.c.AR_Ref,
                F_CONDITION.c.EC_Quantite,
                F_CONDITION.c.EC_Enumere,
            ).where(F_CONDITION.c.CO_Ref.in_(chunk))
        ).all()
        wanted = set(chunk) | {r.AR_Ref for r in cells} | {r.AR_Ref for r in packs}
        rows = conn.execute(
            select(
                F_ARTICLE.c.AR_Ref,
                F_ARTICLE.c.AR_Design,
                F_ARTICLE.c.AR_SuiviStock,
                F_ARTICLE.c.AR_Sommeil,
                F_ARTICLE.c.AR_PoidsNet,
                F_ARTICLE.c.AR_PoidsBrut,
                F_ARTICLE.c.AR_PrixAch,
                F_ARTICLE.c.AR_PUNet,
                P_UNITE.c.U_Intitule,
            )
            .select_from(F_ARTICLE.outerjoin(P_UNITE, P_UNITE.c.cbIndice == F_ARTICLE.c.AR_UniteVen))
            .where(F_ARTICLE.c.AR_Ref.in_(sorted(wanted)))
        ).all()
        articles = {
            r.AR_Ref.strip(): StockItem(
                article=r.AR_Ref.strip(),
                design=(r.AR_Design or "").strip(),
                stock_managed=bool(r.AR_SuiviStock),
                dormant=bool(r.AR_Sommeil),
                weight_net=plain_decimal(r.AR_PoidsNet),
                weight_gross=plain_decimal(r.AR_PoidsBrut),
                cost=plain_decimal(r.AR_PUNet) or plain_decimal(r.AR_PrixAch),
                unit_label=(r.U_Intitule or "").strip(),
                tracking=int(r.AR_SuiviStock or 0),
            )
            for r in rows
        }
        found.update({ref: item for ref, item in articles.items() if ref in chunk})
        for ae_ref, ar_ref, ag1, ag2 in cells:
            base = articles.get(ar_ref.strip())
            if base is not None and ae_ref.strip() not in found:
                found[ae_ref.strip()] = replace(base, range1=ag1 or 0, range2=ag2 or 0)
        for co_ref, ar_ref, quantity, label in packs:
            base = articles.get(ar_ref.strip())
            if base is not None and co_ref.strip() not in found:
                found[co_ref.strip()] = replace(
                    base, pack_quantity=plain_decimal(quantity) or ONE, unit_label=(label or "").strip()
                )
    return found


def _customer(conn: Connection, code: str, what: str, prefetched: Prefetched | None = None) -> Any:
    if prefetched is not None and prefetched.knows_customer(code):
        row = prefetched.customers.get(code)
    else:
        row = conn.execute(CUSTOMER_ROWS.where(F_COMPTET.c.CT_Num == code)).first()
    if row is None:
        raise ErpError(f"{what}: customer {code} does not exist (F_COMPTET, CT_Type 0)")
    if row.CT_Sommeil:
        raise ErpError(f"{what}: customer {code} is dormant (CT_Sommeil)")
    return row


@dataclass(frozen=True, slots=True)
class TaxCode:
    """A sales tax code as ``F_TAXE`` describes it."""

    code: str
    rate: Decimal
    """``TA_Taux``: the legal rate, in percent."""
    rate_type: int
    """``TA_TTaux``: 0 percentage, 1 flat amount, 2 amount per unit."""
    tax_type: int
    """``TA_Type``: 0 VAT on debits (goods), 1 VAT on receipts (services), 2-4 other taxes."""
    not_collected: bool
    """``TA_NP``: computed but not collected (added to no total)."""

    @property
    def collected_rate(self) -> Decimal:
        """The rate the customer pays: 0 for a tax that is not collected."""
        return ZERO if self.not_collected else self.rate


COLLECTED = 1
"""``TA_Sens`` of a tax collected on sales (0 is a deductible tax, for purchases)."""
VAT_TYPES = (0, 1)
"""``TA_Type`` of VAT: 0 on debits, 1 on receipts."""


def _taxes(
    conn: Connection, document: SalesDocument, what: str, prefetched: Prefetched | None = None
) -> dict[str, TaxCode]:
    wanted = {line.tax_code for line in document.lines}
    if document.shipping_amount:
        wanted.add(document.shipping_tax_code)
    if prefetched is not None:
        rows = [prefetched.taxes[code] for code in sorted(wanted) if code in prefetched.taxes]
    else:
        rows = list(conn.execute(TAX_ROWS.where(F_TAXE.c.TA_Code.in_(sorted(wanted)))))
    taxes = {row.TA_Code.strip(): _tax_code(row, what) for row in rows}
    for number, line in enumerate(document.lines, start=1):
        _check_tax(taxes, line.tax_code, line.tax_rate, f"{what}, line {number} ({line.reference})")
    if document.shipping_amount:
        _check_tax(taxes, document.shipping_tax_code, document.shipping_tax_rate, f"{what}, shipping")
    return taxes


def _tax_code(row: Any, what: str) -> TaxCode:
    """A usable sales tax code, or ``ErpError`` saying why the row is not one."""
    code = row.TA_Code.strip()
    where = f"{what}: tax code {code}"
    if (row.TA_Sens if row.TA_Sens is not None else COLLECTED) != COLLECTED:
        raise ErpError(f"{where} is a deductible tax (TA_Sens {row.TA_Sens}); a sale needs a collected one")
    if row.TA_TTaux:
        raise ErpError(
            f"{where} is an amount (TA_TTaux {row.TA_TTaux}), not a rate; comptoir writes rates only"
        )
    if (row.TA_Type or 0) not in VAT_TYPES:
        raise ErpError(f"{where} is not VAT (TA_Type {row.TA_Type}); comptoir writes a line's VAT only")
    return TaxCode(code, plain_decimal(row.TA_Taux), 0, int(row.TA_Type or 0), bool(row.TA_NP))


def _check_tax(taxes: dict[str, TaxCode], code: str, rate: Decimal, where: str) -> None:
    if code not in taxes:
        raise ErpError(f"{where}: tax code {code!r} does not exist (F_TAXE)")
    tax = taxes[code]
    if tax.collected_rate != rate:
        shown = f"{tax.rate} % not collected (TA_NP)" if tax.not_collected else f"{tax.rate} %"
        raise ErpError(f"{where}: tax code {code} is {shown} in Sage, the document says {rate} %")


def _currency(
    conn: Connection, document: SalesDocument, what: str, prefetched: Prefetched | None = None
) -> tuple[int, Decimal]:
    code = (document.currency or COMPANY_CURRENCY).strip().upper()
    if code == COMPANY_CURRENCY:
        return 0, ZERO
    if prefetched is not None:
        if code not in prefetched.currencies:
            raise ErpError(f"{what}: currency {code} is not set up in Sage (P_DEVISE)")
        return prefetched.currencies[code]
    row = conn.execute(
        select(P_DEVISE.c.cbIndice, P_DEVISE.c.D_Cours).where(P_DEVISE.c.D_CodeISO == code)
    ).first()
    if row is None:
        raise ErpError(f"{what}: currency {code} is not set up in Sage (P_DEVISE)")
    return int(row.cbIndice), plain_decimal(row.D_Cours)


def _warehouses(conn: Connection, prefetched: Prefetched | None = None) -> tuple[set[int], int]:
    rows = prefetched.warehouses if prefetched is not None else conn.execute(WAREHOUSE_ROWS).all()
    principal = next((r.DE_No for r in rows if r.DE_Principal), rows[0].DE_No if rows else 0)
    return {r.DE_No for r in rows}, principal


def _deliveries(conn: Connection, code: str, prefetched: Prefetched | None) -> list[Any]:
    """The account's delivery addresses, principal first (kept in ``prefetched`` when given)."""
    if prefetched is not None and code in prefetched.deliveries:
        return prefetched.deliveries[code]
    rows = list(
        conn.execute(
            select(F_LIVRAISON)
            .where(F_LIVRAISON.c.CT_Num == code)
            .order_by(F_LIVRAISON.c.LI_Principal.desc(), F_LIVRAISON.c.LI_No)
        )
    )
    if prefetched is not None and prefetched.knows_customer(code):
        prefetched.deliveries[code] = rows
    return rows


def _delivery_number(
    conn: Connection,
    ctx: SageContext,
    document: SalesDocument,
    what: str,
    prefetched: Prefetched | None,
    added: list[dict[str, Any]],
) -> int:
    """The document's delivery address (``LI_No``): the one it names, the customer's address at
    the same place, or a new one, whose row is appended to ``added`` (to insert with the
    document), else the customer's principal address (0 when none)."""
    code = document.customer_code.strip().upper()
    existing = _deliveries(conn, code, prefetched)
    if document.delivery_address_number:
        if not any(r.LI_No == document.delivery_address_number for r in existing):
            raise ErpError(
                f"{what}: delivery address {document.delivery_address_number} is not one of customer {code}'s"
            )
        return document.delivery_address_number
    if document.delivery_address is not None and document.delivery_address.line1:
        values = delivery_values(document.delivery_address, code, what)
        held = prefetched is not None and code in prefetched.deliveries
        if prefetched is not None and held:
            match = prefetched.places_of(code).by_place.get(values_place(values))
        else:
            match = next((r for r in existing if same_place(r, values)), None)
        if match is not None:
            return int(match.LI_No)
        principal = not existing
        row = delivery_row(conn, ctx, code, values, principal=principal)
        added.append(row)
        number = int(row["LI_No"])
        if prefetched is not None and held:
            known = SimpleNamespace(
                **values,
                LI_No=number,
                CT_Num=code,
                N_Expedition=1,
                N_Condition=1,
                LI_Principal=int(principal),
            )
            prefetched.add_delivery(code, known)
        return number
    return int(existing[0].LI_No) if existing else 0


def _history(
    kind: SalesKind, number: str, day: datetime, quantity: Decimal, price: Decimal
) -> dict[str, Any]:
    """The stage columns of a line: its own stage's number, date and quantity."""
    values: dict[str, Any] = {}
    if kind.history:
        values[f"DL_Piece{kind.history}"] = number
        values[f"DL_Date{kind.history}"] = day
        values[f"DL_Qte{kind.history}"] = quantity
    if kind.do_type >= 1:
        values["DL_QteBC"] = quantity
        values["DL_QteBL"] = quantity
        values["DL_PUBC"] = price
    return values


TRACKED = {1: "serial numbers", 5: "lots"}
"""``AR_SuiviStock`` values whose stock moves need a serial or lot number per unit."""
NEEDS_TRACKING = (StockEffect.PREPARE, StockEffect.OUT, StockEffect.IN)
"""Stock effects that pick or receive units (a serial or lot number is then required)."""


@dataclass(frozen=True, slots=True)
class Defaults:
    """What the header takes from the customer, the delivery address and the parameters."""

    customer: Any
    carrier: int
    condition: int
    fee_gross: bool
    """The carrier's fee is entered gross (``P_EXPEDITION.E_TypeLigneFrais`` 1)."""
    price_category: int
    gross_prices: bool
    """The price category is tax-inclusive (``P_CATTARIF.CT_PrixTTC`` 1) and the document is in
    the company's currency: lines are valued gross (``DL_TTC`` 1)."""
    accounting_category: int


def create_sales_document(
    conn: Connection, ctx: SageContext, document: SalesDocument, prefetched: Prefetched | None = None
) -> DocumentRef:
    """Write the document; the caller holds the writer lock (one transaction).

    ``prefetched`` holds what a batch of writes shares (see :mod:`.prefetch`): the customer,
    articles, tax codes, warehouses… are then taken from it instead of read again."""
    kind = SALES_KINDS[document.type]
    shop_id = document.shop_order_id.strip()
    what = f"document for shop order {shop_id}" if shop_id else f"{document.type.value} document"
    if not kind.creatable:
        raise ErpUnsupported(
            f"{what}: Sage creates {document.type.value} documents itself (accounting update)"
        )
    if kind.invoice and not ctx.options.allow_invoices:
        raise ErpError(
            f"{what}: comptoir creates no {document.type.value} document unless the profile allows it "
            "(erp.allow_invoices): an invoice written by SQL is neither validated nor sealed by Sage; "
            "write an order or a delivery note and invoice it in Sage"
        )
    if len(shop_id) > (length := column_length(ctx.header, "DO_NoWeb")):
        raise ErpError(f"{what}: shop order id {shop_id!r} is longer than DO_NoWeb ({length})")
    now = ctx.clock.now()
    number = number_unless_written(
        conn,
        id_col=kind.id_col,
        series=slot(document.series, what, "series"),
        user=ctx.user,
        now=now,
        what=what,
        web_id=shop_id,
        advance=False,  # sent with the document's rows
    )
    if number is None:
        raise DuplicateDocument(find_documents(conn, [shop_id])[shop_id])
    if not document.lines:
        raise ErpError(f"{what}: the document has no lines")
    code = document.customer_code.strip().upper()
    customer = _customer(conn, code, what, prefetched)
    references = {line.reference.strip() for line in document.lines}
    items = (
        prefetched.items
        if prefetched is not None and prefetched.knows_items(references)
        else resolve_items(conn, references)
    )
    for position, line in enumerate(document.lines, start=1):
        item = items.get(line.reference.strip())
        if item is None:
            raise ErpError(f"{what}, line {position}: article {line.reference!r} does not exist in Sage")
        if item.dormant:
            raise ErpError(f"{what}, line {position}: article {line.reference} is dormant (AR_Sommeil)")
        if item.tracking in TRACKED and kind.effect in NEEDS_TRACKING:
            raise ErpError(
                f"{what}, line {position}: article {item.article} is managed by {TRACKED[item.tracking]} "
                f"(AR_SuiviStock {item.tracking}); a {document.type.value} needs one for every unit, which "
                "comptoir does not write: write an order and let Sage prepare it"
            )
    taxes = _taxes(conn, document, what, prefetched)
    currency, rate = _currency(conn, document, what, prefetched)
    depots, principal = _warehouses(conn, prefetched)
    header_depot = slot(document.warehouse, what, "warehouse") or customer.DE_No or principal
    for where, depot in [("header", header_depot)] + [
        (f"line {n}", slot(line.warehouse, f"{what}, line {n}", "warehouse"))
        for n, line in enumerate(document.lines, start=1)
        if line.warehouse
    ]:
        if depot not in depots:
            raise ErpError(f"{what}, {where}: warehouse {depot} does not exist (F_DEPOT)")
    addresses: list[dict[str, Any]] = []
    delivery = _delivery_number(conn, ctx, document, what, prefetched, addresses)
    defaults = _defaults(conn, ctx, document, customer, delivery, currency, what, prefetched)
    totals = document.totals()
    day = sage_day(document.date)
    header = _header(
        ctx, document, kind, defaults, number, day, now, totals, currency, rate, header_depot, delivery, taxes
    )
    placed = [
        (line, items[line.reference.strip()], slot(line.warehouse, what, "warehouse") or header_depot)
        for line in document.lines
    ]
    managed = {(item.article, depot) for _, item, depot in placed if item.stock_managed}
    moves = [
        (item, depot, line.quantity * item.pack_quantity)
        for line, item, depot in placed
        if item.stock_managed and kind.effect is not StockEffect.NONE
    ]
    moved = bool(moves) and returns_moved_rows(conn, kind.effect)
    if moved:
        # The stock moves first and hands its rows back: quantity and value as they were.
        stock = move_stock(conn, ctx, kind.effect, moves, now) or {}
    else:
        stock = stock_rows(conn, {article for article, _ in managed})
    costs = average_costs(stock, managed)
    first_line = next_id(conn, F_DOCLIGNE, "DL_No", len(placed))
    lines = []
    for index, (line, item, depot) in enumerate(placed):
        cost = costs.get((item.article, depot), item.cost)
        context = LineContext(
            kind,
            header,
            taxes[line.tax_code],
            defaults.gross_prices,
            document.prices_include_tax,
            cost,
            depot,
            what,
        )
        lines.append(_line(ctx, context, line, item, index, first_line + index, now))
    records = [f"{what}, line {n} ({line.reference})" for n, line in enumerate(document.lines, start=1)]
    dues = _due_dates(conn, ctx, document, kind, number, code, now, what, prefetched)
    with pipelined(conn):  # all is read: the counter, an address, the document are sent at once
        advance_counter(conn)
        if addresses:
            insert_rows(conn, F_LIVRAISON, addresses, what)
        insert_rows(conn, ctx.header, [header], what)
        insert_rows(conn, ctx.table(F_DOCLIGNE), lines, records)
        insert_rows(conn, ctx.table(F_DOCREGL), dues, what)
    if not moved:
        move_stock(conn, ctx, kind.effect, moves, now, stock)
    return DocumentRef(
        number=number,
        type=document.type,
        customer_code=code,
        shop_order_id=shop_id,
        total_net=totals.net,
        total_gross=totals.gross,
    )


def _defaults(
    conn: Connection,
    ctx: SageContext,
    document: SalesDocument,
    customer: Any,
    delivery: int,
    currency: int,
    what: str,
    prefetched: Prefetched | None = None,
) -> Defaults:
    """Carrier and delivery terms from the delivery address, else the customer; price and
    accounting categories from the document, else the customer."""
    if prefetched is not None:
        return _prefetched_defaults(ctx, document, customer, delivery, currency, what, prefetched)
    place = (
        conn.execute(
            select(F_LIVRAISON.c.N_Expedition, F_LIVRAISON.c.N_Condition).where(
                F_LIVRAISON.c.LI_No == delivery
            )
        ).first()
        if delivery
        else None
    )
    carrier = (place.N_Expedition if place else 0) or customer.N_Expedition or 1
    condition = (place.N_Condition if place else 0) or customer.N_Condition or 1
    fee_line = conn.execute(
        select(P_EXPEDITION.c.E_TypeLigneFrais).where(P_EXPEDITION.c.cbIndice == carrier)
    ).scalar()
    category = slot(document.price_category, what, "price category") or customer.N_CatTarif or 1
    gross = conn.execute(select(P_CATTARIF.c.CT_PrixTTC).where(P_CATTARIF.c.cbIndice == category)).scalar()
    return _with_categories(
        ctx, document, customer, carrier, condition, fee_line, category, gross, currency, what
    )


def _prefetched_defaults(
    ctx: SageContext,
    document: SalesDocument,
    customer: Any,
    delivery: int,
    currency: int,
    what: str,
    prefetched: Prefetched,
) -> Defaults:
    """``_defaults`` from the rows a batch read once."""
    code = customer.CT_Num.strip()
    place = prefetched.places_of(code).by_number.get(delivery) if code in prefetched.deliveries else None
    carrier = (place.N_Expedition if place else 0) or customer.N_Expedition or 1
    condition = (place.N_Condition if place else 0) or customer.N_Condition or 1
    category = slot(document.price_category, what, "price category") or customer.N_CatTarif or 1
    fee_line = prefetched.fee_types.get(carrier)
    gross = prefetched.gross_categories.get(category)
    return _with_categories(
        ctx, document, customer, carrier, condition, fee_line, category, gross, currency, what
    )


def _with_categories(
    ctx: SageContext,
    document: SalesDocument,
    customer: Any,
    carrier: int,
    condition: int,
    fee_line: int | None,
    category: int,
    gross: int | None,
    currency: int,
    what: str,
) -> Defaults:
    accounting = (
        slot(document.accounting_category, what, "accounting category")
        or customer.N_CatCompta
        or ctx.options.accounting_category
    )
    return Defaults(
        customer=customer,
        carrier=carrier,
        condition=condition,
        fee_gross=fee_line == 1,
        price_category=category,
        gross_prices=bool(gross) and currency == 0,
        accounting_category=accounting,
    )


StockRows = dict[tuple[str, int], tuple[Decimal, Decimal]]
"""(article, warehouse) → (``AS_QteSto``, ``AS_MontSto``)."""
STOCK_ROWS = select(F_ARTSTOCK.c.AR_Ref, F_ARTSTOCK.c.DE_No, F_ARTSTOCK.c.AS_QteSto, F_ARTSTOCK.c.AS_MontSto)


_STOCK_ROWS_OF = STOCK_ROWS.where(F_ARTSTOCK.c.AR_Ref.in_(bindparam("refs", expanding=True)))


def stock_rows(conn: Connection, references: Collection[str]) -> StockRows:
    """The stock rows of these articles, every warehouse (read once for a document)."""
    found: StockRows = {}
    for chunk in chunks(sorted(set(references))):
        for reference, depot, quantity, value in conn.execute(_STOCK_ROWS_OF, {"refs": chunk}):
            found[(reference.strip(), depot)] = (plain_decimal(quantity), plain_decimal(value))
    return found


def average_costs(stock: StockRows, keys: Collection[tuple[str, int]]) -> dict[tuple[str, int], Decimal]:
    """Weighted average cost per (article, warehouse): ``AS_MontSto`` ÷ ``AS_QteSto`` where both
    are positive (elsewhere the caller falls back on the article's last net cost)."""
    costs: dict[tuple[str, int], Decimal] = {}
    for key in keys:
        quantity, value = stock.get(key, (ZERO, ZERO))
        if quantity > 0 and value > 0:
            costs[key] = round_money(value / quantity, 6)
    return costs


def _header(
    ctx: SageContext,
    document: SalesDocument,
    kind: SalesKind,
    defaults: Defaults,
    number: str,
    day: datetime,
    now: datetime,
    totals: Any,
    currency: int,
    rate: Decimal,
    depot: int,
    delivery: int,
    taxes: dict[str, TaxCode],
) -> dict[str, Any]:
    what = f"document {number}"
    table = ctx.header
    customer = defaults.customer
    row = ctx.blank(table, now)
    address = document.delivery_address
    contact = f"{address.first_name} {address.last_name}".strip() if address else ""
    transaction, regime = ctx.options.transaction(defaults.accounting_category)
    row.update(
        DO_Domaine=SALES_DOMAIN,
        DO_Type=kind.do_type,
        DO_DocType=kind.do_type,
        DO_Piece=number,
        DO_Date=day,
        DO_Ref=document.reference,
        DO_Tiers=customer.CT_Num,
        CO_No=customer.CO_No or 0,
        DO_Period=customer.N_Period or 1,
        DO_Devise=currency,
        DO_Cours=rate,
        DE_No=depot,
        LI_No=delivery,
        CT_NumPayeur=(customer.CT_NumPayeur or "").strip() or customer.CT_Num,
        DO_Expedit=defaults.carrier,
        DO_NbFacture=customer.CT_Facture or 1,
        DO_BLFact=customer.CT_BLFact or 0,
        DO_Langue=customer.CT_Langue or 0,
        DO_Souche=slot(document.series, what, "series"),
        DO_Condition=defaults.condition,
        DO_Tarif=defaults.price_category,
        DO_Colisage=1,
        DO_TypeColis=1,
        DO_Transaction=transaction,
        DO_Regime=regime,
        N_CatCompta=defaults.accounting_category,
        CG_Num=(customer.CG_NumPrinc or "").strip(),
        DO_Statut=ctx.options.document_status,
        DO_Heure=f"000{now:%H%M%S}",
        DO_NoWeb=document.shop_order_id.strip(),
        DO_PieceOrig=document.origin_number.strip(),
        DO_Provenance=kind.provenance,
        CT_NumCentrale=(customer.CT_NumCentrale or "").strip(),
        DO_Contact=contact,
        DO_GUID=uuid.uuid4(),
        DO_TotalHT=totals.lines_net,
        DO_TotalHTNet=totals.net,
        DO_TotalTTC=totals.gross,
        DO_NetAPayer=totals.gross,
        DO_MontantRegle=ZERO,
    )
    shipping = round_money(document.shipping_amount)
    if shipping:
        tax = taxes[document.shipping_tax_code]
        net = totals.shipping_net
        gross = shipping if document.prices_include_tax else net + tax_amount(net, tax.collected_rate)
        entered_gross = document.prices_include_tax or defaults.fee_gross
        row.update(
            DO_TypeFrais=0,
            DO_ValFrais=gross if entered_gross else net,
            DO_TypeLigneFrais=int(entered_gross),
            DO_CodeTaxe1=tax.code,
            DO_Taxe1=tax.rate,
            DO_TypeTaux1=tax.rate_type,
            DO_TypeTaxe1=tax.tax_type,
        )
    notes = ctx.options.notes_field
    if document.notes and notes in table.c:
        row[notes] = document.notes
    return {name: value for name, value in set_twins(table, row).items() if name in table.c}


@dataclass(frozen=True, slots=True)
class LineContext:
    """What a line takes from its document and from Sage's parameters."""

    kind: SalesKind
    header: dict[str, Any]
    tax: TaxCode
    gross_prices: bool
    """The customer's price category is tax-inclusive: lines are entered with tax."""
    prices_include_tax: bool
    """The document's unit prices already include tax (the shop's prices did)."""
    cost: Decimal
    depot: int
    record: str
    """How refusals name the document (its shop order)."""


def _line(
    ctx: SageContext,
    context: LineContext,
    line: DocumentLine,
    item: StockItem,
    index: int,
    line_number: int,
    now: datetime,
) -> dict[str, Any]:
    kind, header, tax = context.kind, context.header, context.tax
    base_quantity = line.quantity * item.pack_quantity
    price = (
        line.unit_price if item.pack_quantity == ONE else round_money(line.unit_price / item.pack_quantity, 6)
    )
    rate = line.tax_rate
    inclusive = context.prices_include_tax
    if inclusive:
        unit, gross_unit = round_money(price * HUNDRED / (HUNDRED + rate), 6), price
    else:
        unit, gross_unit = price, round_money(price * (HUNDRED + rate) / HUNDRED, 6)
    amount, gross_amount = line.net_and_gross(inclusive)
    if context.gross_prices and not inclusive and item.pack_quantity == ONE:
        # Tax-inclusive category: the gross unit price is the one entered, in cents.
        gross_unit = round_money(unit * (HUNDRED + rate) / HUNDRED, 2)
        gross_amount = round_money(
            line.quantity * gross_unit * (HUNDRED - line.discount_percent) / HUNDRED, 2
        )
    row = ctx.blank(F_DOCLIGNE, now)
    row.update(
        DO_Domaine=SALES_DOMAIN,
        DO_Type=kind.do_type,
        DO_DocType=kind.do_type,
        CT_Num=header["DO_Tiers"],
        DO_Piece=header["DO_Piece"],
        DO_Date=header["DO_Date"],
        DL_Ligne=(index + 1) * 1000,
        DO_Ref=header["DO_Ref"],
        AR_Ref=item.article,
        DL_Design=line.designation or item.design,
        DL_Qte=base_quantity,
        DL_PoidsNet=item.weight_net * base_quantity,
        DL_PoidsBrut=item.weight_gross * base_quantity,
        DL_Remise01REM_Valeur=line.discount_percent,
        DL_Remise01REM_Type=PERCENT if line.discount_percent else 0,
        DL_PrixUnitaire=unit,
        DL_Taxe1=tax.rate,
        DL_TypeTaux1=tax.rate_type,
        DL_TypeTaxe1=tax.tax_type,
        DL_CodeTaxe1=tax.code,
        CO_No=header["CO_No"],
        AG_No1=item.range1,
        AG_No2=item.range2,
        DL_PrixRU=context.cost,
        DL_CMUP=context.cost,
        DL_MvtStock=kind.stock_move if item.stock_managed else 0,
        EU_Enumere=item.unit_label,
        EU_Qte=line.quantity,
        DE_No=context.depot if item.stock_managed else 0,
        DL_NoRef=1,
        DL_TTC=int(inclusive or context.gross_prices),
        DL_PUTTC=gross_unit,
        DL_No=line_number,
        DO_DateLivr=EMPTY_DATE,
        DL_Valorise=1,
        DL_MontantHT=amount,
        DL_MontantTTC=gross_amount,
        PF_Num="",
        **_history(kind, header["DO_Piece"], header["DO_Date"], base_quantity, unit),
    )
    table = ctx.table(F_DOCLIGNE)
    return set_twins(table, row)


def _due_dates(
    conn: Connection,
    ctx: SageContext,
    document: SalesDocument,
    kind: SalesKind,
    number: str,
    customer: str,
    now: datetime,
    what: str,
    prefetched: Prefetched | None = None,
) -> list[dict[str, Any]]:
    """The document's due dates (``F_DOCREGL`` rows) from the customer's payment terms
    (``F_REGLEMENTT``)."""
    if prefetched is not None and customer in prefetched.terms:
        terms = prefetched.terms[customer]
    else:
        terms = list(
            conn.execute(
                select(F_REGLEMENTT).where(F_REGLEMENTT.c.CT_Num == customer).order_by(F_REGLEMENTT.c.cbMarq)
            )
        )
    mode = slot(document.payment_mode, what, "payment mode")
    dues = list(split_terms(document.date, terms, mode))
    first = next_id(conn, F_DOCREGL, "DR_No", len(dues))
    table = ctx.table(F_DOCREGL)
    rows = []
    for offset, due in enumerate(dues):
        row = ctx.blank(F_DOCREGL, now)
        row.update(
            DR_No=first + offset,
            DO_Domaine=SALES_DOMAIN,
            DO_Type=kind.do_type,
            DO_DocType=kind.do_type,
            DO_Piece=number,
            DR_TypeRegl=DUE_DATE,
            DR_Date=sage_day(due.day),
            DR_Pourcent=due.percent,
            DR_Montant=due.amount,
            DR_Equil=int(due.balance),
            N_Reglement=due.mode,
        )
        rows.append(set_twins(table, row))
    return rows


def _deltas(effect: StockEffect, quantity: Decimal, value: Decimal) -> dict[str, Decimal]:
    """Changes to (real, reserved, in preparation, stock value) for one movement."""
    if effect is StockEffect.RESERVE:
        return {"sto": ZERO, "res": quantity, "prep": ZERO, "value": ZERO}
    if effect is StockEffect.PREPARE:
        return {"sto": ZERO, "res": ZERO, "prep": quantity, "value": ZERO}
    if effect is StockEffect.OUT:
        return {"sto": -quantity, "res": ZERO, "prep": ZERO, "value": -value}
    if effect is StockEffect.IN:
        return {"sto": quantity, "res": ZERO, "prep": ZERO, "value": value}
    return {"sto": ZERO, "res": ZERO, "prep": ZERO, "value": ZERO}


_MOVE_STOCK = (
    update(F_ARTSTOCK)
    .where(F_ARTSTOCK.c.AR_Ref == bindparam("b_ref"), F_ARTSTOCK.c.DE_No == bindparam("b_depot"))
    .values(
        AS_QteSto=func.coalesce(F_ARTSTOCK.c.AS_QteSto, 0) + bindparam("b_sto"),
        AS_QteRes=func.coalesce(F_ARTSTOCK.c.AS_QteRes, 0) + bindparam("b_res"),
        AS_QtePrepa=func.coalesce(F_ARTSTOCK.c.AS_QtePrepa, 0) + bindparam("b_prep"),
        AS_MontSto=func.coalesce(F_ARTSTOCK.c.AS_MontSto, 0) + bindparam("b_value"),
        cbModification=bindparam("b_now"),
    )
)
"""A stock row moved by deltas (one statement for every row of a document, built once)."""


VALUE_KEPT = (StockEffect.RESERVE, StockEffect.PREPARE)
"""Stock effects that leave the quantity in stock and its value (the average cost) as they are."""
RETURNING_DIALECTS = ("postgresql", "sqlite")
"""Where the stock ``UPDATE`` of those effects hands its rows back (``RETURNING``) instead of
their being read first. Not SQL Server: its ``OUTPUT`` clause refuses a table with triggers, as
Sage's tables have."""
STOCK_COLUMNS = ("AS_QteSto", "AS_QteRes", "AS_QtePrepa", "AS_MontSto")
"""What a stock move changes (the other columns by nothing: a NULL left by another program
becomes 0, as the move by deltas makes it)."""
_MOVED_COLUMN = {StockEffect.RESERVE: "AS_QteRes", StockEffect.PREPARE: "AS_QtePrepa"}


def returns_moved_rows(conn: Connection, effect: StockEffect) -> bool:
    """Whether :func:`move_stock` moves ``effect`` by a statement returning the rows (SQLite
    3.35 and later for SQLite)."""
    dialect = conn.dialect
    return effect in VALUE_KEPT and dialect.name in RETURNING_DIALECTS and dialect.update_returning


@cache
def _move_returning(effect: StockEffect, count: int) -> Update:
    """``count`` stock rows moved by one statement that returns them (built once per count):
    ``_MOVE_STOCK`` for an effect of :data:`VALUE_KEPT`."""
    table = F_ARTSTOCK
    keys = [
        and_(table.c.AR_Ref == bindparam(f"b_ref{i}"), table.c.DE_No == bindparam(f"b_depot{i}"))
        for i in range(count)
    ]
    moved = _MOVED_COLUMN[effect]
    change = case(*((key, bindparam(f"b_qty{i}", type_=SageAmount())) for i, key in enumerate(keys)))
    values: dict[str, Any] = {name: func.coalesce(table.c[name], 0) for name in STOCK_COLUMNS}
    values[moved] = values[moved] + change
    return (
        update(table)
        .where(or_(*keys))
        .values(**values, cbModification=bindparam("b_now"))
        .returning(table.c.AR_Ref, table.c.DE_No, table.c.AS_QteSto, table.c.AS_MontSto)
    )


def move_stock(
    conn: Connection,
    ctx: SageContext,
    effect: StockEffect,
    moves: list[tuple[StockItem, int, Decimal]],
    now: datetime,
    stock: StockRows | None = None,
) -> StockRows | None:
    """Apply the document's stock effect to ``F_ARTSTOCK`` (and ``F_GAMSTOCK`` for range cells).

    Stock value (``AS_MontSto``) moves at the average cost (value ÷ quantity) when there is
    stock, else at the purchase price. ``stock``: the moved articles' rows, read already in
    this transaction (else they are read here). An effect of :data:`VALUE_KEPT` on a database of
    :data:`RETURNING_DIALECTS` reads nothing: its statement returns the moved rows, which are
    returned (their quantity and value as they were).
    """
    if not moves:
        return None
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    cells: dict[tuple[str, int, int, int], Decimal] = defaultdict(Decimal)
    costs: dict[str, Decimal] = {}
    for item, depot, quantity in moves:
        totals[(item.article, depot)] += quantity
        costs[item.article] = item.cost
        if item.range1:
            cells[(item.article, item.range1, item.range2, depot)] += quantity
    if returns_moved_rows(conn, effect):
        moved = _moved_returning(conn, ctx, effect, totals, now)
        if cells:
            _move_cells(conn, ctx, effect, cells, now)
        return moved
    current = stock if stock is not None else stock_rows(conn, {ref for ref, _ in totals})
    _add_missing(conn, ctx, [key for key in totals if key not in current], now)
    params = []
    for (ref, depot), quantity in sorted(totals.items()):
        held, value = current.get((ref, depot), (ZERO, ZERO))
        unit_cost = value / held if held > 0 and value > 0 else costs[ref]
        deltas = _deltas(effect, quantity, round_money(quantity * unit_cost, 6))
        params.append(
            {"b_ref": ref, "b_depot": depot, "b_now": now, **{f"b_{k}": v for k, v in deltas.items()}}
        )
    conn.execute(_MOVE_STOCK, params)
    if cells:
        _move_cells(conn, ctx, effect, cells, now)
    return None


def _moved_returning(
    conn: Connection,
    ctx: SageContext,
    effect: StockEffect,
    totals: dict[tuple[str, int], Decimal],
    now: datetime,
) -> StockRows:
    """Move the stock rows of ``totals`` by one statement that returns them; the rows missing
    are added (as :func:`move_stock` adds them) and moved."""
    found: StockRows = {}
    keys = sorted(totals)
    for attempt in range(2):
        params: dict[str, Any] = {"b_now": now}
        for i, (ref, depot) in enumerate(keys):
            params |= {f"b_ref{i}": ref, f"b_depot{i}": depot, f"b_qty{i}": totals[(ref, depot)]}
        for reference, depot, quantity, value in conn.execute(_move_returning(effect, len(keys)), params):
            found[(reference.strip(), depot)] = (plain_decimal(quantity), plain_decimal(value))
        keys = [key for key in keys if key not in found]
        if not keys or attempt:
            break
        _add_missing(conn, ctx, keys, now)
    return found


def _add_missing(conn: Connection, ctx: SageContext, missing: list[tuple[str, int]], now: datetime) -> None:
    """Blank stock rows for the (article, warehouse) pairs that have none yet."""
    if not missing:
        return
    rows = []
    for ref, depot in missing:
        row = blank_row(F_ARTSTOCK, user=ctx.user, now=now)
        row.update(AR_Ref=ref, DE_No=depot)
        rows.append(set_twins(F_ARTSTOCK, row))
    records = [f"stock of {ref} in warehouse {depot}" for ref, depot in missing]
    insert_rows(conn, F_ARTSTOCK, rows, records)


def _move_cells(
    conn: Connection,
    ctx: SageContext,
    effect: StockEffect,
    cells: dict[tuple[str, int, int, int], Decimal],
    now: datetime,
) -> None:
    table = F_GAMSTOCK
    refs = sorted({key[0] for key in cells})
    present = {
        (r.AR_Ref.strip(), r.AG_No1 or 0, r.AG_No2 or 0, r.DE_No)
        for r in conn.execute(
            select(table.c.AR_Ref, table.c.AG_No1, table.c.AG_No2, table.c.DE_No).where(
                table.c.AR_Ref.in_(refs)
            )
        )
    }
    missing = [key for key in cells if key not in present]
    if missing:
        rows = []
        for ref, ag1, ag2, depot in missing:
            row = blank_row(table, user=ctx.user, now=now)
            row.update(AR_Ref=ref, AG_No1=ag1, AG_No2=ag2, DE_No=depot)
            rows.append(set_twins(table, row))
        records = [f"stock of {ref} in warehouse {depot}" for ref, _, _, depot in missing]
        insert_rows(conn, table, rows, records)
    params = [
        {
            "b_ref": ref,
            "b_ag1": ag1,
            "b_ag2": ag2,
            "b_depot": depot,
            "b_now": now,
            **{f"b_{k}": v for k, v in _deltas(effect, quantity, ZERO).items() if k != "value"},
        }
        for (ref, ag1, ag2, depot), quantity in sorted(cells.items())
    ]
    conn.execute(
        update(table)
        .where(
            and_(
                table.c.AR_Ref == bindparam("b_ref"),
                table.c.AG_No1 == bindparam("b_ag1"),
                table.c.AG_No2 == bindparam("b_ag2"),
                table.c.DE_No == bindparam("b_depot"),
            )
        )
        .values(
            GS_QteSto=func.coalesce(table.c.GS_QteSto, 0) + bindparam("b_sto"),
            GS_QteRes=func.coalesce(table.c.GS_QteRes, 0) + bindparam("b_res"),
            GS_QtePrepa=func.coalesce(table.c.GS_QtePrepa, 0) + bindparam("b_prep"),
            cbModification=bindparam("b_now"),
        ),
        params,
    )
