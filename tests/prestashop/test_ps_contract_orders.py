"""Contract: orders placed in the sandbox carry the totals PrestaShop computes, by rounding type
and mode, with specific prices, group reductions, cart rules and shipping; order states move
through order histories as PrestaShop moves them.

Sources (PrestaShop 9.0.0): src/Core/Cart/CartRow.php (processCalculation, applyRound),
Calculator.php (getTotal, getDiscountTotal), CartRuleCalculator.php, Fees.php; classes/Cart.php
(getOrderTotal, getPackageShippingCost, applyProductCalculations); classes/Product.php
(priceCalculation); classes/SpecificPrice.php (getSpecificPrice, _getScoreQuery);
classes/Tools.php (ps_round); classes/order/OrderHistory.php (changeIdOrderState, add);
classes/order/Order.php (getWsOrderRows, setWsCurrentState). Every expected figure below is
worked out by hand from those formulas.
"""

from __future__ import annotations

import itertools
import ssl
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from comptoir.sandbox.prestashop import PrestaShopSandbox
from ps_helpers import client, create, errors, names, product, xml

_EMAILS = itertools.count(1)


def _customer(http: httpx.Client, email: str | None = None, group: int = 3) -> tuple[int, int]:
    email = email or f"client-{next(_EMAILS)}@example.fr"
    customer = create(
        http,
        "customers",
        xml(
            "customer",
            f"<passwd>pw-123456</passwd><lastname>Martin</lastname><firstname>Jeanne</firstname><email>{email}</email>"
            f"<id_default_group>{group}</id_default_group><active>1</active>",
        ),
    )
    address = create(
        http,
        "addresses",
        xml(
            "address",
            f"<id_customer>{customer['id']}</id_customer><id_country>8</id_country><alias>Maison</alias>"
            "<lastname>Martin</lastname><firstname>Jeanne</firstname><address1>3 rue des Lilas</address1>"
            "<postcode>69001</postcode><city>Lyon</city>",
        ),
    )
    return int(customer["id"]), int(address["id"])


def _order(ps: PrestaShopSandbox, lines: list[tuple[int, int]], **more: Any) -> dict[str, Any]:
    with client(ps) as http:
        customer, address = more.pop("who", None) or _customer(http)
        placed = ps.place_order(
            customer=customer,
            address_delivery=address,
            carrier=more.pop("carrier", 2),
            lines=[{"product": p, "quantity": q} for p, q in lines],
            **more,
        )
        return dict(
            http.get(f"/orders/{placed['id']}", params={"output_format": "JSON", "display": "full"}).json()[
                "orders"
            ][0]
        )


def _two_lines(ps: PrestaShopSandbox) -> list[int]:
    with client(ps) as http:
        return [int(create(http, "products", product(f"R-{i}", "1.0125"))["id"]) for i in range(2)]


@pytest.mark.parametrize(
    ("round_type", "products_wt", "products", "paid", "paid_excl", "row_total_wt"),
    [
        # item: unit 1.215 → 1.22 × 5 = 6.10 per line; excl 1.0125 → 1.01 × 5 = 5.05.
        ("1", "12.200000", "10.100000", "20.600000", "17.100000", "6.100000"),
        # line: each line 6.075 → 6.08 (total_products_wt 12.16), but the total is
        # round(6.075 + 6.075) = 12.15: CartRow keeps the unrounded line as its initial total.
        ("2", "12.160000", "10.120000", "20.550000", "17.130000", "6.080000"),
        # total: nothing rounded before the sum (12.15 / 10.125 → 10.13).
        ("3", "12.150000", "10.130000", "20.550000", "17.130000", "6.075000"),
    ],
)
def test_totals_by_rounding_type(
    ps: PrestaShopSandbox,
    round_type: str,
    products_wt: str,
    products: str,
    paid: str,
    paid_excl: str,
    row_total_wt: str,
) -> None:
    # Two products at 1.0125 excl. tax (VAT 20 % → 1.215), 5 of each; carrier 2: 7.00 + 20 % = 8.40.
    ps.configure(PS_ROUND_TYPE=round_type)
    a, b = _two_lines(ps)
    order = _order(ps, [(a, 5), (b, 5)])
    assert order["total_products_wt"] == products_wt
    assert order["total_products"] == products
    assert order["total_shipping_tax_incl"] == "8.400000" and order["total_shipping_tax_excl"] == "7.000000"
    assert order["total_paid_tax_incl"] == order["total_paid"] == paid
    assert order["total_paid_tax_excl"] == paid_excl
    assert order["round_type"] == round_type and order["carrier_tax_rate"] == "20.000"
    with client(ps) as http:
        rows = http.get(
            "/order_details",
            params={"output_format": "JSON", "display": "full", "filter[id_order]": f"[{order['id']}]"},
        ).json()["order_details"]
    assert [r["total_price_tax_incl"] for r in rows] == [row_total_wt, row_total_wt]
    assert rows[0]["unit_price_tax_incl"] == "1.215000" and rows[0]["unit_price_tax_excl"] == "1.012500"


