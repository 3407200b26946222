"""The journal: what a job says as it goes, to every sink at once.

A line reads ``2026-07-11 10:08:45 - Import des commandes : début`` (local time). Item lines
carry ``[i/n]``; the closing line gives the counts. Sinks receive each line as it is written:
the terminal (live, with a progress bar), the profile's log file, the run history.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from comptoir.journal.messages import Language, localized, render
from comptoir.state import StateStore, StoredLine, utcnow


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    FAILED = "failed"


class Level(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    held: int = 0
    """Of the skipped items, those another run holds (a later run takes them up)."""

    def add(self, outcome: Outcome, count: int = 1) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + count)

    def as_dict(self) -> dict[str, int]:
        return {o.value: getattr(self, o.value) for o in Outcome}


@dataclass(frozen=True, slots=True)
class Line:
    """One journal line; ``at`` is UTC, ``text`` is what the user reads (without the timestamp)."""

    at: datetime
    level: Level
    text: str
    item: str | None = None

    def formatted(self) -> str:
        local = self.at.astimezone()
        return f"{local:%Y-%m-%d %H:%M:%S} - {self.text}"


class Sink(Protocol):
    def write(self, line: Line) -> None: ...

    def progress(self, done: int, total: int) -> None: ...

    def close(self) -> None: ...


class FileSink:
    """Appends lines to the profile's log file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("a", encoding="utf-8")
        self._second: datetime | None = None
        self._stamp = ""

    def write(self, line: Line) -> None:
        second = line.at.replace(microsecond=0)
        if second != self._second:  # the lines of one second share their local time stamp
            self._second, self._stamp = second, Line(second, line.level, "").formatted()
        self._handle.write(self._stamp + line.text + "\n")

    def progress(self, done: int, total: int) -> None:
        return None

    def close(self) -> None:
        self._handle.close()


class StoreSink:
    """Keeps lines in the run history, written in chunks."""

    def __init__(self, store: StateStore, run_id: int, flush_every: int = 500) -> None:
        self._store = store
        self._run_id = run_id
        self._buffer: list[StoredLine] = []
        self._flush_every = flush_every

    def write(self, line: Line) -> None:
        self._buffer.append(StoredLine(line.at, line.level.value, line.item, line.text))
        if len(self._buffer) >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        self._store.add_lines(self._run_id, self._buffer)
        self._buffer = []

    def progress(self, done: int, total: int) -> None:
        return None

    def close(self) -> None:
        self.flush()


@dataclass
class MemorySink:
    """Keeps lines in memory (tests, JSON output)."""

    lines: list[Line] = field(default_factory=list)

    def write(self, line: Line) -> None:
        self.lines.append(line)

    def progress(self, done: int, total: int) -> None:
        return None

    def close(self) -> None:
        return None

    def texts(self) -> list[str]:
        return [line.text for line in self.lines]


class Journal:
    """The voice of one job run."""

    def __init__(
        self,
        job: str,
        language: Language,
        sinks: Sequence[Sink] = (),
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.job = job
        self.language = language
        self.sinks = list(sinks)
        self.counts = Counts()
        self._clock = clock
        self._started = time.monotonic()
        self._done = 0
        self._total = 0
        self.title = self.t(f"job.{job}")

    def t(self, message: str, /, **values: Any) -> str:
        """Render the message keyed ``message`` in the journal's language."""
        return render(message, self.language, **values)

    def say(self, value: object) -> str:
        """A ``Text``, or an exception carrying one, in the journal's language (else its ``str``)."""
        return localized(value, self.language)

    def _emit(self, level: Level, text: str, item: str | None = None) -> None:
        line = Line(self._clock(), level, text, item)
        for sink in self.sinks:
            sink.write(line)

    def info(self, message: str, /, **values: Any) -> None:
        self._emit(Level.INFO, self.t(message, **values))

    def warning(self, message: str, /, **values: Any) -> None:
        self._emit(Level.WARNING, self.t(message, **values))

    def error(self, message: str, /, **values: Any) -> None:
        self._emit(Level.ERROR, self.t(message, **values))

    def start(self, *, dry_run: bool) -> None:
        self._emit(Level.INFO, self.t("run.start", title=self.title))
        if dry_run:
            self.info("run.dry_run")

    def plan(self, total: int) -> None:
        """Announce how many (more) items the job will go through (drives ``i/n`` and the progress
        bar); a job that goes through several lists plans each, and the numbering runs on."""
        self._total += total
        for sink in self.sinks:
            sink.progress(self._done, self._total)

    def item(self, key: str, outcome: Outcome, detail: str = "", *, would: bool = False) -> None:
        """One item handled: counted, and written as ``[i/n] key : outcome - detail``."""
        self._done += 1
        self.counts.add(outcome)
        word = f"outcome.would_{outcome.value[:-1]}" if would and outcome in _WOULD else f"outcome.{outcome}"
        level = Level.ERROR if outcome is Outcome.FAILED else Level.INFO
        text = self.t(
            "item.line",
            i=self._done,
            n=max(self._total, self._done),
            key=key,
            outcome=self.t(word),
            detail=f" - {detail}" if detail else "",
        )
        self._emit(level, text, key)
        for sink in self.sinks:
            sink.progress(self._done, max(self._total, self._done))

    def held(self, key: str, detail: str) -> None:
        """An item skipped because another run holds it: counted as skipped and as held.

        The closing line then says how many were held, and the run ends with its own status.
        """
        self.counts.held += 1
        self.item(key, Outcome.SKIPPED, detail)

    def tally(self, outcome: Outcome, count: int) -> None:
        """Count items without a line each (e.g. thousands unchanged, summarised in one line)."""
        self.counts.add(outcome, count)

    def finish(self) -> str:
        text = self.t("run.end", title=self.title, seconds=self.elapsed, **self.counts.as_dict())
        if self.counts.held:
            text += " - " + self.t("run.held", held=self.counts.held)
        self._emit(Level.INFO, text)
        return text

    def abort(self, error: str) -> None:
        self._emit(Level.ERROR, self.t("run.error", title=self.title, error=error))

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def close(self) -> None:
        for sink in self.sinks:
            sink.close()


_WOULD = {Outcome.CREATED, Outcome.UPDATED}
