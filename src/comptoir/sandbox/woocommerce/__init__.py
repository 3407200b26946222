"""A WooCommerce REST API (wc/v3) simulator: HTTPS with a local certificate, WooCommerce's auth,
errors, pagination, batch limits and totals, SQLite or memory persistence, fault injection.

Built on the shared sandbox core (``comptoir.sandbox.core``: store, faults, stats, clock, TLS,
server). ``SandboxServer`` serves it on 127.0.0.1 (tests, the demo, ``comptoir sandbox
woocommerce``); ``SandboxApp`` is the ASGI application itself (``httpx.ASGITransport``).
"""

from comptoir.sandbox.core import Clock, FaultRule, Faults, LoggedRequest, Stats, Store
from comptoir.sandbox.woocommerce.app import SandboxApp
from comptoir.sandbox.woocommerce.server import SandboxServer

__all__ = ["Clock", "FaultRule", "Faults", "LoggedRequest", "SandboxApp", "SandboxServer", "Stats", "Store"]
