"""``/products`` and ``/products/<id>/variations`` (WC_REST_Products_Controller and
WC_REST_Product_Variations_Controller, wc/v3)."""

from __future__ import annotations

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
from comptoir.sandbox.woocommerce.resources import catalog_rules as rules
from comptoir.sandbox.woocommerce.resources.batch import run_batch
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import (
    parse_iso,
    parse_rfc3339,
    slugify,
    wp_date,
    wp_date_gmt,
)

TYPES = ["simple", "grouped", "external", "variable"]
STATUSES = ["draft", "pending", "private", "publish", "future", "trash"]
VISIBILITIES = ["visible", "catalog", "search", "hidden"]
TAX_STATUSES = ["taxable", "shipping", "none"]
BACKORDERS = ["no", "notify", "yes"]
STOCK_STATUSES = ["instock", "outofstock", "onbackorder"]
PRODUCT_ORDERBY = [
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
]
STRING_FIELDS = [
    "name",
    "slug",
    "description",
    "short_description",
    "sku",
    "regular_price",
    "sale_price",
    "tax_class",
    "weight",
    "purchase_note",
    "external_url",
    "button_text",
    "global_unique_id",
]

_DEFAULTS: dict[str, Any] = {
    "name": "",
    "slug": "",
    "type": "simple",
    "status": "publish",
    "featured": False,
    "catalog_visibility": "visible",
    "description": "",
    "short_description": "",
    "sku": "",
    "global_unique_id": "",
    "regular_price": "",
    "sale_price": "",
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "external_url": "",
    "button_text": "",
    "tax_status": "taxable",
    "tax_class": "",
    "manage_stock": False,
    "stock_quantity": None,
    "stock_status": "instock",
    "backorders": "no",
    "low_stock_amount": None,
    "sold_individually": False,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "shipping_class_id": 0,
    "reviews_allowed": True,
    "upsell_ids": [],
    "cross_sell_ids": [],
    "parent_id": 0,
    "purchase_note": "",
    "categories": [],
    "tags": [],
    "images": [],
    "attributes": [],
    "default_attributes": [],
    "variations": [],
    "grouped_products": [],
    "menu_order": 0,
    "meta_data": [],
    "total_sales": 0,
}
_VARIATION_DEFAULTS: dict[str, Any] = {
    "description": "",
    "sku": "",
    "global_unique_id": "",
    "regular_price": "",
    "sale_price": "",
    "status": "publish",
    "virtual": False,
    "downloadable": False,
    "downloads": [],
    "download_limit": -1,
    "download_expiry": -1,
    "tax_status": "taxable",
    "tax_class": "parent",
    "manage_stock": False,
    "stock_quantity": None,
    "stock_status": "instock",
    "backorders": "no",
    "low_stock_amount": None,
    "weight": "",
    "dimensions": {"length": "", "width": "", "height": ""},
    "shipping_class": "",
    "shipping_class_id": 0,
    "image": None,
    "attributes": [],
    "menu_order": 0,
    "meta_data": [],
    "parent_id": 0,
}


