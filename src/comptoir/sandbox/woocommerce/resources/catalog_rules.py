"""Product rules of ``WC_Product``: SKU uniqueness, stock status, prices, attributes, meta data."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, parse_iso, slugify

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


def attribute_slug(name: str) -> str:
    """``wc_attribute_taxonomy_slug``: ``pa_`` dropped, sanitized."""
    text = name[3:] if name.startswith("pa_") else name
    return slugify(text)


def global_attribute(ctx: Context, ident: int = 0, name: str = "") -> Record | None:
    """A global attribute by id, or by name (``wc_attribute_taxonomy_id_by_name``)."""
    if ident:
        return ctx.store.get("attribute", ident)
    wanted = attribute_slug(name)
    for attr in ctx.store.records("attribute"):
        if attribute_slug(str(attr["slug"])) == wanted:
            return attr
    return None


def attribute_taxonomy(attr: dict[str, Any]) -> str:
    """The key of a product's attribute: ``pa_<slug>`` for a global one, the sanitized name else."""
    return str(attr.get("key") or slugify(str(attr.get("name", ""))))


def _term_of(ctx: Context, taxonomy: str, name: str, *, create: bool) -> Record | None:
    for term in ctx.store.records("term"):
        if term["taxonomy"] == taxonomy and str(term["name"]).lower() == name.lower():
            return term
    if not create:
        return None
    ident = ctx.store.next_id("term")
    taken = {t["slug"] for t in ctx.store.records("term") if t["taxonomy"] == taxonomy}
    base = slugify(name) or str(ident)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    created: Record = {
        "id": ident,
        "taxonomy": taxonomy,
        "name": name,
        "slug": slug,
        "description": "",
        "menu_order": 0,
    }
    ctx.store.put("term", ident, created)
    return created


def product_attributes(ctx: Context, raw: Any) -> list[dict[str, Any]]:
    """``prepare_attributes``: a global attribute by ``id`` or by a ``name`` matching its slug (its
    options are term names, created when missing; none → the attribute is skipped); any other
    named attribute is custom. ``options`` may be a ``|``-separated string."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(raw, list):
        return []
    for attr in raw:
        if not isinstance(attr, dict):
            continue
        attr_id = int(attr.get("id") or 0) if str(attr.get("id") or "0").lstrip("-").isdigit() else 0
        name = str(attr.get("name") or "").strip()
        glob = (
            global_attribute(ctx, abs(attr_id))
            if attr_id
            else (global_attribute(ctx, 0, name) if name else None)
        )
        if attr_id and glob is None:
            continue
        if glob is None and not name:
            continue
        options = attr.get("options")
        if options is None:
            values: list[str] = []
        elif isinstance(options, list):
            values = [str(o).strip() for o in options]
        else:
            values = [o.strip() for o in str(options).split("|")]
        values = [v for v in dict.fromkeys(values) if v != ""]
        if glob is not None:
            if not values:
                continue
            taxonomy = str(glob["slug"])
            terms = [_term_of(ctx, taxonomy, v, create=True) for v in values]
            entry = {
                "id": int(glob["id"]),
                "name": glob["name"],
                "key": taxonomy,
                "options": [str(term["name"]) for term in terms if term],
            }
        elif options is None:
            continue
        else:
            entry = {"id": 0, "name": name, "key": slugify(name), "options": values}
        entry |= {
            "position": abs(int(attr.get("position") or 0))
            if str(attr.get("position") or "0").lstrip("-").isdigit()
            else 0,
            "visible": bool(attr.get("visible")),
            "variation": bool(attr.get("variation")),
        }
        out[entry["key"]] = entry
    return [
        {k: e[k] for k in ("id", "name", "position", "visible", "variation", "options")} | {"key": e["key"]}
        for e in out.values()
    ]


def _parent_attribute(ctx: Context, parent: Record, attr: dict[str, Any]) -> dict[str, Any] | None:
    """The parent's attribute an item names: by global ``id``, else by ``sanitize_title(name)``."""
    by_key = {attribute_taxonomy(a): a for a in parent.get("attributes") or []}
    if attr.get("id"):
        glob = global_attribute(ctx, int(attr["id"]))
        return by_key.get(str(glob["slug"])) if glob else None
    if attr.get("name"):
        return by_key.get(slugify(str(attr["name"])))
    return None


def variation_attributes(ctx: Context, parent: Record, raw: Any) -> list[dict[str, Any]]:
    """A variation's attributes must name a parent attribute used for variations; others are
    skipped. A global attribute's option is a term name (kept as the term's name)."""
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(raw, list):
        return []
    for attr in raw:
        if not isinstance(attr, dict):
            continue
        target = _parent_attribute(ctx, parent, attr)
        if target is None or not target.get("variation"):
            continue
        value = str(attr.get("option") or "").strip()
        if target.get("id"):
            term = _term_of(ctx, attribute_taxonomy(target), value, create=False)
            value = str(term["name"]) if term else value
        key = attribute_taxonomy(target)
        out[key] = {"id": int(target.get("id") or 0), "name": target["name"], "option": value, "key": key}
    return list(out.values())


def default_attributes(record: Record, raw: list[Any]) -> list[dict[str, Any]]:
    """``save_default_attributes``: only attributes of the product used for variations."""
    by_key = {attribute_taxonomy(a): a for a in record.get("attributes") or []}
    out = []
    for attr in raw:
        if not isinstance(attr, dict):
            continue
        target = None
        if attr.get("id"):
            target = next((a for a in by_key.values() if a.get("id") == int(attr["id"] or 0)), None)
        elif attr.get("name"):
            target = by_key.get(slugify(str(attr["name"])))
        if target is None or not target.get("variation"):
            continue
        value = str(attr.get("option") or "").strip()
        if target.get("id"):
            value = slugify(value)
        if value:
            out.append({"id": int(target.get("id") or 0), "name": target["name"], "option": value})
    return out


def in_price_range(price: str, low: Any, high: Any) -> bool:
    if not low and not high:
        return True
    value = decimal_or_none(price)
    if value is None:
        return False
    if low and (bound := decimal_or_none(low)) is not None and value < bound:
        return False
    return not (high and (bound := decimal_or_none(high)) is not None and value > bound)


def price_key(price: Any) -> Decimal:
    return decimal_or_none(price) or Decimal(0)


def min_price(prices: list[str]) -> str:
    """The lowest price as it is stored (a variable product shows its cheapest variation's)."""
    values = [p for p in prices if p not in ("", None)]
    return min(values, key=price_key) if values else ""
