"""The fakes job tests run on keep the protocols and the contracts of the real adapters.

When ``Shop`` or ``Erp`` grows a method, the first test fails until the fake implements it with
the same parameters. The shop and ERP contract suites every platform passes (test_shop_contract.py,
test_erp_contract.py) then run, unchanged, on the fakes: the ERP suite whole, the shop suite
through a stand-in for the sandbox (its fault rules become the fake's knobs) except its timeout
test, which is about an adapter's HTTP client and has no counterpart in memory. The last tests
hold the fakes' own knobs to what they promise. So a job test on the fakes proves something about
the jobs on real platforms.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import test_erp_contract as erp_contract
import test_shop_contract as shop_contract

from comptoir.erp.base import DuplicateDocument, Erp, ErpError
from comptoir.model import (
    AttributeDraft,
    CategoryDraft,
    Contact,
    Customer,
    CustomerDraft,
    DocumentLine,
    DocumentType,
    Payment,
    ProductDraft,
    ProductKind,
    SalesDocument,
    TransferMark,
)
from comptoir.shop.base import Shop, ShopError
from comptoir.shop.platform import ContractConfig, ShopCapabilities
from fakes import FakeErp, FakeShop, small_company


def _members(protocol: type) -> dict[str, Callable[..., Any] | None]:
    """The protocol's methods and attributes (annotated without a value, like ``platform``)."""
    found: dict[str, Callable[..., Any] | None] = {}
    for klass in reversed(protocol.__mro__):
        if klass is object or klass.__name__ in ("Protocol", "Generic"):
            continue
        found |= {name: None for name in getattr(klass, "__annotations__", {})}
        found |= {name: value for name, value in vars(klass).items() if callable(value)}
    return {name: value for name, value in found.items() if not name.startswith("_")}


@pytest.mark.parametrize(("protocol", "fake"), [(Shop, FakeShop), (Erp, FakeErp)])
def test_the_fakes_implement_every_method_of_the_protocols(protocol: type, fake: type) -> None:
    assert isinstance(fake(), protocol)
    for name, member in _members(protocol).items():
        if member is None:
            assert hasattr(fake(), name), f"{fake.__name__} lacks the attribute {name}"
            continue
        mine = getattr(fake, name, None)
        assert mine is not None, f"{fake.__name__} lacks {name}()"
        assert inspect.iscoroutinefunction(mine) == inspect.iscoroutinefunction(member), name
        expected = list(inspect.signature(member).parameters)
        assert list(inspect.signature(mine).parameters) == expected, f"{fake.__name__}.{name} parameters"


class _FakeFaults:
    """The sandbox fault rules the shop contract uses, as the fake shop's knobs."""

    def __init__(self, shop: FakeShop) -> None:
        self.shop = shop

    def drop(self, *, route: str, count: int = 1, process: bool = False) -> None:
        assert process, "a fake applies every write it receives"
        self.shop.lose_answers(route, count)

    def fail_item(self, *, route: str, sku: str, message: str = "Injected failure.") -> None:
        self.shop.refuse(sku, code="injected", message=message)


class _FakeStats:
    def __init__(self, shop: FakeShop) -> None:
        self.shop = shop

    def count_matching(self, route: str) -> int:
        return self.shop.requests[route]


class FakeSandbox:
    """What the shop contract suite asks of a running sandbox, for the fake shop."""

    def __init__(self, shop: FakeShop) -> None:
        self.shop = shop
        self.faults = _FakeFaults(shop)
        self.stats = _FakeStats(shop)
        self.clock = shop.clock

    def place_order(self, email: str, lines: list[tuple[str, int]], status: str) -> str:
        return self.shop.place_order(email, lines, status=status)

    def count_sku(self, sku: str) -> int:
        return self.shop.count_sku(sku)


ADAPTER_ONLY = {"test_a_timeout_never_duplicates"}
"""Shop contract tests about an adapter's transport (opening it with a short HTTP timeout)."""


def _contract(module: Any, leave_out: Collection[str] = ()) -> list[Any]:
    return [
        pytest.param(check, id=name)
        for name, check in vars(module).items()
        if name.startswith("test_") and callable(check) and name not in leave_out
    ]


@pytest.mark.parametrize("check", _contract(shop_contract, ADAPTER_ONLY))
async def test_the_fake_shop_passes_the_shop_contract(check: Callable[..., Any]) -> None:
    shop = FakeShop(batch_size=5)
    platform = SimpleNamespace(
        contract=ContractConfig("products", "customers", "processing"),
        capabilities=ShopCapabilities(batch_size=shop.batch_size),
    )
    given = {"shop": shop, "sandbox": FakeSandbox(shop), "platform": platform}
    wanted = inspect.signature(check).parameters
    assert set(wanted) <= set(given), f"{check.__name__} asks for {set(wanted) - set(given)}"
    await check(**{name: given[name] for name in wanted})


