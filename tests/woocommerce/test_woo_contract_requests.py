"""Contract tests: how the sandbox reads requests, as WordPress's REST server does.

Sources: WordPress ``src/wp-includes/rest-api/class-wp-rest-request.php`` (parameter order,
``has_valid_params``, ``sanitize_params``), ``src/wp-includes/rest-api.php``
(``rest_validate_value_from_schema``, ``rest_sanitize_value_from_schema``, ``rest_is_boolean``,
``rest_filter_response_fields``), ``class-wp-rest-server.php`` (``_envelope``, ``rest_no_route``);
WooCommerce paths are under ``plugins/woocommerce/includes/rest-api/Controllers/``.
"""

from __future__ import annotations

import httpx

from comptoir.sandbox.woocommerce import SandboxServer
from woo_fixtures import woo_client


def test_invalid_params_are_400_with_params_and_details(woo: httpx.Client) -> None:
    # rest-api.php rest_validate_value_from_schema: type, enum ("a, b, and c"), nested names;
    # class-wp-rest-request.php has_valid_params: {params: {name: message}, details: {name: error}}
    answer = woo.post(
        "/products",
        json={"name": 5, "status": "published", "categories": [{"id": "x"}], "regular_price": 10},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == "Invalid parameter(s): name, status, regular_price, categories"
    assert body["data"]["params"] == {
        "name": "name is not of type string.",
        "status": "status is not one of draft, pending, private, publish, future, auto-draft, and trash.",
        "regular_price": "regular_price is not of type string.",
        "categories": "categories[0][id] is not of type integer.",
    }
    assert body["data"]["details"]["name"] == {
        "code": "rest_invalid_type",
        "message": "name is not of type string.",
        "data": {"param": "name"},
    }
    assert body["data"]["details"]["status"]["code"] == "rest_not_in_enum"
    assert body["data"]["details"]["categories"]["data"] == {"param": "categories[0][id]"}


def test_validation_happens_before_the_permission_check(woo_sandbox: SandboxServer) -> None:
    # class-wp-rest-server.php: has_valid_params and sanitize_params run before permission_callback
    with woo_client(woo_sandbox, ("ck_nobody", "cs_nobody")) as guest:
        invalid = guest.get("/products", params={"per_page": 0})
        valid = guest.get("/products", params={"per_page": 5})
    assert invalid.status_code == 400
    assert invalid.json()["data"]["params"] == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }
    assert valid.status_code == 401 and valid.json()["code"] == "woocommerce_rest_cannot_view"


def test_missing_required_argument(woo: httpx.Client) -> None:
    # class-wp-rest-request.php has_valid_params: rest_missing_callback_param, checked before types.
    # Ports Tests/Version3/coupons.php::test_create_coupon_invalid_fields (400 without a code).
    answer = woo.post("/coupons", json={"amount": "5.00", "discount_type": 7})
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "rest_missing_callback_param",
        "message": "Missing parameter(s): code",
        "data": {"status": 400, "params": ["code"]},
    }


def test_integers_and_booleans_accept_their_string_forms(woo: httpx.Client) -> None:
    # rest-api.php rest_is_integer ("5" and 5.0 are integers) and rest_is_boolean ("true", "0", 1;
    # not "yes"); the value reaches the handler sanitized (stock_quantity "7" → 7).
    made = woo.post("/products", json={"name": "A", "manage_stock": "true", "stock_quantity": "7"})
    refused = woo.post("/products", json={"name": "B", "manage_stock": "yes"})
    fractional = woo.post("/products", json={"name": "C", "stock_quantity": 2.5})
    assert made.status_code == 201
    assert made.json()["manage_stock"] is True and made.json()["stock_quantity"] == 7
    assert refused.status_code == 400
    assert refused.json()["data"]["params"] == {"manage_stock": "manage_stock is not of type boolean."}
    assert fractional.json()["data"]["params"] == {"stock_quantity": "stock_quantity is not of type integer."}


def test_null_skips_validation_and_is_sanitized_to_its_type(woo: httpx.Client) -> None:
    # class-wp-rest-request.php: has_valid_params validates non-null values only; sanitize_params
    # turns null into "" for a string; $request['x'] is isset(): a null counts as absent.
    made = woo.post("/products", json={"name": "N", "sku": None, "description": None})
    assert made.status_code == 201
    assert made.json()["sku"] == "" and made.json()["description"] == ""


def test_dates_must_be_rfc3339_date_times(woo: httpx.Client) -> None:
    # rest-api.php rest_parse_date: a date alone is refused (rest_invalid_date)
    answer = woo.get("/orders", params={"after": "2024-01-01"})
    ok = woo.get("/orders", params={"after": "2024-01-01T00:00:00"})
    assert answer.status_code == 400
    assert answer.json()["data"]["details"]["after"]["code"] == "rest_invalid_date"
    assert answer.json()["data"]["params"] == {"after": "Invalid date."}
    assert ok.status_code == 200


