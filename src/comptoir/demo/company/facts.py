"""What a demo company holds, read back from its database: counts, codes, special articles."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from sqlalchemy import MetaData, Select, distinct, func, select
from sqlalchemy.engine import Connection

from comptoir.demo.company import common
from comptoir.erp.sage100.freefields import read_free_fields, with_free_fields
from comptoir.erp.sage100.schema import (
    F_ARTCLIENT,
    F_ARTICLE,
    F_ARTSTOCK,
    F_COMPTET,
    F_DEPOT,
    F_FAMILLE,
    F_TAXE,
    P_CATTARIF,
    P_DOSSIER,
    P_REGLEMENT,
)
from comptoir.erp.sage100.types import plain_decimal

_COMMENT = re.compile(r"\((\w+), graine (\d+)\)")


@dataclass(frozen=True, slots=True)
class CompanyFacts:
    """The demo company as the demo runner and the tests need to know it."""

    name: str
    scale: str
    seed: int
    articles: int
    published_articles: int
    families: int
    """Detail families defined (``FA_Type`` 0)."""
    families_used: int
    """Families holding at least one article."""
    warehouses: tuple[int, ...]
    customers: int
    """Customer accounts (``CT_Type`` 0)."""
    tax_rates: Mapping[str, Decimal]
    price_categories: Mapping[int, str]
    payment_modes: Mapping[int, str]
    miscellaneous_article: str
    shipping_article: str
    packaging_article: str
    discount_articles: Mapping[str, str]
    """Tax code → discount article."""
    dormant_articles: tuple[str, ...]
    unpublished_articles: tuple[str, ...]
    """Articles not published on the web, the special articles excluded."""
    negative_stock_articles: tuple[str, ...]
    """Articles whose available stock (real − reserved) is negative in some warehouse."""
    variation_groups: int
    """Distinct master references (articles grouped into one variable product)."""
    grouped_articles: int
    """Articles carrying a master reference."""
    central_accounts: tuple[str, ...]
    central_members: int
    customers_with_exception_prices: int
    master_reference_field: str = common.MASTER_FIELD
    attribute_fields: tuple[tuple[str, str], ...] = common.ATTRIBUTE_FIELDS
    description_field: str = common.DESCRIPTION_FIELD
    customer_account: str = common.CUSTOMER_ACCOUNT
    payment_journal: str = common.PAYMENT_JOURNAL
    shared_account: str = common.SHARED_ACCOUNT
    guest_account: str = common.GUEST_ACCOUNT

    @property
    def special_articles(self) -> tuple[str, ...]:
        return (
            self.miscellaneous_article,
            self.shipping_article,
            self.packaging_article,
            *self.discount_articles.values(),
        )


def _strings(conn: Connection, query: Select[Any]) -> tuple[str, ...]:
    return tuple(sorted(str(v).strip() for (v,) in conn.execute(query) if v))


def read_facts(conn: Connection) -> CompanyFacts:
    """Count and list what the company in ``conn`` holds."""
    article = with_free_fields(F_ARTICLE, read_free_fields(conn).get("F_ARTICLE", ()), MetaData())

    def count(query: Select[Any]) -> int:
        return int(conn.execute(query).scalar() or 0)

    comment = conn.execute(select(P_DOSSIER.c.D_RaisonSoc, P_DOSSIER.c.D_Commentaire)).first()
    match = _COMMENT.search(comment.D_Commentaire or "") if comment else None
    specials = set(common.SPECIAL_ARTICLES)
    master = article.c.get(common.MASTER_FIELD)
    customer = F_COMPTET.c.CT_Type == 0
    return CompanyFacts(
        name=(comment.D_RaisonSoc or "").strip() if comment else "",
        scale=match.group(1) if match else "",
        seed=int(match.group(2)) if match else 0,
        articles=count(select(func.count()).select_from(F_ARTICLE)),
        published_articles=count(
            select(func.count())
            .select_from(F_ARTICLE)
            .where(F_ARTICLE.c.AR_Publie == 1, F_ARTICLE.c.AR_Sommeil == 0)
        ),
        families=count(select(func.count()).select_from(F_FAMILLE).where(F_FAMILLE.c.FA_Type == 0)),
        families_used=count(select(func.count(distinct(F_ARTICLE.c.FA_CodeFamille)))),
        warehouses=tuple(n for (n,) in conn.execute(select(F_DEPOT.c.DE_No).order_by(F_DEPOT.c.DE_No))),
        customers=count(select(func.count()).select_from(F_COMPTET).where(customer)),
        tax_rates=MappingProxyType(
            {c.strip(): plain_decimal(r) for c, r in conn.execute(select(F_TAXE.c.TA_Code, F_TAXE.c.TA_Taux))}
        ),
        price_categories=MappingProxyType(
            {
                n: name.strip()
                for n, name in conn.execute(
                    select(P_CATTARIF.c.cbIndice, P_CATTARIF.c.CT_Intitule).where(
                        P_CATTARIF.c.CT_Intitule != ""
                    )
                )
            }
        ),
        payment_modes=MappingProxyType(
            {
                n: name.strip()
                for n, name in conn.execute(
                    select(P_REGLEMENT.c.cbIndice, P_REGLEMENT.c.R_Intitule).where(
                        P_REGLEMENT.c.R_Intitule != ""
                    )
                )
            }
        ),
        miscellaneous_article=common.MISCELLANEOUS,
        shipping_article=common.SHIPPING,
        packaging_article=common.PACKAGING,
        discount_articles=MappingProxyType(dict(common.DISCOUNTS)),
        dormant_articles=_strings(conn, select(F_ARTICLE.c.AR_Ref).where(F_ARTICLE.c.AR_Sommeil == 1)),
        unpublished_articles=tuple(
            r
            for r in _strings(conn, select(F_ARTICLE.c.AR_Ref).where(F_ARTICLE.c.AR_Publie == 0))
            if r not in specials
        ),
        negative_stock_articles=_strings(
            conn,
            select(F_ARTSTOCK.c.AR_Ref).where(F_ARTSTOCK.c.AS_QteSto - F_ARTSTOCK.c.AS_QteRes < 0).distinct(),
        ),
        variation_groups=count(select(func.count(distinct(master))).where(master != ""))
        if master is not None
        else 0,
        grouped_articles=count(select(func.count()).select_from(article).where(master != ""))
        if master is not None
        else 0,
        central_accounts=_strings(
            conn,
            select(F_COMPTET.c.CT_NumCentrale).where(customer, F_COMPTET.c.CT_NumCentrale != "").distinct(),
        ),
        central_members=count(
            select(func.count()).select_from(F_COMPTET).where(customer, F_COMPTET.c.CT_NumCentrale != "")
        ),
        customers_with_exception_prices=count(
            select(func.count(distinct(F_ARTCLIENT.c.CT_Num))).where(F_ARTCLIENT.c.CT_Num.is_not(None))
        ),
    )
