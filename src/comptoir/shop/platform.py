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
    from comptoir.sandbox.core.clock import Clock
    from comptoir.sandbox.core.faults import Faults
    from comptoir.sandbox.core.stats import Stats
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
    images: bool = False
    """Product images can be uploaded as files (``Shop.save_media`` with images)."""
    features: bool = False
    """Features (name, value) can be shown on products."""
    bundles: bool = False
    """Products made of other products (packs, grouped products) can be created."""
    product_documents: bool = False
    """Documents can be attached to products (``Shop.save_media`` with documents)."""
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
    """A sandbox shop served on 127.0.0.1 (or the host asked for) until ``stop()``.

    Besides what a profile needs to reach it, it gives tests what the shared contract suite
    uses: fault injection, a clock to move, request counts, and a customer placing orders."""

    url: str
    ca_file: Path | None
    faults: Faults
    clock: Clock
    stats: Stats

    def place_order(self, email: str, lines: Sequence[tuple[str, int]], status: str) -> str:
        """A customer's order of these SKUs and quantities, in a shop status; its shop id."""
        ...

    def count_sku(self, sku: str) -> int:
        """How many products or variations hold this SKU (trash excluded): never more than 1."""
        ...

    def shop_table(self, secret_prefix: str) -> dict[str, Any]:
        """The profile's ``[shop]`` table for this sandbox, secrets as ``env:<prefix>_…``."""
        ...

    def secrets(self, secret_prefix: str) -> dict[str, str]:
        """The secret values ``shop_table`` refers to, by variable name."""
        ...

    def demo(self) -> DemoShop: ...

    def describe(self) -> list[str]:
        """Lines telling a person where the API is (``comptoir sandbox <kind>`` prints them)."""
        ...

    def stop(self) -> None: ...


SandboxFactory = Callable[..., "RunningSandbox"]
"""``factory(db_path=None, *, latency_ms=0, host="127.0.0.1", port=0, tls=True, **options)`` starts
a sandbox (kept in ``db_path`` when given); ``options`` are the platform's ``SandboxCommand``
options."""


@dataclass(frozen=True, slots=True)
class SandboxOption:
    """An option of ``comptoir sandbox <kind>`` only this platform has (PrestaShop's ``--version``)."""

    name: str
    """The factory's keyword (``version``); the command line spells it ``--version``."""
    help: str
    default: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SandboxCommand:
    """How ``comptoir sandbox <kind>`` presents this platform's sandbox."""

    help: str
    port: int
    """Default port (0: any free port)."""
    options: tuple[SandboxOption, ...] = ()


@dataclass(frozen=True, slots=True)
class ContractConfig:
    """What the shared shop contract suite needs to know of a platform's sandbox."""

    product_write_route: str
    """Fault-rule route pattern of the requests creating or updating products."""
    customer_write_route: str
    """Fault-rule route pattern of the requests creating or updating customers."""
    order_status: str
    """A status of the platform that orders to import are in."""


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
    contract: ContractConfig
    """How the shared contract suite drives the sandbox."""
    sandbox_command: SandboxCommand = SandboxCommand("Run this platform's sandbox until Ctrl-C.", 0)
    """What ``comptoir sandbox <kind>`` says and takes."""
