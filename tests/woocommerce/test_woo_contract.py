"""Contract tests: the sandbox answers as WooCommerce's REST API v3 does. Each test names its source
(paths under plugins/woocommerce/ in the woocommerce/woocommerce repository unless stated)."""

from __future__ import annotations

import ssl
from decimal import Decimal
from pathlib import Path

import httpx

from comptoir.model import ProductDraft
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.woocommerce import WooCommerceShop
from woo_fixtures import woo_settings_for


def client(server: SandboxServer, auth: tuple[str, str] | None = None) -> httpx.Client:
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(
        base_url=server.api_url, verify=verify, auth=auth or (server.consumer_key, server.consumer_secret)
    )


def test_batch_over_100_items_is_413_and_nothing_is_created(woo_sandbox: SandboxServer) -> None:
    # includes/rest-api/Controllers/Version3/class-wc-rest-controller.php (check_batch_limit)
    with client(woo_sandbox) as http:
        answer = http.post("/products/batch", json={"create": [{"name": f"P{i}"} for i in range(101)]})
        total = http.get("/products").headers["X-WP-Total"]
    assert answer.status_code == 413
    assert answer.json()["code"] == "woocommerce_rest_request_entity_too_large"
    assert total == "0"


def test_batch_reports_item_errors_inside_a_200(woo_sandbox: SandboxServer) -> None:
    # class-wc-rest-controller.php (batch_items): {"id": 0|id, "error": {code, message, data}}
    with client(woo_sandbox) as http:
        http.post("/products", json={"name": "A", "sku": "A-1"})
        answer = http.post(
            "/products/batch",
            json={"create": [{"name": "B", "sku": "A-1"}], "update": [{"id": 999999, "name": "x"}]},
        )
    assert answer.status_code == 200
    body = answer.json()
    assert body["create"][0]["id"] == 0
    assert body["create"][0]["error"]["code"] == "product_invalid_sku"
    assert body["create"][0]["error"]["data"]["resource_id"] > 0
    assert body["update"][0] == {
        "id": 999999,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }


def test_unknown_ids_are_404_on_get_and_delete_400_on_update(woo_sandbox: SandboxServer) -> None:
    # includes/rest-api/Controllers/Version3/class-wc-rest-crud-controller.php
    with client(woo_sandbox) as http:
        assert http.get("/products/424242").status_code == 404
        assert http.put("/products/424242", json={"name": "x"}).status_code == 400
        gone = http.delete("/products/424242", params={"force": "true"})
    assert gone.status_code == 404 and gone.json()["code"] == "woocommerce_rest_product_invalid_id"


def test_duplicate_sku_is_product_invalid_sku_with_resource_id(woo_sandbox: SandboxServer) -> None:
    # includes/abstracts/abstract-wc-product.php (set_sku)
    with client(woo_sandbox) as http:
        first = http.post("/products", json={"name": "A", "sku": "W-1"})
        second = http.post("/products", json={"name": "B", "sku": "W-1"})
    assert first.status_code == 201 and first.headers["Location"].endswith(f"/products/{first.json()['id']}")
    assert second.status_code == 400
    assert second.json()["data"] == {"status": 400, "resource_id": first.json()["id"], "unique_sku": "W-1-1"}


def test_pagination_headers_bounds_and_past_the_end(woo_sandbox: SandboxServer) -> None:
    # class-wc-rest-crud-controller.php (get_items) and WP_REST_Request (rest_invalid_param)
    with client(woo_sandbox) as http:
        http.post("/products/batch", json={"create": [{"name": f"P{i}"} for i in range(25)]})
        page = http.get("/products", params={"per_page": 10, "page": 2})
        past = http.get("/products", params={"per_page": 10, "page": 9})
        too_many = http.get("/products", params={"per_page": 101})
    assert page.headers["X-WP-Total"] == "25" and page.headers["X-WP-TotalPages"] == "3"
    assert 'rel="prev"' in page.headers["Link"] and 'rel="next"' in page.headers["Link"]
    assert len(page.json()) == 10
    assert past.status_code == 200 and past.json() == []
    assert too_many.status_code == 400 and too_many.json()["code"] == "rest_invalid_param"
    assert too_many.json()["data"]["params"] == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }


