"""Create or update a customer account: ``F_COMPTET`` + ``F_LIVRAISON`` + ``F_CONTACTT``.

Rules (docs/erp/sage100.md):

* the account number is upper-cased (Sage's account numbers are); it must fit ``CT_Num``
  exactly (17 characters of the code page, nothing invisible);
* every text goes through :func:`~comptoir.erp.sage100.rows.prepared` as it is written (code
  page, control characters, the column's length rule from the schema): names, address lines,
  cities and labels are cut to their column (``CT_Intitule`` 35, ``CT_Classement`` 17…);
  contact data (e-mail, phone, postcode, VAT number, SIRET, APE) is never cut: a value that
  does not fit raises ``ErpError`` naming the customer and the column. Spaces are removed
  from VAT numbers and SIRETs first;
* the collective account (``CG_NumPrinc``) is created in ``F_COMPTEG`` when missing (per-
  customer accounts such as ``411W000530``); the price category and the home warehouse must
  exist; an update keeps the existing collective account and price category unless the
  customer names them;
* custom fields named like a text free field of ``F_COMPTET`` are written to it (cut to its
  length);
* the first delivery address (else the billing address) becomes the principal delivery
  address (``LI_Principal`` 1); contacts are matched by e-mail, else by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from comptoir.erp.base import ErpError
from comptoir.erp.sage100.context import SageContext
from comptoir.erp.sage100.countries import country_name
from comptoir.erp.sage100.freefields import FreeFieldKind
from comptoir.erp.sage100.numbering import next_id
from comptoir.erp.sage100.rows import blank_row, insert_rows, prepared, set_twins, update_rows
from comptoir.erp.sage100.schema import F_COMPTEG, F_COMPTET, F_CONTACTT, F_DEPOT, F_LIVRAISON, P_CATTARIF
from comptoir.erp.sage100.text import holdable
from comptoir.erp.sage100.types import slot
from comptoir.model import Address, Contact, Customer

CUSTOMER = 0


def _person(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def _first_text(*candidates: str) -> str:
    """The first candidate that still says something once prepared for Sage (else the last)."""
    return next((text for text in candidates if holdable(text)), candidates[-1])


def _compact(text: str) -> str:
    return "".join(text.split())


def _account_values(
    ctx: SageContext, customer: Customer, code: str, category: int, account: str
) -> dict[str, Any]:
    record = f"customer {code}"
    billing = customer.billing
    person = _person(customer.first_name, customer.last_name)
    name = _first_text(customer.name, customer.company, person, code)
    return {
        "CT_Num": code,
        "CT_Intitule": name,
        "CT_Type": CUSTOMER,
        "CG_NumPrinc": account,
        "CT_Classement": name.upper(),
        "CT_Contact": person,
        "CT_Adresse": billing.line1,
        "CT_Complement": billing.line2,
        "CT_CodePostal": billing.postcode,
        "CT_Ville": billing.city,
        "CT_CodeRegion": billing.region,
        "CT_Pays": country_name(billing.country) if billing.country else "",
        "CT_Ape": customer.ape,
        "CT_Identifiant": _compact(customer.vat_number),
        "CT_Siret": _compact(customer.siret),
        "CT_Encours": customer.credit_limit,
        "N_CatTarif": category,
        "CT_Sommeil": int(customer.dormant),
        "DE_No": slot(customer.home_warehouse, record, "home warehouse"),
        "CT_Telephone": customer.phone or billing.phone,
        "CT_EMail": customer.email or billing.email,
        "CT_NumCentrale": customer.central_code.strip().upper(),
        "CT_DateMAJ": ctx.clock.now(),
        "CT_Prospect": int(customer.prospect),
    }


def _validate_links(conn: Connection, customer: Customer, record: str, category: int, code: str) -> None:
    found = conn.execute(
        select(P_CATTARIF.c.CT_Intitule).where(
            P_CATTARIF.c.cbIndice == category, P_CATTARIF.c.CT_Intitule != ""
        )
    ).first()
    if found is None:
        raise ErpError(f"{record}: price category {category} does not exist (P_CATTARIF)")
    if customer.home_warehouse:
        depot = conn.execute(
            select(F_DEPOT.c.DE_No).where(
                F_DEPOT.c.DE_No == slot(customer.home_warehouse, record, "home warehouse")
            )
        ).first()
        if depot is None:
            raise ErpError(f"{record}: warehouse {customer.home_warehouse} does not exist (F_DEPOT)")
    central = customer.central_code.strip().upper()
    if central and central != code:
        row = conn.execute(
            select(F_COMPTET.c.CT_Num).where(F_COMPTET.c.CT_Num == central, F_COMPTET.c.CT_Type == CUSTOMER)
        ).first()
        if row is None:
            raise ErpError(f"{record}: purchasing central {central} is not a customer account")


def _ensure_account(conn: Connection, ctx: SageContext, account: str, label: str, record: str) -> None:
    exists = conn.execute(select(F_COMPTEG.c.CG_Num).where(F_COMPTEG.c.CG_Num == account)).first()
    if exists is not None:
        return
    now = ctx.clock.now()
    row = blank_row(F_COMPTEG, user=ctx.user, now=now)
    row.update(
        CG_Num=account,
        CG_Intitule=label,
        CG_Classement=label.upper(),
        N_Nature=1,
        CG_Report=1,
        CG_Lettrage=1,
        CG_Tiers=1,
        CG_DateCreate=now,
    )
    insert_rows(conn, F_COMPTEG, [row], record)


def delivery_values(address: Address, fallback: str, record: str) -> dict[str, Any]:
    """An address as ``F_LIVRAISON`` holds it (prepared, so that it compares with stored rows)."""
    person = _person(address.first_name, address.last_name)
    values = {
        "LI_Intitule": _first_text(address.label, address.company, person, fallback),
        "LI_Adresse": address.line1,
        "LI_Complement": address.line2,
        "LI_CodePostal": address.postcode,
        "LI_Ville": address.city,
        "LI_CodeRegion": address.region,
        "LI_Pays": country_name(address.country) if address.country else "",
        "LI_Contact": person,
        "LI_Telephone": address.phone,
        "LI_EMail": address.email,
    }
    return prepared(F_LIVRAISON, values, record)


PLACE_COLUMNS = ("LI_Adresse", "LI_CodePostal", "LI_Ville")
"""The columns that make two delivery addresses the same place."""


def row_place(row: Any) -> tuple[str, ...]:
    """The place of a stored ``F_LIVRAISON`` row, as :func:`values_place` compares it."""
    return tuple((getattr(row, k) or "").strip().casefold() for k in PLACE_COLUMNS)


def values_place(values: dict[str, Any]) -> tuple[str, ...]:
    """The place of prepared ``F_LIVRAISON`` ``values``."""
    return tuple(str(values[k]).casefold() for k in PLACE_COLUMNS)


def same_place(row: Any, values: dict[str, Any]) -> bool:
    """Whether a stored ``F_LIVRAISON`` row is the place of prepared ``values``."""
    return row_place(row) == values_place(values)


def _insert_delivery(
    conn: Connection, ctx: SageContext, code: str, values: dict[str, Any], *, principal: bool, record: str
) -> dict[str, Any]:
    """Add a delivery address to an account; returns the row written."""
    row = delivery_row(conn, ctx, code, values, principal=principal)
    insert_rows(conn, F_LIVRAISON, [row], record)
    return row


def delivery_row(
    conn: Connection, ctx: SageContext, code: str, values: dict[str, Any], *, principal: bool
) -> dict[str, Any]:
    """A new delivery address of an account, numbered (``LI_No``), to insert."""
    number = next_id(conn, F_LIVRAISON, "LI_No")
    row = blank_row(F_LIVRAISON, user=ctx.user, now=ctx.clock.now())
    row.update(values, LI_No=number, CT_Num=code, N_Expedition=1, N_Condition=1, LI_Principal=int(principal))
    return row


def _save_deliveries(
    conn: Connection, ctx: SageContext, customer: Customer, code: str, record: str
) -> list[dict[str, Any]]:
    """Write the customer's delivery addresses; returns the rows added."""
    addresses = list(customer.deliveries) or ([customer.billing] if customer.billing.line1 else [])
    if not addresses:
        return []
    added: list[dict[str, Any]] = []
    fallback = customer.name or code
    existing = conn.execute(
        select(F_LIVRAISON).where(F_LIVRAISON.c.CT_Num == code).order_by(F_LIVRAISON.c.LI_No)
    ).all()
    principal = next((r for r in existing if r.LI_Principal), None)
    first = delivery_values(addresses[0], fallback, record)
    if principal is None:
        added.append(_insert_delivery(conn, ctx, code, first, principal=True, record=record))
    else:
        values = {**first, "cbModification": ctx.clock.now()}
        update_rows(conn, F_LIVRAISON, {"cbMarq": principal.cbMarq}, values, record)
    for address in addresses[1:]:
        values = delivery_values(address, fallback, record)
        if not any(same_place(r, values) for r in existing):
            added.append(_insert_delivery(conn, ctx, code, values, principal=False, record=record))
    return added