class Catalog:
    """Products and variations over the store."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # --- schema validation of single endpoints (batch items skip it, as in WordPress) ------
    def validate(self, body: dict[str, Any], *, variation: bool = False) -> None:
        problems: dict[str, str] = {}
        codes: dict[str, str] = {}
        enums = {
            "status": STATUSES,
            "tax_status": TAX_STATUSES,
            "backorders": BACKORDERS,
            "stock_status": STOCK_STATUSES,
        }
        if not variation:
            enums |= {"type": TYPES, "catalog_visibility": VISIBILITIES}
        for name, allowed in enums.items():
            if name in body and body[name] not in allowed:
                problems[name] = f"{name} is not one of {', '.join(allowed[:-1])}, and {allowed[-1]}."
                codes[name] = "rest_not_in_enum"
        for name in STRING_FIELDS:
            if name in body and body[name] is not None and not isinstance(body[name], str):
                problems[name] = f"{name} is not of type string."
        if "stock_quantity" in body and body["stock_quantity"] is not None:
            value = body["stock_quantity"]
            if isinstance(value, bool) or not isinstance(value, int):
                problems["stock_quantity"] = "stock_quantity is not of type integer."
        if problems:
            raise invalid_params(problems, codes)

    # --- helpers ---------------------------------------------------------------------------
    def tax_class_slug(self, value: Any) -> str:
        slug = str(value or "")
        if slug in ("", "standard"):
            return ""
        classes = self.store.setting("tax_classes", [])
        return slug if any(c["slug"] == slug for c in classes) else ""

    def touch(self, record: Record) -> None:
        moment = self.ctx.now().isoformat()
        record.setdefault("_created", moment)
        record["_modified"] = moment

    def unique_slug(self, name: str, own: int | None) -> str:
        base = slugify(name) or "product"
        slug, n = base, 2
        while (holder := self.store.lookup("slug", slug)) is not None and holder[1] != own:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _sale_dates(self, record: Record, body: dict[str, Any]) -> None:
        for field, key in (("from", "_sale_from"), ("to", "_sale_to")):
            for suffix, gmt in (("", False), ("_gmt", True)):
                name = f"date_on_sale_{field}{suffix}"
                if name in body:
                    raw = body[name]
                    moment = parse_rfc3339(str(raw), gmt=gmt) if raw else None
                    record[key] = moment.isoformat() if moment else None

    def _common_fields(self, record: Record, body: dict[str, Any]) -> None:
        """Fields shared by products and variations (prices, stock, shipping, tax, meta)."""
        for name in ("description", "purchase_note", "global_unique_id"):
            if name in body and body[name] is not None:
                record[name] = str(body[name])
        for name in ("virtual", "downloadable"):
            if name in body and body[name] is not None:
                record[name] = bool(body[name])
        if "sku" in body and body["sku"] is not None:
            sku = str(body["sku"]).strip()
            kind = "variation" if record.get("type") == "variation" else "product"
            rules.check_sku(self.ctx, sku, (kind, record["id"]) if record.get("id") else None)
            record["sku"] = sku
        for name in ("regular_price", "sale_price"):
            if name in body and body[name] is not None:
                record[name] = rules.price_string(body[name])
        self._sale_dates(record, body)
        if "tax_status" in body and body["tax_status"] in TAX_STATUSES:
            record["tax_status"] = body["tax_status"]
        if "tax_class" in body and body["tax_class"] is not None:
            if record.get("type") == "variation" and body["tax_class"] == "parent":
                record["tax_class"] = "parent"
            else:
                record["tax_class"] = self.tax_class_slug(body["tax_class"])
        if "weight" in body and body["weight"] is not None:
            record["weight"] = rules.decimal_field(body["weight"])
        if isinstance(body.get("dimensions"), dict):
            dims = dict(record.get("dimensions") or {})
            for side in ("length", "width", "height"):
                if side in body["dimensions"]:
                    dims[side] = rules.decimal_field(body["dimensions"][side])
            record["dimensions"] = dims
        if "shipping_class" in body:
            record["shipping_class"] = str(body["shipping_class"] or "")
        if "manage_stock" in body and body["manage_stock"] is not None:
            record["manage_stock"] = body["manage_stock"] not in (False, "false", "0", 0, "parent")
        if "stock_status" in body and body["stock_status"] in STOCK_STATUSES:
            record["stock_status"] = body["stock_status"]
        if "backorders" in body and body["backorders"] in BACKORDERS:
            record["backorders"] = body["backorders"]
        if record.get("manage_stock"):
            if body.get("stock_quantity") is not None:
                record["stock_quantity"] = int(body["stock_quantity"])
            elif body.get("inventory_delta") is not None:
                record["stock_quantity"] = int(record.get("stock_quantity") or 0) + int(
                    body["inventory_delta"]
                )
            if "low_stock_amount" in body:
                low = body["low_stock_amount"]
                record["low_stock_amount"] = None if low is None else int(low)
        if body.get("menu_order"):
            record["menu_order"] = int(body["menu_order"])
        rules.update_meta(self.ctx, record, body.get("meta_data"))
        rules.derive_stock(record)

    # --- products ----------------------------------------------------------------------------
    def get_product(self, ident: int, status: int) -> Record:
        record = self.store.get("product", ident)
        if record is None:
            variation = self.store.get("variation", ident)
            if variation is not None and status == 404:
                return variation
            raise invalid_id("product", status)
        return record

    def create_product(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise WooError("woocommerce_rest_product_not_created", "Invalid product data.", 400)
        if body.get("id"):
            raise WooError("woocommerce_rest_product_exists", "Cannot create existing product.", 400)
        kind = body.get("type", "simple")
        if kind == "variation":
            raise _variation_via_products()
        record: Record = {**_copy(_DEFAULTS), "type": kind if kind in TYPES else "simple"}
        record["id"] = 0
        self._apply_product(record, body, creating=True)
        record["id"] = self.store.next_id("post")
        if not record["slug"]:
            record["slug"] = self.unique_slug(record["name"], None)
        self.touch(record)
        self.store.put("product", record["id"], record)
        self.ctx.emit("product", "created", record["id"])
        return self.render_product(record)

    def update_product(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid_id("product", 400)
        ident = int(body.get("id") or 0)
        record = self.store.get("product", ident)
        if record is None:
            if self.store.get("variation", ident) is not None:
                raise _variation_via_products()
            raise invalid_id("product", 400)
        record = _copy(record)
        kind = body.get("type")
        if kind == "variation":
            raise _variation_via_products()
        if kind is not None:
            record["type"] = kind if kind in TYPES else "simple"
        self._apply_product(record, body, creating=False)
        self.touch(record)
        self.store.put("product", ident, record)
        self.ctx.emit("product", "updated", ident)
        return self.render_product(record)

    def _apply_product(self, record: Record, body: dict[str, Any], *, creating: bool) -> None:
        if "name" in body and body["name"] is not None:
            record["name"] = str(body["name"])
        if body.get("slug"):
            record["slug"] = self.unique_slug(str(body["slug"]), record["id"] or None)
        if "status" in body and body["status"] is not None:
            record["status"] = body["status"] if body["status"] in STATUSES else "draft"
        if "featured" in body:
            record["featured"] = bool(body["featured"])
        if "catalog_visibility" in body:
            if body["catalog_visibility"] not in VISIBILITIES:
                raise WooError(
                    "product_invalid_catalog_visibility", "Invalid catalog visibility option.", 400
                )
            record["catalog_visibility"] = body["catalog_visibility"]
        if "short_description" in body and body["short_description"] is not None:
            record["short_description"] = str(body["short_description"])
        for name in ("sold_individually", "reviews_allowed"):
            if name in body:
                record[name] = bool(body[name])
        for name in ("external_url", "button_text"):
            if name in body and body[name] is not None:
                record[name] = str(body[name])
        for name in ("upsell_ids", "cross_sell_ids", "grouped_products"):
            if isinstance(body.get(name), list):
                record[name] = [int(i) for i in body[name]]
        if "parent_id" in body:
            record["parent_id"] = int(body["parent_id"] or 0)
        if isinstance(body.get("categories"), list):
            ids = [int(c.get("id") or 0) for c in body["categories"] if isinstance(c, dict)]
            record["categories"] = [i for i in ids if self.store.get("term", i) is not None]
        if isinstance(body.get("tags"), list):
            record["tags"] = [int(t.get("id") or 0) for t in body["tags"] if isinstance(t, dict)]
        if isinstance(body.get("images"), list):
            record["images"] = self._images(body["images"])
        if "attributes" in body:
            record["attributes"] = rules.product_attributes(self.ctx, body["attributes"])
        if isinstance(body.get("default_attributes"), list):
            record["default_attributes"] = [
                {
                    "id": int(a.get("id") or 0),
                    "name": str(a.get("name", "")),
                    "option": str(a.get("option", "")),
                }
                for a in body["default_attributes"]
                if isinstance(a, dict)
            ]
        self._common_fields(record, body)
        if record["type"] in ("variable", "grouped"):
            record["regular_price"] = ""
            record["sale_price"] = ""
            record["_sale_from"] = None
            record["_sale_to"] = None
        if creating and not record["categories"]:
            default = self.store.setting("default_product_cat")
            if default:
                record["categories"] = [default]

    def _images(self, raw: list[Any]) -> list[dict[str, Any]]:
        images = []
        for position, image in enumerate(raw):
            if not isinstance(image, dict):
                continue
            ident = int(image.get("id") or 0)
            if ident == 0:
                src = str(image.get("src") or "")
                if not src.startswith(("http://", "https://")):
                    raise WooError(
                        "woocommerce_product_image_upload_error",
                        f"Invalid image: {src or 'empty URL'}",
                        400,
                    )
                ident = self.store.next_id("post")
            else:
                src = str(image.get("src") or f"https://shop.example/wp-content/uploads/{ident}.jpg")
            images.append(
                {
                    "id": ident,
                    "src": src,
                    "name": str(image.get("name") or src.rsplit("/", 1)[-1]),
                    "alt": str(image.get("alt") or ""),
                    "position": position,
                }
            )
        return images

    def delete_product(self, ident: int, force: bool, status_missing: int = 404) -> dict[str, Any]:
        record = self.store.get("product", ident)
        if record is None:
            raise invalid_id("product", status_missing)
        rendered = self.render_product(record)
        if force:
            for child in record.get("variations") or []:
                self.store.delete("variation", child)
            self.store.delete("product", ident)
            self.ctx.emit("product", "deleted", ident)
            return rendered
        if record["status"] == "trash":
            raise WooError("woocommerce_rest_already_trashed", "The product has already been deleted.", 410)
        record = _copy(record)
        record["status"] = "trash"
        self.touch(record)
        self.store.put("product", ident, record)
        self.ctx.emit("product", "deleted", ident)
        return self.render_product(record)

    # --- variations --------------------------------------------------------------------------
    def create_variation(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise WooError("woocommerce_rest_product_variation_not_created", "Invalid data.", 400)
        if body.get("id"):
            raise WooError(
                "woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400
            )
        parent_id = int(body.get("product_id") or 0)
        record: Record = {**_copy(_VARIATION_DEFAULTS), "type": "variation", "id": 0}
        self._apply_variation(record, parent_id, body)
        record["id"] = self.store.next_id("post")
        self.touch(record)
        self.store.put("variation", record["id"], record)
        self._attach(record["id"], parent_id)
        self.ctx.emit("product", "created", record["id"])
        return self.render_variation(record)

    def update_variation(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise invalid_id("product_variation", 400)
        ident = int(body.get("id") or 0)
        record = self.store.get("variation", ident)
        if record is None:
            raise invalid_id("product_variation", 400)
        record = _copy(record)
        old_parent = int(record["parent_id"])
        parent_id = int(body.get("product_id") or 0)
        self._apply_variation(record, parent_id, body)
        self.touch(record)
        self.store.put("variation", ident, record)
        if old_parent != record["parent_id"]:
            self._detach(ident, old_parent)
        self._attach(ident, record["parent_id"])
        self.ctx.emit("product", "updated", ident)
        return self.render_variation(record)

    def _apply_variation(self, record: Record, parent_id: int, body: dict[str, Any]) -> None:
        # prepare_object_for_database (v3) sets the parent from the request on every write.
        record["parent_id"] = parent_id
        if "status" in body and body["status"] is not None:
            record["status"] = body["status"] if body["status"] in STATUSES else "draft"
        if "image" in body:
            images = self._images([body["image"]]) if isinstance(body["image"], dict) else []
            record["image"] = images[0] if images else None
        if "attributes" in body:
            parent = self.store.get("product", parent_id)
            if parent is None:
                raise WooError(
                    "woocommerce_rest_product_variation_invalid_parent",
                    "Cannot set attributes due to invalid parent product.",
                    404,
                )
            record["attributes"] = rules.variation_attributes(parent, body["attributes"])
        self._common_fields(record, body)

    def _attach(self, ident: int, parent_id: int) -> None:
        parent = self.store.get("product", parent_id)
        if parent is None or ident in parent["variations"]:
            if parent is not None:
                self._sync_parent(parent_id)
            return
        parent = _copy(parent)
        parent["variations"] = [*parent["variations"], ident]
        self.store.put("product", parent_id, parent)
        self._sync_parent(parent_id)

    def _detach(self, ident: int, parent_id: int) -> None:
        parent = self.store.get("product", parent_id)
        if parent is None:
            return
        parent = _copy(parent)
        parent["variations"] = [v for v in parent["variations"] if v != ident]
        self.store.put("product", parent_id, parent)
        self._sync_parent(parent_id)

    def _sync_parent(self, parent_id: int) -> None:
        """``WC_Product_Variable::sync``: an unmanaged parent's stock status follows its children."""
        parent = self.store.get("product", parent_id)
        if parent is None or parent["type"] != "variable" or parent.get("manage_stock"):
            return
        statuses = [
            v["stock_status"]
            for v in (self.store.get("variation", i) for i in parent["variations"])
            if v is not None
        ]
        if "instock" in statuses:
            status = "instock"
        elif "onbackorder" in statuses:
            status = "onbackorder"
        else:
            status = "outofstock"
        if parent["stock_status"] != status:
            parent = _copy(parent)
            parent["stock_status"] = status
            self.store.put("product", parent_id, parent)

    def delete_variation(self, ident: int, force: bool, status_missing: int = 404) -> dict[str, Any]:
        record = self.store.get("variation", ident)
        if record is None:
            raise invalid_id("product_variation", status_missing)
        rendered = self.render_variation(record)
        if not force:
            raise WooError(
                "woocommerce_rest_trash_not_supported",
                "The product_variation does not support trashing.",
                501,
            )
        self.store.delete("variation", ident)
        self._detach(ident, int(record["parent_id"]))
        self.ctx.emit("product", "deleted", ident)
        return rendered

    # --- rendering ---------------------------------------------------------------------------
    def _dates(self, record: Record) -> dict[str, Any]:
        created = parse_iso(record["_created"]) if record.get("_created") else None
        modified = parse_iso(record["_modified"]) if record.get("_modified") else None
        sale_from = parse_iso(record["_sale_from"]) if record.get("_sale_from") else None
        sale_to = parse_iso(record["_sale_to"]) if record.get("_sale_to") else None
        return {
            "date_created": wp_date(created),
            "date_created_gmt": wp_date_gmt(created),
            "date_modified": wp_date(modified),
            "date_modified_gmt": wp_date_gmt(modified),
            "date_on_sale_from": wp_date(sale_from),
            "date_on_sale_from_gmt": wp_date_gmt(sale_from),
            "date_on_sale_to": wp_date(sale_to),
            "date_on_sale_to_gmt": wp_date_gmt(sale_to),
        }

    def _stock_view(self, record: Record) -> dict[str, Any]:
        managed = bool(record.get("manage_stock"))
        backorders = record.get("backorders", "no")
        return {
            "backorders_allowed": backorders != "no",
            "backordered": managed and backorders != "no" and int(record.get("stock_quantity") or 0) <= 0,
        }

    def render_product(self, record: Record) -> dict[str, Any]:
        now = self.ctx.now()
        out = {k: v for k, v in record.items() if not k.startswith("_")}
        out.update(self._dates(record))
        if record["type"] == "variable":
            prices = []
            for child in record.get("variations") or []:
                variation = self.store.get("variation", child)
                if variation is not None and variation.get("status") == "publish":
                    prices.append(rules.active_price(variation, now))
            out["price"] = rules.min_price(prices)
            out["on_sale"] = False
        else:
            out["price"] = rules.active_price(record, now)
            out["on_sale"] = rules.on_sale(record, now)
        out["permalink"] = f"https://shop.example/product/{record['slug']}/"
        out["price_html"] = ""
        out["purchasable"] = out["price"] != "" and record["status"] == "publish"
        out["categories"] = [self._term_ref(i) for i in record.get("categories") or []]
        out["tags"] = [self._term_ref(i) for i in record.get("tags") or []]
        out["shipping_required"] = not record.get("virtual")
        out["shipping_taxable"] = record.get("tax_status") in ("taxable", "shipping")
        out["average_rating"] = "0.00"
        out["rating_count"] = 0
        out["related_ids"] = []
        out["has_options"] = record["type"] == "variable"
        out.update(self._stock_view(record))
        out["_links"] = {
            "self": [{"href": f"/wp-json/wc/v3/products/{record['id']}"}],
            "collection": [{"href": "/wp-json/wc/v3/products"}],
        }
        return out

    def render_variation(self, record: Record) -> dict[str, Any]:
        now = self.ctx.now()
        parent = self.store.get("product", int(record["parent_id"]))
        out = {k: v for k, v in record.items() if not k.startswith("_") and k != "type"}
        out.update(self._dates(record))
        out["price"] = rules.active_price(record, now)
        out["on_sale"] = rules.on_sale(record, now)
        out["purchasable"] = out["price"] != "" and record["status"] == "publish"
        values = ", ".join(a["option"] for a in record.get("attributes") or [])
        parent_name = parent["name"] if parent else ""
        out["name"] = f"{parent_name} - {values}" if values else parent_name
        out["permalink"] = f"https://shop.example/product/{parent['slug'] if parent else ''}/"
        if record.get("tax_class") == "parent":
            out["tax_class"] = parent["tax_class"] if parent else ""
        out.update(self._stock_view(record))
        out["_links"] = {
            "self": [{"href": f"/wp-json/wc/v3/products/{record['parent_id']}/variations/{record['id']}"}],
            "up": [{"href": f"/wp-json/wc/v3/products/{record['parent_id']}"}],
        }
        return out

    def render_as_product(self, record: Record) -> dict[str, Any]:
        """A variation listed through ``/products`` (``sku=``), as the products controller shows it."""
        out = self.render_variation(record)
        out["type"] = "variation"
        out["slug"] = ""
        out["categories"] = []
        out["images"] = [out["image"]] if out.get("image") else []
        return out

    def _term_ref(self, ident: int) -> dict[str, Any]:
        term = self.store.get("term", ident)
        if term is None:
            return {"id": ident, "name": "", "slug": ""}
        return {"id": ident, "name": term["name"], "slug": term["slug"]}

    # --- listing -----------------------------------------------------------------------------
    def list_products(self, call: Call, *, parent: int | None = None) -> Reply:
        query = call.query
        page = page_params(query, orderby=PRODUCT_ORDERBY)
        dates = date_params(query)
        include = parse_ids(query, "include")
        exclude = set(parse_ids(query, "exclude"))
        skus = query.list("sku")
        status_raw = query.get("status") or "any"
        statuses = query.list("status") or ["any"]
        for status in statuses:
            parse_enum("status", status, ["any", *STATUSES])
        if parent is not None:
            pool = [
                ("variation", r) for r in self.store.records("variation") if int(r["parent_id"]) == parent
            ]
        elif skus:
            # With sku=, the query covers product and product_variation posts.
            pool = [("product", r) for r in self.store.records("product")]
            pool += [("variation", r) for r in self.store.records("variation")]
        else:
            pool = [("product", r) for r in self.store.records("product")]
        wanted_sku = set(skus)
        if len(skus) > 1:
            wanted_sku.add(query.get("sku") or "")
        kind_filter = query.get("type")
        if kind_filter is not None:
            parse_enum("type", kind_filter, TYPES)
        category = query.get("category")
        stock_status = query.get("stock_status")
        search = (query.get("search") or "").lower()
        tax_class = query.get("tax_class")
        items = []
        for kind, record in pool:
            if status_raw == "any" or "any" in statuses:
                if record["status"] == "trash":
                    continue
            elif record["status"] not in statuses:
                continue
            if wanted_sku and record.get("sku") not in wanted_sku:
                continue
            if include and record["id"] not in include:
                continue
            if record["id"] in exclude:
                continue
            if kind_filter and (kind != "product" or record["type"] != kind_filter):
                continue
            wanted_categories = {int(c) for c in (category or "").split(",") if c.isdigit()}
            if category and kind == "product" and not wanted_categories & set(record["categories"]):
                continue
            if stock_status and record.get("stock_status") != stock_status:
                continue
            if tax_class is not None and record.get("tax_class", "") != (
                "" if tax_class == "standard" else tax_class
            ):
                continue
            if search and search not in str(record.get("name", "")).lower():
                continue
            if not _in_dates(record, dates):
                continue
            items.append((kind, record))
        items = _sort(items, page.orderby, page.order, include)
        chosen = slice_page(items, page)
        rendered = [
            self.render_product(r)
            if k == "product"
            else (self.render_variation(r) if parent is not None else self.render_as_product(r))
            for k, r in chosen
        ]
        return collection(call, rendered, len(items), page)

    # --- routes ------------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        return [
            route(READ, "/wc/v3/products", lambda c: self.list_products(c), "list"),
            route(CREATE, "/wc/v3/products", self._post_product, "create"),
            route(EDIT, "/wc/v3/products/batch", self._batch_products, "batch"),
            route(READ, "/wc/v3/products/<id>", self._get_product, "view"),
            route(EDIT, "/wc/v3/products/<id>", self._put_product, "edit"),
            route(DELETE, "/wc/v3/products/<id>", self._delete_product, "delete"),
            route(READ, "/wc/v3/products/<product_id>/variations", self._list_variations, "list"),
            route(CREATE, "/wc/v3/products/<product_id>/variations", self._post_variation, "create"),
            route(EDIT, "/wc/v3/products/<product_id>/variations/batch", self._batch_variations, "batch"),
            route(READ, "/wc/v3/products/<product_id>/variations/<id>", self._get_variation, "view"),
            route(EDIT, "/wc/v3/products/<product_id>/variations/<id>", self._put_variation, "edit"),
            route(DELETE, "/wc/v3/products/<product_id>/variations/<id>", self._delete_variation, "delete"),
        ]

    def _post_product(self, call: Call) -> Reply:
        body = dict(call.body)
        self.validate(body)
        rendered = self.create_product(body)
        return Reply(rendered, 201, {"Location": f"/wp-json/wc/v3/products/{rendered['id']}"})

    def _get_product(self, call: Call) -> Reply:
        ident = int(call.route["id"])
        record = self.get_product(ident, 404)
        if record.get("type") == "variation":
            return Reply(self.render_as_product(record))
        return Reply(self.render_product(record))

    def _put_product(self, call: Call) -> Reply:
        body = {**call.body, "id": int(call.route["id"])}
        self.validate(body)
        return Reply(self.update_product(body))

    def _delete_product(self, call: Call) -> Reply:
        force = parse_bool("force", call.query.get("force") or "false")
        return Reply(self.delete_product(int(call.route["id"]), force))

    def _batch_products(self, call: Call) -> Reply:
        return run_batch(
            call,
            self.ctx,
            "/wc/v3/products/batch",
            create=self.create_product,
            update=self.update_product,
            delete=lambda ident: self.delete_product(int(ident), True),
        )

    def _list_variations(self, call: Call) -> Reply:
        return self.list_products(call, parent=int(call.route["product_id"]))

    def _post_variation(self, call: Call) -> Reply:
        body = {**call.body, "product_id": int(call.route["product_id"])}
        self.validate(body, variation=True)
        rendered = self.create_variation(body)
        location = f"/wp-json/wc/v3/products/{body['product_id']}/variations/{rendered['id']}"
        return Reply(rendered, 201, {"Location": location})

    def _get_variation(self, call: Call) -> Reply:
        record = self.store.get("variation", int(call.route["id"]))
        if record is None:
            raise invalid_id("product_variation", 404)
        return Reply(self.render_variation(record))

    def _put_variation(self, call: Call) -> Reply:
        ident = int(call.route["id"])
        existing = self.store.get("variation", ident)
        parent_id = int(call.route["product_id"])
        if existing is not None and int(existing["parent_id"]) not in (0, parent_id):
            # update_item_permissions_check: the route's parent must own the variation.
            raise WooError(
                "woocommerce_rest_cannot_edit", "Parent product does not match current variation.", 403
            )
        body = {**call.body, "id": ident, "product_id": parent_id}
        self.validate(body, variation=True)
        return Reply(self.update_variation(body))

    def _delete_variation(self, call: Call) -> Reply:
        force = parse_bool("force", call.query.get("force") or "false")
        return Reply(self.delete_variation(int(call.route["id"]), force))

    def _batch_variations(self, call: Call) -> Reply:
        # WC_REST_Product_Variations_V2_Controller::batch_items merges the route's product_id
        # *under* each item: an item's own product_id wins.
        route_parent = int(call.route["product_id"])

        def inject(item: Any) -> Any:
            return {"product_id": route_parent, **item} if isinstance(item, dict) else item

        return run_batch(
            call,
            self.ctx,
            "/wc/v3/products/<product_id>/variations/batch",
            create=lambda item: self.create_variation(inject(item)),
            update=lambda item: self.update_variation(inject(item)),
            delete=lambda ident: self.delete_variation(int(ident), True),
        )


