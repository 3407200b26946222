"""Fixtures of the shared shop contract suite: every registered platform, against its sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from shop_harness import open_shop

from comptoir.registry import SHOPS, shop_platform
from comptoir.shop.base import Shop
from comptoir.shop.platform import RunningSandbox, ShopPlatform


@pytest.fixture(params=sorted(SHOPS))
def platform(request: pytest.FixtureRequest) -> ShopPlatform:
    return shop_platform(request.param)


@pytest.fixture
def sandbox(platform: ShopPlatform) -> Iterator[RunningSandbox]:
    running = platform.sandbox(None)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
async def shop(platform: ShopPlatform, sandbox: RunningSandbox) -> AsyncIterator[Shop]:
    opened = open_shop(platform, sandbox)
    try:
        yield opened
    finally:
        await opened.aclose()
