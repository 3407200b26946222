"""WooCommerce's routes: the shared route helpers, with handlers taking a ``Call``."""

from __future__ import annotations

from collections.abc import Callable

from comptoir.sandbox.core import routing
from comptoir.sandbox.core.routing import CREATE, DELETE, EDIT, READ, crud_routes
from comptoir.sandbox.woocommerce.calls import Call, Reply

Handler = Callable[[Call], Reply]
Route = routing.Route[Handler]

__all__ = ["CREATE", "DELETE", "EDIT", "READ", "Handler", "Route", "crud_routes", "route"]


def route(methods: frozenset[str], pattern: str, handler: Handler, permission: str) -> Route:
    """``pattern`` uses ``<id>``-style placeholders for integers and ``<slug:s>`` for slugs."""
    return routing.route(methods, pattern, handler, permission)
