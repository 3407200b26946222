"""Pytest fixtures for the WooCommerce sandbox: a started server and settings pointing at it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from comptoir.profile import HttpOptions, SecretResolver
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.sandbox.woocommerce.demo_shop import TAX_CLASSES
from comptoir.shop.woocommerce import WooCommerceShop
from comptoir.shop.woocommerce.settings import WooCommerceSettings


@pytest.fixture(scope="session")
def woo_tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One certificate authority for every sandbox of the session (generating one costs time)."""
    return tmp_path_factory.mktemp("woo-tls")


@pytest.fixture
def woo_sandbox(woo_tls_dir: Path) -> Iterator[SandboxServer]:
    """A WooCommerce sandbox on 127.0.0.1 (HTTPS, memory store), stopped after the test."""
    with SandboxServer(tls_dir=woo_tls_dir, seed=1234) as server:
        yield server


def woo_settings_for(
    server: SandboxServer, *, key: str | None = None, secret: str | None = None, **http: Any
) -> tuple[WooCommerceSettings, SecretResolver]:
    """``WooCommerceSettings`` + ``SecretResolver`` for ``server`` (its read/write key unless given)."""
    options = {"ca_file": server.ca_file, "request_delay_ms": 0, "timeout": 10.0, **http}
    settings = WooCommerceSettings(url=server.url, http=HttpOptions(**options), tax_classes=TAX_CLASSES)
    environ = {
        "COMPTOIR_SHOP_KEY": key or server.consumer_key,
        "COMPTOIR_SHOP_SECRET": secret or server.consumer_secret,
    }
    return settings, SecretResolver(environ=environ)


@pytest.fixture
def woo_settings(woo_sandbox: SandboxServer) -> tuple[WooCommerceSettings, SecretResolver]:
    """Settings and secrets for the ``woo_sandbox`` shop."""
    return woo_settings_for(woo_sandbox)


@pytest.fixture
async def woo_shop(
    woo_settings: tuple[WooCommerceSettings, SecretResolver],
) -> AsyncIterator[WooCommerceShop]:
    """The adapter opened on the ``woo_sandbox`` shop (short backoff for fast fault tests)."""
    settings, secrets = woo_settings
    shop = WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01)
    try:
        yield shop
    finally:
        await shop.aclose()


def woo_client(server: SandboxServer, auth: tuple[str, str] | None = None, **kwargs: Any) -> httpx.Client:
    """A synchronous client on ``server``'s ``/wp-json/wc/v3`` (its read/write key unless given)."""
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(
        base_url=server.api_url,
        verify=verify,
        auth=auth or (server.consumer_key, server.consumer_secret),
        **kwargs,
    )


@pytest.fixture
def woo(woo_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A client on a fresh ``woo_sandbox`` shop, authenticated with its read/write key."""
    with woo_client(woo_sandbox) as http:
        yield http
