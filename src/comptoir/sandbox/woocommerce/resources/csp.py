"""Customer Specific Pricing (WisdmLabs) API in ``wc/v3/csp``: customer (``usp``), role (``rsp``)
and group (``gsp``, Groups plugin) prices. Rows are keyed by product, target and minimum quantity;
answers are per row, keyed by the client's ``hash``: ``{"success": {hash: …}, "failed": {hash: …}}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import DELETE, EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.store import Record
from comptoir.sandbox.woocommerce.text import decimal_or_none, format_decimal

# kind → (record kind, body key, target field, price field)
KINDS = {
    "usp": ("csp_usp", "csp_data", "customer_id", "csp_price"),
    "rsp": ("csp_rsp", "rsp_data", "role", "rsp_price"),
    "gsp": ("csp_gsp", "gsp_data", "group_name", "gsp_price"),
}


class CustomerPricing:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def _target_ok(self, kind: str, target: Any) -> bool:
        if kind == "usp":
            try:
                return self.store.get("user", int(target)) is not None
            except (TypeError, ValueError):
                return False
        if kind == "gsp":
            return any(g["name"].lower() == str(target).lower() for g in self.store.records("group"))
        return bool(str(target or ""))

    def _key(self, kind: str, row: dict[str, Any]) -> tuple[int, str, str]:
        _, _, target, _ = KINDS[kind]
        qty = format_decimal(decimal_or_none(row.get("min_qty")) or Decimal(1))
        return int(row.get("product_id") or 0), str(row.get(target)).lower(), qty

    @staticmethod
    def _index_key(kind: str, key: tuple[int, str, str]) -> str:
        return f"{kind}|{key[0]}|{key[1]}|{key[2]}"

    def _existing(self, kind: str, key: tuple[int, str, str]) -> Record | None:
        found = self.store.lookup("csp", self._index_key(kind, key))
        return self.store.get(*found) if found is not None else None

    def write(self, kind: str, call: Call, delete: bool) -> Reply:
        record_kind, body_key, target, price_key = KINDS[kind]
        rows = call.body.get(body_key) if isinstance(call.body, dict) else None
        if not isinstance(rows, list):
            raise WooError(
                "rest_invalid_param", f"Invalid parameter(s): {body_key}", 400, params={body_key: "required"}
            )
        success: dict[str, str] = {}
        failed: dict[str, str] = {}
        for row in rows:
            if not isinstance(row, dict):
                continue
            tag = str(row.get("hash") or "")
            if not tag:
                failed[f"row-{len(failed)}"] = "hash-invalid"
                continue
            product_id = int(row.get("product_id") or 0)
            if (
                self.store.get("product", product_id) is None
                and self.store.get("variation", product_id) is None
            ):
                failed[tag] = "product-invalid"
                continue
            if not self._target_ok(kind, row.get(target)):
                failed[tag] = {"usp": "user-invalid", "rsp": "role-invalid", "gsp": "group-invalid"}[kind]
                continue
            key = self._key(kind, row)
            existing = self._existing(kind, key)
            if delete:
                if existing is None:
                    failed[tag] = "csp-not-found"
                else:
                    self.store.delete(record_kind, existing["id"])
                    success[tag] = "deleted"
                continue
            discount_type = str(row.get("discount_type") or "flat")
            price = decimal_or_none(row.get(price_key))
            if (
                discount_type not in ("flat", "%")
                or price is None
                or price < 0
                or (discount_type == "%" and price > 100)
            ):
                failed[tag] = "discount-invalid"
                continue
            ident = existing["id"] if existing else self.store.next_id(record_kind)
            self.store.put(
                record_kind,
                ident,
                {
                    "id": ident,
                    "product_id": product_id,
                    target: row.get(target),
                    "min_qty": key[2],
                    "discount_type": discount_type,
                    price_key: format_decimal(price),
                    "_key": self._index_key(kind, key),
                },
            )
            success[tag] = "updated" if existing else "added"
        return Reply({"success": success, "failed": failed})

    def read(self, kind: str, product_id: int | None, target: str | None) -> Reply:
        record_kind, _, target_field, price_key = KINDS[kind]
        out: dict[str, list[dict[str, Any]]] = {}
        for record in sorted(self.store.records(record_kind), key=lambda r: r["id"]):
            if product_id is not None and record["product_id"] != product_id:
                continue
            if target is not None and str(record[target_field]).lower() != target.lower():
                continue
            entry = {
                "min_qty": record["min_qty"],
                "discount_type": record["discount_type"],
                price_key: record[price_key],
            }
            if product_id is None or target is None:
                entry[target_field] = record[target_field]
            out.setdefault(str(record["product_id"]), []).append(entry)
        return Reply(out)

    def routes(self) -> list[Route]:
        routes: list[Route] = []
        for kind in KINDS:
            routes += self._kind_routes(kind)
        routes += [
            route(
                READ, "/wc/v3/csp/usp/user-id/<uid>", lambda c: self.read("usp", None, c.route["uid"]), "view"
            ),
            route(
                READ,
                "/wc/v3/csp/usp/product-id/<pid>/user-id/<uid>",
                lambda c: self.read("usp", int(c.route["pid"]), c.route["uid"]),
                "view",
            ),
            route(READ, "/wc/v3/csp/usp/email/<email:s>", self._by_email, "view"),
            route(
                READ,
                "/wc/v3/csp/rsp/role/<role:s>",
                lambda c: self.read("rsp", None, c.route["role"]),
                "view",
            ),
            route(READ, "/wc/v3/csp/gsp/group", lambda c: self.read("gsp", None, None), "view"),
        ]
        return routes

    def _kind_routes(self, kind: str) -> list[Route]:
        base = f"/wc/v3/csp/{kind}"

        def write(call: Call) -> Reply:
            return self.write(kind, call, False)

        def remove(call: Call) -> Reply:
            return self.write(kind, call, True)

        def read(call: Call) -> Reply:
            return self.read(kind, int(call.route["pid"]), None)

        return [
            route(EDIT, base, write, "edit"),
            route(DELETE, base, remove, "delete"),
            route(READ, base + "/product-id/<pid>", read, "view"),
        ]

    def _by_email(self, call: Call) -> Reply:
        found = self.store.lookup("email", call.route["email"])
        if found is None:
            return Reply({})
        return self.read("usp", None, str(found[1]))
