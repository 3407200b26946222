"""Commands typed while ``comptoir serve`` runs start in its warm start server (``schedule/attach.py``).

Each test runs ``python -m comptoir`` as a user would, in a process of its own, while a warm start
server is published (as ``comptoir serve`` publishes its own). The server here marks each run it
forks (process id, parent), so a test knows where the run happened; the run itself is untouched.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from job_harness import Harness, gone

from comptoir.schedule import attach
from comptoir.schedule.warm import WarmStarter, supported

pytestmark = pytest.mark.skipif(not supported(), reason="warm starts need fork and Unix sockets")

SERVER = """
import importlib.util, json, os, sys, time
marker, changed = sys.argv[1], sys.argv[2]
sys.argv = [sys.argv[0], sys.argv[3]]
if changed:  # a comptoir module the server imported, whose file a test changes afterwards
    spec = importlib.util.spec_from_file_location("comptoir.probe_changed", changed)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
import comptoir.cli
real = comptoir.cli.main
def main():
    with open(marker, "a", encoding="utf-8") as file:
        file.write(json.dumps({"pid": os.getpid(), "ppid": os.getppid()}) + "\\n")
    if os.environ.get("PROBE_WAIT"):
        time.sleep(60)
    real()
comptoir.cli.main = main
from comptoir.schedule import forkserver
forkserver.main()
"""
"""A warm start server marking each run it forks in ``marker`` (the run unchanged unless
``PROBE_WAIT`` is set: then it waits a minute first, for signals to reach it)."""


def marks(marker: Path) -> list[dict[str, int]]:
    if not marker.exists():
        return []
    return [json.loads(line) for line in marker.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "runtime"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(attach.RUNTIME_VARIABLE, str(folder))
    monkeypatch.setenv(attach.WARM_START_VARIABLE, "1")
    return folder


@pytest.fixture
async def published(tmp_path: Path, runtime: Path) -> AsyncIterator[Callable[..., Any]]:
    """Starts a marking server published for this installation; yields a function starting one
    (``changed``: a module file the server imports, for the test to change)."""
    starters: list[WarmStarter] = []

    async def start(changed: Path | None = None) -> Path:
        marker = tmp_path / f"marks-{len(starters)}.jsonl"
        starter = WarmStarter([sys.executable, "-c", SERVER, str(marker), str(changed or "")], publish=True)
        starters.append(starter)
        await starter.start()
        return marker

    try:
        yield start
    finally:
        for starter in starters:
            await starter.close()


def comptoir(
    args: list[str], cwd: Path, *, stdout: Any = subprocess.PIPE, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "comptoir", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


async def test_a_typed_job_runs_in_the_server_writing_to_the_commands_own_streams(
    harness: Harness, published: Callable[..., Any], tmp_path: Path
) -> None:
    marker = await published()
    args = ["update-stock", "--profile", "profile.toml"]
    fresh = await asyncio.to_thread(comptoir, args, harness.workdir, COMPTOIR_WARM_START="0")
    assert fresh.returncode == 0, fresh.stderr
    assert marks(marker) == [], "COMPTOIR_WARM_START=0: a fresh process"

    output = tmp_path / "output.txt"
    with output.open("w", encoding="utf-8") as file:
        warm = await asyncio.to_thread(comptoir, args, harness.workdir, stdout=file)
    assert warm.returncode == 0, warm.stderr
    runs = marks(marker)
    assert len(runs) == 1, "the run was forked by the published server"

    def plain(text: str) -> list[str]:
        return [line.split(" - ", 1)[-1].split(" (")[0] for line in text.splitlines()]

    written = output.read_text(encoding="utf-8")
    assert "Mise à jour des stocks" in written, "the run wrote into the command's own output file"
    assert plain(written) == plain(fresh.stdout), "the same lines as a fresh process"

    bad = await asyncio.to_thread(comptoir, ["update-stock", "--profile", "missing.toml"], harness.workdir)
    bad_fresh = await asyncio.to_thread(
        comptoir, ["update-stock", "--profile", "missing.toml"], harness.workdir, COMPTOIR_WARM_START="0"
    )
    assert len(marks(marker)) == 2
    assert bad.returncode == bad_fresh.returncode == 2
    assert bad.stdout + bad.stderr == bad_fresh.stdout + bad_fresh.stderr
    assert "missing.toml" in bad.stdout + bad.stderr


def as_from_a_terminal() -> None:
    """Ctrl-C and hang-ups as a terminal's shell gives a command in the foreground (a test run in
    the background of a script inherits them ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def as_under_nohup() -> None:
    """A command started by ``nohup`` or in the background of a script: Ctrl-C and hang-ups ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


WAITING = [sys.executable, "-m", "comptoir", "update-stock", "--profile", "profile.toml"]
"""A command whose run waits a minute in the marking server (``PROBE_WAIT``) before its job."""


def waiting(
    cwd: Path, signals: Callable[[], None], *, errors: Any = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    """Start ``WAITING`` with the signal dispositions ``signals`` gives it."""
    return subprocess.Popen(
        WAITING,
        cwd=cwd,
        env={**os.environ, "PROBE_WAIT": "1"},
        preexec_fn=signals,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        text=True,
    )


async def started(marker: Path, count: int) -> dict[str, int]:
    """The ``count``-th run the marking server forked, once it has started."""
    deadline = time.monotonic() + 30
    while len(marks(marker)) < count:
        assert time.monotonic() < deadline, "the run never started in the server"
        await asyncio.sleep(0.05)
    return marks(marker)[count - 1]


async def test_signals_reach_the_run_and_a_command_gone_stops_it(
    harness: Harness, published: Callable[..., Any]
) -> None:
    marker = await published()
    command = waiting(harness.workdir, as_from_a_terminal)
    run = await started(marker, 1)
    command.send_signal(signal.SIGINT)  # Ctrl-C
    code = await asyncio.to_thread(command.wait, 30)
    assert code == 130, "the run was interrupted as a fresh process is, and said so"
    assert gone(run["pid"])

    command = waiting(harness.workdir, as_from_a_terminal)
    run = await started(marker, 2)
    command.kill()  # the command goes away without a word: its run must not go on alone
    await asyncio.to_thread(command.wait, 30)
    assert gone(run["pid"]), "the run of a command gone is stopped"

    command = waiting(harness.workdir, as_from_a_terminal, errors=subprocess.PIPE)
    run = await started(marker, 3)
    os.kill(run["pid"], signal.SIGKILL)  # the run dies without a word (out of memory, killed)
    _, errors = await asyncio.to_thread(command.communicate, None, 30)
    assert command.returncode == 70, "a crash, as the scheduler reports a warm run lost"
    assert f"processus {run['pid']}" in errors and "sans donner son code de sortie" in errors, errors


async def test_a_run_ignores_what_its_command_ignores(
    harness: Harness, published: Callable[..., Any]
) -> None:
    marker = await published()
    command = waiting(harness.workdir, as_under_nohup)
    run = await started(marker, 1)
    command.send_signal(signal.SIGINT)
    os.killpg(run["pid"], signal.SIGINT)  # as a fresh process under nohup, the run ignores it
    os.killpg(run["pid"], signal.SIGHUP)
    await asyncio.sleep(1)
    assert command.poll() is None, "the command ignored Ctrl-C and hang-up"
    os.kill(run["pid"], 0)  # the run too: still there (ProcessLookupError otherwise)
    command.send_signal(signal.SIGTERM)  # not ignored: passed on, the run ends
    await asyncio.to_thread(command.wait, 30)
    assert gone(run["pid"])


async def test_commands_start_fresh_when_the_server_is_not_theirs_to_use(
    harness: Harness, published: Callable[..., Any], runtime: Path, tmp_path: Path
) -> None:
    changed = tmp_path / "probe_changed.py"
    changed.write_text("VALUE = 1\n", encoding="utf-8")
    marker = await published(changed)
    args = ["update-stock", "--profile", "profile.toml"]
    first = await asyncio.to_thread(comptoir, args, harness.workdir)
    assert first.returncode == 0 and len(marks(marker)) == 1, first.stderr

    later = time.time() + 5
    os.utime(changed, (later, later))  # comptoir upgraded or edited since the server started
    after = await asyncio.to_thread(comptoir, args, harness.workdir)
    assert after.returncode == 0, after.stderr
    assert "Mise à jour des stocks" in after.stdout, "the command ran, as a fresh process"
    assert len(marks(marker)) == 1, "the server refused: its code is not the code on disk"

    os.utime(changed, (later - 5, later - 5))
    runtime.chmod(0o777)  # a folder others can write into: a socket there may be anyone's
    try:
        assert attach.attach(args) is None
    finally:
        runtime.chmod(0o700)


async def test_the_published_server_lives_in_the_runtime_folder_and_is_taken_back_when_it_stops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil
    import tempfile

    short = Path(tempfile.mkdtemp(prefix="rt-"))  # mode 0700
    long = short / ("x" * 90)
    long.mkdir(mode=0o700)
    try:
        for runtime, near in ((short, True), (long, False)):
            monkeypatch.setenv(attach.RUNTIME_VARIABLE, str(runtime))
            starter = WarmStarter(publish=True)
            await starter.start()
            name = attach.published_name(attach.identity())
            try:
                link = runtime / name
                socket_path = starter.socket_path
                assert socket_path is not None
                assert link.is_symlink() and link.resolve() == socket_path
                # a service whose temporary folder is private is reachable through its runtime folder;
                # a folder too deep for a socket's path leaves the socket in the system's
                expected = runtime if near else Path(tempfile.gettempdir())
                assert socket_path.parent.parent == expected
            finally:
                await starter.close()
            assert not link.exists() and not link.is_symlink()
            assert attach.attach(["update-stock", "--profile", "x.toml"]) is None, "nothing to attach to"
    finally:
        shutil.rmtree(short)


async def test_a_command_started_warm_imports_none_of_the_libraries(
    harness: Harness, published: Callable[..., Any]
) -> None:
    marker = await published()
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-X", "importtime", "-m", "comptoir", "update-stock", "--profile", "profile.toml"],
        cwd=harness.workdir,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert len(marks(marker)) == 1
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in run.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "comptoir" in imported, "the command's own imports are listed"
    heavy = {"typer", "click", "pydantic", "sqlalchemy", "httpx", "rich", "asyncio"}
    assert not imported & heavy, imported & heavy


def test_the_commands_started_warm_are_the_job_commands() -> None:
    from comptoir.cli.jobs import JOB_COMMANDS, is_job_command

    assert {name for name, _ in JOB_COMMANDS} | {"orders"} == attach.JOB_COMMANDS
    assert all(is_job_command([name]) for name in attach.JOB_COMMANDS)


async def test_comptoir_serve_publishes_its_server_for_the_commands_typed_meanwhile(
    harness: Harness, runtime: Path
) -> None:
    name = attach.published_name(attach.identity())
    service = subprocess.Popen(
        [sys.executable, "-m", "comptoir", "serve", "--no-web", "--profiles", str(harness.workdir)],
        cwd=harness.workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (runtime / name).is_symlink():
            assert service.poll() is None, "comptoir serve stopped"
            assert time.monotonic() < deadline, "comptoir serve never published its warm start server"
            await asyncio.sleep(0.1)
        command = ["-X", "importtime", "-m", "comptoir", "update-stock", "--profile", "profile.toml"]
        typed = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, *command],
            cwd=harness.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        service.send_signal(signal.SIGTERM)
        await asyncio.to_thread(service.wait, 60)
    assert typed.returncode == 0, typed.stderr
    assert "Mise à jour des stocks" in typed.stdout
    assert "sqlalchemy" not in typed.stderr, "the command's run started in the service's server"
    assert not (runtime / name).is_symlink(), "the service took its server back when it stopped"