def test_rounding_mode_half_down(ps: PrestaShopSandbox) -> None:
    # Tools::ps_round with PS_PRICE_ROUND_MODE 3 (half down): each line 6.075 → 6.07.
    ps.configure(PS_PRICE_ROUND_MODE="3")
    a, b = _two_lines(ps)
    order = _order(ps, [(a, 5), (b, 5)])
    assert order["total_products_wt"] == "12.140000"
    assert order["round_mode"] == "3"


def test_specific_prices_group_customer_and_quantity_break(ps: PrestaShopSandbox) -> None:
    # Product at 20.00 excl. (24.00 incl.). Group 3: -10 % → 18.00 / 21.60. Customer: -5.00 tax incl.
    # (score 32 beats the group's 2) → 20 - 5/1.2 = 15.833333 / 19.00. From 10 units: a price of 15.00
    # (from_quantity is ordered before the score) → 15.00 / 18.00.
    with client(ps) as http:
        item = int(create(http, "products", product("SP-1", "20"))["id"])
        customer, address = _customer(http)
        other = _customer(http, "paul@example.fr")

        def price(**fields: str) -> None:
            base = {
                "id_shop": "1",
                "id_cart": "0",
                "id_product": str(item),
                "id_currency": "0",
                "id_country": "0",
                "id_group": "0",
                "id_customer": "0",
                "price": "-1",
                "from_quantity": "1",
                "reduction": "0",
                "reduction_tax": "1",
                "reduction_type": "amount",
                "from": "0000-00-00 00:00:00",
                "to": "0000-00-00 00:00:00",
            } | fields
            create(
                http,
                "specific_prices",
                xml("specific_price", "".join(f"<{k}>{v}</{k}>" for k, v in base.items())),
            )

        price(id_group="3", reduction="0.1", reduction_type="percentage")
        price(id_customer=str(customer), reduction="5", reduction_type="amount", reduction_tax="1")
        price(from_quantity="10", price="15")
    group_order = _order(ps, [(item, 1)], who=other)
    customer_order = _order(ps, [(item, 1)], who=(customer, address))
    bulk_order = _order(ps, [(item, 10)], who=(customer, address))
    assert group_order["total_products"] == "18.000000" and group_order["total_products_wt"] == "21.600000"
    assert (
        customer_order["total_products"] == "15.830000" and customer_order["total_products_wt"] == "19.000000"
    )
    assert bulk_order["total_products"] == "150.000000" and bulk_order["total_products_wt"] == "180.000000"


def test_group_reduction(ps: PrestaShopSandbox) -> None:
    # priceCalculation: the group's reduction (Group::$reduction, %) after specific prices.
    with client(ps) as http:
        group = create(
            http,
            "groups",
            xml(
                "group",
                "<reduction>5</reduction><price_display_method>0</price_display_method>" + names("Pros"),
            ),
        )
        item = int(create(http, "products", product("GR-1", "10"))["id"])
        who = _customer(http, "pro@example.fr", int(group["id"]))
    order = _order(ps, [(item, 1)], who=who)
    assert order["total_products"] == "9.500000" and order["total_products_wt"] == "11.400000"


def test_cart_rules(ps: PrestaShopSandbox) -> None:
    # CartRuleCalculator: -10 % on 2 × 19.90 (47.76 incl.) → 4.776 / 3.98 → discounts 4.78 / 3.98;
    # total = 47.76 - 4.78 + 8.40 = 51.38. Free shipping: the shipping becomes a discount of 8.40.
    with client(ps) as http:
        item = int(create(http, "products", product())["id"])

        def rule(code: str, fields: str) -> None:
            create(
                http,
                "cart_rules",
                xml(
                    "cart_rule",
                    f"<code>{code}</code><active>1</active><quantity>10</quantity>"
                    "<date_from>2020-01-01 00:00:00</date_from>"
                    f"<date_to>2099-01-01 00:00:00</date_to>{fields}" + names("Promo"),
                ),
            )

        rule("DIX", "<reduction_percent>10</reduction_percent>")
        rule("PORT", "<free_shipping>1</free_shipping>")
    ten = _order(ps, [(item, 2)], cart_rules=["DIX"])
    free = _order(ps, [(item, 2)], cart_rules=["PORT"])
    assert ten["total_discounts_tax_incl"] == "4.780000" and ten["total_discounts_tax_excl"] == "3.980000"
    assert ten["total_paid_tax_incl"] == "51.380000" and ten["total_paid_tax_excl"] == "42.820000"
    assert free["total_discounts_tax_incl"] == "8.400000" and free["total_shipping_tax_incl"] == "8.400000"
    assert free["total_paid_tax_incl"] == "47.760000"


