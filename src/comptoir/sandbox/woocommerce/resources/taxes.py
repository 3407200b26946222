"""``/taxes`` and ``/taxes/classes`` (WC_REST_Taxes_Controller, WC_REST_Tax_Classes_Controller),
and ``WC_Tax::find_rates``: which rates apply to a location and a tax class."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, parse_bool, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, missing_params
from comptoir.sandbox.woocommerce.resources.batch import resource_routes
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, READ, Route, route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, slugify

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
        extra: list[dict[str, str]] = self.store.setting("tax_classes", [])
        return [BUILT_IN_CLASSES[0], *extra]

    def create_class(self, body: Any) -> dict[str, Any]:
        name = str(body.get("name") or "").strip() if isinstance(body, dict) else ""
        if not name:
            raise missing_params(["name"])
        slug = slugify(str(body.get("slug") or name))
        if any(c["slug"] == slug or c["name"] == name for c in self.classes()):
            raise WooError("woocommerce_rest_tax_class_exists", "Tax class already exists", 400)
        entry: dict[str, Any] = {"slug": slug, "name": name}
        self.store.set_setting("tax_classes", [*self.store.setting("tax_classes", []), entry])
        return entry

    def delete_class(self, slug: str, force: bool) -> dict[str, Any]:
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)
        found: dict[str, Any] | None = next(
            (c for c in self.store.setting("tax_classes", []) if c["slug"] == slug), None
        )
        if found is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource id.", 404)
        self.store.set_setting(
            "tax_classes", [c for c in self.store.setting("tax_classes", []) if c["slug"] != slug]
        )
        for rate in self.store.records("tax_rate"):
            if rate["class"] == slug:
                self.store.delete("tax_rate", rate["id"])
        return found

    # --- rates -------------------------------------------------------------------------------
    def render(self, rate: Record) -> dict[str, Any]:
        return dict(rate)

    def _apply(self, rate: Record, body: dict[str, Any]) -> None:
        for key in ("country", "state"):
            if key in body and body[key] is not None:
                rate[key] = str(body[key]).upper()
        for key in ("postcode", "city", "name"):
            if key in body and body[key] is not None:
                rate[key] = str(body[key])
        for key in ("postcodes", "cities"):
            if isinstance(body.get(key), list):
                rate[key] = [str(v) for v in body[key]]
        if "rate" in body:
            value = decimal_or_none(body["rate"]) or Decimal(0)
            rate["rate"] = f"{value:.4f}"
        for key in ("priority", "order"):
            if key in body:
                rate[key] = int(body[key] or 0)
        for key in ("compound", "shipping"):
            if key in body:
                rate[key] = bool(body[key])
        if "class" in body:
            slug = str(body["class"] or "standard")
            rate["class"] = slug if any(c["slug"] == slug for c in self.classes()) else "standard"

    def create_rate(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            body = {}
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
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        rate = dict(rate)
        self._apply(rate, body)
        self.store.put("tax_rate", ident, rate)
        return self.render(rate)

    def delete_rate(self, ident: int, force: bool) -> dict[str, Any]:
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Taxes do not support trashing.", 501)
        self.store.delete("tax_rate", ident)
        return self.render(rate)

    def list_rates(self, call: Call) -> Reply:
        page = page_params(
            call.query, orderby=["id", "order", "priority"], default_orderby="order", default_order="asc"
        )
        wanted = call.query.get("class")
        items = [r for r in self.store.records("tax_rate") if not wanted or r["class"] == wanted]
        items.sort(key=lambda r: (r.get(page.orderby, 0), r["id"]), reverse=page.order == "desc")
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
            postcodes = rate.get("postcodes") or ([rate["postcode"]] if rate.get("postcode") else [])
            if postcodes and not any(_postcode_match(p, postcode) for p in postcodes):
                continue
            cities = rate.get("cities") or ([rate["city"]] if rate.get("city") else [])
            if cities and city.upper() not in {c.upper() for c in cities}:
                continue
            matching.append(rate)
        matching.sort(key=lambda r: (r["priority"], -_specificity(r), r["order"], r["id"]))
        chosen: dict[int, Record] = {}
        for rate in matching:
            chosen.setdefault(rate["priority"], rate)
        return [chosen[p] for p in sorted(chosen)]

    def routes(self) -> list[Route]:
        def force(call: Call) -> bool:
            return parse_bool("force", call.query.get("force") or "false")

        return [
            route(READ, "/wc/v3/taxes/classes", lambda c: Reply(self.classes()), "list"),
            route(CREATE, "/wc/v3/taxes/classes", lambda c: Reply(self.create_class(c.body), 201), "create"),
            route(
                DELETE,
                "/wc/v3/taxes/classes/<slug:s>",
                lambda c: Reply(self.delete_class(c.route["slug"], force(c))),
                "delete",
            ),
            *resource_routes(
                self.ctx,
                "/wc/v3/taxes",
                list_items=self.list_rates,
                view=lambda c: Reply(self.render(self._rate(int(c.route["id"])))),
                create=self.create_rate,
                update=self.update_rate,
                delete=self.delete_rate,
            ),
        ]

    def _rate(self, ident: int) -> Record:
        rate = self.store.get("tax_rate", ident)
        if rate is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)
        return rate


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
