"""The ASGI plumbing every sandbox shares: read the request, apply latency and faults, let the
platform answer, send, and count the request in the stats.

A platform's application subclasses ``SandboxAsgi`` and supplies ``route_name`` (the name stats
count and fault rules match), ``handle`` (its answer) and ``fault_answer`` (how the platform
answers an injected 429/5xx). Faults: a ``status`` rule answers without processing; a
``timeout`` rule answers after ``hang_s`` (processed first when ``process``; else a proxy's 504);
a ``drop`` rule closes the connection (after processing when ``process``).
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any

from comptoir.sandbox.core.faults import FaultRule, Faults
from comptoir.sandbox.core.stats import LoggedRequest, Stats
from comptoir.sandbox.core.store import Store

BOM = b"\xef\xbb\xbf"
"""UTF-8's byte-order mark, which the ``bom`` fault puts before an answer's body."""

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class Answer:
    status: int
    payload: bytes
    headers: dict[str, str] = field(default_factory=dict)
    after: Callable[[], None] | None = None
    """Run once the answer is sent, on the server's event loop (webhook deliveries…)."""


class SandboxAsgi(ABC):
    """An ASGI application with latency, fault injection and stats around the platform's answers."""

    def __init__(
        self, store: Store, *, faults: Faults | None = None, stats: Stats | None = None, latency_ms: int = 0
    ) -> None:
        self.store = store
        self.faults = faults or Faults()
        self.stats = stats or Stats()
        self.latency_ms = latency_ms
        self.connection_dropper: Callable[[Scope], bool] | None = None
        """Set by the server: aborts the TCP connection of a request (dropped-connection faults)."""

    # --- what the platform supplies ------------------------------------------------------------
    @abstractmethod
    def route_name(self, method: str, path: str) -> tuple[str, Any]:
        """The request's stats name (``GET /api/products/<id>``) and whatever ``handle`` needs
        from the routing (the matched route), computed once."""

    @abstractmethod
    def handle(self, scope: Scope, body: bytes, routed: Any) -> Answer:
        """The platform's answer to the request (called on the event loop; keep it quick)."""

    @abstractmethod
    def fault_answer(self, fault: FaultRule) -> Answer:
        """What the platform (or its web server) answers for an injected ``status`` fault."""

    def items_in(self, name: str, body: bytes) -> int:
        """Items carried by the request (batch requests), for the stats; 0 by default."""
        return 0

    async def drain(self) -> None:  # noqa: B027 - optional: most platforms start nothing after answering
        """Wait for work started after answers (webhook deliveries); nothing by default."""

    # --- ASGI ----------------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        method = scope["method"]
        path = scope["path"]
        name, routed = self.route_name(method, path)
        delay, fault = self.faults.pick(name)
        delay += self.latency_ms / 1000
        items = self.items_in(name, body)
        recorded = False

        def record(status: int) -> None:
            # Counted before the answer leaves, so a client reading the stats after its answer
            # always finds its request there.
            nonlocal recorded
            if not recorded:
                recorded = True
                seconds = time.perf_counter() - started
                self.stats.record(LoggedRequest(method, path, name, status, seconds, items, len(body)))

        try:
            if fault is not None and fault.kind == "status":
                answer = self.fault_answer(fault)
                await asyncio.sleep(delay)
                record(answer.status)
                await send_answer(send, answer)
                return
            if fault is not None and not fault.process:
                await self._before_processing_fault(fault, scope, send, delay, record)
                return
            answer = self.handle(scope, body, routed)
            await asyncio.sleep(delay)
            record(answer.status)
            if fault is not None and fault.kind == "bom":
                answer, fault = replace(answer, payload=BOM + answer.payload), None
            if fault is not None:
                await self._after_processing_fault(fault, scope, send, answer)
                return
            await send_answer(send, answer)
            if answer.after is not None:
                answer.after()
        finally:
            record(0)

    async def _before_processing_fault(
        self, fault: FaultRule, scope: Scope, send: Send, delay: float, record: Callable[[int], None]
    ) -> None:
        await asyncio.sleep(delay)
        if fault.kind == "timeout":
            await asyncio.sleep(fault.hang_s)
            record(0)
            page = b"<html><body>Gateway Time-out</body></html>"
            await send_answer(send, Answer(504, page, {"Content-Type": "text/html"}))
        else:
            await self._drop(scope, send)

    async def _after_processing_fault(
        self, fault: FaultRule, scope: Scope, send: Send, answer: Answer
    ) -> None:
        if fault.kind == "timeout":
            await asyncio.sleep(fault.hang_s)
            await send_answer(send, answer)
        else:
            await self._drop(scope, send)

    async def _drop(self, scope: Scope, send: Send) -> None:
        if self.connection_dropper is not None and self.connection_dropper(scope):
            return
        # Without access to the socket: start an answer and never finish it.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})


async def send_answer(send: Send, answer: Answer) -> None:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    raw.append((b"content-length", str(len(answer.payload)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": raw})
    await send({"type": "http.response.body", "body": answer.payload})


def origin(scope: Scope) -> str:
    """``scheme://host:port`` the request came in on."""
    server = scope.get("server") or ("127.0.0.1", 80)
    return f"{scope.get('scheme', 'http')}://{server[0]}:{server[1]}"


def request_headers(scope: Scope) -> dict[str, str]:
    """The request's headers, names lower-cased (the last one wins when repeated)."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
