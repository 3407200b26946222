"""State shared by the sandbox's handlers: the store, the clock, and hooks for events and faults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from comptoir.sandbox.core.clock import now_utc
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.store import Store

ItemFault = Callable[[str, str, int, Any], WooError | None]
"""(route name, batch operation, item index, item) → an error to report for that item, or None."""


@dataclass
class Context:
    store: Store
    clock: Callable[[], datetime] = now_utc
    item_fault: ItemFault | None = None
    events: list[tuple[str, str, int]] = field(default_factory=list)
    """(resource, event, id) waiting for webhook delivery: ``("product", "created", 12)``."""
    currency: str = "EUR"
    base_country: str = "FR"

    def now(self) -> datetime:
        return self.clock()

    def emit(self, resource: str, event: str, ident: int) -> None:
        self.events.append((resource, event, ident))
