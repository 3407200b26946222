"""``comptoir serve``: run the profiles' schedules (and, later in this file, the dashboard)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from comptoir.alerts.notify import periodic
from comptoir.cli.console import console
from comptoir.profile import Profile
from comptoir.profile.folder import ProfileFolder
from comptoir.schedule.launch import run_in_process
from comptoir.schedule.loop import Scheduler
from comptoir.state import StateStore


async def run_scheduled(path: Path, profile: Profile, job: str) -> int:
    """Run a scheduled job in its own process; print its closing line."""
    last: list[str] = []
    code = await run_in_process(path, job, on_line=last.append)
    console.print(
        f"{profile.name} {job}: exit {code} - {last[-1] if last else ''}", markup=False, soft_wrap=True
    )
    return code


class AlertChecks:
    """Heartbeat and daily summary of every profile with alerts, once a minute."""

    def __init__(self, folder: ProfileFolder, every: timedelta = timedelta(minutes=1)) -> None:
        self._folder = folder
        self._every = every
        self._last: datetime | None = None

    async def tick(self, now: datetime) -> None:
        if self._last is not None and now - self._last < self._every:
            return
        self._last = now
        for _path, profile in self._folder.profiles():
            if profile.alerts is not None:
                await asyncio.to_thread(self._check, profile, now)

    @staticmethod
    def _check(profile: Profile, now: datetime) -> None:
        store = StateStore.open(profile.state_url())
        try:
            for problem in periodic(profile, store, now):
                console.print(f"{profile.name}: alert not sent - {problem}", markup=False, soft_wrap=True)
        finally:
            store.close()


async def serve_schedules(folder: ProfileFolder) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    scheduler = Scheduler(folder.profiles, run_scheduled, tickers=(AlertChecks(folder).tick,))
    await scheduler.run_forever(stop)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        profiles: Annotated[
            Path,
            typer.Option(
                "--profiles", help="Folder of profile files (*.toml).", exists=True, file_okay=False
            ),
        ] = Path(),
    ) -> None:
        """Run every profile's scheduled jobs until stopped (Ctrl-C or SIGTERM)."""
        folder = ProfileFolder(profiles)
        console.print(f"comptoir serve: schedules of the profiles in {folder.folder}", markup=False)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_schedules(folder))