def test_free_shipping_above_an_amount(ps: PrestaShopSandbox) -> None:
    # Cart::getPackageShippingCost: no shipping once the order without it reaches PS_SHIPPING_FREE_PRICE.
    ps.configure(PS_SHIPPING_FREE_PRICE="40")
    with client(ps) as http:
        item = int(create(http, "products", product())["id"])
    below = _order(ps, [(item, 1)])
    above = _order(ps, [(item, 2)])
    assert below["total_shipping_tax_incl"] == "8.400000" and below["total_paid"] == "32.280000"
    assert above["total_shipping_tax_incl"] == "0.000000" and above["total_paid"] == "47.760000"


def test_order_rows_and_states(ps: PrestaShopSandbox) -> None:
    # getWsOrderRows (order_rows association, not writable); validateOrder takes the stock out;
    # OrderHistory::add/changeIdOrderState: current_state, valid (logable), invoice number,
    # Canceled puts the stock back; PUT/PATCH current_state goes through setWsCurrentState.
    with client(ps) as http:
        item = int(create(http, "products", product())["id"])
        [stock] = http.get("/stock_availables", params={"output_format": "JSON", "display": "full"}).json()[
            "stock_availables"
        ]
        body = (
            f"<id>{stock['id']}</id><id_product>{item}</id_product><id_product_attribute>0</id_product_attribute>"
            "<quantity>10</quantity><depends_on_stock>0</depends_on_stock><out_of_stock>2</out_of_stock>"
        )
        http.put(f"/stock_availables/{stock['id']}", content=xml("stock_available", body))
    order = _order(ps, [(item, 3)], state=2)
    assert order["current_state"] == "2" and order["valid"] == "1" and order["invoice_number"] == "1"
    assert order["total_paid_real"] == order["total_paid"]
    rows = order["associations"]["order_rows"]
    assert len(rows) == 1 and rows[0]["product_quantity"] == "3" and rows[0]["product_name"] == "Bol à café"
    assert rows[0]["unit_price_tax_incl"] == "23.880000" and rows[0]["product_reference"] == "BOL-1"
    with client(ps) as http:

        def quantity() -> str:
            shown = http.get(f"/products/{item}", params={"output_format": "JSON", "display": "[quantity]"})
            return str(shown.json()["products"][0]["quantity"])

        assert quantity() == "7"
        history = http.post(
            "/order_histories",
            content=xml(
                "order_history", f"<id_order>{order['id']}</id_order><id_order_state>6</id_order_state>"
            ),
        )
        canceled = http.get(f"/orders/{order['id']}", params={"output_format": "JSON"}).json()["order"]
        assert quantity() == "10"
        patched = http.patch(
            f"/orders/{order['id']}",
            content=xml("order", f"<id>{order['id']}</id><current_state>4</current_state>"),
        )
        shipped = http.get(f"/orders/{order['id']}", params={"output_format": "JSON"}).json()["order"]
        histories = http.get(
            "/order_histories",
            params={
                "output_format": "JSON",
                "display": "[id_order_state]",
                "filter[id_order]": f"[{order['id']}]",
            },
        ).json()["order_histories"]
        rows_write = http.patch(
            f"/orders/{order['id']}",
            content=xml(
                "order",
                f"<id>{order['id']}</id><associations><order_rows><order_row><id>1</id><product_quantity>9</product_quantity></order_row></order_rows></associations>",
            ),
        )
    assert history.status_code == 201
    assert canceled["current_state"] == "6" and "valid" not in canceled, "valid 0 is dropped by 9.0's JSON"
    assert (
        patched.status_code == 200 and shipped["current_state"] == "4" and shipped["delivery_number"] == "1"
    )
    assert [h["id_order_state"] for h in histories] == ["2", "6", "4"]
    assert rows_write.status_code == 200
    assert quantity_after(ps, order["id"]) == "3", "order rows are not writable"