def test_stock_status_follows_managed_stock_and_backorders(woo_sandbox: SandboxServer) -> None:
    # includes/abstracts/abstract-wc-product.php (validate_props)
    with client(woo_sandbox) as http:
        made = http.post(
            "/products/batch",
            json={
                "create": [
                    {"name": "a", "manage_stock": True, "stock_quantity": 3},
                    {"name": "b", "manage_stock": True, "stock_quantity": 0},
                    {"name": "c", "manage_stock": True, "stock_quantity": 0, "backorders": "notify"},
                    {"name": "d", "manage_stock": False, "stock_quantity": 7, "stock_status": "outofstock"},
                ]
            },
        ).json()["create"]
    assert [p["stock_status"] for p in made] == ["instock", "outofstock", "onbackorder", "outofstock"]
    assert made[3]["stock_quantity"] is None and made[3]["backorders"] == "no"


def test_auth_errors_as_woocommerce_gives_them(woo_sandbox: SandboxServer) -> None:
    # includes/class-wc-rest-authentication.php
    read_key = woo_sandbox.create_key("read")
    with client(woo_sandbox, read_key) as http:
        assert http.get("/products").status_code == 200
        refused = http.post("/products", json={"name": "x"})
    assert refused.status_code == 401
    assert refused.json()["message"] == "The API key provided does not have write permissions."
    with client(woo_sandbox, (woo_sandbox.consumer_key, "cs_bad")) as http:
        bad = http.get("/products")
    assert bad.status_code == 401 and bad.json()["message"] == "Consumer secret is invalid."
    assert "WWW-Authenticate" in bad.headers
    with client(woo_sandbox, ("ck_unknown", "cs_unknown")) as http:
        guest = http.get("/products")
        missing = http.get("/products/999")
    assert guest.status_code == 401 and guest.json()["code"] == "woocommerce_rest_cannot_view"
    assert missing.status_code == 404  # an unknown id answers 404 before the permission check


def test_order_totals_coupon_taxes_and_shipping(woo_sandbox: SandboxServer) -> None:
    # includes/class-wc-discounts.php, includes/class-wc-tax.php, includes/abstracts/abstract-wc-order.php
    with client(woo_sandbox) as http:
        http.post("/taxes/classes", json={"name": "Taux intermédiaire"})
        http.post(
            "/taxes/batch",
            json={
                "create": [
                    {"country": "FR", "rate": "20", "name": "TVA", "shipping": True},
                    {"country": "FR", "rate": "5.5", "name": "TVA", "class": "reduced-rate"},
                    {"country": "FR", "rate": "10", "name": "TVA", "class": "taux-intermediaire"},
                ]
            },
        )
        http.post("/coupons", json={"code": "DIX", "discount_type": "percent", "amount": "10"})
        a = http.post("/products", json={"name": "A", "sku": "A", "regular_price": "19.99"}).json()
        http.post(
            "/products", json={"name": "B", "sku": "B", "regular_price": "7.33", "tax_class": "reduced-rate"}
        )
        order = http.post(
            "/orders",
            json={
                "billing": {"country": "FR"},
                "customer_id": 0,
                "payment_method": "cheque",
                "line_items": [{"product_id": a["id"], "quantity": 3}, {"sku": "B", "quantity": 2}],
                "shipping_lines": [{"method_id": "flat_rate", "total": "6.90"}],
                "coupon_lines": [{"code": "DIX"}],
            },
        ).json()
    lines = {li["sku"]: li for li in order["line_items"]}
    assert lines["A"]["subtotal"] == "59.97" and lines["A"]["total"] == "53.97"
    # 10 %: floor per line (599 and 146 cents), the missing cent of round(746.3) to the dearer line.
    assert lines["B"]["subtotal"] == "14.66" and lines["B"]["total"] == "13.20"
    assert lines["A"]["total_tax"] == "10.79" and lines["B"]["total_tax"] == "0.73"
    assert order["discount_total"] == "7.46"
    assert order["shipping_tax"] == "1.38"
    assert order["total_tax"] == "12.90"
    assert order["total"] == "86.97"
    assert sorted(t["rate_percent"] for t in order["tax_lines"]) == [5.5, 20.0]
    assert order["coupon_lines"][0]["discount"] == "7.46"
    assert order["status"] == "pending"


