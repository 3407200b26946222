"""Export customers: create and update shop customer accounts from ERP customers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from comptoir.jobs.context import JobContext
from comptoir.journal import Outcome
from comptoir.model import Aspect, Customer, CustomerDraft, fingerprint, is_valid_email
from comptoir.state import BoundObject

CUSTOMER = "customer"
_UPDATABLE = {"first_name", "last_name", "group", "vat_number", "siret"}
_ADDRESSES = {"billing", "shipping"}


def customer_draft(ctx: JobContext, customer: Customer, groups: dict[str, str]) -> CustomerDraft:
    """The full shop account of one ERP customer."""
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
    return CustomerDraft(
        erp_code=customer.code,
        email=customer.email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        billing=billing,
        shipping=shipping,
        group=groups.get(customer.price_category),
        vat_number=customer.vat_number or None,
        siret=customer.siret or None,
    )


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

    drafts: list[CustomerDraft] = []
    owner_of: dict[str, str] = {}
    clashes: list[tuple[CustomerDraft, str]] = []
    for customer in selected:
        draft = customer_draft(ctx, customer, groups)
        email = draft.email or ""
        if email in owner_of:
            clashes.append((draft, owner_of[email]))
            continue
        owner_of[email] = draft.erp_code
        drafts.append(draft)

    bound = ctx.state.bindings(ctx.name, CUSTOMER)
    unknown = {d.email: d.erp_code for d in drafts if d.erp_code not in bound and d.email}
    if unknown:
        found = await ctx.shop.find_customers(list(unknown))
        taken_ids = {b.shop_id for b in bound.values()}
        adopted = {
            unknown[email]: BoundObject(shop_id, None)
            for email, shop_id in found.items()
            if email in unknown and shop_id not in taken_ids
        }
        if adopted and not ctx.dry_run:
            ctx.state.bind(ctx.name, CUSTOMER, adopted)
        bound = bound | adopted

    fields = _update_fields(ctx)
    sent = ctx.state.fingerprints(ctx.name, CUSTOMER, Aspect.CUSTOMER)
    creates: list[CustomerDraft] = []
    updates: list[tuple[str, CustomerDraft]] = []
    digests: dict[str, str] = {}
    unchanged = 0
    for draft in drafts:
        digest = fingerprint(draft, fields)
        place = bound.get(draft.erp_code)
        if place is None:
            creates.append(draft)
        elif sent.get(draft.erp_code) != digest:
            updates.append((place.shop_id, draft.only(fields)))
        else:
            unchanged += 1
            continue
        digests[draft.erp_code] = digest
    if unchanged:
        journal.info("unchanged.summary", count=unchanged)
        journal.tally(Outcome.UNCHANGED, unchanged)
    journal.plan(len(creates) + len(updates) + len(clashes))
    for draft, other in clashes:
        journal.item(
            draft.erp_code, Outcome.SKIPPED, journal.t("item.email_taken", email=draft.email, other=other)
        )

    if ctx.dry_run:
        for draft in creates:
            journal.item(draft.erp_code, Outcome.CREATED, draft.email or "", would=True)
        for _shop_id, draft in updates:
            journal.item(draft.erp_code, Outcome.UPDATED, draft.email or "", would=True)
        return
    if not creates and not updates:
        return
    results = {r.key: r for r in await ctx.shop.save_customers(creates, updates)}
    new_bindings: dict[str, BoundObject] = {}
    recorded: dict[str, str] = {}
    for draft, outcome in [(d, Outcome.CREATED) for d in creates] + [
        (d, Outcome.UPDATED) for _, d in updates
    ]:
        result = results.get(draft.erp_code)
        if result is None or not result.ok:
            error = result.error if result else None
            detail = f"{error.code}: {error.message}" if error else "no answer from the shop"
            journal.item(draft.erp_code, Outcome.FAILED, detail)
            continue
        if outcome is Outcome.CREATED and result.shop_id is not None:
            new_bindings[draft.erp_code] = BoundObject(result.shop_id, None)
        recorded[draft.erp_code] = digests[draft.erp_code]
        journal.item(draft.erp_code, outcome, draft.email or "")
    ctx.state.bind(ctx.name, CUSTOMER, new_bindings)
    ctx.state.record_fingerprints(ctx.name, CUSTOMER, Aspect.CUSTOMER, recorded)
