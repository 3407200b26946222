"""The ERP contract: what every ERP adapter does on its demo company, the same way.

A platform joins by registering its descriptor (with its demo company); this suite then runs for
it unchanged. ERP-specific behaviour (Sage's tables, numbering, stock columns) is tested in the
adapter's own suite; this one holds what jobs rely on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from comptoir.erp.base import DuplicateDocument, Erp, ErpError
from comptoir.erp.platform import ErpPlatform
from comptoir.model import Article, Customer, DocumentLine, DocumentType, Payment, SalesDocument
from comptoir.profile import SecretResolver
from comptoir.registry import ERPS, erp_platform


@pytest.fixture(params=sorted(ERPS))
def platform(request: pytest.FixtureRequest) -> ErpPlatform:
    return erp_platform(request.param)


@pytest.fixture
def erp(platform: ErpPlatform, tmp_path: Path) -> Iterator[Erp]:
    table = platform.demo(tmp_path, "small")
    settings = platform.settings.model_validate(table).relative_to(tmp_path)
    opened = platform.open(settings, SecretResolver(environ={}))
    try:
        yield opened
    finally:
        opened.close()


def sellable(erp: Erp) -> list[Article]:
    return sorted(
        (a for a in erp.read_articles() if a.published and not a.dormant and a.stock_managed),
        key=lambda a: a.reference,
    )


def document(erp: Erp, shop_order_id: str, customer: str) -> SalesDocument:
    rates = {t.code: t.rate for t in erp.read_tax_rates()}
    lines = tuple(
        DocumentLine(a.reference, a.designation, Decimal(2), Decimal("10.00"), a.tax_code, rates[a.tax_code])
        for a in sellable(erp)[:2]
    )
    return SalesDocument(
        type=DocumentType.ORDER,
        customer_code=customer,
        date=date(2026, 3, 2),
        lines=lines,
        reference=f"Web {shop_order_id}",
        shop_order_id=shop_order_id,
    )


def test_check_and_catalog_reads(erp: Erp) -> None:
    check = erp.check()
    assert check.can_read and check.company
    articles = erp.read_articles()
    assert articles and len({a.reference for a in articles}) == len(articles)
    wanted = {a.reference for a in articles[:3]} | {"NO-SUCH-REFERENCE"}
    assert set(erp.find_articles(wanted)) == wanted - {"NO-SUCH-REFERENCE"}
    codes = {t.code for t in erp.read_tax_rates()}
    assert {a.tax_code for a in sellable(erp)} <= codes
    assert {c.key for c in erp.read_categories()} >= {a.family_code for a in sellable(erp)}


def test_stock_is_read_per_warehouse_by_string_keys(erp: Erp) -> None:
    warehouses = erp.read_warehouses()
    assert warehouses and all(isinstance(w.key, str) for w in warehouses)
    first = warehouses[0].key
    levels = erp.read_stock([first])
    assert levels and {level.warehouse for level in levels} == {first}
    articles = erp.read_articles()
    references = {a.reference for a in articles} | {r.reference for a in articles for r in a.ranges}
    assert {level.reference for level in levels} <= references


def test_stock_streams_for_chosen_articles_and_tells_what_changed_since(erp: Erp) -> None:
    everything = erp.read_stock()
    assert list(erp.stream_stock()) == everything
    articles = erp.read_articles()
    ranged = [a for a in articles if a.ranges and not a.dormant][:1]
    plain = sorted({level.reference for level in everything} & {a.reference for a in articles})[:2]
    chosen = {*plain, *(a.reference for a in ranged)}
    cells = {r.reference for a in ranged for r in a.ranges}
    some = list(erp.stream_stock(articles=chosen))
    assert some and some == [level for level in everything if level.reference in chosen | cells]
    if ranged:
        assert {level.reference for level in some} & cells, "a range article's cells come along"

    newest = erp.read_stock_changes(None).newest
    assert newest is not None and newest.tzinfo is not None
    recent = erp.read_stock_changes(newest)
    assert recent.articles and recent.newest == newest
    assert all(moment >= newest.replace(second=0, microsecond=0) for moment in recent.articles.values())
    assert erp.read_stock_changes(newest + timedelta(minutes=2)).articles == {}


def test_customers_are_saved_and_found_by_code_and_email(erp: Erp) -> None:
    customer = Customer(code="WEB000777", name="Lucie BERNARD", first_name="Lucie", last_name="Bernard")
    customer = replace(customer, email="lucie.bernard@exemple.fr")
    assert erp.save_customer(customer) == "WEB000777"
    found = erp.find_customer("WEB000777")
    assert found is not None and found.email == "lucie.bernard@exemple.fr"
    by_email = erp.find_customer_by_email("Lucie.Bernard@exemple.fr")
    assert by_email is not None and by_email.code == "WEB000777"
    assert erp.find_customer("NOBODY-HERE") is None


def test_a_shop_order_becomes_one_document_only(erp: Erp) -> None:
    erp.save_customer(Customer(code="WEB000778", name="Marc PETIT", email="marc.petit@exemple.fr"))
    created = erp.create_sales_document(document(erp, "9001", "WEB000778"))
    assert created.number and created.shop_order_id == "9001"
    assert created.total_net == Decimal("40.00")
    with pytest.raises(DuplicateDocument) as again:
        erp.create_sales_document(document(erp, "9001", "WEB000778"))
    assert again.value.existing.number == created.number
    assert erp.find_documents(["9001", "9002"])["9001"].number == created.number
    assert "9002" not in erp.find_documents(["9002"])
    assert erp.count_duplicate_documents() == 0


def test_a_payment_is_recorded_once(erp: Erp) -> None:
    """A retried payment (same document, reference, date and amount) returns the one recorded."""
    erp.save_customer(Customer(code="WEB000779", name="Paul ROUX", email="paul.roux@exemple.fr"))
    created = erp.create_sales_document(document(erp, "9003", "WEB000779"))
    erp.validate_document(created.number, created.type)
    payment = Payment(
        "WEB000779",
        date(2026, 3, 2),
        created.total_gross,
        "1",
        "BQ1",
        reference="Web 9003",
        document_number=created.number,
    )
    first = erp.create_payment(payment)
    assert erp.create_payment(payment) == first


def test_refusals_name_the_record(erp: Erp) -> None:
    bad = document(erp, "9004", "NOBODY-HERE")
    with pytest.raises(ErpError, match="NOBODY-HERE"):
        erp.create_sales_document(bad)
    assert "9004" not in erp.find_documents(["9004"])


def test_group_articles_are_read_by_their_master_reference(erp: Erp) -> None:
    """The members of chosen groups (by a custom field's value) and their carriers, nothing else:
    what an incremental export reads for the groups of the articles that changed."""
    articles = erp.read_articles()
    fields = {name for a in articles for name in a.custom_fields}

    def groups(name: str) -> int:
        """Articles sharing a text value of ``name`` with another (numbers left out)."""
        values = [v for a in articles if (v := a.custom_fields.get(name, "").strip())]
        return sum(1 for v in values if values.count(v) > 1 and not v.replace(".", "").isdigit())

    field = max(sorted(fields), key=groups, default=None)
    assert field is not None and groups(field), "the demo company has a custom field grouping articles"
    masters = sorted({v.strip() for a in articles if (v := a.custom_fields.get(field, "")).strip()})[:2]
    chosen = {*masters, "NO-SUCH-MASTER"}
    expected = [
        a for a in articles if a.reference in chosen or a.custom_fields.get(field, "").strip() in chosen
    ]
    found = erp.read_group_articles(field, [f" {m} " for m in chosen])
    assert found and sorted(a.reference for a in found) == sorted(a.reference for a in expected)
    assert {a.reference: a for a in found} == {a.reference: a for a in expected}, (
        "read as a full read reads them"
    )
    assert erp.read_group_articles("NO-SUCH-FIELD", masters) == [
        a for a in articles if a.reference in masters
    ]