def test_array_arguments_accept_lists_and_comma_strings(woo: httpx.Client) -> None:
    # rest-api.php rest_is_array / wp_parse_list: "a,b" and a[]=a&a[]=b are both arrays;
    # orders' status (v3) is an array of enum values.
    both = woo.get("/orders", params={"status": "pending,processing"})
    listed = woo.get("/orders", params=[("status[]", "pending"), ("status[]", "completed")])
    wrong = woo.get("/orders", params={"status": "pending,shipped"})
    assert both.status_code == 200 and listed.status_code == 200
    assert wrong.status_code == 400
    assert wrong.json()["data"]["params"]["status"].startswith(
        "status[1] is not one of any, trash, auto-draft,"
    )


def test_json_body_needs_a_json_content_type(woo: httpx.Client) -> None:
    # class-wp-rest-request.php parse_json_params: only for application/json (wp_is_json_media_type);
    # a form body is read as POST parameters (PHP parse_str: a[b]=c).
    form = woo.post("/products", data={"name": "Form", "dimensions[length]": "12", "regular_price": "3.50"})
    ignored = woo.post("/products", content=b'{"name": "Plain"}', headers={"Content-Type": "text/plain"})
    assert form.status_code == 201
    assert form.json()["dimensions"]["length"] == "12" and form.json()["regular_price"] == "3.50"
    assert ignored.status_code == 201 and ignored.json()["name"] == ""


def test_malformed_json_is_rest_invalid_json(woo: httpx.Client) -> None:
    # class-wp-rest-request.php parse_json_params: json_error_code / json_error_message
    answer = woo.post("/products", content=b'{"name": ', headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "rest_invalid_json",
        "message": "Invalid JSON body passed.",
        "data": {"status": 400, "json_error_code": 4, "json_error_message": "Syntax error"},
    }


def test_json_wins_over_the_query_string(woo: httpx.Client) -> None:
    # class-wp-rest-request.php get_parameter_order: JSON, POST, GET, URL, defaults
    made = woo.post("/products", params={"name": "From query", "sku": "Q-1"}, json={"name": "From body"})
    assert made.json()["name"] == "From body" and made.json()["sku"] == "Q-1"


def test_fields_keeps_the_fields_asked_for(woo: httpx.Client) -> None:
    # rest-api.php rest_filter_response_fields: _fields=a,b.c on items and collections
    woo.post("/products", json={"name": "F", "dimensions": {"length": "3"}})
    listed = woo.get("/products", params={"_fields": "id,name,dimensions.length"})
    assert [set(p) for p in listed.json()] == [{"id", "name", "dimensions"}]
    assert listed.json()[0]["dimensions"] == {"length": "3"}


def test_envelope_wraps_the_answer(woo: httpx.Client) -> None:
    # class-wp-rest-server.php envelope_response: 200 with {body, status, headers}
    answer = woo.get("/products/999999", params={"_envelope": "1"})
    assert answer.status_code == 200
    assert answer.json()["status"] == 404
    assert answer.json()["body"]["code"] == "woocommerce_rest_product_invalid_id"


def test_unknown_route_is_rest_no_route(woo: httpx.Client) -> None:
    # class-wp-rest-server.php dispatch; e.g. reports are not simulated, PUT taxes/classes/<slug>
    # is not a route in WooCommerce either (Version1/class-wc-rest-tax-classes-v1-controller.php)
    for method, path in (("GET", "/reports/sales"), ("PUT", "/taxes/classes/reduced-rate")):
        answer = woo.request(method, path, json={})
        assert answer.status_code == 404
        assert answer.json()["code"] == "rest_no_route"


def test_guest_on_a_missing_object_gets_the_not_found_answer(woo_sandbox: SandboxServer) -> None:
    # Version3/class-wc-rest-crud-controller.php: the item permission checks pass when there is no
    # object to check, so the handler's 400/404 answers first
    with woo_client(woo_sandbox, ("ck_nobody", "cs_nobody")) as guest:
        update = guest.put("/products/424242", json={"name": "x"})
        delete = guest.delete("/orders/424242")
    assert update.status_code == 400 and update.json()["code"] == "woocommerce_rest_product_invalid_id"
    assert delete.status_code == 404 and delete.json()["code"] == "woocommerce_rest_shop_order_invalid_id"


def test_api_index_lists_both_namespaces(woo_sandbox: SandboxServer) -> None:
    # class-wp-rest-server.php get_index / get_namespace_index
    with woo_client(woo_sandbox) as http:
        root = http.get(woo_sandbox.url + "/wp-json/").json()
        wc = http.get("").json()
    assert {"wc/v3", "wp/v2"} <= set(root["namespaces"])
    assert wc["namespace"] == "wc/v3"
    assert "/wc/v3/orders/<order_id>/refunds" in wc["routes"]
    assert all(r["namespace"] == "wc/v3" for r in wc["routes"].values())
