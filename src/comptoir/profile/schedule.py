"""When jobs run on their own: a cron expression or an interval per job, and quiet hours.

``comptoir serve`` runs these schedules; ``comptoir schedule`` lists them with their next run.
Cron expressions are read by croniter (five fields: minute hour day month weekday, local time
of ``schedules.timezone``); intervals are a number and a unit (``30s``, ``15m``, ``2h``, ``1d``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
MIN_INTERVAL = timedelta(seconds=10)
JOB_NAMES: tuple[str, ...] = (
    "export_products",
    "update_prices",
    "update_stock",
    "export_customers",
    "import_orders",
)
"""The jobs a profile can schedule (the job commands, in their usual order)."""


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A daily range of local times, ``22:00-06:00`` wrapping past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        match = _RANGE.match(text)
        if match is None:
            raise ValueError(f"{text!r} is not a range of hours like 22:00-06:00")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise ValueError(f"{text!r}: hours go from 00:00 to 24:00")
        end = time(0, 0) if h2 == 24 else time(h2, m2)
        if time(h1, m1) == end:
            raise ValueError(f"{text!r}: start and end are the same")
        return cls(time(h1, m1), end)

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_interval(text: str) -> timedelta:
    """``15m`` → 15 minutes; units s, m, h, d."""
    match = _INTERVAL.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an interval like 30s, 15m, 2h or 1d")
    value = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if value < MIN_INTERVAL:
        raise ValueError(f"{text!r}: the shortest interval is 10s")
    return value


def check_ranges(values: list[str]) -> list[str]:
    for value in values:
        TimeRange.parse(value)
    return values


def check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not a known time zone (e.g. Europe/Paris)") from exc
    return value


class _Section(BaseModel):
    # Fields documented as in ``comptoir.profile.models`` (read by ``comptoir.profile.docstrings``).
    model_config = ConfigDict(extra="forbid", frozen=True)


class JobSchedule(_Section):
    """When one job runs: ``cron`` or ``every``, one of the two."""

    cron: str | None = None
    """Cron expression, five fields in local time: minute hour day-of-month month day-of-week
    (``*/15 * * * *`` every quarter hour, ``0 2 * * *`` at 02:00, ``*/5 8-19 * * 1-6`` every 5 minutes
    from 08:00 to 19:55, Monday to Saturday)."""
    every: str | None = None
    """Interval: a number and s, m, h or d (``15m``); runs fall on multiples of it (``15m``: :00, :15…)."""
    quiet_hours: list[str] | None = None
    """Local hours when this job does not run (``["22:00-06:00"]``); none: ``schedules.quiet_hours``."""
    enabled: bool = True
    """Off: the schedule is kept but nothing runs."""

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from croniter import croniter

        if len(value.split()) != 5 or not croniter.is_valid(value):
            raise ValueError(
                f"{value!r} is not a cron expression of five fields (minute hour day month weekday)"
            )
        return value

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_interval(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else check_ranges(value)

    @model_validator(mode="after")
    def _one_rule(self) -> JobSchedule:
        if (self.cron is None) == (self.every is None):
            raise ValueError("give either cron or every (one of the two)")
        return self

    @property
    def rule(self) -> str:
        """The rule for people: ``cron */15 * * * *`` or ``every 15m``."""
        return f"cron {self.cron}" if self.cron is not None else f"every {self.every}"


class ScheduleOptions(_Section):
    """Scheduled runs, one table per job (``[schedules.update_stock]``), run by ``comptoir serve``.

    Two runs of one profile's job never overlap: a run still going when the next is due makes
    that one wait for the following turn (and across machines, the run lock in the state store).
    """

    timezone: str = "Europe/Paris"
    """Time zone of cron expressions and quiet hours."""
    quiet_hours: list[str] = Field(default_factory=list)
    """Local hours when no scheduled job runs (``["22:00-06:00"]``), unless a job sets its own."""
    export_products: JobSchedule | None = None
    """When export products runs (e.g. nightly: ``cron = "0 2 * * *"``)."""
    update_prices: JobSchedule | None = None
    """When update prices runs."""
    update_stock: JobSchedule | None = None
    """When update stock runs (e.g. ``every = "15m"``)."""
    enable_products: JobSchedule | None = None
    """When enable / disable products runs (e.g. ``every = "1h"``)."""
    export_customers: JobSchedule | None = None
    """When export customers runs."""
    import_orders: JobSchedule | None = None
    """When import orders runs (e.g. ``every = "5m"``)."""
    update_order_statuses: JobSchedule | None = None
    """When update order statuses runs (e.g. ``every = "30m"``)."""
    send_invoices: JobSchedule | None = None
    """When send invoices runs (e.g. nightly)."""
    import_refunds: JobSchedule | None = None
    """When import refunds runs."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_zone(value)

    @field_validator("quiet_hours")
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        return check_ranges(value)

    def jobs(self) -> dict[str, JobSchedule]:
        """Job name → its schedule, for the jobs that have one."""
        return {
            name: value
            for name in type(self).model_fields
            if isinstance(value := getattr(self, name), JobSchedule)
        }

    def quiet_for(self, job: str) -> list[TimeRange]:
        """The quiet hours that apply to ``job``."""
        own = self.jobs()[job].quiet_hours
        return [TimeRange.parse(text) for text in (self.quiet_hours if own is None else own)]
