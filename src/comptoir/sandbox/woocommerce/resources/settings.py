"""``/settings/tax`` (WC_REST_Setting_Options_Controller, wc/v3): the tax options that decide how
order totals are computed, readable and writable like WooCommerce's own.

* ``woocommerce_prices_include_tax`` (``yes``/``no``, default ``no``): prices are entered with
  tax; orders created afterwards carry ``prices_include_tax`` and take their lines' net amounts
  out of the prices with tax;
* ``woocommerce_tax_round_at_subtotal`` (``yes``/``no``, default ``no``): tax is rounded once per
  rate on the subtotal instead of on each line.

Other groups and options answer as WooCommerce does for unknown ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.routing import EDIT, READ, Route, route

PRICES_INCLUDE_TAX = "woocommerce_prices_include_tax"
ROUND_AT_SUBTOTAL = "woocommerce_tax_round_at_subtotal"


@dataclass(frozen=True)
class _Option:
    label: str
    description: str
    kind: str
    options: dict[str, str] | None = None


OPTIONS: dict[str, _Option] = {
    PRICES_INCLUDE_TAX: _Option(
        "Prices entered with tax",
        "This option is important as it will affect how you input prices. Changing it will not update "
        "existing products.",
        "radio",
        {
            "yes": "Yes, I will enter prices inclusive of tax",
            "no": "No, I will enter prices exclusive of tax",
        },
    ),
    ROUND_AT_SUBTOTAL: _Option(
        "Rounding", "Round tax at subtotal level, instead of rounding per line", "checkbox"
    ),
}


class Settings:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.store = ctx.store

    def value(self, ident: str) -> str:
        return str(self.store.setting(f"option:{ident}", "no"))

    def enabled(self, ident: str) -> bool:
        return self.value(ident) == "yes"

    def render(self, ident: str) -> dict[str, Any]:
        option = OPTIONS[ident]
        out: dict[str, Any] = {
            "id": ident,
            "label": option.label,
            "description": option.description,
            "type": option.kind,
            "default": "no",
            "value": self.value(ident),
            "group_id": "tax",
        }
        if option.options is not None:
            out["options"] = option.options
        return out

    def update(self, ident: str, body: Any) -> dict[str, Any]:
        value = str(body.get("value", "")) if isinstance(body, dict) else ""
        if value not in ("yes", "no"):
            raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
        self.store.set_setting(f"option:{ident}", value)
        return self.render(ident)

    def routes(self) -> list[Route]:
        def known(call: Call) -> str:
            if call.route["group"] != "tax":
                raise WooError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
            ident = call.route.get("ident", "")
            if ident and ident not in OPTIONS:
                raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)
            return ident

        def listing(call: Call) -> Reply:
            known(call)
            return Reply([self.render(ident) for ident in OPTIONS])

        return [
            route(READ, "/wc/v3/settings/<group:s>", listing, "list"),
            route(
                READ, "/wc/v3/settings/<group:s>/<ident:s>", lambda c: Reply(self.render(known(c))), "view"
            ),
            route(
                EDIT,
                "/wc/v3/settings/<group:s>/<ident:s>",
                lambda c: Reply(self.update(known(c), c.body)),
                "edit",
            ),
        ]
