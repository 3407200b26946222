"""``/settings`` (WC_REST_Settings_Controller, WC_REST_Setting_Options_Controller, wc/v3): the
``general`` and ``tax`` groups, and the options the rest of the sandbox reads (currency, taxes
enabled, prices entered with tax, rounding at subtotal, decimals).

Settings are the admin pages' fields (``class-wc-settings-general.php``,
``class-wc-settings-tax.php``) as ``WC_Register_WP_Admin_Settings::register_setting`` turns them
into REST settings: ``title`` → ``label``, ``desc`` → ``description``, ``desc_tip`` → ``tip``;
``single_select_country`` becomes a ``select`` of countries, ``multi_select_countries`` a
``multiselect``. Updates are checked per type (``validate_setting_*_field``): a ``select`` or
``radio`` value outside its options, or a checkbox other than ``yes``/``no``, is
``rest_setting_value_invalid``.

The sandbox shop is WooCommerce's defaults except: currency EUR, country France, taxes enabled.
"""

from __future__ import annotations

from typing import Any

from comptoir.sandbox.woocommerce.calls import Call, Reply
from comptoir.sandbox.woocommerce.context import Context
from comptoir.sandbox.woocommerce.errors import WooError
from comptoir.sandbox.woocommerce.resources.batch import run_batch
from comptoir.sandbox.woocommerce.resources.routing import EDIT, READ, Route, route
from comptoir.sandbox.woocommerce.rest import Schema
from comptoir.sandbox.woocommerce.schemas import CONTEXT, s
from comptoir.sandbox.woocommerce.store import Store

PRICES_INCLUDE_TAX = "woocommerce_prices_include_tax"
ROUND_AT_SUBTOTAL = "woocommerce_tax_round_at_subtotal"

SANDBOX_DEFAULTS = {
    "woocommerce_currency": "EUR",
    "woocommerce_default_country": "FR",
    "woocommerce_calc_taxes": "yes",
}
"""Where the sandbox shop differs from a fresh WooCommerce."""

