"""One ``comptoir`` command in its own process: wall time (start-up included), peak resident
memory and exit code. ``run_command`` starts a fresh process, as a command typed or run by cron
starts; ``run_warm`` has it forked by the warm start server, as ``comptoir serve``'s scheduler
and dashboard start their runs (``schedule/warm.py``); ``run_attached`` types it while such a server
is published, as a command typed while ``comptoir serve`` runs (``schedule/attach.py``).

Every command looks for a published server in the bench's own runtime folder (``runtime`` in its
working folder), never in the user's: a service running on the machine does not take the bench's
fresh runs.

The peak is the kernel's high-water mark of the process's own memory (``VmHWM`` in
``/proc/<pid>/status``), read every few milliseconds while it runs: it only grows, so the last
reading is the peak unless the peak came in the last few milliseconds. (``ru_maxrss`` is no use
here: a child started from a big process inherits that process's size at ``fork``.)
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.01


@dataclass(frozen=True, slots=True)
class ProcessRun:
    seconds: float
    peak_memory_mb: float
    exit_code: int
    output: str
    cpu_seconds: float = 0.0
    """CPU time (user + system) of the command's process."""


def cpu_of(pid: int) -> float | None:
    """The process's CPU time so far, in seconds (``None`` when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def high_water_mb(pid: int) -> float | None:
    """The process's peak resident memory so far, in MB (``None`` when it is gone)."""
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


class Watch:
    """Reads a process's peak memory and CPU time every few milliseconds, from a thread, until
    ``stop``: the last readings are the figures (the process may be gone by then)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0.0
        self.cpu = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.is_set():
            seen, used = high_water_mb(self.pid), cpu_of(self.pid)
            if seen is not None:
                self.peak = max(self.peak, seen)
            if used is not None:
                self.cpu = max(self.cpu, used)
            self._done.wait(POLL_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def runtime_folder(cwd: Path) -> Path:
    """The bench's own runtime folder (where a published server is looked for), made private."""
    folder = cwd.resolve() / "runtime"
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    return folder


def run_command(args: Sequence[str], *, cwd: Path, runs: Watch | None = None) -> ProcessRun:
    """Run ``python -m comptoir <args>`` and wait for it, watching its memory (and, with ``runs``,
    the processes a published warm start server forks meanwhile: the run of an attached command)."""
    from comptoir.schedule.attach import RUNTIME_VARIABLE

    env = {**os.environ, "COLUMNS": "200", RUNTIME_VARIABLE: str(runtime_folder(cwd))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "comptoir", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    watch = Watch(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    watch.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = watch.peak
    if runs is not None:
        runs.stop()
        cpu += runs.cpu
        peak = max(peak, runs.peak)
    return ProcessRun(seconds, peak, process.returncode, output.decode("utf-8", "replace"), cpu)


class ChildrenWatch(Watch):
    """Watches every child a process forks from now on (their CPU added up, the highest peak)."""

    def __init__(self, parent: int) -> None:
        self._parent = parent
        self._watches: dict[int, Watch] = {}
        super().__init__(parent)

    def _poll(self) -> None:
        while not self._done.is_set():
            for pid in children_of(self._parent):
                if pid not in self._watches:
                    self._watches[pid] = Watch(pid)
            self._done.wait(POLL_SECONDS)

    @property
    def forked(self) -> int:
        """How many children were seen."""
        return len(self._watches)

    def stop(self) -> None:
        super().stop()
        for watch in self._watches.values():
            watch.stop()
        self.cpu = sum(w.cpu for w in self._watches.values())
        self.peak = max((w.peak for w in self._watches.values()), default=0.0)


def children_of(pid: int) -> list[int]:
    """The process's children now (Linux)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(child) for child in text.split()]


def run_attached(args: Sequence[str], *, cwd: Path) -> ProcessRun:
    """Type ``comptoir <args>`` while a warm start server is published (started and warm
    beforehand, as ``comptoir serve`` keeps it): the time runs from the command's start to its
    exit; CPU and memory are the command's and its run's (forked by the server)."""
    from comptoir.schedule.attach import RUNTIME_VARIABLE
    from comptoir.schedule.warm import WarmStarter

    async def run() -> ProcessRun:
        saved = os.environ.get(RUNTIME_VARIABLE)
        os.environ[RUNTIME_VARIABLE] = str(runtime_folder(cwd))
        starter = WarmStarter(publish=True)
        try:
            await starter.run(["--help"], cwd=cwd)
            server = starter.server_pid
            if server is None:
                raise RuntimeError("the warm start server did not start")
            runs = ChildrenWatch(server)
            run = await asyncio.to_thread(run_command, args, cwd=cwd, runs=runs)
            if not runs.forked:
                raise RuntimeError("the command did not start in the published warm start server")
            return run
        finally:
            await starter.close()
            if saved is None:
                os.environ.pop(RUNTIME_VARIABLE, None)
            else:
                os.environ[RUNTIME_VARIABLE] = saved

    return asyncio.run(run())


def run_warm(args: Sequence[str], *, cwd: Path) -> ProcessRun:
    """Run ``comptoir <args>`` forked by a warm start server started (and warm) beforehand, as the
    scheduler keeps it; the time runs from the request to the child's exit line."""
    from comptoir.schedule.warm import WarmStarter

    async def run() -> ProcessRun:
        starter = WarmStarter()
        lines: list[str] = []
        watches: list[Watch] = []
        try:
            await starter.run(["--help"], cwd=cwd)
            start = time.perf_counter()
            code = await starter.run(
                list(args),
                on_line=lines.append,
                on_start=lambda pid: watches.append(Watch(pid)),
                cwd=cwd,
                env={**os.environ, "COLUMNS": "200"},
            )
            seconds = time.perf_counter() - start
        finally:
            for watch in watches:
                watch.stop()
            await starter.close()
        peak = max((w.peak for w in watches), default=0.0)
        cpu = max((w.cpu for w in watches), default=0.0)
        return ProcessRun(seconds, peak, code, "\n".join(lines), cpu)

    return asyncio.run(run())
