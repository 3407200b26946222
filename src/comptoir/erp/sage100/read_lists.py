"""Lists a person maps to from the dashboard: payment modes, journals, free fields."""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.freefields import read_free_fields as free_field_definitions
from comptoir.erp.sage100.schema import F_JOURNAUX, P_REGLEMENT
from comptoir.model import Choice

JOURNAL_KINDS = {0: "achats", 1: "ventes", 2: "trésorerie", 3: "général", 4: "situation"}
"""``F_JOURNAUX.JO_Type``."""
FREE_FIELD_TABLES = {"article": "F_ARTICLE", "customer": "F_COMPTET"}


def read_payment_modes(conn: Connection) -> list[Choice]:
    """The used slots of ``P_REGLEMENT``: key = the slot number (``cbIndice``), as profiles store it."""
    rows = conn.execute(
        select(P_REGLEMENT.c.cbIndice, P_REGLEMENT.c.R_Intitule, P_REGLEMENT.c.R_Code)
        .where(P_REGLEMENT.c.R_Intitule != "")
        .order_by(P_REGLEMENT.c.cbIndice)
    )
    return [
        Choice(str(number), name.strip(), (code or "").strip()) for number, name, code in rows if name.strip()
    ]


def read_journals(conn: Connection) -> list[Choice]:
    """Journals not dormant, treasury (bank, cash) first: key = ``JO_Num``, detail = the kind."""
    treasury_first = case((F_JOURNAUX.c.JO_Type == 2, 0), else_=1)
    rows = conn.execute(
        select(F_JOURNAUX.c.JO_Num, F_JOURNAUX.c.JO_Intitule, F_JOURNAUX.c.JO_Type)
        .where(F_JOURNAUX.c.JO_Sommeil == 0)
        .order_by(treasury_first, F_JOURNAUX.c.JO_Num)
    )
    return [
        Choice(number.strip(), (name or "").strip(), JOURNAL_KINDS.get(kind, str(kind)))
        for number, name, kind in rows
    ]


def read_free_fields(conn: Connection, kind: str) -> list[Choice]:
    """The informations libres of articles or customers, in Sage's order; key = the field's label."""
    table = FREE_FIELD_TABLES.get(kind)
    if table is None:
        known = ", ".join(FREE_FIELD_TABLES)
        raise ValueError(f"{kind!r} is not a kind of free field (known: {known})")
    fields = free_field_definitions(conn).get(table, ())
    return [Choice(field.name, field.name, field.kind.name.lower()) for field in fields]
