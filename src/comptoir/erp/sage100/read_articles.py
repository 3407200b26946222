"""Articles with everything the catalog jobs need, in four set-based queries.

1. ``F_ARTICLE`` (with its free fields) joined to its sales tax code: ``F_ARTCOMPTA`` of the
   article for the configured accounting category, else ``F_FAMCOMPTA`` of its family
   (``ACP_Type``/``FCP_Type`` 0 = sales, ``ACP_Champ``/``FCP_Champ`` = category, 1 = France);
2. packaging units (``F_CONDITION``) with their price for price category 1 (``F_TARIFCOND``);
3. range cells (``F_ARTENUMREF`` + ``F_ARTGAMME`` values + ``P_GAMME`` names) with their
   price for category 1 (``F_TARIFGAM``);
4. bills of materials (``F_NOMENCLAT``).

The number of queries never depends on the number of articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, func, or_, select
from sqlalchemy.engine import Connection, Row

from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.freefields import free_values
from comptoir.erp.sage100.schema import (
    F_ARTCOMPTA,
    F_ARTENUMREF,
    F_ARTGAMME,
    F_CONDITION,
    F_FAMCOMPTA,
    F_NOMENCLAT,
    F_TARIFCOND,
    F_TARIFGAM,
    P_GAMME,
)
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import Article, Packaging, RangeItem

SALES = 0
"""``ACP_Type`` / ``FCP_Type`` of the sales accounting lines."""
BASE_CATEGORY = "a01"
"""``xx_RefCF`` of price category 1, whose packaging and range prices the articles carry."""
CHUNK = 900
"""References per ``IN (…)`` list (SQL Server accepts 2,100 parameters per statement)."""


def chunks(values: Collection[str], size: int = CHUNK) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _amount(value: Decimal | None) -> Decimal:
    return plain_decimal(value)


def _article_query(ctx: SageContext, where: ColumnElement[bool] | None) -> Select[Any]:
    art = ctx.article
    acp = F_ARTCOMPTA.alias("acp")
    fcp = F_FAMCOMPTA.alias("fcp")
    category = ctx.options.accounting_category
    base = [
        art.c.AR_Ref,
        art.c.AR_Design,
        art.c.FA_CodeFamille,
        art.c.AR_PrixVen,
        art.c.AR_PrixTTC,
        art.c.AR_PrixAch,
        art.c.AR_Coef,
        art.c.AR_PoidsNet,
        art.c.AR_PoidsBrut,
        art.c.AR_CodeBarre,
        art.c.AR_Publie,
        art.c.AR_Sommeil,
        art.c.AR_SuiviStock,
        art.c.AR_DateCreation,
        art.c.AR_DateModif,
        art.c.AR_Photo,
        *(art.c[f"CL_No{i}"] for i in range(1, 5)),
        *(art.c[f"AR_Stat0{i}"] for i in range(1, 6)),
        *(art.c[f.name] for f in ctx.fields("F_ARTICLE")),
        acp.c.ACP_ComptaCPT_Taxe1.label("article_tax"),
        fcp.c.FCP_ComptaCPT_Taxe1.label("family_tax"),
    ]
    query = (
        select(*base)
        .select_from(
            art.outerjoin(
                acp,
                and_(acp.c.AR_Ref == art.c.AR_Ref, acp.c.ACP_Type == SALES, acp.c.ACP_Champ == category),
            ).outerjoin(
                fcp,
                and_(
                    fcp.c.FA_CodeFamille == art.c.FA_CodeFamille,
                    fcp.c.FCP_Type == SALES,
                    fcp.c.FCP_Champ == category,
                ),
            )
        )
        .order_by(art.c.AR_Ref)
    )
    return query.where(where) if where is not None else query


def _sale_price(data: Any) -> tuple[Decimal | None, str]:
    """``AR_PrixVen``; when it is 0 and a coefficient is set, purchase price × ``AR_Coef``, the
    price Sage derives from them (``None`` when the column is NULL)."""
    if data["AR_PrixVen"] is None:
        return None, "AR_PrixVen"
    price = _amount(data["AR_PrixVen"])
    coef, cost = _amount(data["AR_Coef"]), _amount(data["AR_PrixAch"])
    if not price and coef > 0 and cost > 0:
        return plain_decimal(cost * coef), "AR_PrixAch × AR_Coef"
    return price, "AR_PrixVen"


def _article(ctx: SageContext, row: Row[Any]) -> Article:
    data = row._mapping
    custom = free_values(data, ctx.fields("F_ARTICLE"))
    for i in range(1, 6):
        stat = _text(data[f"AR_Stat0{i}"])
        if stat:
            custom[f"AR_Stat0{i}"] = stat
    price, price_field = _sale_price(data)
    return Article(
        reference=data["AR_Ref"].strip(),
        designation=_text(data["AR_Design"]),
        family_code=_text(data["FA_CodeFamille"]),
        sale_price=price,
        price_field=price_field,
        price_includes_tax=bool(data["AR_PrixTTC"]),
        purchase_price=_amount(data["AR_PrixAch"]),
        tax_code=_text(data["article_tax"]) or _text(data["family_tax"]),
        weight_net=_amount(data["AR_PoidsNet"]),
        weight_gross=_amount(data["AR_PoidsBrut"]),
        barcode=_text(data["AR_CodeBarre"]),
        description=custom.get(ctx.options.description_field, ""),
        published=bool(data["AR_Publie"]),
        dormant=bool(data["AR_Sommeil"]),
        stock_managed=bool(data["AR_SuiviStock"]),
        created_at=ctx.clock.to_utc(data["AR_DateCreation"]),
        modified_at=ctx.clock.to_utc(data["AR_DateModif"]),
        custom_fields=custom,
        catalogue=_catalogue(data),
        images=(photo,) if (photo := _text(data["AR_Photo"])) else (),
    )


def _catalogue(data: Any) -> str:
    """The deepest catalogue level set (``CL_No4`` … ``CL_No1``; 0 or NULL is unset)."""
    for level in (4, 3, 2, 1):
        number = data[f"CL_No{level}"]
        if number:
            return str(number)
    return ""


def _packagings(conn: Connection, where: ColumnElement[bool] | None) -> dict[str, list[Packaging]]:
    price = F_TARIFCOND
    query = (
        select(
            F_CONDITION.c.AR_Ref,
            F_CONDITION.c.CO_No,
            F_CONDITION.c.EC_Enumere,
            F_CONDITION.c.EC_Quantite,
            F_CONDITION.c.CO_Ref,
            F_CONDITION.c.CO_CodeBarre,
            price.c.TC_Prix,
        )
        .select_from(
            F_CONDITION.outerjoin(
                price,
                and_(
                    price.c.AR_Ref == F_CONDITION.c.AR_Ref,
                    price.c.CO_No == F_CONDITION.c.CO_No,
                    price.c.TC_RefCF == BASE_CATEGORY,
                ),
            )
        )
        .order_by(F_CONDITION.c.AR_Ref, F_CONDITION.c.CO_No)
    )
    if where is not None:
        query = query.where(where)
    found: dict[str, list[Packaging]] = defaultdict(list)
    for ref, number, label, quantity, reference, barcode, amount in conn.execute(query):
        found[ref.strip()].append(
            Packaging(
                number=number or 0,
                label=_text(label),
                quantity=_amount(quantity),
                reference=_text(reference),
                barcode=_text(barcode),
                price=_amount(amount) if amount is not None else None,
                price_field="F_TARIFCOND.TC_Prix",
            )
        )
    return found


def _ranges(
    conn: Connection, ctx: SageContext, where: ColumnElement[bool] | None
) -> dict[str, list[RangeItem]]:
    art = ctx.article
    g1 = F_ARTGAMME.alias("g1")
    g2 = F_ARTGAMME.alias("g2")
    p1 = P_GAMME.alias("p1")
    p2 = P_GAMME.alias("p2")
    price = F_TARIFGAM
    cell = F_ARTENUMREF
    query = (
        select(
            cell.c.AR_Ref,
            cell.c.AE_Ref,
            cell.c.AE_CodeBarre,
            cell.c.AE_Sommeil,
            p1.c.G_Intitule.label("dim1"),
            g1.c.EG_Enumere.label("value1"),
            p2.c.G_Intitule.label("dim2"),
            g2.c.EG_Enumere.label("value2"),
            price.c.TG_Prix,
        )
        .select_from(
            cell.join(art, art.c.AR_Ref == cell.c.AR_Ref)
            .outerjoin(g1, g1.c.AG_No == cell.c.AG_No1)
            .outerjoin(g2, and_(g2.c.AG_No == cell.c.AG_No2, cell.c.AG_No2 != 0))
            .outerjoin(p1, p1.c.cbIndice == art.c.AR_Gamme1)
            .outerjoin(p2, p2.c.cbIndice == art.c.AR_Gamme2)
            .outerjoin(
                price,
                and_(
                    price.c.AR_Ref == cell.c.AR_Ref,
                    price.c.AG_No1 == cell.c.AG_No1,
                    price.c.AG_No2 == cell.c.AG_No2,
                    price.c.TG_RefCF == BASE_CATEGORY,
                ),
            )
        )
        .order_by(cell.c.AR_Ref, g1.c.cbMarq, g2.c.cbMarq)
    )
    if where is not None:
        query = query.where(where)
    found: dict[str, list[RangeItem]] = defaultdict(list)
    for row in conn.execute(query):
        values: list[tuple[str, str]] = []
        if row.value1:
            values.append((_text(row.dim1) or "Gamme 1", row.value1.strip()))
        if row.value2:
            values.append((_text(row.dim2) or "Gamme 2", row.value2.strip()))
        found[row.AR_Ref.strip()].append(
            RangeItem(
                reference=_text(row.AE_Ref),
                values=tuple(values),
                barcode=_text(row.AE_CodeBarre),
                price=_amount(row.TG_Prix) if row.TG_Prix is not None else None,
                dormant=bool(row.AE_Sommeil),
                price_field="F_TARIFGAM.TG_Prix",
            )
        )
    return found


def _components(conn: Connection, where: ColumnElement[bool] | None) -> dict[str, list[tuple[str, Decimal]]]:
    query = select(F_NOMENCLAT.c.AR_Ref, F_NOMENCLAT.c.NO_RefDet, F_NOMENCLAT.c.NO_Qte).order_by(
        F_NOMENCLAT.c.AR_Ref, F_NOMENCLAT.c.NO_Ordre, F_NOMENCLAT.c.cbMarq
    )
    if where is not None:
        query = query.where(where)
    found: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for ref, component, quantity in conn.execute(query):
        found[ref.strip()].append((component.strip(), _amount(quantity)))
    return found


def _load(conn: Connection, ctx: SageContext, where: ColumnElement[bool] | None) -> list[Article]:
    art = ctx.article
    articles = [_article(ctx, row) for row in conn.execute(_article_query(ctx, where))]
    if not articles:
        return []
    selection = select(art.c.AR_Ref).where(where) if where is not None else None

    def among(column: Any) -> ColumnElement[bool] | None:
        return column.in_(selection) if selection is not None else None

    packagings = _packagings(conn, among(F_CONDITION.c.AR_Ref))
    ranges = _ranges(conn, ctx, among(F_ARTENUMREF.c.AR_Ref))
    components = _components(conn, among(F_NOMENCLAT.c.AR_Ref))
    for index, article in enumerate(articles):  # in place: the catalog is never held twice
        ref = article.reference
        if ref in packagings or ref in ranges or ref in components:
            articles[index] = replace(
                article,
                packagings=tuple(packagings.get(ref, ())),
                ranges=tuple(ranges.get(ref, ())),
                components=tuple(components.get(ref, ())),
            )
    return articles


def read_articles(
    conn: Connection, ctx: SageContext, *, modified_since: datetime | None = None
) -> list[Article]:
    """Every article (dormant ones flagged), or those whose ``AR_DateModif`` is on or after a date."""
    where = None
    if modified_since is not None:
        where = ctx.article.c.AR_DateModif >= ctx.clock.since(modified_since)
    return _load(conn, ctx, where)


def read_group_articles(
    conn: Connection, ctx: SageContext, field: str, masters: Collection[str]
) -> list[Article]:
    """The articles whose ``field`` (a free field's name or ``AR_Stat0…``, as ``custom_fields``
    names them) holds one of ``masters``, and those whose reference is one: a few queries per 500
    masters instead of the whole catalog, a group's members in one query (by reference, as
    ``read_articles`` orders them). A field that is no column of ``F_ARTICLE`` matches no
    article (its groups are their carriers alone); a free field that is not a text (a number, a
    date) is compared as ``custom_fields`` shows it, on every article."""
    wanted = sorted({m.strip() for m in masters if m and m.strip()})
    art = ctx.article
    column = art.c.get(field)
    if column is not None and not isinstance(column.type, String):
        chosen = set(wanted)
        return [
            a
            for a in _load(conn, ctx, None)
            if a.reference in chosen or a.custom_fields.get(field, "").strip() in chosen
        ]
    found: dict[str, Article] = {}
    for chunk in chunks(wanted):
        where: ColumnElement[bool] = art.c.AR_Ref.in_(chunk)
        if column is not None:
            where = or_(where, func.ltrim(func.rtrim(column)).in_(chunk))
        found |= {a.reference: a for a in _load(conn, ctx, where)}
    return list(found.values())


def _variants(
    base: Mapping[str, Article], cells: Sequence[tuple[str, str]], packs: Sequence[tuple[str, str]]
) -> dict[str, Article]:
    """Range cells and packaging units asked for by their own reference, as articles."""
    found: dict[str, Article] = {}
    for ae_ref, ar_ref in cells:
        article = base.get(ar_ref.strip())
        item = next((r for r in article.ranges if r.reference == ae_ref.strip()), None) if article else None
        if article is None or item is None:
            continue
        label = " ".join(value for _, value in item.values)
        found[item.reference] = replace(
            article,
            reference=item.reference,
            designation=f"{article.designation} {label}".strip(),
            sale_price=item.price if item.price is not None else article.sale_price,
            price_field="F_TARIFGAM.TG_Prix" if item.price is not None else article.price_field,
            barcode=item.barcode or article.barcode,
            ranges=(),
        )
    for co_ref, ar_ref in packs:
        article = base.get(ar_ref.strip())
        pack = (
            next((p for p in article.packagings if p.reference == co_ref.strip()), None) if article else None
        )
        if article is None or pack is None:
            continue
        found[pack.reference] = replace(
            article,
            reference=pack.reference,
            designation=f"{article.designation} {pack.label}".strip(),
            sale_price=pack.price
            if pack.price is not None
            else (article.sale_price * pack.quantity if article.sale_price is not None else None),
            price_field="F_TARIFCOND.TC_Prix" if pack.price is not None else article.price_field,
            barcode=pack.barcode or article.barcode,
            packagings=(),
        )
    return found


def find_articles(conn: Connection, ctx: SageContext, references: Collection[str]) -> dict[str, Article]:
    """The articles among ``references``; a range cell (``AE_Ref``) or packaging unit
    (``CO_Ref``) reference gives its article under that reference, priced for that cell or unit.
    """
    wanted = {r.strip() for r in references if r and r.strip()}
    found: dict[str, Article] = {}
    for chunk in chunks(wanted):
        cells = [
            (ae_ref, ar_ref)
            for ae_ref, ar_ref in conn.execute(
                select(F_ARTENUMREF.c.AE_Ref, F_ARTENUMREF.c.AR_Ref).where(F_ARTENUMREF.c.AE_Ref.in_(chunk))
            )
        ]
        packs = [
            (co_ref, ar_ref)
            for co_ref, ar_ref in conn.execute(
                select(F_CONDITION.c.CO_Ref, F_CONDITION.c.AR_Ref).where(F_CONDITION.c.CO_Ref.in_(chunk))
            )
        ]
        parents = {ar_ref for _, ar_ref in cells} | {ar_ref for _, ar_ref in packs}
        where = or_(ctx.article.c.AR_Ref.in_(chunk), ctx.article.c.AR_Ref.in_(sorted(parents)))
        loaded = {a.reference: a for a in _load(conn, ctx, where)}
        found.update({ref: a for ref, a in loaded.items() if ref in wanted})
        variants = _variants(loaded, cells, packs)
        found.update({ref: a for ref, a in variants.items() if ref in wanted and ref not in found})
    return found
