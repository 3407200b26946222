"""The incremental window: overlap, de-duplication by key, never past an unfinished item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from comptoir.state import Window

T0 = datetime(2026, 7, 11, 10, 0, tzinfo=UTC)
OVERLAP = timedelta(minutes=10)


def test_start_is_the_cursor_minus_the_overlap() -> None:
    assert Window(None, OVERLAP).start is None
    assert Window(T0, OVERLAP).start == T0 - OVERLAP


def test_items_read_twice_are_kept_once_the_last_read_winning() -> None:
    read = [("7", "old"), ("8", "x"), ("7", "new")]
    assert Window.unique(read, key=lambda item: item[0]) == [("7", "new"), ("8", "x")]


def test_all_finished_moves_to_the_newest_never_backwards() -> None:
    window = Window(T0, OVERLAP)
    window.note(T0 - timedelta(minutes=5), finished=True)
    assert window.next_cursor() == T0, "items inside the overlap do not pull the cursor back"
    window.note(T0 + timedelta(minutes=20), finished=True)
    assert window.next_cursor() == T0 + timedelta(minutes=20)
    assert Window(T0, OVERLAP).next_cursor() == T0, "nothing read: the cursor stays"
    assert Window(None, OVERLAP).next_cursor() is None


def test_an_unfinished_item_holds_the_cursor_at_its_own_date() -> None:
    window = Window(T0, OVERLAP)
    held = T0 + timedelta(minutes=1)
    window.note(held, finished=False)
    window.note(held + timedelta(minutes=11), finished=True)
    assert window.next_cursor() == held, "the newer finished item does not carry the cursor past it"
    older = Window(T0, OVERLAP)
    older.note(T0 - timedelta(minutes=8), finished=False)
    older.note(T0 + timedelta(minutes=30), finished=True)
    assert older.next_cursor() == T0 - timedelta(minutes=8), "the cursor goes back to it if need be"


@given(
    st.lists(
        st.tuples(st.integers(min_value=-10_000, max_value=10_000), st.booleans()), min_size=1, max_size=40
    ),
    st.one_of(st.none(), st.integers(min_value=-10_000, max_value=10_000)),
)
def test_the_next_window_always_reads_every_unfinished_item_again(
    items: list[tuple[int, bool]], cursor_minutes: int | None
) -> None:
    cursor = None if cursor_minutes is None else T0 + timedelta(minutes=cursor_minutes)
    window = Window(cursor, OVERLAP)
    for minutes, finished in items:
        window.note(T0 + timedelta(minutes=minutes), finished=finished)
    following = Window(window.next_cursor(), OVERLAP)
    assert following.start is not None
    for minutes, finished in items:
        if not finished:
            assert T0 + timedelta(minutes=minutes) > following.start
