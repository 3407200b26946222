"""Scheduled and dashboard runs forked from the warm start server (``schedule/warm.py``).

A warm run is the same run as a fresh ``python -m comptoir`` process: the same lines, exit code
and run history; it gets the environment and folder it is given; a child that dies is reported
as a crash, a cancelled run is stopped, and the server goes away with its starter.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
from pathlib import Path

import pytest
from job_harness import Harness, gone

from comptoir.schedule import launch
from comptoir.schedule.attach import CRASH_EXIT
from comptoir.schedule.warm import WarmStarter, WarmStartError, supported
from comptoir.state import StateStore

pytestmark = pytest.mark.skipif(not supported(), reason="warm starts need fork and Unix sockets")

STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - |\(\d+(\.\d+)? s\)")


def plain(lines: list[str]) -> list[str]:
    """Lines without their time stamps and durations."""
    return [STAMP.sub("", line) for line in lines]


async def test_a_warm_run_is_the_run_a_fresh_process_makes(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = harness.workdir / "profile.toml"
    monkeypatch.setenv(launch.WARM_START_VARIABLE, "0")
    first: list[str] = []
    assert await launch.run_in_process(profile, "update_stock", on_line=first.append) == 0
    cold: list[str] = []
    assert await launch.run_in_process(profile, "update_stock", on_line=cold.append) == 0

    monkeypatch.setenv(launch.WARM_START_VARIABLE, "1")
    starter = launch.warm_starter()
    pids: list[int] = []
    original = WarmStarter.run

    async def watched(self: WarmStarter, argv: list[str], **kwargs: object) -> int:
        return await original(self, argv, on_start=pids.append, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(WarmStarter, "run", watched)
    warm: list[str] = []
    try:
        assert await launch.run_in_process(profile, "update_stock", on_line=warm.append) == 0
    finally:
        await starter.close()
    assert len(pids) == 1, "the run was forked by the warm start server"
    assert plain(warm) == plain(cold), "the same lines as a fresh process with nothing to send"
    assert any("mis à jour" in line or "inchangé" in line for line in warm), warm

    store = StateStore.open(harness.profile.state_url())
    try:
        runs = store.runs(harness.profile.name, limit=3)
    finally:
        store.close()
    assert [run.status for run in runs] == ["ok", "ok", "ok"]
    assert runs[0].counts == runs[1].counts, "the warm run's history is the fresh run's"


async def test_a_warm_run_gets_its_environment_and_folder(harness: Harness) -> None:
    starter = WarmStarter()
    lines_of_file = (harness.workdir / "secrets.env").read_text(encoding="utf-8").splitlines()
    name = next(line.split("=", 1)[0] for line in lines_of_file if line.endswith(harness.server.consumer_key))
    env = {k: v for k, v in os.environ.items() if k != name}
    try:
        lines: list[str] = []
        relative = ["import-orders", "--profile", "profile.toml"]
        assert await starter.run(relative, on_line=lines.append, env=env, cwd=harness.workdir) == 0, lines
        wrong: list[str] = []
        code = await starter.run(
            relative, on_line=wrong.append, env={**env, name: "wrong"}, cwd=harness.workdir
        )
    finally:
        await starter.close()
    assert code != 0, "the key from the run's environment replaced the secrets file's"
    assert any("401" in line or "refus" in line.lower() for line in wrong), wrong


async def test_a_child_that_dies_is_a_crash_and_a_cancelled_run_is_stopped(harness: Harness) -> None:
    starter = WarmStarter()
    args = ["update-stock", "--profile", str(harness.workdir / "profile.toml")]
    try:
        pids: list[int] = []
        killed = await starter.run(
            args, on_start=lambda pid: (pids.append(pid), os.kill(pid, signal.SIGKILL))
        )
        assert killed == CRASH_EXIT
        assert gone(pids[0])

        started = asyncio.Event()
        running: list[int] = []

        def begun(pid: int) -> None:
            running.append(pid)
            started.set()

        task = asyncio.create_task(starter.run(args, on_start=begun))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert gone(running[0]), "the cancelled run's process is stopped"

        again: list[str] = []
        assert await starter.run(args, on_line=again.append) == 0, "the server still serves"
        server_folder = starter.socket_path
        assert server_folder is not None and server_folder.exists()
    finally:
        await starter.close()
    assert not server_folder.parent.exists(), "the server's socket folder is removed with it"


async def test_runs_start_fresh_when_the_server_cannot(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: WarmStarter) -> Path:
        raise WarmStartError("the warm start server did not start")

    monkeypatch.setenv(launch.WARM_START_VARIABLE, "1")
    monkeypatch.setattr(WarmStarter, "_ensure", broken)
    lines: list[str] = []
    code = await launch.run_in_process(harness.workdir / "profile.toml", "update_stock", on_line=lines.append)
    assert code == 0 and lines, "the run happened in a fresh process"
