"""Export customers: create and update shop customer accounts from ERP customers.

Each account carries its group (the ERP price category's name) and, with
``customers.home_warehouse``, the key of its home warehouse (``jobs/warehouses.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from comptoir.jobs.context import JobAborted, JobContext
from comptoir.jobs.push import Resource, push
from comptoir.jobs.warehouses import WarehousePlan, home_warehouse, unknown_rule_warehouses
from comptoir.journal import Outcome
from comptoir.model import Aspect, Customer, CustomerDraft, ItemResult, clean_draft, is_valid_email
from comptoir.state import BoundObject

CUSTOMER = "customer"
_UPDATABLE = {"first_name", "last_name", "group", "vat_number", "siret", "home_warehouse"}
_ADDRESSES = {"billing", "shipping"}


def customer_draft(
    ctx: JobContext, customer: Customer, groups: dict[str, str], home: str | None = None
) -> CustomerDraft:
    """The full shop account of one ERP customer, its texts cleaned; ``home`` is the key of its
    home warehouse as the shop knows it."""
    first_name = customer.first_name
    last_name = customer.last_name or (customer.name if not first_name else "")
    billing = replace(
        customer.billing,
        first_name=customer.billing.first_name or first_name,
        last_name=customer.billing.last_name or last_name,
        company=customer.billing.company or customer.company or customer.name,
        email=customer.email,
        phone=customer.billing.phone or customer.phone,
    )
    shipping = customer.deliveries[0] if customer.deliveries else replace(billing, email="")
    draft = CustomerDraft(
        erp_code=customer.code,
        email=customer.email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        billing=billing,
        shipping=shipping,
        group=groups.get(customer.price_category),
        vat_number=customer.vat_number or None,
        siret=customer.siret or None,
        home_warehouse=home,
    )
    return clean_draft(draft)


def _home_warehouses(ctx: JobContext, customers: Sequence[Customer]) -> dict[str, str]:
    """Each customer's home warehouse key as the shop knows it (its group's key when the warehouse
    is in a group of ``stock.warehouse_groups``); none without ``customers.home_warehouse``."""
    options = ctx.profile.customers.home_warehouse
    if options is None:
        return {}
    warehouses = ctx.erp.read_warehouses()
    problems = unknown_rule_warehouses(options, warehouses)
    if problems:
        raise JobAborted(ctx.journal.t("home.unknown_rule", names=", ".join(problems)))
    known = {w.key for w in warehouses}
    plan = WarehousePlan.from_options(ctx.profile.stock)
    homes: dict[str, str] = {}
    unknown: list[str] = []
    for customer in customers:
        found = home_warehouse(customer, options, warehouses)
        if found is None:
            continue
        if found not in known:
            unknown.append(f"{customer.code} ({found})")
            continue
        homes[customer.code] = plan.key(found)
    if unknown:
        sample = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        ctx.journal.warning("home.unknown", count=len(unknown), sample=sample)
    return homes


def _update_fields(ctx: JobContext) -> set[str]:
    options = ctx.profile.customers
    fields = set(_UPDATABLE)
    if options.update_addresses:
        fields |= _ADDRESSES
    if options.update_email:
        fields.add("email")
    return fields


async def export_customers(ctx: JobContext) -> None:
    """Customers with a valid e-mail, dormant ones skipped; only changes are sent."""
    journal = ctx.journal
    options = ctx.profile.customers
    customers = ctx.erp.read_customers()
    groups = {c.key: c.name for c in ctx.erp.read_price_categories()}
    left_out: dict[str, int] = defaultdict(int)
    selected: list[Customer] = []
    for customer in customers:
        if customer.dormant:
            left_out["reason.dormant"] += 1
        elif options.skip_without_email and not is_valid_email(customer.email):
            left_out["reason.no_email"] += 1
        else:
            selected.append(customer)
    journal.info("read.customers", count=len(customers), selected=len(selected))
    for reason, count in left_out.items():
        journal.info("filter.skipped", count=count, reason=journal.t(reason))
        journal.tally(Outcome.SKIPPED, count)

    homes = _home_warehouses(ctx, selected)
    drafts: list[CustomerDraft] = []
    owner_of: dict[str, str] = {}
    clashes: list[tuple[CustomerDraft, str]] = []
    for customer in selected:
        draft = customer_draft(ctx, customer, groups, homes.get(customer.code))
        email = draft.email or ""
        if email in owner_of:
            clashes.append((draft, owner_of[email]))
            continue
        owner_of[email] = draft.erp_code
        drafts.append(draft)

    journal.plan(len(clashes))
    for draft, other in clashes:
        journal.item(
            draft.erp_code, Outcome.SKIPPED, journal.t("item.email_taken", email=draft.email, other=other)
        )
    fields = _update_fields(ctx)
    await push(
        ctx,
        customer_resource(ctx),
        drafts,
        aspects={Aspect.CUSTOMER: frozenset(fields)},
        create_missing=True,
        update_detail=lambda d: d.email or "",
    )


def customer_resource(ctx: JobContext) -> Resource[CustomerDraft]:
    """Customers for the push engine: keyed by ERP code, found by e-mail."""

    async def find(emails: list[str]) -> dict[str, BoundObject]:
        return {e: BoundObject(i, None) for e, i in (await ctx.shop.find_customers(emails)).items()}

    async def save(
        creates: Sequence[CustomerDraft], updates: Sequence[tuple[BoundObject, CustomerDraft]]
    ) -> list[ItemResult]:
        return await ctx.shop.save_customers(creates, [(p.shop_id, d) for p, d in updates])

    return Resource(
        kind=CUSTOMER,
        key=lambda d: d.erp_code,
        natural_key=lambda d: d.email or None,
        find=find,
        save=save,
        only=lambda d, names: d.only(names),
        describe=lambda d: d.email or "",
    )
