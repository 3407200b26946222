"""What every read and write of the adapter needs: the clock, the author code, the free fields.

The free-field definitions are read from ``cbSysLibre`` once per connection; the tables that
carry them (``F_ARTICLE``, ``F_COMPTET``, ``F_DOCENTETE``) are then used in copies that list
those columns too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Connection

from comptoir.erp.sage100.clock import SageClock
from comptoir.erp.sage100.freefields import FreeField, read_free_fields, with_free_fields
from comptoir.erp.sage100.schema import F_ARTICLE, F_COMPTET, F_DOCENTETE


@dataclass(frozen=True, slots=True)
class SageOptions:
    """Adapter choices a deployment may change (documented in docs/erp/sage100.md)."""

    description_field: str = "Description"
    """Article free field holding the long description."""
    notes_field: str = "Commentaires"
    """Document-header free field receiving the order's customer notes."""
    default_account: str = "4110000"
    """Collective account of created customers when the customer names none."""
    accounting_category: int = 1
    """Accounting category (``N_CatCompta``) whose sales tax codes articles carry (1 = France)."""


@dataclass(frozen=True, slots=True)
class SageContext:
    clock: SageClock
    user: str
    options: SageOptions
    free: Mapping[str, tuple[FreeField, ...]] = field(default_factory=dict)
    article: Table = F_ARTICLE
    customer: Table = F_COMPTET
    header: Table = F_DOCENTETE

    def fields(self, table: str) -> tuple[FreeField, ...]:
        return self.free.get(table, ())


def load_context(conn: Connection, clock: SageClock, user: str, options: SageOptions) -> SageContext:
    """Read the free-field definitions and build the tables that carry them."""
    free = read_free_fields(conn)
    metadata = MetaData()
    return SageContext(
        clock=clock,
        user=user,
        options=options,
        free=free,
        article=with_free_fields(F_ARTICLE, free.get("F_ARTICLE", ()), metadata),
        customer=with_free_fields(F_COMPTET, free.get("F_COMPTET", ()), metadata),
        header=with_free_fields(F_DOCENTETE, free.get("F_DOCENTETE", ()), metadata),
    )
