"""The PrestaShop adapter's catalog against the sandbox: what a created product holds, updates
that change only what they carry (PATCH from 8.0, read-and-PUT on 1.7), stock rows written only
when they differ, variations with their attribute values, refusals that fail one item alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from comptoir.model import AttributeDraft, CategoryDraft, ProductDraft, ProductKind
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.shop.prestashop import PrestaShopShop
from ps_helpers import adapter, get, listed


def bowl(sku: str = "BOL-UZES", **more: object) -> ProductDraft:
    fields: dict[str, object] = {
        "name": "Bol en céramique d'Uzès",
        "description": "Bol émaillé tourné à la main.",
        "regular_price": Decimal("19.90"),
        "enabled": True,
        "manage_stock": True,
        "stock_quantity": 7,
        "weight": Decimal("0.35"),
        "barcode": "3760123456789",
        "tax_code": "C20",
        "erp_reference": sku,
        **more,
    }
    return ProductDraft(sku, **fields)  # type: ignore[arg-type]


def product(ps: PrestaShopSandbox, ident: str) -> dict[str, object]:
    return dict(get(ps, f"/products/{ident}", display="full")["products"][0])


@pytest.mark.parametrize("ps_version", ["1.7", "8", "9"], indirect=True)
async def test_a_created_product_is_what_the_back_office_makes(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    [category] = await ps_shop.create_categories([CategoryDraft("CER", "Céramique")])
    [created] = await ps_shop.save_products([bowl(category_shop_ids=(str(category.shop_id),))], [])
    assert created.ok and created.shop_id, created
    shown = product(ps, str(created.shop_id))
    assert shown["reference"] == "BOL-UZES" and shown["price"] == "19.900000"
    assert shown["id_tax_rules_group"] == "1", "C20 → the 20 % tax rules group"
    assert (shown["state"], shown["available_for_order"], shown["show_price"], shown["visibility"]) == (
        "1",
        "1",
        "1",
        "both",
    ), "what a create leaves out is emptied: the adapter sends what the back office sets"
    assert shown["active"] == "1" and shown["ean13"] == "3760123456789" and shown["weight"] == "0.350000"
    assert shown["id_category_default"] == category.shop_id
    assert shown["associations"]["categories"] == [{"id": category.shop_id}]  # type: ignore[index]
    assert {n["value"] for n in shown["name"]} == {"Bol en céramique d'Uzès"}  # type: ignore[attr-defined]
    assert {n["value"] for n in shown["link_rewrite"]} == {"bol-en-ceramique-d-uzes"}  # type: ignore[attr-defined]
    assert shown["quantity"] == "7", "stock goes to the product's stock_availables row"


@pytest.mark.parametrize(("ps_version", "method"), [("1.7", "PUT"), ("9", "PATCH")], indirect=["ps_version"])
async def test_an_update_changes_only_what_it_carries(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop, method: str
) -> None:
    [created] = await ps_shop.save_products([bowl()], [])
    ref = (await ps_shop.find_products(["BOL-UZES"]))["BOL-UZES"]
    other = "PATCH" if method == "PUT" else "PUT"
    [updated] = await ps_shop.save_products(
        [], [(ref, ProductDraft("BOL-UZES", regular_price=Decimal("21.5")))]
    )
    assert updated.ok and updated.shop_id == created.shop_id, updated
    shown = product(ps, str(created.shop_id))
    assert shown["price"] == "21.500000"
    assert {n["value"] for n in shown["name"]} == {"Bol en céramique d'Uzès"}  # type: ignore[attr-defined]
    assert {n["value"] for n in shown["description"]} == {"Bol émaillé tourné à la main."}  # type: ignore[attr-defined]
    assert shown["ean13"] == "3760123456789" and shown["state"] == "1" and shown["quantity"] == "7"
    assert ps.stats.count(f"{method} /api/products/<id>") == 1
    assert ps.stats.count(f"{other} /api/products/<id>") == 0


async def test_a_stock_update_writes_only_the_stock_row_and_only_when_it_differs(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    [created] = await ps_shop.save_products([bowl()], [])
    ref = (await ps_shop.find_products(["BOL-UZES"]))["BOL-UZES"]
    stock_writes = ps.stats.count_matching("P* /api/stock_availables/*")
    [again] = await ps_shop.save_products([], [(ref, ProductDraft("BOL-UZES", stock_quantity=7))])
    assert again.ok and ps.stats.count_matching("P* /api/stock_availables/*") == stock_writes
    [changed] = await ps_shop.save_products(
        [], [(ref, ProductDraft("BOL-UZES", manage_stock=True, stock_quantity=3))]
    )
    assert changed.ok and ps.stats.count_matching("P* /api/stock_availables/*") == stock_writes + 1
    assert ps.stats.count_matching("P* /api/products/*") == 0, "no product write for stock"
    assert product(ps, str(created.shop_id))["quantity"] == "3"
    [unmanaged] = await ps_shop.save_products([], [(ref, ProductDraft("BOL-UZES", manage_stock=False))])
    [row] = listed(ps, "stock_availables", **{"filter[id_product]": f"[{created.shop_id}]"})
    assert unmanaged.ok and row["out_of_stock"] == "1", "not stock-managed in the ERP: orders accepted"


async def test_refusals_fail_one_item_alone_named(ps: PrestaShopSandbox) -> None:
    shop = adapter(ps, tax_rules_groups={"C20": 1})
    try:
        results = {
            r.key: r
            for r in await shop.save_products(
                [
                    bowl("OK-1"),
                    bowl("TAX-1", tax_code="C99"),
                    bowl("EAN-1", barcode="ABC"),
                    bowl("PRICE-1", regular_price=Decimal("-3")),
                ],
                [],
            )
        }
    finally:
        await shop.aclose()
    assert results["OK-1"].ok
    tax, ean, price = (results[k].error for k in ("TAX-1", "EAN-1", "PRICE-1"))
    assert tax is not None and tax.code == "tax_unmapped" and tax.field == "tax_code" and "C99" in tax.message
    assert ean is not None and ean.code == "invalid_barcode" and ean.field == "barcode"
    assert price is not None and price.code == "ps_85" and price.field == "price", price
    assert "Product->price" in price.message
    assert [p["reference"] for p in listed(ps, "products")] == ["OK-1"]


async def test_variations_share_attribute_values_and_carry_price_and_stock(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop
) -> None:
    def variable(master: str) -> list[ProductDraft]:
        parent = ProductDraft(
            master,
            kind=ProductKind.VARIABLE,
            name=f"Tablier {master}",
            enabled=True,
            tax_code="C20",
            attributes=(AttributeDraft("Taille", ("S", "M")),),
        )
        return [
            parent,
            *(
                ProductDraft(
                    f"{master}-{size}",
                    kind=ProductKind.VARIATION,
                    parent_sku=master,
                    regular_price=Decimal(price),
                    manage_stock=True,
                    stock_quantity=quantity,
                    variation_options=(("Taille", size),),
                )
                for size, price, quantity in (("S", "30", 2), ("M", "32.5", 5))
            ),
        ]

    results = {r.key: r for r in await ps_shop.save_products([*variable("TAB-A"), *variable("TAB-B")], [])}
    assert all(r.ok for r in results.values()), results
    assert len(listed(ps, "product_options")) == 1, "the attribute is created once"
    assert sorted(v["name"][0]["value"] for v in listed(ps, "product_option_values")) == ["M", "S"]
    parent = results["TAB-A"].shop_id
    combination = listed(ps, "combinations", **{"filter[reference]": "[TAB-A-M]"})[0]
    assert str(combination["id_product"]) == parent and combination["price"] == "32.500000"
    assert results["TAB-A-M"].shop_id == f"{parent}-{combination['id']}"
    assert results["TAB-A-M"].parent_id == parent
    assert product(ps, str(parent))["price"] == "0.000000", "combinations carry the whole price"
    assert product(ps, str(parent))["quantity"] == "7", "the product's row sums its combinations"
    found = await ps_shop.find_products(["TAB-A", "TAB-A-S", "TAB-B-M"])
    assert found["TAB-A"].kind is ProductKind.VARIABLE and found["TAB-A-S"].kind is ProductKind.VARIATION
    assert found["TAB-B-M"].parent_id == results["TAB-B"].shop_id
    [moved] = await ps_shop.save_products(
        [],
        [
            (
                found["TAB-A-S"],
                ProductDraft("TAB-A-S", kind=ProductKind.VARIATION, regular_price=Decimal("29")),
            )
        ],
    )
    assert moved.ok and moved.shop_id == found["TAB-A-S"].shop_id
    assert listed(ps, "combinations", **{"filter[reference]": "[TAB-A-S]"})[0]["price"] == "29.000000"


async def test_categories_are_listed_under_home_with_their_tree(ps_shop: PrestaShopShop) -> None:
    [parent] = await ps_shop.create_categories([CategoryDraft("EPI", "Épicerie")])
    [child] = await ps_shop.create_categories([CategoryDraft("MIEL", "Miels", parent_shop_id=parent.shop_id)])
    listed_ = {c.name: c for c in await ps_shop.list_categories()}
    assert set(listed_) == {"Épicerie", "Miels"}, "Root and Home are the shop's, not families"
    assert listed_["Épicerie"].parent_id is None and listed_["Miels"].parent_id == parent.shop_id
    assert listed_["Miels"].shop_id == child.shop_id and listed_["Épicerie"].slug == "epicerie"
