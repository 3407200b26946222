"""``comptoir schedule``: each profile's scheduled jobs and their next run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.cli.console import console, errors, load_or_exit

if TYPE_CHECKING:
    from comptoir.profile import Profile

ProfilesOption = Annotated[
    Path | None,
    typer.Option(
        "--profiles", help="Folder of profile files (*.toml) [default: here].", exists=True, file_okay=False
    ),
]
ProfileOption = Annotated[
    list[Path] | None, typer.Option("--profile", "-p", help="A profile file (repeat for several).")
]


def chosen_profiles(profile: list[Path] | None, profiles: Path | None) -> list[tuple[Path, Profile]]:
    """The profiles named on the command line: files, else every valid file of a folder."""
    from comptoir.profile.folder import ProfileFolder

    if profile:
        return [(path.resolve(), load_or_exit(path)) for path in profile]
    folder = ProfileFolder(profiles or Path())
    for item in folder.files():
        if item.profile is None:
            errors.print(f"{item.path.name}: not loaded - {'; '.join(item.problems)}", markup=False)
    return folder.profiles()


async def _nothing(_path: Path, _profile: Profile, _job: str) -> None:
    return None


def register(app: typer.Typer) -> None:
    @app.command("schedule")
    def schedule(profile: ProfileOption = None, profiles: ProfilesOption = None) -> None:
        """List the scheduled jobs of the profiles and when each runs next (comptoir serve runs them)."""
        from rich.table import Table

        from comptoir.schedule.loop import Scheduler
        from comptoir.state import utcnow

        found = chosen_profiles(profile, profiles)
        scheduler = Scheduler(lambda: found, _nothing)
        scheduler.refresh(utcnow())
        planned = scheduler.planned()
        if not planned:
            console.print(
                "No scheduled job: add [schedules.<job>] tables to a profile (see docs/scheduling.md)."
            )
            return
        table = Table("profile", "job", "rule", "quiet hours", "next run", title="Scheduled runs")
        for item in planned:
            zone = item.timezone
            when = "disabled" if item.next_at is None else _local(item.next_at, zone)
            table.add_row(item.profile, item.job, item.rule, ", ".join(item.quiet_hours) or "-", when)
        console.print(table)


def _local(moment: object, zone: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert isinstance(moment, datetime)
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M:%S %Z}"
