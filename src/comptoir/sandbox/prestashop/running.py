"""The PrestaShop sandbox as the platform descriptor hands it out (``RunningSandbox``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from comptoir.sandbox.prestashop.client import SandboxClient
from comptoir.sandbox.prestashop.demo_shop import PrestaShopDemoShop
from comptoir.sandbox.prestashop.server import PrestaShopSandbox


class RunningPrestaShopSandbox:
    """A started ``PrestaShopSandbox`` with what a profile, the demo and the contract suite need."""

    def __init__(self, server: PrestaShopSandbox) -> None:
        self.server = server
        self.url = server.url
        self.ca_file = server.ca_file
        self.faults = server.faults
        self.clock = server.clock
        self.stats = server.stats
        self._client: SandboxClient | None = None

    @classmethod
    def start(
        cls, db_path: Path | None = None, *, latency_ms: int = 0, **options: Any
    ) -> RunningPrestaShopSandbox:
        server = PrestaShopSandbox(db_path, latency_ms=latency_ms, **options)
        server.start()
        return cls(server)

    def describe(self) -> list[str]:
        return [
            f"PrestaShop {self.server.version.number}",
            f"webservice: {self.server.api_url}",
            f"sandbox-only routes: {self.url}/sandbox/ (orders, keys, configuration)",
        ]

    def shop_table(self, secret_prefix: str) -> dict[str, Any]:
        return {"kind": "prestashop", "url": self.url, "webservice_key": f"env:{secret_prefix}_KEY"}

    def secrets(self, secret_prefix: str) -> dict[str, str]:
        return {f"{secret_prefix}_KEY": self.server.admin_key}

    @property
    def client(self) -> SandboxClient:
        if self._client is None:
            self._client = SandboxClient(self.url, self.server.admin_key, self.ca_file)
        return self._client

    def demo(self) -> PrestaShopDemoShop:
        return PrestaShopDemoShop(SandboxClient(self.url, self.server.admin_key, self.ca_file))

    def place_order(self, email: str, lines: Sequence[tuple[str, int]], status: str) -> str:
        customer = self.client.customer(email, "Client", "Contrat")
        return str(self.client.place(customer, lines, int(status))["id"])

    def count_sku(self, sku: str) -> int:
        query = {"filter[reference]": f"[{sku}]", "display": "[id,reference]"}
        found = self.client.list("products", **query) + self.client.list("combinations", **query)
        return sum(1 for item in found if item.get("reference") == sku)

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
        self.server.stop()
