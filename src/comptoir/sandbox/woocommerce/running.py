"""The WooCommerce sandbox as the platform descriptor hands it out (``RunningSandbox``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from comptoir.sandbox.woocommerce.demo_shop import DemoShopClient, WooDemoShop
from comptoir.sandbox.woocommerce.server import SandboxServer


class RunningWooSandbox:
    """A started ``SandboxServer`` with what a profile and the demo need to reach it."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.url = server.url
        self.ca_file = server.ca_file
        self.faults = server.faults
        self.clock = server.clock
        self.stats = server.stats
        self._client: DemoShopClient | None = None
        self._media: tuple[str, str] | None = None

    @classmethod
    def start(cls, db_path: Path | None = None, *, latency_ms: int = 0, **options: Any) -> RunningWooSandbox:
        """Start a sandbox; ``options`` go to ``SandboxServer`` (``host``, ``port``, ``tls``)."""
        server = SandboxServer(db_path, latency_ms=latency_ms, **options)
        server.start()
        return cls(server)

    def describe(self) -> list[str]:
        return [f"REST API:   {self.server.api_url}"]

    def media_login(self) -> tuple[str, str]:
        """The WordPress user and application password images and invoices are uploaded with
        (made once per sandbox, as a shop owner makes one under Users → Profile)."""
        if self._media is None:
            self._media = self.server.create_app_password(name="comptoir")
        return self._media

    def shop_table(self, secret_prefix: str) -> dict[str, Any]:
        return {
            "kind": "woocommerce",
            "url": self.url,
            "consumer_key": f"env:{secret_prefix}_KEY",
            "consumer_secret": f"env:{secret_prefix}_SECRET",
            "media_user": self.media_login()[0],
            "media_password": f"env:{secret_prefix}_MEDIA_PASSWORD",
        }

    def secrets(self, secret_prefix: str) -> dict[str, str]:
        return {
            f"{secret_prefix}_KEY": self.server.consumer_key,
            f"{secret_prefix}_SECRET": self.server.consumer_secret,
            f"{secret_prefix}_MEDIA_PASSWORD": self.media_login()[1],
        }

    def demo(self) -> WooDemoShop:
        assert self.ca_file is not None, "the sandbox serves HTTPS"
        client = DemoShopClient(self.url, self.server.consumer_key, self.server.consumer_secret, self.ca_file)
        return WooDemoShop(client)

    @property
    def client(self) -> DemoShopClient:
        if self._client is None:
            assert self.ca_file is not None, "the sandbox serves HTTPS"
            key, secret = self.server.consumer_key, self.server.consumer_secret
            self._client = DemoShopClient(self.url, key, secret, self.ca_file)
        return self._client

    def place_order(self, email: str, lines: Sequence[tuple[str, int]], status: str) -> str:
        skus = ",".join(sku for sku, _ in lines)
        products = {p["sku"]: p for p in self.client.get("products", sku=skus, per_page=100)}
        items = []
        for sku, quantity in lines:
            product = products[sku]
            if product.get("parent_id"):
                items.append(
                    {"product_id": product["parent_id"], "variation_id": product["id"], "quantity": quantity}
                )
            else:
                items.append({"product_id": product["id"], "quantity": quantity})
        billing = {"first_name": "Client", "last_name": "Contrat", "email": email, "country": "FR"}
        order = self.client.post("orders", {"billing": billing, "line_items": items, "status": status})
        return str(order["id"])

    def count_sku(self, sku: str) -> int:
        found = self.client.get("products", sku=sku, per_page=100)
        return sum(1 for p in found if p.get("sku") == sku and p.get("status") != "trash")

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
        self.server.stop()
