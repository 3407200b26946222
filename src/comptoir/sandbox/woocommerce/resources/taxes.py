"""``/taxes`` and ``/taxes/classes`` (WC_REST_Taxes_Controller, WC_REST_Tax_Classes_Controller),
and ``WC_Tax::find_rates``: which rates apply to a location and a tax class."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import batch_route
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args, item_defaults
from comptoir.sandbox.woocommerce.schemas import CONTEXT, FORCE, s, tax_collection, tax_schema
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, slugify, wc_clean

BUILT_IN_CLASSES = [
    {"slug": "standard", "name": "Standard"},
    {"slug": "reduced-rate", "name": "Reduced rate"},
    {"slug": "zero-rate", "name": "Zero rate"},
]


class Taxes:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def ensure_defaults(self) -> None:
        if self.store.setting("tax_classes") is None:
            self.store.set_setting("tax_classes", [c for c in BUILT_IN_CLASSES if c["slug"] != "standard"])

    # --- classes -----------------------------------------------------------------------------
    def classes(self) -> list[dict[str, str]]:
        """``WC_REST_Tax_Classes_Controller::get_items``: ``Standard rate`` first."""
        extra: list[dict[str, str]] = self.store.setting("tax_classes", [])
        return [{"slug": "standard", "name": "Standard rate"}, *extra]

    def render_class(self, entry: dict[str, str]) -> dict[str, Any]:
        return {
            "slug": entry["slug"],
            "name": entry["name"],
            "_links": {"collection": [{"href": self.ctx.rest_url("wc/v3/taxes/classes")}]},
        }

    def create_class(self, body: Any) -> dict[str, Any]:
        """``WC_Tax::create_tax_class``: errors become ``woocommerce_rest_<code>``."""
        body = body if isinstance(body, dict) else {}
        name = wc_clean(body.get("name") or "")
        if not name:
            raise WooError("woocommerce_rest_tax_class_invalid_name", "Tax class requires a valid name", 400)
        existing = self.store.setting("tax_classes", [])
        if any(c["name"] == name for c in existing):
            raise WooError("woocommerce_rest_tax_class_exists", "Tax class already exists", 400)
        slug = slugify(str(body.get("slug") or name))
        if not slug:
            raise WooError("woocommerce_rest_tax_class_slug_invalid", "Tax class slug is invalid", 400)
        if any(c["slug"] == slug for c in existing):
            raise WooError("woocommerce_rest_tax_class_slug_exists", "Tax class slug already exists", 400)
        entry = {"slug": slug, "name": name}
        self.store.set_setting("tax_classes", [*existing, entry])
        return self.render_class(entry)

    def delete_class(self, slug: str, force: bool) -> dict[str, Any]:
        """``WC_Tax::delete_tax_class_by``: the class's rates go, its products become standard."""
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)
        found = next((c for c in self.store.setting("tax_classes", []) if c["slug"] == slug), None)
        if found is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource id.", 400)
        self.store.set_setting(
            "tax_classes", [c for c in self.store.setting("tax_classes", []) if c["slug"] != slug]
        )
        for rate in list(self.store.records("tax_rate")):
            if rate["class"] == slug:
                self.store.delete("tax_rate", rate["id"])
        for kind in ("product", "variation"):
            for product in list(self.store.records(kind)):
                if product.get("tax_class") == slug:
                    self.store.put(kind, product["id"], {**product, "tax_class": ""})
        return self.render_class(found)

    def get_class(self, slug: str) -> list[dict[str, Any]]:
        """``GET taxes/classes/<slug>``: a one-item list, or 404 ``tax_class_invalid_slug``."""
        for entry in self.classes():
            if entry["slug"] == slug:
                return [self.render_class(entry)]
        raise WooError("woocommerce_rest_tax_class_invalid_slug", "Invalid slug.", 404)

    def slugs(self) -> list[str]:
        return [c["slug"] for c in self.classes()[1:]]

    # --- rates -------------------------------------------------------------------------------
    def render(self, rate: Record) -> dict[str, Any]:
        """``prepare_item_for_response``: the last postcode/city, all of them in lists."""
        out = {k: v for k, v in rate.items() if not k.startswith("_")}
        out["postcode"] = rate["postcodes"][-1] if rate["postcodes"] else ""
        out["city"] = rate["cities"][-1] if rate["cities"] else ""
        out["_links"] = {
            "self": [{"href": self.ctx.rest_url(f"wc/v3/taxes/{rate['id']}")}],
            "collection": [{"href": self.ctx.rest_url("wc/v3/taxes")}],
        }
        return out

    def _apply(self, rate: Record, body: dict[str, Any]) -> None:
        """``create_or_update_tax`` + ``WC_Tax::prepare_tax_rate`` and the location updates."""
        if body.get("country") is not None:
            rate["country"] = wc_clean(body["country"]).upper()[:2]
        if body.get("state") is not None:
            rate["state"] = wc_clean(body["state"]).upper()
        if body.get("rate") is not None:
            value = decimal_or_none(body["rate"]) or Decimal(0)
            rate["rate"] = f"{value:.4f}"
        if body.get("name") is not None:
            rate["name"] = wc_clean(body["name"])
        for key in ("priority", "order"):
            if body.get(key) is not None:
                rate[key] = int(body[key] or 0)
        for key in ("compound", "shipping"):
            if body.get(key) is not None:
                rate[key] = bool(body[key])
        if body.get("class") is not None:
            slug = slugify(str(body["class"]))
            rate["class"] = slug if slug in self.slugs() else "standard"
        if body.get("postcode") is not None:
            rate["postcodes"] = _postcodes(str(body["postcode"]).split(";"))
        if isinstance(body.get("postcodes"), list):
            rate["postcodes"] = _postcodes([str(p) for p in body["postcodes"]])
        if body.get("city") is not None:
            rate["cities"] = _cities(str(body["city"]).split(";"))
        if isinstance(body.get("cities"), list):
            rate["cities"] = _cities([str(c) for c in body["cities"]])

    def create_rate(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        if body.get("id"):
            raise WooError("woocommerce_rest_tax_exists", "Cannot create existing resource.", 400)
        ident = self.store.next_id("tax_rate")
        rate: Record = {
            "id": ident,
            "country": "",
            "state": "",
            "postcode": "",
            "city": "",
            "postcodes": [],
            "cities": [],
            "rate": "0.0000",
            "name": "",
            "priority": 1,
            "compound": False,
            "shipping": True,
            "order": 0,
            "class": "standard",
        }
        self._apply(rate, body)
        self.store.put("tax_rate", ident, rate)
        return self.render(rate)

    def update_rate(self, body: Any) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        ident = int(body.get("id") or 0)
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        rate = {**rate, "postcodes": list(rate["postcodes"]), "cities": list(rate["cities"])}
        self._apply(rate, body)
        self.store.put("tax_rate", ident, rate)
        return self.render(rate)

    def delete_rate(self, ident: int, force: bool) -> dict[str, Any]:
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 400)
        self.store.delete("tax_rate", ident)
        return self.render(rate)

    def list_rates(self, call: Call) -> Reply:
        page = page_params(
            call.query, orderby=["id", "order", "priority"], default_orderby="order", default_order="asc"
        )
        wanted = call.param("class")
        items = [r for r in self.store.records("tax_rate") if not wanted or r["class"] == wanted]
        field = {"id": "id", "order": "order", "priority": "priority"}[page.orderby]
        items.sort(key=lambda r: (r.get(field, 0), r["id"]), reverse=page.order == "desc")
        return collection(call, [self.render(r) for r in slice_page(items, page)], len(items), page)

    def find_rates(self, country: str, state: str, postcode: str, city: str, tax_class: str) -> list[Record]:
        """``WC_Tax::find_rates``: per priority, the most specific matching rate of the class."""
        wanted_class = tax_class or "standard"
        matching = []
        for rate in self.store.records("tax_rate"):
            if rate["class"] != wanted_class:
                continue
            if rate["country"] and rate["country"] != country.upper():
                continue
            if rate["state"] and rate["state"] != state.upper():
                continue
            postcodes = rate.get("postcodes") or []
            if postcodes and not any(_postcode_match(p, postcode) for p in postcodes):
                continue
            cities = rate.get("cities") or []
            if cities and city.upper() not in {c.upper() for c in cities}:
                continue
            matching.append(rate)
        matching.sort(key=lambda r: (r["priority"], -_specificity(r), r["order"], r["id"]))
        chosen: dict[int, Record] = {}
        for rate in matching:
            chosen.setdefault(rate["priority"], rate)
        return [chosen[p] for p in sorted(chosen)]

    def routes(self) -> list[Route]:
        def schema() -> dict[str, Any]:
            return tax_schema(self.slugs)

        def exists(call: Call) -> bool:
            return self.store.get("tax_rate", int(call.param("id") or 0)) is not None

        def post_rate(call: Call) -> Reply:
            rendered = self.create_rate(call.values())
            return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/taxes/{rendered['id']}")})

        def post_class(call: Call) -> Reply:
            rendered = self.create_class(call.values())
            return Reply(
                rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/taxes/classes/{rendered['slug']}")}
            )

        def list_classes(call: Call) -> Reply:
            return Reply([self.render_class(c) for c in self.classes()])

        slug = r"<slug:s>"
        return [
            route(READ, "/wc/v3/taxes/classes", list_classes, "list", {"context": CONTEXT}),
            route(CREATE, "/wc/v3/taxes/classes", post_class, "create", {"name": s("string", required=True)}),
            route(
                READ,
                f"/wc/v3/taxes/classes/{slug}",
                lambda c: Reply(self.get_class(str(c.param("slug")))),
                "view",
                {"context": CONTEXT},
            ),
            route(
                DELETE,
                f"/wc/v3/taxes/classes/{slug}",
                lambda c: Reply(self.delete_class(str(c.param("slug")), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
            ),
            route(READ, "/wc/v3/taxes", self.list_rates, "list", lambda: tax_collection(self.slugs)),
            route(CREATE, "/wc/v3/taxes", post_rate, "create", lambda: endpoint_args(schema(), "POST")),
            batch_route(
                self.ctx,
                "/wc/v3/taxes/batch",
                create=self.create_rate,
                update=self.update_rate,
                delete=self.delete_rate,
                defaults=item_defaults(schema()),
            ),
            route(
                READ,
                "/wc/v3/taxes/<id>",
                lambda c: Reply(self.render(self._rate(int(c.param("id") or 0)))),
                "view",
                {"context": CONTEXT},
            ),
            route(
                EDIT,
                "/wc/v3/taxes/<id>",
                lambda c: Reply(self.update_rate(c.values())),
                "edit",
                lambda: endpoint_args(schema(), "PUT"),
                exists,
            ),
            route(
                DELETE,
                "/wc/v3/taxes/<id>",
                lambda c: Reply(self.delete_rate(int(c.param("id") or 0), bool(c.param("force")))),
                "delete",
                {"force": FORCE},
            ),
        ]

    def _rate(self, ident: int) -> Record:
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        return rate


def _postcodes(values: list[str]) -> list[str]:
    """``format_tax_rate_postcode``: trimmed, upper case, empty ones dropped, no duplicates."""
    return list(dict.fromkeys(v.strip().upper() for v in values if v.strip()))


def _cities(values: list[str]) -> list[str]:
    """``format_tax_rate_city``: trimmed, upper case."""
    return list(dict.fromkeys(v.strip().upper() for v in values if v.strip()))


def _postcode_match(pattern: str, postcode: str) -> bool:
    pattern = pattern.strip().upper()
    code = postcode.strip().upper()
    if pattern.endswith("*"):
        return code.startswith(pattern[:-1])
    if "..." in pattern:
        low, high = pattern.split("...", 1)
        return low <= code <= high
    return pattern == code


def _specificity(rate: Record) -> int:
    return sum(1 for key in ("country", "state", "postcode", "city") if rate.get(key))
