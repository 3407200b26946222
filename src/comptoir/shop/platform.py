"""What a shop platform package declares: its settings, how to open it, what it can express,
and its sandbox (for the demo, the contract suite and anyone trying comptoir without a shop).

A job asks ``capabilities`` before sending what a platform cannot hold (customer prices,
per-warehouse quantities…) and journals what it left out, instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from comptoir.model import Article, Customer
    from comptoir.profile import SecretResolver, ShopSettings
    from comptoir.shop.base import Shop


@dataclass(frozen=True, slots=True)
class ShopCapabilities:
    """What a platform can express, natively or through the extension its docs name."""

    batch_size: int
    """Objects per write request; 1 when the platform has no batch endpoint."""
    variations: bool = True
    """Variable products with one variation per ERP article."""
    customer_groups: bool = False
    """Customers can be put in groups (from ERP price categories)."""
    group_prices: bool = False
    """A price per customer group and product."""
    customer_prices: bool = False
    """A price per customer and product."""
    quantity_breaks: bool = False
    """Prices from a minimum quantity."""
    per_warehouse_stock: bool = False
    """Quantities per warehouse can be stored with a product (per-location inventory or product data)."""
    order_notes: bool = False
    """Notes can be added to an order (status changes, ERP document numbers)."""
    attachments: bool = False
    """Documents (invoice PDFs, technical sheets) can be attached for the customer to find."""
    webhooks: bool = False
    """The shop can call comptoir back when something changes."""
    status_update: bool = False
    """An order's status can be changed through the API."""
    refunds: bool = False
    """Refunds can be read through the API."""


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """An order a sandbox's demo customer placed, and whether the demo profile imports it."""

    shop_id: str
    status: str
    total: Decimal
    expect_imported: bool
    payment_method: str = ""


class DemoShop(Protocol):
    """The demo's shop owner and customers, acting on a running sandbox through its API."""

    def set_up(self) -> None:
        """Taxes, a coupon, a web-only product and a web-registered customer (once)."""
        ...

    def place_orders(self, articles: Sequence[Article], customers: Sequence[Customer]) -> list[PlacedOrder]:
        """Place the demo's orders (once); says which the demo profile imports."""
        ...

    def profile_options(self) -> dict[str, Any]:
        """Profile tables the demo needs for this shop (order statuses, tax rates, payment methods)."""
        ...

    def close(self) -> None: ...


class RunningSandbox(Protocol):
    """A sandbox shop served on 127.0.0.1 until ``stop()``."""

    url: str
    ca_file: Path | None

    def shop_table(self, secret_prefix: str) -> dict[str, Any]:
        """The profile's ``[shop]`` table for this sandbox, secrets as ``env:<prefix>_…``."""
        ...

    def secrets(self, secret_prefix: str) -> dict[str, str]:
        """The secret values ``shop_table`` refers to, by variable name."""
        ...

    def demo(self) -> DemoShop: ...

    def stop(self) -> None: ...


SandboxFactory = Callable[..., "RunningSandbox"]
"""``factory(db_path=None, *, latency_ms=0)`` starts a sandbox (kept in ``db_path`` when given)."""


@dataclass(frozen=True)
class ShopPlatform:
    """The descriptor a shop platform package exports as ``PLATFORM``."""

    kind: str
    """The profile's ``shop.kind``."""
    label: str
    """The platform's name for people."""
    settings: type[ShopSettings]
    """The model validating the profile's ``[shop]`` table."""
    open: Callable[[ShopSettings, SecretResolver], Shop]
    """Open a connection from validated settings."""
    capabilities: ShopCapabilities
    sandbox: SandboxFactory
    """Start this platform's sandbox."""
