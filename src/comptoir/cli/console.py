"""The terminal side of the journal: live lines with a progress bar, and shared CLI helpers."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from comptoir.cli import crash
from comptoir.erp.base import ErpConnectionError, ErpError
from comptoir.jobs.runner import ExitCode
from comptoir.journal import Level, Line
from comptoir.profile import Profile, ProfileError, SecretError, load_profile
from comptoir.shop.base import ShopError
from comptoir.state import StateError

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
        profile = load_profile(path)
    except ProfileError as exc:
        errors.print(f"Invalid profile {path}:", style="red", markup=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.BAD_SETUP)) from None
    crash.use_profile_logs(profile.log_path().parent)
    return profile


@contextmanager
def opening(profile_path: Path) -> Iterator[None]:
    """Turn a failure to open what a profile names into one line and an exit code (see ``refusal``)."""
    try:
        yield
    except (SecretError, ErpError, StateError, ShopError) as exc:
        message, code = refusal(exc)
        errors.print(f"{profile_path}: {message}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(int(code)) from None


PROFILE_MISTAKES = frozenset({"driver_missing", "database_missing", "not_erp"})
"""ERP connection failures that the profile's ``erp.url`` must fix."""


def refusal(exc: SecretError | ErpError | StateError | ShopError) -> tuple[str, ExitCode]:
    """What to say about a failure to open what a profile names, and the exit code.

    ``BAD_SETUP`` (2) when the profile must be fixed (a missing secret, a database that is missing
    or not the ERP's, a driver to install, a refused login, a state database that cannot be
    opened, an unusable certificate file), ``ITEMS_FAILED`` (1, the run stopped on an error) when
    a server cannot be reached.
    """
    if isinstance(exc, ErpConnectionError) and exc.code in PROFILE_MISTAKES:
        return f"erp.url: {exc}", ExitCode.BAD_SETUP
    if isinstance(exc, ErpConnectionError) and exc.code == "login_refused":
        return str(exc), ExitCode.BAD_SETUP
    if isinstance(exc, StateError):
        return f"state.url: {exc}", ExitCode.BAD_SETUP
    if isinstance(exc, ShopError):
        return str(exc), ExitCode.BAD_SETUP if exc.code == "tls" else ExitCode.ITEMS_FAILED
    if isinstance(exc, ErpError):
        return str(exc), ExitCode.ITEMS_FAILED
    return str(exc), ExitCode.BAD_SETUP
