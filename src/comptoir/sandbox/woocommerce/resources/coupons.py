"""``/coupons`` (WC_REST_Coupons_Controller, wc/v3)."""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, date_params, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, invalid_id
from comptoir.sandbox.woocommerce.resources.batch import batch_route
from comptoir.sandbox.woocommerce.resources.catalog_rules import update_meta
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args, is_email, item_defaults
from comptoir.sandbox.woocommerce.schemas import CONTEXT, FORCE, coupon_collection, coupon_schema, s
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import (
    parse_iso,
    parse_rfc3339,
    wc_clean,
    wc_format_decimal,
    wp_date,
    wp_date_gmt,
)

TYPES = ["percent", "fixed_cart", "fixed_product"]


class Coupons:
    """``WC_REST_Coupons_Controller``: a CRUD controller over ``shop_coupon`` posts."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def render(self, coupon: Record, context: str = "view") -> dict[str, Any]:
        created = parse_iso(coupon["_created"])
        modified = parse_iso(coupon["_modified"])
        expires = parse_iso(coupon["_expires"]) if coupon.get("_expires") else None
        out = {k: v for k, v in coupon.items() if not k.startswith("_")}
        out.update(
            date_created=wp_date(created),
            date_created_gmt=wp_date_gmt(created),
            date_modified=wp_date(modified),
            date_modified_gmt=wp_date_gmt(modified),
            date_expires=wp_date(expires),
            date_expires_gmt=wp_date_gmt(expires),
            amount=wc_format_decimal(coupon["amount"], 2),
            minimum_amount=wc_format_decimal(coupon["minimum_amount"], 2),
            maximum_amount=wc_format_decimal(coupon["maximum_amount"], 2),
            maximum_discount=wc_format_decimal(coupon.get("maximum_discount", ""), 2),
            usage_limit=coupon["usage_limit"] or None,
            usage_limit_per_user=coupon["usage_limit_per_user"] or None,
            limit_usage_to_x_items=coupon["limit_usage_to_x_items"] or None,
            _links={
                "self": [{"href": self.ctx.rest_url(f"wc/v3/coupons/{coupon['id']}")}],
                "collection": [{"href": self.ctx.rest_url("wc/v3/coupons")}],
            },
        )
        return out

    def by_code(self, code: str) -> Record | None:
        found = self.store.lookup("code", code)
        return self.store.get("coupon", found[1]) if found else None

    def _code_taken(self, code: str, own: int) -> bool:
        return any(
            c["code"] == code and c["id"] != own and c["status"] != "trash"
            for c in self.store.records("coupon")
        )

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError("woocommerce_rest_shop_coupon_exists", "Cannot create existing shop_coupon.", 400)
        code = wc_clean(body.get("code") or "").lower()
        if not code:
            raise WooError("woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.", 400)
        if self._code_taken(code, 0):
            raise WooError(
                "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400
            )
        moment = self.ctx.now().isoformat()
        ident = self.store.next_id("post")
        coupon: Record = {
            "id": ident,
            "code": code,
            "amount": "0",
            "status": "publish",
            "discount_type": "fixed_cart",
            "description": "",
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
            "minimum_amount": "",
            "maximum_amount": "",
            "maximum_discount": "",
            "email_restrictions": [],
            "used_by": [],
            "meta_data": [],
            "_created": moment,
            "_modified": moment,
            "_expires": None,
        }
        self._apply(coupon, body)
        self.store.put("coupon", ident, coupon)
        self.ctx.emit("coupon", "created", ident)
        return self.render(coupon, "edit")

    def _apply(self, coupon: Record, body: dict[str, Any]) -> None:
        """``prepare_object_for_database``: each writable field through its ``set_*``."""
        if body.get("code") is not None:
            code = wc_clean(body["code"]).lower()
            if self._code_taken(code, coupon["id"]):
                raise WooError(
                    "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists", 400
                )
            coupon["code"] = code
        if body.get("discount_type") is not None:
            if body["discount_type"] not in TYPES:
                raise WooError("coupon_invalid_discount_type", "Invalid discount type.", 400)
            coupon["discount_type"] = body["discount_type"]
        for key in ("amount", "minimum_amount", "maximum_amount", "maximum_discount"):
            if body.get(key) is not None:
                coupon[key] = wc_format_decimal(body[key])
        if body.get("status") is not None:
            coupon["status"] = str(body["status"])
        if body.get("description") is not None:
            coupon["description"] = str(body["description"])
        for key in ("individual_use", "free_shipping", "exclude_sale_items"):
            if body.get(key) is not None:
                coupon[key] = bool(body[key])
        for key in (
            "product_ids",
            "excluded_product_ids",
            "product_categories",
            "excluded_product_categories",
        ):
            if isinstance(body.get(key), list):
                coupon[key] = [abs(int(v)) for v in body[key] if str(v).lstrip("-").isdigit()]
        for key in ("usage_limit", "usage_limit_per_user", "limit_usage_to_x_items"):
            if body.get(key) is not None:
                value = abs(int(body[key])) if str(body[key]).lstrip("-").isdigit() else 0
                coupon[key] = value or None
        if isinstance(body.get("email_restrictions"), list):
            emails = [str(v).strip().lower() for v in body["email_restrictions"] if str(v).strip()]
            for email in emails:
                if "*" not in email and not is_email(email):
                    raise WooError("coupon_invalid_email_address", "Invalid email address restriction.", 400)
            coupon["email_restrictions"] = emails
        for key, gmt in (("date_expires", False), ("date_expires_gmt", True)):
            if key in body:
                raw = body[key]
                moment = parse_rfc3339(str(raw), gmt=gmt) if raw else None
                coupon["_expires"] = moment.isoformat() if moment else None
        update_meta(self.ctx, coupon, body.get("meta_data"))

    def update(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        ident = int(body.get("id") or 0)
        coupon = self.store.get("coupon", ident)
        if coupon is None:
            raise invalid_id("shop_coupon", 400)
        coupon = {**coupon, "meta_data": [dict(m) for m in coupon["meta_data"]]}
        self._apply(coupon, body)
        coupon["_modified"] = self.ctx.now().isoformat()
        self.store.put("coupon", ident, coupon)
        self.ctx.emit("coupon", "updated", ident)
        return self.render(coupon, "edit")

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        coupon = self.store.get("coupon", ident)
        if coupon is None:
            raise invalid_id("shop_coupon", 404)
        rendered = self.render(coupon, "edit")
        if force:
            self.store.delete("coupon", ident)
            self.ctx.emit("coupon", "deleted", ident)
            return rendered
        if coupon["status"] == "trash":
            raise WooError(
                "woocommerce_rest_already_trashed", "The shop_coupon has already been deleted.", 410
            )
        trashed = {**coupon, "status": "trash"}
        self.store.put("coupon", ident, trashed)
        self.ctx.emit("coupon", "deleted", ident)
        return self.render(trashed, "edit")

    def list_items(self, call: Call) -> Reply:
        """``get_items``: any status (trash included) unless ``status`` is given; ``code`` exact."""
        page = page_params(call.query, orderby=["date", "id", "include", "title", "slug", "modified"])
        dates = date_params(call.query)
        code = wc_clean(call.param("code") or "").lower()
        status = call.param("status")
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        search = str(call.param("search") or "").lower()
        items = [
            c
            for c in self.store.records("coupon")
            if (not status or c["status"] == status)
            and (not code or c["code"] == code)
            and (not include or c["id"] in include)
            and c["id"] not in exclude
            and (not search or search in c["code"] or search in c["description"].lower())
            and _in_dates(c, dates)
        ]
        items = _sort(items, page.orderby, page.order, include)
        return collection(call, [self.render(c) for c in slice_page(items, page)], len(items), page)

    def routes(self) -> list[Route]:
        schema = coupon_schema()

        def get(call: Call) -> Reply:
            coupon = self.store.get("coupon", int(call.param("id") or 0))
            if coupon is None:
                raise invalid_id("shop_coupon", 404)
            return Reply(self.render(coupon, str(call.param("context") or "view")))

        def post(call: Call) -> Reply:
            rendered = self.create(call.values())
            return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/coupons/{rendered['id']}")})

        def exists(call: Call) -> bool:
            return self.store.get("coupon", int(call.param("id") or 0)) is not None

        create_args = {**endpoint_args(schema, "POST"), "code": s("string", required=True)}
        return [
            route(
                READ,
                "/wc/v3/coupons",
                self.list_items,
                "list",
                {**coupon_collection(), "status": s("string")},
            ),
            route(CREATE, "/wc/v3/coupons", post, "create", create_args),
            batch_route(
                self.ctx,
                "/wc/v3/coupons/batch",
                create=self.create,
                update=self.update,
                delete=self.delete,
                defaults=item_defaults(schema),
            ),
            route(READ, "/wc/v3/coupons/<id>", get, "view", {"context": CONTEXT}),
            route(
                EDIT,
                "/wc/v3/coupons/<id>",
                lambda c: Reply(self.update(c.values())),
                "edit",
                endpoint_args(schema, "PUT"),
                exists,
            ),
            route(
                DELETE,
                "/wc/v3/coupons/<id>",
                lambda c: Reply(self.delete(int(c.param("id") or 0), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
                exists,
            ),
        ]


def _in_dates(record: Record, dates: dict[str, Any]) -> bool:
    from comptoir.sandbox.woocommerce.resources.products import _in_dates as check

    return check(record, dates)


def _sort(items: list[Record], orderby: str, order: str, include: list[int]) -> list[Record]:
    def key(c: Record) -> Any:
        if orderby == "include":
            return (include.index(c["id"]) if c["id"] in include else len(include), c["id"])
        if orderby == "id":
            return (c["id"],)
        if orderby in ("title", "slug"):
            return (c["code"], c["id"])
        if orderby == "modified":
            return (c["_modified"], c["id"])
        return (c["_created"], c["id"])

    return sorted(items, key=key, reverse=order == "desc" and orderby != "include")
