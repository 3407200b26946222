"""Tell a rounding difference from a real one, and carry it as the profile says (pure: no I/O).

A shop and the ERP can both be right and still disagree by a cent: WooCommerce rounds tax on
each line (PrestaShop can too), the ERP once per tax code on the document's footer. The
difference between the ERP's total and the shop's comes from **rounding alone** when:

1. the shop's own figures hold together: its total is the sum of its lines' net amounts and
   taxes (shipping and fees included) — to the cent when it rounds tax per line on prices
   without tax, otherwise within half a cent per line on the net and half a cent per line on
   the tax (the amounts it shows are then both rounded from amounts it kept unrounded);
2. each line's tax is its net amount at the ERP's rate for the line's tax code, within half a
   cent (and the rate's share of half a cent for the rounding of the net itself);
3. the ERP's net total is the shop's, within half a cent per line;
4. the ERP's total is the shop's within the sum of those bounds plus half a cent per tax code.

Anything else — a line missing from the order, a price that does not add up, a tax rate the ERP
does not share — is a real difference, named (a missing line worth less than the rounding bound
of rule 1, about a cent per line, cannot be told from rounding: the shown figures do not say),
and refused unless the profile accepts differences. A rounding difference is carried as
``orders.rounding`` says, so that the total computed the way the ERP computes it
(``SalesDocument.totals()``) equals the shop's to the cent:

* ``line_amounts``: the lines carry the amounts with tax the shop charged (each line's net plus
  the tax the shop rounded for it) and the document's prices include tax, so the ERP derives each
  tax code's net from sums that already hold the shop's rounding; a difference left over (a shop
  rounding tax on the subtotal) is added to the amount of the largest line;
* ``rounding_line``: a line on ``orders.rounding_article`` at the tax code mapped to 0 % carries
  the difference;
* ``refuse``: the order fails, its difference named.

Orders whose shop prices include tax are written with tax-inclusive lines from the start: their
lines' amounts with tax are what the customer saw and paid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from comptoir.journal.messages import Text
from comptoir.model import (
    ZERO,
    DocumentLine,
    LineKind,
    Order,
    SalesDocument,
    TaxRounding,
    format_money,
    round_money,
)
from comptoir.model.money import HUNDRED, money_sum
from comptoir.profile import OrderOptions, RoundingMode

HALF_CENT = Decimal("0.005")
_UNIT_PRICE_PLACES = 6

Builder = Callable[[bool], SalesDocument]
"""Builds the order's document with net (``False``) or tax-inclusive (``True``) amounts."""


@dataclass(frozen=True, slots=True)
class Change:
    """One thing a rounding adjustment moved, as a message key and its values."""

    message: str
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """How a rounding difference was carried: the ERP total before and after, and what moved."""

    before: Decimal
    after: Decimal
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The document to write, its total against the shop's, and why they differ if they do."""

    document: SalesDocument
    erp_total: Decimal
    shop_total: Decimal
    cause: str
    """Empty when the totals agree; else a ``Text`` (English as a string, the profile's language in
    the journal)."""
    adjustment: Adjustment | None = None

    @property
    def difference(self) -> Decimal:
        return self.erp_total - self.shop_total


@dataclass(frozen=True, slots=True)
class _Charge:
    """One amount the shop charged: a product line, a shipping line or a fee."""

    where: Text
    net: Decimal
    tax: Decimal
    code: str
    rate: Decimal

    @property
    def tolerance(self) -> Decimal:
        """Half a cent on the tax, plus the rate's share of half a cent on the net."""
        return HALF_CENT * (HUNDRED + self.rate) / HUNDRED


