"""WooCommerce after the import: statuses and notes, invoices on the order, refunds, and what
the shop's customer account says of the buyer.

- **Statuses**: ``POST /orders/batch`` sets each order's ``status`` and the meta
  ``_comptoir_document`` (the ERP document number: WooCommerce has no editable order number
  without a plugin) and ``_comptoir_stage``; then ``POST /orders/<id>/notes`` leaves a private
  note (``WC_REST_Order_Notes_Controller``). With ``verify`` the order's notes are read first
  and a note already there is not added again.
- **Invoices**: WooCommerce keys do not open WordPress routes, so the PDF is uploaded to the
  media library (``POST /wp/v2/media``, raw body with ``Content-Disposition``) with a WordPress
  application password (``shop.media_user``, ``shop.media_password``), under a name
  holding a random token (media files are public: the name is not guessable). The order then
  gets the meta ``_comptoir_invoices`` (every invoice sent: number, title, date, total, address)
  and a **customer note** linking the PDF: WooCommerce shows customer notes on the order's page
  in *My account → Orders* and e-mails them to the customer, so no plugin is needed. With
  ``verify`` an invoice the order's meta already lists is not sent again.
- **Refunds**: ``GET /refunds`` (``WC_REST_Refunds_Controller``, every order's refunds with
  their ``parent_id``), ``after`` their creation date in GMT; amounts are negative there and
  positive in the neutral ``Refund``.
- **Customers**: the order's customer account is read with the orders (``GET /customers?include=``,
  100 a request) for the ERP code, VAT number and SIRET metas (``customer_code_meta``,
  ``vat_number_meta``, ``siret_meta``) and its e-mail.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from comptoir.model import (
    ItemError,
    ItemResult,
    Order,
    OrderAttachment,
    OrderUpdate,
    Refund,
    RefundLine,
    format_money,
    to_decimal,
)
from comptoir.shop.http import TransportFailure, decode_json
from comptoir.shop.woocommerce.api import WooApi, WooApiError, chunks
from comptoir.shop.woocommerce.mapping import DOCUMENT_META, gmt, item_error
from comptoir.shop.woocommerce.settings import WooCommerceSettings

STAGE_META = "_comptoir_stage"
INVOICES_META = "_comptoir_invoices"
MEDIA_PATH = "/wp-json/wp/v2/media"
CUSTOMER_CHUNK = 100


def _failure(key: str, exc: WooApiError | TransportFailure, field: str = "") -> ItemResult:
    if isinstance(exc, TransportFailure):
        return ItemResult(key, error=ItemError(exc.kind, str(exc), field, retryable=True))
    return ItemResult(key, error=ItemError(exc.code, exc.message, field, retryable=exc.retryable))


async def _notes(api: WooApi, order_id: str) -> list[str]:
    body, _ = await api.json("GET", f"orders/{order_id}/notes", params={"type": "any"})
    return [str(n.get("note") or "") for n in body]


async def _add_note(api: WooApi, order_id: str, text: str, *, customer: bool, verify: bool) -> None:
    """Add a note unless ``verify`` finds the same text on the order already."""
    if verify and text in await _notes(api, order_id):
        return
    await api.json(
        "POST", f"orders/{order_id}/notes", json={"note": text, "customer_note": customer}, idempotent=False
    )


async def update_orders(api: WooApi, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
    """Statuses and document numbers in batches, then one note per update."""
    results: dict[str, ItemResult] = {}
    by_order: dict[str, OrderUpdate] = {}
    for update in updates:
        if not update.shop_order_id.isdigit():
            results[update.key] = ItemResult(
                update.key,
                error=ItemError("invalid_id", f"order id {update.shop_order_id!r}", "shop_order_id"),
            )
            continue
        by_order[update.key] = update
    writes = [u for u in by_order.values() if u.status or u.document_number]
    for chunk in chunks(writes):
        payload = []
        for update in chunk:
            item: dict[str, Any] = {"id": int(update.shop_order_id)}
            if update.status:
                item["status"] = update.status
            meta = [{"key": STAGE_META, "value": update.key}]
            if update.document_number:
                meta.append({"key": DOCUMENT_META, "value": update.document_number})
            item["meta_data"] = meta
            payload.append(item)
        try:
            body, _ = await api.json("POST", "orders/batch", json={"update": payload})
        except (WooApiError, TransportFailure) as exc:
            for update in chunk:
                results[update.key] = _failure(update.key, exc)
            continue
        answers = list(body.get("update") or []) if isinstance(body, dict) else []
        for update, answer in zip(chunk, answers, strict=False):
            error = answer.get("error") if isinstance(answer, dict) else None
            if error:
                results[update.key] = ItemResult(update.key, error=item_error(error))
    pending = [u for u in by_order.values() if u.key not in results]

    async def note(update: OrderUpdate) -> None:
        if update.note:
            try:
                await _add_note(api, update.shop_order_id, update.note, customer=False, verify=update.verify)
            except (WooApiError, TransportFailure) as exc:
                results[update.key] = _failure(update.key, exc, "note")
                return
        results[update.key] = ItemResult(update.key, update.shop_order_id)

    await asyncio.gather(*(note(u) for u in pending))
    return [results[u.key] for u in updates]


def _invoices_meta(order: Mapping[str, Any]) -> list[dict[str, Any]]:
    for meta in order.get("meta_data") or []:
        if meta.get("key") == INVOICES_META:
            value = meta.get("value")
            try:
                listed = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                return []
            return [i for i in listed if isinstance(i, dict)] if isinstance(listed, list) else []
    return []


async def _upload(api: WooApi, auth: httpx.Auth, attachment: OrderAttachment) -> dict[str, Any]:
    stem, _, extension = attachment.file_name.rpartition(".")
    name = f"{stem}-{secrets.token_hex(8)}.{extension}"
    response = await api.http.request(
        "POST",
        f"{api.url}{MEDIA_PATH}",
        content=attachment.content,
        headers={
            "Content-Type": attachment.media_type,
            "Content-Disposition": f'attachment; filename="{name}"',
        },
        idempotent=False,
        auth=auth,
    )
    if response.status_code >= 400:
        raise WooApiError.from_response(response)
    body = decode_json(response.content)
    if not isinstance(body, dict) or not body.get("source_url"):
        raise WooApiError(
            response.status_code, "invalid_json", "the media library answered without an address"
        )
    return body


async def attach_documents(
    api: WooApi, settings: WooCommerceSettings, password: str | None, attachments: Sequence[OrderAttachment]
) -> list[ItemResult]:
    """Upload each PDF, list it in the order's meta and tell the customer in a customer note."""
    if not settings.media_user or not password:
        error = ItemError(
            "not_configured",
            "invoices need a WordPress application password: set shop.media_user and "
            "shop.media_password (WooCommerce keys do not open the media library)",
            "media_password",
        )
        return [ItemResult(a.key, error=error) for a in attachments]
    auth = httpx.BasicAuth(settings.media_user, password)
    lock: dict[str, asyncio.Lock] = {a.shop_order_id: asyncio.Lock() for a in attachments}

    async def one(attachment: OrderAttachment) -> ItemResult:
        order_id = attachment.shop_order_id
        async with lock[order_id]:  # one order's meta is read and written by one task at a time
            try:
                order, _ = await api.json("GET", f"orders/{order_id}")
                listed = _invoices_meta(order)
                known = next((i for i in listed if i.get("number") == attachment.key), None)
                if known is not None and attachment.verify:
                    url = str(known.get("url") or "")
                else:
                    media = await _upload(api, auth, attachment)
                    url = str(media["source_url"])
                    entry = {
                        "number": attachment.key,
                        "title": attachment.title,
                        "date": attachment.issued_on.isoformat(),
                        "total": format_money(attachment.total),
                        "url": url,
                        "media_id": media.get("id"),
                    }
                    listed = [i for i in listed if i.get("number") != attachment.key] + [entry]
                    meta = [{"key": INVOICES_META, "value": json.dumps(listed)}]
                    await api.json("PUT", f"orders/{order_id}", json={"meta_data": meta})
                text = f"{attachment.title} : {url}"
                await _add_note(
                    api, order_id, text, customer=True, verify=attachment.verify or known is not None
                )
            except (WooApiError, TransportFailure) as exc:
                return _failure(attachment.key, exc)
            return ItemResult(attachment.key, url)

    return list(await asyncio.gather(*(one(a) for a in attachments)))