def _contact_values(contact: Contact, record: str) -> dict[str, Any]:
    """A contact as ``F_CONTACTT`` holds it (prepared, so that it compares with stored rows)."""
    values = {
        "CT_Nom": contact.last_name,
        "CT_Prenom": contact.first_name,
        "CT_Fonction": contact.role,
        "CT_Telephone": contact.phone,
        "CT_EMail": contact.email,
    }
    return prepared(F_CONTACTT, values, record)


def _save_contacts(conn: Connection, ctx: SageContext, customer: Customer, code: str, record: str) -> None:
    contacts = list(customer.contacts)
    if not contacts and (customer.first_name or customer.last_name):
        contacts = [Contact(customer.first_name, customer.last_name, customer.email, customer.phone)]
    if not contacts:
        return
    existing = conn.execute(select(F_CONTACTT).where(F_CONTACTT.c.CT_Num == code)).all()
    for contact in contacts:
        values = _contact_values(contact, record)
        match = next(
            (
                r
                for r in existing
                if (
                    values["CT_EMail"]
                    and (r.CT_EMail or "").strip().casefold() == values["CT_EMail"].casefold()
                )
                or (
                    not values["CT_EMail"]
                    and (r.CT_Nom or "").strip() == values["CT_Nom"]
                    and (r.CT_Prenom or "").strip() == values["CT_Prenom"]
                )
            ),
            None,
        )
        if match is not None:
            changes = {**values, "cbModification": ctx.clock.now()}
            update_rows(conn, F_CONTACTT, {"cbMarq": match.cbMarq}, changes, record)
            continue
        row = blank_row(F_CONTACTT, user=ctx.user, now=ctx.clock.now())
        row.update(values, CT_Num=code, CT_No=next_id(conn, F_CONTACTT, "CT_No"), N_Contact=1)
        insert_rows(conn, F_CONTACTT, [row], record)


