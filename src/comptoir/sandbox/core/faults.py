"""Fault injection, switchable per test or from the CLI, for every platform's sandbox.

Rules match a route pattern (``fnmatch`` on the stats name, e.g. ``POST /wc/v3/products/batch``,
``PUT /api/products/<id>`` or ``*/variations/batch``) and fire with a probability (``rate``)
and/or a number of times (``count``), after letting the first ``after`` matches through.
Kinds: ``latency`` (fixed ``delay_ms`` plus random ``jitter_ms``), ``status`` (429 with
``Retry-After``, 500, 503…; nothing processed), ``timeout`` (the answer comes after ``hang_s``,
the request processed first when ``process`` is true), ``drop`` (the connection is closed
without an answer, after processing when ``process`` is true), ``bom`` (the answer, processed,
comes with a UTF-8 byte-order mark before its body, as from a WordPress site whose theme or
plugin file was saved with one), and ``item`` (one item of a
request carrying several — by index or SKU — answered with an error; each platform renders
that error its own way).
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field
from typing import Any

REQUEST_FAULTS = frozenset({"status", "timeout", "drop", "bom"})
"""Kinds that act on a whole request (one of them at most per request)."""


@dataclass
class FaultRule:
    kind: str
    route: str = "*"
    rate: float = 1.0
    count: int | None = None
    after: int = 0
    """Matches let through before the rule starts firing (a shop that fails midway)."""
    status: int = 503
    retry_after: float | None = None
    delay_ms: int = 0
    jitter_ms: int = 0
    hang_s: float = 5.0
    process: bool = True
    item_index: int | None = None
    item_sku: str | None = None
    operation: str | None = None
    code: str = ""
    """The platform's error code for an ``item`` fault (empty: the platform's default)."""
    message: str = "Injected failure."
    fired: int = field(default=0)
    seen: int = field(default=0)

    def matches(self, name: str) -> bool:
        return fnmatch.fnmatchcase(name, self.route)


class Faults:
    """The active fault rules of one sandbox."""

    def __init__(self, seed: int | None = None) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    # --- shorthands --------------------------------------------------------------------------
    def latency(self, delay_ms: int, jitter_ms: int = 0, route: str = "*") -> FaultRule:
        return self.add(FaultRule("latency", route, delay_ms=delay_ms, jitter_ms=jitter_ms))

    def status(
        self,
        status: int,
        *,
        route: str = "*",
        rate: float = 1.0,
        count: int | None = None,
        retry_after: float | None = None,
        after: int = 0,
    ) -> FaultRule:
        return self.add(
            FaultRule(
                "status", route, rate=rate, count=count, after=after, status=status, retry_after=retry_after
            )
        )

    def rate_limit(
        self, *, route: str = "*", rate: float = 1.0, count: int | None = None, retry_after: float = 1.0
    ) -> FaultRule:
        return self.status(429, route=route, rate=rate, count=count, retry_after=retry_after)

    def timeout(
        self,
        *,
        route: str = "*",
        rate: float = 1.0,
        count: int | None = None,
        hang_s: float = 5.0,
        process: bool = True,
    ) -> FaultRule:
        return self.add(FaultRule("timeout", route, rate=rate, count=count, hang_s=hang_s, process=process))

    def drop(
        self, *, route: str = "*", rate: float = 1.0, count: int | None = None, process: bool = False
    ) -> FaultRule:
        return self.add(FaultRule("drop", route, rate=rate, count=count, process=process))

    def fail_item(
        self,
        *,
        route: str = "*",
        index: int | None = None,
        sku: str | None = None,
        operation: str | None = None,
        count: int | None = None,
        code: str = "",
        message: str = "Injected failure.",
        status: int = 400,
    ) -> FaultRule:
        return self.add(
            FaultRule(
                "item",
                route,
                count=count,
                item_index=index,
                item_sku=sku,
                operation=operation,
                code=code,
                message=message,
                status=status,
            )
        )

    def bom(self, *, route: str = "*", count: int | None = None) -> FaultRule:
        return self.add(FaultRule("bom", route, count=count))

    # --- picking -----------------------------------------------------------------------------
    def _take(self, rule: FaultRule) -> bool:
        rule.seen += 1
        if rule.seen <= rule.after:
            return False
        if rule.count is not None and rule.fired >= rule.count:
            return False
        if rule.rate < 1.0 and self._random.random() >= rule.rate:
            return False
        rule.fired += 1
        return True

    def pick(self, name: str) -> tuple[float, FaultRule | None]:
        """Latency to add (seconds) and the request-level fault (``REQUEST_FAULTS``) to apply."""
        delay = 0.0
        chosen: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(name):
                    continue
                if rule.kind == "latency":
                    delay += (rule.delay_ms + self._random.uniform(0, rule.jitter_ms)) / 1000
                elif rule.kind in REQUEST_FAULTS and chosen is None and self._take(rule):
                    chosen = rule
        return delay, chosen

    def item_fault(self, name: str, operation: str, index: int, item: Any) -> FaultRule | None:
        """The ``item`` rule firing for this item of a request (its index, its ``sku``), if any."""
        with self._lock:
            for rule in self._rules:
                if rule.kind != "item" or not fnmatch.fnmatchcase(name, rule.route.split(" ", 1)[-1]):
                    continue
                if rule.operation is not None and rule.operation != operation:
                    continue
                if rule.item_index is not None and rule.item_index != index:
                    continue
                if rule.item_sku is not None and not (
                    isinstance(item, dict) and item.get("sku") == rule.item_sku
                ):
                    continue
                if self._take(rule):
                    return rule
        return None
