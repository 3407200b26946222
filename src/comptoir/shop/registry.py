"""Open the shop a profile names."""

from __future__ import annotations

from comptoir.profile import SecretResolver, ShopSettings
from comptoir.profile.models import ShopKind
from comptoir.shop.base import Shop


def open_shop(settings: ShopSettings, secrets: SecretResolver) -> Shop:
    """A client for the shop of ``settings``; call ``aclose()`` when done."""
    if settings.kind is ShopKind.WOOCOMMERCE:
        from comptoir.shop.woocommerce import WooCommerceShop

        return WooCommerceShop.from_settings(settings, secrets)
    raise ValueError(f"shop.kind: {settings.kind} is not supported")
