"""Pagination strategies: how an adapter reads a whole collection, whatever the platform's style.

- ``PageNumberPaging``: ``page``/``per_page`` with a total-pages header (WooCommerce's
  ``X-WP-TotalPages``): page 1 tells how many follow, the rest are read concurrently.
- ``OffsetLimitPaging``: an offset and a count (PrestaShop's ``limit=offset,count``), no total:
  pages are read in waves of ``parallel`` until one comes back short.
Cursor pagination (Shopify's GraphQL ``pageInfo``) will join them with the platform that needs it.
Items are de-duplicated by id (a collection that moves while it is read can repeat one).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

Page = tuple[list[dict[str, Any]], Mapping[str, str]]
"""A page's items and the answer's headers."""
GetPage = Callable[[dict[str, Any]], Awaitable[Page]]
"""Fetch one page given the paging parameters to add to the query."""


def unique_by_id(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[Any] = set()
    unique = []
    for item in items:
        key = item.get("id")
        if key is not None and key in seen:
            continue
        seen.add(key)
        unique.append(item)
    return unique


class PageNumberPaging:
    """``page=N&per_page=M``; the first answer's ``total_pages_header`` says how many pages."""

    def __init__(self, per_page: int, total_pages_header: str) -> None:
        self.per_page = per_page
        self.header = total_pages_header

    async def fetch_all(self, get: GetPage) -> list[dict[str, Any]]:
        first, headers = await get({"per_page": self.per_page, "page": 1})
        items = list(first)
        try:
            pages = int(headers.get(self.header, "1"))
        except ValueError:
            pages = 1
        if pages > 1:
            rest = await asyncio.gather(
                *(get({"per_page": self.per_page, "page": page}) for page in range(2, pages + 1))
            )
            for body, _ in rest:
                items.extend(body)
        return unique_by_id(items)


class OffsetLimitPaging:
    """``render(offset, count)`` gives the paging parameters (PrestaShop: ``limit=offset,count``)."""

    def __init__(
        self, count: int, render: Callable[[int, int], dict[str, Any]], *, parallel: int = 4
    ) -> None:
        self.count = count
        self.render = render
        self.parallel = max(parallel, 1)

    async def fetch_all(self, get: GetPage) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            wave = [offset + i * self.count for i in range(self.parallel)]
            pages = await asyncio.gather(*(get(self.render(start, self.count)) for start in wave))
            done = False
            for body, _ in pages:
                items.extend(body)
                if len(body) < self.count:
                    done = True
            if done:
                return unique_by_id(items)
            offset = wave[-1] + self.count
