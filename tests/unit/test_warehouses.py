"""Warehouses as the shop sees them: counted ones, groups, exclusions, and home-warehouse rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from comptoir.jobs.warehouses import WarehousePlan, home_warehouse, stock_figures, unknown_rule_warehouses
from comptoir.model import Address, Customer, QuantityKind, StockLevel, Warehouse
from comptoir.profile import HomeWarehouseOptions, StockOptions

D = Decimal
DEPOTS = [
    Warehouse("1", "Entrepôt Avignon", postcode="84000"),
    Warehouse("2", "Magasin Lyon", postcode="69002"),
    Warehouse("3", "Magasin Marseille", postcode="13006"),
]


def customer(postcode: str = "", **more: object) -> Customer:
    return Customer("C1", "Client", billing=Address(postcode=postcode), **more)  # type: ignore[arg-type]


def test_groups_sum_their_members_and_excluded_warehouses_are_never_counted() -> None:
    options = StockOptions(exclude_warehouses=["3"], warehouse_groups={"SUD": ["1", "4"]})
    plan = WarehousePlan.from_options(options)
    levels = [
        StockLevel("A", "1", real=D(5)),
        StockLevel("A", "4", real=D(7), reserved=D(2)),
        StockLevel("A", "2", real=D(3)),
        StockLevel("A", "3", real=D(100)),
    ]
    figures = stock_figures(levels, plan, QuantityKind.AVAILABLE)
    assert figures.totals["A"] == 13
    assert dict(figures.by_key["A"]) == {"SUD": 10, "2": 3}
    chosen = WarehousePlan.from_options(StockOptions(warehouses=["2"]))
    assert stock_figures(levels, chosen, QuantityKind.REAL).totals["A"] == 3


def test_a_warehouse_in_two_groups_is_refused_by_name() -> None:
    with pytest.raises(ValidationError, match="warehouse 1 is in both NORD and SUD"):
        StockOptions(warehouse_groups={"NORD": ["1", "2"], "SUD": ["1"]})


def test_home_warehouse_rules() -> None:
    rules = HomeWarehouseOptions(
        source="postcode", postcodes={"84": "1", "69": "2", "84410": "3"}, default="1"
    )
    assert home_warehouse(customer("69004"), rules, DEPOTS) == "2"
    assert home_warehouse(customer("84410"), rules, DEPOTS) == "3", "the longest prefix wins"
    assert home_warehouse(customer("84 000"), rules, DEPOTS) == "1"
    assert home_warehouse(customer("75001"), rules, DEPOTS) == "1", "the default"
    assert home_warehouse(customer(""), rules, DEPOTS, postcode="69100") == "2", "an order's postcode"
    nearest = HomeWarehouseOptions(source="warehouse_postcode")
    assert home_warehouse(customer("13100"), nearest, DEPOTS) == "3"
    assert home_warehouse(customer("31000"), nearest, DEPOTS) is None
    erp = HomeWarehouseOptions()
    assert home_warehouse(customer("13100", home_warehouse="2"), erp, DEPOTS) == "2"
    field = HomeWarehouseOptions(source="field", field="Dépôt")
    assert home_warehouse(customer(custom_fields={"Dépôt": " 3 "}), field, DEPOTS) == "3"


def test_rules_naming_unknown_warehouses_are_named() -> None:
    rules = HomeWarehouseOptions(source="postcode", postcodes={"84": "1", "06": "8"}, default="9")
    assert unknown_rule_warehouses(rules, DEPOTS) == [
        "customers.home_warehouse.postcodes.06 = 8",
        "customers.home_warehouse.default = 9",
    ]
    with pytest.raises(ValidationError, match="postcode source needs at least one rule"):
        HomeWarehouseOptions(source="postcode")
    with pytest.raises(ValidationError, match="field source needs the ERP field"):
        HomeWarehouseOptions(source="field")
