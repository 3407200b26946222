"""Column types of the Sage 100c replica, and the values Sage writes for "empty".

Sage stores amounts, quantities and prices as ``decimal(24,6)``; :class:`SageAmount` keeps
that type on every backend and always hands back ``Decimal``. SQLite has no decimal type: it
stores a double, which round-trips exactly every value of up to 15 significant digits
(999 999 999.999999), far beyond any price or quantity; the value read back is rebuilt from
the double's shortest representation, so ``12.34`` comes back as ``Decimal("12.34")``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CHAR, DateTime, Integer, LargeBinary, Numeric, SmallInteger, String, Unicode, Uuid
from sqlalchemy.dialects import mssql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

EMPTY_DATE = datetime(1753, 1, 1)  # noqa: DTZ001 - Sage's dates are naive local times
"""What Sage writes in a date column that has no date (SQL Server's smallest datetime)."""

AMOUNT_PLACES = 6
AMOUNT_DIGITS = 24


class SageAmount(TypeDecorator[Decimal]):
    """``decimal(24,6)``: NUMERIC(24,6) everywhere, ``Decimal`` in Python."""

    impl = Numeric(AMOUNT_DIGITS, AMOUNT_PLACES, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            # Read the stored double as a float and convert it here (exactly, see module doc).
            return dialect.type_descriptor(Numeric(AMOUNT_DIGITS, AMOUNT_PLACES, asdecimal=False))
        return dialect.type_descriptor(Numeric(AMOUNT_DIGITS, AMOUNT_PLACES, asdecimal=True))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return amount(value)


def amount(value: Any) -> Decimal | None:
    """An amount as the database driver gives it (``Decimal``, or a double or an integer from
    SQLite), as ``Decimal``."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


class PlainAmounts:
    """``plain_decimal(amount(raw))`` of raw driver values, each distinct value worked out once:
    a stock table holds few distinct quantities, read hundreds of thousands of times."""

    LIMIT = 100_000
    """Distinct values remembered at most (then forgotten and learnt again)."""

    def __init__(self) -> None:
        self._known: dict[Any, Decimal] = {}

    def __call__(self, raw: Any) -> Decimal:
        found = self._known.get(raw)
        if found is None:
            if len(self._known) >= self.LIMIT:
                self._known.clear()
            found = self._known[raw] = plain_decimal(amount(raw))
        return found


def sage_datetime() -> TypeEngine[datetime]:
    """``datetime``: naive local wall-clock time, as Sage writes it."""
    return DateTime()


def sage_smalldatetime() -> TypeEngine[datetime]:
    """``smalldatetime`` (minute precision on SQL Server)."""
    return DateTime().with_variant(mssql.SMALLDATETIME(), "mssql")


def varchar(length: int) -> TypeEngine[str]:
    return String(length)


def nvarchar(length: int) -> TypeEngine[str]:
    return Unicode(length)


def char(length: int) -> TypeEngine[str]:
    return CHAR(length)


def varbinary(length: int) -> TypeEngine[bytes]:
    return LargeBinary().with_variant(mssql.VARBINARY(length), "mssql")  # type: ignore[no-untyped-call]


def guid() -> TypeEngine[Any]:
    return Uuid()


def smallint() -> TypeEngine[int]:
    return SmallInteger()


def integer() -> TypeEngine[int]:
    return Integer()


def plain_decimal(value: Decimal | None) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``20.000000`` → ``20``)."""
    if value is None:
        return Decimal(0)
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(Decimal(1))
    return normal


def sage_day(day: date) -> datetime:
    """A calendar date as Sage stores it: that day at midnight, local time."""
    return datetime(day.year, day.month, day.day)  # noqa: DTZ001 - Sage's dates are naive local times


def slot(value: str | None, what: str, name: str) -> int:
    """A Sage numeric identifier (warehouse ``DE_No``, series, price category or payment-mode
    slot) from the neutral string identifier; empty means 0 (Sage's "none" / default)."""
    text = (value or "").strip()
    if not text:
        return 0
    if not text.isdigit():
        from comptoir.erp.base import ErpError

        raise ErpError(f"{what}: {name} {value!r} is not a Sage number (expected digits, e.g. 1)")
    return int(text)