def reconcile(
    order: Order, build: Builder, options: OrderOptions, rates: Mapping[str, Decimal]
) -> Reconciliation:
    """The document for ``order`` and its reconciliation with the shop's total."""
    shop_total = round_money(order.total)
    document = build(order.prices_include_tax)
    erp_total = document.totals().gross
    if erp_total == shop_total:
        return Reconciliation(document, erp_total, shop_total, "")
    cause = _real_difference(order, document, _charges(order, options, rates))
    if cause is not None:
        return Reconciliation(document, erp_total, shop_total, cause)
    if options.rounding is RoundingMode.REFUSE:
        cause = Text("cause.tax_rounding")
        return Reconciliation(document, erp_total, shop_total, cause)
    if options.rounding is RoundingMode.ROUNDING_LINE:
        carried = _rounding_line(document, shop_total - erp_total, options, rates)
    else:
        carried = _line_amounts(document, shop_total, build)
    if isinstance(carried, str):
        return Reconciliation(document, erp_total, shop_total, carried)
    adjusted, changes = carried
    after = adjusted.totals().gross
    if after != shop_total:
        cause = Text("cause.rounding_not_carried", erp=format_money(after), shop=format_money(shop_total))
        return Reconciliation(document, erp_total, shop_total, cause)
    return Reconciliation(adjusted, after, shop_total, "", Adjustment(erp_total, after, changes))


def _charges(order: Order, options: OrderOptions, rates: Mapping[str, Decimal]) -> list[_Charge]:
    charges: list[_Charge] = []

    def add(where: Text, net: Decimal, tax: Decimal, shop_rate: Decimal | None) -> None:
        code = options.tax_code_for(shop_rate if shop_rate is not None else ZERO) or ""
        charges.append(_Charge(where, net, tax, code, rates.get(code, shop_rate or ZERO)))

    for number, line in enumerate(order.lines, start=1):
        add(
            Text("where.line", number=number, reference=line.sku or line.name),
            line.total,
            line.tax,
            line.tax_rate,
        )
    for shipping in order.shipping_lines:
        add(Text("where.shipping", label=shipping.label), shipping.total, shipping.tax, shipping.tax_rate)
    for fee in order.fees:
        add(Text("where.fee", name=fee.name), fee.total, fee.tax, fee.tax_rate)
    return charges


def _real_difference(order: Order, document: SalesDocument, charges: list[_Charge]) -> Text | None:
    """Why the document's total differs from the shop's for another reason than rounding, or
    ``None`` when rounding alone explains it (the module's rules 1 to 4)."""
    shop_total = round_money(order.total)
    net = money_sum(c.net for c in charges)
    tax = money_sum(c.tax for c in charges)
    exact = not order.prices_include_tax and order.tax_rounding is TaxRounding.LINE
    # Otherwise each line's shown net and shown tax are both rounded from amounts the shop kept
    # unrounded: up to half a cent each, per line, plus half a cent on the total.
    own = ZERO if exact else HALF_CENT * (2 * len(charges) + 1)
    if abs(net + tax - shop_total) > own or abs(tax - round_money(order.total_tax)) > own:
        return Text(
            "cause.lines_do_not_add_up",
            net=format_money(net),
            tax=format_money(tax),
            total=format_money(shop_total),
        )
    for charge in charges:
        expected = charge.net * charge.rate / HUNDRED
        if abs(charge.tax - expected) > charge.tolerance:
            rate = f"{charge.rate.normalize():f}"
            return Text(
                "cause.tax_amounts",
                where=charge.where,
                tax=format_money(charge.tax),
                net=format_money(charge.net),
                rate=rate,
                code=charge.code or Text("cause.no_code"),
            )
    totals = document.totals()
    if abs(totals.net - net) > HALF_CENT * (len(charges) + len(totals.bases)):
        return Text("cause.net_amounts", erp=format_money(totals.net), shop=format_money(net))
    bound = money_sum(c.tolerance for c in charges) + HALF_CENT * len(totals.bases) + own
    if abs(totals.gross - shop_total) > bound:
        return Text("cause.beyond_rounding", erp=format_money(totals.gross), shop=format_money(shop_total))
    return None


