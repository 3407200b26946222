"""Price categories and every price rule, in a fixed number of queries.

Rules read (SPEC §4), each as a ``PriceRule``:

* ``F_ARTCLIENT`` rows of a category (``AC_Categorie`` n, no ``CT_Num``): the category's
  price of the article (``AC_PrixVen``; when 0 and ``AC_Coef`` is set, purchase price ×
  coefficient, as Sage computes it; when both are 0 the article's base price applies and no
  rule is emitted) and its discount ``AC_Remise``. Rows whose price goes by quantity
  (``AC_QteMont`` ≠ 0) take their prices from ``F_TARIFQTE`` instead.
* ``F_ARTCLIENT`` rows of a customer (``CT_Num``): exception prices and discounts.
* ``F_FAMTARIF``: discount per family and category (``FT_Remise``).
* ``F_FAMCLIENT``: discount per family and customer (``FC_Remise``).
* ``F_TARIFQTE``: quantity breaks; each band ``TQ_BorneSup`` is an upper bound, so a band
  starts one unit above the previous bound (the first at 1). ``TQ_PrixNet`` gives a fixed
  price, else ``TQ_Remise01REM_Valeur`` a discount in percent (type 1).
* ``F_TARIFCOND`` / ``F_TARIFGAM``: prices of packaging units and range cells, under the
  unit's or cell's own reference.
* Purchasing centrals: a customer whose ``CT_NumCentrale`` names a central gets the central's
  customer rules, except where it has its own rule for the same article or family.

``xx_RefCF`` values ``a01`` … ``a32`` name price categories 1 … 32; any other value is a
customer account.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

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
    F_TARIFCOND,
    F_TARIFGAM,
    F_TARIFQTE,
    P_CATTARIF,
)
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import PriceCategory, PriceRule, PriceRuleKind

CUSTOMER = 0
"""``CT_Type`` of customers."""
PERCENT = 1
"""``*_REMxx_Type`` of a discount in percent."""
_CATEGORY_REF = re.compile(r"^a(\d{2})$")
ONE = Decimal(1)
ZERO = Decimal(0)


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


def _target(ref_cf: str | None) -> tuple[str | None, str | None]:
    """``a02`` → ("2", None); ``CLIENT`` → (None, "CLIENT")."""
    text = (ref_cf or "").strip()
    match = _CATEGORY_REF.match(text)
    if match:
        return str(int(match.group(1))), None
    return None, text or None


def _article_rules(conn: Connection) -> list[PriceRule]:
    query = select(
        F_ARTCLIENT.c.AR_Ref,
        F_ARTCLIENT.c.AC_Categorie,
        F_ARTCLIENT.c.CT_Num,
        F_ARTCLIENT.c.AC_PrixVen,
        F_ARTCLIENT.c.AC_Coef,
        F_ARTCLIENT.c.AC_Remise,
        F_ARTCLIENT.c.AC_QteMont,
        F_ARTICLE.c.AR_PrixAch,
    ).select_from(F_ARTCLIENT.join(F_ARTICLE, F_ARTICLE.c.AR_Ref == F_ARTCLIENT.c.AR_Ref))
    rules: list[PriceRule] = []
    for ref, category, customer, price, coef, discount, by_quantity, cost in conn.execute(
        query.order_by(F_ARTCLIENT.c.AR_Ref, F_ARTCLIENT.c.AC_Categorie, F_ARTCLIENT.c.CT_Num)
    ):
        code = (customer or "").strip() or None
        group = None if code else (str(category) if category else None)
        if group is None and code is None:
            continue
        price, coef, discount = plain_decimal(price), plain_decimal(coef), plain_decimal(discount)
        if not by_quantity and not price and coef:
            price = plain_decimal(plain_decimal(cost) * coef)
        for kind, value in (
            (PriceRuleKind.FIXED, price if not by_quantity else ZERO),
            (PriceRuleKind.DISCOUNT, discount),
        ):
            if value:
                rules.append(
                    PriceRule(kind, value, reference=ref.strip(), price_category=group, customer_code=code)
                )
    return rules


def _family_rules(conn: Connection) -> list[PriceRule]:
    rules = [
        PriceRule(
            PriceRuleKind.DISCOUNT,
            plain_decimal(discount),
            family_code=family.strip(),
            price_category=str(category),
        )
        for family, category, discount in conn.execute(
            select(F_FAMTARIF.c.FA_CodeFamille, F_FAMTARIF.c.FT_Categorie, F_FAMTARIF.c.FT_Remise).order_by(
                F_FAMTARIF.c.FA_CodeFamille, F_FAMTARIF.c.FT_Categorie
            )
        )
        if discount
    ]
    rules += [
        PriceRule(
            PriceRuleKind.DISCOUNT,
            plain_decimal(discount),
            family_code=family.strip(),
            customer_code=code.strip(),
        )
        for family, code, discount in conn.execute(
            select(F_FAMCLIENT.c.FA_CodeFamille, F_FAMCLIENT.c.CT_Num, F_FAMCLIENT.c.FC_Remise).order_by(
                F_FAMCLIENT.c.CT_Num, F_FAMCLIENT.c.FA_CodeFamille
            )
        )
        if discount
    ]
    return rules


def _quantity_rules(conn: Connection) -> list[PriceRule]:
    band = F_TARIFQTE
    query = select(
        band.c.AR_Ref,
        band.c.TQ_RefCF,
        band.c.TQ_BorneSup,
        band.c.TQ_PrixNet,
        band.c.TQ_Remise01REM_Valeur,
        band.c.TQ_Remise01REM_Type,
    ).order_by(band.c.AR_Ref, band.c.TQ_RefCF, band.c.TQ_BorneSup)
    rules: list[PriceRule] = []
    previous: dict[tuple[str, str], Decimal] = {}
    for ref, ref_cf, upper, net, discount, discount_type in conn.execute(query):
        key = (ref.strip(), (ref_cf or "").strip())
        start = previous.get(key, Decimal(0)) + ONE
        previous[key] = plain_decimal(upper)
        category, customer = _target(ref_cf)
        if net:
            kind, value = PriceRuleKind.FIXED, plain_decimal(net)
        elif discount and discount_type == PERCENT:
            kind, value = PriceRuleKind.DISCOUNT, plain_decimal(discount)
        else:
            continue
        rules.append(
            PriceRule(
                kind,
                value,
                reference=key[0],
                price_category=category,
                customer_code=customer,
                min_quantity=start,
            )
        )
    return rules


def _variant_rules(conn: Connection) -> list[PriceRule]:
    packs = (
        select(F_CONDITION.c.CO_Ref, F_TARIFCOND.c.TC_RefCF, F_TARIFCOND.c.TC_Prix)
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
        select(F_ARTENUMREF.c.AE_Ref, F_TARIFGAM.c.TG_RefCF, F_TARIFGAM.c.TG_Prix)
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
    for query in (packs, cells):
        for ref, ref_cf, price in conn.execute(query):
            category, customer = _target(ref_cf)
            if ref and price and (category or customer):
                rules.append(
                    PriceRule(
                        PriceRuleKind.FIXED,
                        plain_decimal(price),
                        reference=ref.strip(),
                        price_category=category,
                        customer_code=customer,
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


def _rule_key(rule: PriceRule) -> tuple[object, ...]:
    return (rule.kind, rule.reference, rule.family_code, rule.min_quantity)


def with_central_rules(rules: list[PriceRule], links: dict[str, str]) -> list[PriceRule]:
    """Add, for each central's member, the central's customer rules it does not override."""
    by_customer: dict[str, list[PriceRule]] = defaultdict(list)
    for rule in rules:
        if rule.customer_code:
            by_customer[rule.customer_code].append(rule)
    added: list[PriceRule] = []
    for member, central in sorted(links.items()):
        own = {_rule_key(r) for r in by_customer.get(member, ())}
        added += [
            PriceRule(r.kind, r.value, r.reference, r.family_code, None, member, r.min_quantity)
            for r in by_customer.get(central, ())
            if _rule_key(r) not in own
        ]
    return rules + added


def read_price_rules(conn: Connection) -> list[PriceRule]:
    """Every price rule of the company (see the module's documentation)."""
    rules = _article_rules(conn) + _family_rules(conn) + _quantity_rules(conn) + _variant_rules(conn)
    return with_central_rules(rules, read_central_links(conn))
