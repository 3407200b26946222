"""The demo's WooCommerce shop owner and customers: set up the sandbox and place realistic orders,
through its REST API only.

This is what a shop owner and customers would do: declare tax classes and rates, a coupon, a
product sold only on the web, a customer who registered on the shop, then orders with several
VAT rates, a coupon, shipping, a guest checkout, an order awaiting payment and one whose
product the ERP does not know.
"""

from __future__ import annotations

import random
import ssl
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from comptoir.model import Article, Customer
from comptoir.shop.platform import PlacedOrder

INTERMEDIATE_CLASS = "Taux intermediaire"
INTERMEDIATE_SLUG = "taux-intermediaire"
COUPON = "BIENVENUE10"
GIFT_CARD_SKU = "CARTE-CADEAU-25"
WEB_CUSTOMER_EMAIL = "camille.fournier@exemple.fr"

TAX_CLASSES = {"C20": "", "C10": INTERMEDIATE_SLUG, "C05": "reduced-rate"}
"""ERP tax code → WooCommerce tax class, as the demo profile maps them."""

SHOP_TAX_CODES = {"20": "C20", "10": "C10", "5.5": "C05"}
"""WooCommerce rate → ERP tax code, as the demo profile maps them."""


class DemoShopClient:
    """A small synchronous REST client for the sandbox (the demo's "shop owner" and "customers")."""

    def __init__(self, url: str, key: str, secret: str, ca_file: Path) -> None:
        self._client = httpx.Client(
            base_url=f"{url}/wp-json/wc/v3/",
            auth=(key, secret),
            verify=ssl.create_default_context(cafile=str(ca_file)),
            timeout=30,
        )

    def close(self) -> None:
        self._client.close()

    def get(self, path: str, **params: Any) -> Any:
        response = self._client.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self._client.post(path, json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"sandbox refused POST {path}: {response.status_code} {response.text}")
        return response.json()

    def delete(self, path: str, **params: Any) -> Any:
        response = self._client.delete(path, params=params)
        if response.status_code >= 400:
            raise RuntimeError(f"sandbox refused DELETE {path}: {response.status_code} {response.text}")
        return response.json()

    def total(self, path: str, **params: Any) -> int:
        response = self._client.get(path, params={"per_page": 1, **params})
        response.raise_for_status()
        return int(response.headers["X-WP-Total"])


def set_up_shop(client: DemoShopClient) -> None:
    """Tax classes and rates, a coupon, a web-only product and a web-registered customer (once)."""
    classes = {c["slug"] for c in client.get("taxes/classes")}
    if INTERMEDIATE_SLUG not in classes:
        client.post("taxes/classes", {"name": INTERMEDIATE_CLASS})
    if not client.get("taxes", per_page=100):
        rates = [
            {"country": "FR", "rate": "20.0000", "name": "TVA 20 %", "class": "standard", "shipping": True},
            {
                "country": "FR",
                "rate": "10.0000",
                "name": "TVA 10 %",
                "class": INTERMEDIATE_SLUG,
                "shipping": False,
            },
            {
                "country": "FR",
                "rate": "5.5000",
                "name": "TVA 5,5 %",
                "class": "reduced-rate",
                "shipping": False,
            },
        ]
        client.post("taxes/batch", {"create": rates})
    if not client.get("coupons", code=COUPON):
        client.post("coupons", {"code": COUPON, "discount_type": "percent", "amount": "10"})
    if not client.get("products", sku=GIFT_CARD_SKU):
        client.post(
            "products",
            {"name": "Carte cadeau 25 €", "sku": GIFT_CARD_SKU, "regular_price": "25.00", "virtual": True},
        )
    if not client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all"):
        client.post(
            "customers",
            {
                "email": WEB_CUSTOMER_EMAIL,
                "first_name": "Camille",
                "last_name": "Fournier",
                "billing": {
                    "first_name": "Camille",
                    "last_name": "Fournier",
                    "address_1": "12 rue des Tanneurs",
                    "postcode": "67000",
                    "city": "Strasbourg",
                    "country": "FR",
                    "email": WEB_CUSTOMER_EMAIL,
                    "phone": "0388000000",
                },
            },
        )


