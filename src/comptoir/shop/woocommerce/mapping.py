"""Neutral drafts → WooCommerce payloads, and WooCommerce orders → neutral ``Order``.

Where WooCommerce keeps a neutral fact (tax class of an ERP tax code, meta keys of the ERP
reference, VAT number and SIRET) comes from the shop's settings (``WooCommerceSettings``). The
order types are imported by the functions reading orders: a catalog or stock run builds none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from comptoir.model import (
    NOT_FOUND,
    Address,
    CustomerDraft,
    ItemError,
    PriceRowDraft,
    ProductDraft,
    ProductKind,
    ShopRef,
    to_decimal,
)
from comptoir.shop.woocommerce.settings import WooCommerceSettings

if TYPE_CHECKING:
    from comptoir.model import Order, TaxRounding

BARCODE_META = "_comptoir_barcode"
GROUP_META = "_comptoir_group"
TRANSFERRED_META = "_comptoir_transferred"
DOCUMENT_META = "_comptoir_document"
ROUND_AT_SUBTOTAL = "woocommerce_tax_round_at_subtotal"
"""The tax setting saying whether tax is rounded per line (``no``) or on the subtotal (``yes``)."""


def amount(value: Decimal) -> str:
    """A price as WooCommerce expects it: a string, no exponent, no trailing noise."""
    text = format(value, "f")
    return text


def _meta(meta: Mapping[str, str | None]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in meta.items() if v is not None]


def _tax_class(draft: ProductDraft, settings: WooCommerceSettings) -> str:
    assert draft.tax_code is not None
    return settings.tax_classes.get(draft.tax_code, settings.default_tax_class)


def _product_meta(draft: ProductDraft, settings: WooCommerceSettings) -> list[dict[str, str]] | None:
    meta = {
        settings.reference_meta: draft.erp_reference,
        BARCODE_META: draft.barcode,
        settings.seo_title_meta: draft.seo_title,
        settings.seo_description_meta: draft.seo_description,
    }
    for key, quantity in draft.warehouse_quantities or ():
        meta[settings.warehouse_meta_prefix + key] = str(quantity)
    return _meta(meta) if any(v is not None for v in meta.values()) else None


def product_payload(draft: ProductDraft, settings: WooCommerceSettings, *, creating: bool) -> dict[str, Any]:
    """``/products`` body for a simple or variable product; ``None`` fields are left out."""
    body: dict[str, Any] = {"sku": draft.sku}
    if creating:
        body["type"] = {ProductKind.VARIABLE: "variable", ProductKind.BUNDLE: "grouped"}.get(
            draft.kind, "simple"
        )
    if draft.bundle_items is not None:
        body["grouped_products"] = list(
            dict.fromkeys(int(i.parent_id or i.shop_id) for i in draft.bundle_items)
        )
    if draft.tax_code is not None:
        body["tax_class"] = _tax_class(draft, settings)
    for name in ("name", "slug", "description", "short_description", "manage_stock", "stock_quantity"):
        value = getattr(draft, name)
        if value is not None:
            body[name] = value
    if draft.kind not in (ProductKind.VARIABLE, ProductKind.BUNDLE):
        if draft.regular_price is not None:
            body["regular_price"] = amount(draft.regular_price)
        if draft.sale_price is not None:
            body["sale_price"] = amount(draft.sale_price)
    if draft.enabled is not None:
        body["status"] = "publish" if draft.enabled else "draft"
    if draft.category_shop_ids is not None:
        body["categories"] = [{"id": int(i)} for i in draft.category_shop_ids]
    if draft.weight is not None:
        body["weight"] = amount(draft.weight)
    if draft.attributes is not None or draft.features is not None:
        attributes = [(a.name, list(a.options), a.variation) for a in draft.attributes or ()]
        attributes += [(name, [value], False) for name, value in draft.features or ()]
        body["attributes"] = [
            {"name": name, "options": options, "visible": True, "variation": variation, "position": i}
            for i, (name, options, variation) in enumerate(attributes)
        ]
    dimensions = _dimensions(draft)
    if dimensions:
        body["dimensions"] = dimensions
    meta = _product_meta(draft, settings)
    if meta is not None:
        body["meta_data"] = meta
    return body


def _dimensions(draft: ProductDraft) -> dict[str, str]:
    """WooCommerce's ``dimensions`` (``length`` is the depth) for the sides the draft carries."""
    sides = {"length": draft.depth, "width": draft.width, "height": draft.height}
    return {side: amount(value) for side, value in sides.items() if value is not None}


