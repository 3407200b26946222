"""Product images through WordPress's media library, as files (never a public URL).

- upload: ``POST /wp-json/wp/v2/media?post=<product>`` with the file as the raw body,
  ``Content-Type`` its type and ``Content-Disposition: attachment; filename="…"``
  (``WP_REST_Attachments_Controller::create_item`` → ``upload_from_data``); the answer (201) is
  the attachment, whose id comptoir keeps;
- delete: ``DELETE /wp-json/wp/v2/media/<id>?force=true`` (attachments cannot be trashed);
- attach: ``POST /wc/v3/products/batch`` with ``images: [{"id": …}, …]`` in order (the first is
  the featured image, the others the gallery: ``set_product_images``); a variation gets its first
  image as ``image: {"id": …}`` through ``products/<parent>/variations/batch``. Images the product
  has that comptoir did not send are kept after its own, unless ``replace_others``.

WooCommerce's API keys authenticate its own namespaces only (``WC_REST_Authentication`` checks the
route is under ``wc/``; WooCommerce 11.1 refuses keys elsewhere), so the media routes are reached
with a WordPress application password (``shop.media_user``, ``shop.media_password``:
``wp_authenticate_application_password``). Without them, images are refused with a message
saying so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from comptoir.model import NOT_FOUND, ItemError, MediaKind, MediaPlan, MediaResult, ProductKind
from comptoir.shop.http import ShopHttpClient, TransportFailure
from comptoir.shop.woocommerce.api import WooApi, WooApiError, chunks, whole_shop_error

MEDIA_PATH = "/wp-json/wp/v2/media"


class _PlanFailed(Exception):
    def __init__(self, error: ItemError) -> None:
        super().__init__(error.message)
        self.error = error


def _failure(exc: WooApiError | TransportFailure, what: str) -> ItemError:
    if isinstance(exc, TransportFailure):
        return ItemError(exc.kind, f"{what}: {exc}", "images", True)
    return ItemError(exc.code, f"{what}: {exc.message}", "images", exc.retryable)


class WooMedia:
    """Images of products and variations, for ``WooCommerceShop.save_media``."""

    def __init__(self, api: WooApi, wp: ShopHttpClient | None) -> None:
        self.api = api
        self.wp = wp
        """The client authenticated with the WordPress application password (``None``: none set)."""

    async def _wp(self, method: str, path: str, **kwargs: Any) -> Any:
        assert self.wp is not None
        response = await self.wp.request(method, f"{self.api.url}{MEDIA_PATH}{path}", **kwargs)
        if response.status_code >= 400:
            raise WooApiError.from_response(response)
        return response.json() if response.content else None

    async def _upload(self, product: str, name: str, mime: str, path: Any) -> str:
        data = await asyncio.to_thread(path.read_bytes)
        headers = {
            "Content-Type": mime,
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        }
        body = await self._wp(
            "POST", "", params={"post": product}, content=data, headers=headers, idempotent=False
        )
        if not isinstance(body, dict) or "id" not in body:
            raise WooApiError(201, "invalid_json", "the media library did not answer with the attachment")
        return str(body["id"])

    async def _delete(self, ident: str) -> None:
        try:
            await self._wp("DELETE", f"/{ident}", params={"force": "true"})
        except WooApiError as exc:
            if exc.status != 404:
                raise

    async def _files(self, plan: MediaPlan) -> dict[str, str]:
        ref = plan.product
        owner = ref.parent_id if ref.kind is ProductKind.VARIATION else ref.shop_id
        ids = dict(plan.keep)
        try:
            await asyncio.gather(*(self._delete(i) for i in plan.delete))
            uploaded = await asyncio.gather(
                *(self._upload(owner or plan.product.shop_id, f.name, f.mime, f.path) for f in plan.upload)
            )
        except (WooApiError, TransportFailure) as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            raise _PlanFailed(_failure(exc, "upload")) from exc
        except OSError as exc:
            raise _PlanFailed(ItemError("file", f"cannot read {exc.filename}: {exc}", "images")) from exc
        ids |= {f.key: shop_id for f, shop_id in zip(plan.upload, uploaded, strict=True)}
        return ids

    async def _current(self, plans: Sequence[MediaPlan]) -> dict[str, list[int]]:
        """The images each product holds now (products only: a variation has one image)."""
        wanted = [p.product.shop_id for p in plans if p.product.kind is not ProductKind.VARIATION]
        held: dict[str, list[int]] = {}
        for chunk in chunks(wanted):
            items = await self.api.list_all("products", {"include": ",".join(chunk), "status": "any"})
            for item in items:
                held[str(item["id"])] = [int(i["id"]) for i in item.get("images") or [] if i.get("id")]
        return held

    async def save(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        results: dict[str, MediaResult] = {}
        todo: list[MediaPlan] = []
        for plan in plans:
            if plan.kind is not MediaKind.IMAGE:
                error = ItemError(
                    "unsupported", "documents are not attached to WooCommerce products yet", "documents"
                )
                results[plan.sku] = MediaResult(plan.sku, error=error)
            elif self.wp is None:
                error = ItemError(
                    "no_media_password",
                    "images need a WordPress application password (shop.media_user, shop.media_password)",
                    "images",
                )
                results[plan.sku] = MediaResult(plan.sku, error=error)
            else:
                todo.append(plan)
        if not todo:
            return [results[p.sku] for p in plans]
        try:
            held = await self._current([p for p in todo if not p.replace_others])
        except (WooApiError, TransportFailure) as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            error = _failure(exc, "reading the products' images")
            return [results.get(p.sku) or MediaResult(p.sku, error=error) for p in plans]
        files: dict[str, dict[str, str]] = {}
        for plan, outcome in zip(todo, await asyncio.gather(*(self._guard(p) for p in todo)), strict=True):
            if isinstance(outcome, ItemError):
                results[plan.sku] = MediaResult(plan.sku, error=outcome)
            else:
                files[plan.sku] = outcome
        attached = await self._attach([p for p in todo if p.sku in files], files, held)
        for plan in todo:
            if plan.sku in files:
                refused = attached.get(plan.sku)
                ids = files[plan.sku] if refused is None else {}
                results[plan.sku] = MediaResult(plan.sku, ids, refused)
        return [results[p.sku] for p in plans]

    async def _guard(self, plan: MediaPlan) -> dict[str, str] | ItemError:
        try:
            return await self._files(plan)
        except _PlanFailed as failed:
            return failed.error

    async def _attach(
        self, plans: Sequence[MediaPlan], files: dict[str, dict[str, str]], held: dict[str, list[int]]
    ) -> dict[str, ItemError]:
        """Set each product's images (one batch per 100 products, per parent for variations)."""
        products: list[tuple[str, dict[str, Any]]] = []
        variations: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for plan in plans:
            ours = [int(files[plan.sku][k]) for k in plan.order if k in files[plan.sku]]
            ref = plan.product
            if ref.kind is ProductKind.VARIATION:
                image: dict[str, Any] = {"id": ours[0]} if ours else {}
                item = {"id": int(ref.shop_id), "product_id": int(ref.parent_id or 0), "image": image}
                variations.setdefault(ref.parent_id or "", []).append((plan.sku, item))
                continue
            gone = {int(i) for i in plan.delete}
            others = [i for i in held.get(ref.shop_id, []) if i not in ours and i not in gone]
            images = [{"id": i} for i in [*ours, *others]]
            products.append((plan.sku, {"id": int(ref.shop_id), "images": images}))
        errors: dict[str, ItemError] = {}
        batches = [("products/batch", chunk) for chunk in chunks(products)]
        batches += [
            (f"products/{parent}/variations/batch", chunk)
            for parent, items in variations.items()
            for chunk in chunks(items)
        ]
        for path, chunk in batches:
            try:
                data, _ = await self.api.json("POST", path, json={"update": [item for _, item in chunk]})
            except (WooApiError, TransportFailure) as exc:
                shop = whole_shop_error(exc)
                if shop is not None:
                    raise shop from exc
                for sku, _ in chunk:
                    errors[sku] = _failure(exc, "attaching the images")
                continue
            answers = data.get("update") if isinstance(data, dict) else None
            for index, (sku, _) in enumerate(chunk):
                answer = answers[index] if isinstance(answers, list) and index < len(answers) else None
                error = answer.get("error") if isinstance(answer, dict) else None
                if isinstance(error, dict):
                    code = str(error.get("code", ""))
                    missing = code.endswith("_invalid_id")
                    message = str(error.get("message", ""))
                    errors[sku] = ItemError(NOT_FOUND if missing else code, message, "images")
                elif answer is None:
                    message = "the shop did not answer for this product"
                    errors[sku] = ItemError("no_answer", message, "images", True)
        return errors
