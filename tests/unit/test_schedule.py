"""Schedules: rules validated by field, next runs (cron, intervals, quiet hours, DST), the loop."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from comptoir.cli import app
from comptoir.jobs.runner import OPERATOR_JOBS, JobName
from comptoir.profile import Profile, ProfileError, load_profile
from comptoir.profile.folder import ProfileFolder
from comptoir.profile.schedule import JobSchedule, ScheduleOptions, TimeRange
from comptoir.schedule.loop import Scheduler
from comptoir.schedule.plan import next_run

BASE = """
name = "{name}"
[erp]
kind = "sage100"
url = "sqlite:///company.sqlite"
[shop]
kind = "woocommerce"
url = "https://shop.example/"
"""

PARIS = "Europe/Paris"


def write(folder: Path, text: str, name: str = "boutique") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(BASE.format(name=name) + text, encoding="utf-8")
    return path


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_every_job_can_have_a_schedule() -> None:
    schedulable = {j.value for j in JobName if j not in OPERATOR_JOBS}
    assert set(ScheduleOptions.model_fields) - {"timezone", "quiet_hours"} == schedulable


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (
            '[schedules.update_stock]\nevery = "15m"\ncron = "* * * * *"',
            "schedules.update_stock: give either",
        ),
        ("[schedules.update_stock]\nenabled = true", "schedules.update_stock: give either cron or every"),
        (
            '[schedules.update_stock]\ncron = "61 * * * *"',
            "schedules.update_stock.cron: '61 * * * *' is not a",
        ),
        ('[schedules.update_stock]\ncron = "* * *"', "schedules.update_stock.cron: '* * *' is not a cron"),
        ('[schedules.update_stock]\nevery = "5 minutes"', "schedules.update_stock.every: '5 minutes' is not"),
        ('[schedules.update_stock]\nevery = "5s"', "schedules.update_stock.every: '5s': the shortest"),
        ('[schedules]\nquiet_hours = ["22h-6h"]', "schedules.quiet_hours: '22h-6h' is not a range"),
        ('[schedules]\ntimezone = "Paris"', "schedules.timezone: 'Paris' is not a known time zone"),
        ('[schedules.update_stocks]\nevery = "5m"', "schedules.update_stocks: is not a known option"),
        (
            '[schedules.import_orders]\nevery = "5m"\nquiet_hours = ["25:00-06:00"]',
            "schedules.import_orders.quiet_hours: '25:00-06:00': hours go from",
        ),
    ],
)
def test_a_bad_schedule_is_named_by_field(tmp_path: Path, table: str, problem: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, table))
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


def test_cron_runs_in_local_time_across_the_spring_change() -> None:
    rule = JobSchedule(cron="30 2 * * *")
    # 2026-03-29: Paris goes from 02:00 to 03:00, so 02:30 does not exist that night.
    after = utc(2026, 3, 28, 2, 0)  # 03:00 in Paris
    first = next_run(rule, [], PARIS, after)
    assert first == utc(2026, 3, 29, 1, 0), "02:30 does not exist that night: it runs when clocks show 03:00"
    assert next_run(rule, [], PARIS, utc(2026, 3, 30, 1, 0)) == utc(2026, 3, 31, 0, 30), "02:30 summer time"
    assert next_run(rule, [], PARIS, utc(2026, 1, 10, 3, 0)) == utc(2026, 1, 11, 1, 30), "02:30 winter time"


def test_intervals_fall_on_multiples() -> None:
    rule = JobSchedule(every="15m")
    assert next_run(rule, [], PARIS, utc(2026, 7, 11, 10, 7, 12)) == utc(2026, 7, 11, 10, 15)
    assert next_run(rule, [], PARIS, utc(2026, 7, 11, 10, 15)) == utc(2026, 7, 11, 10, 30), "strictly after"


def test_quiet_hours_push_runs_past_them_even_across_midnight() -> None:
    night = [TimeRange.parse("22:00-06:30")]
    rule = JobSchedule(every="15m")
    # 21:50 UTC = 23:50 in Paris (summer): quiet until 06:30 local = 04:30 UTC.
    assert next_run(rule, night, PARIS, utc(2026, 7, 11, 21, 50)) == utc(2026, 7, 12, 4, 30)
    assert next_run(rule, night, PARIS, utc(2026, 7, 11, 19, 40)) == utc(2026, 7, 11, 19, 45)
    cron = JobSchedule(cron="0 * * * *")
    assert next_run(cron, night, PARIS, utc(2026, 7, 11, 19, 30)) == utc(2026, 7, 12, 5, 0), "07:00 local"
    assert next_run(JobSchedule(every="1h", enabled=False), [], PARIS, utc(2026, 7, 11)) is None


def test_a_job_may_keep_its_own_quiet_hours(tmp_path: Path) -> None:
    profile = load_profile(
        write(
            tmp_path,
            '[schedules]\nquiet_hours = ["20:00-07:00"]\n'
            '[schedules.update_stock]\nevery = "15m"\n'
            '[schedules.import_orders]\nevery = "5m"\nquiet_hours = []\n',
        )
    )
    assert [str(r) for r in profile.schedules.quiet_for("update_stock")] == ["20:00-07:00"]
    assert profile.schedules.quiet_for("import_orders") == [], "orders run around the clock"
    assert set(profile.schedules.jobs()) == {"update_stock", "import_orders"}


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.release = asyncio.Event()

    async def __call__(self, path: Path, profile: Profile, job: str) -> None:
        self.calls.append((profile.name, job))
        await self.release.wait()


async def test_the_loop_starts_due_jobs_once_and_lets_a_turn_go_while_one_runs(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[schedules.update_stock]\nevery = "15m"\n[schedules.import_orders]\ncron = "0 * * * *"\n'
    )
    recorder = Recorder()
    start = utc(2026, 7, 11, 10, 7)
    scheduler = Scheduler(ProfileFolder(tmp_path).profiles, recorder, clock=lambda: start)
    assert await scheduler.tick(start) == []
    planned = {p.job: p.next_at for p in scheduler.planned()}
    assert planned == {"update_stock": utc(2026, 7, 11, 10, 15), "import_orders": utc(2026, 7, 11, 11, 0)}

    assert await scheduler.tick(utc(2026, 7, 11, 10, 15)) == [(path.resolve(), "update_stock")]
    await asyncio.sleep(0)
    assert recorder.calls == [("boutique", "update_stock")]
    assert [p.running for p in scheduler.planned() if p.job == "update_stock"] == [True]

    assert await scheduler.tick(utc(2026, 7, 11, 10, 30)) == [], "still running: this turn goes"
    assert {p.job: p.next_at for p in scheduler.planned()}["update_stock"] == utc(2026, 7, 11, 10, 45)
    recorder.release.set()
    await asyncio.sleep(0.01)
    assert await scheduler.tick(utc(2026, 7, 11, 10, 45)) == [(path.resolve(), "update_stock")]
    await scheduler.drain()
    assert recorder.calls == [("boutique", "update_stock")] * 2


async def test_the_loop_follows_edits_of_the_profile_files(tmp_path: Path) -> None:
    path = write(tmp_path, '[schedules.update_stock]\nevery = "15m"\n')
    write(tmp_path, "[stock]\noops = 1\n", name="broken")
    folder = ProfileFolder(tmp_path)
    scheduler = Scheduler(folder.profiles, Recorder())
    scheduler.refresh(utc(2026, 7, 11, 10, 7))
    assert [(p.profile, p.job, p.rule) for p in scheduler.planned()] == [
        ("boutique", "update_stock", "every 15m")
    ]
    assert [f.problems for f in folder.files() if f.profile is None] == [
        ("stock.oops: is not a known option",)
    ]

    path.write_text(path.read_text() + '[schedules.update_prices]\ncron = "0 3 * * *"\n', encoding="utf-8")
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 1_000_000))  # a new mtime even on coarse clocks
    scheduler.refresh(utc(2026, 7, 11, 10, 8))
    assert {p.job: p.next_at for p in scheduler.planned()} == {
        "update_stock": utc(2026, 7, 11, 10, 15),
        "update_prices": utc(2026, 7, 12, 1, 0),
    }
    path.unlink()
    scheduler.refresh(utc(2026, 7, 11, 10, 9))
    assert scheduler.planned() == []


def test_schedule_command_lists_next_runs(tmp_path: Path) -> None:
    write(tmp_path, '[schedules]\nquiet_hours = ["22:00-06:00"]\n[schedules.update_stock]\nevery = "15m"\n')
    write(tmp_path, '[schedules.import_orders]\ncron = "*/5 * * * *"\nenabled = false\n', name="second")
    result = CliRunner().invoke(app, ["schedule", "--profiles", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "│" in line]
    [stock] = [r for r in rows if "update_stock" in r]
    assert "boutique" in stock and "every 15m" in stock and "22:00-06:00" in stock, result.output
    assert re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d CES?T", stock), stock
    [orders] = [r for r in rows if "import_orders" in r]
    assert "second" in orders and "disabled" in orders, result.output
