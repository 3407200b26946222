"""Customers (``F_COMPTET`` with ``CT_Type`` 0) with delivery addresses and contacts.

Three queries whatever the number of customers: the accounts (with their free fields), their
``F_LIVRAISON`` delivery addresses (principal first) and their ``F_CONTACTT`` contacts.

Best-effort parts, documented in docs/erp/sage100.md: first and last names come from the
main contact (the one sharing the account's e-mail, else the first one); ``company`` is the
account's name when it carries a SIRET or a VAT number; a delivery address's person comes
from ``LI_Contact`` split at its first space.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import Connection, Row

from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.countries import country_code
from comptoir.erp.sage100.freefields import free_values
from comptoir.erp.sage100.schema import F_CONTACTT, F_LIVRAISON
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import Address, Contact, Customer

CUSTOMER = 0
_CHUNK = 500
"""``CT_Type`` of customer accounts (1 supplier, 2 employee, 3 other)."""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _split_person(text: str) -> tuple[str, str]:
    first, _, last = text.strip().partition(" ")
    return (first, last) if last else ("", first)


_DELIVERY_COLUMNS = (
    "CT_Num",
    "LI_Contact",
    "LI_Intitule",
    "LI_Adresse",
    "LI_Complement",
    "LI_CodePostal",
    "LI_Ville",
    "LI_CodeRegion",
    "LI_Pays",
    "LI_Telephone",
    "LI_EMail",
)
"""What ``_delivery`` reads of ``F_LIVRAISON`` (of its 24 columns here, more in a real Sage)."""
_CONTACT_COLUMNS = (
    "CT_Num",
    "CT_Prenom",
    "CT_Nom",
    "CT_EMail",
    "CT_Telephone",
    "CT_TelPortable",
    "CT_Fonction",
)
"""What ``_contact`` reads of ``F_CONTACTT``."""


def _delivery(row: Row[Any]) -> Address:
    first, last = _split_person(_text(row.LI_Contact))
    return Address(
        first_name=first,
        last_name=last,
        company=_text(row.LI_Intitule),
        line1=_text(row.LI_Adresse),
        line2=_text(row.LI_Complement),
        postcode=_text(row.LI_CodePostal),
        city=_text(row.LI_Ville),
        region=_text(row.LI_CodeRegion),
        country=country_code(_text(row.LI_Pays)),
        phone=_text(row.LI_Telephone),
        email=_text(row.LI_EMail),
        label=_text(row.LI_Intitule),
    )


def _contact(row: Row[Any]) -> Contact:
    return Contact(
        first_name=_text(row.CT_Prenom),
        last_name=_text(row.CT_Nom),
        email=_text(row.CT_EMail),
        phone=_text(row.CT_Telephone) or _text(row.CT_TelPortable),
        role=_text(row.CT_Fonction),
    )


def _customer(
    ctx: SageContext, row: Row[Any], deliveries: list[Address], contacts: list[Contact]
) -> Customer:
    data = row._mapping
    email = _text(data["CT_EMail"])
    main = next((c for c in contacts if email and c.email.casefold() == email.casefold()), None)
    main = main or (contacts[0] if contacts else None)
    name = _text(data["CT_Intitule"])
    business = bool(_text(data["CT_Siret"]) or _text(data["CT_Identifiant"]))
    first, last = (main.first_name, main.last_name) if main else ("", "")
    billing = Address(
        first_name=first,
        last_name=last,
        company=name if business else "",
        line1=_text(data["CT_Adresse"]),
        line2=_text(data["CT_Complement"]),
        postcode=_text(data["CT_CodePostal"]),
        city=_text(data["CT_Ville"]),
        region=_text(data["CT_CodeRegion"]),
        country=country_code(_text(data["CT_Pays"])),
        phone=_text(data["CT_Telephone"]),
        email=email,
    )
    home = str(data["DE_No"]) if data["DE_No"] else None
    return Customer(
        code=data["CT_Num"].strip(),
        name=name,
        first_name=first,
        last_name=last,
        company=name if business else "",
        email=email,
        phone=_text(data["CT_Telephone"]),
        billing=billing,
        deliveries=tuple(deliveries),
        contacts=tuple(contacts),
        price_category=str(data["N_CatTarif"]) if data["N_CatTarif"] else "",
        accounting_account=_text(data["CG_NumPrinc"]),
        vat_number=_text(data["CT_Identifiant"]),
        siret=_text(data["CT_Siret"]),
        ape=_text(data["CT_Ape"]),
        credit_limit=plain_decimal(data["CT_Encours"]),
        home_warehouse=home,
        central_code=_text(data["CT_NumCentrale"]),
        discount=plain_decimal(data["CT_Taux01"]),
        dormant=bool(data["CT_Sommeil"]),
        prospect=bool(data["CT_Prospect"]),
        created_at=ctx.clock.to_utc(data["CT_DateCreate"]),
        modified_at=ctx.clock.to_utc(data["CT_DateMAJ"]),
        custom_fields=free_values(data, ctx.fields("F_COMPTET")),
    )


def load_customers(conn: Connection, ctx: SageContext, where: ColumnElement[bool] | None) -> list[Customer]:
    """Customers matching ``where`` (all customers when ``None``), with addresses and contacts."""
    account = ctx.customer
    condition = account.c.CT_Type == CUSTOMER
    if where is not None:
        condition = condition & where
    columns = [
        account.c[name]
        for name in (
            "CT_Num",
            "CT_Intitule",
            "CT_EMail",
            "CT_Telephone",
            "CT_Adresse",
            "CT_Complement",
            "CT_CodePostal",
            "CT_Ville",
            "CT_CodeRegion",
            "CT_Pays",
            "CT_Siret",
            "CT_Identifiant",
            "CT_Ape",
            "N_CatTarif",
            "CG_NumPrinc",
            "CT_Encours",
            "DE_No",
            "CT_NumCentrale",
            "CT_Taux01",
            "CT_Sommeil",
            "CT_Prospect",
            "CT_DateCreate",
            "CT_DateMAJ",
        )
    ] + [account.c[f.name] for f in ctx.fields("F_COMPTET")]
    rows = conn.execute(select(*columns).where(condition).order_by(account.c.CT_Num)).all()
    if not rows:
        return []
    selection = select(account.c.CT_Num).where(condition)
    deliveries: dict[str, list[Address]] = defaultdict(list)
    for row in conn.execute(
        select(*(F_LIVRAISON.c[name] for name in _DELIVERY_COLUMNS))
        .where(F_LIVRAISON.c.CT_Num.in_(selection))
        .order_by(F_LIVRAISON.c.CT_Num, F_LIVRAISON.c.LI_Principal.desc(), F_LIVRAISON.c.LI_No)
    ):
        deliveries[row.CT_Num.strip()].append(_delivery(row))
    contacts: dict[str, list[Contact]] = defaultdict(list)
    for row in conn.execute(
        select(*(F_CONTACTT.c[name] for name in _CONTACT_COLUMNS))
        .where(F_CONTACTT.c.CT_Num.in_(selection))
        .order_by(F_CONTACTT.c.CT_Num, F_CONTACTT.c.CT_No)
    ):
        contacts[row.CT_Num.strip()].append(_contact(row))
    return [
        _customer(ctx, row, deliveries.get(row.CT_Num.strip(), []), contacts.get(row.CT_Num.strip(), []))
        for row in rows
    ]


def read_customers(
    conn: Connection, ctx: SageContext, *, modified_since: datetime | None = None
) -> list[Customer]:
    """Every customer, or those whose ``CT_DateMAJ`` is on or after a date."""
    where = None
    if modified_since is not None:
        where = ctx.customer.c.CT_DateMAJ >= ctx.clock.since(modified_since)
    return load_customers(conn, ctx, where)


def find_customer(conn: Connection, ctx: SageContext, code: str) -> Customer | None:
    found = load_customers(conn, ctx, ctx.customer.c.CT_Num == code.strip().upper())
    return found[0] if found else None


def find_customer_by_email(conn: Connection, ctx: SageContext, email: str) -> Customer | None:
    """The customer whose e-mail (or one of whose contacts' e-mail) is ``email``, ignoring case.

    Several matches: active accounts before dormant ones, then the account's own e-mail before
    a contact's, then the smallest account number.
    """
    wanted = email.strip().casefold()
    if not wanted:
        return None
    account = ctx.customer
    own = select(account.c.CT_Num, account.c.CT_Sommeil).where(
        account.c.CT_Type == CUSTOMER, func.lower(account.c.CT_EMail) == wanted
    )
    via_contact = (
        select(account.c.CT_Num, account.c.CT_Sommeil)
        .select_from(account.join(F_CONTACTT, F_CONTACTT.c.CT_Num == account.c.CT_Num))
        .where(account.c.CT_Type == CUSTOMER, func.lower(F_CONTACTT.c.CT_EMail) == wanted)
    )
    candidates = sorted(
        [(sleep or 0, 0, code) for code, sleep in conn.execute(own)]
        + [(sleep or 0, 1, code) for code, sleep in conn.execute(via_contact)]
    )
    if not candidates:
        return None
    return find_customer(conn, ctx, candidates[0][2])


def find_customers(conn: Connection, ctx: SageContext, codes: Collection[str]) -> dict[str, Customer]:
    """The customers among ``codes``, by code: three queries per 500 codes."""
    wanted = sorted({c.strip().upper() for c in codes if c and c.strip()})
    found: dict[str, Customer] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for customer in load_customers(conn, ctx, ctx.customer.c.CT_Num.in_(chunk)):
            found[customer.code] = customer
    return found


def find_customers_by_email(
    conn: Connection, ctx: SageContext, emails: Collection[str]
) -> dict[str, Customer]:
    """Lower-cased e-mail → customer, with ``find_customer_by_email``'s preferences, in a few
    queries per 500 e-mails (accounts' own e-mails, contacts' e-mails, then the accounts)."""
    wanted = sorted({e.strip().casefold() for e in emails if e and e.strip()})
    account = ctx.customer
    candidates: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        own = select(func.lower(account.c.CT_EMail), account.c.CT_Num, account.c.CT_Sommeil).where(
            account.c.CT_Type == CUSTOMER, func.lower(account.c.CT_EMail).in_(chunk)
        )
        via_contact = (
            select(func.lower(F_CONTACTT.c.CT_EMail), account.c.CT_Num, account.c.CT_Sommeil)
            .select_from(account.join(F_CONTACTT, F_CONTACTT.c.CT_Num == account.c.CT_Num))
            .where(account.c.CT_Type == CUSTOMER, func.lower(F_CONTACTT.c.CT_EMail).in_(chunk))
        )
        for rank, query in ((0, own), (1, via_contact)):
            for email, code, sleep in conn.execute(query):
                candidates[(email or "").strip()].append((sleep or 0, rank, code.strip()))
    best = {email: sorted(found)[0][2] for email, found in candidates.items() if found}
    customers = find_customers(conn, ctx, set(best.values()))
    return {email: customers[code] for email, code in best.items() if code in customers}
