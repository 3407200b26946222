"""Warehouses as the shop sees them: which are counted, which are summed as one group, and each
customer's home warehouse (SPEC §5, §11).

A warehouse the profile leaves out (not among ``stock.warehouses`` when that list is given, or
among ``stock.exclude_warehouses``) is never counted nor sent. A warehouse in a group of
``stock.warehouse_groups`` is sent under the group's key, summed with the group's other members;
any other warehouse under its own identifier. A customer's home warehouse is an ERP warehouse;
the shop receives the key its quantities are sent under (the group's, when it is in one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from comptoir.model import Customer, QuantityKind, StockLevel, Warehouse
from comptoir.profile import HomeWarehouseOptions, HomeWarehouseSource, StockOptions


@dataclass(frozen=True, slots=True)
class WarehousePlan:
    """Which ERP warehouses count, and the key each is sent under."""

    chosen: frozenset[str] | None
    """``None``: every warehouse."""
    excluded: frozenset[str]
    group_of: Mapping[str, str]

    @classmethod
    def from_options(cls, options: StockOptions) -> WarehousePlan:
        groups = {member: group for group, members in options.warehouse_groups.items() for member in members}
        return cls(frozenset(options.warehouses) or None, frozenset(options.exclude_warehouses), groups)

    def counts(self, warehouse: str) -> bool:
        return warehouse not in self.excluded and (self.chosen is None or warehouse in self.chosen)

    def key(self, warehouse: str) -> str:
        """The key a warehouse's quantity is sent under: its group's, else its own identifier."""
        return self.group_of.get(warehouse, warehouse)


@dataclass(frozen=True, slots=True)
class StockFigures:
    """Quantities of the chosen kind: each article's total, and per warehouse key."""

    totals: Mapping[str, Decimal]
    by_key: Mapping[str, Mapping[str, Decimal]]


def stock_figures(
    levels: Iterable[StockLevel],
    plan: WarehousePlan,
    kind: QuantityKind,
    *,
    only: Container[str] | None = None,
    per_key: bool = True,
) -> StockFigures:
    """Sum the counted warehouses' levels per article, and per article and warehouse key (unless
    ``per_key`` is off); only of the references in ``only`` when given. ``levels`` may be a stream:
    it is read once, and nothing of a level is kept but its quantity."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    by_key: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for level in levels:
        if not plan.counts(level.warehouse) or (only is not None and level.reference not in only):
            continue
        quantity = level.quantity(kind)
        totals[level.reference] += quantity
        if per_key:
            by_key[level.reference][plan.key(level.warehouse)] += quantity
    return StockFigures(totals, by_key)


def _postcode(customer: Customer) -> str:
    return customer.billing.postcode.replace(" ", "")


def home_warehouse(
    customer: Customer, options: HomeWarehouseOptions, warehouses: Sequence[Warehouse], *, postcode: str = ""
) -> str | None:
    """The ERP warehouse serving ``customer`` per the profile's rule (``postcode``: the one to use
    when the customer has none, such as an order's); the rule's default when nothing places it.
    The value is not checked here: an ERP field may name a warehouse that does not exist."""
    code = _postcode(customer) or postcode.replace(" ", "")
    found: str | None = None
    if options.source is HomeWarehouseSource.ERP:
        found = customer.home_warehouse
    elif options.source is HomeWarehouseSource.FIELD:
        found = customer.custom_fields.get(options.field, "").strip() or None
    elif options.source is HomeWarehouseSource.POSTCODE:
        prefixes = [p for p in options.postcodes if code.startswith(p.replace(" ", ""))]
        found = options.postcodes[max(prefixes, key=len)] if prefixes else None
    elif code:
        found = next((w.key for w in warehouses if w.postcode[:2] and w.postcode[:2] == code[:2]), None)
    return found if found is not None else options.default


def unknown_rule_warehouses(options: HomeWarehouseOptions, warehouses: Sequence[Warehouse]) -> list[str]:
    """What the profile's rule names that is not an ERP warehouse, as ``setting = value``."""
    known = {w.key for w in warehouses}
    named = [(f"customers.home_warehouse.postcodes.{k}", v) for k, v in options.postcodes.items()]
    if options.default is not None:
        named.append(("customers.home_warehouse.default", options.default))
    return [f"{setting} = {value}" for setting, value in named if value not in known]
