"""Order totals the way WooCommerce computes them.

Follows ``WC_Discounts`` (coupons in cents: ``percent`` floors per line then spreads the
remainder cent by cent; ``fixed_cart`` splits per unit then spreads the remainder;
``fixed_product`` per unit), ``WC_Tax::calc_tax`` (taxes per rate to 6 decimals, compound rates
on top; ``calc_inclusive_tax`` for prices with tax), ``WC_Abstract_Order::update_taxes`` (each
line's tax rounded to the cent per rate, or kept unrounded when the shop rounds at subtotal
level, ``woocommerce_tax_round_at_subtotal``), shipping taxed with the ``inherit`` shipping tax
class, and ``calculate_totals`` (line amounts rounded to the cent before summing, unless rounding
at subtotal level; the grand total rounded once).

Orders whose prices include tax (``prices_include_tax``, from ``woocommerce_prices_include_tax``
when the order was created) keep net line amounts like every order — the prices with tax less
their tax, unrounded (``wc_get_price_excluding_tax``) — and take coupons off the prices with
tax, the tax of the discount removed unrounded (``set_item_discount_amounts``), as the cart does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none

CENT = Decimal("0.01")
PRECISION = Decimal("0.000001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)

RateFinder = Callable[[str, bool], list[Record]]
"""(tax class slug, for shipping) → matching rates in priority order."""


def r2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def r6(value: Decimal) -> Decimal:
    return value.quantize(PRECISION, rounding=ROUND_HALF_UP)


def dec(value: Any) -> Decimal:
    return decimal_or_none(value) or ZERO


def calc_inclusive_taxes(price: Decimal, rates: list[Record]) -> dict[int, Decimal]:
    """``WC_Tax::calc_inclusive_tax``: the taxes contained in a price with tax (compound rates
    taken off first, from the last), each to 6 decimals."""
    taxes: dict[int, Decimal] = {rate["id"]: ZERO for rate in rates}
    non_compound = price
    for rate in reversed([r for r in rates if r.get("compound")]):
        tax = non_compound - non_compound / (1 + dec(rate["rate"]) / HUNDRED)
        taxes[rate["id"]] += tax
        non_compound -= tax
    regular = [r for r in rates if not r.get("compound")]
    regular_total = 1 + sum((dec(r["rate"]) for r in regular), ZERO) / HUNDRED
    for rate in regular:
        share = (dec(rate["rate"]) / HUNDRED) / regular_total
        taxes[rate["id"]] += share * non_compound
    return {k: r6(v) for k, v in taxes.items()}


def net_of_tax(price: Decimal, rates: list[Record]) -> Decimal:
    """``wc_get_price_excluding_tax`` for a price entered with tax: the price less its taxes."""
    return r6(price - sum(calc_inclusive_taxes(price, rates).values(), ZERO))


def calc_taxes(amount: Decimal, rates: list[Record]) -> dict[int, Decimal]:
    """``WC_Tax::calc_exclusive_tax``: simple rates on the amount, compound ones on amount + taxes."""
    taxes: dict[int, Decimal] = {}
    for rate in rates:
        if rate.get("compound"):
            continue
        taxes[rate["id"]] = amount * dec(rate["rate"]) / HUNDRED
    pre_compound = sum(taxes.values(), ZERO)
    for rate in rates:
        if not rate.get("compound"):
            continue
        tax = (amount + pre_compound) * dec(rate["rate"]) / HUNDRED
        taxes[rate["id"]] = tax
        pre_compound += tax
    return {k: r6(v) for k, v in taxes.items()}


@dataclass
class _DiscountItem:
    key: int
    quantity: int
    price: int
    """Line subtotal in cents."""
    discount: int = 0

    @property
    def left(self) -> int:
        return self.price - self.discount


@dataclass
class CouponOutcome:
    code: str
    per_item: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.per_item.values())


def apply_coupons(
    lines: list[Record], coupons: list[Record], prices: list[Decimal] | None = None
) -> list[CouponOutcome]:
    """``WC_Discounts::apply_coupon`` for each coupon in turn (not sequential: each coupon works on
    the original prices, capped by what earlier coupons left). ``prices``: each line's price as
    discounts see it (with tax when the order's prices include tax), else its net subtotal."""
    amounts = prices if prices is not None else [dec(line["_subtotal"]) for line in lines]
    items = [
        _DiscountItem(
            i,
            max(int(line["quantity"]), 0),
            int((amounts[i] * HUNDRED).to_integral_value(rounding=ROUND_HALF_UP)),
        )
        for i, line in enumerate(lines)
    ]
    # sort_by_price: most expensive lines first.
    items.sort(key=lambda it: -(it.price * it.quantity))
    outcomes = []
    for coupon in coupons:
        outcome = CouponOutcome(coupon["code"])
        amount = dec(coupon["amount"])
        kind = coupon["discount_type"]
        eligible = [it for it in items if _eligible(coupon, lines[it.key])]
        if kind == "percent":
            _percent(eligible, amount, outcome)
        elif kind == "fixed_product":
            _fixed_product(eligible, int((amount * HUNDRED).to_integral_value()), outcome)
        else:
            _fixed_cart(eligible, int((amount * HUNDRED).to_integral_value()), outcome)
        outcomes.append(outcome)
    return outcomes


def _eligible(coupon: Record, line: Record) -> bool:
    ids = {int(line.get("product_id") or 0), int(line.get("variation_id") or 0)}
    if coupon.get("product_ids") and not ids & set(coupon["product_ids"]):
        return False
    return not ids & set(coupon.get("excluded_product_ids") or [])


def _give(item: _DiscountItem, cents: int, outcome: CouponOutcome) -> int:
    cents = max(0, min(cents, item.left))
    item.discount += cents
    outcome.per_item[item.key] = outcome.per_item.get(item.key, 0) + cents
    return cents


def _remainder(items: list[_DiscountItem], amount: int, outcome: CouponOutcome) -> int:
    total = 0
    for item in items:
        for _ in range(item.quantity):
            total += _give(item, min(item.price, 1), outcome)
            if total >= amount:
                return total
    return total


def _percent(items: list[_DiscountItem], percent: Decimal, outcome: CouponOutcome) -> None:
    total = 0
    cart_total = 0
    for item in items:
        discount = math.floor(Decimal(item.price) * percent / HUNDRED)
        total += _give(item, discount, outcome)
        cart_total += item.price
    whole = int((Decimal(cart_total) * percent / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if total < whole:
        _remainder(items, whole - total, outcome)


def _fixed_product(items: list[_DiscountItem], per_unit: int, outcome: CouponOutcome) -> int:
    return sum(_give(item, per_unit * item.quantity, outcome) for item in items)


def _fixed_cart(items: list[_DiscountItem], amount: int, outcome: CouponOutcome) -> int:
    count = sum(item.quantity for item in items)
    if not count or amount <= 0:
        return 0
    per_unit = amount // count
    if per_unit > 0:
        total = _fixed_product(items, per_unit, outcome)
        if 0 < total < amount:
            total += _fixed_cart(items, amount - total, outcome)
        return total
    return _remainder(items, amount, outcome)


def shipping_tax_class(lines: list[Record], class_slugs: list[str]) -> str | None:
    """Shipping tax class ``inherit``: the first class, standard first, used by a line."""
    used = {line.get("tax_class", "") for line in lines}
    for slug in ["", *class_slugs]:
        if slug in used:
            return slug
    return None


def compute(
    order: Record,
    coupons: list[Record],
    find: RateFinder,
    class_slugs: list[str],
    *,
    round_at_subtotal: bool = False,
    shipping_class: str = "inherit",
) -> None:
    """Recompute every amount of ``order`` in place (lines, shipping, fees, coupons, tax lines).
    ``shipping_class`` is the option ``woocommerce_shipping_tax_class`` (``inherit``: the items')."""
    lines = order["line_items"]
    inclusive = bool(order.get("prices_include_tax"))

    def rounded(value: Decimal) -> Decimal:
        """``round_line_tax`` / ``round_item_subtotal``: to the cent unless rounding at subtotal."""
        return value if round_at_subtotal else r2(value)

    def line_rates(line: Record) -> list[Record]:
        return (
            find(line.get("tax_class", ""), False) if line.get("_tax_status", "taxable") == "taxable" else []
        )

    for line in lines:
        line["_total"] = line["_subtotal"]
    prices = None
    if inclusive:
        prices = [
            dec(line["_subtotal"])
            + sum((rounded(t) for t in calc_taxes(dec(line["_subtotal"]), line_rates(line)).values()), ZERO)
            for line in lines
        ]
    outcomes = apply_coupons(lines, coupons, prices)
    for outcome in outcomes:
        for index, cents in outcome.per_item.items():
            line = lines[index]
            amount = Decimal(cents) / HUNDRED
            rates = line_rates(line)
            if inclusive and rates:
                amount = amount - sum(calc_inclusive_taxes(amount, rates).values(), ZERO)
            line["_total"] = str(max(ZERO, dec(line["_total"]) - amount))

    cart_taxes: dict[int, Decimal] = {}
    shipping_taxes: dict[int, Decimal] = {}
    rates_seen: dict[int, Record] = {}
    subtotal_tax_raw = ZERO
    total_tax_raw = ZERO

    def add(target: dict[int, Decimal], taxes: dict[int, Decimal], rates: list[Record]) -> None:
        for rate in rates:
            rates_seen[rate["id"]] = rate
        for rate_id, tax in taxes.items():
            target[rate_id] = target.get(rate_id, ZERO) + rounded(tax)

    for line in lines:
        rates = line_rates(line)
        total_taxes = calc_taxes(dec(line["_total"]), rates)
        subtotal_taxes = calc_taxes(dec(line["_subtotal"]), rates)
        line["taxes"] = [
            {"id": rid, "total": str(total_taxes[rid]), "subtotal": str(subtotal_taxes.get(rid, ZERO))}
            for rid in total_taxes
        ]
        line["_total_tax"] = str(sum((rounded(t) for t in total_taxes.values()), ZERO))
        line["_subtotal_tax"] = str(sum((rounded(t) for t in subtotal_taxes.values()), ZERO))
        subtotal_tax_raw += sum(subtotal_taxes.values(), ZERO)
        total_tax_raw += sum(total_taxes.values(), ZERO)
        add(cart_taxes, total_taxes, rates)

    for fee in order["fee_lines"]:
        rates = find(fee.get("tax_class", ""), False) if fee.get("tax_status", "taxable") == "taxable" else []
        taxes = calc_taxes(dec(fee["_total"]), rates)
        fee["taxes"] = [{"id": rid, "total": str(t), "subtotal": ""} for rid, t in taxes.items()]
        fee["_total_tax"] = str(sum((rounded(t) for t in taxes.values()), ZERO))
        add(cart_taxes, taxes, rates)

    ship_class = shipping_tax_class(lines, class_slugs) if shipping_class == "inherit" else shipping_class
    for ship in order["shipping_lines"]:
        rates = find(ship_class, True) if ship_class is not None else []
        taxes = calc_taxes(dec(ship["_total"]), rates)
        ship["taxes"] = [{"id": rid, "total": str(t), "subtotal": ""} for rid, t in taxes.items()]
        ship["_total_tax"] = str(sum((rounded(t) for t in taxes.values()), ZERO))
        add(shipping_taxes, taxes, rates)

    old_ids = {line["rate_id"]: line["id"] for line in order.get("tax_lines", [])}
    tax_lines = []
    for rate_id in sorted(set(cart_taxes) | set(shipping_taxes)):
        rate = rates_seen[rate_id]
        tax_lines.append(
            {
                "id": old_ids.get(rate_id, 0),
                "rate_code": rate_code(rate),
                "rate_id": rate_id,
                "label": rate.get("name") or "Tax",
                "compound": bool(rate.get("compound")),
                "tax_total": str(cart_taxes.get(rate_id, ZERO)),
                "shipping_tax_total": str(shipping_taxes.get(rate_id, ZERO)),
                "rate_percent": float(dec(rate["rate"])),
                "meta_data": [],
            }
        )
    order["tax_lines"] = tax_lines

    for outcome, line in zip(outcomes, order["coupon_lines"], strict=False):
        discount = Decimal(outcome.total) / HUNDRED
        tax = ZERO
        for index, cents in outcome.per_item.items():
            rates = line_rates(lines[index])
            amount = Decimal(cents) / HUNDRED
            taxes = calc_inclusive_taxes(amount, rates) if inclusive else calc_taxes(amount, rates)
            tax += rounded(sum(taxes.values(), ZERO))
        line["_discount"] = str(discount - tax if inclusive else discount)
        line["_discount_tax"] = str(tax)

    cart_subtotal = sum((rounded(dec(line["_subtotal"])) for line in lines), ZERO)
    cart_total = sum((rounded(dec(line["_total"])) for line in lines), ZERO)
    shipping_total = sum((r2(dec(s["_total"])) for s in order["shipping_lines"]), ZERO)
    fees_total = sum((dec(f["_total"]) for f in order["fee_lines"]), ZERO)
    cart_tax = sum(cart_taxes.values(), ZERO)
    shipping_tax = sum(shipping_taxes.values(), ZERO)
    order["_discount_total"] = str(r2(cart_subtotal - cart_total))
    order["_discount_tax"] = str(r2(subtotal_tax_raw - total_tax_raw))
    order["_shipping_total"] = str(shipping_total)
    order["_shipping_tax"] = str(shipping_tax)
    order["_cart_tax"] = str(cart_tax)
    order["_total_tax"] = str(r2(cart_tax + shipping_tax))
    order["_total"] = str(r2(cart_total + fees_total + shipping_total + cart_tax + shipping_tax))


def rate_code(rate: Record) -> str:
    """``WC_Tax::get_rate_code``: COUNTRY-STATE-NAME-PRIORITY, empty parts skipped."""
    parts = [
        rate.get("country", ""),
        rate.get("state", ""),
        rate.get("name") or "TAX",
        str(rate.get("priority", 1)),
    ]
    return "-".join(p for p in parts if p).upper()
