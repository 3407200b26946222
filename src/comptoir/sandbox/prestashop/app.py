"""The PrestaShop sandbox's ASGI application: the webservice under ``/api``, the sandbox-only
admin routes under ``/sandbox``, on the shared core (store, faults, stats, clock).

Stats and fault rules name requests by route with the resource spelled out:
``GET /api/products``, ``PUT /api/stock_availables/<id>``, ``POST /api/images/products/<id>``.
An injected 429/5xx is answered as the web server in front of PrestaShop would (PrestaShop has
no rate limit of its own): an HTML page, with ``Retry-After`` when the rule gives one. An
``item`` fault makes the matching entity of a write fail with PrestaShop's "Unable to save
resource" (500, code 46), matched by its ``reference`` as SKU.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from comptoir.sandbox.core.asgi import Answer, SandboxAsgi, Scope, origin, request_headers
from comptoir.sandbox.core.clock import now_utc
from comptoir.sandbox.core.faults import FaultRule, Faults
from comptoir.sandbox.core.routing import CREATE, DELETE, READ, REPLACE, Route, match, route
from comptoir.sandbox.core.stats import Stats
from comptoir.sandbox.core.store import Index, Store
from comptoir.sandbox.prestashop import admin, images, keys
from comptoir.sandbox.prestashop.entities import Hooks, Shop
from comptoir.sandbox.prestashop.errors import AUTH_REALM
from comptoir.sandbox.prestashop.hooks_catalog import (
    CategoryHooks,
    CombinationHooks,
    ProductHooks,
    StockHooks,
)
from comptoir.sandbox.prestashop.hooks_people import AddressHooks, CustomerHooks
from comptoir.sandbox.prestashop.hooks_sales import CarrierHooks, OrderHistoryHooks, OrderHooks
from comptoir.sandbox.prestashop.request import Incoming, WsRequest, auth_key
from comptoir.sandbox.prestashop.schema import IMAGE_ENTITY, SIMULATED
from comptoir.sandbox.prestashop.seed import seed
from comptoir.sandbox.prestashop.values import shop_time
from comptoir.sandbox.prestashop.versions import V9, Version

ADMIN_KEY = "sandbox_admin_key"
ANY = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
HOOKS: dict[str, type[Hooks]] = {
    "products": ProductHooks,
    "combinations": CombinationHooks,
    "stock_availables": StockHooks,
    "categories": CategoryHooks,
    "customers": CustomerHooks,
    "addresses": AddressHooks,
    "orders": OrderHooks,
    "order_histories": OrderHistoryHooks,
    "carriers": CarrierHooks,
}
INDEXES = (Index("ws_key", {"ws_key": "key"}),)

Handler = Callable[[Scope, bytes, dict[str, str]], Answer]

PAGES = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def open_store(path: Any = None) -> Store:
    return Store(path, INDEXES)


class PrestaShopApp(SandboxAsgi):
    """A PrestaShop webservice (1.7, 8 or 9) over a ``Store``."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        version: Version = V9,
        faults: Faults | None = None,
        stats: Stats | None = None,
        latency_ms: int = 0,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        super().__init__(store or open_store(), faults=faults, stats=stats, latency_ms=latency_ms)
        self.shop = Shop(self.store, lambda: shop_time(clock()), version, ["1", "2"])
        self.shop.hooks = {name: HOOKS.get(name, Hooks)(self.shop, spec) for name, spec in SIMULATED.items()}
        self.shop.hooks["images"] = Hooks(self.shop, IMAGE_ENTITY)
        self._request_name = threading.local()
        self.routes: list[Route[Handler]] = [
            route(ANY, "/api", self._webservice, "root"),
            route(READ, "/api/images/<kind:s>", self._webservice, "list"),
            route(ANY, "/api/images/<kind:s>/<id:s>", self._webservice, "view"),
            route(ANY, "/api/images/<kind:s>/<id:s>/<image:s>", self._webservice, "view"),
            route(READ, "/api/<resource:s>", self._webservice, "list"),
            route(CREATE, "/api/<resource:s>", self._webservice, "create"),
            route(REPLACE, "/api/<resource:s>", self._webservice, "edit"),
            route(DELETE, "/api/<resource:s>", self._webservice, "delete"),
            route(READ, "/api/<resource:s>/<id:s>", self._webservice, "view"),
            route(CREATE | REPLACE, "/api/<resource:s>/<id:s>", self._webservice, "edit"),
            route(DELETE, "/api/<resource:s>/<id:s>", self._webservice, "delete"),
            route(CREATE, "/sandbox/orders", self._admin_order, "admin"),
            route(CREATE, "/sandbox/keys", self._admin_key, "admin"),
            route(REPLACE, "/sandbox/keys/<key:s>", self._admin_key_state, "admin"),
            route(REPLACE, "/sandbox/configuration", self._admin_configuration, "admin"),
        ]
        with self.store.lock:
            seed(self.shop)
            if self.store.setting(ADMIN_KEY) is None:
                full = keys.full_access(version.resources, version.methods)
                self.store.set_setting(
                    ADMIN_KEY, keys.create(self.store, full, description="comptoir sandbox")
                )
            self.store.commit()

    @property
    def admin_key(self) -> str:
        return str(self.store.setting(ADMIN_KEY))

    # --- ASGI -------------------------------------------------------------------------------
    def route_name(self, method: str, path: str) -> tuple[str, Any]:
        found = match(self.routes, method, path.rstrip("/") or "/")
        if found is None:
            return f"{method} {path}", None
        spec, params = found
        name = spec.name
        for key in ("resource", "kind"):
            if key in params:
                name = name.replace(f"<{key}>", params[key])
        return f"{method} {name}", found

    def fault_answer(self, fault: FaultRule) -> Answer:
        title = PAGES.get(fault.status, "Error")
        page = f"<html><head><title>{fault.status} {title}</title></head><body><h1>{title}</h1></body></html>"
        headers = {"Content-Type": "text/html; charset=iso-8859-1"}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        return Answer(fault.status, page.encode(), headers)

    def handle(self, scope: Scope, body: bytes, routed: Any) -> Answer:
        if routed is None:
            return Answer(404, b"<html><body><h1>Not Found</h1></body></html>", {"Content-Type": "text/html"})
        spec, params = routed
        handler: Handler = spec.handler
        with self.store.lock:
            self._request_name.value = self.route_name(scope["method"], scope["path"])[0]
            try:
                return handler(scope, body, params)
            finally:
                self.store.commit()

    # --- the webservice -----------------------------------------------------------------------
    def _webservice(self, scope: Scope, body: bytes, params: dict[str, str]) -> Answer:
        path = scope["path"][len("/api") :].strip("/")
        incoming = Incoming(
            method=scope["method"],
            segments=path.split("/") if path else [""],
            pairs=parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True),
            headers=request_headers(scope),
            body=body,
            ws_url=f"{origin(scope)}/api/",
            images=images.manage,
        )
        self.shop.item_fault = self._item_fault
        result = WsRequest(self.shop, incoming).run()
        return Answer(result.status, result.body, result.headers)

    def _item_fault(self, index: int, reference: str) -> FaultRule | None:
        name = getattr(self._request_name, "value", "")
        operation = name.split(" ", 1)[0].lower()
        return self.faults.item_fault(name.split(" ", 1)[-1], operation, index, {"sku": reference})

    # --- sandbox-only routes ------------------------------------------------------------------
    def _authorised(self, scope: Scope) -> bool:
        incoming = Incoming("GET", [], [], request_headers(scope), b"", "")
        return auth_key(incoming, {}) == self.admin_key

    def _admin(self, scope: Scope, body: bytes, work: Callable[[dict[str, Any]], Any]) -> Answer:
        headers = {"Content-Type": "application/json"}
        if not self._authorised(scope):
            payload = {"error": "the sandbox admin key is needed (Basic, key as user name)"}
            return Answer(401, json.dumps(payload).encode(), {**headers, "WWW-Authenticate": AUTH_REALM})
        try:
            data = json.loads(body or b"{}")
            if not isinstance(data, dict):
                raise admin.AdminError("a JSON object is expected")
            result = work(data)
        except ValueError as exc:
            return Answer(400, json.dumps({"error": f"invalid JSON: {exc}"}).encode(), headers)
        except admin.AdminError as exc:
            return Answer(exc.status, json.dumps({"error": str(exc)}).encode(), headers)
        return Answer(200, json.dumps(result).encode(), headers)

    def _admin_order(self, scope: Scope, body: bytes, params: dict[str, str]) -> Answer:
        def work(data: dict[str, Any]) -> Any:
            order = admin.place_order(self.shop, data)
            return {"id": order["id"], "reference": order["reference"], "total_paid": order["total_paid"]}

        return self._admin(scope, body, work)

    def _admin_key(self, scope: Scope, body: bytes, params: dict[str, str]) -> Answer:
        return self._admin(scope, body, lambda data: {"key": admin.create_key(self.shop, data)})

    def _admin_key_state(self, scope: Scope, body: bytes, params: dict[str, str]) -> Answer:
        def work(data: dict[str, Any]) -> Any:
            try:
                keys.set_active(self.store, params["key"], bool(data.get("active", True)))
            except KeyError:
                raise admin.AdminError(f"unknown key {params['key']}", 404) from None
            return {"key": params["key"], "active": bool(data.get("active", True))}

        return self._admin(scope, body, work)

    def _admin_configuration(self, scope: Scope, body: bytes, params: dict[str, str]) -> Answer:
        def work(data: dict[str, Any]) -> Any:
            admin.configure(self.shop, data)
            return {"configured": sorted(data)}

        return self._admin(scope, body, work)