def quantity_after(ps: PrestaShopSandbox, order: int) -> str:
    with client(ps) as http:
        rows = http.get(f"/orders/{order}", params={"output_format": "JSON"}).json()["order"]["associations"][
            "order_rows"
        ]
    return str(rows[0]["product_quantity"])


def test_orders_in_a_date_window_of_the_shop_clock(ps: PrestaShopSandbox) -> None:
    # manageFilters with date=1 on orders' date_upd: the incremental pull a connector makes.
    ps.clock.freeze(datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    with client(ps) as http:
        item = int(create(http, "products", product())["id"])
        who = _customer(http)
    early = _order(ps, [(item, 1)], who=who)
    ps.clock.advance(timedelta(hours=5))
    late = _order(ps, [(item, 1)], who=who)
    with client(ps) as http:
        window = http.get(
            "/orders",
            params={
                "output_format": "JSON",
                "date": "1",
                "filter[date_upd]": "[2026-05-04 12:00:00,2026-05-04 23:59:59]",
            },
        ).json()
    assert early["date_add"] == "2026-05-04 10:00:00", "dates are written in the shop's time zone"
    assert window == {"orders": [{"id": late["id"]}]}


def test_the_admin_route_places_orders_with_the_admin_key_only(ps: PrestaShopSandbox) -> None:
    # Sandbox-only (not PrestaShop): POST /sandbox/orders.
    with client(ps) as http:
        item = int(create(http, "products", product())["id"])
        customer, address = _customer(http)
    spec = {
        "customer": customer,
        "address_delivery": address,
        "carrier": 1,
        "lines": [{"product": item, "quantity": 1}],
    }
    verify = ssl.create_default_context(cafile=str(ps.ca_file))
    with httpx.Client(base_url=ps.url, verify=verify) as http:
        refused = http.post("/sandbox/orders", json=spec)
        placed = http.post("/sandbox/orders", json=spec, auth=(ps.admin_key, ""))
        wrong = http.post("/sandbox/orders", json={**spec, "customer": 999}, auth=(ps.admin_key, ""))
    assert refused.status_code == 401
    assert placed.status_code == 200 and placed.json()["total_paid"] == "23.880000", "carrier 1 is free"
    assert wrong.status_code == 400 and wrong.json() == {"error": "customer 999 does not exist"}
    # Order::addWs validates the order's cart (PaymentModule::validateOrder); carts are not
    # simulated, so the webservice's POST /orders is refused with a pointer to the admin route.
    required = {
        "id_address_delivery": address,
        "id_address_invoice": address,
        "id_cart": 1,
        "id_currency": 1,
        "id_lang": 1,
        "id_customer": customer,
        "id_carrier": 1,
        "module": "ps_wirepayment",
        "payment": "Virement",
        "total_paid": 1,
        "total_paid_real": 1,
        "total_products": 1,
        "total_products_wt": 1,
        "conversion_rate": 1,
    }
    with client(ps) as http:
        body = "".join(f"<{k}>{v}</{k}>" for k, v in required.items())
        through_webservice = http.post("/orders", content=xml("order", body))
    assert through_webservice.status_code == 501
    assert "POST /sandbox/orders" in errors(through_webservice)[0][1]


def test_order_details_list_the_taxes_of_their_row(ps: PrestaShopSandbox) -> None:
    # OrderDetail::saveTaxCalculator writes an order_detail_tax row per tax of the row;
    # getWsTaxes lists their id_tax as the ``taxes`` association (tax_rate itself is hidden).
    with client(ps) as http:
        taxed = int(create(http, "products", product("TAX-20"))["id"])
        untaxed = int(
            create(
                http, "products", product("TAX-0").replace("<id_tax_rules_group>1<", "<id_tax_rules_group>0<")
            )["id"]
        )
    order = _order(ps, [(taxed, 1), (untaxed, 1)], state=2)
    with client(ps) as http:
        details = http.get(
            "/order_details",
            params={"output_format": "JSON", "display": "full", "filter[id_order]": f"[{order['id']}]"},
        ).json()["order_details"]
    by_reference = {d["product_reference"]: d for d in details}
    assert by_reference["TAX-20"]["associations"]["taxes"] == [{"id": "1"}]
    assert "taxes" not in by_reference["TAX-0"].get("associations", {})
    assert "tax_rate" not in by_reference["TAX-20"]