def _line_amounts(
    document: SalesDocument, shop_total: Decimal, build: Builder
) -> tuple[SalesDocument, tuple[Change, ...]] | str:
    changes: list[Change] = []
    if not document.prices_include_tax:
        inclusive = build(True)
        changes.append(Change("rounding.tax_inclusive", {}))
        before = {b.code: b for b in document.totals().bases}
        for base in inclusive.totals().bases:
            old = before.get(base.code)
            if old is not None and (old.base, old.tax) != (base.base, base.tax):
                changes.append(
                    Change(
                        "rounding.code",
                        {
                            "code": base.code,
                            "net_before": format_money(old.base),
                            "net_after": format_money(base.base),
                            "tax_before": format_money(old.tax),
                            "tax_after": format_money(base.tax),
                        },
                    )
                )
        document = inclusive
    left = shop_total - document.totals().gross
    if left:
        moved = _on_largest_line(document, left)
        if moved is None:
            return Text("cause.rounding_left", amount=format_money(left))
        document, number, line = moved
        changes.append(
            Change(
                "rounding.line_amount",
                {"amount": _signed(left), "line": str(number), "reference": line.reference},
            )
        )
    return document, tuple(changes)


def _on_largest_line(
    document: SalesDocument, amount: Decimal
) -> tuple[SalesDocument, int, DocumentLine] | None:
    """The document with ``amount`` added to its largest line whose unit price can carry it."""
    order = sorted(range(len(document.lines)), key=lambda i: -abs(document.lines[i].amount()))
    for index in order:
        line = document.lines[index]
        if line.discount_percent or line.kind is LineKind.DISCOUNT:
            continue
        target = line.amount() + amount
        unit = round_money(target / line.quantity, _UNIT_PRICE_PLACES)
        moved = replace(line, unit_price=unit)
        if moved.amount() == target:
            lines = (*document.lines[:index], moved, *document.lines[index + 1 :])
            return replace(document, lines=lines), index + 1, moved
    return None


def _rounding_line(
    document: SalesDocument, amount: Decimal, options: OrderOptions, rates: Mapping[str, Decimal]
) -> tuple[SalesDocument, tuple[Change, ...]] | str:
    code = options.tax_code_for(ZERO)
    if code is None or not options.rounding_article:
        return Text("cause.rounding_line_setup")
    rate = rates.get(code)
    if rate is None or rate != ZERO:
        shown = Text("cause.unknown") if rate is None else f"{rate.normalize():f} %"
        return Text("cause.rounding_line_rate", code=code, rate=shown)
    line = DocumentLine(
        reference=options.rounding_article,
        designation="Écart d'arrondi",
        quantity=Decimal(1),
        unit_price=amount,
        tax_code=code,
        tax_rate=ZERO,
        kind=LineKind.ROUNDING,
    )
    change = Change(
        "rounding.rounding_line", {"amount": _signed(amount), "reference": options.rounding_article}
    )
    return replace(document, lines=(*document.lines, line)), (change,)


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + format_money(amount)


def carry_payment_difference(
    check: Reconciliation, options: OrderOptions, rates: Mapping[str, Decimal]
) -> Reconciliation:
    """A difference that is not rounding alone but within ``orders.payment_tolerance`` becomes a
    payment-difference line (écart de règlement) on ``orders.payment_difference_article`` at the
    0 % tax code, so the document's total is what the customer paid; anything else is left as it
    was (named, refused unless the profile accepts differences)."""
    if not check.difference or not options.payment_difference_article:
        return check
    amount = check.shop_total - check.erp_total
    if abs(amount) > options.payment_tolerance:
        return check
    code = options.tax_code_for(ZERO)
    if code is None or rates.get(code) != ZERO:
        return check
    line = DocumentLine(
        reference=options.payment_difference_article,
        designation="Écart de règlement",
        quantity=Decimal(1),
        unit_price=amount,
        tax_code=code,
        tax_rate=ZERO,
        kind=LineKind.ROUNDING,
    )
    document = replace(check.document, lines=(*check.document.lines, line))
    after = document.totals().gross
    if after != check.shop_total:
        return check
    change = Change(
        "rounding.payment_difference",
        {"reference": options.payment_difference_article, "amount": format_money(amount)},
    )
    changes = (*check.adjustment.changes, change) if check.adjustment else (change,)
    before = check.adjustment.before if check.adjustment else check.erp_total
    return Reconciliation(document, after, check.shop_total, "", Adjustment(before, after, changes))
