"""The one HTTP client every shop adapter uses.

One ``httpx.AsyncClient`` per shop: pooled connections, at most ``concurrency`` requests in
flight, a pause of ``request_delay_ms`` between request starts, a timeout, and retries with
exponential backoff and full jitter that honour ``Retry-After``. Retried: 429 and 5xx answers,
timeouts and connection errors; a request that is not safe to repeat (``idempotent=False``) is
only retried when the server certainly did not process it (429, 503, connection refused) and
otherwise hands the failure back to the adapter, which knows how to check before repeating.
TLS verification is always on; ``ca_file`` adds a trusted authority, the trust being loaded at
the first request (a run with nothing to send never loads it). Requests are counted.
The API's authentication is an ``httpx.Auth`` strategy the adapter picks (``comptoir.shop.auth``),
applied after the profile's front basic authentication when there is one.

JSON bodies are encoded and answers decoded by orjson (``encode_json``, ``decode_json``): a batch
of a hundred products is about 100 KB each way, and the standard library's ``json`` spent a tenth
of a push's CPU on them. The bytes sent are what httpx's own ``json=`` sends (UTF-8, no spaces).
"""

from __future__ import annotations

import asyncio
import functools
import random
import ssl
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import certifi
import httpx
import orjson

from comptoir.profile.models import HttpOptions
from comptoir.profile.secrets import SecretResolver
from comptoir.shop.auth import Chain
from comptoir.shop.base import ShopError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NOT_PROCESSED_STATUSES = frozenset({429, 503})
"""Answers that mean the server did not act on the request, so repeating it is always safe."""
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 300.0


_BOM = b"\xef\xbb\xbf"


