"""Item schemas and collection parameters of WooCommerce's REST controllers (wc/v3), as far as
they decide what a request may carry: types, enums, defaults, required and read-only fields.

Sources (``plugins/woocommerce/includes/rest-api/Controllers/``): ``Version3/`` controllers'
``get_item_schema`` and ``get_collection_params`` and their ``Version2``/``Version1`` parents;
``WC_REST_Controller::get_context_param``. WordPress ignores a ``type`` it does not know
(``date-time``, ``mixed``): such fields are not validated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from comptoir.sandbox.woocommerce.rest import Schema, parse_id_list, parse_list, to_int, to_string

# --- building blocks -----------------------------------------------------------------------------


def s(kind: str | list[str], **extra: Any) -> Schema:
    return {"type": kind, **extra}


STRING = s("string")
INTEGER = s("integer")
BOOLEAN = s("boolean")
READONLY = s("string", readonly=True)
ANY = s("mixed")
"""WooCommerce's ``mixed`` / ``date-time`` types: unknown to WordPress, so never validated."""


def obj(**properties: Schema) -> Schema:
    return {"type": "object", "properties": properties}


def array(items: Schema | None = None, **extra: Any) -> Schema:
    out: Schema = {"type": "array", **extra}
    if items is not None:
        out["items"] = items
    return out


META = array(obj(id=s("integer", readonly=True), key=STRING, value=ANY))
ADDRESS_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
)


def absint(value: Any) -> int:
    return abs(to_int(value))


def sanitize_key(value: Any) -> str:
    """``sanitize_key``: lower case, only ``a-z0-9_-``."""
    return "".join(c for c in to_string(value).lower() if (c.isalnum() and c.isascii()) or c in "_-")


def text_field(value: Any) -> str:
    """``sanitize_text_field`` (tags stripped, white space collapsed)."""
    import re

    text = re.sub(r"<[^>]*>", "", to_string(value))
    return re.sub(r"\s+", " ", text).strip()


CONTEXT = s("string", enum=["view", "edit"], default="view", sanitize=sanitize_key)

# --- collection parameters -----------------------------------------------------------------------


def base_collection(*, search: bool = True) -> dict[str, Schema]:
    """``WC_REST_Controller::get_collection_params``: context, page, per_page, search."""
    out: dict[str, Schema] = {
        "context": CONTEXT,
        "page": s("integer", default=1, minimum=1, sanitize=absint),
        "per_page": s("integer", default=10, minimum=1, maximum=100, sanitize=absint),
    }
    if search:
        out["search"] = s("string", sanitize=text_field)
    return out


def id_list(**extra: Any) -> Schema:
    return array(s("integer"), default=[], sanitize=parse_id_list, **extra)


def crud_collection(
    orderby: Sequence[str] = ("date", "id", "include", "title", "slug", "modified"),
) -> dict[str, Schema]:
    """``WC_REST_CRUD_Controller::get_collection_params``."""
    return {
        **base_collection(),
        "after": s("string", format="date-time"),
        "before": s("string", format="date-time"),
        "modified_after": s("string", format="date-time"),
        "modified_before": s("string", format="date-time"),
        "dates_are_gmt": s("boolean", default=False),
        "exclude": id_list(),
        "include": id_list(),
        "offset": s("integer", sanitize=absint),
        "order": s("string", default="desc", enum=["asc", "desc"]),
        "orderby": s("string", default="date", enum=list(orderby)),
    }


def product_collection(tax_classes: Callable[[], list[str]]) -> dict[str, Schema]:
    """Products v2 + v3 collection parameters."""
    return {
        **crud_collection(
            (
                "date",
                "id",
                "include",
                "title",
                "slug",
                "modified",
                "menu_order",
                "price",
                "popularity",
                "rating",
            )
        ),
        "parent": id_list(),
        "parent_exclude": id_list(),
        "slug": STRING,
        "status": s(
            "string",
            default="any",
            enum=["any", "future", "trash", "draft", "pending", "private", "publish"],
            sanitize=sanitize_key,
        ),
        "type": s("string", enum=["simple", "grouped", "external", "variable"], sanitize=sanitize_key),
        "sku": s("string", sanitize=text_field),
        "featured": BOOLEAN,
        "category": s("string", sanitize=text_field),
        "tag": s("string", sanitize=text_field),
        "shipping_class": s("string", sanitize=text_field),
        "attribute": s("string", sanitize=text_field),
        "attribute_term": s("string", sanitize=text_field),
        "tax_class": s("string", enum=["standard", *tax_classes()], sanitize=sanitize_key),
        "on_sale": BOOLEAN,
        "min_price": s("string", sanitize=text_field),
        "max_price": s("string", sanitize=text_field),
        "stock_status": s("string", enum=["instock", "outofstock", "onbackorder"], sanitize=text_field),
        "search_sku": s("string", sanitize=text_field),
    }


