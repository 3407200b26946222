"""Entries of the lists a person picks from when mapping one side to the other (dashboard).

Both sides list what a profile's mapping tables may name: shop tax rates and classes, order
statuses and payment methods; ERP tax codes, payment modes, journals, warehouses, price
categories and free fields. ``key`` is always the identifier the profile stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry: the identifier a profile stores, its name for people, and a short detail."""

    key: str
    label: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ShopTaxRate:
    """A tax rate the shop applies: its rate in percent (what ``orders.tax_codes`` keys are)."""

    key: str
    """The shop's identifier of the rate."""
    rate: Decimal
    """In percent (``20``, ``5.5``)."""
    label: str
    tax_class: str = ""
    """The shop's tax class of the rate (empty: the standard class)."""
    country: str = ""
