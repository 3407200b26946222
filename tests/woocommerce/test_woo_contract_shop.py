"""Contract tests: customers, settings, payment gateways, webhooks and the system status answer as
WooCommerce does.

Paths are under ``plugins/woocommerce/`` in the woocommerce/woocommerce repository;
``Tests/Version3/…`` are its legacy REST unit tests (``tests/legacy/unit-tests/rest-api/``) and
``tests/php/…`` its newer ones, whose assertions are ported here.
"""

from __future__ import annotations

import httpx

from comptoir.sandbox.woocommerce import SandboxServer
from woo_fixtures import woo_client


def test_customer_create_and_email_rules(woo: httpx.Client) -> None:
    # Version1/class-wc-rest-customers-v1-controller.php: creation requires an e-mail (the arg
    # replaces the schema's, so its format is checked by WC_Customer::set_email, not by WordPress);
    # wc_create_new_customer refuses duplicates; v3 answers have no order count or total spent
    made = woo.post("/customers", json={"email": "Jeanne@example.fr", "first_name": "Jeanne"})
    body = made.json()
    assert made.status_code == 201 and body["role"] == "customer" and body["username"] == "jeanne"
    assert "orders_count" not in body and "total_spent" not in body
    assert body["avatar_url"].startswith("https://secure.gravatar.com/avatar/")
    missing = woo.post("/customers", json={"first_name": "X"})
    invalid = woo.post("/customers", json={"email": "not-an-email"})
    dup = woo.post("/customers", json={"email": "Jeanne@example.fr"})
    assert missing.json()["code"] == "rest_missing_callback_param"
    assert invalid.json() == {
        "code": "customer_invalid_email",
        "message": "Invalid email address.",
        "data": {"status": 400},
    }
    assert dup.json()["code"] == "registration-error-email-exists"
    on_update = woo.put(f"/customers/{body['id']}", json={"email": "nope"})
    assert (
        on_update.status_code == 400
        and on_update.json()["data"]["details"]["email"]["code"] == "rest_invalid_email"
    )
    renamed = woo.put(f"/customers/{body['id']}", json={"username": "autre"})
    assert renamed.json()["message"] == "Username isn't editable."


def test_customer_usernames_are_unique_as_wordpress_logins_are(woo: httpx.Client) -> None:
    # wc-user-functions.php wc_create_new_customer_username (the e-mail's local part, the domain
    # for generic ones, a suffix when taken) and wc_create_new_customer (username_exists refuses
    # a login already taken; user_login compares without case in WordPress's table)
    first = woo.post("/customers", json={"email": "marie@example.fr"}).json()
    second = woo.post("/customers", json={"email": "marie@exemple.com"}).json()
    generic = woo.post("/customers", json={"email": "contact@atelier.fr"}).json()
    taken = woo.post("/customers", json={"email": "autre@example.fr", "username": "MARIE"})
    chosen = woo.post("/customers", json={"email": "paul@example.fr", "username": "paul.b"}).json()
    assert first["username"] == "marie"
    assert second["username"].startswith("marie-") and second["username"] != "marie"
    assert generic["username"] == "atelier.fr"
    assert taken.status_code == 400 and taken.json()["code"] == "registration-error-username-exists"
    assert chosen["username"] == "paul.b"
    deleted = woo.delete(f"/customers/{first['id']}", params={"force": "true"})
    assert deleted.status_code == 200
    again = woo.post("/customers", json={"email": "marie@example.org"}).json()
    assert again["username"] == "marie"


def test_customer_single_routes_and_roles(woo: httpx.Client) -> None:
    # Version3/class-wc-rest-customers-controller.php: a missing user is wc_user_invalid_id (404) on
    # the single routes, woocommerce_rest_invalid_id (400) in a batch update; the administrator
    # cannot be deleted nor have its e-mail changed here (allowed roles: customer, subscriber)
    missing = woo.get("/customers/999999")
    batch = woo.post("/customers/batch", json={"update": [{"id": 999999, "first_name": "x"}]}).json()
    admin_delete = woo.delete("/customers/1", params={"force": "true"})
    admin_email = woo.put("/customers/1", json={"email": "other@example.fr"})
    assert missing.status_code == 404 and missing.json()["code"] == "wc_user_invalid_id"
    assert batch["update"][0]["error"]["code"] == "woocommerce_rest_invalid_id"
    assert admin_delete.status_code == 403
    assert admin_delete.json()["message"] == (
        "Sorry, users with administrator role cannot be deleted via this endpoint. "
        "Allowed roles: customer, subscriber"
    )
    assert (
        admin_email.json()["message"]
        == "Sorry, email cannot be updated via this endpoint for a user with role administrator."
    )
    made = woo.post("/customers", json={"email": "a@example.fr"}).json()
    assert woo.delete(f"/customers/{made['id']}").status_code == 501
    assert woo.get("/customers", params={"role": "all"}).headers["X-WP-Total"] == "2"
    assert woo.get("/customers").headers["X-WP-Total"] == "1"


