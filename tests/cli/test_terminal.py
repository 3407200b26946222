"""The journal on the terminal: the run's own lines and failures always, item lines when asked for or
few, a progress bar on a terminal, one note saying where the item lines are."""

from __future__ import annotations

import io

from rich.console import Console

from comptoir.cli.terminal import FEW_ITEMS, ConsoleSink
from comptoir.journal import Journal, MemorySink, Outcome

NOTE = "item lines are in the log file"


def journaled(sink: ConsoleSink, items: int, *, failing: frozenset[int] = frozenset()) -> list[str]:
    """Run a journal of ``items`` items into ``sink`` (and memory); every line it wrote."""
    memory = MemorySink()
    journal = Journal("export_products", "en", [sink, memory])
    journal.start(dry_run=False)
    journal.plan(items)
    for number in range(items):
        outcome = Outcome.FAILED if number in failing else Outcome.CREATED
        journal.item(f"ART{number:04d}", outcome, "no price" if number in failing else "")
    journal.finish()
    journal.close()
    return memory.texts()


def file_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=120), out


def test_many_items_show_the_run_its_failures_and_one_note() -> None:
    console, out = file_console()
    sink = ConsoleSink(console, note=NOTE)
    written = journaled(sink, 200, failing=frozenset({7, 150}))
    shown = out.getvalue().splitlines()
    assert len(shown) == 5, shown
    assert shown[0].endswith(" - Export products: start")
    assert shown[1] == NOTE, "the note comes before the first left-out line, once"
    assert shown[2].endswith(" - [8/200] ART0007: failed - no price")
    assert shown[3].endswith(" - [151/200] ART0150: failed - no price")
    assert " - Export products: end - 198 created" in shown[4]
    assert sink.hidden == 198
    assert len(written) == 202, "every line still goes to the other sinks"


def test_few_items_show_every_line() -> None:
    console, out = file_console()
    sink = ConsoleSink(console, note=NOTE)
    journaled(sink, FEW_ITEMS)
    shown = out.getvalue()
    assert all(f"ART{number:04d}: created" in shown for number in range(FEW_ITEMS))
    assert NOTE not in shown and sink.hidden == 0


def test_verbose_shows_every_line() -> None:
    console, out = file_console()
    sink = ConsoleSink(console, verbose=True, note=NOTE)
    journaled(sink, FEW_ITEMS * 5)
    shown = out.getvalue()
    assert f"[{FEW_ITEMS * 5}/{FEW_ITEMS * 5}] ART{FEW_ITEMS * 5 - 1:04d}: created" in shown
    assert NOTE not in shown and sink.hidden == 0


def test_a_terminal_gets_a_progress_bar_instead_of_item_lines() -> None:
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=True, color_system=None)
    sink = ConsoleSink(console, note=NOTE)
    journaled(sink, 300)
    shown = out.getvalue()
    assert "300/300" in shown or "/300" in shown, "the bar counts the items"
    assert "ART0001: created" not in shown
    assert "Export products: end - 300 created" in shown and NOTE in shown


def test_a_file_gets_lines_without_styles() -> None:
    console, out = file_console()
    journaled(ConsoleSink(console, verbose=True), 3, failing=frozenset({1}))
    assert "\x1b[" not in out.getvalue()
    assert "[2/3] ART0001: failed - no price" in out.getvalue()
