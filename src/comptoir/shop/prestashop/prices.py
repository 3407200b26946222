"""Customer groups and specific prices over the webservice (``SpecificPriceShop``).

* **Groups** (``groups``) are found by name in any language, else created with the name in the
  shop's languages, ``price_display_method`` 0 (prices with tax) or 1 (without) from the ERP
  category, no reduction (``classes/Group.php``).
* **Specific prices** (``specific_prices``, ``classes/SpecificPrice.php``): one per row, the
  product and its combination (``id_product_attribute``, 0 for a simple product), the group or
  the customer (the other at 0), ``from_quantity``, ``price`` the net price without tax,
  ``reduction`` 0 (``amount``), for every shop, currency and country, without dates. PrestaShop
  picks among a product's rows by combination, then ``from_quantity``, then who they are for
  (``SpecificPrice::getSpecificPrice``); the job gives customer rows every quantity their
  group's rows start at. A create whose answer was lost is looked up by product, combination,
  target and quantity before being sent again; a changed price updates the row in place.
* **Removal**: ``DELETE specific_prices?id=[…]`` in chunks; the webservice deletes nothing when
  one id is unknown (404, code 87), so a refused chunk is narrowed to the ids the shop still
  has, and a row already gone counts as removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from comptoir.model import GroupDraft, ItemError, ItemResult, PriceRowDraft
from comptoir.shop.batching import WriteOp
from comptoir.shop.http import TransportFailure
from comptoir.shop.prestashop.api import PsApi, PsApiError, whole_shop_error
from comptoir.shop.prestashop.settings import PrestaShopSettings
from comptoir.shop.prestashop.writer import Updater, Write, refusal, writer
from comptoir.shop.prestashop.xmlbody import Texts, Value, entity, texts_from_json

NO_DATE = "0000-00-00 00:00:00"
DELETE_CHUNK = 50


def _split(product_shop_id: str) -> tuple[str, str]:
    """A shop id of comptoir's (``12`` or ``12-34``) → (id_product, id_product_attribute)."""
    product, _, combination = product_shop_id.partition("-")
    return product, combination or "0"


def row_lookup(product: str, combination: str, customer: str, group: str, quantity: str) -> str:
    """What identifies a specific price for comptoir in the shop."""
    return "|".join((product, combination, customer, group, quantity))


def row_write(row: PriceRowDraft) -> Write:
    product, combination = _split(row.product_shop_id)
    if row.customer_code is not None and not row.customer_shop_id:
        return Write(
            "specific_prices",
            "specific_price",
            refused=ItemError(
                "customer_missing", f"customer {row.customer_code} is not in the shop", "customer"
            ),
        )
    if row.group is not None and not row.group_shop_id:
        return Write(
            "specific_prices",
            "specific_price",
            refused=ItemError("group_missing", f"group {row.group!r} is not in the shop", "group"),
        )
    fields: dict[str, Value] = {
        "id_shop": "0",
        "id_shop_group": "0",
        "id_cart": "0",
        "id_product": product,
        "id_product_attribute": combination,
        "id_currency": "0",
        "id_country": "0",
        "id_group": row.group_shop_id or "0",
        "id_customer": row.customer_shop_id or "0",
        "id_specific_price_rule": "0",
        "price": format(row.price, "f"),
        "from_quantity": format(row.min_quantity.to_integral_value(), "f"),
        "reduction": "0",
        "reduction_tax": "1",
        "reduction_type": "amount",
        "from": NO_DATE,
        "to": NO_DATE,
    }
    return Write("specific_prices", "specific_price", fields)


def _lookup_of(row: PriceRowDraft) -> str:
    product, combination = _split(row.product_shop_id)
    quantity = format(row.min_quantity.to_integral_value(), "f")
    return row_lookup(product, combination, row.customer_shop_id or "0", row.group_shop_id or "0", quantity)


