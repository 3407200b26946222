"""Price categories and every price rule, in a fixed number of queries.

Each row becomes one ``PriceRule`` (model/pricing.py) for a category or a customer; the
resolver applies them as Sage does (docs/pricing.md). Sources are cited in docs/erp/sage100.md.

* ``F_ARTCLIENT``: a row of a category (``AC_Categorie`` n, no ``CT_Num``) or of a customer
  (``CT_Num``, an exception price). Its price ``AC_PrixVen``; when 0 and ``AC_Coef`` is set, the
  article's purchase price ``AR_PrixAch`` × ``AC_Coef``; when both are 0 no price (the next
  price in line applies). ``AC_PrixTTC`` says the price includes tax, ``AC_Remise`` is its
  discount in percent, ``AC_TypeRem`` 1 puts the article out of discounts (*hors remise*).
  ``AC_QteMont`` 1, 2 and 3 make the row go by bands of ``F_TARIFQTE``: discounts by quantity,
  discounts by line amount, net prices by quantity.
* ``F_TARIFQTE``: the bands (``TQ_RefCF`` ``a01``…``a32`` a category, else a customer), each up to
  ``TQ_BorneSup`` inclusive; ``TQ_PrixNet`` a net price, ``TQ_Remise01..03`` discounts in cascade
  (``REM_Type`` 0 an amount per unit, 1 a percentage; 2, a free quantity, is not a price).
* ``F_FAMTARIF``: a family's discount for a category (``FT_Remise``); ``FT_QteMont`` 1 or 2 makes
  it go by the bands of ``F_FAMTARIFQTE`` (by quantity or by line amount). ``FT_Coef`` is the
  coefficient Sage proposes to the family's new articles, not a price condition.
* ``F_FAMCLIENT``: a family's discount for a customer (``FC_Remise``); bands of
  ``F_FAMTARIFQTE`` under the customer's account, when there are, replace it.
* ``F_TARIFCOND`` / ``F_TARIFGAM``: prices of packaging units and range cells, under the unit's
  or cell's own reference (with the tax flag of the article's row for the same target, else the
  category's ``CT_PrixTTC``).

Purchasing centrals (``CT_NumCentrale``) are not expanded here: each customer carries its central
(``Customer.central_code``) and the resolver gives a member the better of both conditions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.schema import (
    F_ARTCLIENT,
    F_ARTENUMREF,
    F_ARTICLE,
    F_COMPTET,
    F_CONDITION,
    F_FAMCLIENT,
    F_FAMTARIF,
    F_FAMTARIFQTE,
    F_TARIFCOND,
    F_TARIFGAM,
    F_TARIFQTE,
    P_CATTARIF,
)
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import BandBasis, Discount, DiscountKind, PriceBand, PriceCategory, PriceRule

CUSTOMER = 0
"""``CT_Type`` of customers."""
AMOUNT, PERCENT = 0, 1
"""``*_REMxx_Type`` of a discount: an amount per unit, a percentage (2: a free quantity)."""
BY_AMOUNT, NET_BY_QUANTITY = 2, 3
"""``AC_QteMont`` / ``FT_QteMont``: 0 none, 1 discounts by quantity, 2 by amount, 3 net prices."""
OUT_OF_DISCOUNTS = 1
"""``AC_TypeRem`` of an article out of discounts (hors remise)."""
_CATEGORY_REF = re.compile(r"^a(\d{2})$")

Target = tuple[str | None, str | None]
"""(price category, customer code)."""


def read_price_categories(conn: Connection) -> list[PriceCategory]:
    """The used slots of ``P_CATTARIF`` (non-empty intitulé)."""
    rows = conn.execute(
        select(P_CATTARIF.c.cbIndice, P_CATTARIF.c.CT_Intitule, P_CATTARIF.c.CT_PrixTTC)
        .where(P_CATTARIF.c.CT_Intitule != "")
        .order_by(P_CATTARIF.c.cbIndice)
    )
    return [
        PriceCategory(key=str(number), name=name.strip(), includes_tax=bool(ttc))
        for number, name, ttc in rows
        if name and name.strip()
    ]


def ref_target(ref_cf: str | None) -> Target:
    """``a02`` → ("2", None); ``CLIENT`` → (None, "CLIENT")."""
    text = (ref_cf or "").strip()
    match = _CATEGORY_REF.match(text)
    if match:
        return str(int(match.group(1))), None
    return None, text or None


def _discounts(values: Iterable[tuple[Any, Any]]) -> tuple[Discount, ...]:
    """``REM_Valeur``/``REM_Type`` pairs as discounts (free quantities and zeros left out)."""
    found = []
    for value, kind in values:
        amount = plain_decimal(value)
        if not amount or kind not in (AMOUNT, PERCENT):
            continue
        found.append(Discount(amount, DiscountKind.PERCENT if kind == PERCENT else DiscountKind.AMOUNT))
    return tuple(found)


def _bands(conn: Connection, table: Any, key: str, prefix: str) -> dict[tuple[str, Target], list[PriceBand]]:
    """Bands of ``F_TARIFQTE`` (by article) or ``F_FAMTARIFQTE`` (by family), by owner and target."""
    columns = [table.c[key], table.c[f"{prefix}_RefCF"], table.c[f"{prefix}_BorneSup"]]
    for n in ("01", "02", "03"):
        columns += [table.c[f"{prefix}_Remise{n}REM_Valeur"], table.c[f"{prefix}_Remise{n}REM_Type"]]
    net = f"{prefix}_PrixNet"
    if net in table.c:
        columns.append(table.c[net])
    found: dict[tuple[str, Target], list[PriceBand]] = defaultdict(list)
    for row in conn.execute(select(*columns).order_by(table.c[key], columns[1], columns[2])):
        owner, ref_cf, upper, v1, t1, v2, t2, v3, t3, *rest = row
        target = ref_target(ref_cf)
        if not owner or target == (None, None):
            continue
        net_price = plain_decimal(rest[0]) if rest and rest[0] else None
        found[(owner.strip(), target)].append(
            PriceBand(plain_decimal(upper), net_price, _discounts(((v1, t1), (v2, t2), (v3, t3))))
        )
    return found


def _source(table: str, **keys: str | None) -> str:
    named = ", ".join(f"{k}={v}" for k, v in keys.items() if v)
    return f"{table} ({named})"


def _article_rules(conn: Connection) -> list[PriceRule]:
    bands = _bands(conn, F_TARIFQTE, "AR_Ref", "TQ")
    query = (
        select(
            F_ARTCLIENT.c.AR_Ref,
            F_ARTCLIENT.c.AC_Categorie,
            F_ARTCLIENT.c.CT_Num,
            F_ARTCLIENT.c.AC_PrixVen,
            F_ARTCLIENT.c.AC_Coef,
            F_ARTCLIENT.c.AC_PrixTTC,
            F_ARTCLIENT.c.AC_Remise,
            F_ARTCLIENT.c.AC_TypeRem,
            F_ARTCLIENT.c.AC_QteMont,
            F_ARTICLE.c.AR_PrixAch,
        )
        .select_from(F_ARTCLIENT.join(F_ARTICLE, F_ARTICLE.c.AR_Ref == F_ARTCLIENT.c.AR_Ref))
        .order_by(F_ARTCLIENT.c.AR_Ref, F_ARTCLIENT.c.AC_Categorie, F_ARTCLIENT.c.CT_Num)
    )
    rules: list[PriceRule] = []
    for ref, category, customer, price, coef, ttc, discount, out, by_band, cost in conn.execute(query):
        reference = ref.strip()
        code = (customer or "").strip() or None
        group = None if code else (str(category) if category else None)
        if group is None and code is None:
            continue
        price, coef, discount = plain_decimal(price), plain_decimal(coef), plain_decimal(discount)
        if not price and coef and cost:
            price = plain_decimal(plain_decimal(cost) * coef)
        rule_bands = tuple(bands.get((reference, (group, code)), ())) if by_band else ()
        if by_band == NET_BY_QUANTITY:
            rule_bands = tuple(PriceBand(b.upper, b.net_price) for b in rule_bands)
        else:
            rule_bands = tuple(PriceBand(b.upper, None, b.discounts) for b in rule_bands)
        exclusive = out == OUT_OF_DISCOUNTS
        if not price and not discount and not rule_bands and not exclusive:
            continue
        rules.append(
            PriceRule(
                reference=reference,
                price_category=group,
                customer_code=code,
                price=price or None,
                includes_tax=bool(ttc),
                discounts=(Discount(discount),) if discount else (),
                bands=rule_bands,
                band_basis=BandBasis.AMOUNT if by_band == BY_AMOUNT else BandBasis.QUANTITY,
                exclusive=exclusive,
                source=_source("F_ARTCLIENT", AR_Ref=reference, AC_Categorie=group, CT_Num=code),
            )
        )
    return rules


def _family_rules(conn: Connection) -> list[PriceRule]:
    bands = _bands(conn, F_FAMTARIFQTE, "FA_CodeFamille", "FQ")
    rules: list[PriceRule] = []
    query = select(
        F_FAMTARIF.c.FA_CodeFamille,
        F_FAMTARIF.c.FT_Categorie,
        F_FAMTARIF.c.FT_Remise,
        F_FAMTARIF.c.FT_QteMont,
        F_FAMTARIF.c.FT_PrixTTC,
    ).order_by(F_FAMTARIF.c.FA_CodeFamille, F_FAMTARIF.c.FT_Categorie)
    for family, category, discount, by_band, ttc in conn.execute(query):
        code, group = family.strip(), str(category)
        family_bands = tuple(bands.get((code, (group, None)), ())) if by_band else ()
        discount = plain_decimal(discount)
        if not discount and not family_bands:
            continue
        rules.append(
            PriceRule(
                family_code=code,
                price_category=group,
                includes_tax=bool(ttc),
                discounts=(Discount(discount),) if discount else (),
                bands=family_bands,
                band_basis=BandBasis.AMOUNT if by_band == BY_AMOUNT else BandBasis.QUANTITY,
                source=_source("F_FAMTARIF", FA_CodeFamille=code, FT_Categorie=group),
            )
        )
    per_customer = select(
        F_FAMCLIENT.c.FA_CodeFamille, F_FAMCLIENT.c.CT_Num, F_FAMCLIENT.c.FC_Remise
    ).order_by(F_FAMCLIENT.c.CT_Num, F_FAMCLIENT.c.FA_CodeFamille)
    for family, customer, discount in conn.execute(per_customer):
        code, account = family.strip(), customer.strip()
        family_bands = tuple(bands.get((code, (None, account)), ()))
        discount = plain_decimal(discount)
        if not discount and not family_bands:
            continue
        rules.append(
            PriceRule(
                family_code=code,
                customer_code=account,
                discounts=(Discount(discount),) if discount and not family_bands else (),
                bands=family_bands,
                source=_source("F_FAMCLIENT", FA_CodeFamille=code, CT_Num=account),
            )
        )
    return rules


def _variant_rules(
    conn: Connection, article_ttc: dict[tuple[str, Target], bool], categories_ttc: dict[str, bool]
) -> list[PriceRule]:
    packs = (
        select(F_CONDITION.c.CO_Ref, F_TARIFCOND.c.AR_Ref, F_TARIFCOND.c.TC_RefCF, F_TARIFCOND.c.TC_Prix)
        .select_from(
            F_TARIFCOND.join(
                F_CONDITION,
                and_(
                    F_CONDITION.c.AR_Ref == F_TARIFCOND.c.AR_Ref, F_CONDITION.c.CO_No == F_TARIFCOND.c.CO_No
                ),
            )
        )
        .order_by(F_CONDITION.c.CO_Ref, F_TARIFCOND.c.TC_RefCF)
    )
    cells = (
        select(F_ARTENUMREF.c.AE_Ref, F_TARIFGAM.c.AR_Ref, F_TARIFGAM.c.TG_RefCF, F_TARIFGAM.c.TG_Prix)
        .select_from(
            F_TARIFGAM.join(
                F_ARTENUMREF,
                and_(
                    F_ARTENUMREF.c.AR_Ref == F_TARIFGAM.c.AR_Ref,
                    F_ARTENUMREF.c.AG_No1 == F_TARIFGAM.c.AG_No1,
                    F_ARTENUMREF.c.AG_No2 == F_TARIFGAM.c.AG_No2,
                ),
            )
        )
        .order_by(F_ARTENUMREF.c.AE_Ref, F_TARIFGAM.c.TG_RefCF)
    )
    rules: list[PriceRule] = []
    for query, table, column in ((packs, "F_TARIFCOND", "TC_RefCF"), (cells, "F_TARIFGAM", "TG_RefCF")):
        for ref, parent, ref_cf, price in conn.execute(query):
            category, customer = ref_target(ref_cf)
            if not ref or not price or not (category or customer):
                continue
            reference = ref.strip()
            rules.append(
                PriceRule(
                    reference=reference,
                    price_category=category,
                    customer_code=customer,
                    price=plain_decimal(price),
                    includes_tax=article_ttc.get(
                        (parent.strip(), (category, customer)), categories_ttc.get(category or "", False)
                    ),
                    source=_source(table, AR_Ref=reference, **{column: ref_cf.strip()}),
                )
            )
    return rules


def read_central_links(conn: Connection) -> dict[str, str]:
    """Member customer → its purchasing central (``CT_NumCentrale``)."""
    rows = conn.execute(
        select(F_COMPTET.c.CT_Num, F_COMPTET.c.CT_NumCentrale)
        .where(F_COMPTET.c.CT_Type == CUSTOMER, F_COMPTET.c.CT_NumCentrale != "")
        .order_by(F_COMPTET.c.CT_Num)
    )
    return {member.strip(): central.strip() for member, central in rows if central and central.strip()}


def read_price_rules(conn: Connection) -> list[PriceRule]:
    """Every price rule of the company (see the module's documentation)."""
    categories_ttc = {c.key: c.includes_tax for c in read_price_categories(conn)}
    articles = _article_rules(conn)
    ttc = {
        (r.reference or "", (r.price_category, r.customer_code)): r.includes_tax
        for r in articles
        if r.reference
    }
    return articles + _family_rules(conn) + _variant_rules(conn, ttc, categories_ttc)
