"""Specific prices: what each customer group and each professional customer pays (SPEC §4).

The ERP's price rules go through the one resolver (``model/pricing.py``, docs/pricing.md). The
shop receives rules where it can hold them, never a customers × articles matrix:

* **group prices** — each ERP price category's net price schedule of each article, as the
  price of the shop customer group named after it, when it differs from the base price;
* **customer prices** — only for customers whose schedule differs from what their group (or
  the base price) gives them: exception prices, family discounts of their own, a purchasing
  central's conditions, their own discount when the profile applies it. Only the articles their
  own (or their central's) rules bear on are looked at, unless their discount touches all. Such
  a customer's rows start at every quantity where its price or its group's changes: some shops
  (PrestaShop) take the row with the highest minimum quantity first, whoever it is for.

A schedule is the net price from each quantity where it changes (quantity breaks, when the shop
has them; else the price for one unit). Each row the shop holds — product, target, minimum
quantity — is remembered with a fingerprint: an unchanged row costs nothing, a changed one is
sent again, and a row the ERP no longer gives (a rule removed, a customer gone back to its
group's price) is removed from the shop. Rows of an article whose base price is refused this run
are left as they are, like its base price.

This is not the push engine of ``jobs/push.py``: rows are never looked up by a natural key (the
shop replaces a row with the same product, target and quantity), they are removed when stale, and
the journal speaks of them per group and per customer rather than one line each.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from comptoir.jobs.catalog import PRODUCT
from comptoir.jobs.context import JobContext
from comptoir.jobs.customers import CUSTOMER
from comptoir.journal import Outcome
from comptoir.model import (
    Article,
    Aspect,
    Customer,
    GroupDraft,
    ItemResult,
    PriceBook,
    PricedArticle,
    PriceRowDraft,
    PricingCustomer,
    PricingOptions,
)
from comptoir.model.pricing import Step, price_at, same_prices
from comptoir.shop.base import SpecificPriceShop
from comptoir.state import BoundObject

PRICE_ROW = "price_row"
GROUP = "customer_group"
ONE = Decimal(1)


@dataclass
class SpecificPlan:
    """The rows the shop must hold, and what the resolver looked at (also for the benchmark)."""

    rows: dict[str, PriceRowDraft] = field(default_factory=dict)
    group_rows: int = 0
    customer_rows: int = 0
    customers_with_rows: int = 0
    missing_customers: list[str] = field(default_factory=list)
    matrix: int = 0
    """Rows a materialised customers × articles matrix would need (one per pair at least)."""


def pricing_customers(customers: Iterable[Customer]) -> dict[str, PricingCustomer]:
    return {c.code: PricingCustomer(c.code, c.price_category, c.central_code, c.discount) for c in customers}


def priced_article(article: Article, rates: Mapping[str, Decimal]) -> PricedArticle:
    return PricedArticle(
        article.reference,
        article.family_code,
        article.sale_price if article.sale_price is not None else Decimal(0),
        article.price_includes_tax,
        rates.get(article.tax_code, Decimal(0)),
    )


def _rows_of(
    schedule: Sequence[Step], *, skip_base: Decimal | None, breaks: bool
) -> list[tuple[Decimal, Decimal]]:
    steps = list(schedule if breaks else schedule[:1])
    if skip_base is not None:
        while steps and steps[0][1] == skip_base:
            steps.pop(0)
    return steps


def plan_specific_prices(
    ctx: JobContext,
    book: PriceBook,
    articles: Sequence[PricedArticle],
    customers: Sequence[Customer],
    groups: Mapping[str, str],
    *,
    products: Mapping[str, BoundObject],
    shop_customers: Mapping[str, BoundObject],
    group_ids: Mapping[str, str],
) -> SpecificPlan:
    """The rows the shop must hold for ``articles`` (those bound in the shop, with a valid base
    price), ``groups`` (category key → group name) and ``customers``."""
    capabilities = ctx.capabilities
    breaks = capabilities.quantity_breaks
    plan = SpecificPlan()
    base: dict[str, Decimal] = {}
    group_schedule: dict[tuple[str, str], tuple[Step, ...]] = {}
    by_family: dict[str, list[PricedArticle]] = defaultdict(list)
    for article in articles:
        by_family[article.family_code].append(article)
        price = book.base_price(article)
        base[article.reference] = price
        for key, name in groups.items():
            schedule = book.schedule(article, category=key)
            group_schedule[(article.reference, key)] = schedule
            if not capabilities.group_prices or same_prices(schedule, ((ONE, price),)):
                continue
            product = products[article.reference]
            for quantity, net in _rows_of(schedule, skip_base=price, breaks=breaks):
                row = PriceRowDraft(
                    article.reference,
                    net,
                    product.shop_id,
                    product.parent_id,
                    group=name,
                    group_shop_id=group_ids.get(name),
                    min_quantity=quantity,
                )
                plan.rows[row.key] = row
                plan.group_rows += 1
    in_groups = capabilities.customer_groups and capabilities.group_prices
    plan.matrix = len(articles) * len(customers)
    if not capabilities.customer_prices:
        return plan
    every = list(articles)
    by_ref = {a.reference: a for a in articles}
    for customer in customers:
        known = book.customers.get(customer.code, PricingCustomer(customer.code, customer.price_category))
        refs, families = book.touched(known)
        if book.touches_everything(known):
            candidates: Iterable[PricedArticle] = every
        elif refs or families:
            chosen = {a.reference: a for f in families for a in by_family.get(f, ())}
            chosen |= {r: by_ref[r] for r in refs if r in by_ref}
            candidates = chosen.values()
        else:
            continue
        account = shop_customers.get(customer.code)
        if account is None:
            plan.missing_customers.append(customer.code)
            continue
        rows = 0
        for article in candidates:
            schedule = book.schedule(article, customer=customer.code)
            reference: tuple[Step, ...] = ((ONE, base[article.reference]),)
            if in_groups and customer.price_category in groups:
                reference = group_schedule[(article.reference, customer.price_category)]
            if not breaks:
                schedule, reference = schedule[:1], reference[:1]
            if same_prices(schedule, reference):
                continue
            product = products[article.reference]
            points = sorted({q for q, _ in schedule} | {q for q, _ in reference})
            for quantity, net in ((q, price_at(schedule, q)) for q in points):
                row = PriceRowDraft(
                    article.reference,
                    net,
                    product.shop_id,
                    product.parent_id,
                    customer_code=customer.code,
                    customer_shop_id=account.shop_id,
                    min_quantity=quantity,
                )
                plan.rows[row.key] = row
                rows += 1
        if rows:
            plan.customer_rows += rows
            plan.customers_with_rows += 1
    return plan


def row_digest(row: PriceRowDraft) -> str:
    """What was sent of a row: its price and the shop ids it names (a moved product or customer
    sends it again)."""
    text = "|".join(
        (
            format(row.price, "f"),
            row.product_shop_id,
            row.parent_shop_id or "",
            row.group_shop_id or "",
            row.customer_shop_id or "",
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


def target_of(key: str) -> str:
    """The target part of a row key (``group:<name>`` or ``customer:<code>``)."""
    for marker in ("|group:", "|customer:"):
        start = key.find(marker)
        if start >= 0:
            return key[start + 1 : key.rindex("|")]
    return key


def _label(ctx: JobContext, target: str) -> str:
    kind, _, name = target.partition(":")
    if kind == "group":
        return ctx.journal.t("specific.group", name=name)
    return ctx.journal.t("specific.customer", code=name)


def _sample(keys: Sequence[str]) -> str:
    return ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")


async def push_specific_prices(
    ctx: JobContext,
    priced: Sequence[Article],
    rates: Mapping[str, Decimal],
    *,
    refused: Iterable[str] = (),
) -> None:
    """Plan and send the specific prices of ``priced`` articles (selected, with a valid base price);
    rows of ``refused`` articles are kept as they are, rows of articles no longer selected go."""
    journal = ctx.journal
    shop = ctx.shop
    capabilities = ctx.capabilities
    if not (capabilities.group_prices or capabilities.customer_prices) or not isinstance(
        shop, SpecificPriceShop
    ):
        journal.warning("specific.unsupported", platform=ctx.profile.shop.kind)
        return
    options = ctx.profile.prices
    wanted = set(options.price_categories)
    categories = [c for c in ctx.erp.read_price_categories() if not wanted or c.key in wanted]
    groups = {c.key: c.name for c in categories}
    rules = ctx.erp.read_price_rules()
    everyone = ctx.erp.read_customers()
    customers = [c for c in everyone if not c.dormant]
    book = PriceBook(
        rules,
        pricing_customers(everyone),
        PricingOptions(
            decimals=options.decimals,
            include_tax=options.include_tax,
            discount_rule=options.discount_rule,
            customer_discount=options.customer_discount,
        ),
    )
    products = ctx.state.bindings(ctx.name, PRODUCT)
    shop_customers = ctx.state.bindings(ctx.name, CUSTOMER)
    in_shop = [priced_article(a, rates) for a in priced if a.reference in products]
    journal.info(
        "specific.read",
        rules=len(rules),
        groups=len(groups),
        customers=len([c for c in customers if c.code in shop_customers]),
        articles=len(in_shop),
    )
    group_ids = {name: place.shop_id for name, place in ctx.state.bindings(ctx.name, GROUP).items()}
    if groups and not ctx.dry_run:
        drafts = [GroupDraft(c.name, c.includes_tax) for c in sorted(categories, key=lambda c: c.name)]
        saved = {
            r.key: BoundObject(r.shop_id, None)
            for r in await shop.save_groups(drafts)
            if r.ok and r.shop_id is not None
        }
        ctx.state.bind(ctx.name, GROUP, saved)
        group_ids |= {name: place.shop_id for name, place in saved.items()}
    plan = plan_specific_prices(
        ctx,
        book,
        in_shop,
        customers,
        groups,
        products=products,
        shop_customers=shop_customers,
        group_ids=group_ids,
    )
    journal.info(
        "specific.plan",
        group_rows=plan.group_rows,
        customer_rows=plan.customer_rows,
        customers=plan.customers_with_rows,
        matrix=plan.matrix,
    )
    if plan.missing_customers:
        journal.warning(
            "specific.customers_missing",
            count=len(plan.missing_customers),
            sample=_sample(plan.missing_customers),
        )
    await sync_rows(ctx, shop, plan.rows, keep=set(refused))


async def sync_rows(
    ctx: JobContext, shop: SpecificPriceShop, desired: Mapping[str, PriceRowDraft], *, keep: set[str]
) -> None:
    """Send new and changed rows, remove stale ones (but those of ``keep`` SKUs), record it all."""
    journal = ctx.journal
    bound = ctx.state.bindings(ctx.name, PRICE_ROW)
    sent = ctx.state.fingerprints(ctx.name, PRICE_ROW, Aspect.PRICE)
    digests = {key: row_digest(row) for key, row in desired.items()}
    to_save = [
        (bound[k].shop_id if k in bound else None, row)
        for k, row in desired.items()
        if sent.get(k) != digests[k]
    ]
    stale = [k for k in bound if k not in desired and k.split("|", 1)[0] not in keep]
    unchanged = len(desired) - len(to_save)
    if unchanged:
        journal.info("unchanged.summary", count=unchanged)
        journal.tally(Outcome.UNCHANGED, unchanged)
    set_by: Counter[str] = Counter(row.target for _, row in to_save)
    removed_by: Counter[str] = Counter(target_of(k) for k in stale)
    if ctx.dry_run:
        for target in sorted(set(set_by) | set(removed_by)):
            journal.info(
                "specific.summary_would",
                target=_label(ctx, target),
                set=set_by[target],
                removed=removed_by[target],
            )
        return

    results = await shop.save_price_rows(to_save) if to_save else []
    saved: dict[str, BoundObject] = {}
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    done: Counter[str] = Counter()
    for (known, row), result in zip(to_save, results, strict=True):
        if result.ok and result.shop_id is not None:
            saved[row.key] = BoundObject(result.shop_id, None)
            done[row.target] += 1
            journal.tally(Outcome.UPDATED if known is not None else Outcome.CREATED, 1)
        else:
            failures[(row.target, _error(result))].append(row.sku)
    ctx.state.bind(ctx.name, PRICE_ROW, saved)
    ctx.state.record_fingerprints(ctx.name, PRICE_ROW, Aspect.PRICE, {k: digests[k] for k in saved})

    removed: Counter[str] = Counter()
    if stale:
        gone: list[str] = []
        remove_failures: dict[str, list[str]] = defaultdict(list)
        by_id = {bound[k].shop_id: k for k in stale}
        for result in await shop.delete_price_rows(list(by_id)):
            key = by_id[result.key]
            if result.ok:
                gone.append(key)
                removed[target_of(key)] += 1
            else:
                remove_failures[_error(result)].append(key)
        ctx.state.unbind(ctx.name, PRICE_ROW, gone)
        for error, keys in remove_failures.items():
            journal.error("specific.remove_failed", count=len(keys), error=error, sample=_sample(keys))
            journal.tally(Outcome.FAILED, len(keys))
    for target in sorted(set(done) | set(removed)):
        journal.info(
            "specific.summary", target=_label(ctx, target), set=done[target], removed=removed[target]
        )
    for (target, error), skus in sorted(failures.items()):
        journal.error(
            "specific.failed", target=_label(ctx, target), count=len(skus), error=error, sample=_sample(skus)
        )
        journal.tally(Outcome.FAILED, len(skus))


def _error(result: ItemResult) -> str:
    error = result.error
    return f"{error.code}: {error.message}" if error is not None else "no answer from the shop"
