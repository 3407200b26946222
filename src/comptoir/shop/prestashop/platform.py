"""PrestaShop's descriptor: settings, factory, capabilities and sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from comptoir.shop.platform import (
    ContractConfig,
    RunningSandbox,
    SandboxCommand,
    SandboxOption,
    ShopCapabilities,
    ShopPlatform,
)
from comptoir.shop.prestashop.settings import PrestaShopSettings

if TYPE_CHECKING:
    from comptoir.profile import SecretResolver, ShopSettings
    from comptoir.shop.base import Shop


def open_prestashop(settings: ShopSettings, secrets: SecretResolver) -> Shop:
    from comptoir.shop.prestashop.shop import PrestaShopShop

    return PrestaShopShop.from_settings(cast(PrestaShopSettings, settings), secrets)


def start_sandbox(db_path: Path | None = None, *, latency_ms: int = 0, **options: Any) -> RunningSandbox:
    from comptoir.sandbox.prestashop.running import RunningPrestaShopSandbox

    return RunningPrestaShopSandbox.start(db_path, latency_ms=latency_ms, **options)


PLATFORM = ShopPlatform(
    kind="prestashop",
    label="PrestaShop",
    settings=PrestaShopSettings,
    open=open_prestashop,
    capabilities=ShopCapabilities(
        batch_size=1,
        variations=True,
        customer_groups=True,
        group_prices=True,
        customer_prices=True,
        quantity_breaks=True,
        images=True,
        bundles=True,
        order_notes=True,
        status_update=True,
    ),
    sandbox=start_sandbox,
    contract=ContractConfig(
        product_write_route="POST /api/products*",
        customer_write_route="POST /api/customers*",
        order_status="2",
    ),
    sandbox_command=SandboxCommand(
        "Run a PrestaShop webservice sandbox (1.7, 8 or 9) in the foreground until Ctrl-C.",
        8444,
        (SandboxOption("version", "PrestaShop version answered as: 1.7, 8 or 9.", "9", ("1.7", "8", "9")),),
    ),
)
