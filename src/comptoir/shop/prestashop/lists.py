"""PrestaShop lists for the dashboard's mapping tables.

Tax rates (``taxes``), tax rules groups (what a product carries, ``tax_rule_groups``), order
states (``order_states``: an order's status is its state id) and payment methods. The webservice
has no resource listing payment modules: the methods are the modules (``orders.module``, what
``Order.payment_method`` carries) of the last orders, with the label customers saw.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from comptoir.model import Choice, ShopTaxRate
from comptoir.shop.prestashop.api import PsApi
from comptoir.shop.prestashop.xmlbody import texts_from_json

RECENT_ORDERS = 500
"""How many of the last orders are read to find the payment methods in use."""


def _text(value: object) -> str:
    return next((text for text in texts_from_json(value).values() if text), "")


def _percent(value: object) -> Decimal | None:
    try:
        rate = Decimal(str(value or "0"))
    except InvalidOperation:
        return None
    return rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate.normalize()


async def tax_rates(api: PsApi) -> list[ShopTaxRate]:
    found = await api.list_all("taxes", {"display": "[id,rate,name,active]"})
    rates = []
    for tax in found:
        rate = _percent(tax.get("rate"))
        if rate is not None:
            rates.append(ShopTaxRate(key=str(tax["id"]), rate=rate, label=_text(tax.get("name"))))
    return rates


async def tax_classes(api: PsApi) -> list[Choice]:
    found = await api.list_all("tax_rule_groups", {"display": "[id,name,active]"})
    return [
        Choice(str(g["id"]), str(g.get("name") or ""), "" if str(g.get("active", "1")) == "1" else "inactive")
        for g in found
    ]


async def order_statuses(api: PsApi) -> list[Choice]:
    found = await api.list_all("order_states", {"display": "[id,name]"})
    return [Choice(str(state["id"]), _text(state.get("name"))) for state in found]


async def payment_methods(api: PsApi) -> list[Choice]:
    body: Any = await api.json(
        "orders", {"display": "[id,module,payment]", "sort": "[id_DESC]", "limit": str(RECENT_ORDERS)}
    )
    orders = body.get("orders", []) if isinstance(body, dict) else []
    seen: dict[str, str] = {}
    for order in orders:
        module = str(order.get("module") or "")
        if module and module not in seen:
            seen[module] = str(order.get("payment") or module)
    return [Choice(module, label, "seen in recent orders") for module, label in seen.items()]