def variation_payload(draft: ProductDraft, parent_id: int, settings: WooCommerceSettings) -> dict[str, Any]:
    """A ``variations/batch`` item; ``product_id`` names the parent (see docs/shops/woocommerce.md)."""
    body: dict[str, Any] = {"product_id": parent_id, "sku": draft.sku}
    if draft.tax_code is not None:
        body["tax_class"] = _tax_class(draft, settings)
    for name in ("description", "manage_stock", "stock_quantity"):
        value = getattr(draft, name)
        if value is not None:
            body[name] = value
    if draft.regular_price is not None:
        body["regular_price"] = amount(draft.regular_price)
    if draft.sale_price is not None:
        body["sale_price"] = amount(draft.sale_price)
    if draft.enabled is not None:
        body["status"] = "publish" if draft.enabled else "private"
    if draft.weight is not None:
        body["weight"] = amount(draft.weight)
    if draft.variation_options is not None:
        body["attributes"] = [{"name": n, "option": v} for n, v in draft.variation_options]
    dimensions = _dimensions(draft)
    if dimensions:
        body["dimensions"] = dimensions
    meta = _product_meta(draft, settings)
    if meta is not None:
        body["meta_data"] = meta
    return body


def trashed(item: Mapping[str, Any]) -> ItemError | None:
    """An update answered with the object in the trash: WooCommerce applies it there, where the
    shop neither shows nor finds it by SKU, so it is reported as gone."""
    if item.get("status") != "trash":
        return None
    return ItemError(NOT_FOUND, f"{item.get('type') or 'product'} {item.get('id')} is in the trash", "id")


def shop_ref(item: Mapping[str, Any]) -> ShopRef:
    kind = item.get("type")
    parent = int(item.get("parent_id") or 0)
    if kind == "variation" or (kind is None and parent):
        product_kind = ProductKind.VARIATION
    elif kind == "variable":
        product_kind = ProductKind.VARIABLE
    else:
        product_kind = ProductKind.SIMPLE
    return ShopRef(
        shop_id=str(item["id"]),
        parent_id=str(parent) if parent else None,
        sku=str(item.get("sku") or ""),
        kind=product_kind,
    )


GONE_CODES = frozenset(
    {
        "woocommerce_rest_product_invalid_id",
        "woocommerce_rest_product_variation_invalid_id",
        "woocommerce_rest_invalid_product_id",
        "woocommerce_rest_customer_invalid_id",
        "woocommerce_rest_shop_order_invalid_id",
        "woocommerce_rest_term_invalid",
        "woocommerce_rest_product_cat_invalid",
        "rest_post_invalid_id",
    }
)
"""WooCommerce's answers to a write addressing an id it does not have (``Invalid ID.``): given to
jobs as the neutral ``NOT_FOUND`` code, WooCommerce's own code kept in the message."""


def item_error(error: Mapping[str, Any], *, retryable: bool = False) -> ItemError:
    code = str(error.get("code", "error"))
    message = str(error.get("message", ""))
    if code in GONE_CODES:
        return ItemError(NOT_FOUND, f"{message} ({code})", "id")
    data = error.get("data") if isinstance(error.get("data"), Mapping) else {}
    field = ""
    if code in ("product_invalid_sku", "product_variation_invalid_sku"):
        field = "sku"
    elif code.startswith("registration-error-email") or code == "customer_invalid_email":
        field = "email"
    elif isinstance(data, Mapping) and isinstance(data.get("params"), Mapping) and data["params"]:
        field = str(next(iter(data["params"])))
    status = int(data.get("status", 400)) if isinstance(data, Mapping) else 400
    return ItemError(code, message, field, retryable or status == 429 or status >= 500)


