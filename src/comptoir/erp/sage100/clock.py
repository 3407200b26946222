"""Sage's dates are naive local wall-clock times; the model's are timezone-aware UTC.

Sage writes ``datetime``/``smalldatetime`` values in the local time of the company (the
server's clock, Europe/Paris for a French company), without a zone. comptoir reads them as
times of the configured zone and converts them to UTC; dates coming from the model are
converted back to that zone before they are compared with Sage's columns. ``1753-01-01``
(Sage's empty date) reads as ``None``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from comptoir.erp.sage100.types import EMPTY_DATE

DEFAULT_TIMEZONE = "Europe/Paris"


class SageClock:
    """Conversions between Sage's local times and aware UTC datetimes."""

    def __init__(self, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.zone = ZoneInfo(timezone)

    def to_utc(self, local: datetime | None) -> datetime | None:
        """An aware UTC datetime, or ``None`` for an empty Sage date."""
        if local is None or local.year <= EMPTY_DATE.year:
            return None
        if local.tzinfo is not None:
            return local.astimezone(UTC)
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def to_local(self, moment: datetime) -> datetime:
        """The naive local time Sage would store for ``moment`` (naive input is taken as UTC)."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).replace(tzinfo=None)

    def since(self, moment: datetime) -> datetime:
        """Lower bound for "modified since": local time floored to the minute.

        ``smalldatetime`` columns keep minutes only, so a change made in the same minute as
        ``moment`` must still be found.
        """
        return self.to_local(moment).replace(second=0, microsecond=0)

    def now(self) -> datetime:
        """Local time now, to the second (what Sage writes in ``cbModification``)."""
        return datetime.now(self.zone).replace(tzinfo=None, microsecond=0)
