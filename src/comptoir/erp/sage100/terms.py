"""Due dates from a customer's payment terms (``F_REGLEMENTT``), as Sage computes them.

A term row gives a delay (``RT_NbJour``) counted from the document date under a condition
(``RT_Condition`` 0 days net, 1 end of calendar month, 2 end of month with 30 days counted as a
month), optionally moved to the next listed day of the month (``RT_JourTb01``…``06``), and a
share of the amount (``RT_TRepart`` 0 percentage, 1 balance, 2 fixed amount of ``RT_VRepart``).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

DAYS_NET = 0
END_OF_CALENDAR_MONTH = 1
END_OF_MONTH = 2
PERCENTAGE = 0
BALANCE = 1
AMOUNT = 2


@dataclass(frozen=True, slots=True)
class DueDate:
    """One ``F_DOCREGL`` due date: when, which share, by which payment mode."""

    day: date
    percent: Decimal
    amount: Decimal
    balance: bool
    mode: int


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def due_day(start: date, condition: int, days: int, month_days: Sequence[int] = ()) -> date:
    """The due day of a term starting on ``start``."""
    if condition == END_OF_CALENDAR_MONTH:
        day = _end_of_month(start + timedelta(days=days))
    elif condition == END_OF_MONTH:
        day = _end_of_month(_add_months(start, days // 30) + timedelta(days=days % 30))
    else:
        day = start + timedelta(days=days)
    wanted = sorted({n for n in month_days if 1 <= n <= 31})
    if not wanted:
        return day
    for month_start in (day.replace(day=1), _add_months(day.replace(day=1), 1)):
        last = calendar.monthrange(month_start.year, month_start.month)[1]
        for n in wanted:
            candidate = month_start.replace(day=min(n, last))
            if candidate >= day:
                return candidate
    return day  # pragma: no cover - the next month always holds a listed day


def split_terms(start: date, terms: Sequence[object], mode: int) -> list[DueDate]:
    """The due dates of a document dated ``start`` (``terms``: ``F_REGLEMENTT`` rows in order).

    ``mode``, when not 0, is the document's own payment mode and replaces the terms' modes.
    Without terms, one due date on ``start`` balances the document. Exactly one due date is the
    balance: the terms' balance row, else the last one.
    """
    if not terms:
        return [DueDate(start, Decimal(0), Decimal(0), True, mode or 1)]
    dates = []
    for term in terms:
        share = int(getattr(term, "RT_TRepart", 0) or 0)
        value = Decimal(getattr(term, "RT_VRepart", 0) or 0)
        month_days = [int(getattr(term, f"RT_JourTb{n:02d}", 0) or 0) for n in range(1, 7)]
        dates.append(
            DueDate(
                day=due_day(
                    start,
                    int(getattr(term, "RT_Condition", 0) or 0),
                    int(getattr(term, "RT_NbJour", 0) or 0),
                    month_days,
                ),
                percent=value if share == PERCENTAGE else Decimal(0),
                amount=value if share == AMOUNT else Decimal(0),
                balance=share == BALANCE,
                mode=mode or int(getattr(term, "N_Reglement", 0) or 0) or 1,
            )
        )
    if not any(d.balance for d in dates):
        last = dates[-1]
        dates[-1] = DueDate(last.day, Decimal(0), Decimal(0), True, last.mode)
    first_balance = next(i for i, d in enumerate(dates) if d.balance)
    return [
        d if not d.balance or i == first_balance else DueDate(d.day, d.percent, d.amount, False, d.mode)
        for i, d in enumerate(dates)
    ]