def _address(customer: dict[str, Any]) -> dict[str, Any]:
    billing = dict(customer.get("billing") or {})
    billing.setdefault("country", "FR")
    billing["email"] = customer["email"]
    return billing


def _by_tax(articles: Sequence[Article], code: str) -> list[Article]:
    return [a for a in articles if a.tax_code == code]


def place_orders(
    client: DemoShopClient, articles: Sequence[Article], erp_customers: Sequence[Customer]
) -> list[PlacedOrder]:
    """Place the demo's orders (once: nothing is placed when the shop already has orders)."""
    if client.total("orders"):
        return []
    sellable = sorted((a for a in articles if a.published and not a.dormant), key=lambda a: a.reference)
    at20, at10, at55 = _by_tax(sellable, "C20"), _by_tax(sellable, "C10"), _by_tax(sellable, "C05")
    skus = [a.reference for a in (*at20[:3], *at10[:2], *at55[:2])] + [GIFT_CARD_SKU]
    products = {p["sku"]: p for p in client.get("products", sku=",".join(skus), per_page=100)}
    emails = [c.email for c in erp_customers if c.email][:3]
    shop_customers = [client.get("customers", email=e, role="all")[0] for e in emails]
    web_customer = client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")[0]

    def line(article_sku: str, quantity: int) -> dict[str, Any]:
        product = products[article_sku]
        if product.get("parent_id"):
            return {"product_id": product["parent_id"], "variation_id": product["id"], "quantity": quantity}
        return {"product_id": product["id"], "quantity": quantity}

    def shipping(title: str, total: str) -> list[dict[str, Any]]:
        return [{"method_id": "flat_rate", "method_title": title, "total": total}]

    guest = {
        "first_name": "Hugo",
        "last_name": "Lefèvre",
        "address_1": "3 place du Marché",
        "postcode": "35000",
        "city": "Rennes",
        "country": "FR",
        "email": "hugo.lefevre@exemple.fr",
        "phone": "0299000000",
    }
    plans: list[tuple[dict[str, Any], bool]] = [
        (
            {
                "customer_id": shop_customers[0]["id"],
                "billing": _address(shop_customers[0]),
                "line_items": [line(at20[0].reference, 2), line(at55[0].reference, 1)],
                "shipping_lines": shipping("Colissimo", "6.90"),
                "payment_method": "bacs",
                "payment_method_title": "Virement bancaire",
                "set_paid": True,
                "status": "processing",
                "customer_note": "Livrer le matin si possible.",
            },
            True,
        ),
        (
            {
                "customer_id": shop_customers[1]["id"],
                "billing": _address(shop_customers[1]),
                "line_items": [line(at20[1].reference, 1), line(at10[0].reference, 3)],
                "coupon_lines": [{"code": COUPON}],
                "shipping_lines": shipping("Point relais", "4.90"),
                "payment_method": "cheque",
                "payment_method_title": "Chèque",
                "set_paid": True,
                "status": "processing",
            },
            True,
        ),
        (
            {
                "customer_id": web_customer["id"],
                "billing": _address(web_customer),
                "line_items": [line(at10[1].reference, 1), line(at55[1].reference, 2)],
                "shipping_lines": shipping("Retrait en magasin", "0.00"),
                "payment_method": "cod",
                "payment_method_title": "Paiement à la livraison",
                "status": "processing",
            },
            True,
        ),
        (
            {
                "customer_id": 0,
                "billing": guest,
                "shipping": {k: v for k, v in guest.items() if k not in {"email", "phone"}},
                "line_items": [line(at20[2].reference, 1)],
                "shipping_lines": shipping("Colissimo", "6.90"),
                "payment_method": "bacs",
                "payment_method_title": "Virement bancaire",
                "status": "on-hold",
            },
            True,
        ),
        (
            {
                "customer_id": shop_customers[2]["id"],
                "billing": _address(shop_customers[2]),
                "line_items": [line(GIFT_CARD_SKU, 1), line(at20[0].reference, 1)],
                "shipping_lines": shipping("Colissimo", "6.90"),
                "payment_method": "bacs",
                "payment_method_title": "Virement bancaire",
                "status": "processing",
            },
            False,
        ),
        (
            {
                "customer_id": shop_customers[0]["id"],
                "billing": _address(shop_customers[0]),
                "line_items": [line(at55[0].reference, 4)],
                "payment_method": "bacs",
                "payment_method_title": "Virement bancaire",
                "status": "pending",
            },
            False,
        ),
    ]
    placed = []
    for body, imported in plans:
        order = client.post("orders", body)
        placed.append(
            PlacedOrder(
                str(order["id"]), order["status"], Decimal(order["total"]), imported, order["payment_method"]
            )
        )
    return placed


