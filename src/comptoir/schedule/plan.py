"""The next run of a scheduled job: cron (croniter) or interval, moved out of quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter

from comptoir.profile.schedule import JobSchedule, TimeRange, parse_interval

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MAX_STEPS = 10_000


def _following(rule: JobSchedule, zone: ZoneInfo, after: datetime) -> datetime:
    """The rule's first instant strictly after ``after`` (UTC)."""
    if rule.cron is not None:
        local = croniter(rule.cron, after.astimezone(zone)).get_next(datetime)
        return local.astimezone(UTC)
    assert rule.every is not None
    step = parse_interval(rule.every)
    turns = (after - _EPOCH) // step + 1
    return _EPOCH + turns * step


def _quiet_end(moment: datetime, quiet: list[TimeRange], zone: ZoneInfo) -> datetime | None:
    """When the quiet range holding ``moment`` ends (UTC), or None when it is not quiet."""
    local = moment.astimezone(zone)
    for span in quiet:
        if span.contains(local.time().replace(tzinfo=None)):
            end = local.replace(hour=span.end.hour, minute=span.end.minute, second=0, microsecond=0)
            if end <= local:
                end += timedelta(days=1)
            return end.astimezone(UTC)
    return None


def next_run(rule: JobSchedule, quiet: list[TimeRange], zone: str, after: datetime) -> datetime | None:
    """When ``rule`` runs next after ``after`` (UTC), outside ``quiet`` hours; None when disabled
    or when quiet hours cover every instant the rule gives."""
    if not rule.enabled:
        return None
    tz = ZoneInfo(zone)
    moment = after
    for _ in range(_MAX_STEPS):
        candidate = _following(rule, tz, moment)
        end = _quiet_end(candidate, quiet, tz)
        if end is None:
            return candidate
        moment = max(candidate, end - timedelta(microseconds=1))
    return None
