"""What every platform's sandbox shares: the record store, fault injection, request stats, a
movable clock, TLS files, routes with a CRUD helper, the ASGI plumbing and the local server.

A platform's simulator (``sandbox/woocommerce``, ``sandbox/prestashop``) supplies its routes,
its answers and its error shapes; this package supplies the rest.
"""

from comptoir.sandbox.core.clock import Clock
from comptoir.sandbox.core.faults import FaultRule, Faults
from comptoir.sandbox.core.stats import LoggedRequest, Stats
from comptoir.sandbox.core.store import Index, Record, Store

__all__ = ["Clock", "FaultRule", "Faults", "Index", "LoggedRequest", "Record", "Stats", "Store"]
