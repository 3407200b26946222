"""The scheduler: runs each profile's scheduled jobs when due, one run of a job at a time.

Profiles are read again when their files change (the dashboard edits them), and a changed rule
is planned again from now. A job still running when its next turn comes lets that turn go (the
following one is planned): runs of one job never pile up. Across processes and machines, the run
lock in the state store keeps the same promise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from comptoir.profile import Profile
from comptoir.profile.schedule import JobSchedule
from comptoir.schedule.plan import next_run
from comptoir.state import Clock, utcnow

log = logging.getLogger(__name__)

RunJob = Callable[[Path, Profile, str], Awaitable[object]]
"""Run one job of one profile file to its end (the scheduler does not look at the result)."""

Ticker = Callable[[datetime], Awaitable[None]]
"""Something to do at each turn of the loop (alert checks), given the current instant."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One scheduled job of one profile and its next run."""

    path: Path
    profile: str
    job: str
    rule: str
    quiet_hours: tuple[str, ...]
    timezone: str
    next_at: datetime | None
    running: bool


@dataclass
class _Slot:
    signature: str
    rule: JobSchedule
    profile: Profile
    next_at: datetime | None


class Scheduler:
    """Plans and starts scheduled runs; ``tick(now)`` does one turn, ``run_forever`` loops."""

    def __init__(
        self,
        profiles: Callable[[], list[tuple[Path, Profile]]],
        run: RunJob,
        *,
        clock: Clock = utcnow,
        tickers: tuple[Ticker, ...] = (),
    ) -> None:
        self._profiles = profiles
        self._run = run
        self._clock = clock
        self._tickers = tickers
        self._slots: dict[tuple[Path, str], _Slot] = {}
        self._tasks: dict[tuple[Path, str], asyncio.Task[object]] = {}

    def refresh(self, now: datetime) -> None:
        """Read the profiles again; plan new or changed rules from ``now``; drop removed ones."""
        seen: set[tuple[Path, str]] = set()
        for path, profile in self._profiles():
            options = profile.schedules
            for job, rule in options.jobs().items():
                key = (path, job)
                seen.add(key)
                quiet = options.quiet_for(job)
                signature = f"{profile.name}|{rule.model_dump_json()}|{options.timezone}|{quiet}"
                slot = self._slots.get(key)
                if slot is None or slot.signature != signature:
                    at = next_run(rule, quiet, options.timezone, now)
                    self._slots[key] = _Slot(signature, rule, profile, at)
                else:
                    slot.profile = profile
        for key in set(self._slots) - seen:
            del self._slots[key]

    def _replan(self, key: tuple[Path, str], now: datetime) -> None:
        slot = self._slots[key]
        options = slot.profile.schedules
        slot.next_at = next_run(slot.rule, options.quiet_for(key[1]), options.timezone, now)

    async def tick(self, now: datetime | None = None) -> list[tuple[Path, str]]:
        """One turn: start every job due at ``now``; return which were started."""
        now = now or self._clock()
        self.refresh(now)
        started = []
        for key, slot in self._slots.items():
            if slot.next_at is None or slot.next_at > now:
                continue
            running = self._tasks.get(key)
            if running is None or running.done():
                self._tasks[key] = asyncio.create_task(self._guarded(key, slot.profile))
                started.append(key)
            else:
                log.info("%s %s: still running, this turn is skipped", slot.profile.name, key[1])
            self._replan(key, now)
        for ticker in self._tickers:
            try:
                await ticker(now)
            except Exception:
                log.exception("scheduler check failed")
        return started

    async def _guarded(self, key: tuple[Path, str], profile: Profile) -> object:
        try:
            return await self._run(key[0], profile, key[1])
        except Exception:
            log.exception("%s %s: the scheduled run could not be started", profile.name, key[1])
            return None

    def planned(self) -> list[Planned]:
        """Every scheduled job with its next run, soonest first (disabled ones last)."""
        items = [
            Planned(
                path,
                slot.profile.name,
                job,
                slot.rule.rule,
                tuple(str(r) for r in slot.profile.schedules.quiet_for(job)),
                slot.profile.schedules.timezone,
                slot.next_at,
                key in self._tasks and not self._tasks[key].done(),
            )
            for key, slot in self._slots.items()
            for path, job in [key]
        ]
        far = datetime.max.replace(tzinfo=self._clock().tzinfo)
        return sorted(items, key=lambda p: (p.next_at or far, p.profile, p.job))

    async def run_forever(self, stop: asyncio.Event, *, poll: float = 5.0) -> None:
        """Tick until ``stop`` is set, waking at the next due run or every ``poll`` seconds."""
        while not stop.is_set():
            await self.tick()
            now = self._clock()
            upcoming = [s.next_at for s in self._slots.values() if s.next_at is not None]
            wait = poll
            if upcoming:
                wait = min(poll, max((min(upcoming) - now) / timedelta(seconds=1), 0.05))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
        await self.drain()

    async def drain(self, grace: float = 60.0) -> None:
        """Let running jobs finish (up to ``grace`` seconds), then cancel the rest."""
        running = [task for task in self._tasks.values() if not task.done()]
        if not running:
            return
        _done, pending = await asyncio.wait(running, timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
