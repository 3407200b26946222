"""The terminal side of the journal: live lines with a progress bar, and shared CLI helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from comptoir.journal import Level, Line
from comptoir.profile import Profile, ProfileError, load_profile

_WIDTH = None if sys.stdout.isatty() else 120
"""Terminals give their own width; pipes and logs get 120 columns instead of Rich's 80."""
console = Console(highlight=False, width=_WIDTH)
errors = Console(stderr=True, highlight=False, width=_WIDTH)

_STYLE = {Level.INFO: "", Level.WARNING: "yellow", Level.ERROR: "red"}


class ConsoleSink:
    """Prints each journal line as it comes, under a progress bar while items are processed."""

    def __init__(self, target: Console | None = None, *, show_progress: bool = True) -> None:
        self._console = target or console
        self._show_progress = show_progress and self._console.is_terminal
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def write(self, line: Line) -> None:
        target = self._progress.console if self._progress else self._console
        target.print(line.formatted(), style=_STYLE[line.level], markup=False, soft_wrap=True)

    def progress(self, done: int, total: int) -> None:
        if not self._show_progress or total == 0:
            return
        if self._progress is None:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("", total=total)
        assert self._task is not None
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def load_or_exit(path: Path) -> Profile:
    """Load a profile; on error print one message per problem (naming the field) and exit 2."""
    try:
        return load_profile(path)
    except ProfileError as exc:
        errors.print(f"Invalid profile {path}:", style="red", markup=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(2) from None