def variation_collection() -> dict[str, Schema]:
    base = crud_collection(("date", "id", "include", "title", "slug", "modified", "menu_order"))
    base.pop("search", None)
    return {
        **base,
        "search": s("string", sanitize=text_field),
        "parent": id_list(),
        "parent_exclude": id_list(),
        "slug": STRING,
        "status": s(
            "string",
            default="any",
            enum=["any", "future", "trash", "draft", "pending", "private", "publish"],
            sanitize=sanitize_key,
        ),
        "sku": s("string", sanitize=text_field),
        "tax_class": STRING,
        "on_sale": BOOLEAN,
        "min_price": STRING,
        "max_price": STRING,
        "stock_status": s("string", enum=["instock", "outofstock", "onbackorder"]),
    }


ORDER_STATUSES = [
    "auto-draft",
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
]
"""``get_order_statuses``: ``auto-draft`` then ``wc_get_order_statuses`` without ``wc-``."""


def order_collection() -> dict[str, Schema]:
    return {
        **crud_collection(),
        "status": array(s("string", enum=["any", "trash", *ORDER_STATUSES]), default="any"),
        "customer": s("integer", sanitize=absint),
        "product": s("integer", sanitize=absint),
        "dp": s("integer", default=2, sanitize=absint),
        "order_item_display_meta": s("boolean", default=False),
        "include_meta": array(STRING, default=[], sanitize=parse_list),
        "exclude_meta": array(STRING, default=[], sanitize=parse_list),
    }


ROLES = ["all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager"]


def customer_collection() -> dict[str, Schema]:
    """``WC_REST_Customers_V1_Controller::get_collection_params``."""
    return {
        **base_collection(),
        "exclude": id_list(),
        "include": id_list(),
        "offset": s("integer", sanitize=absint),
        "order": s("string", default="asc", enum=["asc", "desc"]),
        "orderby": s("string", default="name", enum=["id", "include", "name", "registered_date"]),
        "email": s("string", format="email"),
        "role": s("string", default="customer", enum=ROLES),
    }


def coupon_collection() -> dict[str, Schema]:
    return {**crud_collection(), "code": s("string", sanitize=text_field)}


def tax_collection(tax_classes: Callable[[], list[str]]) -> dict[str, Schema]:
    """``WC_REST_Taxes_V1_Controller::get_collection_params``."""
    base = base_collection(search=False)
    return {
        **base,
        "offset": s("integer", sanitize=absint),
        "order": s("string", default="asc", enum=["asc", "desc"]),
        "orderby": s("string", default="order", enum=["id", "order", "priority"]),
        "class": s("string", enum=["standard", *tax_classes()]),
    }


def term_collection(*, hierarchical: bool) -> dict[str, Schema]:
    """``WC_REST_Terms_Controller::get_collection_params``."""
    out: dict[str, Schema] = {
        "context": CONTEXT,
        "page": s("integer", default=1, minimum=1, sanitize=absint),
        "per_page": s("integer", default=10, minimum=1, maximum=100, sanitize=absint),
        "search": s("string", sanitize=text_field),
        "exclude": id_list(),
        "include": id_list(),
        "offset": s("integer", sanitize=absint),
        "order": s("string", default="asc", enum=["asc", "desc"], sanitize=sanitize_key),
        "orderby": s(
            "string",
            default="name",
            enum=["id", "include", "name", "slug", "term_group", "description", "count"],
            sanitize=sanitize_key,
        ),
        "hide_empty": s("boolean", default=False),
        "product": s("integer", default=None),
        "slug": s("string"),
    }
    if hierarchical:
        out["parent"] = s("integer")
    return out


