"""The push engine sends a large push in slices and records each slice as its answers come.

The slices are made small here (``SLICE_ITEMS``) so that the small demo company, with its
variable products, spans many of them: every product and variation must still be created once,
under its own product, and answers recorded before the shop failed must not be lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from job_harness import Harness
from sqlalchemy import create_engine, text

from comptoir.erp.base import ErpError
from comptoir.jobs import products, push
from comptoir.jobs.catalog import PRODUCT
from comptoir.jobs.context import JobContext
from comptoir.jobs.runner import JobName, RunStatus
from comptoir.model import Article, ItemResult, ProductDraft, ShopRef
from comptoir.shop.woocommerce.shop import WooCommerceShop
from comptoir.state import StateStore


def _bindings(harness: Harness) -> dict[str, str]:
    state = StateStore.open(harness.profile.state_url())
    try:
        return {key: place.shop_id for key, place in state.bindings(harness.profile.name, PRODUCT).items()}
    finally:
        state.close()


def _shop_skus(harness: Harness) -> Counter[str]:
    skus: Counter[str] = Counter()
    for product in harness.shop_all("products"):
        skus[product["sku"]] += 1
        if product["type"] == "variable":
            for variation in harness.shop_all(f"products/{product['id']}/variations"):
                skus[variation["sku"]] += 1
    return skus


def _record_saves(
    monkeypatch: pytest.MonkeyPatch,
    events: list[tuple[str, Any]],
    what: Callable[[Sequence[ProductDraft], Sequence[tuple[ShopRef, ProductDraft]]], Any],
) -> None:
    """Each ``save_products`` the shop is asked for, as ``("save", what(creates, updates))``."""
    save = WooCommerceShop.save_products

    async def save_products(
        shop: WooCommerceShop,
        creates: Sequence[ProductDraft],
        updates: Sequence[tuple[ShopRef, ProductDraft]],
    ) -> list[ItemResult]:
        events.append(("save", what(creates, updates)))
        return await save(shop, creates, updates)

    monkeypatch.setattr(WooCommerceShop, "save_products", save_products)


async def _exported_then(harness: Harness, change: str) -> None:
    """Export the catalog, then change the ERP with one SQL statement."""
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    engine = create_engine(harness.company_url)
    with engine.begin() as conn:
        conn.execute(text(change))
    engine.dispose()


def _first_before_last(kinds: list[str], first: str, last: str) -> bool:
    """The first ``first`` event came before the last ``last`` one."""
    return kinds.index(first) < len(kinds) - 1 - kinds[::-1].index(last)


async def test_small_slices_create_every_product_once_under_its_own_parent(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push, "SLICE_ITEMS", 3)
    monkeypatch.setattr(push, "SLICE_ITEMS_MAX", 3)
    before = _shop_skus(harness)
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    batches = harness.server.stats.count_matching("POST /wc/v3/products/batch")
    assert batches > 3, "the push went out in many slices"

    bound = _bindings(harness)
    skus = _shop_skus(harness)
    assert set(bound) == set(skus) - set(before)
    assert result.counts.created == len(bound)
    assert set(skus.values()) == {1}, "no product or variation created twice"
    parents = {p["sku"]: p["id"] for p in harness.shop_all("products") if p["type"] == "variable"}
    assert parents, "the demo company has variable products"
    for sku, parent_id in parents.items():
        for variation in harness.shop_all(f"products/{parent_id}/variations"):
            assert variation["parent_id"] == parent_id
            assert variation["sku"] in bound, f"{variation['sku']} of {sku} is recorded"

    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.status is RunStatus.OK, lines
    assert again.counts.created == again.counts.updated == 0


async def test_slices_answered_before_the_shop_failed_stay_recorded(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push, "SLICE_ITEMS", 3)
    monkeypatch.setattr(push, "SLICE_ITEMS_MAX", 3)
    monkeypatch.setattr(push, "SLICES_IN_FLIGHT", 1)
    before = _shop_skus(harness)
    harness.server.faults.status(401, route="POST /wc/v3/products/batch", after=2)
    failed, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert failed.status is RunStatus.ABORTED, lines
    recorded = _bindings(harness)
    assert recorded, "the two slices the shop answered are bound"
    held = _shop_skus(harness)
    assert set(recorded) == set(held) - set(before), "what the shop created is what was recorded"

    harness.server.faults.clear()
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    skus = _shop_skus(harness)
    assert set(skus.values()) == {1}, "nothing created twice"
    bound = _bindings(harness)
    assert set(bound) == set(skus) - set(before)
    assert {k: bound[k] for k in recorded} == recorded, "what was recorded still names the same objects"
    assert result.counts.created == len(skus) - len(held)


async def test_updating_a_bound_variation_looks_nothing_up(harness: Harness) -> None:
    """A variation bound with its product's id is updated under it (the export's drafts name
    the product's SKU too): no look-up of the product."""
    await _exported_then(
        harness, 'UPDATE "F_ARTICLE" SET "AR_PrixVen" = 61.50 WHERE "AR_Ref" = \'NAPPE-JAU-250\''
    )
    stats = harness.server.stats
    lookups = stats.count_matching("GET /wc/v3/products")
    again, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert again.counts.updated == 1, lines
    assert stats.count_matching("GET /wc/v3/products") == lookups, dict(stats.by_route)
    [variation] = harness.client.get("products", sku="NAPPE-JAU-250")
    assert variation["regular_price"] == "61.50"


