"""``SandboxServer``: the WooCommerce sandbox served on 127.0.0.1 (the shared ``LocalServer``).

    with SandboxServer() as shop:            # memory store, HTTPS, free port
        shop.url, shop.ca_file, shop.consumer_key, shop.consumer_secret
        shop.faults.rate_limit(rate=0.2)
        shop.stats.requests
        shop.clock.advance(timedelta(days=1))

With a ``db_path`` the shop (keys included) is kept in that SQLite file and its certificate
beside it, so a restart on the same file gives the same keys, data and certificate.
"""

from __future__ import annotations

from pathlib import Path

from comptoir.sandbox.core.server import LocalServer
from comptoir.sandbox.woocommerce.app import SandboxApp
from comptoir.sandbox.woocommerce.store import Store, open_store


class SandboxServer(LocalServer[SandboxApp]):
    """A WooCommerce sandbox listening on a real socket."""

    platform = "WooCommerce"

    def open_store(self, db_path: Path | None) -> Store:
        return open_store(db_path)

    def build_app(self, store: Store) -> SandboxApp:
        return SandboxApp(
            store,
            faults=self.faults,
            stats=self.stats,
            latency_ms=self.latency_ms,
            clock=self.clock,
            site_url=self.url,
        )

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    # --- what tests and the demo use ---------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"{self.url}/wp-json/wc/v3"

    @property
    def consumer_key(self) -> str:
        assert self.app is not None
        return self.app.consumer_key

    @property
    def consumer_secret(self) -> str:
        assert self.app is not None
        return self.app.consumer_secret

    def create_key(self, permissions: str = "read", description: str = "") -> tuple[str, str]:
        """A new key pair: ``read``, ``write`` or ``read_write``."""
        assert self.app is not None
        return self.app.create_key(permissions, description)

    def create_app_password(self, user_id: int = 1, name: str = "comptoir") -> tuple[str, str]:
        """A WordPress application password for a user (the administrator by default):
        ``(login, password)``, for HTTP Basic on any route (``/wp/v2/media`` included)."""
        assert self.app is not None
        return self.app.create_app_password(user_id, name)

    def drain_webhooks(self, timeout: float = 10) -> None:
        """Block until webhook deliveries in flight are done."""
        if self.app is not None:
            self.run_on_loop(self.app.drain(), timeout)
