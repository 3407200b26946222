"""``PrestaShopSandbox``: the PrestaShop webservice sandbox served on 127.0.0.1 (the shared
``LocalServer``).

    with PrestaShopSandbox(version="8") as shop:      # memory store, HTTPS, free port
        shop.api_url, shop.ca_file, shop.admin_key
        shop.create_key({"products": ["GET"]})          # a key with per-resource permissions
        shop.configure(PS_ROUND_TYPE="1")               # item rounding
        shop.place_order(customer=1, address_delivery=1, lines=[{"product": 1, "quantity": 2}])
        shop.faults.latency(50); shop.stats.count("GET /api/products"); shop.clock.advance(…)

With a ``db_path`` the shop (its keys included) is kept in that SQLite file and its certificate
beside it, so a restart on the same file finds the same keys, data and certificate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from comptoir.sandbox.core.server import LocalServer
from comptoir.sandbox.core.store import Record, Store
from comptoir.sandbox.prestashop import admin, keys
from comptoir.sandbox.prestashop.app import PrestaShopApp, open_store
from comptoir.sandbox.prestashop.versions import V9, VERSIONS, Version


class PrestaShopSandbox(LocalServer[PrestaShopApp]):
    """A PrestaShop webservice listening on a real socket."""

    platform = "PrestaShop"

    def __init__(self, db_path: Path | None = None, *, version: str | Version = V9, **options: Any) -> None:
        super().__init__(db_path, **options)
        if isinstance(version, str):
            if version not in VERSIONS:
                raise ValueError(f"unknown PrestaShop version {version!r}: one of {', '.join(VERSIONS)}")
            version = VERSIONS[version]
        self.version = version

    def open_store(self, db_path: Path | None) -> Store:
        return open_store(db_path)

    def build_app(self, store: Store) -> PrestaShopApp:
        return PrestaShopApp(
            store,
            version=self.version,
            faults=self.faults,
            stats=self.stats,
            latency_ms=self.latency_ms,
            clock=self.clock,
        )

    def __enter__(self) -> PrestaShopSandbox:
        self.start()
        return self

    # --- what tests and the demo use ---------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    @property
    def admin_key(self) -> str:
        """A key with every method on every resource, made on first start and kept in the store."""
        assert self.app is not None
        return self.app.admin_key

    def create_key(self, permissions: dict[str, list[str]] | str = "all", *, active: bool = True) -> str:
        assert self.app is not None
        with self.store.lock:
            key = admin.create_key(self.app.shop, {"permissions": permissions, "active": active})
            self.store.commit()
        return key

    def set_key_active(self, key: str, active: bool) -> None:
        with self.store.lock:
            keys.set_active(self.store, key, active)
            self.store.commit()

    def configure(self, **settings: Any) -> None:
        """Shop settings (``PS_ROUND_TYPE="1"``, ``PS_WEBSERVICE="0"``, ``SANDBOX_SHIPPING_2="5.90"``…)."""
        assert self.app is not None
        with self.store.lock:
            admin.configure(self.app.shop, settings)
            self.store.commit()

    def place_order(self, **spec: Any) -> Record:
        """An order placed as ``POST /sandbox/orders`` places it; returns the order record."""
        assert self.app is not None
        with self.store.lock:
            order = admin.place_order(self.app.shop, spec)
            self.store.commit()
        return order