def _free_values(ctx: SageContext, customer: Customer) -> dict[str, Any]:
    """The customer's custom fields that name a text free field of ``F_COMPTET`` (cut when written)."""
    return {
        field.name: customer.custom_fields[field.name]
        for field in ctx.fields("F_COMPTET")
        if field.kind in (FreeFieldKind.TEXT, FreeFieldKind.TABLE) and field.name in customer.custom_fields
    }


@dataclass(frozen=True, slots=True)
class SavedCustomer:
    """What :func:`write_customer` wrote."""

    code: str
    created: dict[str, Any] | None
    """The new account's ``F_COMPTET`` row as written; ``None`` when an account was updated."""
    deliveries: list[dict[str, Any]]
    """The ``F_LIVRAISON`` rows added."""


def save_customer(conn: Connection, ctx: SageContext, customer: Customer) -> str:
    """Create the account (or update it when its number exists); returns the account number."""
    return write_customer(conn, ctx, customer).code


def write_customer(conn: Connection, ctx: SageContext, customer: Customer) -> SavedCustomer:
    """:func:`save_customer`, saying what was written (a document written next in the same
    transaction takes a new account's rows from it instead of reading them back)."""
    code = customer.code.strip().upper()
    if not code:
        raise ErpError(
            f"customer {customer.name or customer.email!r}: an account number (CT_Num) is required"
        )
    record = f"customer {code}"
    account_table = ctx.customer
    current = conn.execute(
        select(account_table.c.cbMarq, account_table.c.CT_Type).where(account_table.c.CT_Num == code)
    ).first()
    if current is not None and current.CT_Type != CUSTOMER:
        raise ErpError(f"{record}: the account exists with CT_Type {current.CT_Type} (not a customer)")
    category = slot(customer.price_category, record, "price category") or 1
    account = (customer.accounting_account or ctx.options.default_account).strip()
    _validate_links(conn, customer, record, category, code)
    values = _account_values(ctx, customer, code, category, account)
    values.update(_free_values(ctx, customer))
    if current is not None:
        # An update keeps the account's collective account and category unless the customer names them.
        if not customer.accounting_account:
            values.pop("CG_NumPrinc")
        if not customer.price_category:
            values.pop("N_CatTarif")
    values = prepared(account_table, values, record)
    if "CG_NumPrinc" in values:
        _ensure_account(conn, ctx, account, customer.name or code, record)
    now = ctx.clock.now()
    if current is None:
        row = blank_row(account_table, user=ctx.user, now=now)
        row.update(
            values,
            CT_NumPayeur=code,
            N_CatCompta=ctx.options.accounting_category,
            N_Risque=1,
            N_Period=1,
            N_Expedition=1,
            N_Condition=1,
            CT_Facture=1,
            CT_DateCreate=now,
            CT_LangueISO2="fr",
        )
        created: dict[str, Any] | None = set_twins(account_table, row)
        insert_rows(conn, account_table, [row], record)
    else:
        created = None
        changes = set_twins(account_table, {**values, "cbModification": now, "cbCreateur": ctx.user})
        update_rows(conn, account_table, {"cbMarq": current.cbMarq}, changes, record)
    added = _save_deliveries(conn, ctx, customer, code, record)
    _save_contacts(conn, ctx, customer, code, record)
    return SavedCustomer(code, created, added)
