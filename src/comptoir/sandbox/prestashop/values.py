"""Values as PrestaShop holds them: PHP's casts and emptiness, and what MySQL gives back once
``ObjectModel::formatValue`` has stored a value in its column (``19.9`` → ``19.900000`` in a
DECIMAL(20,6), NULL → ``0`` in an INT, ``0000-00-00 00:00:00`` for an empty DATETIME).

Every stored value is a string (MySQL returns strings to PHP) or None (SQL NULL); only ``id`` is
an integer, as ``ObjectModel`` casts it.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from comptoir.sandbox.prestashop.schema.base import Field

SHOP_TZ = ZoneInfo("Europe/Paris")
"""``PS_TIMEZONE`` of the sandbox shop: dates are written in this zone, without an offset."""

_NUMERIC = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")
_LEADING_INT = re.compile(r"^\s*([+-]?\d+)")
_LEADING_FLOAT = re.compile(r"^\s*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)")


def is_numeric(value: str) -> bool:
    """PHP's numeric strings (``is_numeric``)."""
    return _NUMERIC.match(value) is not None


def php_empty(value: Any) -> bool:
    """``Tools::isEmpty``: '' or null (``"0"`` is not empty)."""
    return value is None or value == ""


def php_falsy(value: Any) -> bool:
    """What PHP's ``array_filter`` drops: null, false, 0, "", "0" and empty arrays."""
    return value is None or value is False or value == 0 or value in ("", "0") or value in ([], {})


def php_int(value: Any) -> int:
    """``(int) $value`` on a string: the leading integer, else 0 (``"12abc"`` → 12)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)  # the common case (ids as MySQL returns them), without the regex
    found = _LEADING_FLOAT.match(str(value or ""))
    if found is None:
        return 0
    try:
        return int(Decimal(found.group(1)))
    except (InvalidOperation, ValueError, OverflowError):
        integer = _LEADING_INT.match(str(value))
        return int(integer.group(1)) if integer else 0


def php_float(value: Any) -> Decimal:
    """``(float) str_replace(',', '.', $value)``, kept exact as a Decimal."""
    found = _LEADING_FLOAT.match(str(value or "").replace(",", "."))
    if found is None:
        return Decimal(0)
    try:
        return Decimal(found.group(1))
    except InvalidOperation:
        return Decimal(0)


def decimal_text(value: Decimal, places: int) -> str:
    """A DECIMAL(n, places) column as MySQL prints it (halves away from zero)."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:.{places}f}"
    return "0" + text[2:] if text.startswith("-0") and rounded == 0 else text


def stored(spec: Field, value: str | None) -> str | None:
    """What the column holds after ``formatValue`` wrote ``value`` (None: SQL NULL)."""
    if value is None and spec.nullable:
        return None
    if spec.kind in ("int", "bool"):
        return str(php_int(value))
    if spec.kind == "float":
        return decimal_text(php_float(value), spec.decimals)
    if spec.kind == "date":
        text = value or ""
        if not text:
            text = "0000-00-00"
        if spec.day:
            return text[:10]
        return text if len(text) > 10 else f"{text} 00:00:00"
    return value or ""


def shop_time(moment: datetime) -> str:
    """``date('Y-m-d H:i:s')`` in the shop's time zone."""
    return moment.astimezone(SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S")


def money(value: Decimal) -> str:
    """A DECIMAL(20,6) amount (order totals, prices)."""
    return decimal_text(value, 6)
