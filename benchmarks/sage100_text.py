"""Benchmark: preparing texts for Sage's columns (``erp_text``) and whole rows (``prepared``).

Times ``erp_text`` on four kinds of text — plain ASCII, French text (accents the code page
holds), text to transliterate, hostile text (NUL, bidi overrides, emoji) — and compares with a
naive preparation that inspects every character on every call (composition, category, a
cp1252 encoding attempt and Unidecode per character, no fast path, no memory). Then times
``prepared`` on complete customer and document-line rows, as every write does.

Usage: python benchmarks/sage100_text.py [--count N] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

from unidecode import unidecode

from comptoir.erp.sage100.rows import blank_row, prepared
from comptoir.erp.sage100.schema import F_COMPTET, F_DOCLIGNE
from comptoir.erp.sage100.text import erp_text

SAMPLES = {
    "ascii": "Auberge du Mont Ventoux",
    "french": "Salon de thé Les Tilleuls — Cœur",
    "transliterated": "Łukasz Wałęsa, Żółta 12, Kraków",
    "hostile": "Zo\x00é \u202eŁukasz😀\x07 Cœur\u200b\u2066",
}


def naive(value: str, length: int) -> str:
    """Every character looked at on every call: what a straightforward implementation does."""
    out = []
    for char in unicodedata.normalize("NFC", value):
        if char.isspace():
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            try:
                char.encode("cp1252")
                out.append(char)
            except UnicodeEncodeError:
                out.append(unidecode(char))
    return " ".join("".join(out).split())[:length].rstrip()


def per_call(action: Callable[[], Any], count: int) -> float:
    """Best microseconds per call over three runs of ``count`` calls."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(count):
            action()
        best = min(best, time.perf_counter() - started)
    return best / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="calls per measure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    column = F_COMPTET.c.CT_Intitule
    report: dict[str, Any] = {"erp_text_us": {}, "naive_us": {}}
    for kind, text in SAMPLES.items():
        assert erp_text(text, column, "bench") == naive(text, 35), kind
        report["erp_text_us"][kind] = per_call(lambda t=text: erp_text(t, column, "bench"), args.count)
        report["naive_us"][kind] = per_call(lambda t=text: naive(t, 35), args.count)
    now = datetime(2026, 1, 5, 8, 30)  # noqa: DTZ001 - Sage's dates are naive local times
    customer = blank_row(F_COMPTET, user="BENC", now=now)
    customer.update(
        CT_Num="WEB000530",
        CT_Intitule=SAMPLES["french"],
        CT_Contact=SAMPLES["transliterated"],
        CT_Adresse="12 rue de la République",
        CT_Ville="Avignon",
        CT_CodePostal="84000",
        CT_EMail="marion.chabert@example.com",
        CT_Telephone="04 90 12 34 56",
    )
    line = blank_row(F_DOCLIGNE, user="BENC", now=now)
    line.update(DO_Piece="BC00042", AR_Ref="BOL-UZES", DL_Design=SAMPLES["hostile"], DO_Ref="Web 187")
    rows = max(args.count // 10, 100)
    report["prepared_row_us"] = {
        "F_COMPTET": per_call(lambda: prepared(F_COMPTET, customer, "bench"), rows),
        "F_DOCLIGNE": per_call(lambda: prepared(F_DOCLIGNE, line, "bench"), rows),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'text':<16}{'erp_text':>12}{'naive':>12}{'ratio':>8}")
    for kind in SAMPLES:
        ours, theirs = report["erp_text_us"][kind], report["naive_us"][kind]
        print(f"{kind:<16}{ours:>9.2f} us{theirs:>9.2f} us{theirs / ours:>7.1f}x")
    sizes = {"F_COMPTET": len(customer), "F_DOCLIGNE": len(line)}
    for table, micros in report["prepared_row_us"].items():
        print(f"prepared {table} row ({sizes[table]} columns): {micros:.1f} us")


if __name__ == "__main__":
    main()
