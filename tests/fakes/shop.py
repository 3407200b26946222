"""``FakeShop``: the ``Shop`` protocol in memory, with knobs for the faults jobs must survive.

Writes go through the shared ``BatchWriter`` exactly as a platform adapter's do: the fake only
supplies "send a chunk" and "find by key". So a create whose SKU (or e-mail, or category name)
already exists is refused as a duplicate naming the existing object, and the writer adopts it; a
chunk whose answer is lost after the shop applied it is reconciled by natural key, never created
twice; a refused item fails alone with its own ``ItemError``.

Knobs:

- ``refuse(key)``: the shop refuses the item of that key (SKU, e-mail, ERP code, category key or
  name, order id) with a non-retryable ``ItemError``;
- ``lose_answers(resource, count)``: the next ``count`` write requests to ``resource`` are applied,
  then their answer is lost (a timeout after the shop acted, ``ChunkUnknown`` with
  ``maybe_processed``); more losses than the writer's rounds end in ``retry_exhausted`` results;
- ``break_with(ShopError)``: every call raises it (unreachable shop, bad key);
- ``calls`` counts protocol calls by method, ``requests`` write requests by resource, ``sent``
  keeps every draft the shop received (create or update), in order.

Orders are placed with ``place_order`` and stamped by ``clock`` (frozen; tests move it); they are
taxed as WooCommerce does by default, prices without tax and tax rounded per line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from comptoir.model import (
    NOT_FOUND,
    ZERO,
    Address,
    CategoryDraft,
    Choice,
    CustomerDraft,
    ItemError,
    ItemResult,
    MediaPlan,
    MediaResult,
    Order,
    OrderAttachment,
    OrderLine,
    OrderUpdate,
    ProductDraft,
    ProductKind,
    Refund,
    ShippingLine,
    ShopCategory,
    ShopRef,
    ShopTaxRate,
    TaxRounding,
    TransferMark,
    round_money,
    tax_amount,
)
from comptoir.sandbox.core.clock import Clock
from comptoir.shop.base import ShopCheck, ShopError, ShopSummary
from comptoir.shop.batching import Answer, BatchWriter, ChunkUnknown, Refused, WriteOp, Written

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""Where the fake shop's clock stands until a test moves it."""

RESOURCES = ("products", "variations", "categories", "customers", "orders", "media")
"""Write request kinds, as ``requests`` counts them and ``lose_answers`` names them."""

SHOP_TAX_RATES = {"C20": Decimal("20"), "C10": Decimal("10"), "C05": Decimal("5.5")}
"""The shop's tax rate for each ERP tax code a product carries (orders are taxed by it)."""


@dataclass
class ShopProduct:
    """A product or variation the shop holds; ``data`` keeps every draft field last written."""

    shop_id: str
    sku: str
    kind: ProductKind
    parent_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.data.get(name)


@dataclass
class ShopCustomer:
    shop_id: str
    email: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Sent:
    """One draft the shop received: ``action`` is ``create`` or ``update``."""

    resource: str
    action: str
    key: str
    draft: Any

    def carried(self) -> set[str]:
        """The draft fields this write carried (its ``None`` fields are left alone)."""
        keys = {"sku", "kind", "parent_sku", "erp_code", "key"}
        return {
            f.name
            for f in fields(self.draft)
            if f.name not in keys and getattr(self.draft, f.name) is not None
        }


@dataclass(frozen=True, slots=True)
class _Refusal:
    error: ItemError
    times: int | None


def _merge(target: dict[str, Any], draft: Any, skip: set[str]) -> None:
    """Write the draft's non-``None`` fields (``None`` means "do not touch")."""
    for f in fields(draft):
        value = getattr(draft, f.name)
        if f.name not in skip and value is not None:
            target[f.name] = value


