"""``/webhooks`` (WC_REST_Webhooks_Controller) and their delivery (WC_Webhook::deliver).

A delivery POSTs the resource as ``GET /wc/v3/<resource>s/<id>`` shows it (``{"id": N}`` for a
deletion), with ``X-WC-Webhook-Signature`` = base64(HMAC-SHA256(raw body, secret)) and the
``X-WC-Webhook-*`` headers. Creating a webhook sends a ping (a form POST ``webhook_id=<id>``
without signature). More than 5 consecutive failed deliveries disable the webhook.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import batch_route
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args
from comptoir.sandbox.woocommerce.schemas import CONTEXT, FORCE, s, webhook_collection, webhook_schema
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import SITE_TZ, parse_iso, wp_date, wp_date_gmt, wp_json

RESOURCES = ["coupon", "customer", "order", "product"]
EVENTS = ["created", "updated", "deleted", "restored"]
STATUSES = ["active", "paused", "disabled"]
MAX_FAILURES = 5
USER_AGENT = "WooCommerce/9.9.0 Hookshot (WordPress/6.8)"


@dataclass(frozen=True, slots=True)
class Delivery:
    webhook_id: int
    topic: str
    url: str
    body: bytes
    headers: dict[str, str]
    ping: bool = False


def signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class Webhooks:
    def __init__(self, ctx: Context, site_url: Callable[[], str]) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.site_url = site_url
        self.delivered: list[tuple[int, str, int]] = []
        """(webhook id, topic, HTTP status or 0 on a transport error), in delivery order."""

    def render(self, hook: Record) -> dict[str, Any]:
        """``WC_REST_Webhooks_Controller::prepare_item_for_response`` (v2/v3)."""
        created = parse_iso(hook["_created"])
        modified = parse_iso(hook["_modified"])
        resource, _, event = hook["topic"].partition(".")
        return {
            "id": hook["id"],
            "name": hook["name"],
            "status": hook["status"],
            "topic": hook["topic"],
            "resource": resource,
            "event": event,
            "hooks": hooks_of(hook["topic"]),
            "delivery_url": hook["delivery_url"],
            "date_created": wp_date(created),
            "date_created_gmt": wp_date_gmt(created),
            "date_modified": wp_date(modified),
            "date_modified_gmt": wp_date_gmt(modified),
            "_links": {
                "self": [{"href": self.ctx.rest_url(f"wc/v3/webhooks/{hook['id']}")}],
                "collection": [{"href": self.ctx.rest_url("wc/v3/webhooks")}],
            },
        }

    def create(self, body: Any) -> dict[str, Any]:
        """``create_item``: a valid topic and delivery URL; always created active; a ping follows."""
        body = body if isinstance(body, dict) else {}
        if body.get("id"):
            raise WooError("woocommerce_rest_webhook_exists", "Cannot create existing webhook.", 400)
        topic = str(body.get("topic") or "")
        if not topic or not valid_topic(topic):
            raise WooError(
                "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.", 400
            )
        url = str(body.get("delivery_url") or "")
        if not valid_url(url):
            raise WooError(
                "woocommerce_rest_webhook_invalid_delivery_url",
                "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                400,
            )
        now = self.ctx.now()
        moment = now.isoformat()
        ident = self.store.next_id("webhook")
        default_name = "Webhook created on " + now.astimezone(SITE_TZ).strftime("%b %d, %Y @ %I:%M %p")
        hook: Record = {
            "id": ident,
            "name": str(body.get("name") or default_name),
            "status": "active",
            "topic": topic,
            "delivery_url": url,
            "secret": str(body.get("secret") or secrets.token_urlsafe(38)[:50]),
            "_failures": 0,
            "_created": moment,
            "_modified": moment,
        }
        self.store.put("webhook", ident, hook)
        self.ctx.emit("webhook", "ping", ident)
        return self.render(hook)

    def update(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        ident = int(body.get("id") or 0)
        hook = self.store.get("webhook", ident)
        if hook is None:
            raise WooError("woocommerce_rest_webhook_invalid_id", "ID is invalid.", 400)
        hook = dict(hook)
        if body.get("name") is not None:
            hook["name"] = str(body["name"])
        if body.get("topic") is not None:
            if not valid_topic(str(body["topic"])):
                raise WooError("woocommerce_rest_webhook_invalid_topic", "Webhook topic must be valid.", 400)
            hook["topic"] = str(body["topic"])
        if body.get("delivery_url") is not None:
            if not valid_url(str(body["delivery_url"])):
                raise WooError(
                    "woocommerce_rest_webhook_invalid_delivery_url",
                    "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                    400,
                )
            hook["delivery_url"] = str(body["delivery_url"])
        if body.get("secret") is not None:
            hook["secret"] = str(body["secret"])
        if body.get("status") is not None:
            if body["status"] not in STATUSES:
                raise WooError(
                    "woocommerce_rest_webhook_invalid_status", "Webhook status must be valid.", 400
                )
            hook["status"] = body["status"]
            if body["status"] == "active":
                hook["_failures"] = 0
        hook["_modified"] = self.ctx.now().isoformat()
        self.store.put("webhook", ident, hook)
        return self.render(hook)

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        hook = self.store.get("webhook", ident)
        if hook is None:
            raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404)
        self.store.delete("webhook", ident)
        return self.render(hook)

    def list_items(self, call: Call) -> Reply:
        page = page_params(call.query, orderby=["date", "id", "title"])
        status = str(call.param("status") or "all")
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        search = str(call.param("search") or "").lower()
        items = [
            h
            for h in self.store.records("webhook")
            if (status == "all" or h["status"] == status)
            and (not include or h["id"] in include)
            and h["id"] not in exclude
            and (not search or search in h["name"].lower())
        ]
        key = {"id": lambda h: (h["id"],), "title": lambda h: (h["name"].lower(), h["id"])}.get(
            page.orderby, lambda h: (h["_created"], h["id"])
        )
        items.sort(key=key, reverse=page.order == "desc")
        return collection(call, [self.render(h) for h in slice_page(items, page)], len(items), page)

    # --- delivery ----------------------------------------------------------------------------
    def deliveries(
        self, events: list[tuple[str, str, int]], render: Callable[[str, int], Any]
    ) -> list[Delivery]:
        """What to send for the events of one request (built inside the request, sent after it)."""
        out: list[Delivery] = []
        for resource, event, ident in events:
            if resource == "webhook" and event == "ping":
                hook = self.store.get("webhook", ident)
                if hook is not None:
                    out.append(
                        Delivery(
                            ident,
                            hook["topic"],
                            hook["delivery_url"],
                            f"webhook_id={ident}".encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT},
                            ping=True,
                        )
                    )
                continue
            topic = f"{resource}.{event}"
            for hook in self.store.records("webhook"):
                if hook["status"] != "active" or hook["topic"] != topic:
                    continue
                payload = {"id": ident} if event == "deleted" else render(resource, ident)
                if payload is None:
                    continue
                body = wp_json(payload)
                headers = {
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    "X-WC-Webhook-Source": self.site_url() + "/",
                    "X-WC-Webhook-Topic": topic,
                    "X-WC-Webhook-Resource": resource,
                    "X-WC-Webhook-Event": event,
                    "X-WC-Webhook-Signature": signature(body, hook["secret"]),
                    "X-WC-Webhook-ID": str(hook["id"]),
                    "X-WC-Webhook-Delivery-ID": secrets.token_hex(16),
                }
                out.append(Delivery(hook["id"], topic, hook["delivery_url"], body, headers))
        return out

    async def send(self, deliveries: list[Delivery], verify: Any = True) -> None:
        if not deliveries:
            return
        async with httpx.AsyncClient(timeout=60, follow_redirects=False, verify=verify) as client:
            for delivery in deliveries:
                try:
                    response = await client.post(
                        delivery.url, content=delivery.body, headers=delivery.headers
                    )
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                self.delivered.append((delivery.webhook_id, delivery.topic, status))
                if delivery.ping:
                    continue
                ok = 200 <= status < 300 or status in (301, 302)
                with self.store.lock:
                    hook = self.store.get("webhook", delivery.webhook_id)
                    if hook is None:
                        continue
                    failures = 0 if ok else int(hook.get("_failures", 0)) + 1
                    updated = {**hook, "_failures": failures}
                    if failures > MAX_FAILURES:
                        updated["status"] = "disabled"
                    self.store.put("webhook", hook["id"], updated)
                    self.store.commit()

    def routes(self) -> list[Route]:
        schema = webhook_schema()

        def get(call: Call) -> Reply:
            hook = self.store.get("webhook", int(call.param("id") or 0))
            if hook is None:
                raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404)
            return Reply(self.render(hook))

        def post(call: Call) -> Reply:
            rendered = self.create(call.values())
            return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/webhooks/{rendered['id']}")})

        def exists(call: Call) -> bool:
            return self.store.get("webhook", int(call.param("id") or 0)) is not None

        create_args = {
            **endpoint_args(schema, "POST"),
            "topic": s("string", required=True),
            "delivery_url": s("string", required=True),
        }
        return [
            route(READ, "/wc/v3/webhooks", self.list_items, "list", webhook_collection()),
            route(CREATE, "/wc/v3/webhooks", post, "create", create_args),
            batch_route(
                self.ctx, "/wc/v3/webhooks/batch", create=self.create, update=self.update, delete=self.delete
            ),
            route(READ, "/wc/v3/webhooks/<id>", get, "view", {"context": CONTEXT}),
            route(
                EDIT,
                "/wc/v3/webhooks/<id>",
                lambda c: Reply(self.update(c.values())),
                "edit",
                endpoint_args(schema, "PUT"),
                exists,
            ),
            route(
                DELETE,
                "/wc/v3/webhooks/<id>",
                lambda c: Reply(self.delete(int(c.param("id") or 0), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
            ),
        ]


HOOKS = {
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
    "customer.created": ["user_register", "woocommerce_created_customer", "woocommerce_new_customer"],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "order.created": ["woocommerce_new_order"],
    "order.updated": [
        "woocommerce_update_order",
        "woocommerce_order_refunded",
        "woocommerce_delete_order_refund",
    ],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
}
"""``WC_Webhook::get_topic_hooks`` (``get_default_topic_hooks``)."""


def hooks_of(topic: str) -> list[str]:
    if topic.startswith("action."):
        return [topic[len("action.") :]]
    return list(HOOKS.get(topic, []))


def valid_topic(topic: str) -> bool:
    """``wc_is_webhook_valid_topic``."""
    if topic in (
        "action.woocommerce_login_credentials",
        "action.woocommerce_product_csv_importer_check_import_file_path",
        "action.woocommerce_webhook_should_deliver",
    ):
        return False
    if topic.startswith(("action.woocommerce_", "action.wc_")):
        return True
    resource, dot, event = topic.partition(".")
    return bool(dot) and resource in RESOURCES and event in EVENTS


def valid_url(url: str) -> bool:
    """``wc_is_valid_url``: http or https with a host."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
