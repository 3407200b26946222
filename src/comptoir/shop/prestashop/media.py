"""Product images over the webservice's image resource (``WebserviceSpecificManagementImages``).

- upload: ``POST /api/images/products/{product}`` with the file as the multipart field
  ``image`` (PrestaShop finds the type from the bytes; gif, jpeg, png, webp); the answer is the
  new image entity, whose id comptoir keeps. The first image of a product becomes its cover.
- delete: ``DELETE /api/images/products/{product}/{image}``, once every new file of the product
  is uploaded: a refused upload leaves the product with its old images (the new files uploaded
  before it are deleted), PrestaShop moving the cover to the first image left when it deletes the
  cover.
- the product's images (for ``replace_others``): ``GET /api/images/products/{product}`` in XML,
  one ``<declination id=…>`` per image; 404 without content when it has none.

Images follow upload order (PrestaShop's ``position``): a changed image goes last. A variation's
images go to its product (combinations take images from their product's). An unknown product
(code 76 "Product … does not exist") is reported with the neutral ``not_found`` code.
Documents (``attachments``) are not sent: the platform's capabilities say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from comptoir.model import NOT_FOUND, ItemError, MediaKind, MediaPlan, MediaResult, ProductKind
from comptoir.shop.http import TransportFailure
from comptoir.shop.prestashop.api import PsApi, PsApiError, whole_shop_error

MISSING_PRODUCT = 76


def _multipart(field: str, name: str, mime: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        f"Content-Type: {mime}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Media:
    """Images of products, for ``PrestaShopShop.save_media``."""

    def __init__(self, api: PsApi) -> None:
        self.api = api

    async def _request(
        self, method: str, path: str, *, content: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, bytes, str]:
        headers = {"Content-Type": content_type} if content_type else None
        response = await self.api.http.request(
            method,
            self.api.endpoint(path),
            params={"output_format": "JSON"} if method == "POST" else {},
            content=content,
            headers=headers,
            idempotent=method != "POST",
        )
        if response.status_code >= 400 and not (response.status_code == 404 and not response.content):
            raise PsApiError.from_response(response)
        return response.status_code, response.content, response.headers.get("content-type", "")

    async def _held(self, product: str) -> list[str]:
        status, body, _ = await self._request("GET", f"images/products/{product}")
        if status == 404 or not body:
            return []
        root = ET.fromstring(body)
        return [d.get("id", "") for d in root.iter("declination") if d.get("id")]

    async def _upload(self, product: str, name: str, mime: str, data: bytes) -> str:
        body, content_type = _multipart("image", name, mime, data)
        _, answer, _ = await self._request(
            "POST", f"images/products/{product}", content=body, content_type=content_type
        )
        parsed = json.loads(answer)
        entity = parsed.get("image") if isinstance(parsed, dict) else None
        if not isinstance(entity, dict) or "id" not in entity:
            raise PsApiError(200, [], "the shop did not answer with the new image")
        return str(entity["id"])

    async def _one(self, plan: MediaPlan) -> MediaResult:
        if plan.kind is not MediaKind.IMAGE:
            error = ItemError("unsupported", "documents are not sent to PrestaShop", "documents")
            return MediaResult(plan.sku, error=error)
        ref = plan.product
        product = (
            (ref.parent_id or ref.shop_id.split("-", 1)[0])
            if ref.kind is ProductKind.VARIATION
            else ref.shop_id
        )
        try:
            ids = dict(plan.keep)
            ids |= await self._upload_all(product, plan)
            for image in plan.delete:
                await self._delete(product, image)
            if plan.replace_others:
                ours = set(ids.values())
                for image in await self._held(product):
                    if image not in ours:
                        await self._delete(product, image)
        except PsApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            if MISSING_PRODUCT in exc.codes and "does not exist" in exc.message:
                return MediaResult(plan.sku, error=ItemError(NOT_FOUND, exc.message, "id"))
            return MediaResult(plan.sku, error=ItemError(f"ps_{exc.code}", exc.message, "images"))
        except TransportFailure as exc:
            return MediaResult(plan.sku, error=ItemError(exc.kind, str(exc), "images", True))
        except OSError as exc:
            return MediaResult(
                plan.sku, error=ItemError("file", f"cannot read {exc.filename}: {exc}", "images")
            )
        return MediaResult(plan.sku, ids)

    async def _upload_all(self, product: str, plan: MediaPlan) -> dict[str, str]:
        """Upload the plan's new files; if one fails, delete those uploaded before it, so that the
        product shows its old images only (nothing is deleted before every new file is in)."""
        uploaded: dict[str, str] = {}
        try:
            for file in plan.upload:
                data = await asyncio.to_thread(file.path.read_bytes)
                uploaded[file.key] = await self._upload(product, file.name, file.mime, data)
        except (PsApiError, TransportFailure, OSError):
            for image in uploaded.values():
                with contextlib.suppress(PsApiError, TransportFailure):
                    await self._delete(product, image)
            raise
        return uploaded

    async def _delete(self, product: str, image: str) -> None:
        try:
            await self._request("DELETE", f"images/products/{product}/{image}")
        except PsApiError as exc:
            if exc.status != 400:
                raise

    async def save(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        return list(await asyncio.gather(*(self._one(plan) for plan in plans)))
