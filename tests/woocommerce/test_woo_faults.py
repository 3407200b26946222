"""Fault tests: injected 429/503, timeouts and dropped connections never lose nor duplicate items."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from comptoir.model import ProductDraft, ProductKind
from comptoir.sandbox.woocommerce import SandboxServer
from comptoir.shop.woocommerce import WooCommerceShop
from woo_fixtures import woo_settings_for


def skus_in_shop(server: SandboxServer) -> Counter[str]:
    counts: Counter[str] = Counter()
    for kind in ("product", "variation"):
        for record in server.store.records(kind):
            counts[record["sku"]] += 1
    return counts


def catalog(parents: int, per_parent: int, simples: int) -> list[ProductDraft]:
    drafts = [ProductDraft(f"S-{i}", name=f"Simple {i}", regular_price=Decimal("5")) for i in range(simples)]
    for p in range(parents):
        drafts.append(ProductDraft(f"V-{p}", kind=ProductKind.VARIABLE, name=f"Var {p}"))
        drafts += [
            ProductDraft(
                f"V-{p}-{v}", kind=ProductKind.VARIATION, parent_sku=f"V-{p}", regular_price=Decimal(9)
            )
            for v in range(per_parent)
        ]
    return drafts


async def test_export_with_20_percent_429_and_503_puts_every_product_once(woo_sandbox: SandboxServer) -> None:
    unavailable = woo_sandbox.faults.status(503, rate=0.2, retry_after=0)
    limited = woo_sandbox.faults.rate_limit(rate=0.2, retry_after=0)
    settings, secrets = woo_settings_for(woo_sandbox, max_attempts=10)
    drafts = catalog(parents=100, per_parent=5, simples=1000)
    async with WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01) as shop:
        results = await shop.save_products(drafts, [])
    assert all(r.ok for r in results), [r for r in results if not r.ok][:3]
    counts = skus_in_shop(woo_sandbox)
    assert set(counts) == {d.sku for d in drafts}
    assert max(counts.values()) == 1
    assert unavailable.fired + limited.fired > 0
    assert (
        woo_sandbox.stats.by_status[503] + woo_sandbox.stats.by_status[429]
        == unavailable.fired + limited.fired
    )


async def test_timeout_after_the_shop_processed_a_create_batch_does_not_duplicate(
    woo_sandbox: SandboxServer,
) -> None:
    # The first products batch is processed, but its answer comes after the client gave up.
    woo_sandbox.faults.timeout(route="POST /wc/v3/products/batch", count=1, hang_s=1.5, process=True)
    settings, secrets = woo_settings_for(woo_sandbox, timeout=0.5)
    drafts = catalog(parents=0, per_parent=0, simples=150)
    async with WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01) as shop:
        results = await shop.save_products(drafts, [])
    assert all(r.ok for r in results)
    counts = skus_in_shop(woo_sandbox)
    assert len(counts) == 150 and max(counts.values()) == 1
    # The SKUs were looked up before the creates were sent again.
    assert woo_sandbox.stats.count("GET /wc/v3/products") >= 1


async def test_dropped_connection_after_processing_variations_does_not_duplicate(
    woo_sandbox: SandboxServer,
) -> None:
    woo_sandbox.faults.drop(route="POST /wc/v3/products/*/variations/batch", count=1, process=True)
    settings, secrets = woo_settings_for(woo_sandbox)
    drafts = catalog(parents=10, per_parent=12, simples=0)
    async with WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01) as shop:
        results = await shop.save_products(drafts, [])
    assert all(r.ok for r in results)
    counts = skus_in_shop(woo_sandbox)
    assert len(counts) == 130 and max(counts.values()) == 1
    parents = {r["id"]: r for r in woo_sandbox.store.records("product")}
    for variation in woo_sandbox.store.records("variation"):
        parent = parents[variation["parent_id"]]
        assert variation["sku"].startswith(parent["sku"] + "-")
        assert variation["id"] in parent["variations"]


async def test_one_failing_batch_item_fails_alone(woo_sandbox: SandboxServer) -> None:
    woo_sandbox.faults.fail_item(
        route="/wc/v3/products/batch", sku="S-7", code="woocommerce_rest_cannot_create"
    )
    settings, secrets = woo_settings_for(woo_sandbox)
    drafts = catalog(parents=0, per_parent=0, simples=20)
    async with WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01) as shop:
        results = await shop.save_products(drafts, [])
    failed = [r for r in results if not r.ok]
    assert [r.key for r in failed] == ["S-7"]
    assert failed[0].error is not None and failed[0].error.code == "woocommerce_rest_cannot_create"
    assert len(skus_in_shop(woo_sandbox)) == 19


async def test_shop_down_for_every_attempt_gives_retryable_item_errors(woo_sandbox: SandboxServer) -> None:
    woo_sandbox.faults.status(503, route="POST /wc/v3/products/batch", retry_after=0)
    settings, secrets = woo_settings_for(woo_sandbox, max_attempts=2)
    async with WooCommerceShop.from_settings(settings, secrets, backoff_base=0.01) as shop:
        [result] = await shop.save_products([ProductDraft("DOWN-1")], [])
    assert result.error is not None and result.error.retryable


async def test_answers_behind_a_byte_order_mark_are_read(woo_sandbox: SandboxServer) -> None:
    # A WordPress site whose theme or plugin file was saved with a BOM prints it before every
    # answer: the batches' ids and their items' errors are still read (a SKU already taken is
    # adopted from its error's ``resource_id``).
    marked = woo_sandbox.faults.bom()
    settings, secrets = woo_settings_for(woo_sandbox)
    drafts = catalog(parents=2, per_parent=3, simples=4)
    async with WooCommerceShop.from_settings(settings, secrets) as shop:
        results = await shop.save_products(drafts, [])
        found = await shop.find_products([d.sku for d in drafts])
        twice = await shop.save_products([ProductDraft("S-0", name="Again", regular_price=Decimal(5))], [])
    assert all(r.ok for r in results) and len({r.shop_id for r in results}) == len(drafts)
    assert set(found) == {d.sku for d in drafts}
    assert twice[0].ok and twice[0].shop_id == next(r.shop_id for r in results if r.key == "S-0")
    assert marked.fired >= 3