def test_tax_settings_read_and_written_as_woocommerce_does(woo_sandbox: SandboxServer) -> None:
    # includes/rest-api/Controllers/Version2/class-wc-rest-setting-options-v2-controller.php
    with client(woo_sandbox) as http:
        listed = {o["id"]: o["value"] for o in http.get("/settings/tax").json()}
        changed = http.put("/settings/tax/woocommerce_tax_round_at_subtotal", json={"value": "yes"})
        read = http.get("/settings/tax/woocommerce_tax_round_at_subtotal").json()
        bad_value = http.put("/settings/tax/woocommerce_prices_include_tax", json={"value": "maybe"})
        unknown = http.get("/settings/tax/woocommerce_no_such_option")
        no_group = http.get("/settings/nowhere")
    # The tax group holds more options (class-wc-settings-tax.php); these two decide the totals.
    assert {
        k: listed[k] for k in ("woocommerce_prices_include_tax", "woocommerce_tax_round_at_subtotal")
    } == {
        "woocommerce_prices_include_tax": "no",
        "woocommerce_tax_round_at_subtotal": "no",
    }
    assert changed.status_code == 200 and read["value"] == "yes" and read["type"] == "checkbox"
    assert (bad_value.status_code, bad_value.json()["code"]) == (400, "rest_setting_value_invalid")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "rest_setting_setting_invalid")
    assert (no_group.status_code, no_group.json()["code"]) == (404, "rest_setting_setting_group_invalid")


def test_order_totals_with_prices_entered_with_tax(woo_sandbox: SandboxServer) -> None:
    # includes/wc-product-functions.php (wc_get_price_excluding_tax), class-wc-tax.php
    # (calc_inclusive_tax), abstract-wc-order.php (set_item_discount_amounts, calculate_totals)
    with client(woo_sandbox) as http:
        http.put("/settings/tax/woocommerce_prices_include_tax", json={"value": "yes"})
        http.post("/taxes", json={"country": "FR", "rate": "20", "name": "TVA", "shipping": True})
        http.post("/coupons", json={"code": "DIX", "discount_type": "percent", "amount": "10"})
        http.post("/products", json={"name": "A", "sku": "A", "regular_price": "10.00"})
        order = http.post(
            "/orders",
            json={
                "billing": {"country": "FR"},
                "line_items": [{"sku": "A", "quantity": 3}],
                "coupon_lines": [{"code": "DIX"}],
            },
        ).json()
    [line] = order["line_items"]
    assert order["prices_include_tax"] is True
    # 30.00 with tax: 25.00 net (24.999999 kept), 5.00 tax; 10 % off 30.00 = 3.00, of which 0.50 tax.
    assert (line["subtotal"], line["subtotal_tax"]) == ("25.00", "5.00")
    assert (line["total"], line["total_tax"]) == ("22.50", "4.50")
    assert order["total"] == "27.00"
    assert (order["coupon_lines"][0]["discount"], order["coupon_lines"][0]["discount_tax"]) == (
        "2.50",
        "0.50",
    )


def test_variations_batch_items_choose_their_parent(woo_sandbox: SandboxServer) -> None:
    # Version2/class-wc-rest-product-variations-v2-controller.php (batch_items merges the route's
    # product_id under each item) and Version3/class-wc-rest-product-variations-controller.php
    # (prepare_object_for_database sets the parent from the request)
    with client(woo_sandbox) as http:
        p1 = http.post("/products", json={"name": "P1", "type": "variable"}).json()
        p2 = http.post("/products", json={"name": "P2", "type": "variable"}).json()
        made = http.post(
            f"/products/{p1['id']}/variations/batch",
            json={"create": [{"sku": "X1", "regular_price": "1"}, {"sku": "X2", "product_id": p2["id"]}]},
        ).json()["create"]
        second = http.get(f"/products/{p2['id']}").json()
    assert [v["parent_id"] for v in made] == [p1["id"], p2["id"]]
    assert second["variations"] == [made[1]["id"]]


async def test_oauth_over_plain_http(woo_tls_dir: Path) -> None:
    # includes/class-wc-rest-authentication.php (perform_oauth_authentication)
    with SandboxServer(tls=False) as server:
        settings, secrets = woo_settings_for(server)
        async with WooCommerceShop.from_settings(settings, secrets) as shop:
            check = await shop.check()
            [saved] = await shop.save_products([ProductDraft("O-1", regular_price=Decimal(2))], [])
            found = await shop.find_products(["O-1", "O-2"])
        with httpx.Client(
            base_url=server.api_url, auth=(server.consumer_key, server.consumer_secret)
        ) as http:
            basic = http.get("/products")
    assert "OAuth" in check.description and saved.ok and list(found) == ["O-1"]
    assert basic.status_code == 401  # Basic keys are ignored without HTTPS


def test_restart_on_the_same_file_keeps_keys_and_data(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite"
    with SandboxServer(db) as first, client(first) as http:
        http.post("/products", json={"name": "Kept", "sku": "K-1"})
        keys = (first.consumer_key, first.consumer_secret)
    with SandboxServer(db) as second, client(second) as http:
        assert (second.consumer_key, second.consumer_secret) == keys
        assert [p["sku"] for p in http.get("/products").json()] == ["K-1"]
