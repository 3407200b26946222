"""Crash points: a debugging hook that kills the process at a named step of a job.

``COMPTOIR_FAULT=kill-after:<step>`` makes ``crash_point(step)`` kill its own process with
SIGKILL (no cleanup, no ``finally``, no flushed buffer: a power cut as far as the job can
tell). Tests use it to prove that a run killed between two steps neither loses nor duplicates
anything; it is never set in normal use. The order import's steps are ``claim`` (the ledger
claim taken), ``document`` (the ERP document written), ``written`` (the ledger says so) and
``marked`` (the shop has marked the run's orders, the ledger not yet "done"). The jobs after the
import have ``status-claim``/``status-sent``, ``invoice-claim``/``invoice-sent`` (tasks claimed;
the shop called, the task ledger not yet "done") and ``refund-claim``/``refund-document``.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "COMPTOIR_FAULT"


def crash_point(step: str) -> None:
    """Kill this process now if ``COMPTOIR_FAULT`` asks for a kill after ``step``."""
    if os.environ.get(VARIABLE) != f"kill-after:{step}":
        return
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)  # where there is no SIGKILL: leave at once, just as abruptly
