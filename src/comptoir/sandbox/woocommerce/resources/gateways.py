"""``/payment_gateways`` (WC_REST_Payment_Gateways_Controller): the core gateways, readable and
editable, not paginated."""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import EDIT, READ, Route, route

CORE = [
    ("bacs", "Direct bank transfer", "Virement bancaire", True),
    ("cheque", "Check payments", "Chèque", True),
    ("cod", "Cash on delivery", "Paiement à la livraison", True),
    ("paypal", "PayPal Standard", "PayPal", False),
]


class Gateways:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def ensure_defaults(self) -> None:
        if self.store.setting("payment_gateways") is None:
            gateways = [
                {
                    "id": ident,
                    "title": title,
                    "description": "",
                    "order": index,
                    "enabled": enabled,
                    "method_title": method,
                    "method_description": "",
                    "method_supports": ["products"],
                    "settings": {
                        "title": {
                            "id": "title",
                            "label": "Title",
                            "description": "",
                            "type": "text",
                            "value": title,
                            "default": title,
                            "tip": "",
                            "placeholder": "",
                        }
                    },
                }
                for index, (ident, method, title, enabled) in enumerate(CORE)
            ]
            self.store.set_setting("payment_gateways", gateways)

    def all(self) -> list[dict[str, Any]]:
        return list(self.store.setting("payment_gateways", []))

    def get(self, ident: str) -> dict[str, Any]:
        for gateway in self.all():
            if gateway["id"] == ident:
                return gateway
        raise WooError("woocommerce_rest_payment_gateway_invalid", "Invalid payment gateway ID.", 404)

    def update(self, call: Call) -> Reply:
        gateway = dict(self.get(call.route["gateway"]))
        body = call.body
        for key in ("title", "description"):
            if key in body:
                gateway[key] = str(body[key])
        if "order" in body:
            gateway["order"] = int(body["order"])
        if "enabled" in body:
            gateway["enabled"] = bool(body["enabled"])
        gateways = [gateway if g["id"] == gateway["id"] else g for g in self.all()]
        self.store.set_setting("payment_gateways", gateways)
        return Reply(gateway)

    def routes(self) -> list[Route]:
        return [
            route(READ, "/wc/v3/payment_gateways", lambda c: Reply(self.all()), "list"),
            route(
                READ,
                "/wc/v3/payment_gateways/<gateway:s>",
                lambda c: Reply(self.get(c.route["gateway"])),
                "view",
            ),
            route(EDIT, "/wc/v3/payment_gateways/<gateway:s>", self.update, "edit"),
        ]
