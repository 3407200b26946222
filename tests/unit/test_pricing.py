"""The price resolver on the worked examples of docs/pricing.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.model import (
    BandBasis,
    Discount,
    DiscountKind,
    DiscountRule,
    PriceBand,
    PriceBook,
    PricedArticle,
    PriceRule,
    PricingCustomer,
    PricingOptions,
)
from comptoir.model.pricing import price_at, same_prices

D = Decimal
WINE = PricedArticle("VIN-TAVEL", "CAVE", D("10.00"), tax_rate=D(20))
OIL = PricedArticle("HUILE-50", "EPICERIE", D("15.00"), tax_rate=D("5.5"))
CUSTOMERS = {
    "HOTEL": PricingCustomer("HOTEL", "2"),
    "CAVEAU": PricingCustomer("CAVEAU", "2", central_code="CENTRALE"),
    "EPICERIE": PricingCustomer("EPICERIE", "2", central_code="CENTRALE"),
    "CENTRALE": PricingCustomer("CENTRALE", "2"),
    "PARTICULIER": PricingCustomer("PARTICULIER", "3", discount=D(4)),
}
RULES = [
    PriceRule(reference="VIN-TAVEL", price_category="2", price=D("8.50")),
    PriceRule(family_code="CAVE", price_category="2", discounts=(Discount(D(5)),)),
    PriceRule(reference="VIN-TAVEL", price_category="3", price=D("12.00"), includes_tax=True),
    PriceRule(family_code="CAVE", price_category="3", discounts=(Discount(D(5)),), includes_tax=True),
    PriceRule(reference="VIN-TAVEL", customer_code="HOTEL", price=D("9.00")),
    PriceRule(family_code="CAVE", customer_code="HOTEL", discounts=(Discount(D(10)),)),
    PriceRule(reference="VIN-TAVEL", customer_code="CENTRALE", price=D("7.00")),
    PriceRule(reference="VIN-TAVEL", customer_code="CAVEAU", price=D("7.50")),
    PriceRule(
        reference="HUILE-50",
        price_category="1",
        bands=(
            PriceBand(D(5), D("14.50")),
            PriceBand(D(11), D("13.80")),
            PriceBand(D(999999), D("12.90")),
        ),
    ),
]


def book(**options: object) -> PriceBook:
    return PriceBook(RULES, CUSTOMERS, PricingOptions(**options))  # type: ignore[arg-type]


def test_category_price_with_its_family_discount() -> None:
    found = book().resolve(WINE, category="2")
    assert (found.origin, found.net) == ("category", D("8.08"))  # 8.50 - 5 % = 8.075


def test_tax_inclusive_category_is_brought_to_the_shop_mode() -> None:
    assert book().net(WINE, category="3") == D("9.50")  # 12.00 TTC = 10.00 HT, - 5 %
    assert book(include_tax=True).net(WINE, category="3") == D("11.40")
    assert book(include_tax=True).net(WINE, category="2") == D("9.69")  # 8.50 × 1.2 = 10.20, - 5 %


def test_an_exception_price_is_final_whatever_the_family_discount() -> None:
    found = book().resolve(WINE, customer="HOTEL")
    assert (found.origin, found.net, found.discounts) == ("customer", D("9.00"), ())
    # The hotel's family discount still applies where it has no exception price.
    other = PricedArticle("VIN-BANDOL", "CAVE", D("20.00"), tax_rate=D(20))
    assert book().net(other, customer="HOTEL") == D("18.00")


def test_a_central_member_gets_the_better_of_its_own_and_the_central_conditions() -> None:
    assert book().resolve(WINE, customer="EPICERIE").origin == "central:customer"
    assert book().net(WINE, customer="EPICERIE") == D("7.00")
    assert book().net(WINE, customer="CAVEAU") == D("7.00")  # its own 7.50 is worse
    assert book().net(WINE, customer="CENTRALE") == D("7.00")


def test_bands_give_a_schedule() -> None:
    prices = book()
    assert prices.schedule(OIL, category="1") == ((1, D("14.50")), (6, D("13.80")), (12, D("12.90")))
    assert prices.net(OIL, category="1", quantity=D(11)) == D("13.80")
    assert prices.schedule(OIL, category="2") == ((1, D("15.00")),)


def test_discount_rules_combine_sources_as_chosen() -> None:
    rules = [
        PriceRule(reference="VIN-TAVEL", price_category="4", price=D(10), discounts=(Discount(D(5)),)),
        PriceRule(family_code="CAVE", price_category="4", discounts=(Discount(D(8)),)),
    ]
    expected = {DiscountRule.HIGHEST: "9.20", DiscountRule.CASCADE: "8.74", DiscountRule.CUMULATIVE: "8.70"}
    for rule, net in expected.items():
        assert PriceBook(rules, {}, PricingOptions(discount_rule=rule)).net(WINE, category="4") == D(net)


def test_customer_discount_applies_only_when_asked() -> None:
    assert book().net(WINE, customer="PARTICULIER") == D("9.50")
    # 4 % of the customer against 5 % of the family: the highest wins.
    assert book(customer_discount=True).net(WINE, customer="PARTICULIER") == D("9.50")
    cascade = book(customer_discount=True, discount_rule=DiscountRule.CASCADE)
    assert cascade.net(WINE, customer="PARTICULIER") == D("9.12")


def test_out_of_discounts_and_amount_bands() -> None:
    rules = [
        PriceRule(reference="VIN-TAVEL", price_category="5", discounts=(Discount(D(5)),), exclusive=True),
        PriceRule(family_code="CAVE", price_category="5", discounts=(Discount(D(8)),)),
        PriceRule(
            reference="HUILE-50",
            price_category="5",
            band_basis=BandBasis.AMOUNT,
            bands=(
                PriceBand(D(100), discounts=()),
                PriceBand(D(999999), discounts=(Discount(D(10)), Discount(D("0.50"), DiscountKind.AMOUNT))),
            ),
        ),
    ]
    prices = PriceBook(rules)
    assert prices.net(WINE, category="5") == D("10.00")
    # 15.00 a unit: 7 units make 105.00, past the first band's 100.
    assert prices.schedule(OIL, category="5") == ((1, D("15.00")), (7, D("13.00")))


def test_schedules_compare_at_every_quantity() -> None:
    a = ((D(1), D(10)), (D(5), D(9)))
    assert price_at(a, D(4)) == 10 and price_at(a, D(6)) == 9
    assert same_prices(a, ((D(1), D(10)), (D(5), D(9)), (D(8), D(9))))
    assert not same_prices(a, ((D(1), D(10)),))


def test_a_rule_must_name_one_target() -> None:
    with pytest.raises(ValueError, match="not both"):
        PriceBook([PriceRule(reference="X", price_category="1", customer_code="C")])