CURRENCIES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTC BTN BWP
BYR BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
GBP GEL GGP GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS IMP INR IQD IRR IRT ISK JEP JMD
JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PRB PYG QAR RMB
RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VEF VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
""".split()  # noqa: SIM905
"""``get_woocommerce_currencies`` (its codes)."""
CURRENCY_NAMES = {
    "EUR": "Euro (&euro;)",
    "USD": "United States (US) dollar (&#36;)",
    "GBP": "Pound sterling (&pound;)",
    "CHF": "Swiss franc (CHF)",
    "CAD": "Canadian dollar (&#36;)",
}
COUNTRIES = {
    "FR": "France",
    "BE": "Belgium",
    "CH": "Switzerland",
    "LU": "Luxembourg",
    "MC": "Monaco",
    "DE": "Germany",
    "ES": "Spain",
    "IT": "Italy",
    "NL": "Netherlands",
    "PT": "Portugal",
    "AT": "Austria",
    "IE": "Ireland",
    "GB": "United Kingdom (UK)",
    "CA": "Canada",
    "US:CA": "United States (US) &mdash; California",
    "US:NY": "United States (US) &mdash; New York",
}
"""A subset of ``WC()->countries`` (with US states as ``US:XX``)."""


def _setting(
    ident: str,
    label: str,
    description: str,
    kind: str,
    default: Any,
    *,
    tip: str | None = None,
    options: dict[str, str] | None = None,
    placeholder: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "label": label,
        "description": description,
        "type": kind,
        "default": default,
    }
    if tip is not None:
        out["tip"] = tip
    if placeholder is not None:
        out["placeholder"] = placeholder
    if options is not None:
        out["options"] = options
    return out


def _tip(ident: str, label: str, description: str, kind: str, default: Any, **extra: Any) -> dict[str, Any]:
    """A field with ``desc_tip => true``: its description is also its tip."""
    return _setting(ident, label, description, kind, default, tip=description, **extra)


GENERAL = [
    _tip(
        "woocommerce_store_address",
        "Address line 1",
        "The street address for your business location.",
        "text",
        "",
    ),
    _tip(
        "woocommerce_store_address_2",
        "Address line 2",
        "An additional, optional address line for your business location.",
        "text",
        "",
    ),
    _tip("woocommerce_store_city", "City", "The city in which your business is located.", "text", ""),
    _tip(
        "woocommerce_default_country",
        "Country / State",
        "The country and state or province, if any, in which your business is located.",
        "select",
        "US:CA",
        options=COUNTRIES,
    ),
    _tip(
        "woocommerce_store_postcode",
        "Postcode / ZIP",
        "The postal code, if any, in which your business is located.",
        "text",
        "",
    ),
    _tip(
        "woocommerce_allowed_countries",
        "Selling location(s)",
        "This option lets you limit which countries you are willing to sell to.",
        "select",
        "all",
        options={
            "all": "Sell to all countries",
            "all_except": "Sell to all countries, except for&hellip;",
            "specific": "Sell to specific countries",
        },
    ),
    _setting(
        "woocommerce_all_except_countries",
        "Sell to all countries, except for&hellip;",
        "",
        "multiselect",
        "",
        options=COUNTRIES,
    ),
    _setting(
        "woocommerce_specific_allowed_countries",
        "Sell to specific countries",
        "",
        "multiselect",
        "",
        options=COUNTRIES,
    ),
    _tip(
        "woocommerce_ship_to_countries",
        "Shipping location(s)",
        "Choose which countries you want to ship to, or choose to ship to all locations you sell to.",
        "select",
        "",
        options={
            "": "Ship to all countries you sell to",
            "all": "Ship to all countries",
            "specific": "Ship to specific countries only",
            "disabled": "Disable shipping &amp; shipping calculations",
        },
    ),
    _setting(
        "woocommerce_specific_ship_to_countries",
        "Ship to specific countries",
        "",
        "multiselect",
        "",
        options=COUNTRIES,
    ),
    _tip(
        "woocommerce_default_customer_address",
        "Default customer location",
        "This option determines a customers default location. The MaxMind GeoLite Database will be "
        "periodically downloaded to your wp-content directory if using geolocation.",
        "select",
        "base",
        options={
            "": "No location by default",
            "base": "Shop country/region",
            "geolocation": "Geolocate",
            "geolocation_ajax": "Geolocate (with page caching support)",
        },
    ),
    _setting(
        "woocommerce_calc_taxes",
        "Enable taxes",
        "Enable tax rates and calculations",
        "checkbox",
        "no",
        tip="Rates will be configurable and taxes will be calculated during checkout.",
    ),
    _setting(
        "woocommerce_enable_coupons",
        "Enable coupons",
        "Enable the use of coupon codes",
        "checkbox",
        "yes",
        tip="Coupons can be applied from the cart and checkout pages.",
    ),
    _setting(
        "woocommerce_calc_discounts_sequentially",
        "",
        "Calculate coupon discounts sequentially",
        "checkbox",
        "no",
        tip="When applying multiple coupons, apply the first coupon to the full price and the second "
        "coupon to the discounted price and so on.",
    ),
    _tip(
        "woocommerce_currency",
        "Currency",
        "This controls what currency prices are listed at in the catalog and which currency gateways "
        "will take payments in.",
        "select",
        "USD",
        options={code: f"{CURRENCY_NAMES.get(code, code)} &mdash; {code}" for code in CURRENCIES},
    ),
    _tip(
        "woocommerce_currency_pos",
        "Currency position",
        "This controls the position of the currency symbol.",
        "select",
        "left",
        options={
            "left": "Left",
            "right": "Right",
            "left_space": "Left with space",
            "right_space": "Right with space",
        },
    ),
    _tip(
        "woocommerce_price_thousand_sep",
        "Thousand separator",
        "This sets the thousand separator of displayed prices.",
        "text",
        ",",
    ),
    _tip(
        "woocommerce_price_decimal_sep",
        "Decimal separator",
        "This sets the decimal separator of displayed prices.",
        "text",
        ".",
    ),
    _tip(
        "woocommerce_price_num_decimals",
        "Number of decimals",
        "This sets the number of decimal points shown in displayed prices.",
        "number",
        "2",
    ),
]

DISPLAY = {"incl": "Including tax", "excl": "Excluding tax"}


def tax_settings(classes: list[dict[str, str]]) -> list[dict[str, Any]]:
    shipping_classes = {"inherit": "Shipping tax class based on cart items"}
    shipping_classes |= {("" if c["slug"] == "standard" else c["slug"]): c["name"] for c in classes}
    return [
        _setting(
            "woocommerce_prices_include_tax",
            "Prices entered with tax",
            "",
            "radio",
            "no",
            tip="This option is important as it will affect how you input prices. Changing it will not "
            "update existing products.",
            options={
                "yes": "Yes, I will enter prices inclusive of tax",
                "no": "No, I will enter prices exclusive of tax",
            },
        ),
        _setting(
            "woocommerce_tax_based_on",
            "Calculate tax based on",
            "",
            "select",
            "shipping",
            tip="This option determines which address is used to calculate tax.",
            options={
                "shipping": "Customer shipping address",
                "billing": "Customer billing address",
                "base": "Shop base address",
            },
        ),
        _tip(
            "woocommerce_shipping_tax_class",
            "Shipping tax class",
            "Optionally control which tax class shipping gets, or leave it so shipping tax is based on "
            "the cart items themselves.",
            "select",
            "inherit",
            options=shipping_classes,
        ),
        _setting(
            "woocommerce_tax_round_at_subtotal",
            "Rounding",
            "Round tax at subtotal level, instead of rounding per line",
            "checkbox",
            "no",
        ),
        _setting(
            "woocommerce_tax_display_shop",
            "Display prices in the shop",
            "",
            "select",
            "excl",
            options=DISPLAY,
        ),
        _setting(
            "woocommerce_tax_display_cart",
            "Display prices during cart and checkout",
            "",
            "select",
            "excl",
            options=DISPLAY,
        ),
        _setting(
            "woocommerce_price_display_suffix",
            "Price display suffix",
            "",
            "text",
            "",
            placeholder="N/A",
            tip='Define text to show after your product prices. This could be, for example, "inc. Vat" to '
            "explain your pricing. You can also have prices substituted here using one of the following: "
            "{price_including_tax}, {price_excluding_tax}.",
        ),
        _setting(
            "woocommerce_tax_total_display",
            "Display tax totals",
            "",
            "select",
            "itemized",
            options={"single": "As a single total", "itemized": "Itemized"},
        ),
    ]


GROUPS = {
    "general": ("General", "", GENERAL),
    "tax": ("Tax", "", None),
}
ALL_DEFAULTS: dict[str, Any] = {
    setting["id"]: setting["default"] for setting in [*GENERAL, *tax_settings([])]
} | SANDBOX_DEFAULTS


def option(store: Store, name: str) -> Any:
    """``get_option`` for a WooCommerce option: the stored value, else the shop's default."""
    return store.setting(f"option:{name}", ALL_DEFAULTS.get(name))


