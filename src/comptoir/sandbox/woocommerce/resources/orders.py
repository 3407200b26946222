"""``/orders`` (WC_REST_Orders_Controller, wc/v3): creation with WooCommerce's totals, updates
(line items merged by id), statuses, payment, stock, listing filters and batch."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import (
    Call,
    Reply,
    collection,
    date_params,
    page_params,
    parse_bool,
    parse_enum,
    parse_ids,
    slice_page,
)
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, invalid_id, invalid_params
from comptoir.sandbox.woocommerce.resources import totals
from comptoir.sandbox.woocommerce.resources.batch import batch_route
from comptoir.sandbox.woocommerce.resources.catalog_rules import derive_stock, update_meta
from comptoir.sandbox.woocommerce.resources.coupons import Coupons
from comptoir.sandbox.woocommerce.resources.customers import BILLING, SHIPPING
from comptoir.sandbox.woocommerce.resources.products import Catalog, _in_dates, _sort
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.resources.settings import PRICES_INCLUDE_TAX, ROUND_AT_SUBTOTAL, Settings
from comptoir.sandbox.woocommerce.resources.taxes import Taxes
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import money, parse_iso, wp_date, wp_date_gmt

STATUSES = [
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "checkout-draft",
    "trash",
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
}
"""``wc_get_order_statuses()``: what ``GET /reports/orders/totals`` lists (trash is not a status)."""
PAYABLE = {"pending", "on-hold", "failed", "cancelled"}
REDUCES_STOCK = {"processing", "completed", "on-hold"}
RESTORES_STOCK = {"cancelled", "pending"}


class Orders:
    def __init__(
        self, ctx: Context, catalog: Catalog, taxes: Taxes, coupons: Coupons, settings: Settings
    ) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.catalog = catalog
        self.taxes = taxes
        self.coupons = coupons
        self.settings = settings

    # --- items -----------------------------------------------------------------------------
    def _product_for(self, posted: dict[str, Any], action: str) -> Record | None:
        """``get_product_id``: SKU first, then variation_id, then product_id."""
        if posted.get("sku"):
            found = self.store.lookup("sku", str(posted["sku"]))
            return self.store.get(*found) if found else None
        ident = int(posted.get("variation_id") or 0) or int(posted.get("product_id") or 0)
        if ident:
            return self.store.get("variation", ident) or self.store.get("product", ident)
        if action == "update":
            return None
        raise WooError("woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400)

    def _line(self, order: Record, posted: dict[str, Any], existing: Record | None) -> Record:
        action = "update" if existing is not None else "create"
        line: Record = existing or {
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
            "sku": "",
            "image": {"id": "", "src": ""},
            "parent_name": None,
        }
        product = self._product_for(posted, action)
        if "quantity" in posted:
            line["quantity"] = int(posted["quantity"])
        if product is not None and (product["id"] not in (line["product_id"], line["variation_id"])):
            is_variation = product.get("type") == "variation"
            parent = self.store.get("product", int(product["parent_id"])) if is_variation else None
            rendered = (
                self.catalog.render_variation(product)
                if is_variation
                else self.catalog.render_product(product)
            )
            line["product_id"] = int(product["parent_id"]) if is_variation else product["id"]
            line["variation_id"] = product["id"] if is_variation else 0
            line["name"] = rendered["name"]
            line["sku"] = product.get("sku", "")
            line["tax_class"] = rendered.get("tax_class", "")
            line["_tax_status"] = product.get("tax_status", "taxable")
            line["parent_name"] = parent["name"] if parent else None
            if action == "create":
                amount = Decimal(rendered["price"] or "0") * int(line["quantity"])
                if order.get("prices_include_tax") and line["_tax_status"] == "taxable":
                    base = self.taxes.find_rates(self.ctx.base_country, "", "", "", line["tax_class"])
                    amount = totals.net_of_tax(amount, base)
                line["_subtotal"] = line["_total"] = str(amount)
        for key in ("name", "tax_class"):
            if key in posted and posted[key] is not None:
                line[key] = str(posted[key])
        for key in ("subtotal", "total"):
            if key in posted and posted[key] not in (None, ""):
                line[f"_{key}"] = str(Decimal(str(posted[key])))
        update_meta(self.ctx, line, posted.get("meta_data"))
        return line

    def _merge_lines(self, order: Record, key: str, posted: Any, build: Any) -> None:
        if not isinstance(posted, list):
            return
        current: list[Record] = order[key]
        for item in posted:
            if not isinstance(item, dict):
                continue
            ident = int(item.get("id") or 0)
            existing = next((line for line in current if line["id"] == ident), None) if ident else None
            if existing is not None and key == "line_items" and int(item.get("quantity", 1) or 0) == 0:
                current.remove(existing)
                continue
            if (
                existing is not None
                and item.get("method_id") is None
                and key == "shipping_lines"
                and not item.get("total")
            ):
                current.remove(existing)
                continue
            built = build(item, existing)
            if existing is None:
                current.append(built)

    def _shipping(self, posted: dict[str, Any], existing: Record | None) -> Record:
        return self._charge(
            posted,
            existing,
            required=(
                "method_id",
                "woocommerce_rest_invalid_shipping_item",
                "Shipping method ID is required.",
            ),
            fields={"method_title": "", "method_id": "", "instance_id": ""},
        )

    def _fee(self, posted: dict[str, Any], existing: Record | None) -> Record:
        return self._charge(
            posted,
            existing,
            required=("name", "woocommerce_rest_invalid_fee_item", "Fee name is required."),
            fields={"name": "", "tax_class": "", "tax_status": "taxable"},
        )

    def _charge(
        self,
        posted: dict[str, Any],
        existing: Record | None,
        *,
        required: tuple[str, str, str],
        fields: dict[str, str],
    ) -> Record:
        """A shipping or fee line: its own text fields, a net total, taxes computed later."""
        key, code, message = required
        if existing is None and not posted.get(key):
            raise WooError(code, message, 400)
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
        if posted.get("total") not in (None, ""):
            line["_total"] = str(Decimal(str(posted["total"])))
        update_meta(self.ctx, line, posted.get("meta_data"))
        return line

    def _coupons(self, order: Record, posted: Any) -> None:
        if not isinstance(posted, list):
            return
        for item in posted:
            if not isinstance(item, dict):
                continue
            if item.get("id"):
                raise WooError("woocommerce_rest_coupon_item_id_readonly", "Coupon item ID is readonly.", 400)
            code = str(item.get("code") or "").strip().lower()
            if not code:
                raise WooError("woocommerce_rest_invalid_coupon", "Coupon code is required.", 400)
            coupon = self.coupons.by_code(code)
            if coupon is None or coupon["status"] == "trash":
                raise WooError("woocommerce_rest_invalid_coupon", f'Coupon "{code}" does not exist!', 400)
            if any(c["code"] == code for c in order["coupon_lines"]):
                raise WooError("woocommerce_rest_invalid_coupon", "Coupon code already applied!", 400)
            order["coupon_lines"].append(
                {
                    "id": self.store.next_id("order_item"),
                    "code": code,
                    "_discount": "0",
                    "_discount_tax": "0",
                    "meta_data": [],
                    "discount_type": coupon["discount_type"],
                    "nominal_amount": float(Decimal(coupon["amount"])),
                    "free_shipping": coupon["free_shipping"],
                }
            )

    # --- totals, stock, status ---------------------------------------------------------------
    def _location(self, order: Record) -> tuple[str, str, str, str]:
        for section in ("shipping", "billing"):
            address = order[section]
            if address.get("country"):
                return (
                    address["country"],
                    address.get("state", ""),
                    address.get("postcode", ""),
                    address.get("city", ""),
                )
        return self.ctx.base_country, "", "", ""

    def recalculate(self, order: Record) -> None:
        country, state, postcode, city = self._location(order)

        def find(tax_class: str, shipping: bool) -> list[Record]:
            rates = self.taxes.find_rates(country, state, postcode, city, tax_class)
            return [r for r in rates if r.get("shipping")] if shipping else rates

        coupons = [c for c in (self.coupons.by_code(line["code"]) for line in order["coupon_lines"]) if c]
        slugs = [c["slug"] for c in self.taxes.classes()[1:]]
        totals.compute(
            order, coupons, find, slugs, round_at_subtotal=self.settings.enabled(ROUND_AT_SUBTOTAL)
        )

    def _stock(self, order: Record, reduce: bool) -> None:
        sign = -1 if reduce else 1
        for line in order["line_items"]:
            ident = line["variation_id"] or line["product_id"]
            kind = "variation" if line["variation_id"] else "product"
            product = self.store.get(kind, ident)
            if product is None or not product.get("manage_stock"):
                continue
            product = dict(product)
            product["stock_quantity"] = int(product.get("stock_quantity") or 0) + sign * int(line["quantity"])
            derive_stock(product)
            self.store.put(kind, ident, product)
            if kind == "variation":
                self.catalog._sync_parent(int(product["parent_id"]))
        order["_stock_reduced"] = reduce

    def _set_status(self, order: Record, status: str) -> None:
        order["status"] = status
        if status in REDUCES_STOCK and not order.get("_stock_reduced"):
            self._stock(order, True)
        elif status in RESTORES_STOCK and order.get("_stock_reduced"):
            self._stock(order, False)
        if status == "completed" and not order.get("_completed"):
            order["_completed"] = self.ctx.now().isoformat()
        # WC_Order::maybe_set_date_paid (abstract-wc-order / class-wc-order.php, since 3.0): reaching
        # the payment-complete status (processing; completed too) sets date_paid once, even when no
        # gateway called payment_complete().
        if status in ("processing", "completed") and not order.get("_paid"):
            order["_paid"] = self.ctx.now().isoformat()

    def _payment_complete(self, order: Record, transaction_id: str) -> None:
        if order["status"] not in PAYABLE:
            return
        if transaction_id:
            order["transaction_id"] = transaction_id
        if not order.get("_paid"):
            order["_paid"] = self.ctx.now().isoformat()
        self._set_status(order, "processing")
        customer = self.store.get("user", int(order["customer_id"])) if order["customer_id"] else None
        if customer is not None and not customer.get("is_paying_customer"):
            self.store.put("user", customer["id"], {**customer, "is_paying_customer": True})

    # --- create / update ---------------------------------------------------------------------
    def validate(self, body: dict[str, Any]) -> None:
        if "status" in body and body["status"] not in STATUSES:
            parse_enum("status", body["status"], STATUSES)
        for name in ("line_items", "shipping_lines", "fee_lines", "coupon_lines", "meta_data"):
            if name in body and not isinstance(body[name], list):
                raise invalid_params({name: f"{name} is not of type array."})

    def _apply(self, order: Record, body: dict[str, Any], creating: bool) -> None:
        if "customer_id" in body:
            customer_id = int(body.get("customer_id") or 0)
            if customer_id and self.store.get("user", customer_id) is None:
                raise WooError("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400)
            order["customer_id"] = customer_id
        for section, fields in (("billing", BILLING), ("shipping", SHIPPING)):
            if isinstance(body.get(section), dict):
                for key in fields:
                    if body[section].get(key) is not None:
                        order[section][key] = str(body[section][key])
        for key in (
            "payment_method",
            "payment_method_title",
            "transaction_id",
            "customer_note",
            "currency",
            "customer_ip_address",
            "customer_user_agent",
        ):
            if body.get(key) is not None:
                order[key] = str(body[key])
        if "parent_id" in body:
            order["parent_id"] = int(body["parent_id"] or 0)
        self._merge_lines(
            order, "line_items", body.get("line_items"), lambda item, found: self._line(order, item, found)
        )
        self._merge_lines(order, "shipping_lines", body.get("shipping_lines"), self._shipping)
        self._merge_lines(order, "fee_lines", body.get("fee_lines"), self._fee)
        self._coupons(order, body.get("coupon_lines"))
        update_meta(self.ctx, order, body.get("meta_data"))
        recalc = creating or any(
            k in body
            for k in ("billing", "shipping", "line_items", "shipping_lines", "fee_lines", "coupon_lines")
        )
        if recalc:
            self.recalculate(order)

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError("woocommerce_rest_shop_order_exists", "Cannot create existing order.", 400)
        moment = self.ctx.now().isoformat()
        ident = self.store.next_id("post")
        order: Record = {
            "id": ident,
            "parent_id": 0,
            "number": str(ident),
            "order_key": "wc_order_" + secrets.token_hex(7)[:13],
            "created_via": "rest-api",
            "version": "9.9.0",
            "status": "pending",
            "currency": self.ctx.currency,
            "prices_include_tax": self.settings.enabled(PRICES_INCLUDE_TAX),
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
            "refunds": [],
            "_created": moment,
            "_modified": moment,
        }
        self._apply(order, body, creating=True)
        self._set_status(order, "pending")
        if body.get("status") and body["status"] in STATUSES:
            self._set_status(order, body["status"])
        if body.get("set_paid") is True:
            self._payment_complete(order, str(body.get("transaction_id") or ""))
        self._usage(order)
        self.store.put("order", ident, order)
        self.ctx.emit("order", "created", ident)
        return self.render(order)

    def _usage(self, order: Record) -> None:
        for line in order["coupon_lines"]:
            coupon = self.coupons.by_code(line["code"])
            if coupon is not None and not line.get("_counted"):
                self.store.put("coupon", coupon["id"], {**coupon, "usage_count": coupon["usage_count"] + 1})
                line["_counted"] = True

    def update(self, body: Any) -> dict[str, Any]:
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        current = self.store.get("order", ident)
        if current is None:
            raise invalid_id("shop_order", 400)
        order = _deep(current)
        self._apply(order, body, creating=False)
        if body.get("status") in STATUSES and body["status"] != order["status"]:
            self._set_status(order, body["status"])
        if body.get("set_paid") is True:
            self._payment_complete(order, str(body.get("transaction_id") or ""))
        self._usage(order)
        order["_modified"] = self.ctx.now().isoformat()
        self.store.put("order", ident, order)
        self.ctx.emit("order", "updated", ident)
        return self.render(order)

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        order = self.store.get("order", ident)
        if order is None:
            raise invalid_id("shop_order", 404)
        rendered = self.render(order)
        if force:
            self.store.delete("order", ident)
        else:
            if order["status"] == "trash":
                raise WooError("woocommerce_rest_already_trashed", "The order has already been deleted.", 410)
            self.store.put("order", ident, {**order, "status": "trash"})
        self.ctx.emit("order", "deleted", ident)
        return rendered

    # --- rendering and listing -----------------------------------------------------------------
    def render(self, order: Record) -> dict[str, Any]:
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
        d = totals.dec
        out = {k: v for k, v in order.items() if not k.startswith("_")}
        out.update(dates)
        out.update(
            discount_total=money(d(order.get("_discount_total"))),
            discount_tax=money(d(order.get("_discount_tax"))),
            shipping_total=money(d(order.get("_shipping_total"))),
            shipping_tax=money(d(order.get("_shipping_tax"))),
            cart_tax=money(d(order.get("_cart_tax"))),
            total=money(d(order.get("_total"))),
            total_tax=money(d(order.get("_total_tax"))),
        )
        out["line_items"] = [
            {
                **{k: v for k, v in line.items() if not k.startswith("_")},
                "subtotal": money(d(line["_subtotal"])),
                "subtotal_tax": money(d(line.get("_subtotal_tax"))),
                "total": money(d(line["_total"])),
                "total_tax": money(d(line.get("_total_tax"))),
                "price": float(d(line["_total"]) / line["quantity"]) if line["quantity"] else 0.0,
            }
            for line in order["line_items"]
        ]
        out["shipping_lines"] = [
            {
                **{k: v for k, v in s.items() if not k.startswith("_")},
                "total": money(d(s["_total"])),
                "total_tax": money(d(s.get("_total_tax"))),
            }
            for s in order["shipping_lines"]
        ]
        out["fee_lines"] = [
            {
                **{k: v for k, v in f.items() if not k.startswith("_")},
                "total": money(d(f["_total"])),
                "total_tax": money(d(f.get("_total_tax"))),
            }
            for f in order["fee_lines"]
        ]
        out["tax_lines"] = [
            {
                **t,
                "tax_total": money(d(t["tax_total"])),
                "shipping_tax_total": money(d(t["shipping_tax_total"])),
            }
            for t in order["tax_lines"]
        ]
        out["coupon_lines"] = [
            {
                **{k: v for k, v in c.items() if not k.startswith("_")},
                "discount": money(d(c["_discount"])),
                "discount_tax": money(d(c["_discount_tax"])),
            }
            for c in order["coupon_lines"]
        ]
        out["is_editable"] = order["status"] in ("pending", "on-hold", "auto-draft")
        out["needs_payment"] = order["status"] in ("pending", "failed") and d(order.get("_total")) > 0
        out["needs_processing"] = True
        out["payment_url"] = (
            f"https://shop.example/checkout/order-pay/{order['id']}/?pay_for_order=true&key={order['order_key']}"
        )
        out["_links"] = {
            "self": [{"href": f"/wp-json/wc/v3/orders/{order['id']}"}],
            "collection": [{"href": "/wp-json/wc/v3/orders"}],
        }
        return out

    def list_items(self, call: Call) -> Reply:
        query = call.query
        page = page_params(query, orderby=["date", "id", "include", "title", "slug", "modified"])
        dates = date_params(query)
        include = parse_ids(query, "include")
        exclude = set(parse_ids(query, "exclude"))
        statuses = query.list("status") or ["any"]
        for status in statuses:
            parse_enum("status", status, ["any", *STATUSES])
        customer = query.get("customer")
        product = query.get("product")
        search = (query.get("search") or "").lower()
        items = []
        for order in self.store.records("order"):
            if "any" in statuses:
                if order["status"] in ("trash", "checkout-draft"):
                    continue
            elif order["status"] not in statuses:
                continue
            if include and order["id"] not in include:
                continue
            if order["id"] in exclude:
                continue
            if customer not in (None, "") and order["customer_id"] != int(customer):
                continue
            if product and not any(
                int(product) in (li["product_id"], li["variation_id"]) for li in order["line_items"]
            ):
                continue
            if search and search not in f"{order['billing']} {order['id']}".lower():
                continue
            if not _in_dates(order, dates):
                continue
            items.append(order)
        items = _sort(items, page.orderby, page.order, include)
        return collection(call, [self.render(o) for o in slice_page(items, page)], len(items), page)

    def get(self, ident: int) -> Record:
        order = self.store.get("order", ident)
        if order is None:
            raise invalid_id("shop_order", 404)
        return order

    def status_totals(self) -> list[dict[str, Any]]:
        """``GET /reports/orders/totals``: every order status with its name and order count."""
        counts: dict[str, int] = {}
        for order in self.store.records("order"):
            counts[order["status"]] = counts.get(order["status"], 0) + 1
        return [
            {"slug": slug, "name": name, "total": counts.get(slug, 0)} for slug, name in STATUS_NAMES.items()
        ]

    def routes(self) -> list[Route]:
        def force(call: Call) -> bool:
            return parse_bool("force", call.query.get("force") or "false")

        def post(call: Call) -> Reply:
            self.validate(call.body)
            rendered = self.create(call.body)
            return Reply(rendered, 201, {"Location": f"/wp-json/wc/v3/orders/{rendered['id']}"})

        def put(call: Call) -> Reply:
            self.validate(call.body)
            return Reply(self.update({**call.body, "id": int(call.route["id"])}))

        return [
            route(READ, "/wc/v3/orders", self.list_items, "list"),
            route(READ, "/wc/v3/reports/orders/totals", lambda c: Reply(self.status_totals()), "list"),
            route(CREATE, "/wc/v3/orders", post, "create"),
            batch_route(
                self.ctx,
                "/wc/v3/orders/batch",
                create=self.create,
                update=self.update,
                delete=self.delete,
            ),
            route(
                READ, "/wc/v3/orders/<id>", lambda c: Reply(self.render(self.get(int(c.route["id"])))), "view"
            ),
            route(EDIT, "/wc/v3/orders/<id>", put, "edit"),
            route(
                DELETE,
                "/wc/v3/orders/<id>",
                lambda c: Reply(self.delete(int(c.route["id"]), force(c))),
                "delete",
            ),
        ]


def _deep(order: Record) -> Record:
    out = dict(order)
    for key, value in order.items():
        if isinstance(value, list):
            out[key] = [_deep(v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[key] = dict(value)
    return out
