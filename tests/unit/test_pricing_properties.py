"""Properties of the price resolver, over random rules (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from comptoir.model import (
    Discount,
    DiscountKind,
    DiscountRule,
    PriceBand,
    PriceBook,
    PricedArticle,
    PriceRule,
    PricingCustomer,
    PricingOptions,
    round_money,
)

D = Decimal
REF, FAMILY = "ART", "FAM"

prices = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)
rates = st.sampled_from([D(0), D("2.1"), D("5.5"), D(10), D(20)])
percents = st.decimals(min_value=D(0), max_value=D(100), places=2)
amounts = st.decimals(min_value=D(0), max_value=D(6000), places=2)
discount = st.one_of(
    st.builds(Discount, percents, st.just(DiscountKind.PERCENT)),
    st.builds(Discount, amounts, st.just(DiscountKind.AMOUNT)),
)
discounts = st.lists(discount, max_size=3).map(tuple)
rule_of = st.sampled_from(list(DiscountRule))
decimals = st.integers(min_value=0, max_value=4)


@st.composite
def bands(draw: st.DrawFn) -> tuple[PriceBand, ...]:
    bounds = sorted(set(draw(st.lists(st.integers(1, 500), min_size=1, max_size=3))))
    return tuple(
        PriceBand(D(b), draw(st.one_of(st.none(), prices)), draw(discounts)) for b in [*bounds, 999999]
    )


@st.composite
def rule(draw: st.DrawFn, **target: str) -> PriceRule:
    return PriceRule(
        reference=REF,
        price=draw(st.one_of(st.none(), prices)),
        includes_tax=draw(st.booleans()),
        discounts=draw(discounts),
        bands=draw(st.one_of(st.just(()), bands())),
        exclusive=draw(st.booleans()),
        **target,
    )


@st.composite
def family(draw: st.DrawFn, **target: str) -> PriceRule:
    ttc = draw(st.booleans())
    return PriceRule(family_code=FAMILY, discounts=draw(discounts), includes_tax=ttc, **target)


def article(price: Decimal, rate: Decimal, ttc: bool = False) -> PricedArticle:
    return PricedArticle(REF, FAMILY, price, ttc, rate)


@settings(max_examples=200, deadline=None)
@given(
    base=prices,
    rate=rates,
    own=st.one_of(st.none(), rule(customer_code="C")),
    category=st.one_of(st.none(), rule(price_category="1")),
)
def test_the_price_comes_from_the_customer_then_the_category_then_the_article(
    base: Decimal, rate: Decimal, own: PriceRule | None, category: PriceRule | None
) -> None:
    rules = [r for r in (own, category) if r is not None]
    found = PriceBook(rules, {"C": PricingCustomer("C", "1")}).resolve(article(base, rate), customer="C")
    if found.origin == "band":
        governing = own or category
        assert governing is not None and governing.bands
    elif own is not None and own.price is not None:
        assert found.origin == "customer"
    elif category is not None and category.price is not None:
        assert found.origin == "category"
    else:
        assert found.origin == "article"
    if found.origin in ("customer", "band"):
        assert all(name == "article" for name, _ in found.discounts)


@settings(max_examples=200, deadline=None)
@given(
    base=prices,
    rate=rates,
    places=decimals,
    category=rule(price_category="1"),
    fam=family(price_category="1"),
    combine=rule_of,
    quantity=st.integers(1, 1000),
)
def test_the_net_is_rounded_once_at_the_precision_and_never_negative(
    base: Decimal,
    rate: Decimal,
    places: int,
    category: PriceRule,
    fam: PriceRule,
    combine: DiscountRule,
    quantity: int,
) -> None:
    options = PricingOptions(decimals=places, discount_rule=combine)
    found = PriceBook([category, fam], {}, options).resolve(
        article(base, rate), category="1", quantity=D(quantity)
    )
    assert found.net >= 0
    assert found.net.as_tuple().exponent == -places
    assert found.net == round_money(found.net, places)


@settings(max_examples=200, deadline=None)
@given(
    base=prices,
    rate=rates,
    own=st.lists(st.one_of(rule(customer_code="M"), family(customer_code="M")), max_size=2),
    central=st.lists(st.one_of(rule(customer_code="K"), family(customer_code="K")), max_size=2),
    category=st.lists(st.one_of(rule(price_category="1"), family(price_category="1")), max_size=2),
    combine=rule_of,
    quantity=st.integers(1, 1000),
)
def test_a_central_member_never_pays_more_than_the_central_rule_gives(
    base: Decimal,
    rate: Decimal,
    own: list[PriceRule],
    central: list[PriceRule],
    category: list[PriceRule],
    combine: DiscountRule,
    quantity: int,
) -> None:
    def unique(rules: list[PriceRule]) -> list[PriceRule]:
        return list({(r.reference, r.family_code): r for r in rules}.values())

    def as_owner(rules: list[PriceRule], code: str) -> list[PriceRule]:
        return [replace(r, customer_code=code) for r in rules]

    own, central, category = unique(own), unique(central), unique(category)
    customers = {
        "M": PricingCustomer("M", "1", central_code="K"),
        "K": PricingCustomer("K", "1"),
        "P": PricingCustomer("P", "1"),
    }
    options = PricingOptions(discount_rule=combine)
    prices = PriceBook([*own, *central, *category, *as_owner(central, "P")], customers, options)
    item, q = article(base, rate), D(quantity)
    member = prices.net(item, customer="M", quantity=q)
    assert member <= prices.net(item, customer="P", quantity=q)  # the central's rules as one's own
    alone = PriceBook([*own, *category], {"M": PricingCustomer("M", "1")}, options)
    assert member <= alone.net(item, customer="M", quantity=q)


@settings(max_examples=200, deadline=None)
@given(
    price=prices,
    base=prices,
    rate=rates,
    percent=st.lists(st.builds(Discount, percents), max_size=2).map(tuple),
    fam=percents,
    combine=rule_of,
    wanted_ttc=st.booleans(),
)
def test_tax_inclusive_and_exclusive_categories_give_the_same_net_within_a_cent(
    price: Decimal,
    base: Decimal,
    rate: Decimal,
    percent: tuple[Discount, ...],
    fam: Decimal,
    combine: DiscountRule,
    wanted_ttc: bool,
) -> None:
    ttc_price = round_money(price * (100 + rate) / 100)
    rules = [
        PriceRule(reference=REF, price_category="HT", price=price, discounts=percent),
        PriceRule(reference=REF, price_category="TTC", price=ttc_price, includes_tax=True, discounts=percent),
        PriceRule(family_code=FAMILY, price_category="HT", discounts=(Discount(fam),)),
        PriceRule(family_code=FAMILY, price_category="TTC", discounts=(Discount(fam),), includes_tax=True),
    ]
    prices_book = PriceBook(rules, {}, PricingOptions(include_tax=wanted_ttc, discount_rule=combine))
    item = article(base, rate)
    ht, ttc = prices_book.net(item, category="HT"), prices_book.net(item, category="TTC")
    assert abs(ht - ttc) <= D("0.01")


@settings(max_examples=200, deadline=None)
@given(base=prices, rate=rates, category=rule(price_category="1"), fam=family(price_category="1"))
def test_a_schedule_gives_the_resolved_price_at_every_quantity(
    base: Decimal, rate: Decimal, category: PriceRule, fam: PriceRule
) -> None:
    from comptoir.model.pricing import price_at

    prices_book = PriceBook([category, fam])
    item = article(base, rate)
    schedule = prices_book.schedule(item, category="1")
    assert schedule[0][0] == 1
    for quantity in (1, 2, 5, 10, 50, 100, 501, 1000):
        q = D(quantity)
        assert price_at(schedule, q) == prices_book.net(item, category="1", quantity=q)
