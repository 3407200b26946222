"""``comptoir serve``: run the profiles' schedules (and, later in this file, the dashboard)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import Annotated

import typer

from comptoir.cli.console import console
from comptoir.profile import Profile
from comptoir.profile.folder import ProfileFolder
from comptoir.schedule.launch import run_in_process
from comptoir.schedule.loop import Scheduler


async def run_scheduled(path: Path, profile: Profile, job: str) -> int:
    """Run a scheduled job in its own process; print its closing line."""
    last: list[str] = []
    code = await run_in_process(path, job, on_line=last.append)
    console.print(
        f"{profile.name} {job}: exit {code} - {last[-1] if last else ''}", markup=False, soft_wrap=True
    )
    return code


async def serve_schedules(folder: ProfileFolder) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    scheduler = Scheduler(folder.profiles, run_scheduled)
    await scheduler.run_forever(stop)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        profiles: Annotated[
            Path, typer.Option("--profiles", help="Folder of profile files (*.toml).")
        ] = Path(),
    ) -> None:
        """Run every profile's scheduled jobs until stopped (Ctrl-C or SIGTERM)."""
        folder = ProfileFolder(profiles)
        console.print(f"comptoir serve: schedules of the profiles in {folder.folder}", markup=False)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_schedules(folder))
