"""Fixtures for the PrestaShop sandbox contract tests: the sandbox on a real local socket (HTTPS,
memory store), answering as PrestaShop 9 unless a test parametrizes ``ps_version``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.shop.prestashop import PrestaShopShop
from ps_helpers import adapter


@pytest.fixture(params=["9"])
def ps_version(request: pytest.FixtureRequest) -> str:
    """The version the sandbox answers as (tests of version differences parametrize this)."""
    return str(request.param)


@pytest.fixture
def ps(woo_tls_dir: Path, ps_version: str) -> Iterator[PrestaShopSandbox]:
    """A PrestaShop sandbox on 127.0.0.1, stopped after the test."""
    with PrestaShopSandbox(version=ps_version, tls_dir=woo_tls_dir, seed=1234) as server:
        yield server


@pytest.fixture
async def ps_shop(ps: PrestaShopSandbox) -> AsyncIterator[PrestaShopShop]:
    """The adapter opened on the ``ps`` sandbox with the admin key and the French tax groups."""
    shop = adapter(ps)
    try:
        yield shop
    finally:
        await shop.aclose()
