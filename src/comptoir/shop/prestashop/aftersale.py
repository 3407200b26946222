"""PrestaShop after the import: order states and notes; what the webservice cannot do.

- **Statuses** (``update_orders``): a new order state is a ``POST order_histories``
  (``id_order``, ``id_order_state``: ``OrderHistory::addWs`` changes ``current_state`` and runs
  what the state does — the customer's e-mail, invoice or delivery numbers, stock for cancelled
  orders), sent only when the order is not in that state already; the change is recorded in a
  private order message (``messages``: ``id_order``, ``private`` 1) naming the ERP document. The
  statuses of ``statuses.map`` are PrestaShop's order state ids (``4`` shipped, ``5`` delivered…).
  With ``verify`` the order's messages are read first and a message already there is not added
  again. The order's ``reference`` is left alone (PrestaShop's own reference, shown to the
  customer; the ERP number is in the message).
- **Invoices**: the webservice cannot attach a file to an order (``attachments`` is for products);
  the customer sees a document in *Order history* only through a module (the Atoo-Sync Options
  B2B module's *Factures* section is one): ``capabilities.attachments`` is off.
- **Refunds**: credit slips (``order_slip``) are not read yet: ``capabilities.refunds`` is off.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from comptoir.model import ItemError, ItemResult, OrderAttachment, OrderUpdate
from comptoir.shop.base import ShopError
from comptoir.shop.http import TransportFailure
from comptoir.shop.prestashop.api import PsApi, PsApiError, shop_error, whole_shop_error
from comptoir.shop.prestashop.writer import refusal
from comptoir.shop.prestashop.xmlbody import entity

NO_ATTACHMENTS = (
    "PrestaShop's webservice cannot attach a document to an order; a module showing documents in "
    "the customer's account is needed (e.g. Atoo-Sync Options B2B, Factures section)"
)


def _failed(key: str, exc: PsApiError | TransportFailure) -> ItemResult:
    shop = whole_shop_error(exc)
    if shop is not None:
        raise shop from exc
    if isinstance(exc, TransportFailure):
        return ItemResult(key, error=ItemError(exc.kind, str(exc), "", True))
    return ItemResult(key, error=refusal(exc))


async def update_orders(api: PsApi, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
    """New states through order histories, then private messages (see the module doc)."""
    ids = sorted({u.shop_order_id for u in updates if u.shop_order_id.isdigit()})
    try:
        orders = await api.lookup("orders", "id", ids, {"display": "[id,current_state]"}) if ids else []
        verified = sorted({u.shop_order_id for u in updates if u.verify and u.shop_order_id in ids})
        found = await api.lookup("messages", "id_order", verified, {"display": "[id,id_order,message]"})
    except (PsApiError, TransportFailure) as exc:
        raise shop_error(exc) from exc
    states = {str(o["id"]): str(o.get("current_state") or "") for o in orders}
    messages: dict[str, set[str]] = defaultdict(set)
    for message in found if verified else []:
        messages[str(message["id_order"])].add(str(message.get("message") or ""))
    results: list[ItemResult] = []
    for update in updates:
        order = update.shop_order_id
        if order not in states:
            error = ItemError("not_found", f"order {order} does not exist in the shop", "id_order")
            results.append(ItemResult(update.key, error=error))
            continue
        try:
            if update.status and update.status != states[order]:
                fields = {"id_order": order, "id_order_state": update.status}
                await api.write("POST", "order_histories", entity("order_history", fields))
                states[order] = update.status
            if update.note and update.note not in messages[order]:
                fields = {"id_order": order, "message": update.note, "private": "1"}
                await api.write("POST", "messages", entity("message", fields))
                messages[order].add(update.note)
        except (PsApiError, TransportFailure) as exc:
            results.append(_failed(update.key, exc))
            continue
        results.append(ItemResult(update.key, order))
    return results


def no_attachments(attachments: Sequence[OrderAttachment]) -> list[ItemResult]:
    error = ItemError("unsupported", NO_ATTACHMENTS, "")
    return [ItemResult(a.key, error=error) for a in attachments]


def no_refunds() -> ShopError:
    return ShopError("unsupported", "reading PrestaShop's credit slips (order_slip) is not supported yet")