def webhook_collection() -> dict[str, Schema]:
    """``WC_REST_Webhooks_V1_Controller::get_collection_params``."""
    return {
        **base_collection(),
        "after": s("string", format="date-time"),
        "before": s("string", format="date-time"),
        "exclude": id_list(),
        "include": id_list(),
        "offset": s("integer", sanitize=absint),
        "order": s("string", default="desc", enum=["asc", "desc"]),
        "orderby": s("string", default="date", enum=["date", "id", "title"]),
        "status": s(
            "string", default="all", enum=["all", "active", "paused", "disabled"], sanitize=sanitize_key
        ),
    }


FORCE = s("boolean", default=False)
"""``force`` of a DELETE (no callbacks: validated and sanitized by ``rest_parse_request_arg``)."""
FORCE_TRUE = s("boolean", default=True)

# --- item schemas -----------------------------------------------------------------------------------

IMAGE = obj(id=INTEGER, src=s("string", format="uri"), name=STRING, alt=STRING)
DIMENSIONS = obj(length=STRING, width=STRING, height=STRING)
DOWNLOADS = array(obj(id=STRING, name=STRING, file=STRING))
STOCK_STATUSES = ["instock", "outofstock", "onbackorder"]


def product_schema() -> dict[str, Schema]:
    """``WC_REST_Products_Controller::get_item_schema`` (writable part and defaults)."""
    return {
        "id": s("integer", readonly=True),
        "name": STRING,
        "slug": STRING,
        "type": s("string", default="simple", enum=["simple", "grouped", "external", "variable"]),
        "status": s(
            "string",
            default="publish",
            enum=["draft", "pending", "private", "publish", "future", "auto-draft", "trash"],
        ),
        "featured": s("boolean", default=False),
        "catalog_visibility": s("string", default="visible", enum=["visible", "catalog", "search", "hidden"]),
        "description": STRING,
        "short_description": STRING,
        "sku": STRING,
        "global_unique_id": STRING,
        "regular_price": STRING,
        "sale_price": STRING,
        "date_on_sale_from": ANY,
        "date_on_sale_from_gmt": ANY,
        "date_on_sale_to": ANY,
        "date_on_sale_to_gmt": ANY,
        "virtual": s("boolean", default=False),
        "downloadable": s("boolean", default=False),
        "downloads": DOWNLOADS,
        "download_limit": s("integer", default=-1),
        "download_expiry": s("integer", default=-1),
        "external_url": s("string", format="uri"),
        "button_text": STRING,
        "tax_status": s("string", default="taxable", enum=["taxable", "shipping", "none"]),
        "tax_class": STRING,
        "manage_stock": s("boolean", default=False),
        "stock_quantity": INTEGER,
        "stock_status": s("string", default="instock", enum=STOCK_STATUSES),
        "backorders": s("string", default="no", enum=["no", "notify", "yes"]),
        "low_stock_amount": s(["integer", "null"]),
        "sold_individually": s("boolean", default=False),
        "weight": STRING,
        "dimensions": DIMENSIONS,
        "shipping_class": STRING,
        "reviews_allowed": s("boolean", default=True),
        "post_password": STRING,
        "upsell_ids": array(INTEGER),
        "cross_sell_ids": array(INTEGER),
        "parent_id": INTEGER,
        "purchase_note": STRING,
        "categories": array(obj(id=INTEGER, name=READONLY, slug=READONLY)),
        "tags": array(obj(id=INTEGER, name=READONLY, slug=READONLY)),
        "images": array(IMAGE),
        "attributes": array(
            obj(
                id=INTEGER,
                name=STRING,
                position=INTEGER,
                visible=s("boolean", default=False),
                variation=s("boolean", default=False),
                options=array(STRING),
            )
        ),
        "default_attributes": array(obj(id=INTEGER, name=STRING, option=STRING)),
        "menu_order": INTEGER,
        "meta_data": META,
    }


