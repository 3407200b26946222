"""Shop order → ERP document: accounts, lines, coupons per tax code, shipping, refusals, totals."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from comptoir.jobs.order_document import (
    OrderRejected,
    account_code,
    build_document,
    render_reference,
)
from comptoir.jobs.order_rounding import Reconciliation, reconcile
from comptoir.model import Address, Article, CouponLine, FeeLine, LineKind, Order, OrderLine, ShippingLine
from comptoir.model.document import DocumentType, SalesDocument
from comptoir.profile import AccountMode, CustomerOptions, OrderOptions, ShippingMode, UnknownReference

D = Decimal
RATES = {"C20": D("20"), "C10": D("10"), "C05": D("5.5")}
ARTICLES = {
    ref: Article(reference=ref, designation=ref, family_code="F", tax_code=code)
    for ref, code in [
        ("PULL-ROUGE", "C20"),
        ("THE-VERT", "C05"),
        ("DIVERS", "C20"),
        ("EMBALLAGE", "C20"),
        ("PORT", "C20"),
        ("REMISE20", "C20"),
        ("REMISE055", "C05"),
    ]
}
OPTIONS = OrderOptions(
    miscellaneous_article="DIVERS",
    shipping_article="PORT",
    packaging_article="EMBALLAGE",
    discount_articles={"C20": "REMISE20", "C05": "REMISE055"},
    tax_codes={"20": "C20", "5.5": "C05", "10": "C10"},
)


def order(**changes: object) -> Order:
    base = dict(
        shop_id="187",
        number="187",
        status="processing",
        created_at=datetime(2026, 7, 11, 8, 8, tzinfo=UTC),
        currency="EUR",
        total=D("0"),
        total_tax=D("0"),
        customer_shop_id="530",
        email="john.doe@example.com",
        billing=Address(first_name="John", last_name="DOE", line1="1 rue X", city="Lyon", postcode="69001"),
        lines=(
            OrderLine("1", "PULL-ROUGE", "Pull rouge", D(2), D("50.00"), D("45.00"), D("9.00"), D("20")),
            OrderLine("2", "THE-VERT", "Thé vert", D(3), D("12.00"), D("10.80"), D("0.59"), D("5.5")),
        ),
        shipping_lines=(ShippingLine("flat_rate", "Colissimo", D("6.90"), D("1.38"), D("20")),),
        coupons=(CouponLine("BIENVENUE10", D("6.20")),),
    )
    base.update(changes)
    return Order(**base)  # type: ignore[arg-type]


def build(
    o: Order, options: OrderOptions = OPTIONS, tax_inclusive: bool = False, rates: dict[str, D] = RATES
) -> SalesDocument:
    return build_document(
        o,
        document_type=DocumentType.ORDER,
        customer_code="WEB000530",
        articles=ARTICLES,
        options=options,
        rates=rates,
        tax_inclusive=tax_inclusive,
    )


def check(o: Order, options: OrderOptions = OPTIONS, rates: dict[str, D] = RATES) -> Reconciliation:
    return reconcile(o, lambda inclusive: build(o, options, inclusive, rates), options, rates)


def test_account_codes() -> None:
    options = CustomerOptions()
    assert account_code(order(), options) == "WEB000530"
    assert account_code(order(customer_shop_id=None), options) == "WEBINVITE"
    assert account_code(order(), CustomerOptions(account_mode=AccountMode.SHARED)) == "WEBCLIENT"
    with pytest.raises(OrderRejected, match="customer_id 12345678: does not fit"):
        account_code(order(customer_shop_id="12345678"), options)


def test_reference_template() -> None:
    assert render_reference("Web %OI - %CF %CL", order()) == "Web 187 - John DOE"
    assert render_reference("%OR/%OD %PM", order(payment_method="bacs")) == "187/2026-07-11 bacs"


def test_coupon_becomes_one_discount_line_per_tax_code_and_totals_match() -> None:
    document = build(order())
    kinds = [(line.reference, line.kind, line.unit_price) for line in document.lines]
    assert kinds == [
        ("PULL-ROUGE", LineKind.ARTICLE, D("25.000000")),
        ("THE-VERT", LineKind.ARTICLE, D("4.000000")),
        ("REMISE055", LineKind.DISCOUNT, D("-1.20")),
        ("REMISE20", LineKind.DISCOUNT, D("-5.00")),
    ]
    totals = document.totals()
    assert totals.shipping_net == D("6.90")
    assert {b.code: (b.base, b.tax) for b in totals.bases} == {
        "C20": (D("51.90"), D("10.38")),
        "C05": (D("10.80"), D("0.59")),
    }
    matched = check(order(total=D("73.67"), total_tax=D("10.97")))
    assert matched.difference == 0 and matched.cause == "" and matched.adjustment is None
    assert matched.document == document


def test_total_difference_names_its_cause() -> None:
    missing_line = check(order(total=D("80.00"), total_tax=D("10.97")))
    assert missing_line.difference == D("-6.33")
    assert missing_line.cause.startswith("the order's lines do not add up to its total")
    five = {**RATES, "C05": D("5")}
    wrong_tax = check(order(total=D("73.67"), total_tax=D("10.97")), rates=five)
    assert wrong_tax.difference == D("-0.05")
    assert wrong_tax.cause.startswith(
        "tax amounts differ: line 2 (THE-VERT) carries 0.59 of tax on 10.80, not 5 %"
    )


def test_unknown_reference_fails_or_uses_miscellaneous_article() -> None:
    odd = order(lines=(OrderLine("1", "CARTE-CADEAU", "Carte cadeau", D(1), D("25"), D("25"), D("0"), None),))
    with pytest.raises(
        OrderRejected, match=r"line 1 \(CARTE-CADEAU\): reference 'CARTE-CADEAU' unknown in the ERP"
    ):
        build(odd)
    lenient = OPTIONS.model_copy(
        update={
            "unknown_reference": UnknownReference.MISCELLANEOUS,
            "tax_codes": {**OPTIONS.tax_codes, "0": "C20"},
        }
    )
    document = build(odd, lenient)
    first = document.lines[0]
    assert (first.reference, first.designation, first.kind) == (
        "DIVERS",
        "Carte cadeau",
        LineKind.MISCELLANEOUS,
    )


def test_unmapped_tax_rate_is_refused_with_the_line() -> None:
    odd = order(lines=(OrderLine("1", "PULL-ROUGE", "Pull", D(1), D("10"), D("10"), D("0.70"), D("7")),))
    with pytest.raises(OrderRejected, match=r"line 1 \(PULL-ROUGE\): tax rate 7 % is not mapped"):
        build(odd)


def test_shipping_as_line_and_fees() -> None:
    options = OPTIONS.model_copy(update={"shipping": ShippingMode.LINE})
    document = build(
        order(coupons=(), fees=(FeeLine("Emballage cadeau", D("3.00"), D("0.60"), D("20")),)), options
    )
    refs = [(line.reference, line.kind) for line in document.lines]
    assert ("EMBALLAGE", LineKind.PACKAGING) in refs
    assert ("PORT", LineKind.SHIPPING) in refs
    assert document.shipping_amount == 0
