"""Open a platform's adapter on its sandbox, through the descriptor, as a profile would."""

from __future__ import annotations

from typing import Any

from comptoir.profile import SecretResolver
from comptoir.shop.base import Shop
from comptoir.shop.platform import RunningSandbox, ShopPlatform

PREFIX = "CONTRACT_SHOP"


def open_shop(platform: ShopPlatform, sandbox: RunningSandbox, **http: Any) -> Shop:
    """The platform's adapter on its sandbox, through the descriptor as a profile would open it."""
    table = sandbox.shop_table(PREFIX)
    options = {"request_delay_ms": 0, "timeout": 10.0, **http}
    if sandbox.ca_file is not None:
        options["ca_file"] = str(sandbox.ca_file)
    settings = platform.settings.model_validate({**table, "http": options})
    return platform.open(settings, SecretResolver(environ=sandbox.secrets(PREFIX)))
