"""Reading orders: the orders themselves, then what they point to, in bulk.

For each chunk of orders: their ``order_details`` (``filter[id_order]``), customers and addresses
(``filter[id]``), histories and messages (``filter[id_order]``) are read concurrently; the shop's
countries, order states, carriers, currencies and taxes once per connection. A date window is
``date=1&filter[date_upd]=>[…]`` in the shop's own time zone.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from comptoir.model import Order, to_decimal
from comptoir.shop.prestashop.api import PsApi
from comptoir.shop.prestashop.orders import OrderParts, References, is_mark, order_from, shop_time
from comptoir.shop.prestashop.xmlbody import texts_from_json

ORDER_CHUNK = 100
"""Orders whose related objects are read in one request each."""


class OrderReader:
    """The order side of the ``Shop`` protocol (reads)."""

    def __init__(self, api: PsApi, zone: ZoneInfo) -> None:
        self.api = api
        self.zone = zone
        self._refs: References | None = None
        self._lock = asyncio.Lock()

    async def references(self) -> References:
        async with self._lock:
            if self._refs is None:
                countries, states, carriers, currencies, taxes = await asyncio.gather(
                    self.api.list_all("countries", {"display": "[id,iso_code]"}),
                    self.api.list_all("order_states", {"display": "[id,paid]"}),
                    self.api.list_all("carriers", {"display": "[id,name]"}),
                    self.api.list_all("currencies", {"display": "[id,iso_code]"}),
                    self.api.list_all("taxes", {"display": "[id,rate]"}),
                )
                self._refs = References(
                    countries={str(c["id"]): str(c.get("iso_code") or "") for c in countries},
                    paid_states={str(s["id"]) for s in states if str(s.get("paid")) == "1"},
                    carriers={
                        str(c["id"]): next(iter(texts_from_json(c.get("name")).values()), "")
                        for c in carriers
                    },
                    currencies={str(c["id"]): str(c.get("iso_code") or "") for c in currencies},
                    taxes={str(t["id"]): to_decimal(t.get("rate"), field="rate") for t in taxes},
                )
            return self._refs

    async def in_window(self, statuses: Collection[str], modified_after: datetime | None) -> list[Order]:
        params: dict[str, str] = {}
        states = [s for s in statuses if s.isdigit()]
        if statuses and not states:
            return []
        if states:
            params["filter[current_state]"] = "[" + "|".join(sorted(states, key=int)) + "]"
        if modified_after is not None:
            params["date"] = "1"
            params["filter[date_upd]"] = f">[{shop_time(modified_after, self.zone)}]"
        return await self.complete(await self.api.list_all("orders", params))

    async def by_ids(self, shop_ids: Collection[str]) -> list[Order]:
        ids = sorted({str(i) for i in shop_ids if str(i).isdigit()}, key=int)
        if not ids:
            return []
        return await self.complete(await self.api.lookup("orders", "id", ids))

    async def complete(self, orders: Sequence[dict[str, Any]]) -> list[Order]:
        if not orders:
            return []
        refs = await self.references()
        chunks = [orders[i : i + ORDER_CHUNK] for i in range(0, len(orders), ORDER_CHUNK)]
        parts: dict[str, OrderParts] = {}
        for found in await asyncio.gather(*(self._parts(chunk) for chunk in chunks)):
            parts.update(found)
        return [order_from(o, parts[str(o["id"])], refs, self.zone) for o in orders]

    async def _parts(self, orders: Sequence[dict[str, Any]]) -> dict[str, OrderParts]:
        ids = [str(o["id"]) for o in orders]
        customers = {str(o.get("id_customer")) for o in orders}
        addresses = {str(o.get(k)) for o in orders for k in ("id_address_invoice", "id_address_delivery")}
        details, people, places, histories, messages = await asyncio.gather(
            self.api.lookup("order_details", "id_order", ids),
            self.api.lookup("customers", "id", customers, {"display": "[id,email,is_guest,siret]"}),
            self.api.lookup("addresses", "id", addresses),
            self.api.lookup(
                "order_histories", "id_order", ids, {"display": "[id,id_order,id_order_state,date_add]"}
            ),
            self.api.lookup("messages", "id_order", ids, {"display": "[id,id_order,message]"}),
        )
        by_order: dict[str, OrderParts] = {i: OrderParts() for i in ids}
        for detail in details:
            if str(detail.get("id_order")) in by_order:
                by_order[str(detail.get("id_order"))].details.append(detail)
        for history in histories:
            if str(history.get("id_order")) in by_order:
                by_order[str(history.get("id_order"))].histories.append(history)
        for message in messages:
            if is_mark(message) and str(message.get("id_order")) in by_order:
                by_order[str(message.get("id_order"))].marks.append(message)
        people_by_id = {str(p["id"]): p for p in people}
        places_by_id = {str(a["id"]): a for a in places}
        grouped: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for order in orders:
            ident = str(order["id"])
            by_order[ident].customer = people_by_id.get(str(order.get("id_customer")))
            for key in ("id_address_invoice", "id_address_delivery"):
                address = places_by_id.get(str(order.get(key)))
                if address is not None:
                    grouped[ident][str(address["id"])] = address
            by_order[ident].addresses = grouped[ident]
        return by_order