def encode_json(value: Any) -> bytes:
    """A request's JSON body: UTF-8, no spaces, keys that are not texts written as texts."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def decode_json(content: bytes) -> Any:
    """An answer's JSON body; a UTF-8 byte-order mark, which some PHP sites print before their
    answers, is skipped. ``ValueError`` when the body is not JSON."""
    return orjson.loads(content[3:] if content.startswith(_BOM) else content)


class TransportFailure(Exception):
    """No HTTP answer: ``kind`` is ``timeout``, ``tls`` or ``unreachable``.

    ``maybe_processed`` is true when the request may have reached the server (a read timeout,
    a connection dropped after sending), so repeating a non-idempotent request needs care.
    """

    def __init__(self, kind: str, message: str, *, maybe_processed: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.maybe_processed = maybe_processed


@dataclass
class HttpStats:
    """What the client sent."""

    requests: int = 0
    retries: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)


def ssl_context(options: HttpOptions) -> ssl.SSLContext:
    """System-independent trust (certifi) plus the profile's extra authority; never unverified.

    Made once per process and authority file, then shared by the clients that trust the same
    (a shop's API and media clients): reading certifi's bundle costs about 10 ms. A changed file
    (modification time or size) makes a new one.
    """
    ca_file = options.ca_file
    if ca_file is None:
        return default_trust()
    try:
        seen = ca_file.stat()
        stamp: tuple[int, int] | None = (seen.st_mtime_ns, seen.st_size)
    except OSError:
        stamp = None  # not readable: _context says so
    return _context(str(ca_file), stamp)


def default_trust() -> ssl.SSLContext:
    """The trust of a profile without an authority file of its own (certifi's bundle)."""
    return _context(None, None)


@functools.lru_cache(maxsize=8)
def _context(ca_file: str | None, stamp: tuple[int, int] | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError, ValueError):
            raise ShopError(
                "tls", f"shop.http.ca_file: {ca_file}: not a readable PEM certificate file"
            ) from None
    return context


def proxy_url(options: HttpOptions, secrets: SecretResolver) -> str | None:
    proxy = options.proxy
    if proxy is None:
        return None
    credentials = ""
    if proxy.user:
        password = secrets.get(proxy.password, field="shop.http.proxy.password") or ""
        credentials = f"{quote(proxy.user, safe='')}:{quote(password, safe='')}@"
    return f"http://{credentials}{proxy.host}:{proxy.port}"


def _is_tls_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        text = str(seen)
        if "CERTIFICATE_VERIFY_FAILED" in text or ("SSL" in text and "certificate" in text.lower()):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (delta or HTTP date), capped; ``None`` when absent or unreadable."""
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return min(max(float(raw), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return min(max(moment.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER)


class ShopHttpClient:
    """Pooled, paced, bounded, retrying HTTP for one shop."""

    def __init__(
        self,
        base_url: str,
        options: HttpOptions,
        secrets: SecretResolver,
        *,
        headers: Mapping[str, str] | None = None,
        api_auth: httpx.Auth | None = None,
        backoff_base: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options
        self.stats = HttpStats()
        self._backoff_base = backoff_base
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._slots = asyncio.Semaphore(options.concurrency)
        self._pace_lock = asyncio.Lock()
        self._next_start = 0.0
        auth: httpx.Auth | None = api_auth
        if options.basic_auth_user:
            password = secrets.get(options.basic_auth_password, field="shop.http.basic_auth_password") or ""
            front = httpx.BasicAuth(options.basic_auth_user, password)
            auth = Chain(front, api_auth) if api_auth is not None else front
        self._settings: dict[str, Any] = {
            "base_url": base_url,
            "auth": auth,
            "headers": {"User-Agent": "comptoir", **(headers or {})},
            "proxy": proxy_url(options, secrets),
            "transport": transport,
        }
        self._client: httpx.AsyncClient | None = None
        self._closed = False

    def _connection(self) -> httpx.AsyncClient:
        """The ``httpx`` client, made at the first request: its TLS trust (certifi's bundle and the
        profile's authority, about 0.07 s of CPU) is loaded only by a run that sends something."""
        if self._client is None:
            if self._closed:
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            options = self.options
            limits = httpx.Limits(
                max_connections=options.concurrency, max_keepalive_connections=options.concurrency
            )
            self._client = httpx.AsyncClient(
                **self._settings,
                timeout=httpx.Timeout(options.timeout),
                limits=limits,
                verify=ssl_context(options),
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            await self._client.aclose()

    async def _pace(self) -> None:
        delay = self.options.request_delay_ms / 1000
        if delay <= 0:
            return
        async with self._pace_lock:
            now = time.monotonic()
            wait = self._next_start - now
            self._next_start = max(now, self._next_start) + delay
        if wait > 0:
            await self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(MAX_BACKOFF, self._backoff_base * (2 ** (attempt - 1)))
        return self._rng.uniform(ceiling / 2, ceiling)

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool = True,
        auth: httpx.Auth | None = None,
    ) -> httpx.Response:
        """Send with retries; the final answer is returned whatever its status.

        The authentication runs again at each attempt (OAuth signatures carry a nonce). ``auth``
        replaces the client's for this request (a route the API keys do not open).
        Raises ``TransportFailure`` when no answer came.
        """
        client = self._connection()
        if json is not None:
            content = encode_json(json)
            headers = {"Content-Type": "application/json", **(headers or {})}
        attempts = self.options.max_attempts
        attempt = 0
        while True:
            attempt += 1
            try:
                # The body is encoded before a slot is taken: a slot is held for the request's
                # time on the wire and in the shop, not while the job encodes the next one.
                built = client.build_request(method, url, params=params, content=content, headers=headers)
                async with self._slots:
                    await self._pace()
                    self.stats.requests += 1
                    response = await client.send(
                        built, auth=auth if auth is not None else httpx.USE_CLIENT_DEFAULT
                    )
            except httpx.HTTPError as exc:
                failure = _classify(exc)
                self.stats.failures[failure.kind] += 1
                retry = failure.kind != "tls" and (idempotent or not failure.maybe_processed)
                if not retry or attempt >= attempts:
                    raise failure from exc
                self.stats.retries += 1
                await self._sleep(self._backoff(attempt))
                continue
            self.stats.by_status[response.status_code] += 1
            status = response.status_code
            retryable = status in RETRY_STATUSES and (idempotent or status in NOT_PROCESSED_STATUSES)
            if not retryable or attempt >= attempts:
                return response
            self.stats.retries += 1
            wait = retry_after_seconds(response)
            await self._sleep(wait if wait is not None else self._backoff(attempt))


def _classify(exc: httpx.HTTPError) -> TransportFailure:
    if isinstance(exc, httpx.ConnectError) and _is_tls_error(exc):
        return TransportFailure("tls", f"TLS error: {exc}", maybe_processed=False)
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return TransportFailure("timeout", f"timed out connecting: {exc!r}", maybe_processed=False)
    if isinstance(exc, httpx.TimeoutException):
        return TransportFailure("timeout", f"timed out waiting for the answer: {exc!r}", maybe_processed=True)
    if isinstance(exc, httpx.ConnectError):
        return TransportFailure("unreachable", f"cannot connect: {exc}", maybe_processed=False)
    return TransportFailure("unreachable", f"connection lost: {exc!r}", maybe_processed=True)
