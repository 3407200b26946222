"""The demo company: what it holds, determinism, the guard, and a miniature reference scale."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from comptoir.demo.company import CompanyExists, ReferenceSize, build_company, describe_company
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.schema import metadata

Query = Callable[..., list[Any]]
MINI = ReferenceSize(articles=600, customers=120, range_articles=4, central_members=12)


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in insertion order, values as text."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: [
                    tuple(map(str, row)) for row in conn.execute(select(table).order_by(*table.primary_key))
                ]
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_small_company_facts(empty_url: str) -> None:
    facts = build_company(empty_url)
    assert (facts.name, facts.scale, facts.seed) == ("Comptoir Méridional", "small", 2026)
    assert 35 <= facts.articles <= 50 and facts.families == facts.families_used == 6
    assert facts.warehouses == (1, 2) and 10 <= facts.customers <= 15
    assert dict(facts.tax_rates) == {"C20": Decimal(20), "C10": Decimal(10), "C05": Decimal("5.5")}
    assert dict(facts.price_categories) == {1: "Détaillants", 2: "Grossistes"}
    assert dict(facts.discount_articles) == {"C20": "REMISE20", "C10": "REMISE10", "C05": "REMISE055"}
    assert (facts.miscellaneous_article, facts.shipping_article, facts.packaging_article) == (
        "DIVERS",
        "PORT",
        "EMBALLAGE",
    )
    assert facts.dormant_articles == ("THE-NOIR-AGRUMES",)
    assert facts.unpublished_articles == ("LIQUEUR-THYM",)
    assert facts.negative_stock_articles == ("MIEL-LAVANDE",)
    assert facts.variation_groups == 2 and facts.grouped_articles == 7
    assert facts.central_accounts == ("CENTRALESUD",) and facts.central_members == 2
    assert facts.payment_modes[3] == "Carte bancaire" and facts.payment_journal == "BQ1"
    assert describe_company(empty_url) == facts


def test_small_company_content(empty_url: str, sql: Query) -> None:
    build_company(empty_url)
    erp = Sage100Erp(empty_url)
    try:
        articles = {a.reference: a for a in erp.read_articles()}
        specials = [articles[r] for r in ("DIVERS", "PORT", "EMBALLAGE", "REMISE20", "REMISE10", "REMISE055")]
        assert all(not a.published and not a.stock_managed for a in specials)
        by_tax = {
            code: {a.family_code for a in articles.values() if a.tax_code == code}
            for code in ("C20", "C10", "C05")
        }
        assert all(by_tax.values())
        customers = erp.read_customers()
        with_email = [c for c in customers if c.email]
        assert len(with_email) >= 10 and all("@" in c.email for c in with_email)
        assert (
            sum(1 for c in customers if c.siret) >= 5
            and sum(1 for c in customers if len(c.deliveries) > 1) >= 2
        )
        assert all(c.contacts for c in with_email)
    finally:
        erp.close()
    counters = sql(
        empty_url, 'SELECT "DC_Souche", "DC_Piece" FROM "F_DOCCURRENTPIECE" WHERE "DC_IdCol" IN (0, 1, 3, 6)'
    )
    assert {tuple(r) for r in counters} >= {(0, "DE00001"), (0, "BC00001"), (0, "BL00001"), (0, "FA00001")}
    accounts = {r[0] for r in sql(empty_url, 'SELECT "CG_Num" FROM "F_COMPTEG"')}
    assert {"4110000", "7070020", "4457120"} <= accounts


def test_same_seed_same_content(tmp_path: Path) -> None:
    urls = [f"sqlite:///{(tmp_path / name).as_posix()}" for name in ("a.sqlite", "b.sqlite", "c.sqlite")]
    build_company(urls[0])
    build_company(urls[1])
    build_company(urls[2], seed=7)
    first, second, other = (dump(url) for url in urls)
    assert first == second
    assert first["F_ARTSTOCK"] != other["F_ARTSTOCK"]
    assert first["F_ARTICLE"] != other["F_ARTICLE"]


def test_same_content_on_both_backends(empty_url: str, tmp_path: Path) -> None:
    reference = f"sqlite:///{(tmp_path / 'ref.sqlite').as_posix()}"
    assert build_company(empty_url) == build_company(reference)


def test_builder_refuses_an_existing_company(empty_url: str) -> None:
    build_company(empty_url)
    with pytest.raises(CompanyExists):
        build_company(empty_url)
    with pytest.raises(ValueError, match="scale"):
        build_company(empty_url, scale="huge")  # type: ignore[arg-type]


def test_miniature_reference_company(empty_url: str, sql: Query) -> None:
    facts = build_company(empty_url, scale="reference", size=MINI)
    assert facts.scale == "reference" and facts.articles == 600
    assert (facts.families, facts.families_used) == (126, 45)
    assert facts.warehouses == tuple(range(1, 9))
    assert facts.customers == 120 + 3
    assert facts.grouped_articles > facts.articles // 2 and facts.variation_groups > 20
    assert facts.central_accounts == ("CENTRALECHR",) and facts.central_members == 12
    assert facts.customers_with_exception_prices == 120 // 20 + 1
    (stock,) = sql(empty_url, 'SELECT COUNT(*) FROM "F_ARTSTOCK"')
    assert stock[0] == 600 * 8
    (packs,) = sql(empty_url, 'SELECT COUNT(*) FROM "F_CONDITION"')
    assert packs[0] > 0
    (discounts,) = sql(empty_url, 'SELECT COUNT(*) FROM "F_FAMTARIF"')
    assert discounts[0] == 15
    erp = Sage100Erp(empty_url)
    try:
        articles = erp.read_articles()
        groups: dict[str, list[Any]] = {}
        for article in articles:
            master = article.custom_fields.get("Référence mère")
            if master:
                groups.setdefault(master, []).append(article)
        for members in groups.values():
            names = {tuple(m.custom_fields.get(f"Attribut {i}") for i in (1, 2, 3)) for m in members}
            assert len(names) == 1, "a group's articles share their attribute names"
            values = {tuple(m.custom_fields.get(f"Valeur {i}") for i in (1, 2, 3)) for m in members}
            assert len(values) == len(members), "each article of a group is one combination"
        customers = erp.read_customers()
        assert all(c.deliveries and c.home_warehouse for c in customers if c.code.startswith("C0"))
        homes = {c.home_warehouse for c in customers}
        assert len(homes) >= 5
        assert any(a.ranges for a in articles) and any(a.components for a in articles)
    finally:
        erp.close()