class WooDemoShop:
    """The ``DemoShop`` of a WooCommerce sandbox."""

    def __init__(self, client: DemoShopClient) -> None:
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
    """The demo profile's WooCommerce-side settings: tax classes, statuses, rates, payment methods."""
    return {
        "shop": {"tax_classes": TAX_CLASSES},
        "orders": {
            "statuses": {"processing": "order", "on-hold": "quote"},
            "tax_codes": SHOP_TAX_CODES,
            "payment_methods": {
                "bacs": {"mode": "2", "journal": "BQ1", "create_payment": True},
                "cheque": {"mode": "1", "journal": "BQ1", "create_payment": True},
                "cod": {"mode": "4"},
            },
        },
    }


def place_random_orders(
    client: DemoShopClient, products: Sequence[dict[str, Any]], count: int, seed: int
) -> dict[str, Decimal]:
    """``count`` ordinary orders of the shop's ``products`` (1 to 6 lines, quantities 1 to 6, a
    coupon on 3 orders in 10, shipping, registered customer or guest), drawn from ``seed``; the
    shop's total of each, by order id. Each holds a product at the standard rate, so its shipping
    is taxed (WooCommerce's ``inherit`` shipping tax class)."""
    chance = random.Random(seed)
    standard = [p for p in products if not p["tax_class"]]
    [customer] = client.get("customers", email=WEB_CUSTOMER_EMAIL, role="all")
    guest = {
        "first_name": "Hugo",
        "last_name": "Lefèvre",
        "address_1": "3 place du Marché",
        "postcode": "35000",
        "city": "Rennes",
        "country": "FR",
        "email": "hugo.lefevre@exemple.fr",
    }
    totals: dict[str, Decimal] = {}
    for _ in range(count):
        first = chance.choice(standard)
        others = chance.sample([p for p in products if p is not first], chance.randint(0, 5))
        lines = []
        for product in [first, *others]:
            line = {"product_id": product["parent_id"] or product["id"], "quantity": chance.randint(1, 6)}
            if product["parent_id"]:
                line["variation_id"] = product["id"]
            lines.append(line)
        shipping = chance.choice(["0.00", "4.90", "6.90", "7.45", "12.99"])
        body: dict[str, Any] = {
            "line_items": lines,
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Colissimo", "total": shipping}],
            "payment_method": "cod",
            "status": "processing",
        }
        if chance.random() < 0.5:
            body |= {"customer_id": customer["id"], "billing": _address(customer)}
        else:
            body |= {"customer_id": 0, "billing": guest}
        if chance.random() < 0.3:
            body["coupon_lines"] = [{"code": COUPON}]
        order = client.post("orders", body)
        totals[str(order["id"])] = Decimal(order["total"])
    return totals
