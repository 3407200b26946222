"""Webservice calls over ``ShopHttpClient``: JSON reads, XML writes, error bodies, paging, lookups.

Reads ask for JSON (``output_format=JSON``) with ``display``, ``filter[…]``, ``sort`` and
``limit=offset,count`` (``OffsetLimitPaging``: PrestaShop gives no total, pages are read until
one comes back short). An empty list is ``[]`` in JSON, a list ``{"products": [{…}]}``. Lookups
of many values (SKUs, e-mails, ids) go in ``filter[field]=[a|b|…]`` chunks short enough for any
server's URL limit. Writes send XML and ask for the saved object back in JSON. Every answer's
``PSWS-Version`` header tells which PrestaShop this is (PATCH exists from 8.0).
"""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx

from comptoir.shop.base import ShopError
from comptoir.shop.batching import query_groups
from comptoir.shop.http import ShopHttpClient, TransportFailure, decode_json
from comptoir.shop.paging import OffsetLimitPaging, Page

PAGE = 500
"""Objects per page of a list read."""
FILTER_CHARS = 1200
"""Keep each ``filter[…]=[a|b|…]`` value under this length so URLs stay well below server limits."""
FILTER_VALUES = 100
"""At most this many values per lookup request."""
UNSAFE_IN_FILTER = frozenset("|[]")
"""Characters a filter value cannot carry (they are the filter syntax itself)."""

AUTH_CODES = {
    16: "no webservice key was sent",
    17: "the webservice key is empty",
    18: "the webservice key is not 32 characters long",
    20: "the webservice key is unknown or inactive",
    21: "the webservice key has no permission",
}
"""``WebserviceRequest::authenticate`` refusals (401)."""


class PsApiError(Exception):
    """An error answer: HTTP status and PrestaShop's ``(code, message)`` pairs (none when the
    answer was not the webservice's own: a proxy's or web server's page)."""

    def __init__(self, status: int, errors: Sequence[tuple[int, str]], reason: str = "") -> None:
        self.status = status
        self.errors = list(errors)
        shown = "; ".join(f"{m} (code {c})" for c, m in self.errors) or reason or f"HTTP {status}"
        super().__init__(f"{status}: {shown}")
        self.message = shown

    @property
    def code(self) -> int:
        """The first PrestaShop error code (0 when the body was not PrestaShop's)."""
        return self.errors[0][0] if self.errors else 0

    @property
    def codes(self) -> set[int]:
        return {code for code, _ in self.errors}

    @property
    def from_webservice(self) -> bool:
        """PrestaShop itself answered (it refused, with its codes): the outcome is known."""
        return bool(self.errors)

    @property
    def retryable(self) -> bool:
        return not self.from_webservice and (self.status == 429 or self.status >= 500)

    @classmethod
    def from_response(cls, response: httpx.Response) -> PsApiError:
        return cls(response.status_code, parse_errors(response), response.reason_phrase)


def parse_errors(response: httpx.Response) -> list[tuple[int, str]]:
    """``renderErrors``' body, JSON (``{"errors": [{"code", "message"}]}``) or XML."""
    text = response.text
    if not text.strip():
        return []
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        return [
            (int(e.get("code") or 0), str(e.get("message") or ""))
            for e in body["errors"]
            if isinstance(e, dict)
        ]
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return []
    found = []
    for error in root.iter("error"):
        code = (error.findtext("code") or "0").strip()
        found.append((int(code) if code.isdigit() else 0, (error.findtext("message") or "").strip()))
    return found


def whole_shop_error(exc: PsApiError | TransportFailure) -> ShopError | None:
    """Failures that concern the whole shop (key, permissions, webservice off, TLS), not one item."""
    if isinstance(exc, TransportFailure):
        return ShopError("tls", str(exc)) if exc.kind == "tls" else None
    codes = exc.codes
    if exc.status == 503 and 22 in codes:
        return ShopError(
            "disabled",
            "the PrestaShop webservice is disabled: enable it in Advanced Parameters > Webservice",
        )
    if exc.status == 401 and 26 in codes:
        return ShopError("permission", f"the webservice key may not use this resource: {exc.message}")
    if exc.status == 405 and 25 in codes:
        return ShopError("permission", f"the webservice key may not use this method: {exc.message}")
    if exc.status == 401:
        known = [AUTH_CODES[c] for c in sorted(codes) if c in AUTH_CODES]
        reason = "; ".join(known) or exc.message
        return ShopError("auth", f"the shop refused the webservice key: {reason}")
    return None


def shop_error(exc: PsApiError | TransportFailure) -> ShopError:
    """Any failure of a read, as the ``ShopError`` a job reports."""
    found = whole_shop_error(exc)
    if found is not None:
        return found
    if isinstance(exc, TransportFailure):
        return ShopError(exc.kind, str(exc))
    return ShopError("http", f"the shop answered {exc}")