def _positive(value: Any) -> Decimal:
    return abs(to_decimal(value))


def refund_from(data: Mapping[str, Any]) -> Refund:
    """A WooCommerce refund (amounts negative) as a neutral ``Refund`` (amounts positive)."""
    lines = []
    for item in data.get("line_items") or []:
        refunded = next(
            (str(m.get("value")) for m in item.get("meta_data") or [] if m.get("key") == "_refunded_item_id"),
            "",
        )
        lines.append(
            RefundLine(
                line_id=refunded,
                sku=str(item.get("sku") or ""),
                name=str(item.get("name") or ""),
                quantity=_positive(item.get("quantity")),
                total=_positive(item.get("total")),
                tax=_positive(item.get("total_tax")),
            )
        )
    fees = tuple(
        RefundLine(
            "",
            "",
            str(f.get("name") or ""),
            Decimal(1),
            _positive(f.get("total")),
            _positive(f.get("total_tax")),
        )
        for f in data.get("fee_lines") or []
    )
    shipping = data.get("shipping_lines") or []
    created = gmt(data.get("date_created_gmt")) or datetime.fromtimestamp(0, UTC)
    return Refund(
        shop_id=str(data["id"]),
        order_shop_id=str(data.get("parent_id") or ""),
        created_at=created,
        amount=_positive(data.get("amount")),
        reason=str(data.get("reason") or ""),
        lines=tuple(lines),
        shipping=sum((_positive(s.get("total")) for s in shipping), Decimal(0)),
        shipping_tax=sum((_positive(s.get("total_tax")) for s in shipping), Decimal(0)),
        fees=fees,
    )


