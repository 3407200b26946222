"""Reads are set-based: the number of queries does not grow with the catalog."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from comptoir.demo.company import ReferenceSize, build_company
from comptoir.erp.sage100 import Sage100Erp


def queries_for_a_full_read(url: str) -> tuple[int, int]:
    """(queries issued, objects returned) by the catalog, stock, prices and customers reads."""
    erp = Sage100Erp(url)
    try:
        erp.read_warehouses()  # the connection and the free-field definitions are set up once
        count = 0

        def count_one(*_: Any) -> None:
            nonlocal count
            count += 1

        event.listen(erp.engine, "before_cursor_execute", count_one)
        objects = sum(
            len(result)
            for result in (
                erp.read_categories(),
                erp.read_articles(),
                erp.read_stock(),
                erp.read_tax_rates(),
                erp.read_price_categories(),
                erp.read_price_rules(),
                erp.read_customers(),
            )
        )
        return count, objects
    finally:
        erp.close()


def test_query_count_is_independent_of_catalog_size(company_url: str, empty_url: str) -> None:
    build_company(
        empty_url, scale="reference", size=ReferenceSize(articles=400, customers=60, range_articles=3)
    )
    small_queries, small_objects = queries_for_a_full_read(company_url)
    large_queries, large_objects = queries_for_a_full_read(empty_url)
    assert large_objects > 5 * small_objects
    assert small_queries == large_queries
    assert small_queries <= 30