def items(body: Any, resource: str) -> list[dict[str, Any]]:
    """The objects of a list answer: ``{"products": [...]}``, or ``[]`` when there are none."""
    if isinstance(body, dict):
        found = body.get(resource)
        if isinstance(found, list):
            return [item for item in found if isinstance(item, dict)]
        if isinstance(found, dict):
            return [found]
    return []


def chunk_values(values: Iterable[str]) -> list[list[str]]:
    """Values cut into filter chunks (``FILTER_VALUES`` at most, ``FILTER_CHARS`` long at most);
    values a filter cannot carry are left out."""
    safe = (v for v in dict.fromkeys(values) if v and not UNSAFE_IN_FILTER & set(v))
    return query_groups(safe, most=FILTER_VALUES, chars=FILTER_CHARS)


class PsApi:
    """Webservice requests for one shop; the key is the HTTP client's Basic user."""

    def __init__(self, url: str, http: ShopHttpClient) -> None:
        self.url = url.rstrip("/")
        self.http = http
        self.version: str | None = None
        """``PSWS-Version`` of the last authenticated answer (``8.2.0``)."""
        self.paging = OffsetLimitPaging(PAGE, lambda offset, count: {"limit": f"{offset},{count}"})

    def endpoint(self, path: str) -> str:
        return f"{self.url}/api/{path.lstrip('/')}"

    @property
    def has_patch(self) -> bool:
        """PATCH exists from PrestaShop 8.0 (1.7 answers 405, code 23)."""
        return self.version is not None and not self.version.startswith("1.")

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        idempotent: bool = True,
    ) -> httpx.Response:
        """One call (retried by the HTTP client); ``TransportFailure`` when no answer came."""
        headers = {"Content-Type": "application/xml; charset=utf-8"} if content is not None else None
        response = await self.http.request(
            method,
            self.endpoint(path),
            params=dict(params or {}),
            content=content,
            headers=headers,
            idempotent=idempotent,
        )
        version = response.headers.get("PSWS-Version")
        if version:
            self.version = version
        return response

    async def permissions(self) -> dict[str, frozenset[str]]:
        """What the key may do: the root listing (XML: its JSON form fails on 8 and 9, PrestaShop
        #32179) gives each granted resource with ``get``/``put``/``post``/``patch``/``delete``."""
        response = await self.send("GET", "")
        if response.status_code >= 400:
            raise PsApiError.from_response(response)
        try:
            root = ET.fromstring(response.text)
        except ET.ParseError:
            raise PsApiError(response.status_code, [], "the webservice root is not XML") from None
        api = root.find("api")
        granted: dict[str, frozenset[str]] = {}
        for node in api if api is not None else []:
            methods = {m.upper() for m in ("get", "put", "post", "patch", "delete") if node.get(m) == "true"}
            granted[node.tag] = frozenset(methods)
        return granted

    async def json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET in JSON; ``None`` for a 404 without content (an unknown id); ``PsApiError`` otherwise."""
        response = await self.send("GET", path, params={**(params or {}), "output_format": "JSON"})
        if response.status_code == 404 and not response.content:
            return None
        if response.status_code >= 400:
            raise PsApiError.from_response(response)
        try:
            return decode_json(response.content)
        except ValueError:
            raise PsApiError(
                response.status_code, [], "the shop answered something that is not JSON"
            ) from None

    async def list_all(self, resource: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Every object matching ``params`` (``display`` defaults to ``full``), page after page."""
        query = {"display": "full", "sort": "[id_ASC]", **(params or {})}

        async def get(paging: dict[str, Any]) -> Page:
            body = await self.json(resource, {**query, **paging})
            return items(body, resource), {}

        return await self.paging.fetch_all(get)

    async def lookup(
        self,
        resource: str,
        field: str,
        values: Iterable[str],
        params: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Objects whose ``field`` is one of ``values`` (case-insensitive, as MySQL compares)."""
        groups = chunk_values(values)
        pages = await asyncio.gather(
            *(
                self.list_all(resource, {**(params or {}), f"filter[{field}]": "[" + "|".join(g) + "]"})
                for g in groups
            )
        )
        return [item for page in pages for item in page]

    async def write(
        self, method: str, resource: str, body: bytes, ident: str | None = None
    ) -> dict[str, Any]:
        """POST, PUT or PATCH one entity; the saved object (read back in JSON)."""
        path = resource if ident is None else f"{resource}/{ident}"
        response = await self.send(
            method, path, params={"output_format": "JSON"}, content=body, idempotent=method != "POST"
        )
        if response.status_code >= 400:
            raise PsApiError.from_response(response)
        try:
            answer = decode_json(response.content)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            for value in answer.values():
                if isinstance(value, dict):
                    return value
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    return dict(value[0])
        raise PsApiError(response.status_code, [], "the shop did not answer with the saved object")
