"""WooCommerce REST calls over ``ShopHttpClient``: authentication, error bodies, paging, batches."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import httpx

from comptoir.shop.auth import QueryKeys
from comptoir.shop.base import ShopError
from comptoir.shop.http import ShopHttpClient, TransportFailure, decode_json
from comptoir.shop.paging import Page, PageNumberPaging
from comptoir.shop.woocommerce.oauth import WooOAuth1

PER_PAGE = 100
BATCH_LIMIT = 100
API_PATH = "/wp-json/wc/v3/"


class WooApiError(Exception):
    """A WooCommerce error answer: HTTP status, WooCommerce code, message and data."""

    def __init__(self, status: int, code: str, message: str, data: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.data = dict(data or {})

    @property
    def retryable(self) -> bool:
        return self.status == 429 or self.status >= 500

    @classmethod
    def from_response(cls, response: httpx.Response) -> WooApiError:
        try:
            body = decode_json(response.content)
        except ValueError:
            body = None
        if isinstance(body, dict) and "code" in body:
            data = body.get("data") if isinstance(body.get("data"), dict) else {}
            return cls(response.status_code, str(body["code"]), str(body.get("message", "")), data)
        reason = response.reason_phrase or "HTTP error"
        return cls(response.status_code, f"http_{response.status_code}", reason)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def woo_auth(url: str, consumer_key: str, consumer_secret: str, *, query: bool) -> tuple[str, httpx.Auth]:
    """WooCommerce's authentication for a shop: OAuth 1.0a over plain HTTP, the keys in the query
    string when asked (or when a front authentication holds the header), else HTTP Basic."""
    if url.startswith("http://"):
        return "oauth", WooOAuth1(consumer_key, consumer_secret)
    if query:
        return "query", QueryKeys({"consumer_key": consumer_key, "consumer_secret": consumer_secret})
    return "basic", httpx.BasicAuth(consumer_key, consumer_secret)


class WooApi:
    """wc/v3 requests for one shop, authenticated by the HTTP client's strategy (``woo_auth``)."""

    def __init__(self, url: str, http: ShopHttpClient, *, mode: str) -> None:
        self.url = url.rstrip("/")
        self.http = http
        self.mode = mode
        self.paging = PageNumberPaging(PER_PAGE, "X-WP-TotalPages")

    def endpoint(self, path: str) -> str:
        return f"{self.url}{API_PATH}{path.lstrip('/')}"

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """One call (retried by the HTTP client); ``TransportFailure`` when no answer came."""
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        return await self.http.request(
            method, self.endpoint(path), params=query, json=json, idempotent=idempotent
        )

    async def json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool = True,
    ) -> tuple[Any, httpx.Response]:
        """The decoded body of a successful answer; ``WooApiError`` otherwise."""
        response = await self.send(method, path, params=params, json=json, idempotent=idempotent)
        if response.status_code >= 400:
            raise WooApiError.from_response(response)
        try:
            return decode_json(response.content), response
        except ValueError:
            raise WooApiError(
                response.status_code, "invalid_json", "the shop answered something that is not JSON"
            ) from None

    async def list_all(self, path: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every page at 100 per page: page 1 gives ``X-WP-TotalPages``, the rest go concurrently."""

        async def get(paging: dict[str, Any]) -> Page:
            body, response = await self.json("GET", path, params={**(params or {}), **paging})
            return list(body), response.headers

        return await self.paging.fetch_all(get)

    async def total(self, path: str, params: Mapping[str, Any] | None = None) -> int:
        """``X-WP-Total`` of a collection, read from a one-item page."""
        _, response = await self.json("GET", path, params={**(params or {}), "per_page": 1})
        return int(response.headers.get("X-WP-Total", "0"))


def chunks(items: list[Any], size: int = BATCH_LIMIT) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] if items else []


def pages_needed(count: int) -> int:
    return math.ceil(count / BATCH_LIMIT)


def whole_shop_error(exc: WooApiError | TransportFailure) -> ShopError | None:
    """Failures that concern the whole shop rather than one item."""
    if isinstance(exc, TransportFailure):
        return ShopError(exc.kind, str(exc)) if exc.kind == "tls" else None
    if exc.status == 401 or exc.status == 403:
        if "write permissions" in exc.message:
            return ShopError("read_only", f"the API key is read-only: {exc.message}")
        return ShopError("auth", f"the shop refused the API key: {exc.message} ({exc.code})")
    if exc.status == 404 and exc.code == "rest_no_route":
        return ShopError("not_found", f"no such WooCommerce route: {exc.message}")
    return None