@pytest.mark.parametrize("check", _contract(erp_contract))
def test_the_fake_erp_passes_the_erp_contract(check: Callable[..., Any]) -> None:
    assert list(inspect.signature(check).parameters) == ["erp"]
    check(small_company())


def simple(sku: str, price: str = "12.50") -> ProductDraft:
    return ProductDraft(sku, name=f"Article {sku}", regular_price=Decimal(price), manage_stock=True)


async def test_products_are_created_then_found_and_a_duplicate_create_is_adopted() -> None:
    shop = FakeShop()
    created = await shop.save_products([simple("A-1"), simple("A-2")], [])
    assert all(r.ok and r.shop_id for r in created)
    found = await shop.find_products(["A-1", "A-2", "NOT-THERE"])
    assert {sku: ref.shop_id for sku, ref in found.items()} == {r.key: r.shop_id for r in created}
    [again] = await shop.save_products([simple("A-1", price="13")], [])
    assert again.ok and again.shop_id == created[0].shop_id, "a create of an existing SKU updates it"
    assert shop.count_sku("A-1") == 1
    assert [s.action for s in shop.sent if s.key == "A-1"] == ["create", "create", "update"]
    assert shop.product("A-1").get("regular_price") == Decimal("13")  # type: ignore[union-attr]


async def test_a_lost_answer_is_adopted_by_sku_and_too_many_end_in_a_retryable_error() -> None:
    shop = FakeShop()
    shop.lose_answers("products", 1)
    [result] = await shop.save_products([simple("LOST-1")], [])
    assert result.ok and shop.count_sku("LOST-1") == 1
    assert shop.requests["products"] == 2

    shop.lose_answers("products", shop.rounds + 1)
    [lost] = await shop.save_products([simple("LOST-2")], [])
    assert lost.error is not None and lost.error.code == "retry_exhausted" and lost.error.retryable
    assert shop.count_sku("LOST-2") == 1, "applied, never duplicated"


async def test_variations_hang_under_their_parent_which_must_exist() -> None:
    shop = FakeShop()
    parent = ProductDraft(
        "PULL", kind=ProductKind.VARIABLE, name="Pull", attributes=(AttributeDraft("Couleur", ("Rouge",)),)
    )
    child = ProductDraft(
        "PULL-R",
        kind=ProductKind.VARIATION,
        parent_sku="PULL",
        regular_price=Decimal(30),
        variation_options=(("Couleur", "Rouge"),),
    )
    orphan = replace(child, sku="GILET-R", parent_sku="GILET")
    results = {r.key: r for r in await shop.save_products([parent, child, orphan], [])}
    assert results["PULL-R"].parent_id == results["PULL"].shop_id
    assert results["GILET-R"].error is not None and results["GILET-R"].error.field == "parent_sku"
    found = await shop.find_products(["PULL-R"])
    assert found["PULL-R"].kind is ProductKind.VARIATION


async def test_categories_and_customers_are_found_by_name_and_email_never_doubled() -> None:
    shop = FakeShop()
    [first] = await shop.create_categories([CategoryDraft("EPI", "Épicerie")])
    [again] = await shop.create_categories([CategoryDraft("EPI2", "épicerie")])
    assert again.shop_id == first.shop_id and len(await shop.list_categories()) == 1

    [anne] = await shop.save_customers([CustomerDraft("C1", email="anne@exemple.fr", first_name="Anne")], [])
    assert await shop.find_customers(["ANNE@exemple.fr", "nobody@exemple.fr"]) == {
        "anne@exemple.fr": anne.shop_id
    }
    [bis] = await shop.save_customers([CustomerDraft("C1-BIS", email="Anne@Exemple.fr")], [])
    assert bis.shop_id == anne.shop_id and len(shop.customers) == 1
    [nameless] = await shop.save_customers([CustomerDraft("C2")], [])
    assert nameless.error is not None and nameless.error.field == "email"


async def test_orders_follow_the_shops_clock_and_are_marked_transferred() -> None:
    shop = FakeShop()
    await shop.save_products([simple("ORD-1")], [])
    first = shop.place_order("first@exemple.fr", [("ORD-1", 1)])
    shop.advance(timedelta(hours=2))
    second = shop.place_order("second@exemple.fr", [("ORD-1", 2)], status="on-hold")
    assert [o.shop_id for o in await shop.list_orders(["processing", "on-hold"])] == [first, second]
    assert [o.shop_id for o in await shop.list_orders(["processing"])] == [first]
    after = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert [o.shop_id for o in await shop.list_orders([], modified_after=after)] == [second]
    order = shop.orders[second]
    assert order.total == Decimal("30.00") and order.total_tax == Decimal("5.00")
    [marked] = await shop.mark_transferred([TransferMark(first, "BC00042")])
    assert marked.ok
    [read] = await shop.get_orders([first, "999"])
    assert read.transferred and read.meta["document"] == "BC00042"
    assert read.modified_at == shop.clock(), "marking an order modifies it"
    [missing] = await shop.mark_transferred([TransferMark("999", "BC00043")])
    assert missing.error is not None and missing.error.code == "not_found"


