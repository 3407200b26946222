"""The PrestaShop adapter's orders against the sandbox: rows with their taxes, the order's cart
discount spread over the lines to the cent, shipping, payment, guests, the shop's rounding
facts, orders read by id whatever their state, and the transfer mark written once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from comptoir.model import ProductDraft, TransferMark
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.sandbox.prestashop.client import SandboxClient
from comptoir.sandbox.prestashop.demo_shop import COUPON, set_up_shop
from comptoir.shop.base import Shop
from comptoir.shop.prestashop import PrestaShopShop
from ps_helpers import listed


@pytest.fixture
def owner(ps: PrestaShopSandbox) -> Iterator[SandboxClient]:
    made = SandboxClient(ps.url, ps.admin_key, ps.ca_file)
    set_up_shop(made)
    yield made
    made.close()


async def _catalog(shop: PrestaShopShop) -> None:
    drafts = [
        ProductDraft("BOL", name="Bol", regular_price=Decimal("19.90"), tax_code="C20", enabled=True),
        ProductDraft("MIEL", name="Miel", regular_price=Decimal("7.35"), tax_code="C05", enabled=True),
    ]
    assert all(r.ok for r in await shop.save_products(drafts, []))


async def test_an_order_reads_as_the_neutral_order_to_the_cent(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop, owner: SandboxClient
) -> None:
    await _catalog(ps_shop)
    ps.clock.freeze(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    buyer = owner.customer("lea@example.fr", "Léa", "Roux", postcode="69003", city="Lyon")
    placed = owner.place(buyer, [("BOL", 2), ("MIEL", 3)], 2, cart_rules=[COUPON], module="ps_checkpayment")
    [order] = await ps_shop.list_orders(["2"])
    [raw] = listed(ps, "orders", **{"filter[id]": f"[{placed['id']}]"})
    assert order.shop_id == str(placed["id"]) and order.number == raw["reference"] and order.status == "2"
    assert order.total == Decimal(raw["total_paid_tax_incl"]) == Decimal(str(placed["total_paid"]))
    assert order.prices_include_tax, "rows are charged with tax; nets are derived from them"
    assert abs(order.total - order.total_tax - Decimal(raw["total_paid_tax_excl"])) <= Decimal("0.01")
    bowl, honey = order.lines
    assert (bowl.sku, bowl.quantity, bowl.subtotal, bowl.tax_rate) == ("BOL", 2, Decimal("39.800000"), 20)
    assert (honey.sku, honey.quantity, honey.tax_rate) == ("MIEL", 3, Decimal("5.5"))
    discount = Decimal(raw["total_discounts_tax_excl"])
    assert discount > 0 and abs(bowl.discount + honey.discount - discount) <= Decimal("0.01")
    share = Decimal("47.76") - (bowl.total + bowl.tax)
    assert abs(share - Decimal("4.776")) < Decimal("0.01"), "10 % of the bowl's row with tax, to the cent"
    derived = ((bowl.total + bowl.tax) / Decimal("1.2")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert bowl.total == derived, "the net is derived from the amount with tax"
    [shipping] = order.shipping_lines
    assert (shipping.total, shipping.tax, shipping.tax_rate) == (Decimal("7.00"), Decimal("1.40"), 20)
    net = sum((line.total for line in order.lines), Decimal(0)) + shipping.total
    assert net == order.total - order.total_tax, "lines after discount + shipping = the order's net"
    gross = sum((line.total + line.tax for line in order.lines), Decimal(0)) + shipping.total + shipping.tax
    assert gross == order.total
    [coupon] = order.coupons
    assert coupon.discount == discount
    assert order.paid_at == datetime(2026, 3, 2, 9, 30, tzinfo=UTC) and order.created_at == order.paid_at
    assert order.payment_method == "ps_checkpayment" and order.customer_shop_id == str(buyer[0])
    assert order.email == "lea@example.fr" and order.billing.city == "Lyon" and order.billing.country == "FR"
    assert (
        order.currency == "EUR"
        and order.meta["round_type"] == "line"
        and order.meta["round_mode"] == "half_up"
    )
    assert not order.transferred


async def test_guests_states_and_orders_read_by_id(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop, owner: SandboxClient
) -> None:
    await _catalog(ps_shop)
    guest = owner.customer("hugo@example.fr", "Hugo", "Lefèvre", guest=True)
    waiting = owner.place(guest, [("BOL", 1)], 10)
    paid = owner.place(owner.customer("ana@example.fr", "Ana", "Vidal"), [("MIEL", 1)], 2)
    assert [o.shop_id for o in await ps_shop.list_orders(["2"])] == [str(paid["id"])]
    assert await ps_shop.list_orders(["awaiting"]) == [], "states are ids: no id, no order"
    by_id = {o.shop_id: o for o in await ps_shop.get_orders([str(waiting["id"]), str(paid["id"]), "999"])}
    assert set(by_id) == {str(waiting["id"]), str(paid["id"])}, "an unknown id is left out"
    unpaid = by_id[str(waiting["id"])]
    assert unpaid.is_guest and unpaid.email == "hugo@example.fr" and unpaid.status == "10"
    assert unpaid.paid_at is None


async def test_the_transfer_mark_is_one_private_message(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop, owner: SandboxClient
) -> None:
    await _catalog(ps_shop)
    placed = owner.place(owner.customer("ana@example.fr", "Ana", "Vidal"), [("BOL", 1)], 2)
    order_id = str(placed["id"])
    [first] = await ps_shop.mark_transferred([TransferMark(order_id, "BC00042")])
    [again] = await ps_shop.mark_transferred([TransferMark(order_id, "BC00042")])
    assert first.ok and again.ok and again.shop_id == first.shop_id
    [message] = listed(ps, "messages", **{"filter[id_order]": f"[{order_id}]"})
    assert message["private"] == "1" and message["message"].endswith("pièce BC00042")
    [order] = await ps_shop.get_orders([order_id])
    assert order.transferred and order.meta["transferred_document"] == "BC00042"
    [raw] = listed(ps, "orders", **{"filter[id]": f"[{order_id}]"})
    assert raw["current_state"] == "2", "the order's state is the merchant's: untouched"


async def test_a_lost_mark_is_checked_before_being_sent_again(
    ps: PrestaShopSandbox, ps_shop: PrestaShopShop, owner: SandboxClient
) -> None:
    await _catalog(ps_shop)
    placed = owner.place(owner.customer("ana@example.fr", "Ana", "Vidal"), [("BOL", 1)], 2)
    ps.faults.drop(route="POST /api/messages", count=1, process=True)
    [marked] = await ps_shop.mark_transferred([TransferMark(str(placed["id"]), "BC00043")])
    assert marked.ok, marked
    assert len(listed(ps, "messages", **{"filter[id_order]": f"[{placed['id']}]"})) == 1


async def test_lists_for_the_mapping_tables(ps_shop: PrestaShopShop, owner: SandboxClient) -> None:
    assert isinstance(ps_shop, Shop)
    await _catalog(ps_shop)
    buyer = owner.customer("lea@example.fr", "Léa", "Roux", postcode="69003", city="Lyon")
    owner.place(buyer, [("BOL", 1)], 2, module="ps_checkpayment")
    owner.place(buyer, [("MIEL", 1)], 2, module="ps_wirepayment")
    rates = {str(r.rate) for r in await ps_shop.list_tax_rates()}
    assert {"20", "5.5"} <= rates, rates
    classes = await ps_shop.list_tax_classes()
    assert classes and all(c.label for c in classes), "tax rules groups, named"
    states = {s.key: s.label for s in await ps_shop.list_order_statuses()}
    assert states.get("2"), "an order's status is its state id, named"
    methods = [m.key for m in await ps_shop.list_payment_methods()]
    assert methods == ["ps_wirepayment", "ps_checkpayment"], "the modules of the last orders, newest first"
