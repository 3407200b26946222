"""One ``comptoir`` command in its own process, as a scheduler runs it: wall time (start-up
included), peak resident memory (the kernel's ``ru_maxrss`` of that process alone) and exit code."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ProcessRun:
    seconds: float
    peak_memory_mb: float
    exit_code: int
    output: str


def run_command(args: Sequence[str], *, cwd: Path) -> ProcessRun:
    """Run ``python -m comptoir <args>`` and wait for it (``os.wait4``: its own resource usage)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "comptoir", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    return ProcessRun(seconds, usage.ru_maxrss / 1024, process.returncode, output)
