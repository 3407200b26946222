"""Images through the WooCommerce sandbox's media library, as export products sends them: uploaded
and attached, replaced (the old file deleted once the new one shows), and an upload the shop
refuses leaves the product showing its old image, nothing deleted."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx
from job_harness import Harness

from comptoir.demo.images import png
from comptoir.jobs.runner import JobName, RunStatus


def media(harness: Harness, ident: int) -> int:
    """The status the WordPress media route answers for an attachment (200, or 404 once deleted)."""
    user, password = harness.sandbox.media_login()
    trust = ssl.create_default_context(cafile=str(harness.sandbox.ca_file))
    with httpx.Client(verify=trust, auth=(user, password), timeout=30) as client:
        return client.get(f"{harness.sandbox.url}/wp-json/wp/v2/media/{ident}").status_code


def shown(harness: Harness, sku: str) -> list[int]:
    [product] = harness.client.get("products", sku=sku)
    return [int(image["id"]) for image in product["images"]]


def simple_sku(harness: Harness) -> str:
    products: list[dict[str, Any]] = harness.shop_all("products")
    return next(p["sku"] for p in products if p["type"] == "simple" and p["sku"])


async def test_images_are_replaced_only_once_the_new_one_shows(harness: Harness, tmp_path: Path) -> None:
    created, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert created.status is RunStatus.OK, lines
    sku = simple_sku(harness)
    folder = tmp_path / "images"
    folder.mkdir()
    picture = folder / f"{sku}.png"
    picture.write_bytes(png(8, 8, (200, 40, 40)))
    harness.write_profile(
        products={"images": {"enabled": True, "folder": str(folder)}, "update_fields": ["images"]}
    )

    sent, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert sent.status is RunStatus.OK, lines
    [first] = shown(harness, sku)
    assert media(harness, first) == 200

    picture.write_bytes(png(8, 8, (10, 120, 10)))
    replaced, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert replaced.status is RunStatus.OK, lines
    [second] = shown(harness, sku)
    assert second != first, "the new content is a new attachment"
    assert media(harness, first) == 404, "the replaced file is deleted from the library"

    picture.write_bytes(b"not a picture at all")
    refused, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert refused.status is RunStatus.ITEMS_FAILED, lines
    assert any(sku in line and "not allowed to upload this file type" in line for line in lines), lines
    assert shown(harness, sku) == [second], "the product still shows its image"
    assert media(harness, second) == 200, "nothing is deleted before the new file is in place"

    picture.write_bytes(png(8, 8, (10, 10, 200)))
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.status is RunStatus.OK, lines
    [third] = shown(harness, sku)
    assert third not in (first, second) and media(harness, second) == 404
