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
    site_url: str = "https://127.0.0.1"

    def now(self) -> datetime:
        return self.clock()

    def rest_url(self, path: str) -> str:
        """``rest_url``: ``<site>/wp-json/<path>``."""
        return f"{self.site_url}/wp-json/{path.lstrip('/')}"

    def option(self, name: str) -> Any:
        """A WordPress option (``get_option``), from the shop's settings or WooCommerce's default."""
        from comptoir.sandbox.woocommerce.resources.settings import option

        return option(self.store, name)

    @property
    def currency(self) -> str:
        return str(self.option("woocommerce_currency"))

    @property
    def base_country(self) -> str:
        return str(self.option("woocommerce_default_country")).split(":", 1)[0]

    @property
    def taxes_enabled(self) -> bool:
        """``wc_tax_enabled``."""
        return bool(self.option("woocommerce_calc_taxes") == "yes")

    @property
    def prices_include_tax(self) -> bool:
        """``wc_prices_include_tax``: only when taxes are enabled."""
        return self.taxes_enabled and bool(self.option("woocommerce_prices_include_tax") == "yes")

    @property
    def decimals(self) -> int:
        """``wc_get_price_decimals``."""
        try:
            return max(0, int(self.option("woocommerce_price_num_decimals")))
        except (TypeError, ValueError):
            return 2

    def emit(self, resource: str, event: str, ident: int) -> None:
        self.events.append((resource, event, ident))
