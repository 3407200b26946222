"""``/products/categories``, ``/products/attributes`` and ``/products/attributes/<id>/terms``
(WC_REST_Terms_Controller and WC_REST_Product_Attributes_Controller, wc/v3)."""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import (
    Call,
    Reply,
    collection,
    page_params,
    parse_bool,
    parse_ids,
    slice_page,
)
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, missing_params
from comptoir.sandbox.woocommerce.resources.batch import batch_route, run_batch
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import slugify

TERM_ORDERBY = ["id", "include", "name", "slug", "term_group", "description", "count"]
DISPLAYS = ["default", "products", "subcategories", "both"]


def _term_missing() -> WooError:
    return WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)


class Terms:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

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
                    "image": None,
                    "menu_order": 0,
                },
            )
            self.store.set_setting("default_product_cat", ident)

    # --- terms (categories, attribute terms) -----------------------------------------------
    def _count(self, term: Record) -> int:
        if term["taxonomy"] != "product_cat":
            return 0
        return sum(1 for p in self.store.records("product") if term["id"] in p["categories"])

    def render(self, term: Record) -> dict[str, Any]:
        out = {k: v for k, v in term.items() if k != "taxonomy"}
        out["count"] = self._count(term)
        if term["taxonomy"] != "product_cat":
            for key in ("parent", "display", "image"):
                out.pop(key, None)
        return out

    def create_term(self, taxonomy: str, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not body.get("name"):
            raise missing_params(["name"])
        name = str(body["name"]).strip()
        parent = int(body.get("parent") or 0)
        if parent and taxonomy == "product_cat":
            found = self.store.get("term", parent)
            if found is None or found["taxonomy"] != taxonomy:
                raise WooError("woocommerce_rest_term_invalid", "Parent term does not exist.", 400)
        for term in self.store.records("term"):
            if (
                term["taxonomy"] == taxonomy
                and term["name"].lower() == name.lower()
                and term.get("parent", 0) == parent
            ):
                raise WooError(
                    "term_exists",
                    "A term with the name provided already exists with this parent.",
                    400,
                    resource_id=term["id"],
                )
        slug = slugify(str(body.get("slug") or name)) or "term"
        taken = {t["slug"] for t in self.store.records("term") if t["taxonomy"] == taxonomy}
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        ident = self.store.next_id("term")
        created: Record = {
            "id": ident,
            "taxonomy": taxonomy,
            "name": name,
            "slug": slug,
            "parent": parent,
            "description": str(body.get("description") or ""),
            "display": body.get("display") if body.get("display") in DISPLAYS else "default",
            "image": None,
            "menu_order": int(body.get("menu_order") or 0),
        }
        self.store.put("term", ident, created)
        return self.render(created)

    def update_term(self, taxonomy: str, body: Any) -> dict[str, Any]:
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        term = self.store.get("term", ident)
        if term is None or term["taxonomy"] != taxonomy:
            raise _term_missing()
        term = dict(term)
        for key in ("name", "description"):
            if key in body and body[key] is not None:
                term[key] = str(body[key])
        if body.get("slug"):
            term["slug"] = slugify(str(body["slug"]))
        if "parent" in body and taxonomy == "product_cat":
            term["parent"] = int(body["parent"] or 0)
        if body.get("display") in DISPLAYS:
            term["display"] = body["display"]
        if "menu_order" in body:
            term["menu_order"] = int(body["menu_order"] or 0)
        self.store.put("term", ident, term)
        return self.render(term)

    def delete_term(self, taxonomy: str, ident: int, force: bool) -> dict[str, Any]:
        term = self.store.get("term", ident)
        if term is None or term["taxonomy"] != taxonomy:
            raise _term_missing()
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)
        if ident == self.store.setting("default_product_cat"):
            raise WooError("woocommerce_rest_cannot_delete", "The resource cannot be deleted.", 500)
        rendered = self.render(term)
        self.store.delete("term", ident)
        return rendered

    def list_terms(self, call: Call, taxonomy: str) -> Reply:
        page = page_params(call.query, orderby=TERM_ORDERBY, default_orderby="name", default_order="asc")
        include = parse_ids(call.query, "include")
        exclude = set(parse_ids(call.query, "exclude"))
        hide_empty = parse_bool("hide_empty", call.query.get("hide_empty") or "false")
        parent = call.query.get("parent")
        slug = call.query.get("slug")
        search = (call.query.get("search") or "").lower()
        items = []
        for term in self.store.records("term"):
            if term["taxonomy"] != taxonomy:
                continue
            if include and term["id"] not in include:
                continue
            if term["id"] in exclude:
                continue
            if parent is not None and parent != "" and term.get("parent", 0) != int(parent):
                continue
            if slug and term["slug"] != slug:
                continue
            if search and search not in term["name"].lower():
                continue
            if hide_empty and self._count(term) == 0:
                continue
            items.append(term)
        key = {
            "id": lambda t: (t["id"],),
            "slug": lambda t: (t["slug"], t["id"]),
            "include": lambda t: (include.index(t["id"]) if t["id"] in include else 0,),
        }.get(page.orderby, lambda t: (t["name"].lower(), t["id"]))
        items.sort(key=key, reverse=page.order == "desc")
        return collection(call, [self.render(t) for t in slice_page(items, page)], len(items), page)

    # --- global attributes -----------------------------------------------------------------
    def render_attribute(self, attr: Record) -> dict[str, Any]:
        return dict(attr)

    def create_attribute(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not body.get("name"):
            raise missing_params(["name"])
        slug = "pa_" + slugify(str(body.get("slug") or body["name"]))
        if any(a["slug"] == slug for a in self.store.records("attribute")):
            raise WooError(
                "woocommerce_rest_cannot_create", f'Slug "{slug}" is already in use. Change it, please.', 400
            )
        ident = self.store.next_id("attribute")
        attr = {
            "id": ident,
            "name": str(body["name"]),
            "slug": slug,
            "type": str(body.get("type") or "select"),
            "order_by": str(body.get("order_by") or "menu_order"),
            "has_archives": bool(body.get("has_archives")),
        }
        self.store.put("attribute", ident, attr)
        return self.render_attribute(attr)

    def attribute(self, ident: int) -> Record:
        attr = self.store.get("attribute", ident)
        if attr is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        return attr

    def update_attribute(self, body: Any) -> dict[str, Any]:
        attr = dict(self.attribute(int(body.get("id") or 0)))
        for key in ("name", "type", "order_by"):
            if body.get(key):
                attr[key] = str(body[key])
        if "has_archives" in body:
            attr["has_archives"] = bool(body["has_archives"])
        self.store.put("attribute", attr["id"], attr)
        return self.render_attribute(attr)

    def delete_attribute(self, ident: int, force: bool) -> dict[str, Any]:
        attr = self.attribute(ident)
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Resource does not support trashing.", 501)
        for term in self.store.records("term"):
            if term["taxonomy"] == attr["slug"]:
                self.store.delete("term", term["id"])
        self.store.delete("attribute", ident)
        return self.render_attribute(attr)

    def routes(self) -> list[Route]:
        cat = "product_cat"

        def attr_tax(call: Call) -> str:
            return str(self.attribute(int(call.route["attribute_id"]))["slug"])

        def force(call: Call) -> bool:
            return parse_bool("force", call.query.get("force") or "false")

        base = "/wc/v3/products/attributes/<attribute_id>/terms"
        return [
            route(READ, "/wc/v3/products/categories", lambda c: self.list_terms(c, cat), "list"),
            route(
                CREATE,
                "/wc/v3/products/categories",
                lambda c: Reply(self.create_term(cat, c.body), 201),
                "create",
            ),
            batch_route(
                self.ctx,
                "/wc/v3/products/categories/batch",
                create=lambda b: self.create_term(cat, b),
                update=lambda b: self.update_term(cat, b),
                delete=lambda i, force: self.delete_term(cat, i, force),
            ),
            route(
                READ,
                "/wc/v3/products/categories/<id>",
                lambda c: Reply(self.render(self._term(cat, c))),
                "view",
            ),
            route(
                EDIT,
                "/wc/v3/products/categories/<id>",
                lambda c: Reply(self.update_term(cat, {**c.body, "id": int(c.route["id"])})),
                "edit",
            ),
            route(
                DELETE,
                "/wc/v3/products/categories/<id>",
                lambda c: Reply(self.delete_term(cat, int(c.route["id"]), force(c))),
                "delete",
            ),
            route(
                READ,
                "/wc/v3/products/attributes",
                lambda c: Reply(
                    [
                        self.render_attribute(a)
                        for a in sorted(self.store.records("attribute"), key=lambda a: a["id"])
                    ]
                ),
                "list",
            ),
            route(
                CREATE,
                "/wc/v3/products/attributes",
                lambda c: Reply(self.create_attribute(c.body), 201),
                "create",
            ),
            batch_route(
                self.ctx,
                "/wc/v3/products/attributes/batch",
                create=self.create_attribute,
                update=self.update_attribute,
                delete=self.delete_attribute,
            ),
            route(
                READ,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.render_attribute(self.attribute(int(c.route["id"])))),
                "view",
            ),
            route(
                EDIT,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.update_attribute({**c.body, "id": int(c.route["id"])})),
                "edit",
            ),
            route(
                DELETE,
                "/wc/v3/products/attributes/<id>",
                lambda c: Reply(self.delete_attribute(int(c.route["id"]), force(c))),
                "delete",
            ),
            route(READ, base, lambda c: self.list_terms(c, attr_tax(c)), "list"),
            route(CREATE, base, lambda c: Reply(self.create_term(attr_tax(c), c.body), 201), "create"),
            route(
                EDIT,
                base + "/batch",
                lambda c: run_batch(
                    c,
                    self.ctx,
                    base + "/batch",
                    create=lambda b: self.create_term(attr_tax(c), b),
                    update=lambda b: self.update_term(attr_tax(c), b),
                    delete=lambda i: self.delete_term(attr_tax(c), int(i), True),
                ),
                "batch",
            ),
            route(READ, base + "/<id>", lambda c: Reply(self.render(self._term(attr_tax(c), c))), "view"),
            route(
                EDIT,
                base + "/<id>",
                lambda c: Reply(self.update_term(attr_tax(c), {**c.body, "id": int(c.route["id"])})),
                "edit",
            ),
            route(
                DELETE,
                base + "/<id>",
                lambda c: Reply(self.delete_term(attr_tax(c), int(c.route["id"]), force(c))),
                "delete",
            ),
        ]

    def _term(self, taxonomy: str, call: Call) -> Record:
        term = self.store.get("term", int(call.route["id"]))
        if term is None or term["taxonomy"] != taxonomy:
            raise _term_missing()
        return term
