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

import httpx

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import resource_routes
from comptoir.sandbox.woocommerce.resources.routing import Route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import parse_iso, wp_date, wp_date_gmt, wp_json

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
        created = parse_iso(hook["_created"])
        modified = parse_iso(hook["_modified"])
        out = {k: v for k, v in hook.items() if not k.startswith("_") and k != "secret"}
        resource, _, event = hook["topic"].partition(".")
        out.update(
            resource=resource,
            event=event,
            hooks=[f"woocommerce_{resource}_{event}"],
            date_created=wp_date(created),
            date_created_gmt=wp_date_gmt(created),
            date_modified=wp_date(modified),
            date_modified_gmt=wp_date_gmt(modified),
        )
        return out

    def _check(self, hook: Record) -> None:
        resource, _, event = hook["topic"].partition(".")
        if not (resource == "action" and event) and (resource not in RESOURCES or event not in EVENTS):
            raise WooError(
                "woocommerce_rest_webhook_invalid_topic",
                "Webhook topic unknown. Please select a valid topic.",
                400,
            )
        if not str(hook["delivery_url"]).startswith(("http://", "https://")):
            raise WooError(
                "woocommerce_rest_webhook_invalid_delivery_url",
                "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                400,
            )

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not body.get("topic") or not body.get("delivery_url"):
            missing = [k for k in ("topic", "delivery_url") if not (isinstance(body, dict) and body.get(k))]
            from comptoir.sandbox.woocommerce.errors import missing_params

            raise missing_params(missing)
        moment = self.ctx.now().isoformat()
        ident = self.store.next_id("webhook")
        hook: Record = {
            "id": ident,
            "name": str(body.get("name") or f"Webhook created on {moment}"),
            "status": body.get("status") if body.get("status") in STATUSES else "active",
            "topic": str(body["topic"]),
            "delivery_url": str(body["delivery_url"]),
            "secret": str(body.get("secret") or secrets.token_urlsafe(38)[:50]),
            "_failures": 0,
            "_created": moment,
            "_modified": moment,
        }
        self._check(hook)
        self.store.put("webhook", ident, hook)
        self.ctx.emit("webhook", "ping", ident)
        return self.render(hook)

    def update(self, body: Any) -> dict[str, Any]:
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        hook = self.store.get("webhook", ident)
        if hook is None:
            raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid webhook ID.", 404)
        hook = dict(hook)
        for key in ("name", "topic", "delivery_url", "secret"):
            if body.get(key):
                hook[key] = str(body[key])
        if body.get("status") in STATUSES:
            hook["status"] = body["status"]
            if body["status"] == "active":
                hook["_failures"] = 0
        self._check(hook)
        hook["_modified"] = self.ctx.now().isoformat()
        self.store.put("webhook", ident, hook)
        return self.render(hook)

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        hook = self.store.get("webhook", ident)
        if hook is None:
            raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid webhook ID.", 404)
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        self.store.delete("webhook", ident)
        return self.render(hook)

    def list_items(self, call: Call) -> Reply:
        page = page_params(call.query, orderby=["date", "id", "title"])
        status = call.query.get("status")
        items = [
            h for h in self.store.records("webhook") if not status or status == "all" or h["status"] == status
        ]
        items.sort(key=lambda h: (h["_created"], h["id"]), reverse=page.order == "desc")
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
        def get(call: Call) -> Reply:
            hook = self.store.get("webhook", int(call.route["id"]))
            if hook is None:
                raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid webhook ID.", 404)
            return Reply(self.render(hook))

        return resource_routes(
            self.ctx,
            "/wc/v3/webhooks",
            list_items=self.list_items,
            view=get,
            create=self.create,
            update=self.update,
            delete=self.delete,
        )
