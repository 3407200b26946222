"""Products, combinations, attribute values and stock over the webservice.

- Products are found in bulk by ``reference`` (``filter[reference]=[a|b|…]``) among products and
  combinations; a variable product is a product with combinations.
- A simple or variable product is one ``products`` write; a variation one ``combinations`` write
  under its product, its attribute values (``product_options`` / ``product_option_values``)
  found by name in any language or created once, before any combination needs them.
- Stock goes to the ``stock_availables`` row of the product or combination (PrestaShop makes the
  rows; ``quantity`` is read-only on products): the rows are read in bulk, and only the rows
  whose quantity or out-of-stock behaviour differs are written.
An update draft carrying only stock fields costs no product write at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from typing import Any

from comptoir.model import ItemError, ItemResult, ProductDraft, ProductKind, ShopRef
from comptoir.shop.batching import WriteOp
from comptoir.shop.http import TransportFailure
from comptoir.shop.prestashop import mapping
from comptoir.shop.prestashop.api import FILTER_VALUES, PsApi, PsApiError, items, whole_shop_error
from comptoir.shop.prestashop.settings import PrestaShopSettings
from comptoir.shop.prestashop.writer import Updater, Write, refusal, writer
from comptoir.shop.prestashop.xmlbody import Texts, Value, entity, texts_from_json


def variation_id(product: str, combination: str) -> str:
    """A variation's shop id: ``<product>-<combination>``. Combination ids are a space of their own
    (product 7 and combination 7 both exist), and a shop id must name one object among products
    and variations together."""
    return f"{product}-{combination}"


def combination_id(shop_id: str) -> str:
    """The combination id inside a variation's shop id."""
    return shop_id.rsplit("-", 1)[-1]


def _has_default(value: Any) -> bool:
    return str(value or "0") not in ("", "0")


class Options:
    """Attribute groups (``product_options``) and values (``product_option_values``) by name."""

    def __init__(self, api: PsApi, settings: PrestaShopSettings) -> None:
        self.api = api
        self.settings = settings
        self._groups: dict[str, str] | None = None
        self._values: dict[tuple[str, str], str] = {}
        self._lock = asyncio.Lock()

    async def _load(self) -> None:
        groups, values = await asyncio.gather(
            self.api.list_all("product_options", {"display": "[id,name]"}),
            self.api.list_all("product_option_values", {"display": "[id,id_attribute_group,name]"}),
        )
        self._groups = {}
        for group in groups:
            for text in texts_from_json(group.get("name")).values():
                self._groups.setdefault(text.casefold(), str(group["id"]))
        for value in values:
            for text in texts_from_json(value.get("name")).values():
                self._values.setdefault((str(value["id_attribute_group"]), text.casefold()), str(value["id"]))

    async def ids(
        self, pairs: Collection[tuple[str, str]]
    ) -> tuple[dict[tuple[str, str], str], dict[str, ItemError]]:
        """Value id of each (attribute, value), created when missing; refusals by attribute name."""
        async with self._lock:
            if self._groups is None:
                await self._load()
            assert self._groups is not None
            found: dict[tuple[str, str], str] = {}
            failed: dict[str, ItemError] = {}
            for name, value in sorted(set(pairs)):
                if name in failed:
                    continue
                try:
                    group = self._groups.get(name.casefold())
                    if group is None:
                        group = await self._create_group(name)
                        self._groups[name.casefold()] = group
                    key = (group, value.casefold())
                    if key not in self._values:
                        self._values[key] = await self._create_value(group, value)
                    found[(name, value)] = self._values[key]
                except PsApiError as exc:
                    shop = whole_shop_error(exc)
                    if shop is not None:
                        raise shop from exc
                    failed[name] = refusal(exc)
                except TransportFailure as exc:
                    shop = whole_shop_error(exc)
                    if shop is not None:
                        raise shop from exc
                    failed[name] = ItemError(exc.kind, str(exc), "variation_options", True)
            return found, failed

    def _texts(self, text: str) -> Texts:
        return Texts(text, tuple(self.settings.languages))

    async def _create_group(self, name: str) -> str:
        fields: dict[str, Value] = {
            "is_color_group": "0",
            "group_type": "select",
            "name": self._texts(mapping.catalog_name(name)),
            "public_name": self._texts(mapping.catalog_name(name)[:64]),
        }
        saved = await self.api.write("POST", "product_options", entity("product_option", fields))
        return str(saved["id"])

    async def _create_value(self, group: str, value: str) -> str:
        fields: dict[str, Value] = {
            "id_attribute_group": group,
            "name": self._texts(mapping.catalog_name(value)),
        }
        saved = await self.api.write("POST", "product_option_values", entity("product_option_value", fields))
        return str(saved["id"])