async def test_a_broken_shop_refuses_every_call() -> None:
    shop = FakeShop()
    shop.break_with(ShopError("unreachable", "nothing answers"))
    with pytest.raises(ShopError, match="nothing answers"):
        await shop.find_products(["A"])
    shop.clear()
    assert await shop.find_products(["A"]) == {}


def document(erp: FakeErp, shop_order_id: str, customer: str, rate: str = "20") -> SalesDocument:
    line = DocumentLine("MIEL-LAV", "Miel", Decimal(2), Decimal("10.00"), "C20", Decimal(rate))
    return SalesDocument(DocumentType.ORDER, customer, date(2026, 3, 2), (line,), shop_order_id=shop_order_id)


def test_erp_customers_are_saved_and_found_by_code_and_email() -> None:
    erp = small_company()
    saved = erp.save_customer(Customer(code="web000777", name="Lucie", email="lucie@exemple.fr"))
    assert saved == "WEB000777" and erp.find_customer("WEB000777") is not None
    assert erp.find_customer_by_email("Lucie@Exemple.FR").code == "WEB000777"  # type: ignore[union-attr]
    assert erp.find_customer_by_email("paul@epicerie-bernard.fr").code == "C0002", "a contact's e-mail"  # type: ignore[union-attr]
    erp.customers["C0009"] = Customer("C0009", "Lucie (ancien)", email="lucie@exemple.fr", dormant=True)
    erp.customers["C0008"] = Customer("C0008", "Lucie pro", contacts=(Contact("L", "D", "lucie@exemple.fr"),))
    assert erp.find_customer_by_email("lucie@exemple.fr").code == "WEB000777", "active, own e-mail first"  # type: ignore[union-attr]
    with pytest.raises(ErpError, match="longer than 17"):
        erp.save_customer(Customer(code="X" * 18, name="Trop long"))


def test_one_document_per_shop_order_and_one_payment_per_retry() -> None:
    erp = small_company()
    created = erp.create_sales_document(document(erp, "9001", "C0001"))
    assert created.number == "BC00001" and created.total_gross == Decimal("24.00")
    with pytest.raises(DuplicateDocument) as again:
        erp.create_sales_document(document(erp, "9001", "C0001"))
    assert again.value.existing == created
    erp.validate_document(created.number, created.type)
    payment = Payment("C0001", date(2026, 3, 2), created.total_gross, "1", "BQ1", reference="9001")
    payment = replace(payment, document_number=created.number)
    first = erp.create_payment(payment)
    assert erp.create_payment(payment) == first and len(erp.payments) == 1
    delivery = erp.transform(created.number, DocumentType.DELIVERY_NOTE)
    [progress] = erp.read_document_progress(["9001"])
    assert (progress.number, progress.later_numbers) == (delivery, (delivery,))
    assert erp.find_documents(["9001"])["9001"].number == delivery
    assert erp.count_duplicate_documents() == 0


def test_erp_refusals_name_the_record_and_faults_strike_before_or_after_writing() -> None:
    erp = small_company()
    with pytest.raises(ErpError, match="NOBODY"):
        erp.create_sales_document(document(erp, "9002", "NOBODY"))
    with pytest.raises(ErpError, match="tax code C20 is 20 % in the ERP, the document says 19 %"):
        erp.create_sales_document(document(erp, "9002", "C0001", rate="19"))
    with pytest.raises(ErpError, match="journal 'NOPE'"):
        erp.create_payment(Payment("C0001", date(2026, 3, 2), Decimal(1), "1", "NOPE"))
    assert erp.documents == {}

    erp.fail("create_sales_document", "locked", key="9003", times=1)
    with pytest.raises(ErpError, match="locked"):
        erp.create_sales_document(document(erp, "9003", "C0001"))
    assert erp.documents_of("9003") == []
    erp.fail("create_sales_document", "connection reset", key="9003", times=1, after_write=True)
    with pytest.raises(ErpError, match="connection reset"):
        erp.create_sales_document(document(erp, "9003", "C0001"))
    assert len(erp.documents_of("9003")) == 1, "written, its answer lost"
    erp.race("9004")
    with pytest.raises(DuplicateDocument):
        erp.create_sales_document(document(erp, "9004", "C0001"))
    assert len(erp.documents_of("9004")) == 1
