"""The incremental window: what changed since the last run, read in the source's own clock.

One type for every job that reads "what changed since":

- the **cursor** is a date of the source (e.g. the shop's modification dates, UTC), never the
  connector's clock, so a clock gap between the two machines cannot lose an item;
- reading starts an **overlap** before the cursor (``start``), and items read twice inside the
  overlap are kept once, by key (``unique``);
- the next cursor **never moves past an unfinished item**: it is the date of the oldest item the
  run could not finish (held by another run, left for a retry), else the newest item read. An
  item a run could not finish is therefore read again by the next run, whatever happens to the
  items after it.

The state store keeps the cursor per profile and job (``StateStore.window`` / ``save_window``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Window:
    """One run's incremental window: where to start reading, and where the next run starts."""

    cursor: datetime | None
    """The stored cursor (source clock); ``None`` reads everything."""
    overlap: timedelta
    _oldest_unfinished: datetime | None = field(default=None, init=False, repr=False)
    _newest: datetime | None = field(default=None, init=False, repr=False)

    @property
    def start(self) -> datetime | None:
        """Read items modified after this instant (source clock): the cursor minus the overlap."""
        return None if self.cursor is None else self.cursor - self.overlap

    @staticmethod
    def unique(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
        """Each item once by ``key`` (the last one read wins), in the order first read."""
        kept: dict[str, T] = {}
        for item in items:
            kept[key(item)] = item
        return list(kept.values())

    def note(self, modified_at: datetime, *, finished: bool) -> None:
        """Record one item read in this window: finished (nothing left to do) or not."""
        if not finished and (self._oldest_unfinished is None or modified_at < self._oldest_unfinished):
            self._oldest_unfinished = modified_at
        if self._newest is None or modified_at > self._newest:
            self._newest = modified_at

    def next_cursor(self) -> datetime | None:
        """Where the next run's window starts (before its overlap).

        The oldest unfinished item's date when there is one (even if earlier than the current
        cursor: reading again is cheap, losing an item is not); else the newest item's date, never
        earlier than the current cursor; else the current cursor.
        """
        if self._oldest_unfinished is not None:
            return self._oldest_unfinished
        if self._newest is None:
            return self.cursor
        return self._newest if self.cursor is None else max(self.cursor, self._newest)
