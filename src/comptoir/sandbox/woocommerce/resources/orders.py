"""``/orders`` (WC_REST_Orders_Controller, wc/v3, and its v2 parent), ``/orders/<id>/refunds`` and
``/refunds`` (WC_REST_Order_Refunds_Controller, WC_REST_Refunds_Controller), and
``/orders/<id>/notes`` (WC_REST_Order_Notes_Controller).

Orders follow ``prepare_object_for_database``/``save_object``: items merged by id (an unknown id
is ``woocommerce_rest_invalid_item_id``; a posted item with ``quantity: 0`` or a ``null``
product/method/name/code is removed), coupons replaced as a whole (``calculate_coupons``), totals
recomputed when items or addresses are posted, the status set after, ``set_paid`` last. Status
changes leave WooCommerce's order notes; stock moves with the statuses that reduce or restore it.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, date_params, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, invalid_id
from comptoir.sandbox.woocommerce.resources import totals
from comptoir.sandbox.woocommerce.resources.batch import batch_route
from comptoir.sandbox.woocommerce.resources.catalog_rules import derive_stock, meta_value, update_meta
from comptoir.sandbox.woocommerce.resources.coupons import Coupons
from comptoir.sandbox.woocommerce.resources.customers import BILLING, SHIPPING
from comptoir.sandbox.woocommerce.resources.products import Catalog, _in_dates, _sort
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.resources.settings import CURRENCIES
from comptoir.sandbox.woocommerce.resources.taxes import Taxes
from comptoir.sandbox.woocommerce.rest import endpoint_args, item_defaults
from comptoir.sandbox.woocommerce.schemas import (
    CONTEXT,
    FORCE,
    FORCE_TRUE,
    crud_collection,
    note_schema,
    order_collection,
    order_schema,
    refund_schema,
    s,
)
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import (
    money,
    parse_iso,
    wc_clean,
    wc_format_decimal,
    wp_date,
    wp_date_gmt,
)

STATUSES = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
]
STATUS_NAMES = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
    "auto-draft": "auto-draft",
    "trash": "trash",
}
"""``wc_get_order_status_name``."""
PAYABLE = {"pending", "on-hold", "failed", "cancelled"}
"""``woocommerce_valid_order_statuses_for_payment_complete``."""
REDUCES_STOCK = {"processing", "completed", "on-hold"}
RESTORES_STOCK = {"cancelled", "pending"}
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "CAD": "$", "JPY": "¥"}
REFUND_GATEWAYS = {"paypal"}
"""Core gateways that ``supports( 'refunds' )``."""


class Orders:
    def __init__(self, ctx: Context, catalog: Catalog, taxes: Taxes, coupons: Coupons) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.catalog = catalog
        self.taxes = taxes
        self.coupons = coupons

    # --- notes -----------------------------------------------------------------------------
    def add_note(self, order_id: int, text: str, *, customer_note: bool = False, by_user: int = 0) -> Record:
        """``WC_Order::add_order_note``: by the user when ``added_by_user``, else by WooCommerce."""
        author = "WooCommerce"
        if by_user:
            user = self.store.get("user", by_user)
            if user is not None:
                author = str(user.get("display_name") or user.get("username") or "WooCommerce")
        ident = self.store.next_id("comment")
        note: Record = {
            "id": ident,
            "order_id": order_id,
            "author": author,
            "note": text,
            "customer_note": customer_note,
            "_created": self.ctx.now().isoformat(),
        }
        self.store.put("order_note", ident, note)
        return note

    # --- items -----------------------------------------------------------------------------
    def _product_for(self, posted: dict[str, Any], action: str) -> Record | None:
        """``get_product_id``: SKU first, then product_id (without variation), then variation_id."""
        if posted.get("sku"):
            found = self.store.lookup("sku", str(posted["sku"]))
            return self.store.get(*found) if found else None
        ident = 0
        if posted.get("product_id") and not posted.get("variation_id"):
            ident = _int(posted["product_id"])
        elif posted.get("variation_id"):
            ident = _int(posted["variation_id"])
        if ident:
            return self.store.get("product", ident) or self.store.get("variation", ident)
        if action == "update":
            return None
        raise WooError("woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400)

    def _unit_price_excl_tax(self, product: Record, quantity: int) -> Decimal:
        """``wc_get_price_excluding_tax``: price × quantity, less the base-location tax when prices
        are entered with tax."""
        rendered = (
            self.catalog.render_variation(product)
            if product.get("type") == "variation"
            else self.catalog.render_product(product)
        )
        line_price = totals.dec(rendered["price"]) * quantity
        if not self.ctx.prices_include_tax or product.get("tax_status", "taxable") != "taxable":
            return line_price
        rates = self._base_rates(str(rendered.get("tax_class") or ""))
        return totals.net_of_tax(line_price, rates)

    def _base_rates(self, tax_class: str) -> list[Record]:
        country = self.ctx.base_country
        state = str(self.ctx.option("woocommerce_default_country")).partition(":")[2]
        postcode = str(self.ctx.option("woocommerce_store_postcode") or "")
        city = str(self.ctx.option("woocommerce_store_city") or "")
        return self.taxes.find_rates(country, state, postcode, city, tax_class)

    def _new_line(self) -> Record:
        return {
            "id": self.store.next_id("order_item"),
            "name": "",
            "product_id": 0,
            "variation_id": 0,
            "quantity": 1,
            "tax_class": "",
            "_tax_status": "taxable",
            "_subtotal": "0",
            "_total": "0",
            "taxes": [],
            "meta_data": [],
            "sku": None,
            "image": {"id": "", "src": ""},
            "parent_name": None,
        }

    def _line(self, posted: dict[str, Any], existing: Record | None) -> Record:
        """``prepare_line_items``."""
        action = "update" if existing is not None else "create"
        line: Record = existing or self._new_line()
        product = self._product_for(posted, action)
        if (product is not None and product["id"] not in (line["product_id"], line["variation_id"])) or (
            product is not None and action == "create"
        ):
            self._set_product(line, product)
            if action == "create":
                quantity = _int(posted.get("quantity", 1)) if posted.get("quantity") is not None else 1
                total = self._unit_price_excl_tax(product, quantity)
                line["_subtotal"] = line["_total"] = str(total)
        if posted.get("name") is not None:
            line["name"] = str(posted["name"])
        if posted.get("quantity") is not None:
            line["quantity"] = _int(posted["quantity"])
        for key in ("total", "subtotal"):
            if posted.get(key) is not None:
                line[f"_{key}"] = wc_format_decimal(posted[key]) or "0"
        if posted.get("tax_class") is not None:
            line["tax_class"] = str(posted["tax_class"])
        update_meta(self.ctx, line, posted.get("meta_data"))
        return line

    def _set_product(self, line: Record, product: Record) -> None:
        """``WC_Order_Item_Product::set_product``: ids, name, tax class, and a variation's attributes
        as item meta."""
        is_variation = product.get("type") == "variation"
        parent = self.store.get("product", int(product["parent_id"])) if is_variation else None
        rendered = (
            self.catalog.render_variation(product) if is_variation else self.catalog.render_product(product)
        )
        line["product_id"] = int(product["parent_id"]) if is_variation else product["id"]
        line["variation_id"] = product["id"] if is_variation else 0
        line["name"] = self.catalog.render_as_product(product)["name"] if is_variation else rendered["name"]
        line["sku"] = product.get("sku", "")
        line["tax_class"] = rendered.get("tax_class", "")
        line["_tax_status"] = product.get("tax_status", "taxable")
        line["parent_name"] = parent["name"] if parent else None
        image = int(product.get("image_id") or (parent or {}).get("image_id") or 0)
        view = self.catalog.media.image_view(image) if image else None
        line["image"] = {"id": image if view else "", "src": view["src"] if view else ""}
        if is_variation:
            meta = [m for m in line["meta_data"] if not m.get("_attribute")]
            for attr in product.get("attributes") or []:
                key = str(attr.get("key") or "")
                meta.append(
                    {
                        "id": self.store.next_id("meta"),
                        "key": key,
                        "value": attr["option"] if not attr.get("id") else _slug(attr["option"]),
                        "_attribute": True,
                        "_display_key": attr["name"],
                        "_display_value": attr["option"],
                    }
                )
            line["meta_data"] = meta

    def _merge(self, order: Record, key: str, posted: Any, build: Any) -> None:
        """Each posted item: removed when ``item_is_null_or_zero``, else ``set_item``."""
        if not isinstance(posted, list):
            return
        current: list[Record] = order[key]
        for item in posted:
            if not isinstance(item, dict):
                continue
            ident = _int(item.get("id"))
            nulled = any(
                k in item and item[k] is None
                for k in ("product_id", "method_id", "method_title", "name", "code")
            )
            if (
                "id" in item
                and item["id"] is not None
                and (nulled or (item.get("quantity") == 0 and "quantity" in item))
            ):
                order[key] = current = [line for line in current if line["id"] != ident]
                continue
            existing = None
            if ident:
                existing = next((line for line in current if line["id"] == ident), None)
                if existing is None:
                    raise WooError(
                        "woocommerce_rest_invalid_item_id",
                        "Order item ID provided is not associated with order.",
                        400,
                    )
            built = build(item, existing)
            if existing is None:
                current.append(built)

    def _shipping(self, posted: dict[str, Any], existing: Record | None) -> Record:
        if existing is None and not posted.get("method_id"):
            raise WooError("woocommerce_rest_invalid_shipping_item", "Shipping method ID is required.", 400)
        return self._charge(posted, existing, {"method_title": "", "method_id": "", "instance_id": ""})

    def _fee(self, posted: dict[str, Any], existing: Record | None) -> Record:
        if existing is None and not posted.get("name"):
            raise WooError("woocommerce_rest_invalid_fee_item", "Fee name is required.", 400)
        return self._charge(posted, existing, {"name": "", "tax_class": "", "tax_status": "taxable"})

    def _charge(self, posted: dict[str, Any], existing: Record | None, fields: dict[str, str]) -> Record:
        """A shipping or fee line: its own text fields, a net total, taxes computed later."""
        line = existing or {
            "id": self.store.next_id("order_item"),
            **fields,
            "_total": "0",
            "taxes": [],
            "meta_data": [],
        }
        for name in fields:
            if posted.get(name) is not None:
                line[name] = str(posted[name])
        if posted.get("total") is not None:
            line["_total"] = wc_format_decimal(posted["total"]) or "0"
        update_meta(self.ctx, line, posted.get("meta_data"))
        return line

    # --- coupons -----------------------------------------------------------------------------
    def _coupon_error(self, coupon: Record | None, code: str, order: Record) -> str | None:
        """``WC_Discounts::is_coupon_valid`` for an order (the checks a REST order can fail)."""
        if coupon is None or coupon["status"] in ("trash", "draft"):
            return f'Coupon "{code}" does not exist!'
        if coupon.get("usage_limit") and int(coupon["usage_count"]) >= int(coupon["usage_limit"]):
            return "Coupon usage limit has been reached."
        expires = coupon.get("_expires")
        if expires and parse_iso(expires) < self.ctx.now():
            return "This coupon has expired."
        subtotal = sum((totals.r2(totals.dec(li["_subtotal"])) for li in order["line_items"]), Decimal(0))
        minimum = totals.dec(coupon.get("minimum_amount"))
        if minimum > 0 and minimum > subtotal:
            return f"The minimum spend for this coupon is {self.catalog.wc_price(str(minimum))}."
        maximum = totals.dec(coupon.get("maximum_amount"))
        if maximum > 0 and maximum < subtotal:
            return f"The maximum spend for this coupon is {self.catalog.wc_price(str(maximum))}."
        ids = {(li["product_id"], li["variation_id"]) for li in order["line_items"]}
        if coupon.get("product_ids") and not any(
            p in coupon["product_ids"] or v in coupon["product_ids"] for p, v in ids
        ):
            return "Sorry, this coupon is not applicable to selected products."
        return None

    def _coupons(self, order: Record, posted: Any) -> None:
        """``calculate_coupons`` (v3): the posted list replaces the order's coupons."""
        if not isinstance(posted, list):
            return
        current = {c["code"] for c in order["coupon_lines"]}
        codes: list[str] = []
        for item in posted:
            item = item if isinstance(item, dict) else {}
            if item.get("id"):
                raise WooError("woocommerce_rest_coupon_item_id_readonly", "Coupon item ID is readonly.", 400)
            if not item.get("code"):
                raise WooError("woocommerce_rest_invalid_coupon", "Coupon code is required.", 400)
            code = wc_clean(item["code"]).lower()
            if code not in current:
                problem = self._coupon_error(self.coupons.by_code(code), code, order)
                if problem:
                    raise WooError("woocommerce_rest_invalid_coupon", problem, 400)
            codes.append(code)
        order["coupon_lines"] = []
        for code in codes:
            if any(c["code"] == code for c in order["coupon_lines"]):
                raise WooError("woocommerce_rest_invalid_coupon", "Coupon code already applied!", 400)
            coupon = self.coupons.by_code(code)
            assert coupon is not None
            amount = float(Decimal(coupon["amount"]))
            order["coupon_lines"].append(
                {
                    "id": self.store.next_id("order_item"),
                    "code": code,
                    "_discount": "0",
                    "_discount_tax": "0",
                    "meta_data": [],
                    "discount_type": coupon["discount_type"],
                    "nominal_amount": int(amount) if amount == int(amount) else amount,
                    "free_shipping": coupon["free_shipping"],
                }
            )

    # --- totals, stock, status ---------------------------------------------------------------
    def _round_at_subtotal(self) -> bool:
        return bool(self.ctx.option("woocommerce_tax_round_at_subtotal") == "yes")

    def _location(self, order: Record) -> tuple[str, str, str, str]:
        """``get_tax_location``: the option ``woocommerce_tax_based_on`` (shipping, else billing)."""
        based_on = self.ctx.option("woocommerce_tax_based_on")
        if based_on == "shipping" and not order["shipping"].get("country"):
            based_on = "billing"
        if based_on in ("shipping", "billing"):
            address = order[based_on]
            if address.get("country"):
                return (
                    address["country"],
                    address.get("state", ""),
                    address.get("postcode", ""),
                    address.get("city", ""),
                )
        return (
            self.ctx.base_country,
            str(self.ctx.option("woocommerce_default_country")).partition(":")[2],
            str(self.ctx.option("woocommerce_store_postcode") or ""),
            str(self.ctx.option("woocommerce_store_city") or ""),
        )

    def recalculate(self, order: Record) -> None:
        """``calculate_totals``: taxes only when the shop has them enabled."""
        country, state, postcode, city = self._location(order)
        enabled = self.ctx.taxes_enabled

        def find(tax_class: str, shipping: bool) -> list[Record]:
            if not enabled:
                return []
            rates = self.taxes.find_rates(country, state, postcode, city, tax_class)
            return [r for r in rates if r.get("shipping")] if shipping else rates

        coupons = [c for c in (self.coupons.by_code(line["code"]) for line in order["coupon_lines"]) if c]
        slugs = [c["slug"] for c in self.taxes.classes()[1:]]
        totals.compute(
            order,
            coupons,
            find,
            slugs,
            round_at_subtotal=self._round_at_subtotal(),
            shipping_class=str(self.ctx.option("woocommerce_shipping_tax_class")),
        )

    def _stock(self, order: Record, reduce: bool) -> None:
        """``wc_reduce_stock_levels`` / ``wc_increase_stock_levels``, with their order note."""
        changes = []
        for line in order["line_items"]:
            ident = line["variation_id"] or line["product_id"]
            kind = "variation" if line["variation_id"] else "product"
            product = self.store.get(kind, ident)
            if product is None or not product.get("manage_stock"):
                continue
            if reduce and line.get("_reduced"):
                continue
            if not reduce and not line.get("_reduced"):
                continue
            quantity = int(line["quantity"]) if reduce else int(line["_reduced"])
            before = int(product.get("stock_quantity") or 0)
            after = before - quantity if reduce else before + quantity
            product = {**product, "stock_quantity": after}
            derive_stock(product)
            self.store.put(kind, ident, product)
            if kind == "variation":
                self.catalog._sync_parent(int(product["parent_id"]))
            line["_reduced"] = quantity if reduce else 0
            identifier = product.get("sku") or f"#{product['id']}"
            name = line["name"]
            changes.append(f"{name} ({identifier}) {before}&rarr;{after}")
        order["_stock_reduced"] = reduce
        if changes:
            label = "Stock levels reduced:" if reduce else "Stock levels increased:"
            self.add_note(order["id"], f"{label} {', '.join(changes)}")

    def _set_status(self, order: Record, status: str) -> None:
        old = order["status"]
        order["status"] = status
        if old != status:
            order.setdefault("_transitions", []).append((old, status))
        if status in REDUCES_STOCK and not order.get("_stock_reduced"):
            order.setdefault("_pending_stock", []).append(True)
        elif status in RESTORES_STOCK and order.get("_stock_reduced"):
            order.setdefault("_pending_stock", []).append(False)
        if status == "completed" and not order.get("_completed"):
            order["_completed"] = self.ctx.now().isoformat()
        # WC_Order::maybe_set_date_paid: reaching the payment-complete status sets date_paid once.
        if status in ("processing", "completed") and not order.get("_paid"):
            order["_paid"] = self.ctx.now().isoformat()

    def _after_save(self, order: Record) -> None:
        """``status_transition``: a note per status change; then the stock moves."""
        for old, new in order.pop("_transitions", []):
            if old in STATUS_NAMES and new in STATUS_NAMES and old not in ("auto-draft", "trash"):
                self.add_note(
                    order["id"], f"Order status changed from {STATUS_NAMES[old]} to {STATUS_NAMES[new]}."
                )
        for reduce in order.pop("_pending_stock", []):
            self._stock(order, reduce)

    def _needs_processing(self, order: Record) -> bool:
        for line in order["line_items"]:
            ident = line["variation_id"] or line["product_id"]
            product = self.store.get("variation" if line["variation_id"] else "product", ident)
            if product is None or not (product.get("virtual") and product.get("downloadable")):
                return True
        return False

    def _payment_complete(self, order: Record, transaction_id: str) -> None:
        """``WC_Order::payment_complete``."""
        if order["status"] not in PAYABLE:
            return
        if transaction_id:
            order["transaction_id"] = transaction_id
        if not order.get("_paid"):
            order["_paid"] = self.ctx.now().isoformat()
        self._set_status(order, "processing" if self._needs_processing(order) else "completed")
        customer = self.store.get("user", int(order["customer_id"])) if order["customer_id"] else None
        if customer is not None and not customer.get("is_paying_customer"):
            self.store.put("user", customer["id"], {**customer, "is_paying_customer": True})

    # --- create / update ---------------------------------------------------------------------
    def _apply(self, order: Record, body: dict[str, Any], creating: bool) -> None:
        for key in ("parent_id", "customer_id"):
            if body.get(key) is not None:
                order[key] = _int(body[key])
        for key in ("payment_method", "payment_method_title", "transaction_id", "customer_note", "currency"):
            if body.get(key) is not None:
                order[key] = str(body[key])
        for section, fields in (("billing", BILLING), ("shipping", SHIPPING)):
            if isinstance(body.get(section), dict):
                for key in fields:
                    if body[section].get(key) is not None:
                        order[section][key] = str(body[section][key])
        self._merge(order, "line_items", body.get("line_items"), self._line)
        self._merge(order, "shipping_lines", body.get("shipping_lines"), self._shipping)
        self._merge(order, "fee_lines", body.get("fee_lines"), self._fee)
        update_meta(self.ctx, order, body.get("meta_data"))
        self._coupons(order, body.get("coupon_lines"))

    def _check_customer(self, body: dict[str, Any]) -> None:
        customer_id = _int(body.get("customer_id"))
        if customer_id and self.store.get("user", customer_id) is None:
            raise WooError("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400)

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError("woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.", 400)
        moment = self.ctx.now().isoformat()
        ident = self.store.next_id("post")
        order: Record = {
            "id": ident,
            "parent_id": 0,
            "number": str(ident),
            "order_key": "wc_order_" + secrets.token_hex(7)[:13],
            "created_via": "rest-api",
            "version": "10.4.0",
            "status": "pending",
            "currency": self.ctx.currency,
            "prices_include_tax": False,
            "customer_id": 0,
            "customer_ip_address": "",
            "customer_user_agent": "",
            "customer_note": "",
            "billing": {k: "" for k in BILLING},
            "shipping": {k: "" for k in SHIPPING},
            "payment_method": "",
            "payment_method_title": "",
            "transaction_id": "",
            "cart_hash": "",
            "meta_data": [],
            "line_items": [],
            "tax_lines": [],
            "shipping_lines": [],
            "fee_lines": [],
            "coupon_lines": [],
            "_created": moment,
            "_modified": moment,
        }
        self._apply(order, body, creating=True)
        self._check_customer(body)
        order["prices_include_tax"] = self.ctx.option("woocommerce_prices_include_tax") == "yes"
        self.recalculate(order)
        if body.get("status"):
            self._set_status(order, str(body["status"]))
        self._usage(order)
        self.store.put("order", ident, order)
        self._after_save(order)
        if body.get("set_paid") is True:
            self._payment_complete(order, str(body.get("transaction_id") or ""))
            self._after_save(order)
        self.store.put("order", ident, order)
        self.ctx.emit("order", "created", ident)
        return self.render(order, "edit")

    def _usage(self, order: Record) -> None:
        for line in order["coupon_lines"]:
            coupon = self.coupons.by_code(line["code"])
            if coupon is not None and not line.get("_counted"):
                self.store.put("coupon", coupon["id"], {**coupon, "usage_count": coupon["usage_count"] + 1})
                line["_counted"] = True

    def update(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        ident = _int(body.get("id"))
        current = self.store.get("order", ident)
        if current is None:
            raise invalid_id("shop_order", 400)
        order = _deep(current)
        self._apply(order, body, creating=False)
        self._check_customer(body)
        if any(
            body.get(k) is not None
            for k in ("billing", "shipping", "line_items", "shipping_lines", "fee_lines", "coupon_lines")
        ):
            self.recalculate(order)
        if body.get("status"):
            self._set_status(order, str(body["status"]))
        self._usage(order)
        order["_modified"] = self.ctx.now().isoformat()
        self.store.put("order", ident, order)
        self._after_save(order)
        if body.get("set_paid") is True and self._needs_payment(order):
            self._payment_complete(order, str(body.get("transaction_id") or ""))
            self._after_save(order)
        self.store.put("order", ident, order)
        self.ctx.emit("order", "updated", ident)
        return self.render(order, "edit")

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        order = self.store.get("order", ident)
        if order is None:
            raise invalid_id("shop_order", 404)
        rendered = self.render(order, "edit")
        if force:
            self.store.delete("order", ident)
            for refund in list(self.store.records("refund")):
                if refund["parent_id"] == ident:
                    self.store.delete("refund", refund["id"])
            self.ctx.emit("order", "deleted", ident)
            return rendered
        if order["status"] == "trash":
            raise WooError(
                "woocommerce_rest_already_trashed", "The shop_order has already been deleted.", 410
            )
        trashed = {**order, "status": "trash", "_before_trash": order["status"]}
        self.store.put("order", ident, trashed)
        self.ctx.emit("order", "deleted", ident)
        return self.render(trashed, "edit")

    # --- rendering ---------------------------------------------------------------------------
    def _needs_payment(self, order: Record) -> bool:
        return bool(order["status"] in ("pending", "failed") and totals.dec(order.get("_total")) > 0)

    def _meta(self, meta: list[Record]) -> list[dict[str, Any]]:
        """Item meta as ``get_formatted_meta_data``: ``display_key``/``display_value`` added."""
        out = []
        for m in meta:
            entry = {"id": m["id"], "key": m["key"], "value": m["value"]}
            entry["display_key"] = m.get("_display_key", m["key"])
            entry["display_value"] = m.get("_display_value", m["value"])
            out.append(entry)
        return out

    def refunded_total(self, order_id: int) -> Decimal:
        return sum(
            (totals.dec(r["amount"]) for r in self.store.records("refund") if r["parent_id"] == order_id),
            Decimal(0),
        )

    def render(self, order: Record, context: str = "view", dp: int | None = None) -> dict[str, Any]:
        places = self.ctx.decimals if dp is None else dp

        def fmt(value: Any) -> str:
            return money(totals.dec(value), places)

        dates = {}
        for name, key in (
            ("date_created", "_created"),
            ("date_modified", "_modified"),
            ("date_paid", "_paid"),
            ("date_completed", "_completed"),
        ):
            moment = parse_iso(order[key]) if order.get(key) else None
            dates[name] = wp_date(moment)
            dates[f"{name}_gmt"] = wp_date_gmt(moment)
        out = {k: v for k, v in order.items() if not k.startswith("_")}
        out.update(dates)
        out.update(
            discount_total=fmt(order.get("_discount_total")),
            discount_tax=fmt(order.get("_discount_tax")),
            shipping_total=fmt(order.get("_shipping_total")),
            shipping_tax=fmt(order.get("_shipping_tax")),
            cart_tax=fmt(order.get("_cart_tax")),
            total=fmt(order.get("_total")),
            total_tax=fmt(order.get("_total_tax")),
        )
        out["currency_symbol"] = SYMBOLS.get(order["currency"], order["currency"])
        out["line_items"] = [
            {
                **{k: v for k, v in line.items() if not k.startswith("_")},
                "meta_data": self._meta(line["meta_data"]),
                "subtotal": fmt(line["_subtotal"]),
                "subtotal_tax": fmt(line.get("_subtotal_tax")),
                "total": fmt(line["_total"]),
                "total_tax": fmt(line.get("_total_tax")),
                "price": _price(totals.dec(line["_total"]), line["quantity"]),
            }
            for line in order["line_items"]
        ]
        out["shipping_lines"] = [
            {
                **{k: v for k, v in s_.items() if not k.startswith("_")},
                "meta_data": self._meta(s_["meta_data"]),
                "total": fmt(s_["_total"]),
                "total_tax": fmt(s_.get("_total_tax")),
            }
            for s_ in order["shipping_lines"]
        ]
        out["fee_lines"] = [
            {
                **{k: v for k, v in f.items() if not k.startswith("_")},
                "meta_data": self._meta(f["meta_data"]),
                "total": fmt(f["_total"]),
                "total_tax": fmt(f.get("_total_tax")),
            }
            for f in order["fee_lines"]
        ]
        out["tax_lines"] = [
            {**t, "tax_total": fmt(t["tax_total"]), "shipping_tax_total": fmt(t["shipping_tax_total"])}
            for t in order["tax_lines"]
        ]
        out["coupon_lines"] = [
            {
                **{k: v for k, v in c.items() if not k.startswith("_")},
                "meta_data": self._meta(c["meta_data"]),
                "discount": fmt(c["_discount"]),
                "discount_tax": fmt(c["_discount_tax"]),
            }
            for c in order["coupon_lines"]
        ]
        refunds = sorted(
            (r for r in self.store.records("refund") if r["parent_id"] == order["id"]), key=lambda r: -r["id"]
        )
        out["refunds"] = [
            {"id": r["id"], "reason": r["reason"] or "", "total": "-" + fmt(r["amount"])} for r in refunds
        ]
        out["is_editable"] = order["status"] in ("pending", "on-hold", "auto-draft")
        out["needs_payment"] = self._needs_payment(order)
        out["needs_processing"] = self._needs_processing(order)
        out["payment_url"] = (
            f"{self.ctx.site_url}/checkout/order-pay/{order['id']}/?pay_for_order=true&key={order['order_key']}"
        )
        links: dict[str, Any] = {
            "self": [{"href": self.ctx.rest_url(f"wc/v3/orders/{order['id']}")}],
            "collection": [{"href": self.ctx.rest_url("wc/v3/orders")}],
        }
        if order["customer_id"]:
            links["customer"] = [{"href": self.ctx.rest_url(f"wc/v3/customers/{order['customer_id']}")}]
        if order["parent_id"]:
            links["up"] = [{"href": self.ctx.rest_url(f"wc/v3/orders/{order['parent_id']}")}]
        out["_links"] = links
        return out

    def _matches(self, order: Record, term: str) -> bool:
        """``wc_order_search``: the billing and shipping address indexes, the item names, the id."""
        if term.isdigit() and int(term) == order["id"]:
            return True
        haystack = " ".join(
            [
                *(str(v) for v in order["billing"].values()),
                *(str(v) for v in order["shipping"].values()),
                *(str(line.get("name", "")) for line in order["line_items"]),
            ]
        ).lower()
        return term.lower() in haystack

    def list_items(self, call: Call) -> Reply:
        query = call.query
        page = page_params(query, orderby=["date", "id", "include", "title", "slug", "modified"])
        dates = date_params(query)
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        raw_status = call.param("status") or ["any"]
        statuses = raw_status if isinstance(raw_status, list) else [raw_status]
        customer = call.param("customer")
        product = call.param("product")
        search = str(call.param("search") or "")
        parents = set(call.param("parent") or [])
        items = []
        for order in self.store.records("order"):
            if "any" in statuses:
                if order["status"] in ("trash", "checkout-draft", "auto-draft"):
                    continue
            elif order["status"] not in statuses:
                continue
            if include and order["id"] not in include:
                continue
            if order["id"] in exclude:
                continue
            if customer is not None and call.has("customer") and order["customer_id"] != int(customer):
                continue
            if product and not any(
                int(product) in (li["product_id"], li["variation_id"]) for li in order["line_items"]
            ):
                continue
            if parents and order["parent_id"] not in parents:
                continue
            if search and not self._matches(order, search):
                continue
            if not _in_dates(order, dates):
                continue
            items.append(order)
        items = _sort(items, page.orderby, page.order, include)
        dp = _int(call.param("dp")) if call.has("dp") else None
        rendered = [self.render(o, "view", dp) for o in slice_page(items, page)]
        return collection(call, rendered, len(items), page)

    def get(self, ident: int) -> Record:
        order = self.store.get("order", ident)
        if order is None:
            raise invalid_id("shop_order", 404)
        return order

    # --- refunds -------------------------------------------------------------------------------
    def create_refund(self, call: Call) -> Reply:
        """``WC_REST_Order_Refunds_Controller::prepare_object_for_database`` → ``wc_create_refund``."""
        body = call.values()
        order_id = _int(call.param("order_id"))
        order = self.store.get("order", order_id)
        if order is None:
            raise WooError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        if body.get("id"):
            raise WooError(
                "woocommerce_rest_shop_order_refund_exists", "Cannot create existing shop_order_refund.", 400
            )
        lines: dict[int, dict[str, Any]] = {}
        for item in body.get("line_items") or []:
            if isinstance(item, dict) and item.get("id"):
                lines[_int(item["id"])] = item
        amount_raw = body.get("amount")
        if amount_raw is None:
            amount = sum(
                (
                    totals.dec(i.get("refund_total"))
                    + sum(
                        (
                            totals.dec(t.get("refund_total"))
                            for t in i.get("refund_tax") or []
                            if isinstance(t, dict)
                        ),
                        Decimal(0),
                    )
                    for i in lines.values()
                ),
                Decimal(0),
            )
        else:
            amount = totals.dec(wc_format_decimal(amount_raw))
        if amount < 0:
            raise WooError(
                "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400
            )
        remaining = totals.dec(order.get("_total")) - self.refunded_total(order_id)
        if amount > totals.r2(remaining) + Decimal("0.0000001"):
            raise WooError("woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500)
        api_refund = body.get("api_refund", True)
        if api_refund is not False:
            gateway = order.get("payment_method") or ""
            gateways = {g["id"] for g in self.store.setting("payment_gateways", [])}
            if gateway not in gateways:
                raise WooError(
                    "woocommerce_rest_cannot_create_order_refund",
                    "The payment gateway for this order does not exist.",
                    500,
                )
            if gateway not in REFUND_GATEWAYS:
                raise WooError(
                    "woocommerce_rest_cannot_create_order_refund",
                    "The payment gateway for this order does not support automatic refunds.",
                    500,
                )
        ident = self.store.next_id("post")
        refund_lines = []
        for line in order["line_items"]:
            posted = lines.get(line["id"])
            if posted is None:
                continue
            quantity = _int(posted.get("quantity"))
            total = totals.dec(posted.get("refund_total"))
            taxes = {
                (_int(t.get("id"))): totals.dec(t.get("refund_total"))
                for t in posted.get("refund_tax") or []
                if isinstance(t, dict)
            }
            refund_lines.append(
                {
                    "id": self.store.next_id("order_item"),
                    "name": line["name"],
                    "product_id": line["product_id"],
                    "variation_id": line["variation_id"],
                    "quantity": -quantity,
                    "tax_class": line["tax_class"],
                    "subtotal": money(-total),
                    "subtotal_tax": money(-sum(taxes.values(), Decimal(0))),
                    "total": money(-total),
                    "total_tax": money(-sum(taxes.values(), Decimal(0))),
                    "taxes": [{"id": k, "total": str(-v), "subtotal": str(-v)} for k, v in taxes.items()],
                    "meta_data": [
                        {
                            "id": self.store.next_id("meta"),
                            "key": "_refunded_item_id",
                            "value": str(line["id"]),
                            "display_key": "_refunded_item_id",
                            "display_value": str(line["id"]),
                        }
                    ],
                    "sku": line.get("sku"),
                    "price": _price(-total, quantity) if quantity else 0,
                }
            )
        moment = self.ctx.now().isoformat()
        refund: Record = {
            "id": ident,
            "parent_id": order_id,
            "amount": str(amount),
            "reason": str(body.get("reason") or ""),
            "refunded_by": call.principal.user_id,
            "refunded_payment": api_refund is not False,
            "meta_data": [],
            "line_items": refund_lines,
            "_created": moment,
        }
        update_meta(self.ctx, refund, body.get("meta_data"))
        self.store.put("refund", ident, refund)
        restock = body.get("api_restock", True) is not False
        if restock and lines:
            self._restock(order, lines)
        order = _deep(self.store.get("order", order_id) or order)
        if remaining - amount <= 0 and order["status"] != "refunded":
            # Fully refunded: the order's status becomes refunded (woocommerce_order_fully_refunded_status).
            self._set_status(order, "refunded")
        order["_modified"] = moment
        self.store.put("order", order_id, order)
        self._after_save(order)
        self.store.put("order", order_id, order)
        self.ctx.emit("order", "updated", order_id)
        location = self.ctx.rest_url(f"wc/v3/orders/{order_id}/refunds/{ident}")
        return Reply(self.render_refund(refund), 201, {"Location": location})

    def _restock(self, order: Record, lines: dict[int, dict[str, Any]]) -> None:
        """``wc_restock_refunded_items``: the refunded quantity of items whose stock was reduced."""
        order = _deep(order)
        for line in order["line_items"]:
            posted = lines.get(line["id"])
            quantity = _int((posted or {}).get("quantity"))
            if not posted or not quantity or not line.get("_reduced"):
                continue
            kind = "variation" if line["variation_id"] else "product"
            ident = line["variation_id"] or line["product_id"]
            product = self.store.get(kind, ident)
            if product is None or not product.get("manage_stock"):
                continue
            before = int(product.get("stock_quantity") or 0)
            after = before + quantity
            updated = {**product, "stock_quantity": after}
            derive_stock(updated)
            self.store.put(kind, ident, updated)
            line["_reduced"] = max(0, int(line["_reduced"]) - quantity)
            self.add_note(order["id"], f"Item #{ident} stock increased from {before} to {after}.")
        self.store.put("order", order["id"], order)

    def render_refund(
        self, refund: Record, *, with_parent: bool = False, dp: int | None = None
    ) -> dict[str, Any]:
        places = self.ctx.decimals if dp is None else dp
        created = parse_iso(refund["_created"])
        out: dict[str, Any] = {"id": refund["id"]}
        if with_parent:
            out["parent_id"] = refund["parent_id"]
        out.update(
            date_created=wp_date(created),
            date_created_gmt=wp_date_gmt(created),
            amount=money(totals.dec(refund["amount"]), places),
            reason=refund["reason"],
            refunded_by=refund["refunded_by"],
            refunded_payment=refund["refunded_payment"],
            meta_data=[{"id": m["id"], "key": m["key"], "value": m["value"]} for m in refund["meta_data"]],
            line_items=refund["line_items"],
            shipping_lines=[],
            tax_lines=[],
            fee_lines=[],
        )
        links: dict[str, Any] = {
            "self": [
                {"href": self.ctx.rest_url(f"wc/v3/orders/{refund['parent_id']}/refunds/{refund['id']}")}
            ],
            "collection": [{"href": self.ctx.rest_url(f"wc/v3/orders/{refund['parent_id']}/refunds")}],
            "up": [{"href": self.ctx.rest_url(f"wc/v3/orders/{refund['parent_id']}")}],
        }
        if with_parent:
            links["self"] = [{"href": self.ctx.rest_url(f"wc/v3/refunds/{refund['id']}")}]
            links["collection"] = [{"href": self.ctx.rest_url("wc/v3/refunds")}]
            if refund["refunded_by"]:
                links["refunded_by"] = [{"href": self.ctx.rest_url(f"wp/v2/users/{refund['refunded_by']}")}]
        out["_links"] = links
        return out

    def _refund(self, call: Call) -> Record:
        order_id = _int(call.param("order_id"))
        if self.store.get("order", order_id) is None:
            raise WooError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        refund = self.store.get("refund", _int(call.param("id")))
        if refund is None or refund["parent_id"] != order_id:
            raise WooError("woocommerce_rest_invalid_order_refund_id", "Invalid order refund ID.", 404)
        return refund

    def list_refunds(self, call: Call, *, all_orders: bool = False) -> Reply:
        page = page_params(call.query, orderby=["date", "id", "include", "title", "slug", "modified"])
        order_id = _int(call.param("order_id"))
        if not all_orders and self.store.get("order", order_id) is None:
            raise WooError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        items = [
            r
            for r in self.store.records("refund")
            if (all_orders or r["parent_id"] == order_id)
            and (not include or r["id"] in include)
            and r["id"] not in exclude
        ]
        items = _sort(items, page.orderby, page.order, include)
        dp = _int(call.param("dp")) if call.has("dp") else None
        rendered = [self.render_refund(r, with_parent=all_orders, dp=dp) for r in slice_page(items, page)]
        return collection(call, rendered, len(items), page)

    def delete_refund(self, call: Call) -> Reply:
        if not call.param("force"):
            raise WooError(
                "woocommerce_rest_trash_not_supported",
                "The shop_order_refund does not support trashing.",
                501,
            )
        refund = self._refund(call)
        rendered = self.render_refund(refund)
        self.store.delete("refund", refund["id"])
        self.ctx.emit("order", "updated", refund["parent_id"])
        return Reply(rendered)

    # --- notes (routes) ------------------------------------------------------------------------
    def render_note(self, note: Record) -> dict[str, Any]:
        created = parse_iso(note["_created"])
        base = f"wc/v3/orders/{note['order_id']}/notes"
        return {
            "id": note["id"],
            "author": note["author"],
            "date_created": wp_date(created),
            "date_created_gmt": wp_date_gmt(created),
            "note": note["note"],
            "customer_note": note["customer_note"],
            "_links": {
                "self": [{"href": self.ctx.rest_url(f"{base}/{note['id']}")}],
                "collection": [{"href": self.ctx.rest_url(base)}],
                "up": [{"href": self.ctx.rest_url(f"wc/v3/orders/{note['order_id']}")}],
            },
        }

    def list_notes(self, call: Call) -> Reply:
        order_id = _int(call.param("order_id"))
        if self.store.get("order", order_id) is None:
            raise WooError("woocommerce_rest_shop_order_invalid_id", "Invalid order ID.", 404)
        kind = call.param("type") or "any"
        notes = [
            n
            for n in self.store.records("order_note")
            if n["order_id"] == order_id
            and (kind == "any" or (kind == "customer") == bool(n["customer_note"]))
        ]
        notes.sort(key=lambda n: (n["_created"], n["id"]), reverse=True)
        return Reply([self.render_note(n) for n in notes])

    def create_note(self, call: Call) -> Reply:
        if call.param("id"):
            raise WooError("woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.", 400)
        order_id = _int(call.param("order_id"))
        if self.store.get("order", order_id) is None:
            raise WooError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
        by_user = call.principal.user_id if call.param("added_by_user") else 0
        note = self.add_note(
            order_id,
            str(call.param("note")),
            customer_note=bool(call.param("customer_note")),
            by_user=by_user,
        )
        location = self.ctx.rest_url(f"wc/v3/orders/{order_id}/notes/{note['id']}")
        return Reply(self.render_note(note), 201, {"Location": location})

    def _note(self, call: Call) -> Record:
        order_id = _int(call.param("order_id"))
        if self.store.get("order", order_id) is None:
            raise WooError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
        note = self.store.get("order_note", _int(call.param("id")))
        if note is None or note["order_id"] != order_id:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        return note

    def delete_note(self, call: Call) -> Reply:
        if not call.param("force"):
            raise WooError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        note = self._note(call)
        rendered = self.render_note(note)
        self.store.delete("order_note", note["id"])
        return Reply(rendered)

    # --- routes ----------------------------------------------------------------------------------
    def status_totals(self) -> list[dict[str, Any]]:
        """``GET /reports/orders/totals``: every order status with its name and order count."""
        counts: dict[str, int] = {}
        for order in self.store.records("order"):
            counts[order["status"]] = counts.get(order["status"], 0) + 1
        return [
            {"slug": slug, "name": name, "total": counts.get(slug, 0)}
            for slug, name in STATUS_NAMES.items()
            if slug not in ("auto-draft", "trash")
        ]

    def routes(self) -> list[Route]:
        def schema() -> dict[str, Any]:
            return order_schema(CURRENCIES, self.ctx.currency)

        def create_args() -> dict[str, Any]:
            return endpoint_args(order_schema(CURRENCIES, self.ctx.currency), "POST")

        def post(call: Call) -> Reply:
            rendered = self.create(call.values())
            return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/orders/{rendered['id']}")})

        def put(call: Call) -> Reply:
            return Reply(self.update(call.values()))

        def view(call: Call) -> Reply:
            dp = _int(call.param("dp")) if call.has("dp") else None
            return Reply(
                self.render(self.get(_int(call.param("id"))), str(call.param("context") or "view"), dp)
            )

        def exists(call: Call) -> bool:
            return self.store.get("order", _int(call.param("id"))) is not None

        refunds = "/wc/v3/orders/<order_id>/refunds"
        notes = "/wc/v3/orders/<order_id>/notes"
        refund_args = {**crud_collection(), "dp": s("integer", default=2)}
        note_list = {
            "context": CONTEXT,
            "type": s("string", default="any", enum=["any", "customer", "internal"]),
        }
        return [
            route(READ, "/wc/v3/orders", self.list_items, "list", order_collection()),
            route(READ, "/wc/v3/reports/orders/totals", lambda c: Reply(self.status_totals()), "list"),
            route(CREATE, "/wc/v3/orders", post, "create", create_args),
            batch_route(
                self.ctx,
                "/wc/v3/orders/batch",
                create=self.create,
                update=self.update,
                delete=self.delete,
                defaults=lambda: item_defaults(order_schema(CURRENCIES, self.ctx.currency)),
            ),
            route(
                READ, "/wc/v3/orders/<id>", view, "view", {"context": CONTEXT, "dp": s("integer", default=2)}
            ),
            route(EDIT, "/wc/v3/orders/<id>", put, "edit", lambda: endpoint_args(schema(), "PUT"), exists),
            route(
                DELETE,
                "/wc/v3/orders/<id>",
                lambda c: Reply(self.delete(_int(c.param("id")), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
                exists,
            ),
            route(READ, refunds, self.list_refunds, "list", refund_args),
            route(CREATE, refunds, self.create_refund, "create", endpoint_args(refund_schema(), "POST")),
            route(
                READ,
                refunds + "/<id>",
                lambda c: Reply(self.render_refund(self._refund(c))),
                "view",
                {"context": CONTEXT, "dp": s("integer", default=2)},
            ),
            route(DELETE, refunds + "/<id>", self.delete_refund, "delete", {"force": FORCE_TRUE}),
            route(
                READ, "/wc/v3/refunds", lambda c: self.list_refunds(c, all_orders=True), "list", refund_args
            ),
            route(READ, notes, self.list_notes, "list", note_list),
            route(CREATE, notes, self.create_note, "create", endpoint_args(note_schema(), "POST")),
            route(
                READ,
                notes + "/<id>",
                lambda c: Reply(self.render_note(self._note(c))),
                "view",
                {"context": CONTEXT},
            ),
            route(DELETE, notes + "/<id>", self.delete_note, "delete", {"force": FORCE}),
        ]


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _price(total: Decimal, quantity: int) -> float | int:
    """``$item->get_total() / $item->get_quantity()`` as PHP gives it (a whole float prints as an int)."""
    if not quantity:
        return 0
    value = float(total) / quantity
    return int(value) if value == int(value) else value


def _slug(text: str) -> str:
    from comptoir.sandbox.woocommerce.text import slugify

    return slugify(text)


def _deep(order: Record) -> Record:
    out = dict(order)
    for key, value in order.items():
        if isinstance(value, list):
            out[key] = [_deep(v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[key] = dict(value)
    return out


__all__ = ["Orders", "meta_value"]
