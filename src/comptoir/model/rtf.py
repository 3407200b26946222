"""ERP texts stored as RTF (Sage 100 keeps long descriptions so), as plain text or clean HTML.

The RTF is read by ``striprtf`` (code pages, ``\\'e9`` and ``\\u232`` escapes, groups and
destinations such as font tables skipped). What the shop receives is plain text, or HTML made of
paragraphs only: each line of the text becomes a ``<p>``, its characters escaped. Formatting
(bold, italics, fonts, colours, tables) is dropped on purpose: shop themes style descriptions
themselves, and no markup from the ERP can reach a page unescaped.
"""

from __future__ import annotations

import html

from striprtf.striprtf import rtf_to_text


def is_rtf(text: str) -> bool:
    """Whether ``text`` is an RTF document (it opens with ``{\\rtf``)."""
    return text.lstrip().startswith("{\\rtf")


def rtf_text(text: str) -> str:
    """The plain text of an RTF document (``text`` itself when it is not RTF)."""
    if not is_rtf(text):
        return text
    plain: str = rtf_to_text(text, errors="replace")  # type: ignore[no-untyped-call]  # untyped library
    return "\n".join(line.rstrip() for line in plain.splitlines()).strip()


def rtf_html(text: str) -> str:
    """An RTF document as HTML paragraphs (``text`` itself when it is not RTF)."""
    if not is_rtf(text):
        return text
    lines = [line.strip() for line in rtf_text(text).splitlines()]
    return "\n".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)
