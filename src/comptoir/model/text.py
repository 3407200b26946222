"""Clean text for any system: no control characters, no bidirectional overrides, tidy spaces.

Neutral on purpose: no code page, no length. What a target can hold beyond that is its
adapter's business (the ERP adapter transliterates to its code page and applies its column
lengths). :func:`clean_text` composes the text (Unicode NFC), removes control characters (NUL,
bell, escape…), lone surrogates and the invisible characters that change how text displays or
compares — bidirectional controls (U+202A–U+202E overrides and embeddings, U+2066–U+2069
isolates, U+200E/U+200F/U+061C marks), zero-width spaces and byte-order marks — and folds
spaces. Joiners (U+200C, U+200D) stay: scripts and emoji sequences need them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = BIDI_CONTROLS | {"\u200b", "\u2060", "\ufeff"}
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n{3,}")


_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff" + "".join(sorted(_INVISIBLE)) + "]"
)
"""What goes: control characters that are not spaces or line breaks (those are folded), lone
surrogates, invisible characters."""


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without invisible characters and with tidy spaces.

    One line: every run of spaces, tabs and line breaks becomes one space, ends trimmed.
    ``multiline``: line breaks are kept (``\\n``; at most one empty line in a row), spaces
    are folded within each line.

    Every step runs in C (regular expressions, ``str.split``): the catalog's descriptions go
    through here, every one of them at each export.
    """
    text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    text = _DROPPED.sub("", text)
    if not multiline:
        return " ".join(text.split())
    text = _LINE_BREAKS.sub("\n", text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def clean_fields(
    item: T, *, keep: frozenset[str] = frozenset(), multiline: frozenset[str] = frozenset()
) -> T:
    """A copy of a dataclass with every text cleaned, nested ones too (tuples, mappings, dataclasses);
    the dataclass itself when every text was clean already.

    Fields named in ``keep`` (identifiers) are left as they are; those in ``multiline`` keep
    their line breaks. Mapping keys are kept; enums are not texts.
    """
    if not is_dataclass(item) or isinstance(item, type):
        raise TypeError(f"{type(item).__name__} is not a dataclass instance")
    changes = {}
    for name in field_names(type(item)):
        if name not in keep and (value := getattr(item, name)) is not None:
            cleaned = _clean(value, keep, multiline, name in multiline)
            if cleaned != value:
                changes[name] = cleaned
    return replace(item, **changes) if changes else item


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(kind: type) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order (``dataclasses.fields`` makes a tuple of field
    objects at each call: these are made once per class)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def _clean(value: Any, keep: frozenset[str], multiline: frozenset[str], lines: bool) -> Any:
    if type(value) is str:  # most values: plain texts (a text enum is not one)
        return clean_text(value, multiline=lines)
    if value is None or isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return clean_text(value, multiline=lines)
    if isinstance(value, tuple):
        return tuple(_clean(v, keep, multiline, lines) for v in value)
    if isinstance(value, Mapping):
        return {k: _clean(v, keep, multiline, lines) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return clean_fields(value, keep=keep, multiline=multiline)
    return value
