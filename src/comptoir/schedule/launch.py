"""Run one job of a profile in a child process (``python -m comptoir <job> --profile FILE``).

The scheduler and the dashboard start jobs this way: each run has its own process (a long ERP
query never stalls the dashboard, a crash never takes the server down), takes its run lock and
journals exactly as a run from the command line. The journal's lines are handed over as they come.

Where the system allows it, the child is forked from a warm start server that has already
imported what a job needs (``schedule/warm.py``): the run starts in milliseconds instead of
paying its imports. ``COMPTOIR_WARM_START=0`` in the environment makes every run a fresh
process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import weakref
from pathlib import Path

from comptoir.schedule.warm import LineHandler, WarmStarter, WarmStartError, supported

WARM_START_VARIABLE = "COMPTOIR_WARM_START"

log = logging.getLogger(__name__)
_starters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, WarmStarter] = weakref.WeakKeyDictionary()


def warm_start_enabled() -> bool:
    """Whether runs are forked from the warm start server (POSIX, unless turned off)."""
    return supported() and os.environ.get(WARM_START_VARIABLE, "1").strip() != "0"


def warm_starter() -> WarmStarter:
    """The running event loop's warm start server (one per loop: its pipes belong to the loop),
    published for the commands this user types meanwhile (``schedule/attach.py``)."""
    loop = asyncio.get_running_loop()
    starter = _starters.get(loop)
    if starter is None:
        starter = _starters[loop] = WarmStarter(publish=True)
    return starter


async def close_warm() -> None:
    """Stop the running event loop's warm start server, if it started (its links taken back)."""
    starter = _starters.pop(asyncio.get_running_loop(), None)
    if starter is not None:
        await starter.close()


async def start_warm() -> None:
    """Start the warm start server ahead of the first run, so that commands typed meanwhile start
    warm too (``comptoir serve``); nothing when warm starts are off or cannot run."""
    if not warm_start_enabled():
        return
    try:
        await warm_starter().start()
    except WarmStartError as exc:
        log.warning("%s; runs start as fresh processes", exc)


def command(profile: Path, job: str, *, dry_run: bool = False, extra: tuple[str, ...] = ()) -> list[str]:
    """The command line running ``job`` for ``profile``."""
    args = [sys.executable, "-m", "comptoir", job.replace("_", "-"), "--profile", str(profile), *extra]
    return [*args, "--dry-run"] if dry_run else args


async def run_in_process(
    profile: Path,
    job: str,
    *,
    dry_run: bool = False,
    extra: tuple[str, ...] = (),
    on_line: LineHandler | None = None,
    env: dict[str, str] | None = None,
) -> int:
    """Run the job in a child process; hand each output line to ``on_line``; return its exit code."""
    if warm_start_enabled():
        args = command(profile, job, dry_run=dry_run, extra=extra)[3:]
        try:
            return await warm_starter().run(
                args, on_line=on_line, env={**os.environ, **(env or {}), "PYTHONIOENCODING": "utf-8"}
            )
        except WarmStartError as exc:
            log.warning("%s; the run starts as a fresh process", exc)
    process = await asyncio.create_subprocess_exec(
        *command(profile, job, dry_run=dry_run, extra=extra),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **(env or {}), "PYTHONIOENCODING": "utf-8"},
    )
    assert process.stdout is not None
    try:
        async for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if line and on_line is not None:
                on_line(line)
        return await process.wait()
    except asyncio.CancelledError:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        raise
