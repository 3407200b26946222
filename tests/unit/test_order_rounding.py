"""Rounding differences between a shop and the ERP: told apart from real ones, carried to the cent.

The property tests build random orders the way the shop computes them — the sandbox's
WooCommerce totals, in process: prices with or without tax, tax rounded per line or on the
subtotal, rates of 20, 10, 5.5 and 2.1 %, quantities, percent and fixed coupons, shipping, fees —
read them through the WooCommerce adapter's mapping, and check the document's total computed the
way the ERP computes it (``SalesDocument.totals()``) against the shop's, to the cent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from comptoir.jobs.order_document import build_document
from comptoir.jobs.order_rounding import reconcile
from comptoir.model import (
    DocumentType,
    LineKind,
    Order,
    OrderLine,
    SalesDocument,
    TaxRounding,
)
from comptoir.profile import RoundingMode
from shop_orders import OPTIONS, PLANS, RATES, SPECIAL, article, check, shop

D = Decimal

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("mode", [RoundingMode.LINE_AMOUNTS, RoundingMode.ROUNDING_LINE])
@pytest.mark.parametrize(
    ("inclusive", "subtotal"), [(False, False), (False, True), (True, False), (True, True)]
)
@SETTINGS
@given(plan=PLANS)
@example(  # prices with tax rounded on the subtotal: 2 × 0.09 shows nets 0.08 and taxes 0.02
    plan={"lines": [("0.09", "", 1), ("0.09", "", 1)], "shipping": None, "fee": None, "coupon": None}
)
def test_every_shop_order_gives_a_document_whose_total_is_the_shops(
    inclusive: bool, subtotal: bool, mode: RoundingMode, plan: dict[str, Any]
) -> None:
    o = shop(inclusive, subtotal).order(plan)
    assert o.prices_include_tax is inclusive
    assert o.tax_rounding is (TaxRounding.SUBTOTAL if subtotal else TaxRounding.LINE)
    result = check(o, OPTIONS.model_copy(update={"rounding": mode}))
    assert result.cause == "", result.cause
    assert result.document.totals().gross == o.total == result.erp_total
    assert result.document.prices_include_tax is (
        inclusive or (mode is RoundingMode.LINE_AMOUNTS and result.adjustment is not None)
    )
    rounding_lines = [line for line in result.document.lines if line.kind is LineKind.ROUNDING]
    if mode is RoundingMode.ROUNDING_LINE:
        assert len(rounding_lines) == (1 if result.adjustment is not None else 0)
        for line in rounding_lines:
            assert (line.reference, line.tax_code, line.tax_rate) == ("ARRONDI", "C00", 0)
            assert abs(line.unit_price) <= D("0.005") * (len(o.lines) + 4)
    else:
        assert rounding_lines == []


@SETTINGS
@given(plan=PLANS, inclusive=st.booleans(), subtotal=st.booleans())
def test_a_rounding_difference_is_never_taken_for_a_real_one(
    inclusive: bool, subtotal: bool, plan: dict[str, Any]
) -> None:
    o = shop(inclusive, subtotal).order(plan)
    result = check(o, OPTIONS.model_copy(update={"rounding": RoundingMode.REFUSE}))
    if result.difference:
        assert result.cause.startswith("tax rounding"), result.cause
    else:
        assert result.cause == ""


@SETTINGS
@given(plan=PLANS, inclusive=st.booleans(), subtotal=st.booleans(), data=st.data())
def test_a_missing_line_is_still_refused_by_name(
    inclusive: bool, subtotal: bool, plan: dict[str, Any], data: st.DataObject
) -> None:
    o = shop(inclusive, subtotal).order({**plan, "lines": [*plan["lines"], ("4.90", "", 1)]})
    dropped = data.draw(st.integers(0, len(o.lines) - 1))
    lost = replace(o, lines=o.lines[:dropped] + o.lines[dropped + 1 :])
    result = check(lost)
    # Below the rounding bound (a cent per remaining line, plus half a cent, when the shop's shown
    # nets and taxes are both rounded; half a cent more per line when a coupon's discount was
    # spread over the lines, each share rounded), a missing line cannot be told from rounding.
    charges = len(lost.lines) + len(lost.shipping_lines) + len(lost.fees)
    spread = len(lost.lines) if lost.coupons else 0
    bound = D("0.005") * (2 * charges + 1 + spread)
    if o.lines[dropped].total + o.lines[dropped].tax >= max(D("0.05"), bound + D("0.01")):
        assert result.cause.startswith("the order's lines do not add up to its total"), result.cause
        assert result.adjustment is None


# --- examples a reader can follow -----------------------------------------------------------------


def one_cent_order(**changes: Any) -> Order:
    """Three lines of 8.33 at 20 %: rounded per line their taxes are 3 × 1.67 = 5.01, the tax of
    their sum (24.99) is 5.00, so the shop charges 30.00 where the ERP computes 29.99."""
    line = OrderLine(
        "1", "P", "Produit", D(1), D("8.33"), D("8.33"), D("1.67"), D(20), subtotal_tax=D("1.67")
    )
    base: dict[str, Any] = dict(
        shop_id="9",
        number="9",
        status="processing",
        created_at=datetime(2026, 7, 11, tzinfo=UTC),
        currency="EUR",
        total=D("30.00"),
        total_tax=D("5.01"),
        lines=(line, replace(line, line_id="2"), replace(line, line_id="3")),
        tax_rounding=TaxRounding.LINE,
    )
    base.update(changes)
    return Order(**base)


def test_line_amounts_write_the_shops_amounts_with_tax() -> None:
    result = check(one_cent_order())
    assert result.cause == "" and result.erp_total == D("30.00")
    assert result.adjustment is not None and result.adjustment.before == D("29.99")
    document = result.document
    assert document.prices_include_tax
    assert [line.unit_price for line in document.lines] == [D("10.000000")] * 3
    [base] = document.totals().bases
    assert (base.base, base.tax) == (D("25.00"), D("5.00")), "the net is derived from the 30.00 paid"
    assert [c.message for c in result.adjustment.changes] == ["rounding.tax_inclusive", "rounding.code"]
    assert dict(result.adjustment.changes[1].values) == {
        "code": "C20",
        "net_before": "24.99",
        "net_after": "25.00",
        "tax_before": "5.00",
        "tax_after": "5.00",
    }


def test_a_rounding_line_carries_the_cent_at_zero_tax() -> None:
    result = check(one_cent_order(), OPTIONS.model_copy(update={"rounding": RoundingMode.ROUNDING_LINE}))
    assert result.cause == "" and not result.document.prices_include_tax
    last = result.document.lines[-1]
    assert (last.reference, last.kind, last.unit_price, last.tax_code) == (
        "ARRONDI",
        LineKind.ROUNDING,
        D("0.01"),
        "C00",
    )
    assert result.document.totals().gross == D("30.00")
    assert result.adjustment is not None
    assert dict(result.adjustment.changes[0].values) == {"amount": "+0.01", "reference": "ARRONDI"}


def test_a_rounding_line_needs_a_zero_rate_code_in_the_erp() -> None:
    o = one_cent_order()
    options = OPTIONS.model_copy(update={"rounding": RoundingMode.ROUNDING_LINE})
    known = {ref: article(ref) for ref in [*SPECIAL, "P"]}
    taxed = {**RATES, "C00": D("5.5")}

    def build(inclusive: bool) -> SalesDocument:
        return build_document(
            o,
            document_type=DocumentType.ORDER,
            customer_code="X",
            articles=known,
            options=options,
            rates=taxed,
            tax_inclusive=inclusive,
        )

    result = reconcile(o, build, options, taxed)
    assert result.cause == "rounding line: tax code C00 is 5.5 % in the ERP, not 0 %"
    assert result.difference == D("-0.01")


def test_refuse_keeps_the_old_behaviour() -> None:
    result = check(one_cent_order(), OPTIONS.model_copy(update={"rounding": RoundingMode.REFUSE}))
    assert result.difference == D("-0.01")
    assert result.cause.startswith("tax rounding: the shop rounds tax per line, the ERP per tax code")


def test_a_total_that_does_not_add_up_is_refused_even_by_a_cent() -> None:
    result = check(one_cent_order(total=D("30.01")))
    assert result.cause.startswith(
        "the order's lines do not add up to its total: net 24.99 + tax 5.01 ≠ 30.01"
    )
    assert result.adjustment is None and not result.document.prices_include_tax


def test_a_wrong_tax_rate_is_refused_by_name() -> None:
    result = check(one_cent_order(), rates={**RATES, "C20": D("19.6")})
    assert result.cause.startswith("tax amounts differ: line 1 (P) carries 1.67 of tax on 8.33, not 19.6 %")


def test_a_subtotal_rounding_residual_goes_on_the_largest_line() -> None:
    """Prices with tax, tax rounded on the subtotal: 3 × 25.27 = 75.81 paid, 63.175 net and 12.635
    tax kept unrounded, shown 63.18 and 12.64: the lines' amounts with tax add up to 75.82, the
    cent left over goes on the line's amount."""
    line = OrderLine(
        "1", "P", "Produit", D(3), D("63.18"), D("63.18"), D("12.64"), D(20), subtotal_tax=D("12.64")
    )
    o = one_cent_order(
        lines=(line,),
        total=D("75.81"),
        total_tax=D("12.64"),
        prices_include_tax=True,
        tax_rounding=TaxRounding.SUBTOTAL,
    )
    result = check(o)
    assert result.cause == "" and result.document.totals().gross == D("75.81")
    assert result.adjustment is not None and result.adjustment.before == D("75.82")
    [change] = result.adjustment.changes
    assert change.message == "rounding.line_amount"
    assert dict(change.values) == {"amount": "-0.01", "line": "1", "reference": "P"}
    assert result.document.lines[0].unit_price == D("25.270000")
