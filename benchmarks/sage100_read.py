"""Benchmark: read the reference company's full catalog with stock and every price rule.

Builds the reference-scale demo company (SPEC §11) once in a work folder (in a child process,
so this process's peak memory reflects reading only), then reads, as the catalog, stock and
price jobs do: families, articles (with packagings, ranges and bills of materials), stock in
every warehouse, tax rates, price categories and price rules. Prints the objects read, the
seconds, the number of SQL statements issued and the peak memory, and compares with a naive
one-query-per-article stock read measured on a sample.

Usage: python benchmarks/sage100_read.py [--workdir DIR] [--url URL] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.schema import F_ARTSTOCK

SAMPLE = 300


BUILD = """
import sys
from comptoir.demo.company import CompanyExists, build_company
try:
    build_company(sys.argv[1], scale="reference")
except CompanyExists:
    sys.exit(3)
"""


def build_if_missing(url: str, path: Path | None) -> float | None:
    """Build the reference company in a child process unless the database already holds one."""
    if path is not None and path.exists():
        return None
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BUILD, url], check=False)
    if done.returncode == 3:
        return None
    done.check_returncode()
    return time.perf_counter() - started


def measure(erp: Sage100Erp, counter: list[int], read: Callable[[], list[Any]]) -> tuple[int, float, int]:
    """(objects, seconds, statements) of one read."""
    before = counter[0]
    started = time.perf_counter()
    result = read()
    return len(result), time.perf_counter() - started, counter[0] - before


def naive_stock(erp: Sage100Erp, references: list[str]) -> float:
    """Seconds for one stock query per article (the N+1 pattern comptoir avoids)."""
    started = time.perf_counter()
    with erp.engine.connect() as conn:
        for reference in references:
            conn.execute(select(F_ARTSTOCK).where(F_ARTSTOCK.c.AR_Ref == reference)).all()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="folder keeping reference.sqlite between runs")
    parser.add_argument("--url", help="an existing reference company (any SQLAlchemy URL)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    path: Path | None = None
    if args.url:
        url = args.url
    else:
        folder = args.workdir or Path(tempfile.gettempdir()) / "comptoir-bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "reference.sqlite"
        url = f"sqlite:///{path.as_posix()}"
    build_seconds = build_if_missing(url, path)

    erp = Sage100Erp(url)
    counter = [0]
    erp.find_articles([])  # connect and read the free-field definitions once

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            counter[0] += 1

    event.listen(erp.engine, "before_cursor_execute", count)
    reads: dict[str, Callable[[], list[Any]]] = {
        "families": erp.read_categories,
        "articles": erp.read_articles,
        "stock levels": erp.read_stock,
        "tax rates": erp.read_tax_rates,
        "price categories": erp.read_price_categories,
        "price rules": erp.read_price_rules,
    }
    figures = {name: measure(erp, counter, read) for name, read in reads.items()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    articles = [a.reference for a in erp.read_articles()]
    sample = articles[:: max(1, len(articles) // SAMPLE)][:SAMPLE]
    naive = naive_stock(erp, sample) * len(articles) / len(sample)
    erp.close()

    total_objects = sum(f[0] for f in figures.values())
    total_seconds = sum(f[1] for f in figures.values())
    total_queries = sum(f[2] for f in figures.values())
    stock_seconds = figures["stock levels"][1]
    report = {
        "url": url,
        "build_seconds": round(build_seconds, 2) if build_seconds is not None else None,
        "reads": {
            n: {"objects": o, "seconds": round(s, 3), "queries": q} for n, (o, s, q) in figures.items()
        },
        "objects": total_objects,
        "seconds": round(total_seconds, 3),
        "queries": total_queries,
        "peak_memory_mb": round(peak_mb, 1),
        "naive_stock_seconds_extrapolated": round(naive, 2),
        "stock_speedup_vs_naive": round(naive / stock_seconds, 1) if stock_seconds else None,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    if build_seconds is not None:
        print(f"reference company built in {build_seconds:.1f} s")
    print(f"{'read':<18}{'objects':>10}{'seconds':>10}{'queries':>9}")
    for name, (objects, seconds, queries) in figures.items():
        print(f"{name:<18}{objects:>10}{seconds:>10.3f}{queries:>9}")
    print(f"{'total':<18}{total_objects:>10}{total_seconds:>10.3f}{total_queries:>9}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    print(
        f"naive stock read, one query per article: {naive:.2f} s extrapolated from {len(sample)} articles "
        f"({report['stock_speedup_vs_naive']}x the set-based read)"
    )


if __name__ == "__main__":
    main()
