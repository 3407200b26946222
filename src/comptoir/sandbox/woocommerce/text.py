"""WordPress helpers the sandbox needs: slugs, dates, decimals and JSON as WordPress writes them."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Europe/Paris")
"""The sandbox site's timezone: dates without ``_gmt`` are in this zone, like a French shop."""


def slugify(text: str) -> str:
    """``sanitize_title``: lower case, accents removed, other characters become dashes."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9_]+", "-", plain.lower()).strip("-")


def wp_date(moment: datetime | None) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS`` in the site's timezone (WordPress's non-GMT dates)."""
    if moment is None:
        return None
    return moment.astimezone(SITE_TZ).strftime("%Y-%m-%dT%H:%M:%S")


def wp_date_gmt(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso(value: str) -> datetime:
    """Parse a stored ISO instant (always written with its offset)."""
    return datetime.fromisoformat(value)


def parse_rfc3339(value: str, *, gmt: bool) -> datetime | None:
    """A request date (``after``, ``modified_after``…); without an offset it is site time, or UTC
    when ``dates_are_gmt`` is true. ``None`` when it is not a date."""
    text = value.strip().replace(" ", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC if gmt else SITE_TZ)
    return parsed.astimezone(UTC)


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def money(value: Decimal, places: int = 2) -> str:
    """An amount as WooCommerce prints order totals (``"12.30"``), halves rounded up."""
    step = Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP):.{places}f}"


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """``wc_format_decimal``: optional rounding, then trailing zeros trimmed (``"3.5"``, ``"0"``)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def wp_json(data: Any) -> bytes:
    """``wp_json_encode``: non-ASCII as ``\\uXXXX`` and ``/`` escaped as ``\\/``."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


_NOT_NUMBER = re.compile(r"\.(?![^.]+$)|[^0-9.-]")


def wc_clean(value: Any) -> str:
    """``wc_clean`` of a scalar: ``sanitize_text_field`` (tags removed, white space collapsed)."""
    text = re.sub(r"<[^>]*>", "", "" if value is None else str(value))
    return re.sub(r"\s+", " ", text).strip()


def wc_format_decimal(
    value: Any, dp: int | None = None, *, trim_zeros: bool = False, separator: str = "."
) -> str:
    """``wc_format_decimal`` (wc-formatting-functions.php): the shop's decimal separator becomes a
    dot, every dot but the last and every character but ``0-9.-`` go (``"1,5"`` with a ``.``
    separator is ``"15"``); ``dp`` rounds with ``number_format``; trailing zeros stay unless asked
    (a float argument always loses them). ``"29.00"`` stays ``"29.00"``."""
    if value is None:
        value = ""
    is_float = isinstance(value, float)
    if isinstance(value, bool):
        text = "1" if value else ""
    elif is_float:
        text = f"{value:.6f}" if dp is None else repr(value)
    else:
        text = str(value)
        for sep in {separator, "."}:
            text = text.replace(sep, ".")
        text = _NOT_NUMBER.sub("", wc_clean(text))
    if dp is not None:
        number = decimal_or_none(text) if text not in ("", "-", ".") else None
        return (
            money(number if number is not None else Decimal(0), dp)
            if dp > 0
            else str(int((number or Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        )
    if (trim_zeros or is_float) and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def wpautop(text: str) -> str:
    """WordPress ``wpautop`` for plain text: paragraphs on blank lines, ``<br />`` on single line
    breaks; text that already holds block tags is left as it is."""
    if not text.strip():
        return ""
    if re.search(r"<(p|div|ul|ol|table|h[1-6]|blockquote|pre)\b", text, re.IGNORECASE):
        return text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br />\n") + "</p>\n" for p in paragraphs)