async def test_the_first_slice_is_sent_before_the_last_drafts_are_built(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export builds its drafts family by family while the push sends the slices already
    cut: the shop is asked to save the first slice before the last product's draft exists."""
    monkeypatch.setattr(push, "SLICE_ITEMS", 3)
    monkeypatch.setattr(push, "SLICE_ITEMS_MAX", 3)
    events: list[tuple[str, str]] = []
    build = products.product_draft

    def product_draft(ctx: JobContext, article: Article, **options: Any) -> ProductDraft:
        events.append(("built", article.reference))
        return build(ctx, article, **options)

    monkeypatch.setattr(products, "product_draft", product_draft)
    _record_saves(monkeypatch, events, lambda creates, updates: ",".join(d.sku for d in creates))
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines

    kinds = [kind for kind, _what in events]
    assert _first_before_last(kinds, "save", "built"), events
    assert kinds.count("save") > 3, "the push went out in many slices"
    assert result.counts.created == len(_bindings(harness))


async def test_what_the_shop_created_before_the_drafts_failed_is_recorded(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped while the drafts are still built (here the ERP failing midway) keeps what
    the shop answered for the slices already sent; the next run creates the rest, none twice."""
    monkeypatch.setattr(push, "SLICE_ITEMS", 3)
    monkeypatch.setattr(push, "SLICE_ITEMS_MAX", 3)
    before = _shop_skus(harness)
    build = products.product_draft
    built: list[str] = []

    def product_draft(ctx: JobContext, article: Article, **options: Any) -> ProductDraft:
        built.append(article.reference)
        if len(built) == 12:
            raise ErpError("the ERP went away")
        return build(ctx, article, **options)

    monkeypatch.setattr(products, "product_draft", product_draft)
    failed, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert failed.status is RunStatus.ABORTED, lines
    recorded = _bindings(harness)
    held = _shop_skus(harness)
    assert recorded, "the slices sent before the failure were answered and bound"
    assert set(recorded) == set(held) - set(before), "what the shop created is what was recorded"

    monkeypatch.setattr(products, "product_draft", build)
    result, lines = await harness.run(JobName.EXPORT_PRODUCTS)
    assert result.status is RunStatus.OK, lines
    skus = _shop_skus(harness)
    assert set(skus.values()) == {1}, "nothing created twice"
    assert result.counts.created == len(skus) - len(held)
    assert set(_bindings(harness)) == set(skus) - set(before)


async def test_a_list_is_sent_while_it_is_planned_families_whole(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A push given its drafts as a list (here every price changed) plans them a piece at a time:
    the first slice is saved before the last draft is planned, and a product's variations, which
    the list need not hold together, still go in one slice."""
    await _exported_then(
        harness, 'UPDATE "F_ARTICLE" SET "AR_PrixVen" = "AR_PrixVen" + 1 WHERE "AR_PrixVen" > 0'
    )
    monkeypatch.setattr(push, "SLICE_ITEMS", 4)
    monkeypatch.setattr(push, "SLICE_ITEMS_MAX", 4)
    monkeypatch.setattr(push, "PIECE_ITEMS", 3)
    events: list[tuple[str, list[tuple[str, str | None]]]] = []
    planned = push.fingerprints

    def fingerprints(draft: Any, aspects: Any) -> dict[Any, str]:
        events.append(("planned", [(draft.sku, None)]))
        return planned(draft, aspects)

    monkeypatch.setattr(push, "fingerprints", fingerprints)
    _record_saves(monkeypatch, events, lambda creates, updates: [(d.sku, r.parent_id) for r, d in updates])
    prices, lines = await harness.run(JobName.UPDATE_PRICES)
    assert prices.status is RunStatus.OK, lines

    kinds = [kind for kind, _what in events]
    saves = [what for kind, what in events if kind == "save"]
    assert _first_before_last(kinds, "save", "planned"), kinds
    assert len(saves) > 3, "the push went out in many slices"
    sent = [sku for saved in saves for sku, _parent in saved]
    assert len(sent) == len(set(sent)) == prices.counts.updated > 0
    slice_of: dict[str, int] = {}
    for index, saved in enumerate(saves):
        for _sku, parent in saved:
            if parent is not None:
                assert slice_of.setdefault(parent, index) == index, f"product {parent}'s variations split"
    assert slice_of, "the demo company has variations"
    monkeypatch.undo()
    again, lines = await harness.run(JobName.UPDATE_PRICES)
    assert again.status is RunStatus.OK and again.counts.updated == 0, lines
