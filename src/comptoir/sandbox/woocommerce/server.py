"""``SandboxServer``: the sandbox served by uvicorn on 127.0.0.1 in a background thread.

    with SandboxServer() as shop:            # memory store, HTTPS, free port
        shop.url, shop.ca_file, shop.consumer_key, shop.consumer_secret
        shop.faults.rate_limit(rate=0.2)
        shop.stats.requests

With a ``db_path`` the shop (keys included) is kept in that SQLite file and its certificate
beside it, so a restart on the same file gives the same keys, data and certificate.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from comptoir.sandbox.woocommerce.app import SandboxApp
from comptoir.sandbox.woocommerce.faults import Faults
from comptoir.sandbox.woocommerce.stats import Stats
from comptoir.sandbox.woocommerce.store import Store
from comptoir.sandbox.woocommerce.tls import ensure_tls_files


class SandboxServer:
    """A WooCommerce sandbox listening on a real socket."""

    def __init__(
        self,
        db_path: Path | None = None,
        *,
        tls: bool = True,
        latency_ms: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        tls_dir: Path | None = None,
    ) -> None:
        self.db_path = db_path
        self.tls = tls
        self.host = host
        self.port = port
        self.faults = Faults(seed)
        self.stats = Stats()
        self._latency_ms = latency_ms
        self._tls_dir = tls_dir
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.app: SandboxApp | None = None
        self.ca_file: Path | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        store = Store(self.db_path)
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{scheme}://{host}:{self.port}"
        self.app = SandboxApp(
            store, faults=self.faults, stats=self.stats, latency_ms=self._latency_ms, site_url=self.url
        )
        config_args: dict[str, Any] = {}
        if self.tls:
            folder = self._tls_dir
            if folder is None and self.db_path is not None:
                folder = self.db_path.parent / f"{self.db_path.stem}-tls"
            if folder is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="comptoir-sandbox-")
                folder = Path(self._tmp.name)
            files = ensure_tls_files(folder)
            self.ca_file = files.ca_file
            config_args = {"ssl_certfile": str(files.cert_file), "ssl_keyfile": str(files.key_file)}
        config = uvicorn.Config(
            self.app,
            log_level="critical",
            access_log=False,
            lifespan="off",
            timeout_keep_alive=30,
            **config_args,
        )
        self._server = uvicorn.Server(config)
        self.app.connection_dropper = self._drop_connection
        self._thread = threading.Thread(target=self._run, args=(sock,), name="woo-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the WooCommerce sandbox did not start")
            time.sleep(0.01)

    def _run(self, sock: socket.socket) -> None:
        assert self._server is not None
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._server.serve(sockets=[sock]))
            if self.app is not None:
                loop.run_until_complete(self.app.drain())
        finally:
            loop.close()
            sock.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        if self.app is not None:
            self.app.store.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _drop_connection(self, scope: Any) -> bool:
        server = self._server
        if server is None:
            return False
        client = scope.get("client")
        for protocol in list(server.server_state.connections):
            if getattr(protocol, "client", None) == client:
                transport = getattr(protocol, "transport", None)
                if transport is not None:
                    transport.abort()
                    return True
        return False

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

    @property
    def store(self) -> Store:
        assert self.app is not None
        return self.app.store

    def create_key(self, permissions: str = "read", description: str = "") -> tuple[str, str]:
        """A new key pair: ``read``, ``write`` or ``read_write``."""
        assert self.app is not None
        return self.app.create_key(permissions, description)

    def drain_webhooks(self, timeout: float = 10) -> None:
        """Block until webhook deliveries in flight are done."""
        if self._loop is None or self.app is None:
            return
        future = asyncio.run_coroutine_threadsafe(self.app.drain(), self._loop)
        future.result(timeout)
