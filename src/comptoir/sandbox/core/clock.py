"""The sandboxes' clock: real time by default, which tests can move forward or freeze.

A sandbox stamps what it writes (``date_modified``, ``date_upd``) with ``clock()``; a test that
needs an order "from yesterday" or a window in the shop's time moves the clock instead of
sleeping. The clock is shared by the server thread and the test, hence the lock.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


def now_utc() -> datetime:
    """The current instant in UTC, to the second (shops store dates to the second)."""
    return datetime.now(UTC).replace(microsecond=0)


class Clock:
    """``clock()`` is real time plus an offset, or a frozen instant."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def __call__(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return now_utc() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward (or back, with a negative ``delta``); returns the new time."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
                return self._frozen
            self._offset += delta
            return now_utc() + self._offset

    def freeze(self, moment: datetime | None = None) -> datetime:
        """Stop the clock at ``moment`` (an aware datetime; now when omitted)."""
        if moment is not None and moment.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware datetime")
        with self._lock:
            base = now_utc() + self._offset if moment is None else moment.astimezone(UTC)
            self._frozen = base.replace(microsecond=0)
            return self._frozen

    def set(self, moment: datetime) -> None:
        """Let the clock run again from ``moment`` (an aware datetime)."""
        if moment.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware datetime")
        with self._lock:
            self._frozen = None
            self._offset = moment.astimezone(UTC) - now_utc()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)
