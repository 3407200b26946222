"""A WooCommerce REST API (wc/v3) simulator: HTTPS with a local certificate, WooCommerce's auth,
errors, pagination, batch limits and totals, SQLite or memory persistence, fault injection.

``SandboxServer`` serves it on 127.0.0.1 (tests, the demo, ``comptoir sandbox woocommerce``);
``SandboxApp`` is the ASGI application itself (``httpx.ASGITransport``).
"""

from comptoir.sandbox.woocommerce.app import SandboxApp
from comptoir.sandbox.woocommerce.faults import FaultRule, Faults
from comptoir.sandbox.woocommerce.server import SandboxServer
from comptoir.sandbox.woocommerce.stats import LoggedRequest, Stats
from comptoir.sandbox.woocommerce.store import Store

__all__ = ["FaultRule", "Faults", "LoggedRequest", "SandboxApp", "SandboxServer", "Stats", "Store"]
