"""``/products`` and ``/products/<id>/variations`` (WC_REST_Products_Controller and
WC_REST_Product_Variations_Controller, wc/v3, with their v2 parents).

Requests are read as ``prepare_object_for_database`` reads them (``isset``: a ``null`` is no
value); answers are ``prepare_object_for_response``'s, in ``view`` context for reads (descriptions
through ``wpautop``) and ``edit`` context for writes (raw).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from comptoir.sandbox.woocommerce.calls import (
    Call,
    Reply,
    collection,
    date_params,
    page_params,
    slice_page,
)
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, invalid_id
from comptoir.sandbox.woocommerce.resources import catalog_rules as rules
from comptoir.sandbox.woocommerce.resources.batch import run_batch
from comptoir.sandbox.woocommerce.resources.media import Media
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args, item_defaults, parse_list
from comptoir.sandbox.woocommerce.schemas import (
    CONTEXT,
    FORCE,
    product_collection,
    product_schema,
    variation_collection,
    variation_schema,
)
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import (
    parse_iso,
    parse_rfc3339,
    slugify,
    wc_clean,
    wc_format_decimal,
    wp_date,
    wp_date_gmt,
    wpautop,
)

TYPES = ["simple", "grouped", "external", "variable"]
STATUSES = ["draft", "pending", "private", "publish", "future", "auto-draft", "trash"]
"""Post statuses ``get_post_status_object`` knows; anything else is stored as ``draft``."""
VISIBILITIES = ["visible", "catalog", "search", "hidden"]
TAX_STATUSES = ["taxable", "shipping", "none"]
BACKORDERS = ["no", "notify", "yes"]
STOCK_STATUSES = ["instock", "outofstock", "onbackorder"]

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
    "shipping_class_id": 0,
    "reviews_allowed": True,
    "post_password": "",
    "upsell_ids": [],
    "cross_sell_ids": [],
    "parent_id": 0,
    "purchase_note": "",
    "categories": [],
    "tags": [],
    "image_id": 0,
    "gallery_ids": [],
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
    "shipping_class_id": 0,
    "image_id": 0,
    "attributes": [],
    "menu_order": 0,
    "meta_data": [],
    "parent_id": 0,
    "total_sales": 0,
}
_PRIVATE = {"image_id", "gallery_ids", "type"}


class Catalog:
    """Products and variations over the store."""

    def __init__(self, ctx: Context, media: Media, tax_classes: Callable[[], list[str]]) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.media = media
        self.tax_classes = tax_classes

    # --- helpers ---------------------------------------------------------------------------
    def tax_class_slug(self, value: Any) -> str:
        """``WC_Product::set_tax_class``: an unknown class (and ``standard``) is the standard one."""
        slug = slugify(str(value or ""))
        return slug if slug in self.tax_classes() else ""

    def touch(self, record: Record) -> None:
        moment = self.ctx.now().isoformat()
        record.setdefault("_created", moment)
        record["_modified"] = moment

    def unique_slug(self, name: str, own: int | None) -> str:
        """``wp_unique_post_slug``: ``slug``, ``slug-2``, ``slug-3``…"""
        base = slugify(name) or ""
        if not base:
            return ""
        slug, n = base, 2
        while (holder := self.store.lookup("slug", slug)) is not None and holder[1] != own:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _term_by_slug(self, taxonomy: str, slug: str) -> Record | None:
        for term in self.store.records("term"):
            if term["taxonomy"] == taxonomy and term["slug"] == slug:
                return term
        return None

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
            if body.get(name) is not None:
                record[name] = str(body[name])
        for name in ("virtual", "downloadable"):
            if body.get(name) is not None:
                record[name] = bool(body[name])
        if body.get("sku") is not None:
            sku = wc_clean(body["sku"])
            kind = "variation" if record.get("type") == "variation" else "product"
            rules.check_sku(self.ctx, sku, (kind, record["id"]) if record.get("id") else None)
            record["sku"] = sku
        for name in ("regular_price", "sale_price"):
            if body.get(name) is not None:
                record[name] = wc_format_decimal(body[name], separator=self._separator())
        self._sale_dates(record, body)
        if body.get("tax_status") is not None:
            record["tax_status"] = body["tax_status"] if body["tax_status"] in TAX_STATUSES else "taxable"
        if body.get("tax_class") is not None:
            if record.get("type") == "variation" and body["tax_class"] == "parent":
                record["tax_class"] = "parent"
            else:
                record["tax_class"] = self.tax_class_slug(body["tax_class"])
        if body.get("weight") is not None:
            record["weight"] = wc_format_decimal(body["weight"], separator=self._separator())
        if isinstance(body.get("dimensions"), dict):
            dims = dict(record.get("dimensions") or {})
            for side in ("length", "width", "height"):
                if body["dimensions"].get(side) is not None:
                    dims[side] = wc_format_decimal(body["dimensions"][side], separator=self._separator())
            record["dimensions"] = dims
        if body.get("shipping_class") is not None:
            # set_shipping_class_id( get_shipping_class_id_by_slug( wc_clean( … ) ) ): unknown → 0.
            term = self._term_by_slug("product_shipping_class", wc_clean(body["shipping_class"]))
            record["shipping_class_id"] = term["id"] if term else 0
        if body.get("downloads") is not None and isinstance(body["downloads"], list):
            record["downloads"] = [
                {
                    "id": str(d.get("id") or ""),
                    "name": str(d.get("name") or ""),
                    "file": str(d.get("file") or ""),
                }
                for d in body["downloads"]
                if isinstance(d, dict)
            ]
        for name in ("download_limit", "download_expiry"):
            if body.get(name) is not None:
                record[name] = int(body[name])
        if body.get("menu_order") is not None:
            record["menu_order"] = int(body["menu_order"])
        rules.update_meta(self.ctx, record, body.get("meta_data"))

    def _separator(self) -> str:
        return str(self.ctx.option("woocommerce_price_decimal_sep") or ".")

    def _stock(self, record: Record, body: dict[str, Any]) -> None:
        """The stock part of ``prepare_object_for_database`` (products v2/v3, variations v3)."""
        if body.get("manage_stock") is not None:
            record["manage_stock"] = body["manage_stock"] not in (False, "false", "0", 0, "parent", "")
        if body.get("backorders") is not None:
            record["backorders"] = body["backorders"] if body["backorders"] in BACKORDERS else "no"
        if body.get("stock_status") is not None:
            record["stock_status"] = (
                body["stock_status"] if body["stock_status"] in STOCK_STATUSES else "instock"
            )
        kind = record.get("type")
        if kind == "grouped":
            record["manage_stock"] = False
        elif kind == "external":
            record["manage_stock"] = False
            record["backorders"] = "no"
            record["stock_status"] = "instock"
        if record.get("manage_stock"):
            if body.get("stock_quantity") is not None:
                record["stock_quantity"] = int(body["stock_quantity"])
            elif body.get("inventory_delta") is not None:
                record["stock_quantity"] = int(record.get("stock_quantity") or 0) + int(
                    body["inventory_delta"]
                )
            if "low_stock_amount" in body:
                low = body["low_stock_amount"]
                record["low_stock_amount"] = None if low in (None, "") else int(low)
        rules.derive_stock(record)

    # --- products ----------------------------------------------------------------------------
    def create_product(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError("woocommerce_rest_product_exists", "Cannot create existing product.", 400)
        kind = body.get("type") or "simple"
        if kind == "variation":
            raise _variation_via_products()
        record: Record = {**_copy(_DEFAULTS), "type": kind if kind in TYPES else "simple", "id": 0}
        self._apply_product(record, body, creating=True)
        record["id"] = self.store.next_id("post")
        if not record["slug"] and record["status"] not in ("draft", "pending", "auto-draft"):
            record["slug"] = self.unique_slug(record["name"] or str(record["id"]), None)
        self._attach_images(record)
        self.touch(record)
        self.store.put("product", record["id"], record)
        self._link_grouped(record)
        self.ctx.emit("product", "created", record["id"])
        return self.render_product(record, "edit")

    def update_product(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
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
        if not record["slug"] and record["status"] not in ("draft", "pending", "auto-draft"):
            record["slug"] = self.unique_slug(record["name"] or str(ident), ident)
        self._attach_images(record)
        self.touch(record)
        self.store.put("product", ident, record)
        self._link_grouped(record)
        self.ctx.emit("product", "updated", ident)
        return self.render_product(record, "edit")

    def _apply_product(self, record: Record, body: dict[str, Any], *, creating: bool) -> None:
        if body.get("name") is not None:
            record["name"] = str(body["name"])
        if body.get("description") is not None:
            record["description"] = str(body["description"])
        if body.get("short_description") is not None:
            record["short_description"] = str(body["short_description"])
        if body.get("status") is not None:
            record["status"] = body["status"] if body["status"] in STATUSES else "draft"
        if body.get("slug") is not None:
            record["slug"] = self.unique_slug(str(body["slug"]), record["id"] or None)
        if body.get("reviews_allowed") is not None:
            record["reviews_allowed"] = bool(body["reviews_allowed"])
        if body.get("post_password") is not None:
            record["post_password"] = str(body["post_password"])
        if body.get("featured") is not None:
            record["featured"] = bool(body["featured"])
        if body.get("catalog_visibility") is not None:
            if body["catalog_visibility"] not in VISIBILITIES:
                raise WooError(
                    "product_invalid_catalog_visibility", "Invalid catalog visibility option.", 400
                )
            record["catalog_visibility"] = body["catalog_visibility"]
        if body.get("sold_individually") is not None:
            record["sold_individually"] = bool(body["sold_individually"])
        if record["type"] == "external":
            for name in ("external_url", "button_text"):
                if body.get(name) is not None:
                    record[name] = str(body[name])
        for name in ("upsell_ids", "cross_sell_ids"):
            if isinstance(body.get(name), list):
                record[name] = [i for i in (_int(v) for v in body[name]) if i > 0]
        if body.get("parent_id") is not None:
            record["parent_id"] = _int(body["parent_id"])
        if isinstance(body.get("categories"), list):
            ids = [_int(c.get("id")) for c in body["categories"] if isinstance(c, dict)]
            record["categories"] = [i for i in dict.fromkeys(ids) if self._is_term(i, "product_cat")]
        if isinstance(body.get("tags"), list):
            record["tags"] = self._tags(body["tags"])
        if body.get("images") is not None:
            record["_images"] = body["images"]
        if body.get("attributes") is not None:
            record["attributes"] = rules.product_attributes(self.ctx, body["attributes"])
        if isinstance(body.get("default_attributes"), list) and record["type"] == "variable":
            record["default_attributes"] = rules.default_attributes(record, body["default_attributes"])
        if record["type"] == "grouped" and isinstance(body.get("grouped_products"), list):
            record["grouped_products"] = [i for i in (_int(v) for v in body["grouped_products"]) if i > 0]
        self._common_fields(record, body)
        if record["type"] in ("variable", "grouped"):
            record["regular_price"] = ""
            record["sale_price"] = ""
            record["_sale_from"] = None
            record["_sale_to"] = None
        self._stock(record, body)
        if creating and not record["categories"]:
            default = self.store.setting("default_product_cat")
            if default:
                record["categories"] = [default]

    def _is_term(self, ident: int, taxonomy: str) -> bool:
        term = self.store.get("term", ident)
        return term is not None and term["taxonomy"] == taxonomy

    def _tags(self, raw: list[Any]) -> list[int]:
        """Tags by ``id``, or by ``name`` (found, or created) — ``save_taxonomy_terms``."""
        out: list[int] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            ident = _int(item.get("id"))
            if ident:
                if self._is_term(ident, "product_tag"):
                    out.append(ident)
                continue
            name = wc_clean(item.get("name") or "")
            if not name:
                continue
            found = next(
                (
                    t
                    for t in self.store.records("term")
                    if t["taxonomy"] == "product_tag" and t["name"].lower() == name.lower()
                ),
                None,
            )
            if found is None:
                found = self._new_term("product_tag", name)
            out.append(int(found["id"]))
        return list(dict.fromkeys(out))

    def _new_term(self, taxonomy: str, name: str) -> Record:
        ident = self.store.next_id("term")
        taken = {t["slug"] for t in self.store.records("term") if t["taxonomy"] == taxonomy}
        base = slugify(name) or str(ident)
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        term: Record = {
            "id": ident,
            "taxonomy": taxonomy,
            "name": name,
            "slug": slug,
            "description": "",
            "parent": 0,
        }
        self.store.put("term", ident, term)
        return term

    def _attach_images(self, record: Record, *, variation: bool = False) -> None:
        """``set_product_images`` / ``set_variation_image``: the first image is the featured one,
        the others the gallery; ``id`` names an attachment, ``src`` uploads one."""
        if "_images" not in record:
            return
        raw = record.pop("_images")
        code = "woocommerce_variation" if variation else "woocommerce_product"
        if variation:
            images = [raw] if isinstance(raw, dict) else []
        else:
            images = [i for i in raw if i] if isinstance(raw, list) else []
        if not images:
            record["image_id"] = 0
            if not variation:
                record["gallery_ids"] = []
            return
        gallery: list[int] = []
        for index, image in enumerate(images):
            if not isinstance(image, dict):
                image = {}
            attachment = _int(image.get("id"))
            if attachment == 0 and image.get("src") is not None:
                try:
                    attachment = self.media.from_url(str(image["src"]), record["id"])["id"]
                except ValueError as exc:
                    raise WooError(f"{code}_image_upload_error", str(exc), 400) from None
            if not self.media.is_image(attachment):
                raise WooError(f"{code}_invalid_image_id", f"#{attachment} is an invalid image ID.", 400)
            if index == 0:
                record["image_id"] = attachment
            else:
                gallery.append(attachment)
            self.media.set_meta(
                attachment,
                alt=wc_clean(image.get("alt") or "") or None,
                title=str(image.get("name") or "") or None,
            )
        if not variation:
            record["gallery_ids"] = gallery

    def _link_grouped(self, record: Record) -> None:
        """Grouped children keep no link back; nothing to do but keep the ids known."""

    def get_product(self, ident: int) -> Record:
        record = self.store.get("product", ident)
        if record is None:
            variation = self.store.get("variation", ident)
            if variation is not None:
                return variation
            raise invalid_id("product", 404)
        return record

    def delete_product(self, ident: int, force: bool) -> dict[str, Any]:
        """``WC_REST_Products_V2_Controller::delete_item``."""
        record = self.store.get("product", ident)
        if record is None:
            if self.store.get("variation", ident) is not None:
                raise WooError("woocommerce_rest_invalid_product_id", "Invalid ID.", 404)
            raise invalid_id("product", 404)
        rendered = self.render_product(record, "edit")
        if force:
            if record["type"] == "variable":
                for child in record.get("variations") or []:
                    self.store.delete("variation", child)
            else:
                for other in list(self.store.records("product")):
                    if other.get("parent_id") == ident:
                        self.store.put("product", other["id"], {**other, "parent_id": 0})
            self.store.delete("product", ident)
            self.ctx.emit("product", "deleted", ident)
            return rendered
        if record["status"] == "trash":
            raise WooError("woocommerce_rest_already_trashed", "The product has already been deleted.", 410)
        record = _copy(record)
        record["_before_trash"] = record["status"]
        record["status"] = "trash"
        self.touch(record)
        self.store.put("product", ident, record)
        self.ctx.emit("product", "deleted", ident)
        return self.render_product(record, "edit")

    # --- variations --------------------------------------------------------------------------
    def create_variation(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError(
                "woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400
            )
        parent_id = _int(body.get("product_id"))
        record: Record = {**_copy(_VARIATION_DEFAULTS), "type": "variation", "id": 0}
        self._apply_variation(record, parent_id, body)
        record["id"] = self.store.next_id("post")
        self._attach_images(record, variation=True)
        self.touch(record)
        self.store.put("variation", record["id"], record)
        self._attach(record["id"], parent_id)
        self.ctx.emit("product", "created", record["id"])
        return self.render_variation(record, "edit")

    def update_variation(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
        ident = _int(body.get("id"))
        record = self.store.get("variation", ident)
        if record is None:
            raise invalid_id("product_variation", 400)
        record = _copy(record)
        old_parent = int(record["parent_id"])
        parent_id = _int(body.get("product_id"))
        self._apply_variation(record, parent_id, body)
        self._attach_images(record, variation=True)
        self.touch(record)
        self.store.put("variation", ident, record)
        if old_parent != record["parent_id"]:
            self._detach(ident, old_parent)
        self._attach(ident, record["parent_id"])
        self.ctx.emit("product", "updated", ident)
        return self.render_variation(record, "edit")

    def _apply_variation(self, record: Record, parent_id: int, body: dict[str, Any]) -> None:
        # prepare_object_for_database (v3) sets the parent from the request on every write.
        record["parent_id"] = parent_id
        if body.get("status") is not None:
            record["status"] = body["status"] if body["status"] in STATUSES else "draft"
        if "image" in body and body["image"] is not None:
            record["_images"] = body["image"]
        self._common_fields(record, body)
        self._stock(record, body)
        if body.get("attributes") is not None:
            parent = self.store.get("product", parent_id)
            if parent is None:
                raise WooError(
                    "woocommerce_rest_product_variation_invalid_parent",
                    "Cannot set attributes due to invalid parent product.",
                    404,
                )
            record["attributes"] = rules.variation_attributes(self.ctx, parent, body["attributes"])

    def _attach(self, ident: int, parent_id: int) -> None:
        parent = self.store.get("product", parent_id)
        if parent is None:
            return
        if ident not in parent["variations"]:
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
            if v is not None and v["status"] != "trash"
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

    def delete_variation(self, ident: int, force: bool) -> dict[str, Any]:
        """``delete_item`` of the variations controller: trashed unless forced (v3)."""
        record = self.store.get("variation", ident)
        if record is None:
            raise invalid_id("product_variation", 404)
        rendered = self.render_variation(record, "edit")
        if force:
            self.store.delete("variation", ident)
            self._detach(ident, int(record["parent_id"]))
            self.ctx.emit("product", "deleted", ident)
            return rendered
        if record["status"] == "trash":
            raise WooError(
                "woocommerce_rest_already_trashed", "The product_variation has already been deleted.", 410
            )
        record = _copy(record)
        record["status"] = "trash"
        self.touch(record)
        self.store.put("variation", ident, record)
        self._sync_parent(int(record["parent_id"]))
        self.ctx.emit("product", "deleted", ident)
        return self.render_variation(record, "edit")

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

    def _shipping_class(self, record: Record) -> str:
        term = self.store.get("term", int(record.get("shipping_class_id") or 0))
        return str(term["slug"]) if term else ""

    def permalink(self, record: Record) -> str:
        if record.get("status") == "publish" and record.get("slug"):
            return f"{self.ctx.site_url}/product/{record['slug']}/"
        return f"{self.ctx.site_url}/?post_type=product&p={record['id']}"

    def price_html(self, price: str, regular: str, on_sale: bool) -> str:
        """``get_price_html`` (wc_price with the shop's currency, position and separators)."""
        if price == "":
            return ""
        if on_sale and regular != "":
            return (
                f'<del aria-hidden="true">{self.wc_price(regular)}</del> <span class="screen-reader-text">'
                f'Original price was: {self._plain_price(regular)}.</span><ins aria-hidden="true">'
                f'{self.wc_price(price)}</ins><span class="screen-reader-text">Current price is: '
                f"{self._plain_price(price)}.</span>"
            )
        return self.wc_price(price)

    def _formatted(self, amount: str) -> str:
        decimals = self.ctx.decimals
        number = wc_format_decimal(amount, decimals)
        whole, _, fraction = number.partition(".")
        sign = "-" if whole.startswith("-") else ""
        digits = whole.lstrip("-")
        groups: list[str] = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        groups.insert(0, digits)
        text = sign + str(self.ctx.option("woocommerce_price_thousand_sep")).join(groups)
        if fraction:
            text += str(self.ctx.option("woocommerce_price_decimal_sep")) + fraction
        return text

    def _symbol(self) -> str:
        return {"EUR": "&euro;", "USD": "&#36;", "GBP": "&pound;", "CHF": "CHF"}.get(
            self.ctx.currency, self.ctx.currency
        )

    def _plain_price(self, amount: str) -> str:
        return self._place(self._symbol(), self._formatted(amount))

    def _place(self, symbol: str, number: str) -> str:
        position = self.ctx.option("woocommerce_currency_pos")
        return {
            "left": f"{symbol}{number}",
            "right": f"{number}{symbol}",
            "left_space": f"{symbol}&nbsp;{number}",
            "right_space": f"{number}&nbsp;{symbol}",
        }.get(str(position), f"{symbol}{number}")

    def wc_price(self, amount: str) -> str:
        symbol = f'<span class="woocommerce-Price-currencySymbol">{self._symbol()}</span>'
        inner = self._place(symbol, self._formatted(amount))
        return f'<span class="woocommerce-Price-amount amount"><bdi>{inner}</bdi></span>'

    def _images_view(self, record: Record) -> list[dict[str, Any]]:
        out = []
        for ident in [record.get("image_id") or 0, *(record.get("gallery_ids") or [])]:
            view = self.media.image_view(int(ident)) if ident else None
            if view is not None:
                out.append(view)
        return out

    def _purchasable(self, record: Record, price: str) -> bool:
        """``is_purchasable``: a product that exists, published or editable by the (administrator)
        caller, with a price; external and grouped products never are."""
        if record.get("type") in ("external", "grouped"):
            return False
        return record.get("status") != "trash" and price != ""

    def render_product(self, record: Record, context: str = "view") -> dict[str, Any]:
        now = self.ctx.now()
        out = {k: v for k, v in record.items() if not k.startswith("_") and k not in _PRIVATE}
        out["type"] = record["type"]
        out.update(self._dates(record))
        if record["type"] == "variable":
            prices = []
            for child in record.get("variations") or []:
                variation = self.store.get("variation", child)
                if variation is not None and variation.get("status") == "publish":
                    prices.append(rules.active_price(variation, now))
            out["price"] = rules.min_price(prices)
            out["on_sale"] = any(
                rules.on_sale(v, now)
                for v in (self.store.get("variation", c) for c in record.get("variations") or [])
                if v is not None and v.get("status") == "publish"
            )
        else:
            out["price"] = rules.active_price(record, now)
            out["on_sale"] = rules.on_sale(record, now)
        if context == "view":
            out["description"] = wpautop(record["description"])
            out["short_description"] = wpautop(record["short_description"])
        out["permalink"] = self.permalink(record)
        out["price_html"] = self.price_html(out["price"], record.get("regular_price", ""), out["on_sale"])
        out["purchasable"] = self._purchasable(record, out["price"])
        out["categories"] = [self._term_ref(i) for i in record.get("categories") or []]
        out["tags"] = [self._term_ref(i) for i in record.get("tags") or []]
        out["images"] = self._images_view(record)
        out["attributes"] = [_public(a) for a in record.get("attributes") or []]
        out["shipping_required"] = not record.get("virtual")
        out["shipping_taxable"] = record.get("tax_status") in ("taxable", "shipping") and not record.get(
            "virtual"
        )
        out["shipping_class"] = self._shipping_class(record)
        out["sale_price"] = record.get("sale_price") or ""
        out["average_rating"] = "0.00" if context == "view" else "0"
        out["rating_count"] = 0
        out["related_ids"] = []
        out["has_options"] = record["type"] == "variable"
        out["low_stock_amount"] = record.get("low_stock_amount")
        if record["type"] != "external":
            out["external_url"] = ""
            out["button_text"] = ""
        out.update(self._stock_view(record))
        links: dict[str, Any] = {
            "self": [{"href": self.ctx.rest_url(f"wc/v3/products/{record['id']}")}],
            "collection": [{"href": self.ctx.rest_url("wc/v3/products")}],
        }
        if record.get("parent_id"):
            links["up"] = [{"href": self.ctx.rest_url(f"wc/v3/products/{record['parent_id']}")}]
        out["_links"] = links
        return out

    def variation_name(self, record: Record) -> str:
        """``wc_get_formatted_variation( $variation, true, false, false )``: the option values."""
        return ", ".join(a["option"] for a in record.get("attributes") or [] if a.get("option"))

    def render_variation(self, record: Record, context: str = "view") -> dict[str, Any]:
        now = self.ctx.now()
        parent = self.store.get("product", int(record["parent_id"]))
        out = {k: v for k, v in record.items() if not k.startswith("_") and k not in _PRIVATE}
        out.update(self._dates(record))
        out["price"] = rules.active_price(record, now)
        out["on_sale"] = rules.on_sale(record, now)
        out["purchasable"] = record["status"] != "trash" and out["price"] != ""
        out["name"] = self.variation_name(record)
        if parent is not None and parent.get("status") == "publish" and parent.get("slug"):
            query = "&".join(
                f"attribute_{rules.attribute_taxonomy(a)}="
                + (slugify(a["option"]) if a.get("id") else quote(str(a["option"])))
                for a in record.get("attributes") or []
            )
            out["permalink"] = f"{self.ctx.site_url}/product/{parent['slug']}/" + (
                f"?{query}" if query else ""
            )
        else:
            out["permalink"] = f"{self.ctx.site_url}/?post_type=product_variation&p={record['id']}"
        if context == "view":
            out["description"] = wpautop(record["description"])
            if record.get("tax_class") == "parent":
                out["tax_class"] = parent["tax_class"] if parent else ""
        out["sale_price"] = record.get("sale_price") or ""
        out["shipping_class"] = self._shipping_class(record)
        out["attributes"] = [_public(a) for a in record.get("attributes") or []]
        out["image"] = (
            self.media.image_view(int(record.get("image_id") or 0)) if record.get("image_id") else None
        )
        out.update(self._stock_view(record))
        route = f"wc/v3/products/{record['parent_id']}/variations"
        out["_links"] = {
            "self": [{"href": self.ctx.rest_url(f"{route}/{record['id']}")}],
            "collection": [{"href": self.ctx.rest_url(route)}],
            "up": [{"href": self.ctx.rest_url(f"wc/v3/products/{record['parent_id']}")}],
        }
        return out

    def render_as_product(self, record: Record, context: str = "view") -> dict[str, Any]:
        """A variation listed through ``/products`` (``sku=``), as the products controller shows it."""
        out = self.render_variation(record, context)
        parent = self.store.get("product", int(record["parent_id"]))
        values = self.variation_name(record)
        parent_name = parent["name"] if parent else ""
        out["name"] = f"{parent_name} - {values}" if values else parent_name
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
        page = page_params(
            query,
            orderby=[
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
            ],
        )
        dates = date_params(query)
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        status = str(call.param("status") or "any")
        sku_param = str(call.param("sku") or "")
        search_sku = str(call.param("search_sku") or "")
        if search_sku:
            sku_param = ""
        skus = sku_param.split(",") if sku_param else []
        if parent is not None:
            pool = [
                ("variation", r) for r in self.store.records("variation") if int(r["parent_id"]) == parent
            ]
        elif skus and not search_sku and status != "trash":
            # With sku=, the query covers product and product_variation posts; WooCommerce finds
            # them through its SKU lookup table, the sandbox through its SKU index (which leaves
            # trashed posts out, as every status but ``trash`` does).
            places = filter(None, (self.store.lookup("sku", sku) for sku in {*skus, sku_param}))
            pool = [(kind, record) for kind, ident in places if (record := self.store.get(kind, ident))]
        elif skus or search_sku:
            pool = [("product", r) for r in self.store.records("product")]
            pool += [("variation", r) for r in self.store.records("variation")]
        else:
            pool = [("product", r) for r in self.store.records("product")]
        wanted_sku = set(skus)
        if len(skus) > 1:
            wanted_sku.add(sku_param)
        kind_filter = call.param("type")
        categories = {int(c) for c in parse_list(call.param("category") or "") if str(c).isdigit()}
        tags = {int(c) for c in parse_list(call.param("tag") or "") if str(c).isdigit()}
        shipping_classes = {
            int(c) for c in parse_list(call.param("shipping_class") or "") if str(c).isdigit()
        }
        stock_status = call.param("stock_status")
        search = str(call.param("search") or "").lower()
        tax_class = call.param("tax_class")
        featured = call.param("featured")
        on_sale = call.param("on_sale")
        slug = call.param("slug")
        parents = set(call.param("parent") or [])
        parents_out = set(call.param("parent_exclude") or [])
        min_price = call.param("min_price")
        max_price = call.param("max_price")
        now = self.ctx.now()
        items = []
        for kind, record in pool:
            if status == "any":
                if record["status"] in ("trash", "auto-draft"):
                    continue
            elif record["status"] != status:
                continue
            if wanted_sku and record.get("sku") not in wanted_sku:
                continue
            if search_sku and search_sku.lower() not in str(record.get("sku", "")).lower():
                continue
            if include and record["id"] not in include:
                continue
            if record["id"] in exclude:
                continue
            if kind_filter and (kind != "product" or record["type"] != kind_filter):
                continue
            if categories and not categories & set(record.get("categories") or []):
                continue
            if tags and not tags & set(record.get("tags") or []):
                continue
            if shipping_classes and int(record.get("shipping_class_id") or 0) not in shipping_classes:
                continue
            if stock_status and record.get("stock_status") != stock_status:
                continue
            if tax_class and record.get("tax_class", "") != ("" if tax_class == "standard" else tax_class):
                continue
            if isinstance(featured, bool) and bool(record.get("featured")) != featured:
                continue
            if isinstance(on_sale, bool) and rules.on_sale(record, now) != on_sale:
                continue
            if slug and record.get("slug") != slug:
                continue
            if parents and int(record.get("parent_id") or 0) not in parents:
                continue
            if int(record.get("parent_id") or 0) in parents_out:
                continue
            if not rules.in_price_range(rules.active_price(record, now), min_price, max_price):
                continue
            if search and not any(
                search in str(record.get(f, "")).lower() for f in ("name", "description", "short_description")
            ):
                continue
            if not _in_dates(record, dates):
                continue
            items.append((kind, record))
        items = _sort(items, page.orderby, page.order, include)
        chosen = slice_page(items, page)
        context = str(call.param("context") or "view")
        rendered = [
            self.render_product(r, context)
            if k == "product"
            else (
                self.render_variation(r, context)
                if parent is not None
                else self.render_as_product(r, context)
            )
            for k, r in chosen
        ]
        return collection(call, rendered, len(items), page)

    # --- routes ------------------------------------------------------------------------------
    def routes(self) -> list[Route]:
        products = product_schema()
        variations = variation_schema()
        base = "/wc/v3/products"
        variation_base = base + "/<product_id>/variations"

        def product_exists(call: Call) -> bool:
            ident = _int(call.param("id"))
            return (
                self.store.get("product", ident) is not None or self.store.get("variation", ident) is not None
            )

        def variation_exists(call: Call) -> bool:
            return self.store.get("variation", _int(call.param("id"))) is not None

        return [
            route(
                READ,
                base,
                lambda c: self.list_products(c),
                "list",
                lambda: product_collection(self.tax_classes),
            ),
            route(CREATE, base, self._post_product, "create", endpoint_args(products, "POST")),
            route(EDIT, base + "/batch", self._batch_products, "batch", {}),
            route(READ, base + "/<id>", self._get_product, "view", {"context": CONTEXT}),
            route(
                EDIT,
                base + "/<id>",
                self._put_product,
                "edit",
                endpoint_args(products, "PUT"),
                product_exists,
            ),
            route(DELETE, base + "/<id>", self._delete_product, "delete", {"force": FORCE}, product_exists),
            route(READ, variation_base, self._list_variations, "list", variation_collection()),
            route(CREATE, variation_base, self._post_variation, "create", endpoint_args(variations, "POST")),
            route(EDIT, variation_base + "/batch", self._batch_variations, "batch", {}),
            route(READ, variation_base + "/<id>", self._get_variation, "view", {"context": CONTEXT}),
            route(
                EDIT,
                variation_base + "/<id>",
                self._put_variation,
                "edit",
                endpoint_args(variations, "PUT"),
                variation_exists,
            ),
            route(
                DELETE,
                variation_base + "/<id>",
                self._delete_variation,
                "delete",
                {"force": FORCE},
                variation_exists,
            ),
        ]

    def _post_product(self, call: Call) -> Reply:
        rendered = self.create_product(call.values("low_stock_amount"))
        return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/products/{rendered['id']}")})

    def _get_product(self, call: Call) -> Reply:
        record = self.get_product(_int(call.param("id")))
        context = str(call.param("context") or "view")
        if record.get("type") == "variation":
            return Reply(self.render_as_product(record, context))
        return Reply(self.render_product(record, context))

    def _put_product(self, call: Call) -> Reply:
        return Reply(self.update_product(call.values("low_stock_amount")))

    def _delete_product(self, call: Call) -> Reply:
        return Reply(self.delete_product(_int(call.param("id")), bool(call.param("force"))))

    def _batch_products(self, call: Call) -> Reply:
        return run_batch(
            call,
            self.ctx,
            "/wc/v3/products/batch",
            create=self.create_product,
            update=self.update_product,
            delete=lambda ident: self.delete_product(int(ident), True),
            defaults=item_defaults(product_schema()),
        )

    def _list_variations(self, call: Call) -> Reply:
        return self.list_products(call, parent=_int(call.param("product_id")))

    def _post_variation(self, call: Call) -> Reply:
        body = call.values("low_stock_amount")
        rendered = self.create_variation(body)
        location = self.ctx.rest_url(f"wc/v3/products/{rendered['parent_id']}/variations/{rendered['id']}")
        return Reply(rendered, 201, {"Location": location})

    def _get_variation(self, call: Call) -> Reply:
        record = self.store.get("variation", _int(call.param("id")))
        if record is None:
            raise invalid_id("product_variation", 404)
        return Reply(self.render_variation(record, str(call.param("context") or "view")))

    def _put_variation(self, call: Call) -> Reply:
        body = call.values("low_stock_amount")
        existing = self.store.get("variation", _int(body.get("id")))
        parent_id = _int(body.get("product_id"))
        if existing is not None and int(existing["parent_id"]) not in (0, parent_id):
            # update_item_permissions_check: the route's parent must own the variation.
            raise WooError(
                "woocommerce_rest_cannot_edit", "Parent product does not match current variation.", 403
            )
        return Reply(self.update_variation(body))

    def _delete_variation(self, call: Call) -> Reply:
        return Reply(self.delete_variation(_int(call.param("id")), bool(call.param("force"))))

    def _batch_variations(self, call: Call) -> Reply:
        # WC_REST_Product_Variations_V2_Controller::batch_items merges the route's product_id
        # *under* each item: an item's own product_id wins.
        route_parent = _int(call.param("product_id"))

        def inject(item: Any) -> Any:
            return {"product_id": route_parent, **item} if isinstance(item, dict) else item

        return run_batch(
            call,
            self.ctx,
            "/wc/v3/products/<product_id>/variations/batch",
            create=lambda item: self.create_variation(inject(item)),
            update=lambda item: self.update_variation(inject(item)),
            delete=lambda ident: self.delete_variation(int(ident), True),
            defaults=item_defaults(variation_schema()),
        )


def _public(attribute: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attribute.items() if k != "key"}


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _variation_via_products() -> WooError:
    return WooError(
        "woocommerce_rest_invalid_product_id",
        "To manipulate product variations you should use the "
        "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
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
            return (rules.price_key(record.get("regular_price", "")), ident)
        return (record.get("_created", ""), ident)

    reverse = order == "desc" and orderby != "include"
    return sorted(items, key=key, reverse=reverse)