def variation_schema() -> dict[str, Schema]:
    """``WC_REST_Product_Variations_Controller::get_item_schema`` (writable part and defaults)."""
    return {
        "id": s("integer", readonly=True),
        "description": STRING,
        "sku": STRING,
        "global_unique_id": STRING,
        "regular_price": STRING,
        "sale_price": STRING,
        "date_on_sale_from": ANY,
        "date_on_sale_from_gmt": ANY,
        "date_on_sale_to": ANY,
        "date_on_sale_to_gmt": ANY,
        "status": s("string", default="publish", enum=["draft", "pending", "private", "publish"]),
        "virtual": s("boolean", default=False),
        "downloadable": s("boolean", default=False),
        "downloads": DOWNLOADS,
        "download_limit": s("integer", default=-1),
        "download_expiry": s("integer", default=-1),
        "tax_status": s("string", default="taxable", enum=["taxable", "shipping", "none"]),
        "tax_class": STRING,
        "manage_stock": s("boolean", default=False),
        "stock_quantity": INTEGER,
        "stock_status": s("string", default="instock", enum=STOCK_STATUSES),
        "backorders": s("string", default="no", enum=["no", "notify", "yes"]),
        "low_stock_amount": s(["integer", "null"]),
        "weight": STRING,
        "dimensions": DIMENSIONS,
        "shipping_class": STRING,
        "image": IMAGE,
        "attributes": array(obj(id=INTEGER, name=STRING, option=STRING)),
        "menu_order": INTEGER,
        "meta_data": META,
    }


def address(*, email: Schema | None = None, phone: bool = True) -> Schema:
    props: dict[str, Schema] = {name: STRING for name in ADDRESS_FIELDS}
    if email is not None:
        props["email"] = email
    if phone:
        props["phone"] = STRING
    return obj(**props)


def order_schema(currencies: Sequence[str], currency: str) -> dict[str, Schema]:
    """``WC_REST_Orders_V2_Controller::get_item_schema`` (writable part and defaults)."""
    line_meta = META
    return {
        "id": s("integer", readonly=True),
        "parent_id": INTEGER,
        "status": s("string", default="pending", enum=ORDER_STATUSES),
        "currency": s("string", default=currency, enum=list(currencies)),
        "customer_id": s("integer", default=0),
        "customer_note": STRING,
        "billing": address(email=s(["string", "null"], format="email")),
        "shipping": address(),
        "payment_method": STRING,
        "payment_method_title": s("string", sanitize=text_field),
        "transaction_id": STRING,
        "meta_data": META,
        "line_items": array(
            obj(
                id=s("integer", readonly=True),
                name=ANY,
                product_id=ANY,
                variation_id=INTEGER,
                quantity=INTEGER,
                tax_class=STRING,
                subtotal=STRING,
                total=STRING,
                meta_data=line_meta,
                sku=STRING,
            )
        ),
        "shipping_lines": array(
            obj(
                id=s("integer", readonly=True),
                method_title=ANY,
                method_id=ANY,
                instance_id=STRING,
                total=STRING,
                meta_data=line_meta,
            )
        ),
        "fee_lines": array(
            obj(
                id=s("integer", readonly=True),
                name=ANY,
                tax_class=STRING,
                tax_status=s("string", enum=["taxable", "none"]),
                total=STRING,
                meta_data=line_meta,
            )
        ),
        "coupon_lines": array(
            obj(id=s("integer", readonly=True), code=ANY, discount=STRING, meta_data=line_meta)
        ),
        "set_paid": s("boolean", default=False),
    }


def customer_schema() -> dict[str, Schema]:
    """``WC_REST_Customers_V2_Controller::get_item_schema`` (v3 adds the shipping phone)."""
    return {
        "id": s("integer", readonly=True),
        "email": s("string", format="email"),
        "first_name": s("string", sanitize=text_field),
        "last_name": s("string", sanitize=text_field),
        "role": s("string", readonly=True),
        "username": STRING,
        "password": STRING,
        "billing": address(email=s("string", format="email")),
        "shipping": address(),
        "meta_data": META,
    }


def customer_create_args() -> dict[str, Schema]:
    """Creation overrides ``email`` (required, no format) and ``username``/``password``
    (required only when the shop does not generate them; it does by default)."""
    return {"email": s("string", required=True), "username": STRING, "password": STRING}


