"""Request counters (total, by route, by status) and a request log, kept by every sandbox."""

from __future__ import annotations

import fnmatch
import threading
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    method: str
    path: str
    route: str
    status: int
    seconds: float
    items: int
    """Batch items in the request (0 for other requests)."""
    size: int = 0
    """Bytes of the request body (uploads included)."""


class Stats:
    def __init__(self, keep: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._keep = keep
        self.requests = 0
        self.bytes_received = 0
        """Request body bytes received so far (what clients uploaded)."""
        self.by_route: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()
        self.log: list[LoggedRequest] = []

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests += 1
            self.bytes_received += entry.size
            self.by_route[entry.route] += 1
            self.by_status[entry.status] += 1
            self.log.append(entry)
            if len(self.log) > self._keep:
                del self.log[: len(self.log) - self._keep]

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.bytes_received = 0
            self.by_route.clear()
            self.by_status.clear()
            self.log.clear()

    def count(self, route: str) -> int:
        """Requests to a route name such as ``POST /wc/v3/products/batch``."""
        with self._lock:
            return self.by_route[route]

    def count_matching(self, pattern: str) -> int:
        """Requests to the routes matching an ``fnmatch`` pattern (``POST */products*``)."""
        with self._lock:
            return sum(n for route, n in self.by_route.items() if fnmatch.fnmatchcase(route, pattern))
