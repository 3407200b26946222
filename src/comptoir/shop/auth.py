"""Authentication strategies as ``httpx.Auth`` objects, chosen by each adapter.

``httpx.BasicAuth`` covers an API key sent as a Basic user (PrestaShop's ``ws_key``) or a key
pair (WooCommerce over HTTPS); ``QueryKeys`` puts credentials in the query string (for hosts
that strip the Authorization header, or when a front basic authentication occupies it);
``Chain`` applies several (the front authentication, then the API's). Platform-specific
signatures (WooCommerce's OAuth 1.0a over HTTP) live in their adapter as ``httpx.Auth`` too.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping

import httpx


class QueryKeys(httpx.Auth):
    """Credentials as query parameters added to every request."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self._params = dict(params)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params(self._params)
        yield request


class Chain(httpx.Auth):
    """Several strategies applied in turn; each must change the request only (no challenge)."""

    def __init__(self, *auths: httpx.Auth) -> None:
        self._auths = auths

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        for auth in self._auths:
            flow = auth.sync_auth_flow(request)
            request = next(flow)
            flow.close()
        yield request
