"""The PrestaShop adapter's groups and specific prices against the sandbox: groups found by name or
created, rows created, replaced in place, adopted after a lost answer (never doubled), refused
alone, removed in chunks even when some are already gone."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from comptoir.model import GroupDraft, PriceRowDraft, ProductDraft
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.shop.base import ShopError
from comptoir.shop.prestashop import PrestaShopShop
from ps_helpers import adapter, listed

D = Decimal


async def test_groups_are_found_by_name_or_created(ps: PrestaShopSandbox, ps_shop: PrestaShopShop) -> None:
    before = {g["id"] for g in listed(ps, "groups")}
    results = await ps_shop.save_groups([GroupDraft("Grossistes"), GroupDraft("Particuliers", True)])
    assert all(r.ok for r in results)
    created = {g["id"]: g for g in listed(ps, "groups") if g["id"] not in before}
    assert set(created) == {int(r.shop_id or 0) for r in results}
    shown = {r.key: created[int(r.shop_id or 0)]["price_display_method"] for r in results}
    assert shown == {"Grossistes": "1", "Particuliers": "0"}
    again = await ps_shop.save_groups([GroupDraft("grossistes")])
    assert again[0].shop_id == results[0].shop_id
    assert len(listed(ps, "groups")) == len(before) + 2


async def test_rows_are_created_replaced_adopted_and_removed(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    [product] = await ps_shop.save_products(
        [ProductDraft("VIN-1", name="Vin", regular_price=D(12), tax_code="C20")], []
    )
    assert product.ok and product.shop_id
    [group] = await ps_shop.save_groups([GroupDraft("Grossistes")])
    pid, gid = product.shop_id, str(group.shop_id)
    rows = [
        PriceRowDraft("VIN-1", D("10.10"), pid, group="Grossistes", group_shop_id=gid),
        PriceRowDraft("VIN-1", D("9.50"), pid, group="Grossistes", group_shop_id=gid, min_quantity=D(6)),
        PriceRowDraft("VIN-1", D("9"), pid, customer_code="NOWHERE"),
    ]
    ps.faults.drop(route="POST /api/specific_prices", count=1, process=True)
    saved = await ps_shop.save_price_rows([(None, r) for r in rows])
    assert [r.ok for r in saved] == [True, True, False]
    assert saved[2].error is not None and saved[2].error.code == "customer_missing"
    stored = {r["id"]: r for r in listed(ps, "specific_prices", **{"filter[id_product]": f"[{pid}]"})}
    assert len(stored) == 2, "the row whose answer was lost is adopted, not doubled"
    assert sorted((r["from_quantity"], r["price"], r["id_group"]) for r in stored.values()) == [
        ("1", "10.100000", gid),
        ("6", "9.500000", gid),
    ]
    [replaced] = await ps_shop.save_price_rows([(saved[0].shop_id, replace(rows[0], price=D("10.05")))])
    assert replaced.shop_id == saved[0].shop_id
    assert listed(ps, "specific_prices", **{"filter[id]": f"[{saved[0].shop_id}]"})[0]["price"] == "10.050000"

    gone = await ps_shop.delete_price_rows([str(saved[0].shop_id), "987654", str(saved[1].shop_id)])
    assert all(r.ok for r in gone), gone
    assert listed(ps, "specific_prices", **{"filter[id_product]": f"[{pid}]"}) == []


async def test_a_key_without_specific_prices_stops_the_job_naming_it(ps: PrestaShopSandbox) -> None:
    key = ps.create_key({"products": ["GET", "POST", "PUT"], "groups": ["GET", "POST"]})
    shop = adapter(ps, key)
    try:
        [group] = await shop.save_groups([GroupDraft("Grossistes")])
        assert group.ok
        row = PriceRowDraft("VIN-1", D(10), "1", group="Grossistes", group_shop_id=group.shop_id)
        with pytest.raises(ShopError) as caught:
            await shop.save_price_rows([(None, row)])
        assert caught.value.code == "permission" and "specific_prices" in str(caught.value)
    finally:
        await shop.aclose()
