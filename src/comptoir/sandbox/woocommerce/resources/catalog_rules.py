"""Product rules of ``WC_Product``: SKU uniqueness, stock status, prices, attributes, meta data."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, format_decimal, parse_iso, slugify

NOTIFY_NO_STOCK_AMOUNT = 0
"""Store option ``woocommerce_notify_no_stock_amount`` (default 0)."""


def check_sku(ctx: Context, sku: str, own: tuple[str, int] | None) -> None:
    """``WC_Product::set_sku``: a SKU held by another live product or variation is refused."""
    if not sku:
        return
    holder = ctx.store.lookup("sku", sku)
    if holder is None or holder == own:
        return
    n = 1
    while ctx.store.lookup("sku", f"{sku}-{n}") is not None:
        n += 1
    raise WooError(
        "product_invalid_sku",
        "Invalid or duplicated SKU.",
        400,
        resource_id=holder[1],
        unique_sku=f"{sku}-{n}",
    )


def derive_stock(record: Record) -> None:
    """``WC_Product::validate_props``: managed stock decides the stock status."""
    if not record.get("manage_stock"):
        record["stock_quantity"] = None
        record["backorders"] = "no"
        record["low_stock_amount"] = None
        return
    quantity = record.get("stock_quantity")
    quantity = int(quantity) if quantity not in (None, "") else 0
    record["stock_quantity"] = quantity
    if quantity > NOTIFY_NO_STOCK_AMOUNT:
        record["stock_status"] = "instock"
    elif record.get("backorders", "no") != "no":
        record["stock_status"] = "onbackorder"
    else:
        record["stock_status"] = "outofstock"


def price_string(value: Any) -> str:
    """``wc_format_decimal`` of a price; empty stays empty."""
    if value is None or value == "":
        return ""
    number = decimal_or_none(value)
    return "" if number is None else format_decimal(number)


def on_sale(record: Record, now: datetime) -> bool:
    sale = decimal_or_none(record.get("sale_price"))
    regular = decimal_or_none(record.get("regular_price"))
    if sale is None or regular is None or sale >= regular:
        return False
    start = record.get("_sale_from")
    end = record.get("_sale_to")
    if start and parse_iso(start) > now:
        return False
    return not (end and parse_iso(end) < now)


def active_price(record: Record, now: datetime) -> str:
    return str(record.get("sale_price")) if on_sale(record, now) else str(record.get("regular_price") or "")


def update_meta(ctx: Context, record: Record, meta: Any) -> None:
    """``update_meta_data`` for each ``{key, value[, id]}``: upsert by id, else by key."""
    if not isinstance(meta, list):
        return
    current: list[dict[str, Any]] = list(record.get("meta_data") or [])
    for entry in meta:
        if not isinstance(entry, dict) or "key" not in entry:
            continue
        key = str(entry["key"])
        value = entry.get("value")
        target = None
        if entry.get("id"):
            target = next((m for m in current if m["id"] == entry["id"]), None)
        if target is None:
            target = next((m for m in current if m["key"] == key), None)
        if value is None and target is not None:
            current.remove(target)
            continue
        if target is None:
            current.append({"id": ctx.store.next_id("meta"), "key": key, "value": value})
        else:
            target["key"] = key
            target["value"] = value
    record["meta_data"] = current


def meta_value(record: Record, key: str) -> Any:
    for entry in record.get("meta_data") or []:
        if entry["key"] == key:
            return entry["value"]
    return None


def attribute_key(name: str) -> str:
    return slugify(name)


def product_attributes(ctx: Context, raw: Any) -> list[dict[str, Any]]:
    """``prepare_attributes``: global attributes by id (``pa_*``), custom ones by name."""
    out: list[dict[str, Any]] = []
    if not isinstance(raw, list):
        return out
    for position, attr in enumerate(raw):
        if not isinstance(attr, dict):
            continue
        attr_id = int(attr.get("id") or 0)
        name = str(attr.get("name") or "")
        if attr_id:
            glob = ctx.store.get("attribute", attr_id)
            if glob is None:
                continue
            name = glob["name"]
        if not name:
            continue
        options = attr.get("options", [])
        if isinstance(options, str):
            options = [o.strip() for o in options.split("|") if o.strip()]
        out.append(
            {
                "id": attr_id,
                "name": name,
                "position": int(attr.get("position", position) or 0),
                "visible": bool(attr.get("visible", False)),
                "variation": bool(attr.get("variation", False)),
                "options": [str(o) for o in options],
            }
        )
    return out


def variation_attributes(parent: Record | None, raw: Any) -> list[dict[str, Any]]:
    """Variation attributes must name a parent attribute used for variations; others are skipped."""
    if parent is None or not isinstance(raw, list):
        return []
    by_key = {attribute_key(a["name"]): a for a in parent.get("attributes") or []}
    by_id = {a["id"]: a for a in parent.get("attributes") or [] if a["id"]}
    out: list[dict[str, Any]] = []
    for attr in raw:
        if not isinstance(attr, dict):
            continue
        target = by_id.get(int(attr.get("id") or 0)) if attr.get("id") else None
        if target is None and attr.get("name"):
            target = by_key.get(attribute_key(str(attr["name"])))
        if target is None or not target.get("variation"):
            continue
        out.append({"id": target["id"], "name": target["name"], "option": str(attr.get("option", ""))})
    return out


def decimal_field(value: Any) -> str:
    number = decimal_or_none(value)
    return "" if number is None else format_decimal(number)


def min_price(prices: list[str]) -> str:
    values = [Decimal(p) for p in prices if p not in ("", None)]
    return format_decimal(min(values)) if values else ""