class FakeShop:
    """An in-memory shop implementing the ``Shop`` protocol."""

    platform = "fake"

    def __init__(self, *, batch_size: int = 100, rounds: int = 3, clock: Clock | None = None) -> None:
        self.batch_size = batch_size
        self.rounds = rounds
        self.clock = clock or Clock()
        if clock is None:
            self.clock.freeze(START)
        self.products: dict[str, ShopProduct] = {}
        self.categories: dict[str, ShopCategory] = {}
        self.customers: dict[str, ShopCustomer] = {}
        self.orders: dict[str, Order] = {}
        self.media: dict[str, tuple[str, str, bytes]] = {}
        """Shop file id → (SKU, file name, bytes) of every uploaded image or document."""
        self.calls: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        self.sent: list[Sent] = []
        self.listed_after: list[datetime | None] = []
        """The ``modified_after`` of every ``list_orders`` call (the window jobs asked for)."""
        self.tax_rates = [
            ShopTaxRate("1", Decimal(20), "TVA 20 %"),
            ShopTaxRate("2", Decimal("5.5"), "TVA 5,5 %"),
        ]
        """What ``list_tax_rates`` answers (tests change it)."""
        self.statuses = {"pending": "Pending payment", "processing": "Processing", "completed": "Completed"}
        """Order status → its name, for ``list_order_statuses``."""
        self.payment_methods = {"bacs": "Virement bancaire", "cheque": "Chèque"}
        """Payment method → its title, for ``list_payment_methods``."""
        self._ids = 100
        self._refusals: dict[str, _Refusal] = {}
        self._losses: Counter[str] = Counter()
        self._broken: ShopError | None = None
        self.notes: dict[str, list[str]] = {}
        self.attachments: dict[str, dict[str, OrderAttachment]] = {}
        self.refunds: dict[str, Refund] = {}

    # --- knobs -------------------------------------------------------------------------------
    def refuse(
        self,
        key: str,
        *,
        code: str = "refused",
        message: str = "refused by the shop",
        field: str = "",
        times: int | None = None,
    ) -> None:
        """Refuse the item of ``key`` (``times`` times, else until ``clear()``)."""
        self._refusals[key] = _Refusal(ItemError(code, message, field, False), times)

    def lose_answers(self, resource: str = "products", count: int = 1) -> None:
        """Apply the next ``count`` write requests to ``resource``, then lose their answers."""
        if resource not in RESOURCES:
            raise ValueError(f"unknown resource {resource!r} (one of {', '.join(RESOURCES)})")
        self._losses[resource] += count

    def break_with(self, error: ShopError | None) -> None:
        """Make every call raise ``error`` (``None``: the shop works again)."""
        self._broken = error

    def clear(self) -> None:
        """Remove every fault (refusals, lost answers, a broken shop)."""
        self._refusals.clear()
        self._losses.clear()
        self._broken = None

    @property
    def writes(self) -> int:
        """Write requests received so far, of every kind."""
        return sum(self.requests.values())

    # --- what the shop holds (for tests) ---------------------------------------------------
    def product(self, sku: str) -> ShopProduct | None:
        found = [p for p in self.products.values() if p.sku == sku]
        return found[0] if found else None

    def count_sku(self, sku: str) -> int:
        """How many products and variations hold ``sku``: never more than 1."""
        return sum(1 for p in self.products.values() if p.sku == sku)

    def customer(self, email: str) -> ShopCustomer | None:
        return next((c for c in self.customers.values() if c.email == email.strip().lower()), None)

    def updates_of(self, resource: str = "products") -> list[Sent]:
        return [s for s in self.sent if s.resource == resource and s.action == "update"]

    def creates_of(self, resource: str = "products") -> list[Sent]:
        return [s for s in self.sent if s.resource == resource and s.action == "create"]

    def add_product(self, draft: ProductDraft, parent_id: str | None = None) -> str:
        """Put a product in the shop directly (as shop staff would); its id."""
        if self.product(draft.sku) is not None:
            raise ValueError(f"SKU {draft.sku} already exists")
        product = ShopProduct(self._new_id(), draft.sku, draft.kind, parent_id)
        _merge(product.data, draft, {"sku", "kind", "parent_sku"})
        self.products[product.shop_id] = product
        return product.shop_id

    def delete_product(self, sku: str) -> None:
        """Shop staff delete a product for good (a variable product takes its variations along)."""
        product = self.product(sku)
        if product is None:
            raise ValueError(f"no product holds SKU {sku}")
        for ident in [i for i, p in self.products.items() if p.parent_id == product.shop_id]:
            del self.products[ident]
        del self.products[product.shop_id]

    def add_customer(self, email: str, first_name: str = "", last_name: str = "") -> str:
        """A customer who registered on the shop; their id."""
        if self.customer(email) is not None:
            raise ValueError(f"{email} already has an account")
        customer = ShopCustomer(self._new_id(), email.strip().lower())
        customer.data.update(email=customer.email, first_name=first_name, last_name=last_name)
        self.customers[customer.shop_id] = customer
        return customer.shop_id

    def place_order(
        self,
        email: str,
        lines: Sequence[tuple[str, int]],
        *,
        status: str = "processing",
        payment_method: str = "cheque",
        paid: bool = True,
        shipping: Decimal = ZERO,
        guest: bool = False,
        prices: Mapping[str, Decimal] | None = None,
    ) -> str:
        """A customer's order of these SKUs and quantities, taxed as the shop taxes them; its id.

        Prices come from the products (``prices`` overrides them, e.g. for a SKU the shop lacks);
        the customer is the shop account of ``email`` unless ``guest`` or there is none."""
        now = self.clock()
        order_lines: list[OrderLine] = []
        for number, (sku, quantity) in enumerate(lines, start=1):
            product = self.product(sku)
            price = (prices or {}).get(sku)
            if price is None:
                if product is None or product.get("regular_price") is None:
                    raise ValueError(f"{sku}: no such product in the shop; give its price")
                price = Decimal(product.get("regular_price"))
            rate = self._rate(product)
            subtotal = round_money(price * quantity)
            order_lines.append(
                OrderLine(
                    line_id=str(number),
                    sku=sku,
                    name=str(product.get("name") if product else sku) or sku,
                    quantity=Decimal(quantity),
                    subtotal=subtotal,
                    total=subtotal,
                    tax=tax_amount(subtotal, rate),
                    tax_rate=rate,
                    subtotal_tax=tax_amount(subtotal, rate),
                    product_id=product.shop_id if product else "",
                )
            )
        shipping_lines = (
            (ShippingLine("flat_rate", "Forfait", shipping, tax_amount(shipping, Decimal(20)), Decimal(20)),)
            if shipping
            else ()
        )
        tax = sum((line.tax for line in order_lines), ZERO) + sum((s.tax for s in shipping_lines), ZERO)
        net = sum((line.total for line in order_lines), ZERO) + shipping
        account = None if guest else self.customer(email)
        billing = Address(
            first_name=str(account.data.get("first_name") or "Anne") if account else "Anne",
            last_name=str(account.data.get("last_name") or "Martin") if account else "Martin",
            line1="1 rue de la République",
            postcode="69002",
            city="Lyon",
            email=email,
        )
        shop_id = self._new_id()
        self.orders[shop_id] = Order(
            shop_id=shop_id,
            number=shop_id,
            status=status,
            created_at=now,
            currency="EUR",
            total=net + tax,
            total_tax=tax,
            lines=tuple(order_lines),
            modified_at=now,
            paid_at=now if paid else None,
            tax_rounding=TaxRounding.LINE,
            customer_shop_id=account.shop_id if account else None,
            email=email,
            billing=billing,
            shipping_lines=shipping_lines,
            payment_method=payment_method,
            payment_method_title=payment_method,
        )
        return shop_id

    def set_order_status(self, shop_id: str, status: str) -> None:
        self.orders[shop_id] = replace(self.orders[shop_id], status=status, modified_at=self.clock())

    def delete_order(self, shop_id: str) -> None:
        del self.orders[shop_id]

    # --- plumbing ----------------------------------------------------------------------------
    def _new_id(self) -> str:
        self._ids += 1
        return str(self._ids)

    def _rate(self, product: ShopProduct | None) -> Decimal:
        if product is None:
            return Decimal(20)
        code = product.get("tax_code")
        if code is None and product.parent_id in self.products:
            code = self.products[product.parent_id or ""].get("tax_code")
        return SHOP_TAX_RATES.get(str(code), Decimal(20))

    def _call(self, name: str) -> None:
        self.calls[name] += 1
        if self._broken is not None:
            raise self._broken

    def _refused(self, op: WriteOp) -> Refused | None:
        for key in (op.key, op.lookup):
            refusal = self._refusals.get(key)
            if refusal is None:
                continue
            if refusal.times is not None:
                if refusal.times <= 1:
                    del self._refusals[key]
                else:
                    self._refusals[key] = replace(refusal, times=refusal.times - 1)
            return Refused(refusal.error)
        return None

    def _writer(self, resource: str, write: Any, find: Any) -> BatchWriter:
        async def send(chunk: Sequence[WriteOp]) -> Sequence[Answer]:
            self.requests[resource] += 1
            answers: list[Answer] = []
            for op in chunk:
                refused = self._refused(op)
                answers.append(refused if refused is not None else write(op))
            if self._losses[resource] > 0:
                self._losses[resource] -= 1
                error = ItemError("timeout", "the shop did not answer (read timeout)", "", True)
                raise ChunkUnknown(error, maybe_processed=True)
            return answers

        return BatchWriter(send, find, chunk_size=self.batch_size, rounds=self.rounds)

    def _record(self, resource: str, op: WriteOp, draft: Any) -> None:
        self.sent.append(Sent(resource, "create" if op.ident is None else "update", op.key, draft))

    # --- connection --------------------------------------------------------------------------
    async def aclose(self) -> None:
        self.calls["aclose"] += 1

    async def check(self) -> ShopCheck:
        self._call("check")
        return ShopCheck(self.platform, "in-memory fake shop", True, True)

    # --- categories --------------------------------------------------------------------------
    async def list_categories(self) -> list[ShopCategory]:
        self._call("list_categories")
        return list(self.categories.values())

    async def create_categories(self, drafts: Sequence[CategoryDraft]) -> list[ItemResult]:
        self._call("create_categories")

        async def find(names: list[str]) -> dict[str, str]:
            wanted = {n.lower() for n in names}
            return {c.name.lower(): c.shop_id for c in self.categories.values() if c.name.lower() in wanted}

        def write(op: WriteOp) -> Answer:
            draft: CategoryDraft = op.payload
            self._record("categories", op, draft)
            if draft.parent_shop_id is not None and draft.parent_shop_id not in self.categories:
                error = ItemError(
                    "parent_missing", f"parent category {draft.parent_shop_id} does not exist", "parent"
                )
                return Refused(error)
            if op.ident is None:
                for existing in self.categories.values():
                    if (
                        existing.name.lower() == draft.name.lower()
                        and existing.parent_id == draft.parent_shop_id
                    ):
                        error = ItemError(
                            "term_exists", f"a category named {draft.name!r} already exists", "name"
                        )
                        return Refused(error, duplicate=True, existing_id=existing.shop_id)
                shop_id = self._new_id()
            else:
                shop_id = op.ident
                if shop_id not in self.categories:
                    return Refused(ItemError("not_found", f"category {shop_id} does not exist", "id"))
            slug = draft.name.lower().replace(" ", "-")
            self.categories[shop_id] = ShopCategory(shop_id, draft.name, draft.parent_shop_id, slug)
            return Written(shop_id)

        ops = [WriteOp(d.key, d.name.lower(), d) for d in drafts]
        results = await self._writer("categories", write, find).run(ops)
        return [results[d.key] for d in drafts]

    # --- products ----------------------------------------------------------------------------
    async def find_products(self, skus: Collection[str]) -> dict[str, ShopRef]:
        self._call("find_products")
        return self._find(skus)

    def _find(self, skus: Collection[str]) -> dict[str, ShopRef]:
        wanted = {s for s in skus if s}
        return {
            p.sku: ShopRef(p.shop_id, p.parent_id, p.sku, p.kind)
            for p in self.products.values()
            if p.sku in wanted
        }

    async def _find_ids(self, skus: list[str]) -> dict[str, str]:
        return {sku: ref.shop_id for sku, ref in self._find(skus).items()}

    def _write_product(self, op: WriteOp, resource: str) -> Answer:
        draft: ProductDraft = op.payload[0]
        parent_id: str | None = op.payload[1]
        self._record(resource, op, draft)
        if op.ident is None:
            holder = self.product(draft.sku)
            if holder is not None:
                message = f"SKU {draft.sku} is already used by product {holder.shop_id}"
                error = ItemError("duplicate_sku", message, "sku")
                return Refused(error, duplicate=True, existing_id=holder.shop_id)
            if draft.kind is ProductKind.VARIATION and parent_id not in self.products:
                return Refused(
                    ItemError("parent_missing", f"parent product {parent_id} does not exist", "parent_sku")
                )
            product = ShopProduct(self._new_id(), draft.sku, draft.kind, parent_id)
            self.products[product.shop_id] = product
        else:
            found = self.products.get(op.ident)
            expected_parent = parent_id if draft.kind is ProductKind.VARIATION else None
            if found is None or found.parent_id != expected_parent:
                where = f" under product {parent_id}" if expected_parent else ""
                return Refused(ItemError("not_found", f"product {op.ident} does not exist{where}", "id"))
            holder = self.product(draft.sku)
            if holder is not None and holder is not found:
                message = f"SKU {draft.sku} is already used by product {holder.shop_id}"
                return Refused(ItemError("duplicate_sku", message, "sku"))
            product = found
            product.sku = draft.sku
        _merge(product.data, draft, {"sku", "kind", "parent_sku"})
        return Written(product.shop_id, product.parent_id)

    async def save_products(
        self, creates: Sequence[ProductDraft], updates: Sequence[tuple[ShopRef, ProductDraft]]
    ) -> list[ItemResult]:
        self._call("save_products")
        results: dict[str, ItemResult] = {}
        product_ops = [
            WriteOp(d.sku, d.sku, (d, None)) for d in creates if d.kind is not ProductKind.VARIATION
        ]
        product_ops += [
            WriteOp(d.sku, d.sku, (d, None), ref.shop_id)
            for ref, d in updates
            if d.kind is not ProductKind.VARIATION
        ]
        if product_ops:
            writer = self._writer("products", lambda op: self._write_product(op, "products"), self._find_ids)
            results.update(await writer.run(product_ops))
        variation_ops: list[WriteOp] = []
        pending: list[tuple[ShopRef | None, ProductDraft]] = [
            (None, d) for d in creates if d.kind is ProductKind.VARIATION
        ]
        pending += [(ref, d) for ref, d in updates if d.kind is ProductKind.VARIATION]
        known_parents = self._find({d.parent_sku or "" for _, d in pending})
        for ref, draft in pending:
            done = results.get(draft.parent_sku or "")
            parent = done.shop_id if done is not None and done.ok else None
            if parent is None and draft.parent_sku in known_parents:
                parent = known_parents[draft.parent_sku or ""].shop_id
            if parent is None and ref is not None:
                parent = ref.parent_id
            if parent is None:
                message = f"the parent product {draft.parent_sku!r} is not in the shop"
                results[draft.sku] = ItemResult(
                    draft.sku, error=ItemError("parent_missing", message, "parent_sku")
                )
                continue
            variation_ops.append(WriteOp(draft.sku, draft.sku, (draft, parent), ref.shop_id if ref else None))
        if variation_ops:
            writer = self._writer(
                "variations", lambda op: self._write_product(op, "variations"), self._find_ids
            )
            results.update(await writer.run(variation_ops))
        ordered = [*creates, *(d for _, d in updates)]
        return [
            results.get(d.sku) or ItemResult(d.sku, error=ItemError("not_sent", "not sent")) for d in ordered
        ]

    # --- images and documents ----------------------------------------------------------------
    async def save_media(self, plans: Sequence[MediaPlan]) -> list[MediaResult]:
        """Each upload and each delete is one request; a product shows its files in plan order
        (under ``images`` or ``documents``), then those added by hand unless ``replace_others``."""
        self._call("save_media")
        results: list[MediaResult] = []
        for plan in plans:
            product = self.products.get(plan.product.shop_id)
            refused = self._refused(WriteOp(plan.sku, plan.sku, plan))
            if refused is not None:
                results.append(MediaResult(plan.sku, error=refused.error))
                continue
            if product is None:
                error = ItemError(NOT_FOUND, f"product {plan.product.shop_id} does not exist", "id")
                results.append(MediaResult(plan.sku, error=error))
                continue
            ids = dict(plan.keep)
            for shop_id in plan.delete:
                self.requests["media"] += 1
                self.media.pop(shop_id, None)
            for file in plan.upload:
                self.requests["media"] += 1
                shop_id = self._new_id()
                self.media[shop_id] = (plan.sku, file.name, file.path.read_bytes())
                ids[file.key] = shop_id
            field_name = f"{plan.kind.value}s"
            mine = set(ids.values()) | set(plan.delete)
            others = (
                [] if plan.replace_others else [i for i in product.data.get(field_name, ()) if i not in mine]
            )
            product.data[field_name] = tuple(ids[k] for k in plan.order) + tuple(others)
            results.append(MediaResult(plan.sku, ids))
        return results

    # --- customers ---------------------------------------------------------------------------
    async def find_customers(self, emails: Collection[str]) -> dict[str, str]:
        self._call("find_customers")
        return self._find_customers(emails)

    def _find_customers(self, emails: Collection[str]) -> dict[str, str]:
        wanted = {e.strip().lower() for e in emails if e and e.strip()}
        return {c.email: c.shop_id for c in self.customers.values() if c.email in wanted}

    async def save_customers(
        self, creates: Sequence[CustomerDraft], updates: Sequence[tuple[str, CustomerDraft]]
    ) -> list[ItemResult]:
        self._call("save_customers")

        async def find(emails: list[str]) -> dict[str, str]:
            return self._find_customers(emails)

        def write(op: WriteOp) -> Answer:
            draft: CustomerDraft = op.payload
            self._record("customers", op, draft)
            email = (draft.email or "").strip().lower()
            holder = self.customer(email) if email else None
            if op.ident is None:
                if not email:
                    return Refused(
                        ItemError("missing_email", "an e-mail is required to create an account", "email")
                    )
                if holder is not None:
                    error = ItemError(
                        "email_exists", f"an account is already registered with {email}", "email"
                    )
                    return Refused(error, duplicate=True, existing_id=holder.shop_id)
                customer = ShopCustomer(self._new_id(), email)
                self.customers[customer.shop_id] = customer
            else:
                found = self.customers.get(op.ident)
                if found is None:
                    return Refused(ItemError("not_found", f"customer {op.ident} does not exist", "id"))
                if holder is not None and holder is not found:
                    error = ItemError(
                        "email_exists", f"an account is already registered with {email}", "email"
                    )
                    return Refused(error)
                customer = found
                if email:
                    customer.email = email
            _merge(customer.data, draft, set())
            return Written(customer.shop_id)

        ops = [WriteOp(d.erp_code, (d.email or "").strip().lower(), d) for d in creates]
        ops += [WriteOp(d.erp_code, (d.email or "").strip().lower(), d, shop_id) for shop_id, d in updates]
        results = await self._writer("customers", write, find).run(ops)
        return [results[d.erp_code] for d in [*creates, *(d for _, d in updates)]]

    # --- orders ------------------------------------------------------------------------------
    async def list_orders(
        self, statuses: Collection[str], *, modified_after: datetime | None = None
    ) -> list[Order]:
        self._call("list_orders")
        self.listed_after.append(modified_after)
        wanted = set(statuses)
        found = [
            o
            for o in self.orders.values()
            if (not wanted or o.status in wanted)
            and (modified_after is None or (o.modified_at or o.created_at) > modified_after)
        ]
        return sorted(found, key=lambda o: (o.modified_at or o.created_at, int(o.shop_id)))

    async def get_orders(self, shop_ids: Collection[str]) -> list[Order]:
        self._call("get_orders")
        return [self.orders[i] for i in sorted(set(shop_ids), key=int) if i in self.orders]

    async def mark_transferred(self, marks: Sequence[TransferMark]) -> list[ItemResult]:
        self._call("mark_transferred")

        async def no_lookup(_keys: list[str]) -> dict[str, str]:
            return {}

        def write(op: WriteOp) -> Answer:
            mark: TransferMark = op.payload
            self._record("orders", op, mark)
            order = self.orders.get(mark.shop_order_id)
            if order is None:
                return Refused(ItemError("not_found", f"order {mark.shop_order_id} does not exist", "id"))
            meta = {**order.meta, "document": mark.document_number}
            self.orders[order.shop_id] = replace(order, transferred=True, meta=meta, modified_at=self.clock())
            return Written(order.shop_id)

        ops = [WriteOp(m.shop_order_id, m.shop_order_id, m, m.shop_order_id) for m in marks]
        results = await self._writer("orders", write, no_lookup).run(ops)
        return [results[m.shop_order_id] for m in marks]

    # --- after the import --------------------------------------------------------------------
    async def update_orders(self, updates: Sequence[OrderUpdate]) -> list[ItemResult]:
        """Statuses and notes, as a platform with order notes does: a note already on the order
        is not added again when the update says ``verify``."""
        self._call("update_orders")
        results = []
        for update in updates:
            order = self.orders.get(update.shop_order_id)
            if order is None:
                error = ItemError("not_found", f"order {update.shop_order_id} does not exist", "id")
                results.append(ItemResult(update.key, error=error))
                continue
            meta = {**order.meta, "stage": update.key}
            if update.document_number:
                meta["document"] = update.document_number
            status = update.status or order.status
            self.orders[order.shop_id] = replace(order, status=status, meta=meta, modified_at=self.clock())
            notes = self.notes.setdefault(order.shop_id, [])
            if update.note and not (update.verify and update.note in notes):
                notes.append(update.note)
            results.append(ItemResult(update.key, order.shop_id))
        return results

    async def attach_documents(self, attachments: Sequence[OrderAttachment]) -> list[ItemResult]:
        self._call("attach_documents")
        results = []
        for attachment in attachments:
            files = self.attachments.setdefault(attachment.shop_order_id, {})
            if attachment.shop_order_id not in self.orders:
                error = ItemError("not_found", f"order {attachment.shop_order_id} does not exist", "id")
                results.append(ItemResult(attachment.key, error=error))
                continue
            if not (attachment.verify and attachment.key in files):
                files[attachment.key] = attachment
            results.append(ItemResult(attachment.key, f"fake://{attachment.file_name}"))
        return results

    async def list_refunds(self, *, created_after: datetime | None = None) -> list[Refund]:
        self._call("list_refunds")
        return sorted(
            (r for r in self.refunds.values() if created_after is None or r.created_at > created_after),
            key=lambda r: (r.created_at, r.shop_id),
        )

    async def summary(self) -> ShopSummary:
        self._call("summary")
        parents = sum(1 for p in self.products.values() if p.kind is not ProductKind.VARIATION)
        return ShopSummary(products=parents, customers=len(self.customers), orders=len(self.orders))

    # --- lists for the mapping tables -----------------------------------------------------------
    async def list_tax_rates(self) -> list[ShopTaxRate]:
        self._call("list_tax_rates")
        return list(self.tax_rates)

    async def list_tax_classes(self) -> list[Choice]:
        self._call("list_tax_classes")
        return [Choice("standard", "Standard")]

    async def list_order_statuses(self) -> list[Choice]:
        self._call("list_order_statuses")
        counts = Counter(o.status for o in self.orders.values())
        return [Choice(key, name, str(counts[key])) for key, name in self.statuses.items()]

    async def list_payment_methods(self) -> list[Choice]:
        self._call("list_payment_methods")
        return [Choice(key, title, "enabled") for key, title in self.payment_methods.items()]

    # --- time --------------------------------------------------------------------------------
    def advance(self, delta: timedelta) -> datetime:
        """Move the shop's clock (orders are stamped by it)."""
        return self.clock.advance(delta)
