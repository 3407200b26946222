"""Reads of the catalog's reference lists: families, catalogue levels, warehouses, taxes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.schema import F_CATALOGUE, F_DEPOT, F_FAMILLE, F_TAXE
from comptoir.erp.sage100.types import plain_decimal
from comptoir.model import Category, TaxRate, Warehouse

DETAIL_FAMILY = 0
"""``FA_Type`` of the families articles belong to (1 total, 2 centralisateur are groupings)."""


def read_families(conn: Connection) -> list[Category]:
    """One category per detail family (``FA_Type`` 0): key = code, name = intitulé, published
    from ``FA_Publie``."""
    rows = conn.execute(
        select(F_FAMILLE.c.FA_CodeFamille, F_FAMILLE.c.FA_Intitule, F_FAMILLE.c.FA_Publie)
        .where(F_FAMILLE.c.FA_Type == DETAIL_FAMILY)
        .order_by(F_FAMILLE.c.FA_CodeFamille)
    )
    return [
        Category(key=code.strip(), name=(name or code).strip(), published=bool(published))
        for code, name, published in rows
    ]


def read_catalogue(conn: Connection) -> list[Category]:
    """The catalogue tree (``F_CATALOGUE``, up to 4 levels): key = ``CL_No`` as text."""
    rows = conn.execute(
        select(F_CATALOGUE.c.CL_No, F_CATALOGUE.c.CL_Intitule, F_CATALOGUE.c.CL_NoParent).order_by(
            F_CATALOGUE.c.CL_Niveau, F_CATALOGUE.c.CL_No
        )
    )
    return [
        Category(key=str(number), name=name.strip(), parent_key=str(parent) if parent else None)
        for number, name, parent in rows
    ]


def read_warehouses(conn: Connection) -> list[Warehouse]:
    rows = conn.execute(
        select(
            F_DEPOT.c.DE_No,
            F_DEPOT.c.DE_Intitule,
            F_DEPOT.c.DE_Code,
            F_DEPOT.c.DE_CodePostal,
            F_DEPOT.c.DE_Principal,
        ).order_by(F_DEPOT.c.DE_No)
    )
    return [
        Warehouse(
            key=str(number),
            name=name.strip(),
            code=(code or "").strip(),
            postcode=(postcode or "").strip(),
            principal=bool(principal),
        )
        for number, name, code, postcode, principal in rows
    ]


def read_tax_rates(conn: Connection) -> list[TaxRate]:
    """Every tax code with its rate in percent (``TA_Taux``) and label."""
    rows = conn.execute(
        select(F_TAXE.c.TA_Code, F_TAXE.c.TA_Taux, F_TAXE.c.TA_Intitule).order_by(F_TAXE.c.TA_Code)
    )
    return [
        TaxRate(code=code.strip(), rate=plain_decimal(rate), label=(label or "").strip())
        for code, rate, label in rows
    ]
