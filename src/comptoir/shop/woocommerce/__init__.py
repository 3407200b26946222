"""The WooCommerce adapter: ``WooCommerceShop`` over the REST API v3 (wc/v3)."""

from comptoir.shop.woocommerce.shop import WooCommerceShop

__all__ = ["WooCommerceShop"]
