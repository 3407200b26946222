"""One ``comptoir`` command in its own process, as a scheduler runs it: wall time (start-up
included), peak resident memory and exit code.

The peak is the kernel's high-water mark of the process's own memory (``VmHWM`` in
``/proc/<pid>/status``), read every few milliseconds while it runs: it only grows, so the last
reading is the peak unless the peak came in the last few milliseconds. (``ru_maxrss`` is no use
here: a child started from a big process inherits that process's size at ``fork``.)
"""

from __future__ import annotations

import os
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


def run_command(args: Sequence[str], *, cwd: Path) -> ProcessRun:
    """Run ``python -m comptoir <args>`` and wait for it, watching its memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "comptoir", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    peak = 0.0
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            seen = high_water_mb(process.pid)
            if seen is not None:
                peak = max(peak, seen)
            done.wait(POLL_SECONDS)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    watcher.join()
    return ProcessRun(seconds, peak, process.returncode, output.decode("utf-8", "replace"))
