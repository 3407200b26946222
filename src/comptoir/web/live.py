"""Runs started from the dashboard or the scheduler, followed live (server-sent events).

Each run is a child process (``schedule/launch.py``); its journal lines are kept here as they
come, for every page following it, until the server stops. The run's own journal stays where
every run keeps it (log file, run history).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from comptoir.schedule.launch import run_in_process
from comptoir.state import utcnow

KEEP = 50
"""Finished runs kept in memory (the oldest go first)."""


@dataclass
class LiveRun:
    id: str
    profile: str
    path: Path
    job: str
    dry_run: bool
    user: str
    started_at: datetime
    lines: list[str] = field(default_factory=list)
    exit_code: int | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def done(self) -> bool:
        return self.exit_code is not None

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def add(self, line: str) -> None:
        self.lines.append(line)
        self._wake()

    def finish(self, code: int) -> None:
        self.exit_code = code
        self._wake()

    async def follow(self) -> AsyncIterator[str]:
        """Every line, those already written first, until the run ends."""
        sent = 0
        while True:
            changed = self._changed
            fresh = self.lines[sent:]
            for line in fresh:
                yield line
            sent += len(fresh)
            if self.done and sent >= len(self.lines):
                return
            if len(self.lines) == sent and not self.done:
                await changed.wait()


class LiveRuns:
    """The runs of this server, by id."""

    def __init__(self) -> None:
        self._runs: dict[str, LiveRun] = {}
        self._tasks: set[asyncio.Task[int]] = set()

    def get(self, ident: str) -> LiveRun | None:
        return self._runs.get(ident)

    def of(self, profile: str) -> list[LiveRun]:
        return sorted((r for r in self._runs.values() if r.profile == profile), key=lambda r: r.started_at)

    def running(self, profile: str, job: str) -> LiveRun | None:
        for run in self._runs.values():
            if run.profile == profile and run.job == job and not run.done and not run.dry_run:
                return run
        return None

    def start(
        self,
        path: Path,
        profile: str,
        job: str,
        *,
        dry_run: bool,
        user: str,
        extra: tuple[str, ...] = (),
    ) -> LiveRun:
        """Start the job in a child process; return its live run at once."""
        run = LiveRun(uuid.uuid4().hex, profile, path, job, dry_run, user, utcnow())
        self._runs[run.id] = run
        self._forget_old()
        task = asyncio.create_task(self._execute(run, extra))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run

    async def run(self, path: Path, profile: str, job: str, *, user: str) -> LiveRun:
        """Start the job and wait for its end (the scheduler's way)."""
        run = LiveRun(uuid.uuid4().hex, profile, path, job, False, user, utcnow())
        self._runs[run.id] = run
        self._forget_old()
        await self._execute(run, ())
        return run

    async def _execute(self, run: LiveRun, extra: tuple[str, ...]) -> int:
        code = 1
        try:
            code = await run_in_process(run.path, run.job, dry_run=run.dry_run, extra=extra, on_line=run.add)
        finally:
            run.finish(code)
        return code

    def _forget_old(self) -> None:
        finished = sorted((r for r in self._runs.values() if r.done), key=lambda r: r.started_at)
        for run in finished[: max(len(finished) - KEEP, 0)]:
            del self._runs[run.id]

    async def drain(self, grace: float = 60.0) -> None:
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=grace)
