"""Webhook deliveries signed as WooCommerce signs them.

Source: WooCommerce ``includes/class-wc-webhook.php`` (``deliver``, ``get_delivery_headers``,
``generate_signature``: base64 of HMAC-SHA256 of the raw body with the webhook's secret; a ping
``webhook_id=<id>`` form POST on creation; ``{"id": N}`` for deletions) — see
docs/shops/woocommerce.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from comptoir.sandbox.woocommerce import SandboxServer


class Receiver:
    """A real HTTP endpoint collecting what the shop posts to it."""

    def __init__(self) -> None:
        received: list[tuple[dict[str, str], bytes]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def client(server: SandboxServer) -> httpx.Client:
    assert server.ca_file is not None
    return httpx.Client(
        base_url=f"{server.url}/wp-json/wc/v3/",
        auth=(server.consumer_key, server.consumer_secret),
        verify=ssl.create_default_context(cafile=str(server.ca_file)),
    )


def test_product_update_is_delivered_signed(woo_sandbox: SandboxServer, receiver: Receiver) -> None:
    secret = "un-secret-de-webhook"
    with client(woo_sandbox) as api:
        product = api.post(
            "products", json={"name": "Pull", "sku": "PULL-1", "regular_price": "20.00"}
        ).json()
        hook = api.post(
            "webhooks",
            json={"name": "erp", "topic": "product.updated", "delivery_url": receiver.url, "secret": secret},
        )
        assert hook.status_code == 201
        assert hook.json()["status"] == "active"
        assert "secret" not in hook.json(), "the secret is write-only"
        woo_sandbox.drain_webhooks()
        ping_headers, ping_body = receiver.received[0]
        assert ping_body == f"webhook_id={hook.json()['id']}".encode()
        assert "x-wc-webhook-signature" not in ping_headers

        api.put(f"products/{product['id']}", json={"regular_price": "22.00"})
        woo_sandbox.drain_webhooks()

    headers, body = receiver.received[-1]
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    assert headers["x-wc-webhook-signature"] == expected
    assert headers["x-wc-webhook-topic"] == "product.updated"
    assert headers["x-wc-webhook-resource"] == "product"
    assert headers["x-wc-webhook-event"] == "updated"
    assert headers["content-type"].startswith("application/json")
    payload = json.loads(body)
    assert payload["id"] == product["id"]
    assert Decimal(payload["regular_price"]) == Decimal("22.00")


def test_invalid_topic_and_delivery_url_are_refused(woo_sandbox: SandboxServer) -> None:
    with client(woo_sandbox) as api:
        bad_topic = api.post(
            "webhooks", json={"topic": "product.exploded", "delivery_url": "https://x.example"}
        )
        assert bad_topic.status_code == 400
        assert bad_topic.json()["code"] == "woocommerce_rest_webhook_invalid_topic"
        bad_url = api.post("webhooks", json={"topic": "order.created", "delivery_url": "not a url"})
        assert bad_url.status_code == 400
        assert bad_url.json()["code"] == "woocommerce_rest_webhook_invalid_delivery_url"
