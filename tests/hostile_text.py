"""Hostile text for property tests: any Unicode, with the characters that break systems made common."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

HOSTILE = (
    "\x00",  # NUL
    "\x07",  # bell
    "\x1b",  # escape
    "\x7f",  # delete
    "\x85",  # next line (C1)
    "\u202e",  # right-to-left override
    "\u202d",  # left-to-right override
    "\u2066",  # left-to-right isolate
    "\u200f",  # right-to-left mark
    "\u200b",  # zero width space
    "\ufeff",  # byte order mark
    "\ud800",  # lone surrogate
    "\ue000",  # private use
    "😀",
    "👩\u200d💻",
    "ł",
    "Ж",
    "北",
    "ﬁ",
    "e\u0301",
    "\t",
    "\n",
    "\u2028",
    "\xa0",
    "é",
    "œ",
    "€",
)

any_character = st.characters(exclude_categories=())
hostile_text = st.lists(st.one_of(any_character, st.sampled_from(HOSTILE))).map("".join)
"""Any string: every code point possible (surrogates included), hostile ones drawn often."""


def invisible(char: str) -> bool:
    """Control, format (bidi, zero-width), surrogate, private-use or unassigned."""
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}
