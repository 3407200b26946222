"""Random shop orders computed the way WooCommerce computes them, for the rounding tests.

A sandbox WooCommerce shop runs in process (no HTTP) with one of the four ways of pricing and
rounding — prices with or without tax, tax rounded per line or on the subtotal — and rates of
20, 10, 5.5 and 2.1 %. ``PLANS`` draws orders (lines with their price, tax class and quantity,
shipping, a fee, a coupon); ``Shop.order`` places one and reads it through the WooCommerce
adapter's mapping, as the import job would; ``check`` reconciles it with its ERP document.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from itertools import count
from typing import Any

from hypothesis import strategies as st

from comptoir.jobs.order_document import build_document
from comptoir.jobs.order_rounding import Reconciliation, reconcile
from comptoir.model import Article, DocumentType, Order, SalesDocument
from comptoir.profile import OrderOptions
from comptoir.sandbox.woocommerce.app import SandboxApp
from comptoir.sandbox.woocommerce.resources.settings import PRICES_INCLUDE_TAX, ROUND_AT_SUBTOTAL
from comptoir.shop.woocommerce.mapping import order_from, tax_rounding_from

D = Decimal
CLASSES = {"": D(20), "taux-intermediaire": D(10), "reduced-rate": D("5.5"), "taux-particulier": D("2.1")}
RATES = {"C20": D(20), "C10": D(10), "C05": D("5.5"), "C02": D("2.1"), "C00": D(0)}
SPECIAL = ["DIVERS", "PORT", "EMBALLAGE", "REMISE", "ARRONDI"]
OPTIONS = OrderOptions(
    miscellaneous_article="DIVERS",
    shipping_article="PORT",
    packaging_article="EMBALLAGE",
    discount_articles={"*": "REMISE"},
    tax_codes={"20": "C20", "10": "C10", "5.5": "C05", "2.1": "C02", "0": "C00"},
    rounding_article="ARRONDI",
)
COUPONS = {"DIX": ("percent", "10"), "QUINZE": ("percent", "15"), "CINQ": ("fixed_cart", "5")}


def article(reference: str) -> Article:
    return Article(reference=reference, designation=reference, family_code="F")


class Shop:
    """A sandbox WooCommerce shop in process, set to one way of pricing and rounding."""

    def __init__(self, inclusive: bool, subtotal: bool) -> None:
        self.app = SandboxApp()
        self.serial = count(1)
        with self.app.store.lock:
            self.app.taxes.create_class({"name": "Taux intermediaire"})
            self.app.taxes.create_class({"name": "Taux particulier"})
            for slug, rate in CLASSES.items():
                self.app.taxes.create_rate(
                    {"country": "FR", "rate": str(rate), "name": f"TVA {rate}", "class": slug or "standard"}
                )
            for code, (kind, amount) in COUPONS.items():
                self.app.coupons.create({"code": code, "discount_type": kind, "amount": amount})
            self.app.settings.update(PRICES_INCLUDE_TAX, {"value": "yes" if inclusive else "no"})
            self.app.settings.update(ROUND_AT_SUBTOTAL, {"value": "yes" if subtotal else "no"})
        self.rounding = tax_rounding_from(self.app.settings.render(ROUND_AT_SUBTOTAL))

    def order(self, plan: Mapping[str, Any]) -> Order:
        """Place an order: one product per line (its price and tax class), then the order."""
        with self.app.store.lock:
            lines = []
            for price, slug, quantity in plan["lines"]:
                sku = f"P{next(self.serial)}"
                product = self.app.catalog.create_product(
                    {"name": sku, "sku": sku, "regular_price": str(price), "tax_class": slug}
                )
                lines.append({"product_id": product["id"], "quantity": quantity})
            body: dict[str, Any] = {
                "billing": {"country": "FR", "email": "client@example.org"},
                "line_items": lines,
                "status": "processing",
            }
            if plan["shipping"] is not None:
                body["shipping_lines"] = [
                    {"method_id": "flat_rate", "method_title": "Colis", "total": plan["shipping"]}
                ]
            if plan["fee"] is not None:
                body["fee_lines"] = [{"name": "Emballage cadeau", "total": plan["fee"]}]
            if plan["coupon"] is not None:
                body["coupon_lines"] = [{"code": plan["coupon"]}]
            shop_order = self.app.orders.create(body)
        return order_from(shop_order, tax_rounding=self.rounding)


SHOPS: dict[tuple[bool, bool], Shop] = {}


def shop(inclusive: bool, subtotal: bool) -> Shop:
    if (inclusive, subtotal) not in SHOPS:
        SHOPS[(inclusive, subtotal)] = Shop(inclusive, subtotal)
    return SHOPS[(inclusive, subtotal)]


def cents(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{D(n) / 100:.2f}")


PLANS = st.fixed_dictionaries(
    {
        "lines": st.lists(
            st.tuples(cents(1, 25_000), st.sampled_from(sorted(CLASSES)), st.integers(1, 12)),
            min_size=1,
            max_size=6,
        ),
        "shipping": st.none() | cents(0, 2_500),
        "fee": st.none() | cents(1, 900),
        "coupon": st.none() | st.sampled_from(sorted(COUPONS)),
    }
)


def check(
    o: Order,
    options: OrderOptions = OPTIONS,
    rates: Mapping[str, Decimal] = RATES,
    alias: str | None = None,
) -> Reconciliation:
    """Reconcile ``o`` with its document; ``alias`` names one ERP article every line is sold as."""
    known = {ref: article(alias or ref) for ref in [*SPECIAL, *(line.sku for line in o.lines)]}

    def build(inclusive: bool) -> SalesDocument:
        return build_document(
            o,
            document_type=DocumentType.ORDER,
            customer_code="WEBINVITE",
            articles=known,
            options=options,
            rates=rates,
            tax_inclusive=inclusive,
        )

    return reconcile(o, build, options, rates)
