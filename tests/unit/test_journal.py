"""The journal: timestamped lines, i/n items, closing counts, French and English, every sink."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from comptoir.journal import FileSink, Journal, MemorySink, Outcome
from comptoir.journal.messages import Language


def fixed_clock() -> datetime:
    return datetime(2026, 7, 11, 8, 8, 45, tzinfo=UTC)


def test_lines_counts_and_closing_line_in_french(tmp_path: Path) -> None:
    memory = MemorySink()
    log = tmp_path / "logs" / "demo.log"
    journal = Journal("import_orders", "fr", [memory, FileSink(log)], clock=fixed_clock)
    journal.start(dry_run=False)
    journal.plan(3)
    journal.item("#187", Outcome.CREATED, "pièce BC00001")
    journal.item("#188", Outcome.FAILED, "ligne 1 : référence inconnue")
    journal.item("#189", Outcome.UNCHANGED)
    journal.tally(Outcome.SKIPPED, 4)
    closing = journal.finish()
    journal.close()
    texts = memory.texts()
    assert texts[0] == "Import des commandes : début"
    assert texts[1] == "[1/3] #187 : créé - pièce BC00001"
    assert texts[2] == "[2/3] #188 : en échec - ligne 1 : référence inconnue"
    assert texts[3] == "[3/3] #189 : inchangé"
    assert closing.startswith(
        "Import des commandes : fin - 1 créé(s), 0 mis à jour, 1 inchangé(s), 4 ignoré(s), 1 en échec"
    )
    file_lines = log.read_text(encoding="utf-8").splitlines()
    assert len(file_lines) == 5
    assert all(re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - ", line) for line in file_lines)
    assert journal.counts.as_dict() == {"created": 1, "updated": 0, "unchanged": 1, "skipped": 4, "failed": 1}


def test_english_and_dry_run_wording() -> None:
    memory = MemorySink()
    journal = Journal("export_products", "en", [memory], clock=fixed_clock)
    journal.start(dry_run=True)
    journal.plan(1)
    journal.item("ART-1", Outcome.CREATED, "Pull", would=True)
    assert memory.texts() == [
        "Export products: start",
        "Dry run: nothing will be written (neither shop nor ERP)",
        "[1/1] ART-1: would be created - Pull",
    ]


def test_items_held_by_another_run_are_skipped_counted_and_said_at_the_end() -> None:
    cases: tuple[tuple[Language, str], ...] = (
        (
            "fr",
            " s) - 2 ignoré(s) car en cours dans une autre exécution : une prochaine exécution les reprendra",
        ),
        ("en", " s) - 2 skipped because another run holds them: a later run takes them up"),
    )
    for language, ending in cases:
        memory = MemorySink()
        journal = Journal("import_orders", language, [memory], clock=fixed_clock)
        journal.plan(3)
        journal.held("#7", "x")
        journal.held("#8", "y")
        journal.item("#9", Outcome.CREATED)
        closing = journal.finish()
        assert closing.endswith(ending), closing
        assert memory.texts()[0].startswith("[1/3] #7")
        assert (journal.counts.skipped, journal.counts.held, journal.counts.created) == (2, 2, 1)
        assert "held" not in journal.counts.as_dict(), "the run history keeps the outcome columns only"
    quiet = Journal("import_orders", "en", [], clock=fixed_clock)
    assert quiet.finish().endswith(" s)")


def test_the_log_file_stamps_each_line_with_its_own_second(tmp_path: Path) -> None:
    moments = iter(
        [
            datetime(2026, 7, 11, 8, 8, 45, 100, tzinfo=UTC),
            datetime(2026, 7, 11, 8, 8, 45, 999_999, tzinfo=UTC),
            datetime(2026, 7, 11, 8, 8, 46, tzinfo=UTC),
            datetime(2026, 7, 11, 8, 8, 45, 500, tzinfo=UTC),
        ]
    )
    memory = MemorySink()
    log = tmp_path / "demo.log"
    journal = Journal("update_stock", "fr", [memory, FileSink(log)], clock=lambda: next(moments))
    for key in ("A", "B", "C", "D"):
        journal.item(key, Outcome.UPDATED)
    journal.close()
    written = log.read_text(encoding="utf-8").splitlines()
    assert written == [line.formatted() for line in memory.lines]
    assert [line[:19] for line in written] == [
        f"{datetime(2026, 7, 11, 8, 8, second, tzinfo=UTC).astimezone():%Y-%m-%d %H:%M:%S}"
        for second in (45, 45, 46, 45)
    ]
