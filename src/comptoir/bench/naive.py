"""A naive client: one request per item, one after the other, as desktop connectors do. It is timed
on a sample of items already in the shop through the platform's own adapter (one item per call, one
call at a time), and its time per item is extrapolated to the step's items."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from comptoir.model import ProductDraft, ProductKind
from comptoir.profile import Profile, secret_resolver
from comptoir.registry import open_shop


async def seconds_per_item(
    profile: Profile, skus: Sequence[str], draft: Callable[[str], ProductDraft]
) -> float:
    """Save each of ``skus`` alone, in turn (``draft`` says what is sent); the mean time per item."""
    http = profile.shop.http.model_copy(update={"concurrency": 1})
    shop = open_shop(profile.shop.model_copy(update={"http": http}), secret_resolver(profile))
    try:
        found = await shop.find_products(skus)
        start = time.perf_counter()
        for sku in skus:
            place = found[sku]
            item = draft(sku)
            if place.parent_id:
                item = replace(item, kind=ProductKind.VARIATION)
            await shop.save_products([], [(place, item)])
        return (time.perf_counter() - start) / max(len(skus), 1)
    finally:
        await shop.aclose()