class Catalog:
    """The product side of the ``Shop`` protocol."""

    def __init__(self, api: PsApi, updater: Updater, settings: PrestaShopSettings, *, rounds: int) -> None:
        self.api = api
        self.updater = updater
        self.settings = settings
        self.rounds = rounds
        self.options = Options(api, settings)

    # --- lookups ------------------------------------------------------------------------------
    async def find_products(self, skus: Collection[str]) -> dict[str, ShopRef]:
        wanted = [s for s in dict.fromkeys(skus) if s]
        if not wanted:
            return {}
        if len(wanted) > FILTER_VALUES and await self._empty_catalog():
            return {}
        products, combinations = await asyncio.gather(
            self.api.lookup(
                "products", "reference", wanted, {"display": "[id,reference,cache_default_attribute]"}
            ),
            self.api.lookup("combinations", "reference", wanted, {"display": "[id,id_product,reference]"}),
        )
        wanted_set = set(wanted)
        found: dict[str, ShopRef] = {}
        for item in combinations:
            sku = str(item.get("reference") or "")
            if sku in wanted_set and sku not in found:
                product = str(item["id_product"])
                found[sku] = ShopRef(
                    variation_id(product, str(item["id"])), product, sku, ProductKind.VARIATION
                )
        for item in products:
            sku = str(item.get("reference") or "")
            if sku in wanted_set:
                kind = (
                    ProductKind.VARIABLE
                    if _has_default(item.get("cache_default_attribute"))
                    else ProductKind.SIMPLE
                )
                found[sku] = ShopRef(str(item["id"]), None, sku, kind)
        return found

    async def _empty_catalog(self) -> bool:
        """One cheap request saving a lookup per 100 SKUs when the shop has no product yet."""
        return not items(await self.api.json("products", {"limit": "1"}), "products")

    async def _ids(self, skus: list[str]) -> dict[str, str]:
        return {sku: ref.shop_id for sku, ref in (await self.find_products(skus)).items()}

    # --- writes -------------------------------------------------------------------------------
    async def save_products(
        self, creates: Sequence[ProductDraft], updates: Sequence[tuple[ShopRef, ProductDraft]]
    ) -> list[ItemResult]:
        results: dict[str, ItemResult] = {}
        ops: list[WriteOp] = []
        for draft in creates:
            if draft.kind is not ProductKind.VARIATION:
                ops.append(
                    WriteOp(draft.sku, draft.sku, mapping.product_write(draft, self.settings, creating=True))
                )
        for ref, draft in updates:
            if draft.kind is ProductKind.VARIATION:
                continue
            write = mapping.product_write(draft, self.settings, creating=False)
            if _nothing_to_write(write):
                results[draft.sku] = ItemResult(draft.sku, ref.shop_id)
            else:
                ops.append(WriteOp(draft.sku, draft.sku, write, ref.shop_id))
        if ops:
            results.update(await writer(self.api, self.updater, self._ids, rounds=self.rounds).run(ops))
        variations: list[tuple[ShopRef | None, ProductDraft]] = [
            (None, d) for d in creates if d.kind is ProductKind.VARIATION
        ]
        variations += [(ref, d) for ref, d in updates if d.kind is ProductKind.VARIATION]
        if variations:
            results.update(
                await self._save_variations(variations, results, [*creates, *(d for _, d in updates)])
            )
        drafts = [*creates, *(d for _, d in updates)]
        await self._save_stock(drafts, results)
        return [
            results.get(d.sku) or ItemResult(d.sku, error=ItemError("not_sent", "not sent")) for d in drafts
        ]

    async def _save_variations(
        self,
        variations: list[tuple[ShopRef | None, ProductDraft]],
        done: dict[str, ItemResult],
        drafts: Sequence[ProductDraft],
    ) -> dict[str, ItemResult]:
        parents = {sku: r.shop_id for sku, r in done.items() if r.ok and r.shop_id and r.parent_id is None}
        missing = {
            d.parent_sku
            for known, d in variations
            if d.parent_sku and d.parent_sku not in parents and not (known and known.parent_id)
        }
        if missing:
            parents.update(await self._ids(sorted(s for s in missing if s)))
        pairs = {pair for _, d in variations for pair in d.variation_options or ()}
        for draft in drafts:
            if draft.kind is ProductKind.VARIABLE and draft.attributes:
                pairs |= {(a.name, option) for a in draft.attributes for option in a.options}
        values, failed = await self.options.ids(pairs) if pairs else ({}, {})
        results: dict[str, ItemResult] = {}
        ops: list[WriteOp] = []
        for known, draft in variations:
            parent = parents.get(draft.parent_sku or "")
            if parent is None and known is not None and known.parent_id:
                parent = known.parent_id
            if parent is None:
                message = f"the parent product {draft.parent_sku!r} is not in the shop"
                results[draft.sku] = ItemResult(
                    draft.sku, error=ItemError("parent_missing", message, "parent_sku")
                )
                continue
            option_ids: list[str] | None = None
            if draft.variation_options is not None:
                refused = next((failed[n] for n, _ in draft.variation_options if n in failed), None)
                if refused is not None:
                    results[draft.sku] = ItemResult(draft.sku, error=refused)
                    continue
                option_ids = [values[pair] for pair in draft.variation_options]
            creating = known is None
            write = mapping.combination_write(draft, parent, option_ids, creating=creating)
            if not creating and _nothing_to_write(write):
                assert known is not None
                results[draft.sku] = ItemResult(draft.sku, known.shop_id, parent)
                continue
            ident = None if known is None else combination_id(known.shop_id)
            ops.append(WriteOp(draft.sku, draft.sku, write, ident))

        async def find(skus: list[str]) -> dict[str, str]:
            found = await self.find_products(skus)
            return {
                sku: combination_id(ref.shop_id)
                for sku, ref in found.items()
                if ref.kind is ProductKind.VARIATION
            }

        def parent_of(saved: dict[str, Any]) -> str | None:
            return str(saved["id_product"]) if saved.get("id_product") else None

        if ops:
            run = writer(self.api, self.updater, find, rounds=self.rounds, parent_of=parent_of)
            results.update(await run.run(ops))
        for known, draft in variations:
            saved = results.get(draft.sku)
            if saved is not None and saved.ok and saved.shop_id and "-" not in saved.shop_id:
                parent = (
                    saved.parent_id
                    or parents.get(draft.parent_sku or "")
                    or (known.parent_id if known else None)
                )
                shop_id = variation_id(parent, saved.shop_id) if parent else saved.shop_id
                results[draft.sku] = ItemResult(saved.key, shop_id, parent)
        return results

    # --- stock --------------------------------------------------------------------------------
    async def _save_stock(self, drafts: Sequence[ProductDraft], results: dict[str, ItemResult]) -> None:
        wanted: dict[tuple[str, str], ProductDraft] = {}
        for draft in drafts:
            if draft.stock_quantity is None and draft.manage_stock is None:
                continue
            if draft.kind is ProductKind.VARIABLE:
                continue
            result = results.get(draft.sku)
            if result is None or not result.ok or not result.shop_id:
                continue
            if result.parent_id:
                wanted[(result.parent_id, combination_id(result.shop_id))] = draft
            else:
                wanted[(result.shop_id, "0")] = draft
        if not wanted:
            return
        rows = await self.api.lookup(
            "stock_availables", "id_product", sorted({p for p, _ in wanted}), {"display": "full"}
        )
        by_key = {(str(r["id_product"]), str(r["id_product_attribute"])): r for r in rows}
        jobs = []
        for key, draft in wanted.items():
            row = by_key.get(key)
            if row is None:
                error = ItemError(
                    "no_stock_row", "PrestaShop has no stock row for this product", "stock_quantity"
                )
                results[draft.sku] = _with_error(results[draft.sku], error)
                continue
            changes: dict[str, str] = {}
            if draft.stock_quantity is not None and str(row.get("quantity")) != str(draft.stock_quantity):
                changes["quantity"] = str(draft.stock_quantity)
            if draft.manage_stock is not None:
                behaviour = "2" if draft.manage_stock else "1"
                if str(row.get("out_of_stock")) != behaviour:
                    changes["out_of_stock"] = behaviour
            if changes:
                jobs.append(self._write_stock(draft, row, changes, results))
        await asyncio.gather(*jobs)

    async def _write_stock(
        self,
        draft: ProductDraft,
        row: dict[str, Any],
        changes: dict[str, str],
        results: dict[str, ItemResult],
    ) -> None:
        ident = str(row["id"])
        try:
            if self.api.has_patch and self.updater.patch_allowed.get("stock_availables", True):
                body = entity("stock_available", {"id": ident, **changes})
                await self.api.write("PATCH", "stock_availables", body, ident)
            else:
                whole = {k: "" if v is None else str(v) for k, v in row.items() if k != "associations"}
                await self.api.write(
                    "PUT", "stock_availables", entity("stock_available", {**whole, **changes}), ident
                )
        except PsApiError as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            results[draft.sku] = _with_error(results[draft.sku], refusal(exc))
        except TransportFailure as exc:
            shop = whole_shop_error(exc)
            if shop is not None:
                raise shop from exc
            error = ItemError(exc.kind, f"stock not saved: {exc}", "stock_quantity", True)
            results[draft.sku] = _with_error(results[draft.sku], error)


def _nothing_to_write(write: Write) -> bool:
    return write.refused is None and not write.associations and set(write.fields) <= {"reference"}


def _with_error(result: ItemResult, error: ItemError) -> ItemResult:
    return ItemResult(result.key, result.shop_id, result.parent_id, error)