def _variation_via_products() -> WooError:
    return WooError(
        "woocommerce_rest_invalid_product_id",
        "To manipulate product variations you should use the "
        "/products/<product_id>/variations/<id> endpoint.",
        404,
    )


def _copy(record: Record) -> Record:
    out = dict(record)
    for key, value in record.items():
        if isinstance(value, list):
            out[key] = [dict(v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            out[key] = dict(value)
    return out


def _in_dates(record: Record, dates: dict[str, Any]) -> bool:
    if not dates:
        return True
    created = parse_iso(record["_created"]) if record.get("_created") else None
    modified = parse_iso(record["_modified"]) if record.get("_modified") else None
    if "after" in dates and (created is None or created <= dates["after"]):
        return False
    if "before" in dates and (created is None or created >= dates["before"]):
        return False
    if "modified_after" in dates and (modified is None or modified <= dates["modified_after"]):
        return False
    return not ("modified_before" in dates and (modified is None or modified >= dates["modified_before"]))


def _sort(items: list[Any], orderby: str, order: str, include: list[int]) -> list[Any]:
    """WP_Query ordering with WooCommerce's ID tie-break."""

    def key(entry: Any) -> Any:
        record = entry[1] if isinstance(entry, tuple) else entry
        ident = record["id"]
        if orderby == "include":
            return (include.index(ident) if ident in include else len(include), ident)
        if orderby == "id":
            return (ident,)
        if orderby in ("title", "name"):
            return (str(record.get("name", "")).lower(), ident)
        if orderby == "slug":
            return (record.get("slug", ""), ident)
        if orderby == "modified":
            return (record.get("_modified", ""), ident)
        if orderby == "menu_order":
            return (record.get("menu_order", 0), ident)
        if orderby == "price":
            return (str(record.get("regular_price", "")), ident)
        return (record.get("_created", ""), ident)

    reverse = order == "desc" and orderby != "include"
    return sorted(items, key=key, reverse=reverse)
