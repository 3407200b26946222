"""Product taxonomies: ``/products/categories``, ``/products/tags``, ``/products/shipping_classes``
(WC_REST_Terms_Controller and its children), ``/products/attributes`` and
``/products/attributes/<id>/terms`` (WC_REST_Product_Attributes_Controller,
WC_REST_Product_Attribute_Terms_Controller), wc/v3.

Terms are written through WordPress's ``wp_insert_term``/``wp_update_term`` rules: a name is
required, a parent must exist, a name already used (under the same parent) is ``term_exists``
with the existing term's id, a slug already used gets a ``-2`` suffix on insertion and is
refused on update (``duplicate_term_slug``). ``count`` is the number of published products.
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import run_batch
from comptoir.sandbox.woocommerce.resources.catalog_rules import attribute_slug
from comptoir.sandbox.woocommerce.resources.media import Media, UploadError
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args
from comptoir.sandbox.woocommerce.schemas import (
    CONTEXT,
    FORCE,
    attribute_schema,
    attribute_term_schema,
    s,
    term_collection,
    term_schema,
)
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import slugify, wc_clean

DISPLAYS = ["default", "products", "subcategories", "both"]
TAXONOMIES = {
    "categories": ("product_cat", True),
    "tags": ("product_tag", False),
    "shipping_classes": ("product_shipping_class", False),
}
RESERVED = {
    "attachment",
    "author",
    "category",
    "day",
    "feed",
    "hour",
    "minute",
    "month",
    "name",
    "order",
    "page",
    "paged",
    "post",
    "tag",
    "taxonomy",
    "term",
    "type",
    "year",
}
"""Slugs ``wc_check_if_attribute_name_is_reserved`` refuses (a subset of WordPress's query vars)."""


class Terms:
    def __init__(self, ctx: Context, media: Media) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.media = media

    def ensure_defaults(self) -> None:
        if self.store.setting("default_product_cat") is None:
            self.store.ensure_sequence("term", 14)
            ident = self.store.next_id("term")
            self.store.put(
                "term",
                ident,
                {
                    "id": ident,
                    "taxonomy": "product_cat",
                    "name": "Uncategorized",
                    "slug": "uncategorized",
                    "parent": 0,
                    "description": "",
                    "display": "default",
                    "image_id": 0,
                    "menu_order": 0,
                },
            )
            self.store.set_setting("default_product_cat", ident)

    # --- terms ---------------------------------------------------------------------------------
    def _hierarchical(self, taxonomy: str) -> bool:
        return taxonomy == "product_cat"

    def _count(self, term: Record) -> int:
        """The term's ``count``: published products holding it."""
        field = {"product_cat": "categories", "product_tag": "tags"}.get(term["taxonomy"])
        count = 0
        for product in self.store.records("product"):
            if product["status"] != "publish":
                continue
            if (
                (field is not None and term["id"] in (product.get(field) or []))
                or (
                    term["taxonomy"] == "product_shipping_class"
                    and product.get("shipping_class_id") == term["id"]
                )
                or (
                    term["taxonomy"].startswith("pa_")
                    and any(
                        a.get("key") == term["taxonomy"] and term["name"] in a.get("options", [])
                        for a in product.get("attributes") or []
                    )
                )
            ):
                count += 1
        return count

    def _base(self, taxonomy: str) -> str:
        for base, (name, _) in TAXONOMIES.items():
            if name == taxonomy:
                return f"wc/v3/products/{base}"
        attr = next((a for a in self.store.records("attribute") if a["slug"] == taxonomy), None)
        return f"wc/v3/products/attributes/{attr['id'] if attr else 0}/terms"

    def render(self, term: Record) -> dict[str, Any]:
        """The terms controllers' ``prepare_item_for_response``."""
        taxonomy = term["taxonomy"]
        out: dict[str, Any] = {"id": term["id"], "name": term["name"], "slug": term["slug"]}
        if taxonomy == "product_cat":
            image = self.media.image_view(int(term.get("image_id") or 0)) if term.get("image_id") else None
            if image is not None:
                image = {
                    k: image[k]
                    for k in (
                        "id",
                        "date_created",
                        "date_created_gmt",
                        "date_modified",
                        "date_modified_gmt",
                        "src",
                        "name",
                        "alt",
                    )
                }
            out |= {
                "parent": term.get("parent", 0),
                "description": term.get("description", ""),
                "display": term.get("display", "default"),
                "image": image,
                "menu_order": term.get("menu_order", 0),
            }
        elif taxonomy.startswith("pa_"):
            out |= {"description": term.get("description", ""), "menu_order": term.get("menu_order", 0)}
        else:
            out["description"] = term.get("description", "")
        out["count"] = self._count(term)
        base = self._base(taxonomy)
        links: dict[str, Any] = {
            "self": [{"href": self.ctx.rest_url(f"{base}/{term['id']}")}],
            "collection": [{"href": self.ctx.rest_url(base)}],
        }
        if term.get("parent"):
            links["up"] = [{"href": self.ctx.rest_url(f"{base}/{term['parent']}")}]
        out["_links"] = links
        return out

    def _unique_slug(self, taxonomy: str, slug: str, own: int = 0) -> str:
        taken = {
            t["slug"] for t in self.store.records("term") if t["taxonomy"] == taxonomy and t["id"] != own
        }
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def _image(self, term: Record, image: Any) -> None:
        """``update_term_meta_fields``: ``image.id`` or an uploaded ``image.src``; not an image → none."""
        if not isinstance(image, dict):
            image = {}
        ident = int(image.get("id") or 0) if str(image.get("id") or "0").isdigit() else 0
        if not ident and image.get("src"):
            try:
                ident = self.media.from_url(str(image["src"]), 0)["id"]
            except UploadError as exc:
                raise WooError(exc.code, exc.message, 400) from None
        if ident and self.media.is_image(ident):
            term["image_id"] = ident
            self.media.set_meta(
                ident,
                alt=wc_clean(image.get("alt") or "") or None,
                title=str(image.get("name") or "") or None,
            )
        else:
            term["image_id"] = 0

    def create_term(self, taxonomy: str, body: Any) -> dict[str, Any]:
        """``create_item`` → ``wp_insert_term``."""
        body = body if isinstance(body, dict) else {}
        name = wc_clean(body.get("name") or "")
        if not name:
            raise WooError("empty_term_name", "A name is required for this term.", 400)
        hierarchical = self._hierarchical(taxonomy)
        parent = int(body.get("parent") or 0) if body.get("parent") is not None else 0
        if body.get("parent") is not None and not hierarchical:
            raise WooError(
                "woocommerce_rest_taxonomy_not_hierarchical",
                "Can not set resource parent, taxonomy is not hierarchical.",
                400,
            )
        if parent:
            found = self.store.get("term", parent)
            if found is None or found["taxonomy"] != taxonomy:
                raise WooError("missing_parent", "Parent term does not exist.", 400)
        for term in self.store.records("term"):
            if term["taxonomy"] != taxonomy or term["name"].lower() != name.lower():
                continue
            if hierarchical and term.get("parent", 0) != parent:
                continue
            message = (
                "A term with the name provided already exists with this parent."
                if hierarchical
                else "A term with the name provided already exists in this taxonomy."
            )
            raise WooError("term_exists", message, 400, resource_id=term["id"])
        slug = self._unique_slug(taxonomy, slugify(str(body.get("slug") or name)) or "term")
        ident = self.store.next_id("term")
        created: Record = {
            "id": ident,
            "taxonomy": taxonomy,
            "name": name,
            "slug": slug,
            "parent": parent,
            "description": str(body.get("description") or ""),
            "menu_order": int(body.get("menu_order") or 0),
        }
        if taxonomy == "product_cat":
            created["display"] = body.get("display") if body.get("display") in DISPLAYS else "default"
            created["image_id"] = 0
            if body.get("image") is not None:
                self._image(created, body["image"])
        self.store.put("term", ident, created)
        return self.render(created)

    def update_term(self, taxonomy: str, body: Any) -> dict[str, Any]:
        """``update_item`` → ``wp_update_term``."""
        body = body if isinstance(body, dict) else {}
        ident = int(body.get("id") or 0)
        term = self.store.get("term", ident)
        if term is None or term["taxonomy"] != taxonomy:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        term = dict(term)
        if body.get("parent") is not None:
            if not self._hierarchical(taxonomy):
                raise WooError(
                    "woocommerce_rest_taxonomy_not_hierarchical",
                    "Can not set resource parent, taxonomy is not hierarchical.",
                    400,
                )
            parent = int(body["parent"] or 0)
            if parent:
                found = self.store.get("term", parent)
                if found is None or found["taxonomy"] != taxonomy:
                    raise WooError("missing_parent", "Parent term does not exist.", 400)
            term["parent"] = parent
        if body.get("name") is not None:
            name = wc_clean(body["name"])
            if not name:
                raise WooError("empty_term_name", "A name is required for this term.", 400)
            term["name"] = name
        if body.get("slug") is not None:
            slug = slugify(str(body["slug"]))
            if any(
                t["taxonomy"] == taxonomy and t["slug"] == slug and t["id"] != ident
                for t in self.store.records("term")
            ):
                raise WooError(
                    "duplicate_term_slug",
                    f"The slug &#8220;{slug}&#8221; is already in use by another term.",
                    400,
                )
            term["slug"] = slug or term["slug"]
        if body.get("description") is not None:
            term["description"] = str(body["description"])
        if body.get("menu_order") is not None:
            term["menu_order"] = int(body["menu_order"] or 0)
        if taxonomy == "product_cat":
            if body.get("display") in DISPLAYS:
                term["display"] = body["display"]
            if body.get("image") is not None:
                self._image(term, body["image"])
        self.store.put("term", ident, term)
        return self.render(term)

    def delete_term(self, taxonomy: str, ident: int, force: bool) -> dict[str, Any]:
        """``delete_item``: forced only; the default category stays."""
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)
        term = self.store.get("term", ident)
        if term is None or term["taxonomy"] != taxonomy:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        if ident == self.store.setting("default_product_cat"):
            raise WooError(
                "woocommerce_rest_cannot_delete", "Default product category cannot be deleted.", 500
            )
        rendered = self.render(term)
        self.store.delete("term", ident)
        default = self.store.setting("default_product_cat")
        for product in list(self.store.records("product")):
            changed = dict(product)
            if ident in (product.get("categories") or []):
                changed["categories"] = [c for c in product["categories"] if c != ident] or [default]
            if ident in (product.get("tags") or []):
                changed["tags"] = [t for t in product["tags"] if t != ident]
            if product.get("shipping_class_id") == ident:
                changed["shipping_class_id"] = 0
            if changed != product:
                self.store.put("product", product["id"], changed)
        for term_child in list(self.store.records("term")):
            if term_child["taxonomy"] == taxonomy and term_child.get("parent") == ident:
                self.store.put("term", term_child["id"], {**term_child, "parent": term.get("parent", 0)})
        return rendered

    def list_terms(self, call: Call, taxonomy: str) -> Reply:
        page = page_params(
            call.query,
            orderby=["id", "include", "name", "slug", "term_group", "description", "count"],
            default_orderby="name",
            default_order="asc",
        )
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        hide_empty = bool(call.param("hide_empty"))
        parent = call.param("parent") if self._hierarchical(taxonomy) and call.has("parent") else None
        slugs = call.param("slug")
        product = call.param("product")
        search = str(call.param("search") or "").lower()
        wanted_slugs = {slugs} if isinstance(slugs, str) and slugs else set(slugs or [])
        items = []
        for term in self.store.records("term"):
            if term["taxonomy"] != taxonomy:
                continue
            if include and term["id"] not in include:
                continue
            if term["id"] in exclude:
                continue
            if parent is not None and term.get("parent", 0) != int(parent):
                continue
            if wanted_slugs and term["slug"] not in wanted_slugs:
                continue
            if search and search not in term["name"].lower() and search not in term["slug"].lower():
                continue
            if hide_empty and self._count(term) == 0:
                continue
            if product and not self._on_product(term, int(product)):
                continue
            items.append(term)
        key = {
            "id": lambda t: (t["id"],),
            "slug": lambda t: (t["slug"], t["id"]),
            "count": lambda t: (self._count(t), t["id"]),
            "description": lambda t: (t.get("description", ""), t["id"]),
            "include": lambda t: (include.index(t["id"]) if t["id"] in include else 0,),
        }.get(page.orderby, lambda t: (t["name"].lower(), t["id"]))
        items.sort(key=key, reverse=page.order == "desc")
        return collection(call, [self.render(t) for t in slice_page(items, page)], len(items), page)

    def _on_product(self, term: Record, product_id: int) -> bool:
        product = self.store.get("product", product_id)
        if product is None:
            return False
        field = {"product_cat": "categories", "product_tag": "tags"}.get(term["taxonomy"])
        if field:
            return term["id"] in (product.get(field) or [])
        if term["taxonomy"] == "product_shipping_class":
            return bool(product.get("shipping_class_id") == term["id"])
        return any(
            a.get("key") == term["taxonomy"] and term["name"] in a.get("options", [])
            for a in product.get("attributes") or []
        )

    def _term(self, taxonomy: str, call: Call) -> Record:
        term = self.store.get("term", int(call.param("id") or 0))
        if term is None or term["taxonomy"] != taxonomy:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        return term

    def term_routes(self, base: str, taxonomy: Any) -> list[Route]:
        """The routes of a terms controller at ``base``; ``taxonomy`` maps a call to its taxonomy
        (an unknown attribute raises ``woocommerce_rest_taxonomy_invalid`` first)."""
        name_of = taxonomy if callable(taxonomy) else (lambda c: taxonomy)
        fixed = None if callable(taxonomy) else str(taxonomy)
        hierarchical = fixed == "product_cat"
        schema = attribute_term_schema() if fixed is None else term_schema(hierarchical=hierarchical)
        create_args = {**endpoint_args(schema, "POST"), "name": s("string", required=True)}

        def exists(call: Call) -> bool:
            tax = name_of(call)
            term = self.store.get("term", int(call.param("id") or 0))
            if term is None or term["taxonomy"] != tax:
                raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
            return True

        def checked(call: Call) -> bool:
            name_of(call)
            return True

        def create(call: Call) -> Reply:
            tax = name_of(call)
            rendered = self.create_term(tax, call.values())
            return Reply(
                rendered, 201, {"Location": self.ctx.rest_url(f"{self._base(tax)}/{rendered['id']}")}
            )

        def batch(call: Call) -> Reply:
            tax = name_of(call)
            return run_batch(
                call,
                self.ctx,
                base + "/batch",
                create=lambda b: self.create_term(tax, b),
                update=lambda b: self.update_term(tax, b),
                delete=lambda i: self.delete_term(tax, int(i), True),
            )

        collection_args = term_collection(hierarchical=hierarchical)
        return [
            route(READ, base, lambda c: self.list_terms(c, name_of(c)), "list", collection_args, checked),
            route(CREATE, base, create, "create", create_args, checked),
            route(EDIT, base + "/batch", batch, "batch", {}, checked),
            route(
                READ,
                base + "/<id>",
                lambda c: Reply(self.render(self._term(name_of(c), c))),
                "view",
                {"context": CONTEXT},
            ),
            route(
                EDIT,
                base + "/<id>",
                lambda c: Reply(self.update_term(name_of(c), c.values())),
                "edit",
                endpoint_args(schema, "PUT"),
                exists,
            ),
            route(
                DELETE,
                base + "/<id>",
                lambda c: Reply(
                    self.delete_term(name_of(c), int(c.param("id") or 0), bool(c.param("force")))
                ),
                "delete",
                {"force": FORCE},
                exists,
            ),
        ]

    # --- global attributes -----------------------------------------------------------------
    def render_attribute(self, attr: Record) -> dict[str, Any]:
        return {
            "id": attr["id"],
            "name": attr["name"],
            "slug": attr["slug"],
            "type": attr["type"],
            "order_by": attr["order_by"],
            "has_archives": attr["has_archives"],
            "_links": {
                "self": [{"href": self.ctx.rest_url(f"wc/v3/products/attributes/{attr['id']}")}],
                "collection": [{"href": self.ctx.rest_url("wc/v3/products/attributes")}],
            },
        }

    def _check_slug(self, slug: str, own: int = 0) -> None:
        """``wc_create_attribute``/``wc_update_attribute``'s slug checks."""
        if len(slug) > 28:
            raise WooError(
                "woocommerce_rest_cannot_create",
                f'Slug "{slug}" is too long (28 characters max). Shorten it, please.',
                400,
            )
        if slug in RESERVED:
            raise WooError(
                "woocommerce_rest_cannot_create",
                f'Slug "{slug}" is not allowed because it is a reserved term. Change it, please.',
                400,
            )
        if any(a["slug"] == f"pa_{slug}" and a["id"] != own for a in self.store.records("attribute")):
            raise WooError(
                "woocommerce_rest_cannot_create", f'Slug "{slug}" is already in use. Change it, please.', 400
            )

    def create_attribute(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        name = wc_clean(body.get("name") or "")
        if not name:
            raise WooError("woocommerce_rest_cannot_create", "Please, provide an attribute name.", 400)
        slug = attribute_slug(str(body.get("slug") or name))
        self._check_slug(slug)
        ident = self.store.next_id("attribute")
        attr = {
            "id": ident,
            "name": name,
            "slug": f"pa_{slug}",
            "type": str(body.get("type") or "select"),
            "order_by": str(body.get("order_by") or "menu_order"),
            "has_archives": body.get("has_archives") is True,
        }
        self.store.put("attribute", ident, attr)
        return self.render_attribute(attr)

    def attribute(self, ident: int, code: str = "woocommerce_rest_attribute_invalid") -> Record:
        attr = self.store.get("attribute", ident)
        if attr is None:
            raise WooError(code, "Resource does not exist.", 404)
        return attr

    def update_attribute(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        attr = self.store.get("attribute", int(body.get("id") or 0))
        if attr is None:
            raise WooError("woocommerce_rest_cannot_edit", "Resource does not exist.", 400)
        attr = dict(attr)
        if body.get("name") is not None:
            attr["name"] = wc_clean(body["name"])
        if body.get("slug") is not None:
            slug = attribute_slug(str(body["slug"]))
            self._check_slug(slug, attr["id"])
            old = attr["slug"]
            attr["slug"] = f"pa_{slug}"
            for term in list(self.store.records("term")):
                if term["taxonomy"] == old:
                    self.store.put("term", term["id"], {**term, "taxonomy": attr["slug"]})
        for key in ("type", "order_by"):
            if body.get(key) is not None:
                attr[key] = str(body[key])
        if body.get("has_archives") is not None:
            attr["has_archives"] = body["has_archives"] is True
        self.store.put("attribute", attr["id"], attr)
        return self.render_attribute(attr)

    def delete_attribute(self, ident: int, force: bool) -> dict[str, Any]:
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)
        attr = self.attribute(ident)
        for term in list(self.store.records("term")):
            if term["taxonomy"] == attr["slug"]:
                self.store.delete("term", term["id"])
        self.store.delete("attribute", ident)
        return self.render_attribute(attr)

    def routes(self) -> list[Route]:
        def attr_tax(call: Call) -> str:
            attr = self.store.get("attribute", int(call.param("attribute_id") or 0))
            if attr is None:
                raise WooError("woocommerce_rest_taxonomy_invalid", "Taxonomy does not exist.", 404)
            return str(attr["slug"])

        def known(call: Call) -> bool:
            if self.store.get("attribute", int(call.param("id") or 0)) is None:
                raise WooError("woocommerce_rest_taxonomy_invalid", "Resource does not exist.", 404)
            return True

        def list_attributes(call: Call) -> Reply:
            items = sorted(self.store.records("attribute"), key=lambda a: attribute_slug(str(a["slug"])))
            headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": "1"}
            return Reply([self.render_attribute(a) for a in items], 200, headers)

        def create_attribute(call: Call) -> Reply:
            rendered = self.create_attribute(call.values())
            return Reply(
                rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/products/attributes/{rendered['id']}")}
            )

        attributes = attribute_schema()
        out: list[Route] = []
        for base, (taxonomy, _) in TAXONOMIES.items():
            out += self.term_routes(f"/wc/v3/products/{base}", taxonomy)
        out.append(
            route(
                READ,
                "/wc/v3/products/shipping_classes/slug-suggestion",
                lambda c: Reply(
                    {"slug": self._unique_slug("product_shipping_class", slugify(str(c.param("name") or "")))}
                ),
                "list",
                {"name": s("string", required=True)},
            )
        )
        # The slug suggestion must win over "<id>" routes: it is not numeric, so order does not matter.
        out += [
            route(READ, "/wc/v3/products/attributes", list_attributes, "list", {"context": CONTEXT}),
            route(
                CREATE,
                "/wc/v3/products/attributes",
                create_attribute,
                "create",
                {**endpoint_args(attributes, "POST"), "name": s("string", required=True)},
            ),
            route(
                EDIT,
                "/wc/v3/products/attributes/batch",
                lambda c: run_batch(
                    c,
                    self.ctx,
                    "/wc/v3/products/attributes/batch",
                    create=self.create_attribute,
                    update=self.update_attribute,
                    delete=lambda i: self.delete_attribute(int(i), True),
                ),
                "batch",
                {},
            ),
            route(
                READ,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.render_attribute(self.attribute(int(c.param("id") or 0)))),
                "view",
                {"context": CONTEXT},
                known,
            ),
            route(
                EDIT,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.update_attribute(c.values())),
                "edit",
                endpoint_args(attributes, "PUT"),
                known,
            ),
            route(
                DELETE,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.delete_attribute(int(c.param("id") or 0), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
                known,
            ),
        ]
        out += self.term_routes("/wc/v3/products/attributes/<attribute_id>/terms", attr_tax)
        return out
