"""The PrestaShop adapter: ``PrestaShopShop`` over the webservice of PrestaShop 1.7, 8 and 9."""

from comptoir.shop.prestashop.shop import PrestaShopShop

__all__ = ["PrestaShopShop"]
