"""Price rules and the one resolver: what a customer or a price category pays for an article.

Pure: an ERP adapter reads its conditions into ``PriceRule`` values, the resolver applies them
with the ERP's priority rules, and jobs turn the results into shop prices. See docs/pricing.md
for the rules in words and worked examples.

**The price** of an article for a customer of category *g* (quantity *q*):

1. the customer's own rule for the article, when it states a price (an *exception price*);
2. else the category's rule for the article, when it states a price (the *category price*);
3. else the article's base price.

The rule that *governs* the article's discount is the customer's rule when it has one (even
without a price), else the category's. Its bands (by quantity or by line amount) give, for *q*,
either a net price (which replaces the price) or discounts.

**Discounts** come from up to three sources, each a cascade of discounts: the article's (the
governing rule or its band), the family's (the customer's family rule, else the category's,
with their bands) and the customer's own discount (when the options say so). They are combined
by ``DiscountRule``: the highest one alone (the default), all in cascade, or all added up. An
exception price and a net price from a band are final: only their own rule's discounts apply,
never the family's or the customer's; an article excluded from discounts gets none but its
bands'.

**A purchasing central's member** gets the better of its own conditions and the central's
(the central's customer rules applied in place of the member's), so it never pays more than the
central's rule gives.

Prices are brought to the shop's tax mode (with or without tax) at the article's rate before
any discount, and rounded once, at the end, to the options' decimals. A net price is never
below zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from comptoir.model.kinds import DiscountRule as DiscountRule
from comptoir.model.money import HUNDRED, ZERO, Rounding, round_money

ONE = Decimal(1)


class DiscountKind(StrEnum):
    """How a discount is stated: a percentage of the price, or an amount off each unit."""

    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Discount:
    """One discount: ``value`` percent, or ``value`` off each unit (in the rule's tax mode)."""

    value: Decimal
    kind: DiscountKind = DiscountKind.PERCENT


class BandBasis(StrEnum):
    """What a rule's bands measure: the quantity sold, or the line's amount before discount."""

    QUANTITY = "quantity"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class PriceBand:
    """One band of a rule: it applies up to ``upper`` (inclusive), from just above the previous
    band's bound. It gives a net price, or discounts (applied in cascade)."""

    upper: Decimal
    net_price: Decimal | None = None
    discounts: tuple[Discount, ...] = ()


@dataclass(frozen=True, slots=True)
class PriceRule:
    """One price condition of the ERP, for a price category or a customer (exactly one of them),
        on an article (``reference``) or a family (``family_code``).

        ``price`` is a fixed price (``None``: the next price in line applies, see the module);
        ``discounts`` apply in cascade; ``bands``, when present, replace ``price`` and ``discounts``
        by quantity or line amount. ``exclusive`` (the article is *hors remise*): no discount applies,
    only the bands' own.
        ``source`` says where the ERP keeps the rule, for messages.
    """

    reference: str | None = None
    family_code: str | None = None
    price_category: str | None = None
    customer_code: str | None = None
    price: Decimal | None = None
    includes_tax: bool = False
    discounts: tuple[Discount, ...] = ()
    bands: tuple[PriceBand, ...] = ()
    band_basis: BandBasis = BandBasis.QUANTITY
    exclusive: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class PricingOptions:
    """How the resolver computes and rounds."""

    decimals: int = 2
    include_tax: bool = False
    """Prices are wanted with tax (the shop's prices are entered with tax)."""
    discount_rule: DiscountRule = DiscountRule.HIGHEST
    customer_discount: bool = False
    """Apply each customer's own discount (off by default: shops rarely show it)."""
    rounding: Rounding = Rounding.COMMERCIAL


@dataclass(frozen=True, slots=True)
class PricedArticle:
    """What the resolver needs of an article: its base price and the rate converting it."""

    reference: str
    family_code: str
    base_price: Decimal
    base_includes_tax: bool = False
    tax_rate: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class PricingCustomer:
    """What the resolver needs of a customer: its category, its central, its own discount."""

    code: str
    price_category: str = ""
    central_code: str = ""
    discount: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class Resolution:
    """A net price and how it came about (for docs, messages and tests)."""

    net: Decimal
    price: Decimal
    """The price before discounts, in the wanted tax mode, unrounded."""
    origin: str
    """``customer``, ``category``, ``article`` or ``band``; ``central:`` + one of them when the
    central's conditions gave the better price."""
    discounts: tuple[tuple[str, tuple[Discount, ...]], ...] = ()
    """The discounts applied, by source (``article``, ``family``, ``customer``)."""


Step = tuple[Decimal, Decimal]
"""(minimum quantity, net price) of a price schedule."""


@dataclass(frozen=True, slots=True)
class _Target:
    """Whose conditions are looked up: a category, and the customer whose own rules apply."""

    category: str
    owner: str | None
    discount: Decimal = ZERO


@dataclass
class PriceBook:
    """Rules indexed for the resolver, and the customers they may name.

    One book prices one set of articles: resolutions are remembered by article reference, so an
    article's base price and tax rate must not change during the book's life."""

    rules: Sequence[PriceRule]
    customers: Mapping[str, PricingCustomer] = field(default_factory=dict)
    options: PricingOptions = PricingOptions()

    def __post_init__(self) -> None:
        self._by_ref_customer: dict[tuple[str, str], PriceRule] = {}
        self._by_ref_category: dict[tuple[str, str], PriceRule] = {}
        self._by_family_customer: dict[tuple[str, str], PriceRule] = {}
        self._by_family_category: dict[tuple[str, str], PriceRule] = {}
        self._refs_of_customer: dict[str, set[str]] = {}
        self._families_of_customer: dict[str, set[str]] = {}
        self._target_cache: dict[tuple[str | None, str | None], list[tuple[str, _Target]]] = {}
        self._resolved: dict[tuple[object, ...], Resolution] = {}
        self._family_kind: dict[int, int] = {}
        kinds: dict[tuple[object, ...], int] = {}
        for rule in self.rules:
            if rule.family_code is not None:
                signature = (rule.discounts, rule.bands, rule.band_basis, rule.includes_tax)
                self._family_kind[id(rule)] = kinds.setdefault(signature, len(kinds))
        for rule in self.rules:
            if (rule.customer_code is None) == (rule.price_category is None):
                raise ValueError(f"{rule.source or rule}: a rule names a category or a customer, not both")
            if (rule.reference is None) == (rule.family_code is None):
                raise ValueError(f"{rule.source or rule}: a rule names an article or a family, not both")
            if rule.reference is not None:
                if rule.customer_code is not None:
                    self._by_ref_customer[(rule.reference, rule.customer_code)] = rule
                    self._refs_of_customer.setdefault(rule.customer_code, set()).add(rule.reference)
                else:
                    assert rule.price_category is not None
                    self._by_ref_category[(rule.reference, rule.price_category)] = rule
            else:
                assert rule.family_code is not None
                if rule.customer_code is not None:
                    self._by_family_customer[(rule.family_code, rule.customer_code)] = rule
                    self._families_of_customer.setdefault(rule.customer_code, set()).add(rule.family_code)
                else:
                    assert rule.price_category is not None
                    self._by_family_category[(rule.family_code, rule.price_category)] = rule

    # --- what may differ ------------------------------------------------------------------
    def owners(self, customer: PricingCustomer) -> list[str]:
        """Whose customer rules may apply to ``customer``: its own, then its central's."""
        found = [customer.code]
        if customer.central_code and customer.central_code != customer.code:
            found.append(customer.central_code)
        return found

    def own_discount(self, customer: PricingCustomer) -> Decimal:
        return customer.discount if self.options.customer_discount else ZERO

    def touches_everything(self, customer: PricingCustomer) -> bool:
        """Whether the customer's prices may differ from its category's on any article."""
        if self.own_discount(customer):
            return True
        central = self.customers.get(customer.central_code) if customer.central_code else None
        return central is not None and bool(self.own_discount(central))

    def touched(self, customer: PricingCustomer) -> tuple[set[str], set[str]]:
        """References and families on which the customer's (or its central's) own rules bear."""
        refs: set[str] = set()
        families: set[str] = set()
        for owner in self.owners(customer):
            refs |= self._refs_of_customer.get(owner, set())
            families |= self._families_of_customer.get(owner, set())
        return refs, families

    # --- resolution -----------------------------------------------------------------------
    def resolve(
        self,
        article: PricedArticle,
        *,
        customer: str | None = None,
        category: str | None = None,
        quantity: Decimal = ONE,
    ) -> Resolution:
        """The net price of ``article`` for a customer (by code) or a category, at ``quantity``."""
        return self._best(article, self._targets(customer, category), quantity)

    def _best(
        self, article: PricedArticle, targets: Sequence[tuple[str, _Target]], quantity: Decimal
    ) -> Resolution:
        best: Resolution | None = None
        for prefix, target in targets:
            found = self._resolve(article, target, quantity)
            if prefix:
                found = Resolution(found.net, found.price, prefix + found.origin, found.discounts)
            if best is None or found.net < best.net:
                best = found
        assert best is not None
        return best

    def net(
        self,
        article: PricedArticle,
        *,
        customer: str | None = None,
        category: str | None = None,
        quantity: Decimal = ONE,
    ) -> Decimal:
        return self.resolve(article, customer=customer, category=category, quantity=quantity).net

    def schedule(
        self, article: PricedArticle, *, customer: str | None = None, category: str | None = None
    ) -> tuple[Step, ...]:
        """The net price from each quantity where it changes, starting at 1."""
        targets = self._targets(customer, category)
        points = {ONE}
        for _prefix, target in targets:
            points |= self._break_points(article, target)
        if len(points) == 1:
            return ((ONE, self._best(article, targets, ONE).net),)
        return compress((point, self._best(article, targets, point).net) for point in sorted(points))

    def base_price(self, article: PricedArticle) -> Decimal:
        """The article's base price in the wanted tax mode, rounded."""
        price = self._to_mode(article.base_price, article.base_includes_tax, article)
        return round_money(price, self.options.decimals, self.options.rounding)

    def _targets(self, customer: str | None, category: str | None) -> list[tuple[str, _Target]]:
        key = (customer, category)
        found = self._target_cache.get(key)
        if found is None:
            found = self._target_cache[key] = self._make_targets(customer, category)
        return found

    def _make_targets(self, customer: str | None, category: str | None) -> list[tuple[str, _Target]]:
        if customer is None:
            return [("", _Target(category or "", None))]
        known = self.customers.get(customer, PricingCustomer(customer, category or ""))
        group = category if category is not None else known.price_category
        targets = [("", _Target(group, known.code, self.own_discount(known)))]
        if known.central_code and known.central_code != known.code:
            central = self.customers.get(known.central_code, PricingCustomer(known.central_code))
            targets.append(("central:", _Target(group, central.code, self.own_discount(central))))
        return targets

    def _rows(self, article: PricedArticle, target: _Target) -> tuple[PriceRule | None, PriceRule | None]:
        own = self._by_ref_customer.get((article.reference, target.owner)) if target.owner else None
        return own, self._by_ref_category.get((article.reference, target.category))

    def _family(self, article: PricedArticle, target: _Target) -> PriceRule | None:
        own = self._by_family_customer.get((article.family_code, target.owner)) if target.owner else None
        return own or self._by_family_category.get((article.family_code, target.category))

    def _to_mode(self, value: Decimal, includes_tax: bool, article: PricedArticle) -> Decimal:
        wanted = self.options.include_tax
        if includes_tax and not wanted:
            return value * HUNDRED / (HUNDRED + article.tax_rate)
        if wanted and not includes_tax:
            return value * (HUNDRED + article.tax_rate) / HUNDRED
        return value

    def _discounts_in_mode(
        self, discounts: tuple[Discount, ...], includes_tax: bool, article: PricedArticle
    ) -> tuple[Discount, ...]:
        if includes_tax == self.options.include_tax and all(d.value for d in discounts):
            return discounts
        return tuple(
            d
            if d.kind is DiscountKind.PERCENT
            else Discount(self._to_mode(d.value, includes_tax, article), DiscountKind.AMOUNT)
            for d in discounts
            if d.value
        )

    def _resolve(self, article: PricedArticle, target: _Target, quantity: Decimal) -> Resolution:
        """The resolution for one target, remembered by what it depends on: customers sharing a
        central, or the same family discount, cost one computation per article."""
        own, category_rule = self._rows(article, target)
        family = self._family(article, target)
        key = (
            article.reference,
            quantity,
            id(own) if own is not None else 0,
            id(category_rule) if category_rule is not None else 0,
            self._family_kind[id(family)] if family is not None else -1,
            target.discount,
        )
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._compute(article, target, quantity, own, category_rule, family)
        return found

    def _compute(
        self,
        article: PricedArticle,
        target: _Target,
        quantity: Decimal,
        own: PriceRule | None,
        category_rule: PriceRule | None,
        family: PriceRule | None,
    ) -> Resolution:
        if own is not None and own.price is not None:
            price, includes_tax, origin = own.price, own.includes_tax, "customer"
        elif category_rule is not None and category_rule.price is not None:
            price, includes_tax, origin = category_rule.price, category_rule.includes_tax, "category"
        else:
            price, includes_tax, origin = article.base_price, article.base_includes_tax, "article"
        governing = own or category_rule
        final = origin == "customer"
        line_price = price
        article_discounts: tuple[Discount, ...] = ()
        if governing is not None:
            discounts = () if governing.exclusive else governing.discounts
            band = _band(governing, line_price, quantity)
            if band is not None:
                if band.net_price is not None:
                    price, includes_tax, origin, final = band.net_price, governing.includes_tax, "band", True
                    discounts = ()
                else:
                    discounts = band.discounts
            final = final or governing.exclusive
            article_discounts = self._discounts_in_mode(discounts, governing.includes_tax, article)
        price = self._to_mode(price, includes_tax, article)
        sources: list[tuple[str, tuple[Discount, ...]]] = []
        if article_discounts:
            sources.append(("article", article_discounts))
        if not final:
            if family is not None:
                family_discounts = family.discounts
                band = _band(family, line_price, quantity)
                if band is not None:
                    family_discounts = band.discounts
                converted = self._discounts_in_mode(family_discounts, family.includes_tax, article)
                if converted:
                    sources.append(("family", converted))
            if target.discount:
                sources.append(("customer", (Discount(target.discount),)))
        net, applied = _combine(price, sources, self.options.discount_rule)
        rounded = round_money(max(net, ZERO), self.options.decimals, self.options.rounding)
        return Resolution(rounded, price, origin, applied)

    def _break_points(self, article: PricedArticle, target: _Target) -> set[Decimal]:
        points: set[Decimal] = set()
        own, category_rule = self._rows(article, target)
        governing = own or category_rule
        price = article.base_price
        for rule in (own, category_rule):
            if rule is not None and rule.price is not None:
                price = rule.price
                break
        for rule in (governing, self._family(article, target)):
            if rule is not None and rule.bands:
                points |= band_starts(rule, price)
        return points


def _band(rule: PriceRule, price: Decimal, quantity: Decimal) -> PriceBand | None:
    """The band of ``rule`` for ``quantity`` (the last band beyond the last bound)."""
    if not rule.bands:
        return None
    value = quantity if rule.band_basis is BandBasis.QUANTITY else price * quantity
    for band in rule.bands:
        if value <= band.upper:
            return band
    return rule.bands[-1]


def band_starts(rule: PriceRule, price: Decimal) -> set[Decimal]:
    """The quantities where each band of ``rule`` starts: one unit above the previous bound; for
    bands by amount, the first whole quantity whose line amount (``price`` × quantity) passes it."""
    starts: set[Decimal] = set()
    previous: Decimal | None = None
    for band in rule.bands:
        if previous is not None:
            if rule.band_basis is BandBasis.QUANTITY:
                starts.add(previous + ONE)
            elif price > 0:
                starts.add((previous / price).to_integral_value(rounding="ROUND_FLOOR") + ONE)
        previous = band.upper
    return {s for s in starts if s > ONE}


def cascade(price: Decimal, discounts: Iterable[Discount]) -> Decimal:
    """``price`` after each discount in turn: a percentage of what is left, or an amount off."""
    net = price
    for discount in discounts:
        if discount.kind is DiscountKind.PERCENT:
            net = net * (HUNDRED - discount.value) / HUNDRED
        else:
            net = net - discount.value
    return net


def _combine(
    price: Decimal, sources: Sequence[tuple[str, tuple[Discount, ...]]], rule: DiscountRule
) -> tuple[Decimal, tuple[tuple[str, tuple[Discount, ...]], ...]]:
    if not sources:
        return price, ()
    if rule is DiscountRule.HIGHEST:
        name, best = min(sources, key=lambda s: cascade(price, s[1]))
        return cascade(price, best), ((name, best),)
    if rule is DiscountRule.CASCADE:
        net = price
        for _name, discounts in sources:
            net = cascade(net, discounts)
        return net, tuple(sources)
    percent = ZERO
    for _name, discounts in sources:
        if price:
            percent += (price - cascade(price, discounts)) * HUNDRED / price
    return price * (HUNDRED - percent) / HUNDRED, tuple(sources)


def compress(steps: Iterable[Step]) -> tuple[Step, ...]:
    """Steps without those repeating the previous price."""
    out: list[Step] = []
    for quantity, price in steps:
        if not out or out[-1][1] != price:
            out.append((quantity, price))
    return tuple(out)


def price_at(schedule: Sequence[Step], quantity: Decimal) -> Decimal:
    """The price a schedule gives at ``quantity`` (its first step's below the first minimum)."""
    found = schedule[0][1]
    for minimum, price in schedule:
        if quantity >= minimum:
            found = price
    return found


def same_prices(a: Sequence[Step], b: Sequence[Step]) -> bool:
    """Whether two schedules give the same price at every quantity."""
    points = {q for q, _ in a} | {q for q, _ in b}
    return all(price_at(a, q) == price_at(b, q) for q in points)
