"""WooCommerce's routes: the shared route helpers, with handlers taking a ``Call``.

A handler may be an ``Endpoint``: the callable plus the arguments WordPress validates before the
permission check (``args`` of ``register_rest_route``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from comptoir.sandbox.core import routing
from comptoir.sandbox.core.routing import CREATE, DELETE, EDIT, READ, crud_routes
from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.rest import Schema

Handler = Callable[[Call], Reply]
Route = routing.Route[Handler]

__all__ = ["CREATE", "DELETE", "EDIT", "READ", "Endpoint", "Handler", "Route", "crud_routes", "route"]


@dataclass(frozen=True)
class Endpoint:
    """A handler with its declared arguments; ``exists`` tells whether the addressed object
    exists (a guest asking for a missing one gets the handler's 404/400, not a 401, since
    WooCommerce's permission checks pass when there is no object to check)."""

    fn: Handler
    arguments: Mapping[str, Schema] | Callable[[], Mapping[str, Schema]] = field(default_factory=dict)
    """The arguments, or a function building them per request (schemas whose enums or defaults
    depend on the shop: tax classes, currency)."""
    exists: Callable[[Call], bool] | None = None

    def __call__(self, call: Call) -> Reply:
        return self.fn(call)

    @property
    def args(self) -> Mapping[str, Schema]:
        return self.arguments() if callable(self.arguments) else self.arguments


def route(
    methods: frozenset[str],
    pattern: str,
    handler: Handler,
    permission: str,
    args: Mapping[str, Schema] | Callable[[], Mapping[str, Schema]] | None = None,
    exists: Callable[[Call], bool] | None = None,
) -> Route:
    """``pattern`` uses ``<id>``-style placeholders for integers and ``<slug:s>`` for slugs."""
    if args is not None or exists is not None:
        handler = Endpoint(handler, args or {}, exists)
    return routing.route(methods, pattern, handler, permission)
