"""The PrestaShop adapter: ``PrestaShopShop`` over the webservice of PrestaShop 1.7, 8 and 9.

The client is imported when first named, so that the platform's descriptor and settings (all a
profile needs to be read and checked) load without it and its HTTP library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from comptoir.shop.prestashop.shop import PrestaShopShop

__all__ = ["PrestaShopShop"]


def __getattr__(name: str) -> object:
    if name == "PrestaShopShop":
        from comptoir.shop.prestashop.shop import PrestaShopShop

        return PrestaShopShop
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