def coupon_schema() -> dict[str, Schema]:
    return {
        "id": s("integer", readonly=True),
        "code": STRING,
        "amount": STRING,
        "status": STRING,
        "discount_type": s("string", default="fixed_cart", enum=["percent", "fixed_cart", "fixed_product"]),
        "description": STRING,
        "date_expires": s(["null", "string"]),
        "date_expires_gmt": s(["null", "string"]),
        "individual_use": s("boolean", default=False),
        "product_ids": array(INTEGER),
        "excluded_product_ids": array(INTEGER),
        "usage_limit": INTEGER,
        "usage_limit_per_user": INTEGER,
        "limit_usage_to_x_items": INTEGER,
        "free_shipping": s("boolean", default=False),
        "product_categories": array(INTEGER),
        "excluded_product_categories": array(INTEGER),
        "exclude_sale_items": s("boolean", default=False),
        "minimum_amount": STRING,
        "maximum_amount": STRING,
        "maximum_discount": STRING,
        "email_restrictions": array(STRING),
        "meta_data": META,
    }


def tax_schema(tax_classes: Callable[[], list[str]]) -> dict[str, Schema]:
    """``WC_REST_Taxes_V1_Controller::get_item_schema``."""
    return {
        "id": s("integer", readonly=True),
        "country": STRING,
        "state": STRING,
        "postcode": STRING,
        "city": STRING,
        "postcodes": array(STRING),
        "cities": array(STRING),
        "rate": STRING,
        "name": STRING,
        "priority": s("integer", default=1),
        "compound": s("boolean", default=False),
        "shipping": s("boolean", default=True),
        "order": INTEGER,
        "class": s("string", default="standard", enum=["standard", *tax_classes()]),
    }


def term_schema(*, hierarchical: bool) -> dict[str, Schema]:
    out: dict[str, Schema] = {
        "id": s("integer", readonly=True),
        "name": s("string", sanitize=text_field),
        "slug": STRING,
        "description": STRING,
    }
    if hierarchical:
        out |= {
            "parent": INTEGER,
            "display": s("string", default="default", enum=["default", "products", "subcategories", "both"]),
            "image": IMAGE,
            "menu_order": INTEGER,
        }
    return out


def attribute_term_schema() -> dict[str, Schema]:
    return {
        "id": s("integer", readonly=True),
        "name": s("string", sanitize=text_field),
        "slug": STRING,
        "description": STRING,
        "menu_order": INTEGER,
    }


def attribute_schema() -> dict[str, Schema]:
    """``WC_REST_Product_Attributes_V1_Controller::get_item_schema``."""
    return {
        "id": s("integer", readonly=True),
        "name": s("string", sanitize=text_field),
        "slug": STRING,
        "type": s("string", default="select", enum=["select"]),
        "order_by": s("string", default="menu_order", enum=["menu_order", "name", "name_num", "id"]),
        "has_archives": s("boolean", default=False),
    }


def webhook_schema() -> dict[str, Schema]:
    """``WC_REST_Webhooks_Controller::get_item_schema`` (v3 = v2)."""
    return {
        "id": s("integer", readonly=True),
        "name": STRING,
        "status": s("string", default="active", enum=["active", "paused", "disabled"]),
        "topic": STRING,
        "secret": STRING,
        "delivery_url": s("string", format="uri"),
    }


def refund_schema() -> dict[str, Schema]:
    """``WC_REST_Order_Refunds_Controller::get_item_schema`` (v3)."""
    return {
        "id": s("integer", readonly=True),
        "amount": STRING,
        "reason": STRING,
        "refunded_by": INTEGER,
        "meta_data": META,
        "line_items": array(
            obj(
                id=INTEGER,
                quantity=INTEGER,
                refund_total=s("number"),
                refund_tax=array(obj(id=INTEGER, refund_total=s("number"))),
            )
        ),
        "api_refund": s("boolean", default=True),
        "api_restock": s("boolean", default=True),
    }


def note_schema() -> dict[str, Schema]:
    """``WC_REST_Order_Notes_Controller::get_item_schema``."""
    return {
        "id": s("integer", readonly=True),
        "note": s("string", required=True),
        "customer_note": s("boolean", default=False),
        "added_by_user": s("boolean", default=False),
    }
