"""``/system_status`` (WC_REST_System_Status_Controller, wc/v3): the report's sections with the
fields a connector reads (versions, site URLs, currency and its format, taxonomies, page ids…).

Partial: the values describing a server (PHP limits, database tables, plugins) are fixed,
plausible ones; the tools (``/system_status/tools``) are absent.
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.resources.routing import READ, Route, route
from comptoir.sandbox.woocommerce.schemas import CONTEXT

WC_VERSION = "10.4.0"
WP_VERSION = "6.9"
ORDERS_DATASTORE = "Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\OrdersTableDataStore"
SYMBOLS = {"EUR": "&euro;", "USD": "&#36;", "GBP": "&pound;", "CHF": "&#67;&#72;&#70;"}


class SystemStatus:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def report(self) -> dict[str, Any]:
        site = self.ctx.site_url
        option = self.ctx.option
        counts: dict[str, int] = {}
        for kind, post_type in (
            ("product", "product"),
            ("variation", "product_variation"),
            ("order", "shop_order"),
            ("coupon", "shop_coupon"),
        ):
            counts[post_type] = self.store.count(kind)
        return {
            "environment": {
                "home_url": site,
                "site_url": site,
                "store_id": self.store.setting("store_id", ""),
                "version": WC_VERSION,
                "log_directory": "/var/www/html/wp-content/uploads/wc-logs/",
                "log_directory_writable": True,
                "wp_version": WP_VERSION,
                "wp_multisite": False,
                "wp_memory_limit": 268435456,
                "wp_debug_mode": False,
                "wp_cron": True,
                "language": "fr_FR",
                "external_object_cache": None,
                "server_info": "comptoir sandbox",
                "php_version": "8.3.0",
                "php_post_max_size": 67108864,
                "php_max_execution_time": 30,
                "php_max_input_vars": 1000,
                "curl_version": "8.5.0, OpenSSL/3.0.13",
                "suhosin_installed": False,
                "max_upload_size": 67108864,
                "mysql_version": "8.0.36",
                "mysql_version_string": "8.0.36",
                "default_timezone": "UTC",
                "fsockopen_or_curl_enabled": True,
                "soapclient_enabled": True,
                "domdocument_enabled": True,
                "gzip_enabled": True,
                "mbstring_enabled": True,
                "remote_post_successful": True,
                "remote_post_response": 200,
                "remote_get_successful": True,
                "remote_get_response": 200,
                "wp_environment_type": "production",
            },
            "database": {
                "wc_database_version": WC_VERSION,
                "database_prefix": "wp_",
                "database_tables": {},
                "database_size": {},
            },
            "active_plugins": [
                {
                    "plugin": "woocommerce/woocommerce.php",
                    "name": "WooCommerce",
                    "version": WC_VERSION,
                    "version_latest": WC_VERSION,
                    "url": "https://woocommerce.com/",
                    "author_name": "Automattic",
                    "author_url": "https://woocommerce.com",
                    "network_activated": False,
                }
            ],
            "inactive_plugins": [],
            "dropins_mu_plugins": {"dropins": [], "mu_plugins": []},
            "theme": {
                "name": "Storefront",
                "version": "4.6.0",
                "version_latest": "4.6.0",
                "author_url": "https://woocommerce.com/",
                "is_child_theme": False,
                "is_block_theme": False,
                "has_woocommerce_support": True,
                "has_woocommerce_file": False,
                "has_outdated_templates": False,
                "overrides": [],
                "parent_name": "",
                "parent_version": "",
                "parent_version_latest": "",
                "parent_author_url": "",
            },
            "settings": {
                "api_enabled": True,
                "force_ssl": False,
                "currency": self.ctx.currency,
                "currency_symbol": SYMBOLS.get(self.ctx.currency, self.ctx.currency),
                "currency_position": option("woocommerce_currency_pos"),
                "thousand_separator": option("woocommerce_price_thousand_sep"),
                "decimal_separator": option("woocommerce_price_decimal_sep"),
                "number_of_decimals": self.ctx.decimals,
                "geolocation_enabled": False,
                "taxonomies": {
                    "external": "external",
                    "grouped": "grouped",
                    "simple": "simple",
                    "variable": "variable",
                },
                "product_visibility_terms": {
                    "exclude-from-catalog": "exclude-from-catalog",
                    "exclude-from-search": "exclude-from-search",
                    "featured": "featured",
                    "outofstock": "outofstock",
                },
                "woocommerce_com_connected": "no",
                "enforce_approved_download_dirs": True,
                "order_datastore": ORDERS_DATASTORE,
                "HPOS_enabled": True,
                "HPOS_sync_enabled": False,
            },
            "security": {"secure_connection": site.startswith("https://"), "hide_errors": True},
            "pages": [
                {
                    "page_name": "Shop base",
                    "page_id": "5",
                    "page_set": True,
                    "page_exists": True,
                    "page_visible": True,
                    "shortcode": "",
                    "block": "",
                    "shortcode_required": False,
                    "shortcode_present": False,
                    "block_present": False,
                    "block_required": False,
                },
                {
                    "page_name": "Cart",
                    "page_id": "6",
                    "page_set": True,
                    "page_exists": True,
                    "page_visible": True,
                    "shortcode": "[woocommerce_cart]",
                    "block": "woocommerce/cart",
                    "shortcode_required": False,
                    "shortcode_present": False,
                    "block_present": True,
                    "block_required": True,
                },
                {
                    "page_name": "Checkout",
                    "page_id": "7",
                    "page_set": True,
                    "page_exists": True,
                    "page_visible": True,
                    "shortcode": "[woocommerce_checkout]",
                    "block": "woocommerce/checkout",
                    "shortcode_required": False,
                    "shortcode_present": False,
                    "block_present": True,
                    "block_required": True,
                },
                {
                    "page_name": "My account",
                    "page_id": "8",
                    "page_set": True,
                    "page_exists": True,
                    "page_visible": True,
                    "shortcode": "[woocommerce_my_account]",
                    "block": "",
                    "shortcode_required": True,
                    "shortcode_present": True,
                    "block_present": False,
                    "block_required": False,
                },
            ],
            "post_type_counts": [{"type": t, "count": str(n)} for t, n in counts.items()],
            "logging": {
                "logging_enabled": True,
                "default_handler": "Automattic\\WooCommerce\\Internal\\Admin\\Logging\\LogHandlerFileV2",
                "retention_period_days": 30,
                "level_threshold": "none",
                "log_directory_size": "0 B",
            },
        }

    def routes(self) -> list[Route]:
        return [
            route(READ, "/wc/v3/system_status", lambda c: Reply(self.report()), "list", {"context": CONTEXT})
        ]
