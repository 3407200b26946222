"""A PrestaShop webservice simulator (1.7, 8 and 9): ``ws_key`` authentication and its errors,
XML and JSON output with each version's quirks, filters, display, sort and limit, XML-only
writes validated as the classes' definitions say, stock rows made with products and
combinations, order totals computed as PrestaShop computes them, images, fault injection and
latency from the shared sandbox core.

``PrestaShopSandbox`` serves it on 127.0.0.1 (tests, ``comptoir sandbox prestashop``);
``PrestaShopApp`` is the ASGI application itself. See docs/shops/prestashop.md.
"""

from comptoir.sandbox.prestashop.app import PrestaShopApp
from comptoir.sandbox.prestashop.server import PrestaShopSandbox
from comptoir.sandbox.prestashop.versions import V1_7, V8, V9, VERSIONS, Version

__all__ = ["V1_7", "V8", "V9", "VERSIONS", "PrestaShopApp", "PrestaShopSandbox", "Version"]
