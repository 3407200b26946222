"""The mapping tables picked from lists read live from both sides.

Reads every list the profile's mapping tables name (through the ``Shop`` and ``Erp``
protocols: no platform is named here), and turns a submitted form into profile changes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import FormData

from comptoir.erp.base import Erp, ErpError
from comptoir.model import Choice, DocumentType, PriceCategory, TaxRate, Warehouse
from comptoir.profile import Profile, SecretError, secret_resolver
from comptoir.registry import open_erp, open_shop
from comptoir.shop.base import Shop, ShopError

MAX_ATTRIBUTES = 5


@dataclass
class ShopLists:
    rates: list[Decimal] = field(default_factory=list)
    statuses: list[Choice] = field(default_factory=list)
    methods: list[Choice] = field(default_factory=list)
    error: str | None = None


@dataclass
class ErpLists:
    tax_codes: list[TaxRate] = field(default_factory=list)
    payment_modes: list[Choice] = field(default_factory=list)
    journals: list[Choice] = field(default_factory=list)
    warehouses: list[Warehouse] = field(default_factory=list)
    price_categories: list[PriceCategory] = field(default_factory=list)
    article_fields: list[Choice] = field(default_factory=list)
    error: str | None = None


@dataclass
class Lists:
    shop: ShopLists
    erp: ErpLists
    document_types: list[str]


async def _shop_lists(shop: Shop) -> ShopLists:
    rates, statuses, methods = await asyncio.gather(
        shop.list_tax_rates(), shop.list_order_statuses(), shop.list_payment_methods()
    )
    distinct = sorted({r.rate for r in rates})
    return ShopLists(distinct, statuses, methods)


def _erp_lists(erp: Erp) -> ErpLists:
    return ErpLists(
        erp.read_tax_rates(),
        erp.read_payment_modes(),
        erp.read_journals(),
        erp.read_warehouses(),
        erp.read_price_categories(),
        erp.read_free_fields("article"),
    )


async def read_lists(profile: Profile) -> Lists:
    """Both sides' lists; a side that cannot be read says why instead of failing the page."""
    secrets = secret_resolver(profile)
    shop_lists = ShopLists()
    try:
        shop = open_shop(profile.shop, secrets)
        try:
            shop_lists = await _shop_lists(shop)
        finally:
            await shop.aclose()
    except (ShopError, SecretError) as exc:
        shop_lists.error = str(exc)

    def erp_side() -> ErpLists:
        erp = open_erp(profile.erp, secrets)
        try:
            return _erp_lists(erp)
        finally:
            erp.close()

    try:
        erp_lists = await asyncio.to_thread(erp_side)
    except (ErpError, SecretError) as exc:
        erp_lists = ErpLists(error=str(exc))
    return Lists(shop_lists, erp_lists, [t.value for t in DocumentType])


def rate_key(rate: Decimal) -> str:
    """A shop rate as ``orders.tax_codes`` writes it: ``20``, ``5.5``."""
    text = format(rate.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def current_values(profile: Profile) -> dict[str, Any]:
    """What the profile maps today, keyed as the form's fields."""
    orders = profile.orders
    values: dict[str, Any] = {}
    for key, code in orders.tax_codes.items():
        try:
            values[f"tax:{rate_key(Decimal(key))}"] = code
        except InvalidOperation:
            continue
    for status, kind in orders.statuses.items():
        values[f"status:{status}"] = kind.value
    for method, mapping in orders.payment_methods.items():
        values[f"mode:{method}"] = mapping.mode
        values[f"journal:{method}"] = mapping.journal
        values[f"pay:{method}"] = mapping.create_payment
    values["warehouses"] = list(profile.stock.warehouses)
    values["price_category"] = profile.customers.price_category
    values["master_field"] = profile.products.master_field or ""
    for i, (name, value) in enumerate(profile.products.attribute_fields):
        values[f"attr_name:{i}"] = name
        values[f"attr_value:{i}"] = value
    return values


def changes_from_form(form: FormData, profile: Profile) -> dict[tuple[str, ...], Any]:
    """The profile changes a submitted mapping form asks for (only the sections it carries)."""
    changes: dict[tuple[str, ...], Any] = {}
    fields = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
    if "section:tax" in fields:
        kept = {k: v for k, v in profile.orders.tax_codes.items() if f"tax:{_safe_rate(k)}" not in fields}
        chosen = {k[4:]: v for k, v in fields.items() if k.startswith("tax:") and v}
        changes[("orders", "tax_codes")] = kept | chosen
    if "section:status" in fields:
        changes[("orders", "statuses")] = {
            k[7:]: v for k, v in fields.items() if k.startswith("status:") and v
        }
    if "section:payment" in fields:
        methods: dict[str, Any] = {}
        for key, mode in fields.items():
            if not key.startswith("mode:") or not mode:
                continue
            method = key[5:]
            entry: dict[str, Any] = {"mode": mode}
            journal = fields.get(f"journal:{method}", "")
            if journal:
                entry["journal"] = journal
            if fields.get(f"pay:{method}") == "on":
                entry["create_payment"] = True
            previous = profile.orders.payment_methods.get(method)
            if previous is not None and previous.account:
                entry["account"] = previous.account
            methods[method] = entry
        changes[("orders", "payment_methods")] = methods
    if "section:stock" in fields:
        changes[("stock", "warehouses")] = [v for k, v in form.multi_items() if k == "warehouse"]
    if "section:customers" in fields and fields.get("price_category"):
        changes[("customers", "price_category")] = fields["price_category"]
    if "section:grouping" in fields:
        master = fields.get("master_field") or None
        pairs = [
            [fields.get(f"attr_name:{i}", ""), fields.get(f"attr_value:{i}", "")]
            for i in range(MAX_ATTRIBUTES)
        ]
        changes[("products", "master_field")] = master
        changes[("products", "attribute_fields")] = [p for p in pairs if p[0] and p[1]] or None
    return changes


def _safe_rate(key: str) -> str:
    try:
        return rate_key(Decimal(key))
    except InvalidOperation:
        return key