class SpecificPrices:
    """The ``SpecificPriceShop`` side of the PrestaShop adapter."""

    def __init__(self, api: PsApi, updater: Updater, settings: PrestaShopSettings, *, rounds: int) -> None:
        self.api = api
        self.updater = updater
        self.settings = settings
        self.rounds = rounds
        self._groups: dict[str, str] | None = None
        self._lock = asyncio.Lock()

    # --- groups -------------------------------------------------------------------------------
    async def group_ids(self, groups: Sequence[GroupDraft]) -> dict[str, ItemResult]:
        """Each group's id, found by name or created; results keyed by name."""
        async with self._lock:
            if self._groups is None:
                self._groups = {}
                for found in await self.api.list_all("groups", {"display": "[id,name]"}):
                    for text in texts_from_json(found.get("name")).values():
                        if text:
                            self._groups.setdefault(text.casefold(), str(found["id"]))
            results: dict[str, ItemResult] = {}
            for group in groups:
                known = self._groups.get(group.name.casefold())
                if known is not None:
                    results[group.name] = ItemResult(group.name, known)
                    continue
                try:
                    saved = await self.api.write("POST", "groups", entity("group", self._group_fields(group)))
                except (PsApiError, TransportFailure) as exc:
                    shop = whole_shop_error(exc)
                    if shop is not None:
                        raise shop from exc
                    error = (
                        refusal(exc)
                        if isinstance(exc, PsApiError)
                        else ItemError(exc.kind, str(exc), "group", True)
                    )
                    results[group.name] = ItemResult(group.name, error=error)
                    continue
                self._groups[group.name.casefold()] = str(saved["id"])
                results[group.name] = ItemResult(group.name, str(saved["id"]))
            return results

    def _group_fields(self, group: GroupDraft) -> dict[str, Value]:
        return {
            "reduction": "0",
            "price_display_method": "0" if group.prices_include_tax else "1",
            "show_prices": "1",
            "name": Texts(group.name[:32], tuple(self.settings.languages)),
        }

    # --- rows ---------------------------------------------------------------------------------
    async def find(self, lookups: list[str]) -> dict[str, str]:
        """Specific prices holding these (product, combination, customer, group, quantity)."""
        products = sorted({lookup.split("|", 1)[0] for lookup in lookups})
        found = await self.api.lookup(
            "specific_prices",
            "id_product",
            products,
            {
                "display": "[id,id_product,id_product_attribute,id_customer,id_group,from_quantity,id_cart]",
                "filter[id_cart]": "0",
            },
        )
        wanted = set(lookups)
        result: dict[str, str] = {}
        for item in sorted(found, key=lambda i: int(i["id"])):
            key = row_lookup(
                str(item.get("id_product") or "0"),
                str(item.get("id_product_attribute") or "0"),
                str(item.get("id_customer") or "0"),
                str(item.get("id_group") or "0"),
                str(item.get("from_quantity") or "0"),
            )
            if key in wanted:
                result.setdefault(key, str(item["id"]))
        return result

    async def save(self, rows: Sequence[tuple[str | None, PriceRowDraft]]) -> list[ItemResult]:
        ops = [WriteOp(row.key, _lookup_of(row), row_write(row), known) for known, row in rows]
        results = await writer(self.api, self.updater, self.find, rounds=self.rounds).run(ops)
        return [results[row.key] for _, row in rows]

    async def delete(self, shop_ids: Sequence[str]) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}

        async def remove(chunk: list[str]) -> None:
            try:
                await self._delete(chunk)
            except PsApiError as exc:
                if exc.status != 404:
                    raise
                present = {
                    str(i["id"])
                    for i in await self.api.lookup("specific_prices", "id", chunk, {"display": "[id]"})
                }
                if present:
                    await self._delete(sorted(present))
            for ident in chunk:
                results[ident] = ItemResult(ident, ident)

        async def guarded(chunk: list[str]) -> None:
            try:
                await remove(chunk)
            except (PsApiError, TransportFailure) as exc:
                shop = whole_shop_error(exc)
                if shop is not None:
                    raise shop from exc
                error = (
                    refusal(exc) if isinstance(exc, PsApiError) else ItemError(exc.kind, str(exc), "", True)
                )
                for ident in chunk:
                    results[ident] = ItemResult(ident, error=error)

        chunks = [list(shop_ids[i : i + DELETE_CHUNK]) for i in range(0, len(shop_ids), DELETE_CHUNK)]
        await asyncio.gather(*(guarded(c) for c in chunks))
        return [results[i] for i in shop_ids]

    async def _delete(self, ids: Sequence[str]) -> Any:
        response = await self.api.send("DELETE", "specific_prices", params={"id": "[" + ",".join(ids) + "]"})
        if response.status_code >= 400:
            raise PsApiError.from_response(response)
        return None
