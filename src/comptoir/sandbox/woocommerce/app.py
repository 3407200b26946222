"""The sandbox's ASGI application: routing, authentication, faults, stats, persistence.

Usable directly with ``httpx.ASGITransport`` or served by ``SandboxServer``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime
from email.parser import BytesParser
from email.policy import default as email_policy
from typing import Any
from urllib.parse import parse_qsl

from comptoir.sandbox.core.asgi import Answer, SandboxAsgi, Scope, origin, request_headers
from comptoir.sandbox.core.clock import now_utc
from comptoir.sandbox.core.faults import FaultRule, Faults
from comptoir.sandbox.core.routing import match
from comptoir.sandbox.core.stats import Stats
from comptoir.sandbox.woocommerce.auth import (
    BASIC_REALM,
    Authenticator,
    RequestAuth,
    create_app_password,
    create_key,
)
from comptoir.sandbox.woocommerce.calls import Call, Principal, Query, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, no_route
from comptoir.sandbox.woocommerce.resources.coupons import Coupons
from comptoir.sandbox.woocommerce.resources.csp import CustomerPricing
from comptoir.sandbox.woocommerce.resources.customers import Customers
from comptoir.sandbox.woocommerce.resources.gateways import Gateways
from comptoir.sandbox.woocommerce.resources.media import Media
from comptoir.sandbox.woocommerce.resources.orders import Orders
from comptoir.sandbox.woocommerce.resources.products import Catalog
from comptoir.sandbox.woocommerce.resources.routing import Route
from comptoir.sandbox.woocommerce.resources.settings import Settings
from comptoir.sandbox.woocommerce.resources.system_status import SystemStatus
from comptoir.sandbox.woocommerce.resources.taxes import Taxes
from comptoir.sandbox.woocommerce.resources.terms import Terms
from comptoir.sandbox.woocommerce.resources.webhooks import Delivery, Webhooks
from comptoir.sandbox.woocommerce.rest import Request, check_args, filter_fields, parse_json_body, php_parse
from comptoir.sandbox.woocommerce.store import Store, open_store
from comptoir.sandbox.woocommerce.text import wp_json

GUEST_REFUSALS = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}
GUEST_REFUSALS["wp_create"] = (
    "rest_cannot_create",
    "Sorry, you are not allowed to create posts as this user.",
)
GUEST_REFUSALS["wp_delete"] = ("rest_cannot_delete", "Sorry, you are not allowed to delete this post.")
KEY_SETTING = "sandbox_keys"


class SandboxApp(SandboxAsgi):
    """A WooCommerce REST API (wc/v3) over a ``Store``."""

    def __init__(
        self,
        store: Store | None = None,
        *,
        faults: Faults | None = None,
        stats: Stats | None = None,
        latency_ms: int = 0,
        clock: Callable[[], datetime] = now_utc,
        site_url: str = "https://127.0.0.1",
    ) -> None:
        super().__init__(store or open_store(None), faults=faults, stats=stats, latency_ms=latency_ms)
        self.site_url = site_url
        self.ctx = Context(self.store, clock=clock, item_fault=self._item_fault, site_url=site_url)
        self.authenticator = Authenticator(self.store)
        self.media = Media(self.ctx, lambda: self.site_url)
        self.catalog = Catalog(self.ctx, self.media, lambda: [c["slug"] for c in self.taxes.classes()[1:]])
        self.terms = Terms(self.ctx, self.media)
        self.customers = Customers(self.ctx)
        self.taxes = Taxes(self.ctx)
        self.coupons = Coupons(self.ctx)
        self.gateways = Gateways(self.ctx)
        self.orders = Orders(self.ctx, self.catalog, self.taxes, self.coupons)
        self.pricing = CustomerPricing(self.ctx)
        self.webhooks = Webhooks(self.ctx, lambda: self.site_url)
        self.settings = Settings(self.ctx, self.taxes.classes)
        self.system_status = SystemStatus(self.ctx)
        self.routes: list[Route] = [
            *self.catalog.routes(),
            *self.terms.routes(),
            *self.customers.routes(),
            *self.taxes.routes(),
            *self.coupons.routes(),
            *self.gateways.routes(),
            *self.orders.routes(),
            *self.pricing.routes(),
            *self.webhooks.routes(),
            *self.settings.routes(),
            *self.system_status.routes(),
            *self.media.routes(lambda c: self.media.upload(c, *_upload_body(c))),
        ]
        self.webhook_verify: Any = True
        self._tasks: set[asyncio.Task[None]] = set()
        with self.store.lock:
            self.terms.ensure_defaults()
            self.customers.ensure_defaults()
            self.taxes.ensure_defaults()
            self.gateways.ensure_defaults()
            keys = self.store.setting(KEY_SETTING)
            if keys is None:
                ck, cs = create_key(self.store, "read_write", "comptoir sandbox")
                self.store.set_setting(KEY_SETTING, {"consumer_key": ck, "consumer_secret": cs})
            self.store.commit()

    @property
    def consumer_key(self) -> str:
        return str(self.store.setting(KEY_SETTING)["consumer_key"])

    @property
    def consumer_secret(self) -> str:
        return str(self.store.setting(KEY_SETTING)["consumer_secret"])

    def create_app_password(self, user_id: int = 1, name: str = "comptoir") -> tuple[str, str]:
        """A WordPress application password for a user: ``(login, password)``."""
        with self.store.lock:
            password = create_app_password(self.store, user_id, name)
            user = self.store.get("user", user_id)
            self.store.commit()
        return (str(user["username"]) if user else "admin"), password

    def create_key(self, permissions: str = "read", description: str = "") -> tuple[str, str]:
        """A new key pair with ``read``, ``write`` or ``read_write`` permissions."""
        with self.store.lock:
            pair = create_key(self.store, permissions, description)
            self.store.commit()
        return pair

    def _item_fault(self, name: str, operation: str, index: int, item: Any) -> WooError | None:
        rule = self.faults.item_fault(name, operation, index, item)
        if rule is None:
            return None
        return WooError(rule.code or "woocommerce_rest_cannot_create", rule.message, rule.status)

    # --- ASGI --------------------------------------------------------------------------------
    def route_name(self, method: str, path: str) -> tuple[str, Any]:
        rest_path = path[len("/wp-json") :] if path.startswith("/wp-json") else None
        found = match(self.routes, method, rest_path) if rest_path is not None else None
        name = f"{method} {found[0].name}" if found else f"{method} {rest_path or path}"
        return name, (rest_path, found)

    def items_in(self, name: str, body: bytes) -> int:
        return _batch_size(body) if name.endswith("/batch") else 0

    def fault_answer(self, fault: FaultRule) -> Answer:
        status, payload, headers = _fault_reply(fault)
        return Answer(status, payload, headers)

    def handle(self, scope: Scope, body: bytes, routed: Any) -> Answer:
        rest_path, found = routed
        status, payload, headers, deliveries = self._handle(scope, scope["method"], rest_path, found, body)
        return Answer(status, payload, headers, (lambda: self._deliver(deliveries)) if deliveries else None)

    def _deliver(self, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        task = asyncio.get_running_loop().create_task(self.webhooks.send(deliveries, self.webhook_verify))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for webhook deliveries in flight."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- dispatch ----------------------------------------------------------------------------
    def _handle(
        self,
        scope: Scope,
        method: str,
        rest_path: str | None,
        match: tuple[Route, dict[str, str]] | None,
        body: bytes,
    ) -> tuple[int, bytes, dict[str, str], list[Delivery]]:
        headers = {"Content-Type": "application/json; charset=UTF-8"}
        if rest_path is None:
            found_file = (
                self.media.file_at(scope["path"][len("/wp-content/uploads/") :])
                if scope["path"].startswith("/wp-content/uploads/") and method in ("GET", "HEAD")
                else None
            )
            if found_file is not None:
                data, mime = found_file
                return 200, (b"" if method == "HEAD" else data), {"Content-Type": mime}, []
            return 404, b"<html><body><h1>Not Found</h1></body></html>", {"Content-Type": "text/html"}, []
        if rest_path.rstrip("/") in ("", "/wc/v3", "/wp/v2"):
            return 200, wp_json(self._index(rest_path)), headers, []
        query_pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        raw_headers = request_headers(scope)
        content_type = raw_headers.get("content-type", "").lower()
        form: list[tuple[str, str]] = []
        if "application/x-www-form-urlencoded" in content_type:
            form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        https = scope.get("scheme") == "https"
        auth = RequestAuth(
            method=method,
            https=https,
            url_without_query=f"{self._origin(scope)}/wp-json{rest_path}",
            query=query_pairs,
            form=form,
            authorization=raw_headers.get("authorization"),
            wc_route=rest_path.startswith("/wc/"),
        )
        query = php_parse(query_pairs)
        try:
            with self.store.lock:
                try:
                    principal = self.authenticator.authenticate(auth)
                except WooError as exc:
                    extra = {"WWW-Authenticate": BASIC_REALM} if https else {}
                    return exc.status, wp_json(exc.body()), {**headers, **extra}, []
                if match is None:
                    raise no_route()
                found, params = match
                json_body = parse_json_body(body) if _is_json(content_type) else None
                request = Request(method, dict(params), query, php_parse(form), json_body)
                call = Call(
                    method,
                    params,
                    Query(query_pairs),
                    json_body if json_body is not None else request.body,
                    principal,
                    self._origin(scope),
                    rest_path,
                    request,
                    body,
                    raw_headers,
                )
                reply = self._dispatch(found, call, principal)
                events, self.ctx.events = self.ctx.events, []
                deliveries = self.webhooks.deliveries(events, self._render_for_webhook)
                self.store.commit()
        except WooError as exc:
            with self.store.lock:
                self.ctx.events = []
                self.store.commit()
            return (*self._shape(query, exc.status, exc.body(), headers, error=True), [])
        if "_fields" in query:
            reply.body = filter_fields(reply.body, query["_fields"])
        status, payload, out_headers = self._shape(
            query, reply.status, reply.body, {**headers, **reply.headers}
        )
        return status, (b"" if method == "HEAD" else payload), out_headers, deliveries

    @staticmethod
    def _shape(
        query: dict[str, Any], status: int, data: Any, headers: dict[str, str], *, error: bool = False
    ) -> tuple[int, bytes, dict[str, str]]:
        """``_envelope``: the answer wrapped as ``{body, status, headers}`` under a 200."""
        if "_envelope" not in query:
            return status, wp_json(data), headers
        shown = {k: v for k, v in headers.items() if k != "Content-Type"}
        return 200, wp_json({"body": data, "status": status, "headers": shown}), headers

    def _dispatch(self, found: Route, call: Call, principal: Principal) -> Reply:
        handler = found.handler
        check_args(call.request, getattr(handler, "args", {}))
        if principal.is_guest and found.permission != "public":
            code, message = GUEST_REFUSALS.get(found.permission, GUEST_REFUSALS["view"])
            if found.permission == "view":
                # A single GET of an unknown id answers 404 before the permission check.
                handler(call)
            exists = getattr(handler, "exists", None)
            if exists is not None and not exists(call):
                return handler(call)
            raise WooError(code, message, 401)
        return handler(call)

    def _origin(self, scope: Scope) -> str:
        return origin(scope)

    def _index(self, rest_path: str) -> dict[str, Any]:
        """``GET /wp-json/`` (every namespace) or ``GET /wp-json/<namespace>``."""
        wanted = rest_path.strip("/")
        routes: dict[str, Any] = {}
        namespaces: list[str] = []
        for item in self.routes:
            path = "/" + item.name.lstrip("/")
            namespace = "/".join(path.strip("/").split("/")[:2])
            if namespace not in namespaces:
                namespaces.append(namespace)
            if wanted and namespace != wanted:
                continue
            routes.setdefault(path, {"namespace": namespace, "methods": []})
            for m in sorted(item.methods):
                if m not in routes[path]["methods"]:
                    routes[path]["methods"].append(m)
        if not wanted:
            return {
                "name": "comptoir sandbox",
                "url": self.site_url,
                "namespaces": namespaces,
                "routes": routes,
            }
        return {"namespace": wanted, "routes": routes}

    def _render_for_webhook(self, resource: str, ident: int) -> Any:
        if resource == "product":
            product = self.store.get("product", ident)
            if product is not None:
                return None if product["status"] == "draft" else self.catalog.render_product(product)
            variation = self.store.get("variation", ident)
            return self.catalog.render_as_product(variation) if variation else None
        if resource == "order":
            order = self.store.get("order", ident)
            return self.orders.render(order) if order else None
        if resource == "customer":
            user = self.store.get("user", ident)
            return self.customers.render(user) if user else None
        if resource == "coupon":
            coupon = self.store.get("coupon", ident)
            return self.coupons.render(coupon) if coupon else None
        return None


def _upload_body(call: Call) -> tuple[bytes, dict[str, str]]:
    """The file of a media upload: the raw body with its headers, or the ``file`` part of a
    ``multipart/form-data`` body (``$_FILES['file']``)."""
    content_type = call.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return call.raw_body, call.headers
    message = BytesParser(policy=email_policy).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + call.raw_body
    )
    for part in message.iter_parts() if message.is_multipart() else []:
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            return (payload if isinstance(payload, bytes) else b""), {
                "content-type": part.get_content_type(),
                "content-disposition": str(part.get("content-disposition", "")),
            }
    return b"", {}


def _is_json(content_type: str) -> bool:
    """``wp_is_json_media_type``: ``application/json`` or any ``+json`` type."""
    media = content_type.split(";", 1)[0].strip()
    return media == "application/json" or media.endswith("+json")


def _batch_size(body: bytes) -> int:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return 0
    if not isinstance(data, dict):
        return 0
    return sum(len(v) for k, v in data.items() if k in ("create", "update", "delete") and isinstance(v, list))


def _fault_reply(fault: FaultRule) -> tuple[int, bytes, dict[str, str]]:
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = f"{fault.retry_after:g}"
    if fault.status == 429:
        body = {"code": "rest_too_many_requests", "message": "Too many requests.", "data": {"status": 429}}
        return 429, wp_json(body), {"Content-Type": "application/json; charset=UTF-8", **headers}
    if fault.status == 503:
        page = b"<!DOCTYPE html><html><body>Briefly unavailable for scheduled maintenance.</body></html>"
        return 503, page, {"Content-Type": "text/html; charset=UTF-8", **headers}
    body = {
        "code": "internal_server_error",
        "message": "<p>There has been a critical error on this website.</p>",
        "data": {"status": fault.status},
        "additional_errors": [],
    }
    return fault.status, wp_json(body), {"Content-Type": "application/json; charset=UTF-8", **headers}
