"""The adapter against the sandbox server: products, variations, customers, orders, summary."""

from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from comptoir.model import (
    Address,
    AttributeDraft,
    CategoryDraft,
    CustomerDraft,
    PriceRowDraft,
    ProductDraft,
    ProductKind,
    ShopRef,
    TaxRounding,
    TransferMark,
)
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.base import ShopError
from comptoir.shop.woocommerce import WooCommerceShop
from woo_fixtures import woo_settings_for


def client(server: SandboxServer) -> httpx.Client:
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(
        base_url=server.api_url, verify=verify, auth=(server.consumer_key, server.consumer_secret)
    )


def _family(number: int) -> list[ProductDraft]:
    return [
        ProductDraft(
            f"FAM-{number}",
            kind=ProductKind.VARIABLE,
            name=f"Famille {number}",
            enabled=True,
            attributes=(AttributeDraft("Taille", ("M",), variation=True),),
        ),
        ProductDraft(
            f"FAM-{number}-M",
            kind=ProductKind.VARIATION,
            parent_sku=f"FAM-{number}",
            regular_price=Decimal("20"),
            variation_options=(("Taille", "M"),),
        ),
    ]


async def test_a_first_export_lists_a_small_catalog_instead_of_looking_up_every_sku(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    """Looking up 1,000 SKUs costs 10 requests; a shop holding 2 products lists them in 3."""
    saved = {r.key: r for r in await woo_shop.save_products(_family(1), [])}
    wanted = [f"NEW-{i:04d}" for i in range(1000)] + ["FAM-1", "FAM-1-M"]
    before = woo_sandbox.stats.requests
    found = await woo_shop.find_products(wanted)
    assert woo_sandbox.stats.requests - before == 3  # the count, the products, one product's variations
    assert found["FAM-1-M"].shop_id == saved["FAM-1-M"].shop_id
    assert found["FAM-1-M"].parent_id == found["FAM-1"].shop_id == saved["FAM-1"].shop_id
    assert set(found) == {"FAM-1", "FAM-1-M"}


async def test_a_catalog_of_many_variable_products_is_looked_up_by_sku_after_its_products(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    """Listing the variations of 6 variable products would cost more than the 5 look-ups left."""
    drafts = [d for n in range(6) for d in _family(n)]
    saved = {r.key: r for r in await woo_shop.save_products(drafts, [])}
    wanted = [f"NEW-{i:04d}" for i in range(480)] + [d.sku for d in drafts]
    before = woo_sandbox.stats.requests
    found = await woo_shop.find_products(wanted)
    assert woo_sandbox.stats.count_matching("GET /wc/v3/products/*/variations") == 0
    assert woo_sandbox.stats.requests - before == 2 + 5  # count and products, then look-ups
    assert {sku: ref.shop_id for sku, ref in found.items()} == {k: r.shop_id for k, r in saved.items()}
    assert found["FAM-4-M"].parent_id == saved["FAM-4"].shop_id


async def test_products_are_created_then_found_by_sku_in_one_request(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    drafts = [
        ProductDraft(
            f"SKU-{i}",
            name=f"Article {i}",
            regular_price=Decimal("12.5"),
            enabled=True,
            manage_stock=True,
            stock_quantity=i,
            tax_code="C05",
            barcode=f"376{i:010d}",
            erp_reference=f"SKU-{i}",
        )
        for i in range(150)
    ]
    results = await woo_shop.save_products(drafts, [])
    assert [r.key for r in results] == [d.sku for d in drafts]
    assert all(r.ok and r.shop_id for r in results)
    assert woo_sandbox.stats.count("POST /wc/v3/products/batch") == 2
    before = woo_sandbox.stats.count("GET /wc/v3/products")
    found = await woo_shop.find_products([d.sku for d in drafts[:100]])
    assert woo_sandbox.stats.count("GET /wc/v3/products") == before + 1
    assert found["SKU-3"].shop_id == results[3].shop_id
    with client(woo_sandbox) as http:
        product = http.get(f"/products/{results[0].shop_id}").json()
    assert product["stock_status"] == "outofstock"  # managed stock at 0, no backorders
    assert product["regular_price"] == "12.5"
    assert product["tax_class"] == "reduced-rate"
    assert {m["key"]: m["value"] for m in product["meta_data"]}["_comptoir_barcode"] == "3760000000000"


async def test_variable_product_with_variations_across_parents(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    parents = [
        ProductDraft(
            f"PULL-{p}",
            kind=ProductKind.VARIABLE,
            name=f"Pull {p}",
            enabled=True,
            attributes=(AttributeDraft("Couleur", ("Rouge", "Bleu")),),
        )
        for p in range(3)
    ]
    variations = [
        ProductDraft(
            f"PULL-{p}-{c}",
            kind=ProductKind.VARIATION,
            parent_sku=f"PULL-{p}",
            regular_price=Decimal("30"),
            variation_options=(("Couleur", c),),
            manage_stock=True,
            stock_quantity=4,
        )
        for p in range(3)
        for c in ("Rouge", "Bleu")
    ]
    results = await woo_shop.save_products([*parents, *variations], [])
    assert all(r.ok for r in results), results
    by_sku = {r.key: r for r in results}
    assert by_sku["PULL-1-Bleu"].parent_id == by_sku["PULL-1"].shop_id
    # Six variations of three parents: one variations/batch request.
    assert (
        sum(n for route, n in woo_sandbox.stats.by_route.items() if route.endswith("/variations/batch")) == 1
    )
    with client(woo_sandbox) as http:
        listed = http.get(f"/products/{by_sku['PULL-2'].shop_id}/variations").json()
        parent = http.get(f"/products/{by_sku['PULL-2'].shop_id}").json()
    assert sorted(v["sku"] for v in listed) == ["PULL-2-Bleu", "PULL-2-Rouge"]
    assert listed[0]["attributes"][0]["name"] == "Couleur"
    assert parent["stock_status"] == "instock"
    assert parent["price"] == "30"
    # An update of a variation keeps it on its parent.
    ref = ShopRef(
        by_sku["PULL-2-Rouge"].shop_id, by_sku["PULL-2"].shop_id, "PULL-2-Rouge", ProductKind.VARIATION
    )
    update = ProductDraft("PULL-2-Rouge", kind=ProductKind.VARIATION, parent_sku="PULL-2", stock_quantity=0)
    [result] = await woo_shop.save_products([], [(ref, update)])
    assert result.ok and result.parent_id == by_sku["PULL-2"].shop_id
    with client(woo_sandbox) as http:
        variation = http.get(f"/products/{by_sku['PULL-2'].shop_id}/variations/{ref.shop_id}").json()
    assert variation["stock_status"] == "outofstock"


async def test_duplicate_sku_create_is_adopted_as_update(woo_shop: WooCommerceShop) -> None:
    [first] = await woo_shop.save_products([ProductDraft("DUP-1", name="Old")], [])
    [again] = await woo_shop.save_products([ProductDraft("DUP-1", name="New")], [])
    assert again.ok and again.shop_id == first.shop_id
    found = await woo_shop.find_products(["DUP-1"])
    assert list(found) == ["DUP-1"]


async def test_variation_without_parent_is_refused_alone(woo_shop: WooCommerceShop) -> None:
    results = await woo_shop.save_products(
        [ProductDraft("ORPHAN-1", kind=ProductKind.VARIATION, parent_sku="NOPE"), ProductDraft("FINE-1")], []
    )
    assert results[0].error is not None and results[0].error.code == "parent_missing"
    assert results[1].ok


async def test_categories_customers_and_specific_prices(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    [top] = await woo_shop.create_categories([CategoryDraft("F1", "Vêtements")])
    [child] = await woo_shop.create_categories([CategoryDraft("F2", "Pulls", top.shop_id)])
    categories = {c.name: c for c in await woo_shop.list_categories()}
    assert categories["Pulls"].parent_id == top.shop_id
    assert child.ok
    customers = await woo_shop.save_customers(
        [
            CustomerDraft(
                "C001",
                email="Anne@Example.fr",
                first_name="Anne",
                last_name="Martin",
                billing=Address(
                    first_name="Anne", line1="1 rue A", city="Lyon", postcode="69001", email="anne@example.fr"
                ),
                group="Revendeurs",
                vat_number="FR123",
                siret="12345678900011",
            )
        ],
        [],
    )
    assert customers[0].ok
    found = await woo_shop.find_customers(["anne@example.fr", "nobody@example.fr"])
    assert found == {"anne@example.fr": customers[0].shop_id}
    [product] = await woo_shop.save_products([ProductDraft("TIER-1", regular_price=Decimal(12))], [])
    assert product.ok and product.shop_id
    pid = product.shop_id
    rows = [
        PriceRowDraft(
            "TIER-1", Decimal("9.90"), pid, customer_code="C001", customer_shop_id=customers[0].shop_id
        ),
        PriceRowDraft("TIER-1", Decimal("10.50"), pid, group="Revendeurs"),
        PriceRowDraft("TIER-1", Decimal("10.00"), pid, group="Revendeurs", min_quantity=Decimal(10)),
        PriceRowDraft("TIER-1", Decimal("8"), pid, group="Inconnus"),
    ]
    saved = await woo_shop.save_price_rows([(None, r) for r in rows])
    assert [r.ok for r in saved] == [True, True, True, False]
    assert saved[3].error is not None and saved[3].error.code == "csp_group-invalid"
    with client(woo_sandbox) as http:
        usp = http.get(f"/csp/usp/product-id/{pid}").json()
        gsp = http.get(f"/csp/gsp/product-id/{pid}").json()
        customer = http.get(f"/customers/{customers[0].shop_id}").json()
    assert usp[pid][0]["csp_price"] == "9.9"
    assert sorted((r["group_name"], r["min_qty"], r["gsp_price"]) for r in gsp[pid]) == [
        ("Revendeurs", "1", "10.5"),
        ("Revendeurs", "10", "10"),
    ]
    assert {m["key"]: m["value"] for m in customer["meta_data"]}["vat_number"] == "FR123"
    # A changed price replaces the row CSP holds under the same product, target and quantity.
    [again] = await woo_shop.save_price_rows([(saved[1].shop_id, replace(rows[1], price=Decimal("10.40")))])
    assert again.ok and again.shop_id == saved[1].shop_id
    removed = await woo_shop.delete_price_rows([str(saved[0].shop_id), str(saved[2].shop_id), "usp|999|1|1"])
    assert all(r.ok for r in removed), removed
    with client(woo_sandbox) as http:
        assert http.get(f"/csp/usp/product-id/{pid}").json() == {}
        gsp = http.get(f"/csp/gsp/product-id/{pid}").json()
    assert [(r["min_qty"], r["gsp_price"]) for r in gsp[pid]] == [("1", "10.4")]


async def test_orders_are_listed_with_taxes_and_marked_transferred(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    with client(woo_sandbox) as http:
        http.post("/taxes", json={"country": "FR", "rate": "20", "name": "TVA 20", "shipping": True})
        http.post("/taxes", json={"country": "FR", "rate": "5.5", "name": "TVA 5,5", "class": "reduced-rate"})
        p1 = http.post(
            "/products",
            json={"name": "Livre", "sku": "LIV", "regular_price": "10", "tax_class": "reduced-rate"},
        ).json()
        http.post("/products", json={"name": "Stylo", "sku": "STY", "regular_price": "3.33"})
        order = http.post(
            "/orders",
            json={
                "billing": {"country": "FR", "email": "guest@example.fr", "first_name": "Paul"},
                "line_items": [{"product_id": p1["id"], "quantity": 2}, {"sku": "STY", "quantity": 3}],
                "shipping_lines": [{"method_id": "flat_rate", "method_title": "Colissimo", "total": "5.00"}],
                "set_paid": True,
            },
        ).json()
    since = datetime.now(UTC) - timedelta(minutes=5)
    orders = await woo_shop.list_orders(["processing"], modified_after=since)
    assert [o.shop_id for o in orders] == [str(order["id"])]
    got = orders[0]
    assert got.customer_shop_id is None
    assert got.created_at.tzinfo is not None
    rates = {line.sku: line.tax_rate for line in got.lines}
    assert rates == {"LIV": Decimal("5.5"), "STY": Decimal("20")}
    assert got.total == Decimal(order["total"])
    assert got.shipping_lines[0].tax_rate == Decimal("20")
    assert not got.transferred
    [mark] = await woo_shop.mark_transferred([TransferMark(got.shop_id, "BC00042")])
    assert mark.ok
    [again] = await woo_shop.list_orders(["processing"])
    assert again.transferred and again.meta["_comptoir_document"] == "BC00042"
    summary = await woo_shop.summary()
    assert (summary.products, summary.orders) == (2, 1)
    assert summary.customers == 1  # the shop's administrator; the order was a guest's


async def test_orders_carry_the_shops_rounding_facts(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    with client(woo_sandbox) as http:
        http.put("/settings/tax/woocommerce_prices_include_tax", json={"value": "yes"})
        http.put("/settings/tax/woocommerce_tax_round_at_subtotal", json={"value": "yes"})
        http.post("/taxes", json={"country": "FR", "rate": "20", "name": "TVA 20", "shipping": True})
        http.post("/products", json={"name": "Stylo", "sku": "STY", "regular_price": "3.33"})
        http.post(
            "/orders", json={"billing": {"country": "FR"}, "line_items": [{"sku": "STY", "quantity": 3}]}
        )
    before = woo_sandbox.stats.count("GET /wc/v3/settings/<group>/<ident>")
    [order] = await woo_shop.list_orders([])
    [again] = await woo_shop.get_orders([order.shop_id])
    assert woo_sandbox.stats.count("GET /wc/v3/settings/<group>/<ident>") == before + 1, "read once"
    assert order.prices_include_tax and again.prices_include_tax
    assert order.tax_rounding is TaxRounding.SUBTOTAL
    [line] = order.lines
    # 9.99 with tax: 8.325 net, 1.665 tax kept unrounded, shown 8.33 and 1.67.
    assert (line.subtotal, line.subtotal_tax, line.tax) == (Decimal("8.33"), Decimal("1.67"), Decimal("1.67"))
    assert order.total == Decimal("9.99")


async def test_tax_rounding_is_unknown_when_the_key_may_not_read_settings(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    with client(woo_sandbox) as http:
        http.post("/products", json={"name": "Stylo", "sku": "STY", "regular_price": "3.33"})
        http.post(
            "/orders", json={"billing": {"country": "FR"}, "line_items": [{"sku": "STY", "quantity": 1}]}
        )
    woo_sandbox.faults.status(403, route="GET /wc/v3/settings/<group>/<ident>")
    [order] = await woo_shop.list_orders([])
    assert order.tax_rounding is None and not order.prices_include_tax


async def test_orders_are_read_by_id_whatever_their_status_and_date(
    woo_shop: WooCommerceShop, woo_sandbox: SandboxServer
) -> None:
    with client(woo_sandbox) as http:
        http.post("/products", json={"name": "Stylo", "sku": "STY", "regular_price": "3.33"})
        ids = []
        for status in ("processing", "completed", "cancelled"):
            body = {
                "billing": {"country": "FR"},
                "line_items": [{"sku": "STY", "quantity": 1}],
                "status": status,
            }
            ids.append(str(http.post("/orders", json=body).json()["id"]))
        woo_sandbox.clock.advance(timedelta(hours=2))
        newer = http.post("/orders", json={"line_items": [{"sku": "STY", "quantity": 2}]}).json()
    assert woo_sandbox.clock() - datetime.now(UTC) > timedelta(minutes=119)
    after = datetime.now(UTC) + timedelta(hours=1)
    assert [o.shop_id for o in await woo_shop.list_orders([], modified_after=after)] == [str(newer["id"])]

    before = woo_sandbox.stats.count("GET /wc/v3/orders")
    found = await woo_shop.get_orders([ids[2], ids[0], ids[1], "999999"])
    assert woo_sandbox.stats.count("GET /wc/v3/orders") == before + 1
    assert [(o.shop_id, o.status) for o in found] == [
        (ids[0], "processing"),
        (ids[1], "completed"),
        (ids[2], "cancelled"),
    ]
    assert found[0].modified_at is not None and found[0].modified_at < after
    many = await woo_shop.get_orders([str(i) for i in range(1, 260)])
    assert {o.shop_id for o in many} == {*ids, str(newer["id"])}
    assert await woo_shop.get_orders([]) == []


async def test_every_authentication_strategy_reaches_the_shop(woo_sandbox: SandboxServer) -> None:
    """HTTP Basic keys, keys in the query string, and OAuth 1.0a over plain HTTP (one strategy each)."""
    with SandboxServer(tls=False) as plain:
        cases = [
            (woo_sandbox, {}, "basic"),
            (woo_sandbox, {"query_string_auth": True}, "query"),
            (plain, {}, "oauth"),
        ]
        for server, extra, mode in cases:
            settings, secrets = woo_settings_for(server)
            settings = settings.model_copy(update=extra)
            async with WooCommerceShop.from_settings(settings, secrets) as shop:
                assert shop.api.mode == mode
                [saved] = await shop.save_products([ProductDraft(f"AUTH-{mode}", name=mode)], [])
                assert saved.ok, (mode, saved)
                assert (await shop.find_products([f"AUTH-{mode}"]))[f"AUTH-{mode}"].shop_id == saved.shop_id
            _, bad = woo_settings_for(server, key="ck_wrong", secret="cs_wrong")
            async with WooCommerceShop.from_settings(settings, bad) as shop:
                with pytest.raises(ShopError) as refused:
                    await shop.find_products([f"AUTH-{mode}", "OTHER"])
                assert refused.value.code == "auth", (mode, refused.value)


async def test_lists_for_the_mapping_tables(woo_shop: WooCommerceShop, woo_sandbox: SandboxServer) -> None:
    from comptoir.shop.base import Shop

    assert isinstance(woo_shop, Shop)
    with client(woo_sandbox) as api:
        api.post("taxes/classes", json={"name": "Taux réduit"})
        api.post("taxes", json={"country": "FR", "rate": "20.0000", "name": "TVA 20 %", "class": "standard"})
        api.post(
            "taxes", json={"country": "FR", "rate": "5.5000", "name": "TVA 5,5 %", "class": "taux-reduit"}
        )
        api.post("orders", json={"status": "processing"})
    rates = await woo_shop.list_tax_rates()
    assert {(str(r.rate), r.label, r.tax_class) for r in rates} >= {
        ("20", "TVA 20 %", "standard"),
        ("5.5", "TVA 5,5 %", "taux-reduit"),
    }
    classes = await woo_shop.list_tax_classes()
    assert classes[0].key == "standard" and ("taux-reduit", "Taux réduit") in [
        (c.key, c.label) for c in classes
    ]
    statuses = {s.key: s for s in await woo_shop.list_order_statuses()}
    assert statuses["processing"].label == "Processing" and statuses["processing"].detail == "1"
    assert {"pending", "on-hold", "completed", "cancelled", "refunded", "failed"} <= set(statuses)
    methods = await woo_shop.list_payment_methods()
    assert [m.key for m in methods][:3] == ["bacs", "cheque", "cod"] or {"bacs", "cheque"} <= {
        m.key for m in methods
    }
    assert all(m.detail in ("enabled", "disabled") for m in methods)
