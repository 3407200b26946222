"""The WooCommerce adapter: ``WooCommerceShop`` over the REST API v3 (wc/v3).

The client is imported when first named, so that the platform's descriptor and settings (all a
profile needs to be read and checked) load without it and its HTTP library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from comptoir.shop.woocommerce.shop import WooCommerceShop

__all__ = ["WooCommerceShop"]


def __getattr__(name: str) -> object:
    if name == "WooCommerceShop":
        from comptoir.shop.woocommerce.shop import WooCommerceShop

        return WooCommerceShop
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
