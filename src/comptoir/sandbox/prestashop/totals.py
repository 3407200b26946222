"""Order totals computed as PrestaShop 8/9 computes a cart, then an order from it.

Sources (PrestaShop 9.0.0):
- ``Tools::ps_round`` (classes/Tools.php) with ``PS_PRICE_ROUND_MODE`` (0 up, 1 down, 2 half up —
  the default —, 3 half down, 4 half even, 5 half odd).
- ``Product::priceCalculation`` (classes/Product.php): the specific price's price or the product's,
  plus the combination's impact; taxes added (``TaxCalculator::addTaxes``); an ``amount``
  reduction converted to or from tax-included as ``reduction_tax`` says, a ``percentage``
  reduction taken on the (taxed) price; the group's reduction; rounded to 6 decimals; never < 0.
- ``SpecificPrice::getSpecificPrice``: product / combination / customer / group / country /
  currency either matching or 0, ``from_quantity`` ≤ quantity, within ``from``–``to``; ordered by
  combination, ``from_quantity``, then score (customer 32, shop 16, currency 8, country 4, group 2
  — ``_getScoreQuery`` with ``PS_SPECIFIC_PRICE_PRIORITIES``), ``to``, ``from``.
- ``TaxRulesTaxManager::getTaxCalculator`` / ``TaxCalculator`` (classes/tax/): the rules of the
  group for the address's country (state 0 or the address's), most specific first, behaviour 0
  stops at the first tax, 1 adds rates, 2 compounds them.
- ``CartRow`` (src/Core/Cart/CartRow.php) by ``PS_ROUND_TYPE`` (1 item: unit prices rounded then
  × quantity; 2 line — the default —: unit × quantity, the line rounded; 3 total: nothing rounded);
  ``CartRuleCalculator``: percentage discounts per row, amount discounts spread over the rows by
  weight, free shipping; ``Calculator::getTotal``: rounded rows (before discounts) − rounded
  discounts + rounded shipping; ``Cart::getPackageShippingCost``: carrier price + handling +
  products' additional shipping cost, taxed with the carrier's rules, rounded.
- ``Cart::getProducts`` / ``applyProductCalculations``: each order row's totals by round type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def ps_round(value: Decimal, places: int, mode: int = 2) -> Decimal:
    step = Decimal(1).scaleb(-places)
    if mode == 0:
        return value.quantize(step, rounding=ROUND_CEILING)
    if mode == 1:
        return value.quantize(step, rounding=ROUND_FLOOR)
    if mode == 3:
        return value.quantize(step, rounding=ROUND_HALF_DOWN)
    if mode == 4:
        return value.quantize(step, rounding=ROUND_HALF_EVEN)
    if mode == 5:
        down = value.quantize(step, rounding=ROUND_HALF_DOWN)
        up = value.quantize(step, rounding=ROUND_HALF_UP)
        if down == up:
            return up
        return up if int(up.scaleb(places)) % 2 else down
    return value.quantize(step, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Taxes:
    rates: tuple[Decimal, ...] = ()
    behavior: int = 0
    """1 combine (rates added), 2 one after another (compounded)."""
    ids: tuple[int, ...] = ()
    """The taxes applied (``order_detail_tax`` rows of an order's row)."""

    @property
    def total_rate(self) -> Decimal:
        if self.behavior == 2:
            factor = Decimal(1)
            for rate in self.rates:
                factor *= 1 + abs(rate) / HUNDRED
            return (factor - 1) * HUNDRED
        return sum((abs(rate) for rate in self.rates), ZERO)

    def add(self, price: Decimal) -> Decimal:
        return price * (1 + self.total_rate / HUNDRED)

    def remove(self, price: Decimal) -> Decimal:
        return price / (1 + self.total_rate / HUNDRED)


@dataclass(frozen=True)
class Specific:
    price: Decimal
    """-1: keep the product's price."""
    reduction: Decimal
    reduction_type: str
    reduction_tax: bool
    id_product_attribute: int = 0


@dataclass
class Line:
    base_price: Decimal
    impact: Decimal
    quantity: int
    taxes: Taxes
    specific: Specific | None = None
    group_reduction: Decimal = ZERO
    """The customer group's reduction, in percent."""
    additional_shipping: Decimal = ZERO
    unit_excl: Decimal = ZERO
    unit_incl: Decimal = ZERO
    initial_excl: Decimal = ZERO
    initial_incl: Decimal = ZERO
    final_excl: Decimal = ZERO
    final_incl: Decimal = ZERO
    total_excl: Decimal = ZERO
    total_incl: Decimal = ZERO


def unit_price(line: Line, *, with_tax: bool, with_reduction: bool = True, mode: int = 2) -> Decimal:
    """``Product::priceCalculation`` with 6 decimals."""
    specific = line.specific
    price = specific.price if specific is not None and specific.price >= 0 else line.base_price
    if specific is None or not specific.id_product_attribute or specific.price < 0:
        price += line.impact
    if with_tax:
        price = line.taxes.add(price)
    reduction = ZERO
    if specific is not None and with_reduction:
        if specific.reduction_type == "amount":
            reduction = specific.reduction
            if not with_tax and specific.reduction_tax:
                reduction = line.taxes.remove(reduction)
            if with_tax and not specific.reduction_tax:
                reduction = line.taxes.add(reduction)
        else:
            reduction = price * specific.reduction
    if with_reduction:
        price -= reduction
        price -= price * line.group_reduction / HUNDRED
    price = ps_round(price, 6, mode)
    return max(price, ZERO)


@dataclass(frozen=True)
class Rule:
    """A cart rule: ``reduction_percent``, ``reduction_amount`` (tax incl. when ``reduction_tax``),
    ``reduction_product`` (0 the whole order, an id one product), ``free_shipping``."""

    percent: Decimal = ZERO
    amount: Decimal = ZERO
    amount_tax_included: bool = False
    product_index: int | None = None
    free_shipping: bool = False


@dataclass
class Totals:
    products_excl: Decimal = ZERO
    products_incl: Decimal = ZERO
    discounts_excl: Decimal = ZERO
    discounts_incl: Decimal = ZERO
    shipping_excl: Decimal = ZERO
    shipping_incl: Decimal = ZERO
    paid_excl: Decimal = ZERO
    paid_incl: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Shipping:
    price: Decimal = ZERO
    handling: Decimal = ZERO
    taxes: Taxes = Taxes()
    free: bool = False


def compute(
    lines: list[Line],
    rules: list[Rule],
    shipping: Shipping,
    *,
    round_type: int = 2,
    round_mode: int = 2,
    precision: int = 2,
) -> Totals:
    def r(value: Decimal) -> Decimal:
        return ps_round(value, precision, round_mode)

    for line in lines:
        line.unit_excl = unit_price(line, with_tax=False, mode=round_mode)
        line.unit_incl = unit_price(line, with_tax=True, mode=round_mode)
        q = line.quantity
        if round_type == 1:
            line.initial_excl, line.initial_incl = r(line.unit_excl) * q, r(line.unit_incl) * q
            line.final_excl, line.final_incl = line.initial_excl, line.initial_incl
        elif round_type == 3:
            line.initial_excl, line.initial_incl = line.unit_excl * q, line.unit_incl * q
            line.final_excl, line.final_incl = line.initial_excl, line.initial_incl
        else:
            line.initial_excl, line.initial_incl = line.unit_excl * q, line.unit_incl * q
            line.final_excl, line.final_incl = r(line.initial_excl), r(line.initial_incl)
        line.total_excl, line.total_incl = line.final_excl, line.final_incl
    products_excl = sum((line.final_excl for line in lines), ZERO)
    products_incl = sum((line.final_incl for line in lines), ZERO)
    shipping_excl, shipping_incl = _shipping(lines, shipping, r)
    discount_excl, discount_incl, shipping_discount = ZERO, ZERO, False
    for rule in rules:
        if rule.free_shipping and not shipping_discount:
            discount_excl += shipping_excl
            discount_incl += shipping_incl
            shipping_discount = True
        concerned = [lines[rule.product_index]] if rule.product_index is not None else lines
        if rule.percent > 0:
            for line in concerned:
                cut_excl, cut_incl = (
                    line.final_excl * rule.percent / HUNDRED,
                    line.final_incl * rule.percent / HUNDRED,
                )
                _apply(line, cut_excl, cut_incl)
                discount_excl += cut_excl
                discount_incl += cut_incl
        if rule.amount > 0:
            total_incl = sum((line.final_incl for line in concerned), ZERO)
            total_excl = sum((line.final_excl for line in concerned), ZERO)
            amount = min(rule.amount, total_incl if rule.amount_tax_included else total_excl)
            for line in concerned:
                rate = _row_rate(line)
                if rule.amount_tax_included:
                    cut_incl = amount * line.final_incl / total_incl if total_incl else ZERO
                    cut_excl = cut_incl / (1 + rate)
                else:
                    cut_excl = amount * line.final_excl / total_excl if total_excl else ZERO
                    cut_incl = cut_excl * (1 + rate)
                _apply(line, cut_excl, cut_incl)
                discount_excl += cut_excl
                discount_incl += cut_incl
    rows_excl = sum((line.initial_excl for line in lines), ZERO)
    rows_incl = sum((line.initial_incl for line in lines), ZERO)
    cap_excl = rows_excl + (shipping_excl if shipping_discount else ZERO)
    cap_incl = rows_incl + (shipping_incl if shipping_discount else ZERO)
    discount_excl, discount_incl = min(discount_excl, cap_excl), min(discount_incl, cap_incl)
    totals = Totals(
        products_excl=r(products_excl),
        products_incl=r(products_incl),
        discounts_excl=r(discount_excl),
        discounts_incl=r(discount_incl),
        shipping_excl=shipping_excl,
        shipping_incl=shipping_incl,
        lines=lines,
    )
    totals.paid_excl = r(rows_excl) - r(discount_excl) + shipping_excl
    totals.paid_incl = r(rows_incl) - r(discount_incl) + shipping_incl
    for line in lines:
        q = line.quantity
        if round_type == 1:
            line.total_excl, line.total_incl = r(line.unit_excl) * q, r(line.unit_incl) * q
        elif round_type == 3:
            line.total_excl, line.total_incl = line.unit_excl * q, line.unit_incl * q
        else:
            line.total_excl, line.total_incl = r(line.unit_excl * q), r(line.unit_incl * q)
    return totals


def _apply(line: Line, cut_excl: Decimal, cut_incl: Decimal) -> None:
    """``CartRow::applyFlatDiscount``: never below zero."""
    line.final_excl = max(line.final_excl - cut_excl, ZERO)
    line.final_incl = max(line.final_incl - cut_incl, ZERO)


def _row_rate(line: Line) -> Decimal:
    """``CartRuleCalculator::getTaxRateFromRow``."""
    if not line.final_excl:
        return ZERO
    rate = (line.final_incl - line.final_excl) / line.final_excl
    return rate if rate > 0 else ZERO


def _shipping(
    lines: list[Line], shipping: Shipping, rounded: Callable[[Decimal], Decimal]
) -> tuple[Decimal, Decimal]:
    if shipping.free or not lines:
        return ZERO, ZERO
    cost = shipping.price + shipping.handling
    cost += sum((line.additional_shipping * line.quantity for line in lines), ZERO)
    return rounded(cost), rounded(shipping.taxes.add(cost))
