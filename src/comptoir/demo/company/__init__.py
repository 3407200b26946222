"""The demo company: a deterministic Sage 100c company at two scales.

``build_company(url, scale=…, seed=…)`` creates the schema replica and fills it; the same
seed always gives the same content. ``small`` (about forty articles, a dozen customers) is
what the demo and most tests use; ``reference`` is the scale of SPEC §11 (about 15,000
articles, 3,000 customers, 8 warehouses).

A SQLite company file is given a write-ahead log (``PRAGMA journal_mode = WAL``), as a server
keeps one. It refuses to write into a database that already holds a company (``CompanyExists``); the
facts of an existing demo company come from ``describe_company(url)``.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import URL, inspect, select
from sqlalchemy.engine import Connection, Engine

from comptoir.demo.company import common
from comptoir.demo.company.facts import CompanyFacts, read_facts
from comptoir.demo.company.reference import ReferenceSize, build_reference
from comptoir.demo.company.seeder import Seeder
from comptoir.demo.company.small import build_small
from comptoir.erp.sage100.connection import open_engine
from comptoir.erp.sage100.freefields import add_free_fields
from comptoir.erp.sage100.schema import P_DOSSIER, create_schema

Scale = Literal["small", "reference"]

__all__ = ["CompanyExists", "CompanyFacts", "ReferenceSize", "Scale", "build_company", "describe_company"]


class CompanyExists(Exception):
    """The database already holds a company; the demo builder never writes over one."""


def _holds_company(conn: Connection) -> bool:
    if not inspect(conn).has_table(P_DOSSIER.name):
        return False
    return conn.execute(select(P_DOSSIER.c.cbMarq)).first() is not None


def build_company(
    url: str | URL,
    *,
    scale: Scale = "small",
    seed: int = 2026,
    size: ReferenceSize | None = None,
) -> CompanyFacts:
    """Create the demo company in the empty database at ``url`` (one transaction).

    ``size`` overrides the reference scale's counts (tests build a miniature of it).
    Raises ``CompanyExists`` when the database already holds a company.
    """
    if scale not in ("small", "reference"):
        raise ValueError(f"scale {scale!r}: choose small or reference")
    engine = open_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            _write_ahead_log(engine)
        with engine.begin() as conn:
            if _holds_company(conn):
                raise CompanyExists(
                    f"{engine.url.render_as_string(hide_password=True)} already holds a company"
                )
            create_schema(conn)
            add_free_fields(conn, common.FREE_FIELDS, creator="DEMO")
            seeder = Seeder(conn, common.BASE_TIME, free_fields=common.FREE_FIELDS)
            common.seed_parameters(seeder, scale=scale, seed=seed)
            common.seed_accounting(seeder)
            common.seed_numbering(seeder)
            if scale == "small":
                build_small(seeder, seed)
            else:
                build_reference(seeder, seed, size or ReferenceSize())
            return read_facts(conn)
    finally:
        engine.dispose()


def _write_ahead_log(engine: Engine) -> None:
    """Give a SQLite company file a write-ahead log, as a database server keeps one: a commit
    then syncs the log once instead of the rollback journal, the file and the folder (the
    durability is the same, ``synchronous`` stays FULL: see ``connection.py``). The mode is kept
    in the file."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def describe_company(url: str | URL) -> CompanyFacts:
    """The facts of the company already in the database at ``url``."""
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return read_facts(conn)
    finally:
        engine.dispose()
