"""The WooCommerce sandbox as the platform descriptor hands it out (``RunningSandbox``)."""

from __future__ import annotations

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

    @classmethod
    def start(cls, db_path: Path | None = None, *, latency_ms: int = 0) -> RunningWooSandbox:
        server = SandboxServer(db_path, latency_ms=latency_ms)
        server.start()
        return cls(server)

    def shop_table(self, secret_prefix: str) -> dict[str, Any]:
        return {
            "kind": "woocommerce",
            "url": self.url,
            "consumer_key": f"env:{secret_prefix}_KEY",
            "consumer_secret": f"env:{secret_prefix}_SECRET",
        }

    def secrets(self, secret_prefix: str) -> dict[str, str]:
        return {
            f"{secret_prefix}_KEY": self.server.consumer_key,
            f"{secret_prefix}_SECRET": self.server.consumer_secret,
        }

    def demo(self) -> WooDemoShop:
        assert self.ca_file is not None, "the sandbox serves HTTPS"
        client = DemoShopClient(self.url, self.server.consumer_key, self.server.consumer_secret, self.ca_file)
        return WooDemoShop(client)

    def stop(self) -> None:
        self.server.stop()
