"""Money and tax arithmetic with ``Decimal`` and named rounding rules.

Every amount in comptoir is a ``Decimal``. Nothing here rounds implicitly: each rounding
names its rule, so a total computed by the connector can be explained line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")


class Rounding(StrEnum):
    """Named rounding rules.

    ``commercial`` rounds halves away from zero (what French invoicing software and
    WooCommerce do); ``bankers`` rounds halves to the even neighbour.
    """

    COMMERCIAL = "commercial"
    BANKERS = "bankers"

    @property
    def decimal_mode(self) -> str:
        return ROUND_HALF_UP if self is Rounding.COMMERCIAL else ROUND_HALF_EVEN


class MoneyError(ValueError):
    """A value that should be an amount is not one."""


def to_decimal(value: object, *, field: str = "amount") -> Decimal:
    """Parse ``value`` (str, int, Decimal; never float) into a Decimal.

    Empty strings and ``None`` give zero: shop APIs send ``""`` for "no price".
    """
    if value is None or value == "":
        return ZERO
    if isinstance(value, bool):
        raise MoneyError(f"{field}: a boolean is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # JSON numbers arrive as floats; their shortest repr is what was written.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "."))
        except InvalidOperation as exc:
            raise MoneyError(f"{field}: {value!r} is not a number") from exc
    else:
        raise MoneyError(f"{field}: {type(value).__name__} is not an amount")
    if not result.is_finite():
        raise MoneyError(f"{field}: {value!r} is not a finite number")
    return result


def quantum(places: int) -> Decimal:
    """The smallest step for ``places`` decimals (2 → 0.01)."""
    return Decimal(1).scaleb(-places)


def round_money(amount: Decimal, places: int = 2, rule: Rounding = Rounding.COMMERCIAL) -> Decimal:
    """Round ``amount`` to ``places`` decimals with the named rule."""
    return amount.quantize(quantum(places), rounding=rule.decimal_mode)


def tax_amount(net: Decimal, rate_percent: Decimal, rule: Rounding = Rounding.COMMERCIAL) -> Decimal:
    """Tax on a net amount at ``rate_percent`` (20 for 20 %), rounded to the cent."""
    return round_money(net * rate_percent / HUNDRED, 2, rule)


def gross_from_net(net: Decimal, rate_percent: Decimal, rule: Rounding = Rounding.COMMERCIAL) -> Decimal:
    """Tax-inclusive amount from a net amount, rounded to the cent."""
    return round_money(net, 2, rule) + tax_amount(net, rate_percent, rule)


def net_from_gross(
    gross: Decimal, rate_percent: Decimal, places: int = 2, rule: Rounding = Rounding.COMMERCIAL
) -> Decimal:
    """Net amount from a tax-inclusive amount, rounded to ``places`` decimals."""
    return round_money(gross * HUNDRED / (HUNDRED + rate_percent), places, rule)


def split_pro_rata(total: Decimal, weights: Sequence[Decimal], places: int = 2) -> list[Decimal]:
    """Split ``total`` across ``weights`` proportionally, to ``places`` decimals.

    The parts always add up exactly to ``total`` (rounded to ``places``): the cents lost to
    rounding go to the parts with the largest remainders (largest-remainder method), ties to
    the earliest part. Used to spread a cart discount over VAT rates by each rate's base.
    """
    if not weights:
        raise MoneyError("cannot split an amount over no parts")
    step = quantum(places)
    target = round_money(total, places)
    weight_sum = sum(weights, ZERO)
    if weight_sum == ZERO:
        raise MoneyError("cannot split an amount over parts that all weigh zero")
    if any(w < ZERO for w in weights):
        raise MoneyError("cannot split an amount over negative weights")
    units = int(target / step)
    exact = [Decimal(units) * w / weight_sum for w in weights]
    floors = [int(x.to_integral_value(rounding="ROUND_FLOOR")) for x in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: abs(left)]:
        floors[i] += 1 if left > 0 else -1
    return [Decimal(n) * step for n in floors]


def money_sum(amounts: Iterable[Decimal]) -> Decimal:
    """Sum of amounts, starting from a Decimal zero."""
    return sum(amounts, ZERO)


def format_money(amount: Decimal, places: int = 2) -> str:
    """The amount as a plain string with ``places`` decimals (``"18.00"``), as shop APIs expect."""
    return f"{round_money(amount, places):.{places}f}"