# --- customers ---------------------------------------------------------------------------------


def _address(address: Address, *, with_email: bool) -> dict[str, str]:
    out = {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address_1": address.line1,
        "address_2": address.line2,
        "city": address.city,
        "state": address.region,
        "postcode": address.postcode,
        "country": address.country,
        "phone": address.phone,
    }
    if with_email:
        out["email"] = address.email
    return out


def customer_payload(
    draft: CustomerDraft, settings: WooCommerceSettings, *, creating: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if draft.email is not None:
        body["email"] = draft.email
    for name in ("first_name", "last_name"):
        value = getattr(draft, name)
        if value is not None:
            body[name] = value
    if draft.billing is not None:
        body["billing"] = _address(draft.billing, with_email=True)
    if draft.shipping is not None:
        body["shipping"] = _address(draft.shipping, with_email=False)
    meta = {
        settings.customer_code_meta: draft.erp_code,
        settings.vat_number_meta: draft.vat_number,
        settings.siret_meta: draft.siret,
        GROUP_META: draft.group,
        settings.home_warehouse_meta: draft.home_warehouse,
    }
    body["meta_data"] = _meta(meta)
    return body


# --- prices (Customer Specific Pricing) -------------------------------------------------------


def price_row(row: PriceRowDraft) -> tuple[str, dict[str, Any], str]:
    """A specific price as a CSP row: its API kind (``usp`` customer, ``gsp`` group), the row, and
    the id comptoir keeps for it (kind, product, minimum quantity, target: what CSP keys it by)."""
    qty = format(row.min_quantity.normalize(), "f")
    if row.customer_shop_id is not None:
        kind, target_field, price_field, target = "usp", "customer_id", "csp_price", row.customer_shop_id
    else:
        assert row.group is not None
        kind, target_field, price_field, target = "gsp", "group_name", "gsp_price", row.group
    body = {
        "product_id": int(row.product_shop_id),
        target_field: int(target) if kind == "usp" else target,
        "min_qty": qty,
        "discount_type": "flat",
        price_field: amount(row.price),
        "hash": hashlib.md5(row.key.encode()).hexdigest(),
    }
    return kind, body, f"{kind}|{row.product_shop_id}|{qty}|{target}"


def price_row_target(shop_id: str) -> tuple[str, dict[str, Any]]:
    """The CSP kind and the row naming what ``price_row`` gave ``shop_id`` for (to delete it)."""
    kind, product, qty, target = shop_id.split("|", 3)
    target_field = {"usp": "customer_id", "gsp": "group_name"}[kind]
    return kind, {
        "product_id": int(product),
        target_field: int(target) if kind == "usp" else target,
        "min_qty": qty,
        "hash": hashlib.md5(shop_id.encode()).hexdigest(),
    }


# --- orders ----------------------------------------------------------------------------------


def gmt(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _address_from(data: Mapping[str, Any]) -> Address:
    return Address(
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        company=str(data.get("company") or ""),
        line1=str(data.get("address_1") or ""),
        line2=str(data.get("address_2") or ""),
        postcode=str(data.get("postcode") or ""),
        city=str(data.get("city") or ""),
        region=str(data.get("state") or ""),
        country=str(data.get("country") or ""),
        phone=str(data.get("phone") or ""),
        email=str(data.get("email") or ""),
    )


def _rate(taxes: Any, rates: Mapping[int, Decimal]) -> Decimal | None:
    found = [rates[int(t["id"])] for t in taxes or [] if int(t.get("id") or 0) in rates]
    if not found:
        return None
    return sum(found, Decimal(0))


def tax_rounding_from(setting: Any) -> TaxRounding | None:
    """``woocommerce_tax_round_at_subtotal`` as a neutral fact (``None`` when unknown)."""
    from comptoir.model import TaxRounding  # the order types, loaded by the runs reading orders

    value = setting.get("value") if isinstance(setting, Mapping) else None
    if value == "yes":
        return TaxRounding.SUBTOTAL
    if value == "no":
        return TaxRounding.LINE
    return None


def order_from(data: Mapping[str, Any], *, tax_rounding: TaxRounding | None = None) -> Order:
    """A WooCommerce order in neutral terms; ``tax_rounding`` comes from the shop's settings
    (the order itself does not say where tax was rounded)."""
    from comptoir.model import CouponLine, FeeLine, Order, OrderLine, ShippingLine

    rates = {
        int(t["rate_id"]): to_decimal(t.get("rate_percent"), field="rate_percent")
        for t in data.get("tax_lines") or []
    }
    lines = tuple(
        OrderLine(
            line_id=str(li["id"]),
            sku=str(li.get("sku") or ""),
            name=str(li.get("name") or ""),
            quantity=to_decimal(li.get("quantity")),
            subtotal=to_decimal(li.get("subtotal")),
            total=to_decimal(li.get("total")),
            tax=to_decimal(li.get("total_tax")),
            tax_rate=_rate(li.get("taxes"), rates),
            subtotal_tax=to_decimal(li.get("subtotal_tax")),
            product_id=str(li.get("product_id") or ""),
            variation_id=str(li.get("variation_id") or "") if li.get("variation_id") else "",
        )
        for li in data.get("line_items") or []
    )
    shipping = tuple(
        ShippingLine(
            method=str(s.get("method_id") or ""),
            label=str(s.get("method_title") or ""),
            total=to_decimal(s.get("total")),
            tax=to_decimal(s.get("total_tax")),
            tax_rate=_rate(s.get("taxes"), rates),
        )
        for s in data.get("shipping_lines") or []
    )
    fees = tuple(
        FeeLine(
            name=str(f.get("name") or ""),
            total=to_decimal(f.get("total")),
            tax=to_decimal(f.get("total_tax")),
            tax_rate=_rate(f.get("taxes"), rates),
        )
        for f in data.get("fee_lines") or []
    )
    coupons = tuple(
        CouponLine(
            code=str(c.get("code") or ""),
            discount=to_decimal(c.get("discount")),
            discount_tax=to_decimal(c.get("discount_tax")),
        )
        for c in data.get("coupon_lines") or []
    )
    meta = {
        str(m["key"]): str(m["value"])
        for m in data.get("meta_data") or []
        if isinstance(m.get("value"), str | int | float)
    }
    created = gmt(data.get("date_created_gmt")) or datetime.fromtimestamp(0, UTC)
    customer = int(data.get("customer_id") or 0)
    billing = _address_from(data.get("billing") or {})
    return Order(
        shop_id=str(data["id"]),
        number=str(data.get("number") or data["id"]),
        status=str(data.get("status") or ""),
        created_at=created,
        currency=str(data.get("currency") or ""),
        total=to_decimal(data.get("total")),
        total_tax=to_decimal(data.get("total_tax")),
        lines=lines,
        modified_at=gmt(data.get("date_modified_gmt")),
        paid_at=gmt(data.get("date_paid_gmt")),
        prices_include_tax=bool(data.get("prices_include_tax")),
        tax_rounding=tax_rounding,
        customer_shop_id=str(customer) if customer else None,
        email=billing.email,
        billing=billing,
        shipping=_address_from(data.get("shipping") or {}),
        shipping_lines=shipping,
        fees=fees,
        coupons=coupons,
        payment_method=str(data.get("payment_method") or ""),
        payment_method_title=str(data.get("payment_method_title") or ""),
        transaction_id=str(data.get("transaction_id") or ""),
        customer_note=str(data.get("customer_note") or ""),
        transferred=meta.get(TRANSFERRED_META) == "yes",
        meta=meta,
    )
