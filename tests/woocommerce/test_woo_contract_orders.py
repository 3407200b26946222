"""Contract tests: orders, refunds, order notes, taxes and coupons answer as WooCommerce does.

Paths are under ``plugins/woocommerce/`` in the woocommerce/woocommerce repository;
``Tests/Version3/…`` are its legacy REST unit tests (``tests/legacy/unit-tests/rest-api/``) and
``tests/php/…`` its newer ones, whose assertions are ported here.
"""

from __future__ import annotations

from typing import Any

import httpx


def _taxes(woo: httpx.Client) -> None:
    woo.post(
        "/taxes/batch",
        json={
            "create": [
                {"country": "FR", "rate": "20", "name": "TVA", "shipping": True},
                {"country": "FR", "rate": "5.5", "name": "TVA", "class": "reduced-rate"},
            ]
        },
    )


def _order(woo: httpx.Client, **extra: Any) -> dict[str, Any]:
    found = woo.get("/products", params={"sku": "L-1"}).json()
    product = (
        found[0]
        if found
        else woo.post(
            "/products",
            json={
                "name": "Lampe",
                "sku": "L-1",
                "regular_price": "10",
                "manage_stock": True,
                "stock_quantity": 10,
            },
        ).json()
    )
    body = {
        "billing": {"country": "FR"},
        "payment_method": "cheque",
        "line_items": [{"product_id": product["id"], "quantity": 3}],
    }
    made = woo.post("/orders", json={**body, **extra})
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_refund_of_a_line_restocks_and_partially_refunds(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-order-refunds-controller.php prepare_object_for_database (amount from
    # the lines when absent) → wc_create_refund (refund lines are negative copies, the order lists
    # its refunds as "-x.xx", restock with a note "Item #… stock increased from … to ….").
    _taxes(woo)
    order = _order(woo, set_paid=True)
    line = order["line_items"][0]
    refund = woo.post(
        f"/orders/{order['id']}/refunds",
        json={
            "api_refund": False,
            "reason": "Cassé",
            "line_items": [
                {
                    "id": line["id"],
                    "quantity": 1,
                    "refund_total": 10,
                    "refund_tax": [{"id": line["taxes"][0]["id"], "refund_total": 2}],
                }
            ],
        },
    )
    assert refund.status_code == 201, refund.text
    body = refund.json()
    assert refund.headers["Location"].endswith(f"/orders/{order['id']}/refunds/{body['id']}")
    assert body["amount"] == "12.00" and body["reason"] == "Cassé" and body["refunded_by"] == 1
    assert body["line_items"][0]["quantity"] == -1 and body["line_items"][0]["total"] == "-10.00"
    shown = woo.get(f"/orders/{order['id']}").json()
    assert shown["refunds"] == [{"id": body["id"], "reason": "Cassé", "total": "-12.00"}]
    assert shown["status"] == "processing"
    product = woo.get(f"/products/{line['product_id']}").json()
    assert product["stock_quantity"] == 8
    notes = [n["note"] for n in woo.get(f"/orders/{order['id']}/notes").json()]
    assert f"Item #{line['product_id']} stock increased from 7 to 8." in notes
    listed = woo.get("/refunds").json()
    assert listed[0]["id"] == body["id"] and listed[0]["parent_id"] == order["id"]


def test_refund_errors(woo: httpx.Client) -> None:
    # wc_create_refund: more than what remains is "Invalid refund amount." (500); a gateway without
    # refunds support cannot refund automatically (api_refund defaults to true); missing order 404;
    # refunds cannot be trashed (DELETE force defaults to true; force=false is 501)
    order = _order(woo)
    too_much = woo.post(f"/orders/{order['id']}/refunds", json={"amount": "31", "api_refund": False})
    auto = woo.post(f"/orders/{order['id']}/refunds", json={"amount": "1"})
    missing = woo.post("/orders/999999/refunds", json={"amount": "1"})
    negative = woo.post(f"/orders/{order['id']}/refunds", json={"amount": "-1", "api_refund": False})
    assert too_much.status_code == 500 and too_much.json()["message"] == "Invalid refund amount."
    assert too_much.json()["code"] == "woocommerce_rest_cannot_create_order_refund"
    assert auto.json()["message"] == "The payment gateway for this order does not support automatic refunds."
    assert missing.status_code == 404 and missing.json()["code"] == "woocommerce_rest_invalid_order_id"
    assert negative.json()["message"] == "Refund amount must be greater than zero."
    made = woo.post(f"/orders/{order['id']}/refunds", json={"amount": "30", "api_refund": False}).json()
    assert woo.get(f"/orders/{order['id']}").json()["status"] == "refunded"
    assert (
        woo.delete(f"/orders/{order['id']}/refunds/{made['id']}", params={"force": "false"}).status_code
        == 501
    )
    assert woo.delete(f"/orders/{order['id']}/refunds/{made['id']}").status_code == 200
    gone = woo.get(f"/orders/{order['id']}/refunds/{made['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "woocommerce_rest_invalid_order_refund_id"


def test_order_notes(woo: httpx.Client) -> None:
    # Version2/class-wc-rest-order-notes-v2-controller.php + v3: note required; author WooCommerce
    # unless added_by_user; newest first; type filter; DELETE needs force (its message says
    # "Webhooks", as in WooCommerce); status changes leave "Order status changed from … to …."
    order = _order(woo)
    woo.put(f"/orders/{order['id']}", json={"status": "on-hold"})
    missing = woo.post(f"/orders/{order['id']}/notes", json={})
    mine = woo.post(f"/orders/{order['id']}/notes", json={"note": "Appelé le client", "added_by_user": True})
    public = woo.post(f"/orders/{order['id']}/notes", json={"note": "Expédié", "customer_note": True})
    assert missing.status_code == 400 and missing.json()["code"] == "rest_missing_callback_param"
    assert mine.status_code == 201 and mine.json()["author"] == "admin"
    assert public.json()["author"] == "WooCommerce" and public.json()["customer_note"] is True
    notes = woo.get(f"/orders/{order['id']}/notes").json()
    assert [n["note"] for n in notes][:2] == ["Expédié", "Appelé le client"]
    assert "Order status changed from Pending payment to On hold." in [n["note"] for n in notes]
    assert "Stock levels reduced: Lampe (L-1) 10&rarr;7" in [n["note"] for n in notes]
    assert [
        n["note"] for n in woo.get(f"/orders/{order['id']}/notes", params={"type": "customer"}).json()
    ] == ["Expédié"]
    trash = woo.delete(f"/orders/{order['id']}/notes/{mine.json()['id']}")
    assert trash.status_code == 501 and trash.json()["message"] == "Webhooks do not support trashing."
    wrong = woo.get("/orders/999999/notes")
    assert wrong.status_code == 404 and wrong.json()["code"] == "woocommerce_rest_shop_order_invalid_id"


def test_line_items_merge_remove_and_refuse_foreign_ids(woo: httpx.Client) -> None:
    # Version2/class-wc-rest-orders-v2-controller.php: item_is_null_or_zero (quantity 0 or a null
    # product_id removes the item), set_item (an id of another order is
    # woocommerce_rest_invalid_item_id); v3 calculate_coupons replaces the coupons as a whole
    woo.post("/coupons", json={"code": "dix", "discount_type": "percent", "amount": "10"})
    order = _order(woo, coupon_lines=[{"code": "DIX"}])
    other = _order(woo)
    line = order["line_items"][0]
    foreign = woo.put(
        f"/orders/{order['id']}", json={"line_items": [{"id": other["line_items"][0]["id"], "quantity": 2}]}
    )
    assert foreign.status_code == 400
    assert foreign.json()["message"] == "Order item ID provided is not associated with order."
    assert order["coupon_lines"][0]["code"] == "dix" and order["discount_total"] == "3.00"
    updated = woo.put(
        f"/orders/{order['id']}", json={"line_items": [{"id": line["id"], "quantity": 0}], "coupon_lines": []}
    ).json()
    assert updated["line_items"] == [] and updated["coupon_lines"] == [] and updated["total"] == "0.00"
    missing = woo.put(f"/orders/{order['id']}", json={"coupon_lines": [{"code": "nope"}]})
    assert missing.json() == {
        "code": "woocommerce_rest_invalid_coupon",
        "message": 'Coupon "nope" does not exist!',
        "data": {"status": 400},
    }


def test_taxes_follow_the_shop_settings(woo: httpx.Client) -> None:
    # abstract-wc-order.php calculate_totals (taxes only when wc_tax_enabled), update_taxes and
    # WC_Order_Item_Product::set_taxes (woocommerce_tax_round_at_subtotal), wc_get_price_excluding_tax
    # (prices entered with tax: the base-location tax comes off the line)
    _taxes(woo)
    woo.post("/products", json={"name": "A", "sku": "A", "regular_price": "0.99"})
    lines = [{"sku": "A", "quantity": 1} for _ in range(3)]
    per_line = woo.post("/orders", json={"billing": {"country": "FR"}, "line_items": lines}).json()
    woo.put("/settings/tax/woocommerce_tax_round_at_subtotal", json={"value": "yes"})
    at_subtotal = woo.post("/orders", json={"billing": {"country": "FR"}, "line_items": lines}).json()
    assert per_line["total_tax"] == "0.60"  # 3 × round(0.198)
    assert at_subtotal["total_tax"] == "0.59"  # round(3 × 0.198)
    woo.put("/settings/tax/woocommerce_tax_round_at_subtotal", json={"value": "no"})
    woo.put("/settings/tax/woocommerce_prices_include_tax", json={"value": "yes"})
    woo.post("/products", json={"name": "B", "sku": "B", "regular_price": "12"})
    inclusive = woo.post(
        "/orders", json={"billing": {"country": "FR"}, "line_items": [{"sku": "B", "quantity": 1}]}
    ).json()
    assert inclusive["prices_include_tax"] is True
    assert (inclusive["line_items"][0]["total"], inclusive["total_tax"], inclusive["total"]) == (
        "10.00",
        "2.00",
        "12.00",
    )
    woo.put("/settings/general/woocommerce_calc_taxes", json={"value": "no"})
    untaxed = woo.post(
        "/orders", json={"billing": {"country": "FR"}, "line_items": [{"sku": "A", "quantity": 1}]}
    ).json()
    assert untaxed["total_tax"] == "0.00" and untaxed["tax_lines"] == []


def test_set_paid_completes_downloadable_virtual_orders(woo: httpx.Client) -> None:
    # class-wc-order.php payment_complete: completed when no item needs processing (all virtual and
    # downloadable), processing otherwise; needs_payment false once paid
    ebook = woo.post(
        "/products", json={"name": "E-book", "regular_price": "5", "virtual": True, "downloadable": True}
    ).json()
    order = woo.post(
        "/orders", json={"set_paid": True, "line_items": [{"product_id": ebook["id"], "quantity": 1}]}
    ).json()
    assert order["status"] == "completed" and order["needs_processing"] is False
    assert order["needs_payment"] is False and order["date_paid"] is not None


def test_order_search_and_currency(woo: httpx.Client) -> None:
    # wc_order_search (billing/shipping address index, item names, id); the currency enum is
    # get_woocommerce_currencies (Version2/class-wc-rest-orders-v2-controller.php get_item_schema)
    _order(woo, billing={"country": "FR", "first_name": "Amélie", "city": "Lyon"})
    _order(woo, billing={"country": "FR", "first_name": "Paul", "city": "Nantes"})
    found = woo.get("/orders", params={"search": "lyon"}).json()
    assert [o["billing"]["first_name"] for o in found] == ["Amélie"]
    bad = woo.post("/orders", json={"currency": "EURO"})
    assert bad.status_code == 400 and bad.json()["data"]["details"]["currency"]["code"] == "rest_not_in_enum"
    assert woo.post("/orders", json={"currency": "CHF"}).json()["currency"] == "CHF"


def test_deleted_order_answers(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-crud-controller.php delete_item: trash, then 410 with the post type
    order = _order(woo)
    assert woo.delete(f"/orders/{order['id']}").json()["status"] == "trash"
    again = woo.delete(f"/orders/{order['id']}")
    assert again.status_code == 410 and again.json()["message"] == "The shop_order has already been deleted."
    assert woo.get("/orders").json() == []
    assert [o["id"] for o in woo.get("/orders", params={"status": "trash"}).json()] == [order["id"]]


def test_taxes_locations_and_errors(woo: httpx.Client) -> None:
    # Ports tests/php/includes/rest-api/Controllers/Version3/class-wc-rest-taxes-controller-tests.php
    # (postcodes/cities arrays; postcode/city are the last ones; cities in upper case) and
    # Version1/class-wc-rest-taxes-v1-controller.php (rate as 4 decimals, errors)
    made = woo.post(
        "/taxes",
        json={
            "country": "fr",
            "rate": "5.5",
            "name": "TVA",
            "postcodes": ["75001", "75002"],
            "cities": ["paris", "Lyon"],
        },
    )
    body = made.json()
    assert made.status_code == 201
    assert (body["country"], body["rate"], body["priority"], body["shipping"], body["class"]) == (
        "FR",
        "5.5000",
        1,
        True,
        "standard",
    )
    assert (body["postcode"], body["postcodes"]) == ("75002", ["75001", "75002"])
    assert (body["city"], body["cities"]) == ("LYON", ["PARIS", "LYON"])
    semicolons = woo.put(
        f"/taxes/{body['id']}", json={"postcode": "13001; 13002", "city": "Marseille"}
    ).json()
    assert semicolons["postcodes"] == ["13001", "13002"] and semicolons["cities"] == ["MARSEILLE"]
    trash = woo.delete(f"/taxes/{body['id']}")
    missing = woo.delete("/taxes/999999", params={"force": "true"})
    assert trash.status_code == 501 and trash.json()["message"] == "Taxes do not support trashing."
    assert missing.status_code == 400 and missing.json()["code"] == "woocommerce_rest_invalid_id"
    assert woo.get("/taxes/999999").status_code == 404
    wrong_class = woo.post("/taxes", json={"rate": "1", "class": "nope"})
    assert (
        wrong_class.json()["data"]["params"]["class"]
        == "class is not one of standard, reduced-rate, and zero-rate."
    )


def test_tax_classes(woo: httpx.Client) -> None:
    # Version1/class-wc-rest-tax-classes-v1-controller.php and Version2 (GET taxes/classes/<slug>);
    # WC_Tax::create_tax_class errors as woocommerce_rest_<code>
    listed = woo.get("/taxes/classes").json()
    made = woo.post("/taxes/classes", json={"name": "Taux intermédiaire"})
    dup = woo.post("/taxes/classes", json={"name": "Taux intermédiaire"})
    one = woo.get("/taxes/classes/taux-intermediaire")
    unknown = woo.get("/taxes/classes/nope")
    assert [(c["slug"], c["name"]) for c in listed] == [
        ("standard", "Standard rate"),
        ("reduced-rate", "Reduced rate"),
        ("zero-rate", "Zero rate"),
    ]
    assert made.status_code == 201 and made.json()["slug"] == "taux-intermediaire"
    assert dup.status_code == 400 and dup.json()["code"] == "woocommerce_rest_tax_class_exists"
    assert [c["slug"] for c in one.json()] == ["taux-intermediaire"]
    assert woo.get("/taxes/classes/standard").json()[0]["name"] == "Standard rate"
    assert unknown.status_code == 404 and unknown.json() == {
        "code": "woocommerce_rest_tax_class_invalid_slug",
        "message": "Invalid slug.",
        "data": {"status": 404},
    }
    assert woo.delete("/taxes/classes/taux-intermediaire").status_code == 501
    gone = woo.delete("/taxes/classes/taux-intermediaire", params={"force": "true"})
    assert gone.status_code == 200 and gone.json()["slug"] == "taux-intermediaire"


def test_coupons_legacy_expectations(woo: httpx.Client) -> None:
    # Ports Tests/Version3/coupons.php: test_create_coupon (the answer's fields, amounts with two
    # decimals, usage_limit), test_batch_coupon, test_update_coupon_invalid_id (400),
    # test_delete_coupon_invalid_id (404); code duplicates are refused
    made = woo.post(
        "/coupons",
        json={
            "code": "test",
            "amount": "5.00",
            "discount_type": "fixed_product",
            "description": "Test",
            "usage_limit": 10,
        },
    )
    body = made.json()
    assert made.status_code == 201
    assert {
        k: body[k]
        for k in (
            "code",
            "amount",
            "status",
            "discount_type",
            "usage_limit",
            "usage_limit_per_user",
            "minimum_amount",
            "maximum_amount",
            "maximum_discount",
            "date_expires",
        )
    } == {
        "code": "test",
        "amount": "5.00",
        "status": "publish",
        "discount_type": "fixed_product",
        "usage_limit": 10,
        "usage_limit_per_user": None,
        "minimum_amount": "0.00",
        "maximum_amount": "0.00",
        "maximum_discount": "0.00",
        "date_expires": None,
    }
    batch = woo.post(
        "/coupons/batch",
        json={
            "update": [{"id": body["id"], "amount": "5.15"}],
            "create": [{"code": "new-coupon", "amount": "11"}],
        },
    ).json()
    assert batch["update"][0]["amount"] == "5.15" and batch["create"][0]["amount"] == "11.00"
    assert woo.put("/coupons/0", json={"amount": "1"}).status_code == 400
    assert woo.delete("/coupons/0", params={"force": "true"}).status_code == 404
    dup = woo.post("/coupons", json={"code": "TEST"})
    assert dup.json() == {
        "code": "woocommerce_rest_coupon_code_already_exists",
        "message": "The coupon code already exists",
        "data": {"status": 400},
    }
    empty = woo.post("/coupons/batch", json={"create": [{"code": ""}]}).json()["create"][0]
    assert empty["error"]["code"] == "woocommerce_rest_empty_coupon_code"
