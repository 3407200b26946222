"""The shop contract: what every platform's adapter does against its sandbox, the same way.

A platform joins by registering its descriptor; this suite then runs for it unchanged. Each
test names the behaviour jobs rely on (DESIGN.md, "What makes it safe").
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shop_harness import open_shop

from comptoir.model import (
    Address,
    AttributeDraft,
    CategoryDraft,
    CustomerDraft,
    ProductDraft,
    ProductKind,
    TransferMark,
)
from comptoir.shop.base import Shop
from comptoir.shop.platform import RunningSandbox, ShopPlatform


def simple(sku: str, price: str = "12.50", quantity: int = 3) -> ProductDraft:
    return ProductDraft(
        sku,
        name=f"Article {sku}",
        regular_price=Decimal(price),
        enabled=True,
        manage_stock=True,
        stock_quantity=quantity,
        erp_reference=sku,
    )


async def test_products_are_created_then_found_by_sku(shop: Shop, sandbox: RunningSandbox) -> None:
    drafts = [simple(f"C-{i}") for i in range(5)]
    results = await shop.save_products(drafts, [])
    assert [r.key for r in results] == [d.sku for d in drafts]
    assert all(r.ok and r.shop_id for r in results), results
    found = await shop.find_products([d.sku for d in drafts] + ["NOT-THERE"])
    assert {sku: ref.shop_id for sku, ref in found.items()} == {r.key: r.shop_id for r in results}
    assert all(sandbox.count_sku(d.sku) == 1 for d in drafts)


async def test_writes_use_the_declared_batch_size(
    shop: Shop, sandbox: RunningSandbox, platform: ShopPlatform
) -> None:
    drafts = [simple(f"B-{i}") for i in range(12)]
    route = platform.contract.product_write_route
    before = sandbox.stats.count_matching(route)
    assert all(r.ok for r in await shop.save_products(drafts, []))
    writes = sandbox.stats.count_matching(route) - before
    assert writes == math.ceil(len(drafts) / platform.capabilities.batch_size)


async def test_a_lost_answer_is_adopted_by_sku_never_duplicated(
    shop: Shop, sandbox: RunningSandbox, platform: ShopPlatform
) -> None:
    sandbox.faults.drop(route=platform.contract.product_write_route, count=1, process=True)
    [result] = await shop.save_products([simple("LOST-1")], [])
    assert result.ok, result
    assert sandbox.count_sku("LOST-1") == 1
    found = await shop.find_products(["LOST-1"])
    assert found["LOST-1"].shop_id == result.shop_id


async def test_a_timeout_never_duplicates(platform: ShopPlatform, sandbox: RunningSandbox) -> None:
    sandbox.faults.timeout(route=platform.contract.product_write_route, count=1, hang_s=3, process=True)
    shop = open_shop(platform, sandbox, timeout=1.0)
    try:
        [result] = await shop.save_products([simple("SLOW-1")], [])
    finally:
        await shop.aclose()
    assert result.ok, result
    assert sandbox.count_sku("SLOW-1") == 1


async def test_one_bad_item_fails_alone(shop: Shop, sandbox: RunningSandbox, platform: ShopPlatform) -> None:
    sandbox.faults.fail_item(route=platform.contract.product_write_route, sku="BAD-2", message="refused")
    drafts = [simple("BAD-1"), simple("BAD-2"), simple("BAD-3")]
    results = {r.key: r for r in await shop.save_products(drafts, [])}
    assert results["BAD-1"].ok and results["BAD-3"].ok
    assert not results["BAD-2"].ok and results["BAD-2"].error is not None
    assert sandbox.count_sku("BAD-2") == 0


async def test_updates_change_only_what_they_carry(shop: Shop) -> None:
    [created] = await shop.save_products([simple("UPD-1", price="10", quantity=4)], [])
    ref = (await shop.find_products(["UPD-1"]))["UPD-1"]
    [updated] = await shop.save_products([], [(ref, ProductDraft("UPD-1", stock_quantity=9))])
    assert updated.ok and updated.shop_id == created.shop_id


async def test_variations_hang_under_their_parent(shop: Shop, platform: ShopPlatform) -> None:
    if not platform.capabilities.variations:
        return
    parent = ProductDraft(
        "PULL",
        kind=ProductKind.VARIABLE,
        name="Pull",
        enabled=True,
        attributes=(AttributeDraft("Couleur", ("Rouge", "Bleu")),),
        erp_reference="PULL",
    )
    children = [
        ProductDraft(
            f"PULL-{colour.upper()}",
            kind=ProductKind.VARIATION,
            parent_sku="PULL",
            regular_price=Decimal("30"),
            manage_stock=True,
            stock_quantity=2,
            variation_options=(("Couleur", colour),),
        )
        for colour in ("Rouge", "Bleu")
    ]
    results = {r.key: r for r in await shop.save_products([parent, *children], [])}
    assert all(r.ok for r in results.values()), results
    found = await shop.find_products(["PULL", "PULL-ROUGE", "PULL-BLEU"])
    assert found["PULL-ROUGE"].parent_id == found["PULL"].shop_id == results["PULL"].shop_id
    assert found["PULL-BLEU"].kind is ProductKind.VARIATION


async def test_a_bulk_look_up_among_many_unknown_skus_finds_exactly_what_exists(
    shop: Shop, platform: ShopPlatform
) -> None:
    """A first export looks up every SKU of the catalog, most of them absent from the shop."""
    simples = [simple(f"BULK-{i}") for i in range(3)]
    drafts = list(simples)
    if platform.capabilities.variations:
        drafts.append(
            ProductDraft(
                "BULK-PULL",
                kind=ProductKind.VARIABLE,
                name="Pull",
                enabled=True,
                attributes=(AttributeDraft("Couleur", ("Vert",), variation=True),),
            )
        )
        drafts.append(
            ProductDraft(
                "BULK-PULL-VERT",
                kind=ProductKind.VARIATION,
                parent_sku="BULK-PULL",
                regular_price=Decimal("30"),
                variation_options=(("Couleur", "Vert"),),
            )
        )
    saved = {r.key: r for r in await shop.save_products(drafts, [])}
    assert all(r.ok for r in saved.values()), saved
    wanted = [f"ABSENT-{i:04d}" for i in range(450)] + [d.sku for d in drafts]
    found = await shop.find_products(wanted)
    assert set(found) == {d.sku for d in drafts}
    assert {sku: ref.shop_id for sku, ref in found.items()} == {k: r.shop_id for k, r in saved.items()}
    if platform.capabilities.variations:
        assert found["BULK-PULL-VERT"].kind is ProductKind.VARIATION
        assert found["BULK-PULL-VERT"].parent_id == found["BULK-PULL"].shop_id
        assert found["BULK-PULL"].kind is ProductKind.VARIABLE


async def test_products_and_variations_never_share_a_shop_id(shop: Shop, platform: ShopPlatform) -> None:
    """The state binds each shop id once per kind: ids of products and variations must name one
    object together, even where the platform numbers variations apart (PrestaShop, BigCommerce)."""
    if not platform.capabilities.variations:
        return
    simples = [simple(f"ID-{i}") for i in range(4)]
    parent = ProductDraft(
        "IDV",
        kind=ProductKind.VARIABLE,
        name="Variable",
        enabled=True,
        attributes=(AttributeDraft("Taille", ("S", "M", "L")),),
    )
    children = [
        ProductDraft(
            f"IDV-{size}",
            kind=ProductKind.VARIATION,
            parent_sku="IDV",
            regular_price=Decimal("9"),
            variation_options=(("Taille", size),),
        )
        for size in ("S", "M", "L")
    ]
    results = await shop.save_products([*simples, parent, *children], [])
    assert all(r.ok for r in results), results
    ids = [r.shop_id for r in results]
    assert len(set(ids)) == len(ids), ids
    found = await shop.find_products([r.key for r in results])
    assert {sku: ref.shop_id for sku, ref in found.items()} == {r.key: r.shop_id for r in results}


async def test_categories_are_created_and_listed(shop: Shop) -> None:
    results = await shop.create_categories([CategoryDraft("EPI", "Épicerie"), CategoryDraft("CAV", "Cave")])
    assert all(r.ok and r.shop_id for r in results), results
    listed = {c.name: c.shop_id for c in await shop.list_categories()}
    assert listed["Épicerie"] == results[0].shop_id and listed["Cave"] == results[1].shop_id


def customer(code: str, email: str) -> CustomerDraft:
    address = Address(first_name="Anne", last_name="Martin", line1="1 rue A", postcode="69001", city="Lyon")
    return CustomerDraft(code, email=email, first_name="Anne", last_name="Martin", billing=address)


async def test_customers_are_found_by_email_and_never_doubled(shop: Shop) -> None:
    [created] = await shop.save_customers([customer("C001", "anne@example.fr")], [])
    assert created.ok, created
    found = await shop.find_customers(["ANNE@example.fr".lower(), "nobody@example.fr"])
    assert found == {"anne@example.fr": created.shop_id}
    [again] = await shop.save_customers([customer("C001-BIS", "anne@example.fr")], [])
    assert again.ok and again.shop_id == created.shop_id, "an existing e-mail is adopted, not created twice"


async def test_orders_follow_the_shops_clock_and_are_marked_transferred(
    shop: Shop, sandbox: RunningSandbox, platform: ShopPlatform
) -> None:
    await shop.save_products([simple("ORD-1")], [])
    status = platform.contract.order_status
    sandbox.clock.freeze(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    first = sandbox.place_order("first@example.fr", [("ORD-1", 1)], status)
    sandbox.clock.advance(timedelta(hours=2))
    second = sandbox.place_order("second@example.fr", [("ORD-1", 2)], status)
    listed = {o.shop_id: o for o in await shop.list_orders([status])}
    assert {first, second} <= set(listed)
    later = await shop.list_orders([status], modified_after=datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    assert [o.shop_id for o in later] == [second], "the window is read in the shop's clock"
    order = listed[second]
    assert order.lines[0].sku == "ORD-1" and order.lines[0].quantity == 2
    assert not order.transferred
    [marked] = await shop.mark_transferred([TransferMark(second, "BC00042")])
    assert marked.ok, marked
    [again] = await shop.get_orders([second])
    assert again.transferred
