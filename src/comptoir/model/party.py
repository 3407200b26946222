"""Customers, their addresses and contacts, on either side of the connector."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from comptoir.model.money import ZERO

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_valid_email(value: str) -> bool:
    """A pragmatic check: one @, no spaces, a dot in the domain."""
    return bool(_EMAIL.match(value.strip()))


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address with the person or company it reaches."""

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    postcode: str = ""
    city: str = ""
    region: str = ""
    country: str = "FR"
    """ISO 3166-1 alpha-2 code."""
    phone: str = ""
    email: str = ""
    label: str = ""
    """The ERP's name for this address (delivery address intitulé)."""


@dataclass(frozen=True, slots=True)
class Contact:
    """A person attached to a customer account."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    role: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    """A customer account.

    On the ERP side ``code`` is the account number (CT_Num); a customer read from the shop
    has ``shop_id`` and, until it is written to the ERP, no code.
    """

    code: str
    name: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    billing: Address = field(default_factory=Address)
    deliveries: tuple[Address, ...] = ()
    contacts: tuple[Contact, ...] = ()
    price_category: str = ""
    """ERP price category identifier (empty: none)."""
    accounting_account: str = ""
    vat_number: str = ""
    siret: str = ""
    ape: str = ""
    credit_limit: Decimal = ZERO
    payment_terms: str = ""
    home_warehouse: str | None = None
    """ERP warehouse identifier of the customer's home warehouse."""
    central_code: str = ""
    """Purchasing central (centrale d'achat) the customer belongs to."""
    discount: Decimal = ZERO
    """The customer's own discount in percent (Sage: ``CT_Taux01``); prices use it only when
    ``prices.customer_discount`` is on."""
    dormant: bool = False
    prospect: bool = False
    shop_id: str | None = None
    created_at: datetime | None = None
    modified_at: datetime | None = None
    custom_fields: Mapping[str, str] = field(default_factory=dict)
