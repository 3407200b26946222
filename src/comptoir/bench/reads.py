"""The ERP part of each step's floor: the reads the step's job makes, timed alone through the
adapter in the benchmark's process (what no connector can avoid)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from comptoir.erp.base import Erp


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _consume(erp: Erp, articles: set[str] | None = None) -> int:
    return sum(1 for _ in erp.stream_stock(articles=articles))


def catalog_read(erp: Erp) -> float:
    """Export products: articles, families, tax rates, every stock row."""
    return timed(lambda: (erp.read_articles(), erp.read_categories(), erp.read_tax_rates(), _consume(erp)))


def price_read(erp: Erp) -> float:
    """Update prices: articles and tax rates."""
    return timed(lambda: (erp.read_articles(), erp.read_tax_rates()))


def stock_read(erp: Erp) -> float:
    """A full stock read: articles and every stock row."""
    return timed(lambda: (erp.read_articles(), erp.read_stock_changes(None), _consume(erp)))


def changed_stock_read(erp: Erp, since: datetime) -> float:
    """An incremental stock read: what changed, those articles, their stock rows."""

    def read() -> None:
        changes = erp.read_stock_changes(since)
        modified = erp.read_articles(modified_since=since)
        wanted = set(changes.articles or {}) - {a.reference for a in modified}
        found = erp.find_articles(wanted) if wanted else {}
        _consume(erp, {a.reference for a in modified} | set(found))

    return timed(read)


def customer_read(erp: Erp) -> float:
    """Export customers: every customer."""
    return timed(erp.read_customers)
