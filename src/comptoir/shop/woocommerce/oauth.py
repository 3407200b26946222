"""OAuth 1.0a one-legged signing for shops served over plain HTTP (``WooOAuth1``, an ``httpx.Auth``).

WooCommerce accepts HTTP Basic keys only over HTTPS; over HTTP it wants signed query
parameters. Its base string (``WC_REST_Authentication::check_oauth_signature``) encodes each key
and value once (PHP ``rawurlencode``) and joins them with ``%3D`` and ``%26``; that differs from
RFC 5849 for values holding reserved characters (``sku=A,B``), so this signer follows WooCommerce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Generator, Mapping
from typing import Any
from urllib.parse import quote

import httpx


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def base_string(method: str, url: str, params: Mapping[str, str]) -> str:
    pairs = [
        f"{_encode(key)}%3D{_encode(params[key])}"
        for key in sorted((k for k in params if k != "oauth_signature"), key=lambda k: k.encode())
    ]
    return f"{method.upper()}&{_encode(url)}&{'%26'.join(pairs)}"


def sign(
    method: str,
    url: str,
    params: Mapping[str, Any] | None,
    consumer_key: str,
    consumer_secret: str,
    *,
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The query parameters to send: ``params`` (lists joined with commas) plus the OAuth ones."""
    query = {
        str(k): ",".join(str(i) for i in v) if isinstance(v, list | tuple) else _plain(v)
        for k, v in (params or {}).items()
        if v is not None
    }
    query.update(
        oauth_consumer_key=consumer_key,
        oauth_timestamp=str(int(now if now is not None else time.time())),
        oauth_nonce=nonce or secrets.token_hex(16),
        oauth_signature_method="HMAC-SHA256",
    )
    digest = hmac.new(
        f"{consumer_secret}&".encode(), base_string(method, url, query).encode(), hashlib.sha256
    )
    query["oauth_signature"] = base64.b64encode(digest.digest()).decode()
    return query


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class WooOAuth1(httpx.Auth):
    """Signs each request (each retry too: a fresh nonce) as WooCommerce checks it."""

    def __init__(self, consumer_key: str, consumer_secret: str) -> None:
        self._key = consumer_key
        self._secret = consumer_secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        params = dict(request.url.params)
        base = str(request.url.copy_with(query=None))
        signed = sign(request.method, base, params, self._key, self._secret)
        request.url = request.url.copy_with(params=signed)
        yield request
