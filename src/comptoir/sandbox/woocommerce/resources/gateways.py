"""``/payment_gateways`` (WC_REST_Payment_Gateways_Controller, wc/v3): WooCommerce's offline
gateways (``class-wc-gateway-bacs.php``, ``-cheque.php``, ``-cod.php``) and PayPal Standard, with
their form fields as REST settings (``enabled`` and ``description`` are top-level fields, not
settings). Not paginated; unknown ids are ``woocommerce_rest_payment_gateway_invalid``.

The sandbox shop has bacs, cheque and cod enabled with French titles (its configuration, as a
French shop would set them); PayPal Standard stays disabled. Everything else is WooCommerce's
default.
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.schemas import CONTEXT, s

TITLE_DESC = "This controls the title which the user sees during checkout."
DESCRIPTION_DESC = "Payment method description that the customer will see on your checkout."
INSTRUCTIONS_DESC = "Instructions that will be added to the thank you page and emails."


def _field(
    ident: str, label: str, kind: str, default: Any, desc: str = "", *, tip: bool = True, **extra: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "label": label,
        "description": desc,
        "type": kind,
        "default": default,
        "tip": desc if tip else "",
        "placeholder": "",
        **extra,
    }


GATEWAYS: dict[str, dict[str, Any]] = {
    "bacs": {
        "method_title": "Direct bank transfer",
        "method_description": "Take payments in person via BACS. More commonly known as direct "
        "bank/wire transfer.",
        "supports": ["products"],
        "description": "Make your payment directly into our bank account. Please use your Order ID as the "
        "payment reference. Your order will not be shipped until the funds have cleared in our account.",
        "fields": [
            _field("title", "Title", "safe_text", "Direct bank transfer", TITLE_DESC),
            _field("instructions", "Instructions", "textarea", "", INSTRUCTIONS_DESC),
        ],
    },
    "cheque": {
        "method_title": "Check payments",
        "method_description": "Take payments in person via checks. This offline gateway can also be "
        "useful to test purchases.",
        "supports": ["products"],
        "description": "Please send a check to Store Name, Store Street, Store Town, Store State / County, "
        "Store Postcode.",
        "fields": [
            _field("title", "Title", "safe_text", "Check payments", TITLE_DESC),
            _field("instructions", "Instructions", "textarea", "", INSTRUCTIONS_DESC),
        ],
    },
    "cod": {
        "method_title": "Cash on delivery",
        "method_description": "Have your customers pay with cash (or by other means) upon delivery.",
        "supports": ["products"],
        "description": "Pay with cash upon delivery.",
        "fields": [
            _field(
                "title",
                "Title",
                "safe_text",
                "Cash on delivery",
                "Payment method description that the customer will see on your checkout.",
            ),
            _field(
                "instructions",
                "Instructions",
                "textarea",
                "Pay with cash upon delivery.",
                "Instructions that will be added to the thank you page.",
            ),
            _field(
                "enable_for_virtual",
                "Accept for virtual orders",
                "checkbox",
                "yes",
                "Accept COD if the order is virtual",
                tip=False,
            ),
        ],
    },
    "paypal": {
        "method_title": "PayPal Standard",
        "method_description": "PayPal Standard redirects customers to PayPal to enter their payment "
        "information.",
        "supports": ["products", "refunds"],
        "description": "Pay via PayPal; you can pay with your credit card if you don't have a PayPal "
        "account.",
        "fields": [
            _field("title", "Title", "text", "PayPal", TITLE_DESC),
            _field(
                "email",
                "PayPal email",
                "email",
                "",
                "Please enter your PayPal email address; this is needed in order to take payment.",
            ),
            _field(
                "paymentaction",
                "Payment action",
                "select",
                "sale",
                "Choose whether you wish to capture funds immediately or authorize payment only.",
                options={"sale": "Capture", "authorization": "Authorize"},
            ),
            _field(
                "testmode",
                "PayPal sandbox",
                "checkbox",
                "no",
                "PayPal sandbox can be used to test payments.",
                tip=False,
            ),
        ],
    },
}
ORDER = ["bacs", "cheque", "cod", "paypal"]
SANDBOX = {
    "bacs": {"enabled": True, "title": "Virement bancaire"},
    "cheque": {"enabled": True, "title": "Chèque"},
    "cod": {"enabled": True, "title": "Paiement à la livraison"},
}
"""The sandbox shop's configuration of its gateways."""


