"""``/customers`` (WC_REST_Customers_Controller, wc/v3), with the Groups plugin's memberships.

Group membership: the Groups plugin (itthinx) has no REST API, so the shop-side companion maps
the customer meta ``_comptoir_group`` (a group name) into Groups' tables; the sandbox does the
same and keeps groups and memberships for the CSP group prices.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply, collection, page_params, slice_page
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import run_batch
from comptoir.sandbox.woocommerce.resources.catalog_rules import meta_value, update_meta
from comptoir.sandbox.woocommerce.resources.routing import CREATE, DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import endpoint_args, is_email
from comptoir.sandbox.woocommerce.schemas import (
    CONTEXT,
    FORCE,
    customer_collection,
    customer_create_args,
    customer_schema,
    s,
)
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
ALLOWED_ROLES = ["customer", "subscriber"]
"""``woocommerce_rest_customer_allowed_roles``: the roles this endpoint may delete or re-key."""
GROUP_META = "_comptoir_group"


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
        """``WC_REST_Customers_Controller::get_formatted_item_data`` (v3: no order count or total)."""
        created = parse_iso(user["_created"])
        modified = parse_iso(user["_modified"])
        digest = hashlib.md5(str(user["email"]).strip().lower().encode()).hexdigest()
        return {
            "id": user["id"],
            "date_created": wp_date(created),
            "date_created_gmt": wp_date_gmt(created),
            "date_modified": wp_date(modified),
            "date_modified_gmt": wp_date_gmt(modified),
            "email": user["email"],
            "first_name": user["first_name"],
            "last_name": user["last_name"],
            "role": user["role"],
            "username": user["username"],
            "billing": dict(user["billing"]),
            "shipping": dict(user["shipping"]),
            "is_paying_customer": user["is_paying_customer"],
            "avatar_url": f"https://secure.gravatar.com/avatar/{digest}?s=96&d=mm&r=g",
            "meta_data": [dict(m) for m in user["meta_data"]],
            "_links": {
                "self": [{"href": self.ctx.rest_url(f"wc/v3/customers/{user['id']}")}],
                "collection": [{"href": self.ctx.rest_url("wc/v3/customers")}],
            },
        }

    def _unique_username(self, email: str) -> str:
        """``wc_create_new_customer_username``: the e-mail's local part (its domain for generic
        addresses), sanitized; a taken one gets a numeric suffix."""
        local, _, domain = email.partition("@")
        if local in ("sales", "hello", "mail", "contact", "info"):
            local = domain
        base = re.sub(r"[^a-z0-9 _.\-@]", "", local.lower()) or "customer"
        name, n = base, 1
        while self.store.lookup("username", name) is not None:
            name, n = f"{base}-{n:04d}", n + 1
        return name

    def create(self, body: Any) -> dict[str, Any]:
        """``create_item``: ``WC_Customer::set_email`` then ``wc_create_new_customer``."""
        if not isinstance(body, dict):
            body = {}
        if body.get("id"):
            raise WooError("woocommerce_rest_customer_exists", "Cannot create existing resource.", 400)
        email = str(body.get("email") or "").strip()
        if email and not is_email(email):
            raise WooError("customer_invalid_email", "Invalid email address.", 400)
        if not email:
            raise WooError("registration-error-invalid-email", "Please provide a valid email address.", 400)
        if self.store.lookup("email", email) is not None:
            raise WooError(
                "registration-error-email-exists",
                "An account is already registered with your email address. "
                '<a href="#" class="showlogin">Please log in.</a>',
                400,
            )
        username = str(body.get("username") or "").strip() or self._unique_username(email)
        if self.store.lookup("username", username) is not None:
            raise WooError(
                "registration-error-username-exists",
                "An account is already registered with that username. Please choose another.",
                400,
            )
        ident = self.store.next_id("user")
        user = self._blank(ident, email, username, "customer")
        self._apply(user, body)
        user["_password"] = hashlib.sha256(
            str(body.get("password") or secrets.token_hex(8)).encode()
        ).hexdigest()
        self.store.put("user", ident, user)
        self.ctx.emit("customer", "created", ident)
        return self.render(user)

    def update(self, body: Any) -> dict[str, Any]:
        """``update_item``: e-mail checks, username not editable."""
        if not isinstance(body, dict):
            body = {}
        ident = int(body.get("id") or 0)
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 400)
        user = {
            **user,
            "billing": dict(user["billing"]),
            "shipping": dict(user["shipping"]),
            "meta_data": [dict(m) for m in user["meta_data"]],
        }
        email = body.get("email")
        if email and self.store.lookup("email", str(email)) is not None and email != user["email"]:
            raise WooError("woocommerce_rest_customer_invalid_email", "Email address is invalid.", 400)
        if body.get("username") and body["username"] != user["username"]:
            raise WooError("woocommerce_rest_customer_invalid_argument", "Username isn't editable.", 400)
        if email is not None:
            if email and not is_email(str(email)):
                raise WooError("customer_invalid_email", "Invalid email address.", 400)
            user["email"] = str(email)
        if body.get("password"):
            user["_password"] = hashlib.sha256(str(body["password"]).encode()).hexdigest()
        self._apply(user, body)
        user["_modified"] = self.ctx.now().isoformat()
        self.store.put("user", ident, user)
        self.ctx.emit("customer", "updated", ident)
        return self.render(user)

    def _apply(self, user: Record, body: dict[str, Any]) -> None:
        for key in ("first_name", "last_name"):
            if body.get(key) is not None:
                user[key] = str(body[key])
        for section, fields in (("billing", BILLING), ("shipping", SHIPPING)):
            if isinstance(body.get(section), dict):
                for key in fields:
                    if body[section].get(key) is not None:
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

    def delete(self, ident: int, force: bool, reassign: int = 0) -> dict[str, Any]:
        if not force:
            raise WooError("woocommerce_rest_trash_not_supported", "Customers do not support trashing.", 501)
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("wc_user_invalid_id", "Invalid user ID.", 404)
        if reassign and (reassign == ident or self.store.get("user", reassign) is None):
            raise WooError(
                "woocommerce_rest_customer_invalid_reassign", "Invalid resource id for reassignment.", 400
            )
        rendered = self.render(user)
        self.store.delete("user", ident)
        for order in list(self.store.records("order")):
            if order["customer_id"] == ident:
                self.store.put("order", order["id"], {**order, "customer_id": reassign})
        self.ctx.emit("customer", "deleted", ident)
        return rendered

    def get(self, ident: int) -> Record:
        user = self.store.get("user", ident)
        if user is None:
            raise WooError("wc_user_invalid_id", "Invalid user ID.", 404)
        return user

    def list_items(self, call: Call) -> Reply:
        """``get_items``: a ``WP_User_Query`` (role, e-mail, search, include/exclude, order)."""
        query = call.query
        page = page_params(
            query,
            orderby=["id", "include", "name", "registered_date"],
            default_orderby="name",
            default_order="asc",
        )
        role = str(call.param("role") or "customer")
        email = str(call.param("email") or "").lower()
        include = [int(i) for i in call.param("include") or []]
        exclude = {int(i) for i in call.param("exclude") or []}
        search = str(call.param("search") or "").lower()
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
            if search:
                columns = (
                    [user["email"]]
                    if "@" in search
                    else [
                        user["username"],
                        user["email"],
                        user["username"],
                        user.get("display_name", user["username"]),
                    ]
                )
                if search.isdigit():
                    columns = [user["username"], str(user["id"])]
                if not any(search in str(c).lower() for c in columns):
                    continue
            items.append(user)
        key = {
            "id": lambda u: (u["id"],),
            "registered_date": lambda u: (u["_created"], u["id"]),
            "include": lambda u: (include.index(u["id"]) if u["id"] in include else 0,),
        }.get(page.orderby, lambda u: (str(u.get("display_name", u["username"])).lower(), u["id"]))
        items.sort(key=key, reverse=page.order == "desc")
        return collection(call, [self.render(u) for u in slice_page(items, page)], len(items), page)

    def _allowed(self, user: Record) -> bool:
        return user["role"] in ALLOWED_ROLES

    def routes(self) -> list[Route]:
        schema = customer_schema()

        def exists(call: Call) -> bool:
            self.get(int(call.param("id") or 0))
            return True

        def post(call: Call) -> Reply:
            rendered = self.create(call.values())
            return Reply(rendered, 201, {"Location": self.ctx.rest_url(f"wc/v3/customers/{rendered['id']}")})

        def put(call: Call) -> Reply:
            body = call.values()
            user = self.get(int(body.get("id") or 0))
            if not self._allowed(user):
                for prop in ("email", "password"):
                    if body.get(prop) is not None and (prop == "password" or body[prop] != user["email"]):
                        raise WooError(
                            "woocommerce_rest_cannot_edit",
                            f"Sorry, {prop} cannot be updated via this endpoint "
                            f"for a user with role {user['role']}.",
                            403,
                        )
            return Reply(self.update(body))

        def delete(call: Call) -> Reply:
            ident = int(call.param("id") or 0)
            user = self.get(ident)
            if not self._allowed(user):
                raise WooError(
                    "woocommerce_rest_cannot_delete",
                    f"Sorry, users with {user['role']} role cannot be deleted via this endpoint. "
                    f"Allowed roles: {', '.join(ALLOWED_ROLES)}",
                    403,
                )
            return Reply(self.delete(ident, bool(call.param("force")), int(call.param("reassign") or 0)))

        def batch_delete(ident: int) -> dict[str, Any]:
            return self.delete(int(ident), True)

        create_args = {**endpoint_args(schema, "POST"), **customer_create_args()}
        return [
            route(READ, "/wc/v3/customers", self.list_items, "list", customer_collection()),
            route(CREATE, "/wc/v3/customers", post, "create", create_args),
            route(
                EDIT,
                "/wc/v3/customers/batch",
                lambda c: run_batch(
                    c,
                    self.ctx,
                    "/wc/v3/customers/batch",
                    create=self.create,
                    update=self.update,
                    delete=batch_delete,
                ),
                "batch",
                {},
            ),
            route(
                READ,
                "/wc/v3/customers/<id>",
                lambda c: Reply(self.render(self.get(int(c.param("id") or 0)))),
                "view",
                {"context": CONTEXT},
                exists,
            ),
            route(EDIT, "/wc/v3/customers/<id>", put, "edit", endpoint_args(schema, "PUT"), exists),
            route(
                DELETE,
                "/wc/v3/customers/<id>",
                delete,
                "delete",
                {"force": FORCE, "reassign": s("integer", default=0)},
                exists,
            ),
        ]