def test_settings_groups_and_values(woo: httpx.Client) -> None:
    # Version2/class-wc-rest-setting-options-v2-controller.php (get_group_settings, update_item with
    # validate_setting_select_field / _checkbox_field); ports Tests/Version3/settings.php
    # (test_get_setting, test_update_setting, test_update_setting_with_invalid_value)
    groups = {g["id"] for g in woo.get("/settings").json()}
    currency = woo.get("/settings/general/woocommerce_currency").json()
    prices = woo.get("/settings/tax/woocommerce_prices_include_tax").json()
    assert {"general", "tax"} <= groups
    assert currency["value"] == "EUR" and currency["default"] == "USD" and currency["type"] == "select"
    assert currency["group_id"] == "general" and currency["options"]["EUR"] == "Euro (&euro;) &mdash; EUR"
    assert prices["type"] == "radio" and prices["value"] == "no"
    assert set(prices["options"]) == {"yes", "no"}
    bad = woo.put("/settings/general/woocommerce_currency", json={"value": "XXX"})
    bad_checkbox = woo.put("/settings/tax/woocommerce_tax_round_at_subtotal", json={"value": "maybe"})
    assert bad.status_code == 400 and bad.json()["code"] == "rest_setting_value_invalid"
    assert bad_checkbox.json()["message"] == "An invalid setting value was passed."
    assert woo.put("/settings/general/woocommerce_currency", json={"value": "CHF"}).json()["value"] == "CHF"
    assert woo.get("/settings/nope").json()["code"] == "rest_setting_setting_group_invalid"
    assert woo.get("/settings/general/nope").json()["code"] == "rest_setting_setting_invalid"
    batch = woo.post(
        "/settings/general/batch", json={"update": [{"id": "woocommerce_price_num_decimals", "value": "3"}]}
    )
    assert batch.json()["update"][0]["value"] == "3"


def test_payment_gateways(woo: httpx.Client) -> None:
    # Ports Tests/Version3/payment-gateways.php (test_get_payment_gateway: the cheque gateway's
    # fields; test_update_payment_gateway; test_update_payment_gateway_invalid_settings;
    # test_get_payment_gateway_invalid_id)
    cheque = woo.get("/payment_gateways/cheque").json()
    assert {k: cheque[k] for k in ("id", "method_title", "method_description", "method_supports")} == {
        "id": "cheque",
        "method_title": "Check payments",
        "method_description": "Take payments in person via checks. "
        "This offline gateway can also be useful to test purchases.",
        "method_supports": ["products"],
    }
    assert cheque["description"] == (
        "Please send a check to Store Name, Store Street, Store Town, Store State / County, Store Postcode."
    )
    assert cheque["settings"]["title"]["default"] == "Check payments"
    assert cheque["settings"]["title"]["value"] == "Chèque"
    assert "enabled" not in cheque["settings"] and "description" not in cheque["settings"]
    assert [g["id"] for g in woo.get("/payment_gateways").json()] == ["bacs", "cheque", "cod", "paypal"]
    updated = woo.put(
        "/payment_gateways/paypal", json={"enabled": True, "settings": {"testmode": "yes"}}
    ).json()
    assert updated["enabled"] is True and updated["settings"]["testmode"]["value"] == "yes"
    invalid = woo.put("/payment_gateways/paypal", json={"settings": {"paymentaction": "afterwards"}})
    assert invalid.status_code == 400 and invalid.json()["code"] == "rest_setting_value_invalid"
    unknown = woo.get("/payment_gateways/nope")
    assert unknown.status_code == 404 and unknown.json()["code"] == "woocommerce_rest_payment_gateway_invalid"


def test_webhooks(woo: httpx.Client) -> None:
    # Ports tests/php/includes/rest-api/Controllers/Version3/class-wc-rest-webhooks-controller-tests.php
    # and Version1/class-wc-rest-webhooks-v1-controller.php: hooks of a topic (class-wc-webhook.php
    # get_topic_hooks), created active, invalid topic/URL, 501 without force, 404 once deleted
    made = woo.post(
        "/webhooks",
        json={"topic": "order.updated", "delivery_url": "https://erp.example.org/hook", "status": "paused"},
    )
    body = made.json()
    assert made.status_code == 201 and body["status"] == "active"
    assert (body["resource"], body["event"]) == ("order", "updated")
    assert body["hooks"] == [
        "woocommerce_update_order",
        "woocommerce_order_refunded",
        "woocommerce_delete_order_refund",
    ]
    assert body["name"].startswith("Webhook created on ")
    bad_topic = woo.post(
        "/webhooks", json={"topic": "order.shipped", "delivery_url": "https://x.example.org"}
    )
    bad_url = woo.post("/webhooks", json={"topic": "order.created", "delivery_url": "ftp://x.example.org"})
    assert bad_topic.json()["message"] == "Webhook topic is required and must be valid."
    assert (
        bad_url.json()["message"]
        == "Webhook delivery URL must be a valid URL starting with http:// or https://."
    )
    assert woo.delete(f"/webhooks/{body['id']}").status_code == 501
    assert woo.delete(f"/webhooks/{body['id']}", params={"force": "true"}).status_code == 200
    gone = woo.get(f"/webhooks/{body['id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "woocommerce_rest_webhook_invalid_id"
    update = woo.post("/webhooks/batch", json={"update": [{"id": body["id"], "name": "x"}]}).json()
    assert update["update"][0]["error"]["message"] == "ID is invalid."


def test_system_status(woo: httpx.Client, woo_sandbox: SandboxServer) -> None:
    # Ports Tests/Version3/system-status.php (test_get_system_status: the report's sections;
    # test_get_system_status_info_environment / _settings: a few of their fields)
    report = woo.get("/system_status").json()
    assert set(report) >= {
        "environment",
        "database",
        "active_plugins",
        "inactive_plugins",
        "dropins_mu_plugins",
        "theme",
        "settings",
        "security",
        "pages",
        "post_type_counts",
    }
    assert report["environment"]["home_url"] == woo_sandbox.url
    assert report["environment"]["wp_multisite"] is False
    assert report["settings"]["currency"] == "EUR" and report["settings"]["api_enabled"] is True
    with woo_client(woo_sandbox, ("ck_nobody", "cs_nobody")) as guest:
        assert guest.get("/system_status").status_code == 401
