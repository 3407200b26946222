"""WooCommerce's descriptor: settings, factory, capabilities and sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from comptoir.shop.platform import (
    ContractConfig,
    RunningSandbox,
    SandboxCommand,
    ShopCapabilities,
    ShopPlatform,
)
from comptoir.shop.woocommerce.settings import WooCommerceSettings

if TYPE_CHECKING:
    from comptoir.profile import SecretResolver, ShopSettings
    from comptoir.shop.base import Shop


def open_woocommerce(settings: ShopSettings, secrets: SecretResolver) -> Shop:
    from comptoir.shop.woocommerce.shop import WooCommerceShop

    return WooCommerceShop.from_settings(cast(WooCommerceSettings, settings), secrets)


def start_sandbox(db_path: Path | None = None, *, latency_ms: int = 0, **options: Any) -> RunningSandbox:
    from comptoir.sandbox.woocommerce.running import RunningWooSandbox

    return RunningWooSandbox.start(db_path, latency_ms=latency_ms, **options)


PLATFORM = ShopPlatform(
    kind="woocommerce",
    label="WooCommerce",
    settings=WooCommerceSettings,
    open=open_woocommerce,
    capabilities=ShopCapabilities(
        batch_size=100,
        variations=True,
        customer_groups=True,
        group_prices=True,
        customer_prices=True,
        quantity_breaks=True,
        per_warehouse_stock=True,
        images=True,
        features=True,
        bundles=True,
        product_documents=True,
        order_notes=True,
        attachments=True,
        status_update=True,
        refunds=True,
    ),
    sandbox=start_sandbox,
    contract=ContractConfig(
        product_write_route="POST /wc/v3/products*",
        customer_write_route="POST /wc/v3/customers*",
        order_status="processing",
    ),
    sandbox_command=SandboxCommand(
        "Run a WooCommerce REST API (wc/v3) sandbox in the foreground until Ctrl-C "
        "(--http: plain HTTP, clients sign with OAuth 1.0a).",
        8443,
    ),
)