async def list_refunds(api: WooApi, created_after: datetime | None) -> list[Refund]:
    params: dict[str, Any] = {"orderby": "date", "order": "asc"}
    if created_after is not None:
        moment = created_after.astimezone(UTC) if created_after.tzinfo else created_after.replace(tzinfo=UTC)
        params["after"] = moment.strftime("%Y-%m-%dT%H:%M:%S")
        params["dates_are_gmt"] = "true"
    items = await api.list_all("refunds", params)
    refunds = [refund_from(item) for item in items]
    if created_after is not None:  # a shop ignoring ``after`` still gives only newer refunds
        refunds = [r for r in refunds if r.created_at > created_after]
    return refunds


async def with_customers(api: WooApi, settings: WooCommerceSettings, orders: list[Order]) -> list[Order]:
    """The orders with what their customer accounts say: ERP code, VAT number, SIRET, e-mail
    (the order's own meta wins for the VAT number and SIRET)."""
    ids = sorted(
        {int(o.customer_shop_id) for o in orders if o.customer_shop_id and o.customer_shop_id.isdigit()}
    )
    accounts: dict[str, Mapping[str, Any]] = {}
    for chunk in chunks(ids, CUSTOMER_CHUNK):
        params = {"include": ",".join(map(str, chunk)), "per_page": CUSTOMER_CHUNK, "role": "all"}
        body, _ = await api.json("GET", "customers", params=params)
        accounts.update({str(c["id"]): c for c in body})
    enriched = []
    for order in orders:
        account = accounts.get(order.customer_shop_id or "", {})
        meta = {str(m.get("key")): str(m.get("value") or "") for m in account.get("meta_data") or []}
        enriched.append(
            replace(
                order,
                customer_erp_code=meta.get(settings.customer_code_meta, ""),
                customer_email=str(account.get("email") or ""),
                vat_number=order.meta.get(settings.vat_number_meta) or meta.get(settings.vat_number_meta, ""),
                siret=order.meta.get(settings.siret_meta) or meta.get(settings.siret_meta, ""),
            )
        )
    return enriched
