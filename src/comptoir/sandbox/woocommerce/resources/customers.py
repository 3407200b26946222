"""``/customers`` (WC_REST_Customers_Controller, wc/v3), with the Groups plugin's memberships.

Group membership: the Groups plugin (itthinx) has no REST API, so the shop-side companion maps
the customer meta ``_comptoir_group`` (a group name) into Groups' tables; the sandbox does the
same and keeps groups and memberships for the CSP group prices.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from comptoir.sandbox.woocommerce.calls import (
    Call,
    Reply,
    collection,
    page_params,
    parse_ids,
    slice_page,
)
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError, missing_params
from comptoir.sandbox.woocommerce.resources.batch import resource_routes
from comptoir.sandbox.woocommerce.resources.catalog_rules import meta_value, update_meta
from comptoir.sandbox.woocommerce.resources.routing import Route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import parse_iso, wp_date, wp_date_gmt

BILLING = [
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
    "email",
    "phone",
]
SHIPPING = [field for field in BILLING if field != "email"]
"""The shipping address has the billing fields but the e-mail."""
ROLES = ["all", "administrator", "editor", "author", "contributor", "subscriber", "customer", "shop_manager"]
GROUP_META = "_comptoir_group"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Customers:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def ensure_defaults(self) -> None:
        if self.store.get("user", 1) is None:
            self.store.ensure_sequence("user", 0)
            ident = self.store.next_id("user")
            self.store.put("user", ident, self._blank(ident, "admin@shop.example", "admin", "administrator"))
        if self.store.get("group", 1) is None:
            self.store.ensure_sequence("group", 0)
            self.store.put(
                "group", self.store.next_id("group"), {"id": 1, "name": "Registered", "parent_id": None}
            )

    def _blank(self, ident: int, email: str, username: str, role: str) -> Record:
        moment = self.ctx.now().isoformat()
        return {
            "id": ident,
            "email": email,
            "first_name": "",
            "last_name": "",
            "role": role,
            "username": username,
            "billing": {k: "" for k in BILLING},
            "shipping": {k: "" for k in SHIPPING},
            "is_paying_customer": False,
            "meta_data": [],
            "_created": moment,
            "_modified": moment,
            "_groups": [1],
        }

    def render(self, user: Record) -> dict[str, Any]:
        created = parse_iso(user["_created"])
        modified = parse_iso(user["_modified"])
        out = {k: v for k, v in user.items() if not k.startswith("_")}
        out.update(
            date_created=wp_date(created),
            date_created_gmt=wp_date_gmt(created),
            date_modified=wp_date(modified),
            date_modified_gmt=wp_date_gmt(modified),
            avatar_url="https://secure.gravatar.com/avatar/?s=96&d=mm&r=g",
            _links={
                "self": [{"href": f"/wp-json/wc/v3/customers/{user['id']}"}],
                "collection": [{"href": "/wp-json/wc/v3/customers"}],
            },
        )
        return out

    def _unique_username(self, email: str) -> str:
        base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()) or "customer"
        taken = {u["username"] for u in self.store.records("user")}
        name, n = base, 1
        while name in taken:
            name, n = f"{base}{n}", n + 1
        return name

    def create(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise missing_params(["email"])
        if body.get("id"):
            raise WooError("woocommerce_rest_customer_exists", "Cannot create existing resource.", 400)
        email = str(body.get("email") or "").strip()
        if not email:
            raise missing_params(["email"])
        if not _EMAIL.match(email):
            raise WooError("registration-error-invalid-email", "Please provide a valid email address.", 400)
        if self.store.lookup("email", email) is not None:
            raise WooError(
                "registration-error-email-exists",
                'An account is already registered with your email address. <a href="#" class="showlogin">'
                "Please log in.</a>",
                400,
            )
        username = str(body.get("username") or "") or self._unique_username(email)
        if any(u["username"] == username for u in self.store.records("user")):
            raise WooError(
                "registration-error-username-exists",
                "An account is already registered with that username. Please choose another.",
                400,
            )
        ident = self.store.next_id("user")
        user = self._blank(ident, email, username, "customer")
        self._apply(user, body)
        user["_password"] = secrets.token_hex(8)
        self.store.put("user", ident, user)
        self.ctx.emit("customer", "created", ident)
        return self.render(user)

    def update(self, body: Any) -> dict[str, Any]:
        ident = int(body.get("id") or 0) if isinstance(body, dict) else 0
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 400)
        user = {
            **user,
            "billing": dict(user["billing"]),
            "shipping": dict(user["shipping"]),
            "meta_data": [dict(m) for m in user["meta_data"]],
        }
        if body.get("email") and body["email"] != user["email"]:
            email = str(body["email"]).strip()
            holder = self.store.lookup("email", email)
            if not _EMAIL.match(email) or (holder is not None and holder[1] != ident):
                raise WooError("customer_invalid_email", "Invalid email address.", 400)
            user["email"] = email
        self._apply(user, body)
        user["_modified"] = self.ctx.now().isoformat()
        self.store.put("user", ident, user)
        self.ctx.emit("customer", "updated", ident)
        return self.render(user)

    def _apply(self, user: Record, body: dict[str, Any]) -> None:
        for key in ("first_name", "last_name"):
            if body.get(key) is not None:
                user[key] = str(body[key])
        if body.get("role") in ROLES[1:]:
            user["role"] = body["role"]
        for section, fields in (("billing", BILLING), ("shipping", SHIPPING)):
            if isinstance(body.get(section), dict):
                for key in fields:
                    if key in body[section] and body[section][key] is not None:
                        user[section][key] = str(body[section][key])
        update_meta(self.ctx, user, body.get("meta_data"))
        group_name = meta_value(user, GROUP_META)
        groups = [1]
        if group_name:
            groups.append(self.group_id(str(group_name)))
        user["_groups"] = groups

    def group_id(self, name: str) -> int:
        for group in self.store.records("group"):
            if group["name"].lower() == name.lower():
                return int(group["id"])
        ident = self.store.next_id("group")
        self.store.put("group", ident, {"id": ident, "name": name, "parent_id": None})
        return ident

    def delete(self, ident: int, force: bool) -> dict[str, Any]:
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("wc_user_invalid_id", "Invalid user ID.", 404)
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501)
        rendered = self.render(user)
        self.store.delete("user", ident)
        self.ctx.emit("customer", "deleted", ident)
        return rendered

    def get(self, ident: int) -> Record:
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("wc_user_invalid_id", "Invalid user ID.", 404)
        return user

    def list_items(self, call: Call) -> Reply:
        query = call.query
        page = page_params(
            query,
            orderby=["id", "include", "name", "registered_date"],
            default_orderby="name",
            default_order="asc",
        )
        role = query.get("role") or "customer"
        if role not in ROLES:
            from comptoir.sandbox.woocommerce.calls import parse_enum

            parse_enum("role", role, ROLES)
        email = (query.get("email") or "").lower()
        include = parse_ids(query, "include")
        exclude = set(parse_ids(query, "exclude"))
        search = (query.get("search") or "").lower()
        items = []
        for user in self.store.records("user"):
            if role != "all" and user["role"] != role:
                continue
            if email and user["email"].lower() != email:
                continue
            if include and user["id"] not in include:
                continue
            if user["id"] in exclude:
                continue
            if (
                search
                and search
                not in f"{user['email']} {user['username']} {user['first_name']} {user['last_name']}".lower()
            ):
                continue
            items.append(user)
        key = {
            "id": lambda u: (u["id"],),
            "registered_date": lambda u: (u["_created"], u["id"]),
            "include": lambda u: (include.index(u["id"]) if u["id"] in include else 0,),
        }.get(page.orderby, lambda u: (u["username"], u["id"]))
        items.sort(key=key, reverse=page.order == "desc")
        return collection(call, [self.render(u) for u in slice_page(items, page)], len(items), page)

    def routes(self) -> list[Route]:
        return resource_routes(
            self.ctx,
            "/wc/v3/customers",
            list_items=self.list_items,
            view=lambda c: Reply(self.render(self.get(int(c.route["id"])))),
            create=self.create,
            update=self.update,
            delete=self.delete,
        )
