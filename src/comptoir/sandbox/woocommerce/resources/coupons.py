"""``/coupons`` (WC_REST_Coupons_Controller, wc/v3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, invalid_id, missing_params
from comptoir.sandbox.woocommerce.resources.batch import resource_routes
from comptoir.sandbox.woocommerce.resources.catalog_rules import update_meta
from comptoir.sandbox.woocommerce.resources.routing import Route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, money, parse_iso, wp_date, wp_date_gmt

TYPES = ["percent", "fixed_cart", "fixed_product"]


class Coupons:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def render(self, coupon: Record) -> dict[str, Any]:
        created = parse_iso(coupon["_created"])
        modified = parse_iso(coupon["_modified"])
        out = {k: v for k, v in coupon.items() if not k.startswith("_")}
        out.update(
            date_created=wp_date(created),
            date_created_gmt=wp_date_gmt(created),
            date_modified=wp_date(modified),
            date_modified_gmt=wp_date_gmt(modified),
        )
        return out

    def by_code(self, code: str) -> Record | None:
        found = self.store.lookup("code", code)
        return self.store.get("coupon", found[1]) if found else None

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not body.get("code"):
            raise missing_params(["code"])
        code = str(body["code"]).strip().lower()
        if self.by_code(code) is not None:
            raise WooError(
                "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400
            )
        moment = self.ctx.now().isoformat()
        ident = self.store.next_id("post")
        coupon: Record = {
            "id": ident,
            "code": code,
            "amount": "0.00",
            "discount_type": "fixed_cart",
            "description": "",
            "date_expires": None,
            "date_expires_gmt": None,
            "usage_count": 0,
            "individual_use": False,
            "product_ids": [],
            "excluded_product_ids": [],
            "usage_limit": None,
            "usage_limit_per_user": None,
            "limit_usage_to_x_items": None,
            "free_shipping": False,
            "product_categories": [],
            "excluded_product_categories": [],
            "exclude_sale_items": False,
            "minimum_amount": "0.00",
            "maximum_amount": "0.00",
            "email_restrictions": [],
            "used_by": [],
            "meta_data": [],
            "status": "publish",
            "_created": moment,
            "_modified": moment,
        }
        self._apply(coupon, body)
        self.store.put("coupon", ident, coupon)
        self.ctx.emit("coupon", "created", ident)
        return self.render(coupon)

    def _apply(self, coupon: Record, body: dict[str, Any]) -> None:
        if "discount_type" in body:
            if body["discount_type"] not in TYPES:
                raise WooError("coupon_invalid_discount_type", "Invalid discount type.", 400)
            coupon["discount_type"] = body["discount_type"]
        for key in ("amount", "minimum_amount", "maximum_amount"):
            if key in body:
                coupon[key] = money(decimal_or_none(body[key]) or Decimal(0))
        for key in ("description",):
            if key in body:
                coupon[key] = str(body[key] or "")
        for key in ("individual_use", "free_shipping", "exclude_sale_items"):
            if key in body:
                coupon[key] = bool(body[key])
        for key in (
            "product_ids",
            "excluded_product_ids",
            "product_categories",
            "excluded_product_categories",
        ):
            if isinstance(body.get(key), list):
                coupon[key] = [int(v) for v in body[key]]
        for key in ("usage_limit", "usage_limit_per_user", "limit_usage_to_x_items"):
            if key in body:
                coupon[key] = None if body[key] in (None, "") else int(body[key])
        if isinstance(body.get("email_restrictions"), list):
            coupon["email_restrictions"] = [str(v) for v in body["email_restrictions"]]
        update_meta(self.ctx, coupon, body.get("meta_data"))

    def update(self, body: Any) -> dict[str, Any]:
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        coupon = self.store.get("coupon", ident)
        if coupon is None:
            raise invalid_id("shop_coupon", 400)
        coupon = dict(coupon)
        self._apply(coupon, body)
        coupon["_modified"] = self.ctx.now().isoformat()
        self.store.put("coupon", ident, coupon)
        return self.render(coupon)

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        coupon = self.store.get("coupon", ident)
        if coupon is None:
            raise invalid_id("shop_coupon", 404)
        rendered = self.render(coupon)
        if force:
            self.store.delete("coupon", ident)
        else:
            if coupon["status"] == "trash":
                raise WooError(
                    "woocommerce_rest_already_trashed", "The coupon has already been deleted.", 410
                )
            self.store.put("coupon", ident, {**coupon, "status": "trash"})
        return rendered

    def list_items(self, call: Call) -> Reply:
        page = page_params(call.query, orderby=["date", "id", "include", "title", "slug", "modified"])
        code = (call.query.get("code") or "").lower()
        items = [
            c
            for c in self.store.records("coupon")
            if c["status"] != "trash" and (not code or c["code"] == code)
        ]
        items.sort(key=lambda c: (c["_created"], c["id"]), reverse=page.order == "desc")
        return collection(call, [self.render(c) for c in slice_page(items, page)], len(items), page)

    def routes(self) -> list[Route]:
        def get(call: Call) -> Reply:
            coupon = self.store.get("coupon", int(call.route["id"]))
            if coupon is None:
                raise invalid_id("shop_coupon", 404)
            return Reply(self.render(coupon))

        return resource_routes(
            self.ctx,
            "/wc/v3/coupons",
            list_items=self.list_items,
            view=get,
            create=self.create,
            update=self.update,
            delete=self.delete,
        )
