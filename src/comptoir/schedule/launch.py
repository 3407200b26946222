"""Run one job of a profile in a child process (``python -m comptoir <job> --profile FILE``).

The scheduler and the dashboard start jobs this way: each run has its own process (a long ERP
query never stalls the dashboard, a crash never takes the server down), takes its run lock and
journals exactly as a run from the command line. The journal's lines are handed over as they come.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

LineHandler = Callable[[str], None]


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