def set_option(store: Store, name: str, value: Any) -> None:
    store.set_setting(f"option:{name}", value)


class Settings:
    def __init__(self, ctx: Context, tax_classes: Any) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.tax_classes = tax_classes

    def group(self, ident: str) -> list[dict[str, Any]]:
        if ident not in GROUPS:
            raise WooError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
        definitions = GROUPS[ident][2]
        return list(definitions if definitions is not None else tax_settings(self.tax_classes()))

    # --- by option id, whatever its group (in-process callers: tests, demo) ---------------------
    def group_of(self, ident: str) -> str:
        for group in GROUPS:
            if any(s_["id"] == ident for s_ in self.group(group)):
                return group
        raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)

    def value(self, ident: str) -> str:
        return str(option(self.store, ident))

    def enabled(self, ident: str) -> bool:
        return self.value(ident) == "yes"

    def render(self, ident: str) -> dict[str, Any]:
        """The REST setting ``ident`` (``GET /settings/<its group>/<ident>``)."""
        group = self.group_of(ident)
        return self.render_setting(group, self.find(group, ident))

    def update(self, ident: str, body: Any) -> dict[str, Any]:
        """``PUT /settings/<its group>/<ident>`` with ``body`` (``{"value": …}``)."""
        value = body.get("value") if isinstance(body, dict) else None
        return self.update_setting(self.group_of(ident), ident, value)

    # --- REST ----------------------------------------------------------------------------------
    def render_setting(self, group: str, setting: dict[str, Any]) -> dict[str, Any]:
        value = option(self.store, setting["id"])
        out = {"id": setting["id"], "group_id": group, **{k: v for k, v in setting.items() if k != "id"}}
        out["value"] = value if value is not None else setting["default"]
        out["_links"] = {
            "self": [{"href": self.ctx.rest_url(f"wc/v3/settings/{group}/{setting['id']}")}],
            "collection": [{"href": self.ctx.rest_url(f"wc/v3/settings/{group}")}],
        }
        return out

    def find(self, group: str, ident: str) -> dict[str, Any]:
        for setting in self.group(group):
            if setting["id"] == ident:
                return setting
        raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)

    def update_setting(self, group: str, ident: str, value: Any) -> dict[str, Any]:
        """``WC_REST_Setting_Options_V2_Controller::update_item``."""
        setting = self.find(group, ident)
        kind = setting["type"]
        if kind in ("select", "radio"):
            options = setting.get("options") or {}
            if not (isinstance(value, str | int) and str(value) in options):
                if not value and setting.get("default") in options:
                    value = setting["default"]
                else:
                    raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
            value = str(value)
        elif kind == "checkbox":
            if value not in ("yes", "no"):
                if value:
                    raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
                value = setting.get("default", "no")
        elif kind == "multiselect":
            chosen = value if isinstance(value, list) else ([value] if value else [])
            options = setting.get("options") or {}
            if any(str(v) not in options for v in chosen):
                raise WooError("rest_setting_value_invalid", "An invalid setting value was passed.", 400)
            value = [str(v) for v in chosen]
        else:
            value = "" if value is None else str(value).strip()
        set_option(self.store, ident, value)
        return self.render_setting(group, setting)

    def routes(self) -> list[Route]:
        def groups(call: Call) -> Reply:
            out = []
            for ident, (label, description, _) in GROUPS.items():
                out.append(
                    {
                        "id": ident,
                        "label": label,
                        "description": description,
                        "parent_id": "",
                        "sub_groups": [],
                        "_links": {
                            "options": [{"href": self.ctx.rest_url(f"wc/v3/settings/{ident}")}],
                        },
                    }
                )
            return Reply(out)

        def list_group(call: Call) -> Reply:
            group = call.route["group"]
            return Reply([self.render_setting(group, s_) for s_ in self.group(group)])

        def get_one(call: Call) -> Reply:
            group = call.route["group"]
            return Reply(self.render_setting(group, self.find(group, call.route["ident"])))

        def put_one(call: Call) -> Reply:
            return Reply(self.update_setting(call.route["group"], call.route["ident"], call.param("value")))

        def batch(call: Call) -> Reply:
            group = call.route["group"]
            self.group(group)

            def update(item: Any) -> Any:
                if not isinstance(item, dict):
                    raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)
                return self.update_setting(group, str(item.get("id", "")), item.get("value"))

            return run_batch(call, self.ctx, "/wc/v3/settings/<group>/batch", update=update)

        value_args: dict[str, Schema] = {"value": s("mixed")}
        return [
            route(READ, "/wc/v3/settings", groups, "list"),
            route(EDIT, "/wc/v3/settings/<group:s>/batch", batch, "batch", {}),
            route(READ, "/wc/v3/settings/<group:s>", list_group, "list", {"context": CONTEXT}),
            route(READ, "/wc/v3/settings/<group:s>/<ident:s>", get_one, "view", {"context": CONTEXT}),
            route(EDIT, "/wc/v3/settings/<group:s>/<ident:s>", put_one, "edit", value_args),
        ]
