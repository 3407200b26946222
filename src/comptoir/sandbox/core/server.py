"""``LocalServer``: a sandbox application served by uvicorn on 127.0.0.1 in a background thread.

A platform's server subclasses it and says how to open its store and build its application;
this class binds the socket (a free port by default), makes the TLS files (kept beside the
SQLite file, so a restart serves the same certificate), runs uvicorn in its own thread and
event loop, waits until it listens, aborts connections for ``drop`` faults, and stops cleanly.
"""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

import uvicorn

from comptoir.sandbox.core.asgi import SandboxAsgi
from comptoir.sandbox.core.clock import Clock
from comptoir.sandbox.core.faults import Faults
from comptoir.sandbox.core.stats import Stats
from comptoir.sandbox.core.store import Store
from comptoir.sandbox.core.tls import ensure_tls_files

A = TypeVar("A", bound=SandboxAsgi)


class LocalServer(ABC, Generic[A]):
    """A sandbox listening on a real socket; ``with`` starts and stops it."""

    platform = "sandbox"
    """Named in the thread and in start-up errors."""

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
        self.clock = Clock()
        self.latency_ms = latency_ms
        self._tls_dir = tls_dir
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.app: A | None = None
        self.ca_file: Path | None = None
        self.url = ""

    # --- what the platform supplies ------------------------------------------------------------
    @abstractmethod
    def open_store(self, db_path: Path | None) -> Store:
        """The platform's store on ``db_path`` (memory when None)."""

    @abstractmethod
    def build_app(self, store: Store) -> A:
        """The platform's application over ``store``, using ``self.faults``, ``self.stats``,
        ``self.clock``, ``self.latency_ms`` and ``self.url``."""

    # --- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> LocalServer[A]:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        store = self.open_store(self.db_path)
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Answers leave at once, as a web server's do (nginx's tcp_nodelay): uvicorn writes an
        # answer's headers and its body apart, and with Nagle's algorithm the body waited for the
        # client's delayed acknowledgement of the headers, 40 ms added to every request. Accepted
        # connections inherit the option from the listening socket.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{scheme}://{host}:{self.port}"
        self.app = self.build_app(store)
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
        self._thread = threading.Thread(
            target=self._run, args=(sock,), name=f"{self.platform}-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the {self.platform} sandbox did not start")
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
            self.store.close()
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

    @property
    def store(self) -> Store:
        assert self.app is not None, "the sandbox is not started"
        return self.app.store

    def run_on_loop(self, coroutine: Any, timeout: float = 10) -> Any:
        """Run a coroutine on the server's event loop from another thread and wait for it."""
        if self._loop is None:
            coroutine.close()
            return None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)
