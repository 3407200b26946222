"""The demo's PrestaShop shop owner and customers: set up the sandbox and place realistic orders,
through the webservice and the sandbox's order route (PrestaShop makes orders from carts at
checkout, which the sandbox stands for with ``POST /sandbox/orders``).

Set-up: the carriers and French VAT rules PrestaShop installs are there already; the owner adds
a welcome coupon (a 10 % cart rule), a gift card sold only on the web, and a customer who
registered on the shop. Orders: several VAT rates, the coupon, paid bank wire and cheque,
cash on delivery awaiting validation, a guest checkout awaiting a bank wire, one order with the
gift card the ERP does not know, one awaiting a cheque (a state the demo does not import).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from comptoir.model import Article, Customer
from comptoir.sandbox.prestashop.client import SandboxClient
from comptoir.shop.platform import PlacedOrder

COUPON = "BIENVENUE10"
GIFT_CARD_SKU = "CARTE-CADEAU-25"
WEB_CUSTOMER_EMAIL = "camille.fournier@exemple.fr"

TAX_RULES_GROUPS = {"C20": 1, "C10": 2, "C05": 3}
"""ERP tax code → the tax rules groups of a French PrestaShop installation, as the demo maps them."""
SHOP_TAX_CODES = {"20": "C20", "10": "C10", "5.5": "C05"}
"""PrestaShop rate → ERP tax code, as the demo profile maps them."""
PAID, AWAITING_CHEQUE, AWAITING_WIRE, AWAITING_COD = 2, 1, 10, 13
"""Order states of a PrestaShop installation (``PS_OS_PAYMENT``, ``PS_OS_CHEQUE``,
``PS_OS_BANKWIRE``, ``PS_OS_COD_VALIDATION``)."""


def set_up_shop(client: SandboxClient) -> None:
    """A coupon, a web-only product and a web-registered customer (once)."""
    if not client.list("cart_rules", **{"filter[code]": f"[{COUPON}]"}):
        client.create(
            "cart_rules",
            "cart_rule",
            {
                "name": {"1": "Bienvenue", "2": "Welcome"},
                "code": COUPON,
                "date_from": "2020-01-01 00:00:00",
                "date_to": "2099-12-31 23:59:59",
                "quantity": "1000",
                "quantity_per_user": "100",
                "reduction_percent": "10",
                "partial_use": "1",
                "active": "1",
            },
        )
    if not client.list("products", **{"filter[reference]": f"[{GIFT_CARD_SKU}]"}):
        client.create(
            "products",
            "product",
            {
                "reference": GIFT_CARD_SKU,
                "name": "Carte cadeau 25 €",
                "price": "25",
                "id_tax_rules_group": "0",
                "is_virtual": "1",
                "active": "1",
                "state": "1",
                "available_for_order": "1",
                "show_price": "1",
                "minimal_quantity": "1",
                "id_category_default": "2",
            },
            categories=[{"id": 2}],
        )
    client.customer(
        WEB_CUSTOMER_EMAIL,
        "Camille",
        "Fournier",
        address1="12 rue des Tanneurs",
        postcode="67000",
        city="Strasbourg",
        phone="0388000000",
    )


def _by_tax(articles: Sequence[Article], code: str) -> list[Article]:
    return [a for a in articles if a.tax_code == code]


def place_orders(
    client: SandboxClient, articles: Sequence[Article], erp_customers: Sequence[Customer]
) -> list[PlacedOrder]:
    """Place the demo's orders (once: nothing is placed when the shop already has orders)."""
    if client.list("orders", display="[id]"):
        return []
    sellable = sorted((a for a in articles if a.published and not a.dormant), key=lambda a: a.reference)
    at20, at10, at55 = _by_tax(sellable, "C20"), _by_tax(sellable, "C10"), _by_tax(sellable, "C05")
    registered = [c for c in erp_customers if c.email][:3]
    people = [
        client.customer(c.email.lower(), c.first_name or "Client", c.last_name or c.name) for c in registered
    ]
    web = client.customer(WEB_CUSTOMER_EMAIL, "Camille", "Fournier")
    guest = client.customer(
        "hugo.lefevre@exemple.fr",
        "Hugo",
        "Lefèvre",
        guest=True,
        address1="3 place du Marché",
        postcode="35000",
        city="Rennes",
        phone="0299000000",
    )
    wire = {"module": "ps_wirepayment", "payment": "Virement bancaire"}
    cheque = {"module": "ps_checkpayment", "payment": "Chèque"}
    cod = {"module": "ps_cashondelivery", "payment": "Paiement à la livraison"}
    plans: list[tuple[dict[str, Any], bool]] = [
        (
            {
                "customer": people[0],
                "lines": [(at20[0].reference, 2), (at55[0].reference, 1)],
                "state": PAID,
                **wire,
            },
            True,
        ),
        (
            {
                "customer": people[1],
                "lines": [(at20[1].reference, 1), (at10[0].reference, 3)],
                "state": PAID,
                "cart_rules": [COUPON],
                **cheque,
            },
            True,
        ),
        (
            {
                "customer": web,
                "lines": [(at10[1].reference, 1), (at55[1].reference, 2)],
                "state": AWAITING_COD,
                "carrier": 1,
                **cod,
            },
            True,
        ),
        ({"customer": guest, "lines": [(at20[2].reference, 1)], "state": AWAITING_WIRE, **wire}, True),
        (
            {
                "customer": people[2],
                "lines": [(GIFT_CARD_SKU, 1), (at20[0].reference, 1)],
                "state": PAID,
                **wire,
            },
            False,
        ),
        (
            {"customer": people[0], "lines": [(at55[0].reference, 4)], "state": AWAITING_CHEQUE, **cheque},
            False,
        ),
    ]
    placed = []
    for plan, imported in plans:
        order = client.place(
            plan["customer"],
            plan["lines"],
            plan["state"],
            carrier=plan.get("carrier", 2),
            cart_rules=plan.get("cart_rules", ()),
            module=plan["module"],
            payment=plan["payment"],
        )
        placed.append(
            PlacedOrder(
                str(order["id"]),
                str(plan["state"]),
                Decimal(str(order["total_paid"])),
                imported,
                plan["module"],
            )
        )
    return placed


class PrestaShopDemoShop:
    """The ``DemoShop`` of a PrestaShop sandbox."""

    def __init__(self, client: SandboxClient) -> None:
        self.client = client

    def set_up(self) -> None:
        set_up_shop(self.client)

    def place_orders(self, articles: Sequence[Article], customers: Sequence[Customer]) -> list[PlacedOrder]:
        return place_orders(self.client, articles, customers)

    def profile_options(self) -> dict[str, Any]:
        return demo_profile_options()

    def close(self) -> None:
        self.client.close()


def demo_profile_options() -> dict[str, Any]:
    """The demo profile's PrestaShop-side settings: tax rules groups, states, rates, payment modules."""
    return {
        "shop": {"tax_rules_groups": TAX_RULES_GROUPS},
        "orders": {
            "statuses": {str(PAID): "order", str(AWAITING_COD): "order", str(AWAITING_WIRE): "quote"},
            "tax_codes": SHOP_TAX_CODES,
            "payment_methods": {
                "ps_wirepayment": {"mode": "2", "journal": "BQ1", "create_payment": True},
                "ps_checkpayment": {"mode": "1", "journal": "BQ1", "create_payment": True},
                "ps_cashondelivery": {"mode": "4"},
            },
        },
    }