class Gateways:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def ensure_defaults(self) -> None:
        stored = self.store.setting("payment_gateways")
        if stored is None or any("settings" in g for g in stored):
            # One entry per gateway: what the shop changed from WooCommerce's defaults.
            self.store.set_setting(
                "payment_gateways", [{"id": ident, **SANDBOX.get(ident, {})} for ident in ORDER]
            )

    def _state(self, ident: str) -> dict[str, Any]:
        for entry in self.store.setting("payment_gateways", []):
            if entry["id"] == ident:
                return dict(entry)
        raise WooError("woocommerce_rest_payment_gateway_invalid", "Resource does not exist.", 404)

    def render(self, ident: str) -> dict[str, Any]:
        """``prepare_item_for_response`` (v3)."""
        definition = GATEWAYS[ident]
        state = self._state(ident)
        settings = {}
        for field in definition["fields"]:
            settings[field["id"]] = {**field, "value": state.get(field["id"], field["default"])}
        return {
            "id": ident,
            "title": state.get("title", definition["fields"][0]["default"]),
            "description": state.get("description", definition["description"]),
            "order": state.get("order", ""),
            "enabled": bool(state.get("enabled", False)),
            "method_title": definition["method_title"],
            "method_description": definition["method_description"],
            "method_supports": list(definition["supports"]),
            "settings": settings,
            "needs_setup": ident == "paypal" and not state.get("email"),
            "post_install_scripts": [],
            "settings_url": f"{self.ctx.site_url}/wp-admin/admin.php?page=wc-settings&tab=checkout"
            f"&section={ident}",
            "connection_url": None,
            "setup_help_text": None,
            "required_settings_keys": [],
            "_links": {
                "self": [{"href": self.ctx.rest_url(f"wc/v3/payment_gateways/{ident}")}],
                "collection": [{"href": self.ctx.rest_url("wc/v3/payment_gateways")}],
            },
        }

    def all(self) -> list[dict[str, Any]]:
        return [self.render(ident) for ident in ORDER]

    def update(self, call: Call) -> Reply:
        """``update_item``: settings checked per type, then enabled/order/title/description."""
        ident = str(call.param("id"))
        state = self._state(ident)
        definition = GATEWAYS[ident]
        settings = call.param("settings")
        if isinstance(settings, dict):
            fields = {f["id"]: f for f in definition["fields"]}
            for key, value in settings.items():
                field = fields.get(key)
                if field is None:
                    continue
                if field["type"] == "select" and str(value) not in field.get("options", {}):
                    raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
                if field["type"] == "checkbox" and value not in ("yes", "no"):
                    if value:
                        raise WooError(
                            "rest_setting_value_invalid", "An invalid setting value was passed.", 400
                        )
                    value = field["default"]
                state[key] = str(value)
        if call.param("enabled") is not None:
            state["enabled"] = bool(call.param("enabled"))
        if call.param("order") is not None:
            state["order"] = int(call.param("order"))
        for key in ("title", "description"):
            if call.param(key) is not None:
                state[key] = str(call.param(key))
        entries = [state if e["id"] == ident else e for e in self.store.setting("payment_gateways", [])]
        self.store.set_setting("payment_gateways", entries)
        return Reply(self.render(ident))

    def routes(self) -> list[Route]:
        update_args = {
            "title": s("string"),
            "description": s("string"),
            "order": s("integer"),
            "enabled": s("boolean"),
            "settings": s("object"),
        }
        return [
            route(READ, "/wc/v3/payment_gateways", lambda c: Reply(self.all()), "list", {"context": CONTEXT}),
            route(
                READ,
                "/wc/v3/payment_gateways/<id:s>",
                lambda c: (
                    Reply(self.render(str(c.param("id")))) if self._state(str(c.param("id"))) else Reply({})
                ),
                "view",
                {"context": CONTEXT},
            ),
            route(EDIT, "/wc/v3/payment_gateways/<id:s>", self.update, "edit", update_args),
        ]
