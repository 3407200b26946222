"""Product images through WordPress's media library, as files (never a public URL).

- upload: ``POST /wp-json/wp/v2/media?post=<product>`` with the file as the raw body,
  ``Content-Type`` its type and ``Content-Disposition: attachment; filename="…"``
  (``WP_REST_Attachments_Controller::create_item`` → ``upload_from_data``); the answer (201) is
  the attachment, whose id comptoir keeps;
- delete: ``DELETE /wp-json/wp/v2/media/<id>?force=true`` (attachments cannot be trashed),
  only once the product shows its new files: a replaced file is uploaded, attached, then the old
  one deleted, so a refused upload or attach leaves the product with its old image (and the files
  uploaded for a product whose attach failed are deleted rather than left in the library);
- attach: ``POST /wc/v3/products/batch`` with ``images: [{"id": …}, …]`` in order (the first is
  the featured image, the others the gallery: ``set_product_images``); a variation gets its first
  image as ``image: {"id": …}`` through ``products/<parent>/variations/batch`` (each item names its
  parent, so the variations of many parents go 100 to a request). Images the product
  has that comptoir did not send are kept after its own, unless ``replace_others``.

WooCommerce's API keys authenticate its own namespaces only (``WC_REST_Authentication`` checks the
route is under ``wc/``; WooCommerce 11.1 refuses keys elsewhere), so the media routes are reached
with a WordPress application password (``shop.media_user``, ``shop.media_password``:
``wp_authenticate_application_password``). Without them, images are refused with a message
saying so.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from comptoir.model import NOT_FOUND, ItemError, MediaKind, MediaPlan, MediaResult, ProductKind
from comptoir.shop.http import ShopHttpClient, TransportFailure, decode_json
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

    def __init__(self, api: WooApi, wp: ShopHttpClient | None, documents_meta: str) -> None:
        self.api = api
        self.wp = wp
        """The client authenticated with the WordPress application password (``None``: none set)."""
        self.documents_meta = documents_meta
        self._urls: dict[str, str] = {}
        """Attachment id → its URL, for the documents a product lists."""

    async def _wp(self, method: str, path: str, **kwargs: Any) -> Any:
        assert self.wp is not None
        response = await self.wp.request(method, f"{self.api.url}{MEDIA_PATH}{path}", **kwargs)
        if response.status_code >= 400:
            raise WooApiError.from_response(response)
        return decode_json(response.content) if response.content else None

    async def _upload_file(self, product: str, name: str, mime: str, path: Any) -> tuple[str, str]:
        """Upload one file; its attachment id and URL."""
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
        return str(body["id"]), str(body.get("source_url") or "")

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
            answers = await asyncio.gather(
                *(self._upload_file(owner or ref.shop_id, f.name, f.mime, f.path) for f in plan.upload)
            )
            uploaded = [ident for ident, _ in answers]
            self._urls |= {ident: url for ident, url in answers}
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
            if self.wp is None:
                error = ItemError(
                    "no_media_password",
                    f"{plan.kind.value}s need a WordPress application password "
                    "(shop.media_user, shop.media_password)",
                    f"{plan.kind.value}s",
                )
                results[plan.sku] = MediaResult(plan.sku, error=error)
            else:
                todo.append(plan)
        if not todo:
            return [results[p.sku] for p in plans]
        documents = [p for p in todo if p.kind is MediaKind.DOCUMENT]
        if documents:
            done = await self._documents(documents)
            results |= done
            todo = [p for p in todo if p.kind is MediaKind.IMAGE]
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
        await self._settle([p for p in todo if p.sku in files], files, results)
        return [results[p.sku] for p in plans]

    async def _settle(
        self, plans: Sequence[MediaPlan], files: dict[str, dict[str, str]], results: dict[str, MediaResult]
    ) -> None:
        """After the products show their files: delete the files they no longer show, or, for a
        product whose new files could not be shown, those new files (it keeps its old ones). A
        deletion that fails leaves a file in the library, shown by no product."""
        doomed: list[str] = []
        for plan in plans:
            result = results.get(plan.sku)
            if result is not None and result.ok:
                doomed += plan.delete
            else:
                kept = dict(plan.keep)
                doomed += [i for key, i in files[plan.sku].items() if kept.get(key) != i]

        async def delete(ident: str) -> None:
            try:
                await self._delete(ident)
            except (WooApiError, TransportFailure) as exc:
                shop = whole_shop_error(exc)
                if shop is not None:
                    raise shop from exc

        await asyncio.gather(*(delete(i) for i in doomed))

    async def _documents(self, plans: Sequence[MediaPlan]) -> dict[str, MediaResult]:
        """Documents: uploaded to the media library, listed in a product meta (``documents_meta``:
        a JSON list of ``{"id", "name", "url"}`` in order) that the theme shows."""
        results: dict[str, MediaResult] = {}
        files: dict[str, dict[str, str]] = {}
        for plan, outcome in zip(plans, await asyncio.gather(*(self._guard(p) for p in plans)), strict=True):
            if isinstance(outcome, ItemError):
                results[plan.sku] = MediaResult(plan.sku, error=outcome)
            else:
                files[plan.sku] = outcome
        kept = [i for sku, ids in files.items() for i in ids.values() if i not in self._urls]
        for chunk in chunks(kept):
            items = await self._wp("GET", "", params={"include": ",".join(chunk), "per_page": "100"})
            self._urls |= {str(i["id"]): str(i.get("source_url") or "") for i in items or []}
        rows: list[tuple[str, dict[str, Any]]] = []
        for plan in plans:
            if plan.sku not in files:
                continue
            ids = files[plan.sku]
            listed = [
                {"id": int(ids[k]), "name": k.split("/", 1)[-1], "url": self._urls.get(ids[k], "")}
                for k in plan.order
                if k in ids
            ]
            meta = [{"key": self.documents_meta, "value": json.dumps(listed, ensure_ascii=False)}]
            rows.append(
                (plan.sku, {"id": int(plan.product.parent_id or plan.product.shop_id), "meta_data": meta})
            )
        for chunk in chunks(rows):
            try:
                data, _ = await self.api.json(
                    "POST", "products/batch", json={"update": [r for _, r in chunk]}
                )
            except (WooApiError, TransportFailure) as exc:
                shop = whole_shop_error(exc)
                if shop is not None:
                    raise shop from exc
                for sku, _ in chunk:
                    results[sku] = MediaResult(sku, error=_failure(exc, "listing the documents"))
                continue
            answers = data.get("update") if isinstance(data, dict) else None
            for index, (sku, _) in enumerate(chunk):
                answer = answers[index] if isinstance(answers, list) and index < len(answers) else None
                error = answer.get("error") if isinstance(answer, dict) else None
                if isinstance(error, dict) or answer is None:
                    code = str(error.get("code", "")) if isinstance(error, dict) else "no_answer"
                    message = str(error.get("message", "")) if isinstance(error, dict) else "no answer"
                    results[sku] = MediaResult(sku, error=ItemError(code, message, "documents"))
                else:
                    results[sku] = MediaResult(sku, files[sku])
        await self._settle([p for p in plans if p.sku in files], files, results)
        return results

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
        # Variations of several parents share a request: the variations batch route merges its own
        # product_id *under* each item's (WC_REST_Product_Variations_V2_Controller::batch_items),
        # so each item names its parent. The batches go out together, as many at once as the
        # connection allows.
        every = [item for items in variations.values() for item in items]
        batches = [("products/batch", chunk) for chunk in chunks(products)]
        batches += [
            (f"products/{chunk[0][1]['product_id']}/variations/batch", chunk) for chunk in chunks(every)
        ]

        async def attach(path: str, chunk: Sequence[tuple[str, dict[str, Any]]]) -> None:
            try:
                data, _ = await self.api.json("POST", path, json={"update": [item for _, item in chunk]})
            except (WooApiError, TransportFailure) as exc:
                shop = whole_shop_error(exc)
                if shop is not None:
                    raise shop from exc
                for sku, _ in chunk:
                    errors[sku] = _failure(exc, "attaching the images")
                return
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

        await asyncio.gather(*(attach(path, chunk) for path, chunk in batches))
        return errors
