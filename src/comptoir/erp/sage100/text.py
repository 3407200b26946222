"""Texts as Sage can hold them: the one preparation of every text comptoir writes to Sage.

Sage's text columns are ``varchar`` (a few ``char``) in the code page of the company's
collation: Windows-1252 (cp1252) on the French collations Sage installs (``French_CI_AS``),
one byte per character. :func:`erp_text` turns any Python string into a value such a column
can hold:

1. composed (Unicode NFC: ``e`` + combining acute becomes ``é``);
2. control characters (NUL, bell…), format characters (bidirectional overrides such as
   U+202E, zero-width spaces, byte-order marks), surrogates, private-use and unassigned code
   points removed; every kind of space and line break becomes one plain space;
3. characters outside the code page transliterated (``ł`` → ``l``, ``Ж`` → ``Zh``, ``ﬁ`` →
   ``fi``) with Unidecode, which drops what has no Latin reading (emoji); characters the code
   page holds are kept as they are (``é``, ``œ``, ``€``, ``—``);
4. the column's length rule (:class:`TextRule`), which the replica schema declares next to
   the column's type and length (:mod:`comptoir.erp.sage100.schema`), so the rule always
   matches the column.

Keys are never changed: an account number, a document number or an article reference that
the column cannot hold exactly is refused, as is one longer than the column. ``nvarchar``
columns (Unicode) skip step 3 and count UTF-16 code units, as SQL Server does.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import lru_cache
from typing import Any

from sqlalchemy import Column, Unicode
from unidecode import unidecode

from comptoir.erp.base import ErpError

CODE_PAGE = "cp1252"
"""The code page of Sage's ``varchar`` columns (French collations: Windows-1252)."""

TEXT_RULE = "sage_text_rule"
"""Key of ``Column.info`` holding a text column's :class:`TextRule` (absent: ``REFUSE``)."""


class TextRule(Enum):
    """What happens to a text longer than its column, and whether it may be changed at all."""

    CUT = "cut"
    """Free text (names, addresses, designations, references, labels, notes): cleaned,
    spaces folded, then cut to the column's length."""
    REFUSE = "refuse"
    """Data that would be wrong if cut (e-mail, phone, postcode, VAT number, SIRET): cleaned
    and spaces folded; longer than the column, it is refused."""
    EXACT = "exact"
    """A key (account number, document number, article reference, code): written exactly as
    given once trimmed, or refused."""


_REMOVED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
"""Controls, format characters (bidi, zero-width), surrogates, private use, unassigned."""

_CP1252 = frozenset(bytes(range(256)).decode(CODE_PAGE, errors="ignore"))
_OUTSIDE = re.compile("[^" + "".join(sorted(re.escape(c) for c in _CP1252 if c.isprintable())) + "]")
"""A character that is not a printable character of the code page."""


def _printable(point: int, code_page: bool) -> str:
    """What one character becomes: itself, a space, its transliteration or nothing."""
    char = chr(point)
    if char.isspace():
        return " "
    if unicodedata.category(char) in _REMOVED:
        return ""
    if not code_page or char in _CP1252:
        return char
    return "".join(c for c in unidecode(char) if c in _CP1252 and c.isprintable())


class _Table(dict[int, str]):
    """A ``str.translate`` table filled on demand (each character is worked out once)."""

    def __init__(self, code_page: bool) -> None:
        super().__init__()
        self.code_page = code_page

    def __missing__(self, point: int) -> str:
        result = self[point] = _printable(point, self.code_page)
        return result


_TABLES = {True: _Table(code_page=True), False: _Table(code_page=False)}


def _length(text: str, unicode: bool) -> int:
    return len(text.encode("utf-16-le")) // 2 if unicode else len(text)


def _cut(text: str, length: int, unicode: bool) -> str:
    if _length(text, unicode) <= length:
        return text
    cut = text[:length]
    while _length(cut, unicode) > length:
        cut = cut[:-1]
    return cut.rstrip()


def _in_code_page(text: str) -> bool:
    """Printable and all in the code page: nothing to change but spaces (cp1252 text is composed)."""
    if text.isascii():
        return text.isprintable()
    return _OUTSIDE.search(text) is None


def holdable(text: str, *, unicode: bool = False) -> str:
    """``text`` with only characters a column can hold, spaces folded (no length rule)."""
    if unicode or not _in_code_page(text):
        text = unicodedata.normalize("NFC", text).translate(_TABLES[not unicode])
    return " ".join(text.split())


def rule_of(column: Column[Any]) -> TextRule:
    """The column's :class:`TextRule`, as the schema declares it (``REFUSE`` when it does not)."""
    rule = column.info.get(TEXT_RULE)
    return rule if isinstance(rule, TextRule) else TextRule.REFUSE


def erp_text(value: str, column: Column[Any], record: str) -> str:
    """``value`` as ``column`` holds it, or ``ErpError`` naming ``record`` and the column.

    The column's type gives its length and code page, its ``info`` its :class:`TextRule`. What a
    column makes of a value is kept (the same names, codes and labels come back in every
    document of a run); a refused value is worked out again, to name its record.
    """
    held = _held(value, column)
    return held if held is not None else _erp_text(value, column, record)


@lru_cache(maxsize=65536)
def _held(value: str, column: Column[Any]) -> str | None:
    """``erp_text`` of ``value`` for ``column``, ``None`` when the column refuses it."""
    try:
        return _erp_text(value, column, "")
    except ErpError:
        return None


def _erp_text(value: str, column: Column[Any], record: str) -> str:
    length = getattr(column.type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{_where(column, 'erp_text')} is not a text column")
    unicode = isinstance(column.type, Unicode)
    rule = rule_of(column)
    if rule is TextRule.EXACT:
        text = value.strip()
        table = _TABLES[not unicode]
        refused = next((c for c in text if c != " " and table[ord(c)] != c), None)
        if refused is not None:
            raise ErpError(f"{_where(column, record)} cannot hold {text!r}: {_describe(refused)}")
    else:
        text = holdable(value, unicode=unicode)
    if rule is TextRule.CUT:
        return _cut(text, length, unicode)
    if _length(text, unicode) > length:
        count = _length(text, unicode)
        raise ErpError(f"{_where(column, record)} holds {length} characters, {text!r} has {count}")
    return text


def _where(column: Column[Any], record: str) -> str:
    return f"{record}: {column.table.name}.{column.name}"


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    point = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    if char.isspace() or unicodedata.category(char) in _REMOVED:
        return f"{point} is a control or invisible character"
    return f"{point} is not in the {CODE_PAGE} code page"
