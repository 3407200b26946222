"""Benchmark: what the journal's terminal output costs per item.

Runs a journal through N items (an export of N articles, every one created) with each sink a run
can have, and compares with the naive terminal sink comptoir had before: one line per item
printed through Rich, whatever the output. Sinks measured:

- none: the journal alone (rendering each line in the profile's language);
- log file: the profile's log file, which every real run writes;
- naive, file / naive, terminal: every item line printed through Rich (under the progress bar
  on a terminal);
- comptoir, file / comptoir, terminal: the terminal sink as it is (beyond ``FEW_ITEMS`` items,
  the run's own lines and a note; the progress bar on a terminal);
- comptoir --verbose, file / terminal: every item line, straight to the file when it is not a
  terminal.

A terminal is a Rich console forced to behave as one (styles, live progress bar) writing to
``os.devnull``; a file is a real temporary file. Each figure is the best of ``--repeat`` runs.

Usage: python benchmarks/journal_output.py [--items N] [--repeat R] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from comptoir.cli.terminal import ConsoleSink
from comptoir.journal import FileSink, Journal, Line, Outcome, Sink

EXPORT_US_PER_ITEM = 800.0
"""CPU a first product export spends per article at the reference scale (about 12 s for 15,000
articles, see docs/performance.md): the yardstick for "a few percent"."""


class NaiveSink:
    """The terminal sink comptoir had before: each line printed through Rich, under a progress bar
    on a terminal."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def write(self, line: Line) -> None:
        target = self._progress.console if self._progress else self._console
        target.print(line.formatted(), markup=False, soft_wrap=True)

    def progress(self, done: int, total: int) -> None:
        if not self._console.is_terminal or total == 0:
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


def run(items: int, sinks: Sequence[Sink]) -> float:
    """Seconds of one journaled run of ``items`` items into ``sinks``."""
    started = time.perf_counter()
    journal = Journal("export_products", "fr", sinks)
    journal.start(dry_run=False)
    journal.plan(items)
    for number in range(items):
        journal.item(f"ART{number:06d}", Outcome.CREATED)
    journal.finish()
    journal.close()
    return time.perf_counter() - started


def terminal() -> tuple[Console, IO[str]]:
    out = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    return Console(file=out, force_terminal=True, width=120, highlight=False), out


def a_file(folder: Path) -> tuple[Console, IO[str]]:
    out = (folder / "terminal.txt").open("w", encoding="utf-8")
    return Console(file=out, width=120, highlight=False), out


def measure(items: int, repeat: int, folder: Path) -> dict[str, float]:
    """Best seconds of each configuration."""
    log = folder / "logs" / "bench.log"

    def with_console(
        make: Callable[[], tuple[Console, IO[str]]], sink: Callable[[Console], Sink]
    ) -> Callable[[], float]:
        def once() -> float:
            console, out = make()
            try:
                return run(items, [sink(console), FileSink(log)])
            finally:
                out.close()

        return once

    configurations: dict[str, Callable[[], float]] = {
        "none": lambda: run(items, []),
        "log file": lambda: run(items, [FileSink(log)]),
        "naive, file": with_console(lambda: a_file(folder), NaiveSink),
        "naive, terminal": with_console(terminal, NaiveSink),
        "comptoir, file": with_console(lambda: a_file(folder), lambda c: ConsoleSink(c, note="note")),
        "comptoir, terminal": with_console(terminal, lambda c: ConsoleSink(c, note="note")),
        "comptoir --verbose, file": with_console(
            lambda: a_file(folder), lambda c: ConsoleSink(c, verbose=True)
        ),
        "comptoir --verbose, terminal": with_console(terminal, lambda c: ConsoleSink(c, verbose=True)),
    }
    best: dict[str, float] = {}
    for name, once in configurations.items():
        best[name] = min(once() for _ in range(repeat))
        log.unlink(missing_ok=True)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        best = measure(args.items, args.repeat, Path(tmp))
    base = best["log file"]
    rows: list[dict[str, Any]] = []
    for name, seconds in best.items():
        extra_us = (seconds - base) / args.items * 1e6
        rows.append(
            {
                "sink": name,
                "seconds": round(seconds, 3),
                "items_per_s": round(args.items / seconds),
                "us_per_item": round(seconds / args.items * 1e6, 1),
                "terminal_us_per_item": round(extra_us, 1) if name not in ("none", "log file") else None,
                "share_of_export": round(extra_us / EXPORT_US_PER_ITEM, 3)
                if name not in ("none", "log file")
                else None,
            }
        )
    if args.json:
        print(json.dumps({"items": args.items, "rows": rows}))
        return
    print(f"Journal of {args.items:,} items, best of {args.repeat} runs (each sink + the log file)")
    head = f"{'sink':30} {'time':>8} {'items/s':>10} {'µs/item':>8}"
    print(f"{head} {'terminal µs/item':>17} {'of an export':>13}")
    for row in rows:
        extra = "" if row["terminal_us_per_item"] is None else f"{row['terminal_us_per_item']:.1f}"
        share = "" if row["share_of_export"] is None else f"{row['share_of_export']:.1%}"
        print(
            f"{row['sink']:30} {row['seconds']:>7.3f}s {row['items_per_s']:>10,} "
            f"{row['us_per_item']:>8.1f} {extra:>17} {share:>13}"
        )
    naive = best["naive, file"] - base
    ours = best["comptoir, file"] - base
    print(f"Terminal output into a file: naive {naive:.3f} s, comptoir {ours:.3f} s for {args.items:,} items")


if __name__ == "__main__":
    main()
