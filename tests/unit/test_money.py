"""Money arithmetic: named rounding, exact pro-rata splits, document totals to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comptoir.model import (
    DocumentLine,
    DocumentType,
    MoneyError,
    Rounding,
    SalesDocument,
    round_money,
    split_pro_rata,
    to_decimal,
)
from comptoir.model.money import gross_from_net, net_from_gross, tax_amount

cents = st.integers(min_value=-10_000_000, max_value=10_000_000).map(lambda n: Decimal(n) / 100)
weights = st.lists(
    st.integers(min_value=0, max_value=1_000_000).map(lambda n: Decimal(n) / 100), min_size=1, max_size=8
).filter(lambda ws: sum(ws) > 0)


def test_rounding_rules_differ_on_halves() -> None:
    assert round_money(Decimal("2.345"), rule=Rounding.COMMERCIAL) == Decimal("2.35")
    assert round_money(Decimal("2.345"), rule=Rounding.BANKERS) == Decimal("2.34")
    assert round_money(Decimal("-2.345"), rule=Rounding.COMMERCIAL) == Decimal("-2.35")


def test_tax_and_conversions() -> None:
    assert tax_amount(Decimal("10.00"), Decimal("5.5")) == Decimal("0.55")
    assert tax_amount(Decimal("0.05"), Decimal("20")) == Decimal("0.01")
    assert gross_from_net(Decimal("100"), Decimal("20")) == Decimal("120.00")
    assert net_from_gross(Decimal("120"), Decimal("20")) == Decimal("100.00")


@pytest.mark.parametrize("bad", ["12,3,4", "abc", "NaN", "Infinity", True, object()])
def test_to_decimal_rejects_what_is_not_an_amount(bad: object) -> None:
    with pytest.raises(MoneyError):
        to_decimal(bad, field="regular_price")


def test_to_decimal_reads_shop_strings() -> None:
    assert to_decimal("18.00") == Decimal("18.00")
    assert to_decimal("") == Decimal(0)
    assert to_decimal("12,50") == Decimal("12.50")
    assert to_decimal(0.1) == Decimal("0.1")


@given(total=cents, parts=weights)
def test_split_pro_rata_adds_up_exactly(total: Decimal, parts: list[Decimal]) -> None:
    shares = split_pro_rata(total, parts)
    assert sum(shares) == round_money(total)
    weight = sum(parts)
    for share, part in zip(shares, parts, strict=True):
        exact = total * part / weight
        assert abs(share - exact) < Decimal("0.01") + Decimal("1e-20")
        assert share == round_money(share)


def test_split_pro_rata_refuses_empty_or_zero_weights() -> None:
    with pytest.raises(MoneyError):
        split_pro_rata(Decimal("1"), [])
    with pytest.raises(MoneyError):
        split_pro_rata(Decimal("1"), [Decimal(0), Decimal(0)])


def _line(price: str, qty: str, code: str, rate: str, discount: str = "0") -> DocumentLine:
    return DocumentLine(
        reference="A",
        designation="A",
        quantity=Decimal(qty),
        unit_price=Decimal(price),
        tax_code=code,
        tax_rate=Decimal(rate),
        discount_percent=Decimal(discount),
    )


def test_document_totals_tax_per_code_on_summed_bases() -> None:
    document = SalesDocument(
        type=DocumentType.ORDER,
        customer_code="C1",
        date=date(2026, 7, 11),
        lines=(
            _line("10.005", "1", "C20", "20"),
            _line("3.333333", "3", "C20", "20"),
            _line("4.20", "2", "C05", "5.5", discount="10"),
        ),
        shipping_amount=Decimal("6.90"),
        shipping_tax_code="C20",
        shipping_tax_rate=Decimal("20"),
    )
    totals = document.totals()
    assert [line.amount() for line in document.lines] == [Decimal("10.01"), Decimal("10.00"), Decimal("7.56")]
    bases = {b.code: (b.base, b.tax) for b in totals.bases}
    assert bases == {
        "C20": (Decimal("26.91"), Decimal("5.38")),
        "C05": (Decimal("7.56"), Decimal("0.42")),
    }
    assert totals.net == Decimal("34.47")
    assert totals.tax == Decimal("5.80")
    assert totals.gross == Decimal("40.27")


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=100_000).map(lambda n: Decimal(n) / 100),
            st.integers(min_value=1, max_value=50).map(Decimal),
            st.sampled_from([("C20", "20"), ("C10", "10"), ("C05", "5.5")]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_document_totals_reconcile(items: list[tuple[Decimal, Decimal, tuple[str, str]]]) -> None:
    lines = tuple(_line(str(p), str(q), code, rate) for p, q, (code, rate) in items)
    document = SalesDocument(type=DocumentType.QUOTE, customer_code="C", date=date(2026, 1, 1), lines=lines)
    totals = document.totals()
    assert totals.gross == totals.net + totals.tax
    assert totals.net == sum(b.base for b in totals.bases)
    assert totals.tax == sum(b.tax for b in totals.bases)
    assert totals.net == sum(round_money(p * q) for p, q, _ in items)
