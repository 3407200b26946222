"""The terminal side of the journal: the run's own lines, a progress bar, and per-item lines only
when asked for or when there are few.

Every line goes to the profile's log file and the run history whatever the terminal shows; the
terminal gets:

- the lines of the run itself (start, warnings, errors, the closing counts) and every failed item;
- each item's line when ``verbose`` (``--verbose``, and every dry run: its item lines are what it
  is for), or while the run has announced no more than ``FEW_ITEMS`` items;
- beyond that, a progress bar on a terminal (nothing when the output is a file or a pipe), and
  one note, before the first item line it leaves out, saying where the item lines are; with
  ``verbose``, no bar (the item lines show the progress, and each line printed under a live bar
  redraws it).

Printing one line per item through Rich cost about a quarter of a 15,000-item export, even into a
file; lines that are shown go straight to the file when the output is not a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from comptoir.cli.console import LazyConsole, console
from comptoir.journal import Level, Line

if TYPE_CHECKING:
    from typing import IO

    from rich.console import Console
    from rich.progress import Progress, TaskID

FEW_ITEMS = 20
"""A run announcing at most this many items shows each item's line on the terminal."""

_STYLE = {Level.INFO: "", Level.WARNING: "yellow", Level.ERROR: "red"}


class ConsoleSink:
    """Prints the journal's lines as they come (see the module's rules), under a progress bar
    while items are processed on a terminal."""

    def __init__(
        self,
        target: Console | None = None,
        *,
        show_progress: bool = True,
        verbose: bool = False,
        few: int = FEW_ITEMS,
        note: str | None = None,
    ) -> None:
        self._console = target or console
        self._show_progress = show_progress and not verbose and self._terminal()
        """Every line printed under a live progress bar redraws it (about twenty times the cost of
        the line itself): when every item has its line, the lines show the progress."""
        self._verbose = verbose
        self._few = few
        self._note = note
        self._known = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.hidden = 0
        """Item lines left out so far."""

    def write(self, line: Line) -> None:
        if (
            line.item is not None
            and line.level is Level.INFO
            and not self._verbose
            and self._known > self._few
        ):
            if not self.hidden and self._note:
                self._print(self._note, Level.INFO)
            self.hidden += 1
            return
        self._print(line.formatted(), line.level)

    def _plain(self) -> IO[str] | None:
        """The file or pipe to write to when it is no terminal (Rich is not even imported when
        that is certain: ``LazyConsole.plain_stream``), else ``None``."""
        if isinstance(self._console, LazyConsole):
            stream = self._console.plain_stream()
            if stream is not None:
                return stream
        return None if self._console.is_terminal else self._console.file

    def _terminal(self) -> bool:
        return self._plain() is None

    def _print(self, text: str, level: Level) -> None:
        if self._progress is not None:
            self._progress.console.print(text, style=_STYLE[level], markup=False, soft_wrap=True)
            return
        stream = self._plain()
        if stream is None:
            self._console.print(text, style=_STYLE[level], markup=False, soft_wrap=True)
        else:  # a file or a pipe: no style, no wrapping, nothing for Rich to do
            stream.write(text + "\n")
            stream.flush()  # whoever reads the pipe (the dashboard) sees each line as it comes

    def progress(self, done: int, total: int) -> None:
        self._known = total
        if not self._show_progress or total == 0:
            return
        if self._progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console.made() if isinstance(self._console, LazyConsole) else self._console,
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
        self._known = 0
