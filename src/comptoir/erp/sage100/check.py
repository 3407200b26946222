"""``comptoir erp test`` for Sage 100c: connect, recognise the company and its version, check rights.

Every failure is an ``ErpConnectionError`` whose code names it: ``driver_missing`` (the URL's
Python driver is not installed), ``unreachable`` (no server answers at that address),
``login_refused``, ``database_missing``, ``not_erp`` (the database is not a Sage 100 company),
``read_only`` (the login cannot insert or update the tables comptoir writes). Rights are asked of
the server (``HAS_PERMS_BY_NAME`` on SQL Server, ``has_table_privilege`` on PostgreSQL, the file's
permissions on SQLite): nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from comptoir.erp.base import ErpCheck, ErpConnectionError
from comptoir.erp.sage100 import schema
from comptoir.erp.sage100.context import WRITTEN, present_columns
from comptoir.erp.sage100.schema import RECENT
from comptoir.profile.validators import install_hint, sqlite_database

KEY_TABLES: tuple[str, ...] = (
    "P_DOSSIER",
    "F_ARTICLE",
    "F_COMPTET",
    "F_DOCENTETE",
    "F_DOCLIGNE",
    "F_DOCCURRENTPIECE",
)
"""Tables every Sage 100 company has and comptoir cannot work without (by name: opening the ERP
checks they are there without describing them)."""

UPDATED: tuple[str, ...] = ("F_DOCCURRENTPIECE",)
"""Tables comptoir only updates (besides the written ones, which it also updates)."""

_DATABASE_MISSING = ("cannot open database", "unable to open database file", "unknown database")
_LOGIN_REFUSED = (
    "password authentication failed",
    "login failed",
    "authentication failed",
    "no password supplied",
    "role ",
)
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "unable to connect",
    "adaptive server is unavailable",
    "could not translate host name",
    "name or service not known",
    "no route to host",
    "timeout expired",
    "timed out",
    "server does not exist",
    "network-related",
    "connection is not open",
)


def driver_error(url: URL, exc: BaseException) -> ErpConnectionError:
    """The named error for a URL whose driver cannot be loaded."""
    if isinstance(exc, NoSuchModuleError | ArgumentError) and "dialect" in str(exc).lower():
        return ErpConnectionError(
            "driver_missing",
            f"{url.get_backend_name()!r} is not a database kind comptoir knows (sqlite, postgresql, mssql)",
        )
    return ErpConnectionError(
        "driver_missing",
        f"the database driver {url.get_driver_name()!r} is not installed: {install_hint(url)}",
    )


def classify(exc: BaseException) -> str:
    """The failure code of a connection error, from the driver's message."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if ("database" in text and "does not exist" in text) or "4060" in text:
        return "database_missing"
    if any(word in text for word in _DATABASE_MISSING):
        return "database_missing"
    if any(word in text for word in _LOGIN_REFUSED) or "18456" in text:
        return "login_refused"
    if any(word in text for word in _UNREACHABLE) or "20009" in text or "08001" in text:
        return "unreachable"
    return "error"


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def verify_company(engine: Engine, url: URL, described: str) -> None:
    """The check run whenever a profile's ERP is opened (one query): the database is a Sage company.

    A SQLite file must already exist and be a SQLite database (the engine never creates it); the
    key tables must be there. Raises ``ErpConnectionError`` naming the URL and the failure.
    """
    database = url.database or ""
    if (
        url.get_backend_name() == "sqlite"
        and database not in ("", ":memory:")
        and not database.startswith("file:")
    ):
        if not Path(database).is_file():
            raise ErpConnectionError("database_missing", f"{described}: no such database file")
        if sqlite_database(Path(database)) is not None:
            raise ErpConnectionError("not_erp", f"{described}: not a SQLite database")
    try:
        with engine.connect() as conn, conn.begin():
            _key_tables(conn, described)
    except ErpConnectionError:
        raise
    except (ImportError, NoSuchModuleError) as exc:
        raise driver_error(url, exc) from exc
    except SQLAlchemyError as exc:
        raise ErpConnectionError(classify(exc), f"{described}: {_reason(exc)}") from exc


def _key_tables(conn: Connection, described: str) -> set[str]:
    """The database's tables; ``not_erp`` when one of the key tables is missing."""
    present = set(conn.dialect.get_table_names(conn))
    missing = [name for name in KEY_TABLES if name not in present]
    if missing:
        raise ErpConnectionError(
            "not_erp",
            f"{described}: not a Sage 100 company database (no table {', '.join(missing)})",
        )
    return present


def check_company(engine: Engine, url: URL, described: str) -> ErpCheck:
    """Connect, make sure the database is a Sage company, name it and its version, check rights."""
    database = url.database or ""
    local = url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if local and not database.startswith("file:") and not Path(database).is_file():
        raise ErpConnectionError("database_missing", f"{described}: no such database file")
    try:
        with engine.connect() as conn, conn.begin():
            return _check(conn, url, described)
    except ErpConnectionError:
        raise
    except (ImportError, NoSuchModuleError) as exc:
        raise driver_error(url, exc) from exc
    except SQLAlchemyError as exc:
        raise ErpConnectionError(classify(exc), f"{described}: {_reason(exc)}") from exc


def _check(conn: Connection, url: URL, described: str) -> ErpCheck:
    present = _key_tables(conn, described)
    dossier = schema.P_DOSSIER
    company = conn.execute(select(dossier.c.D_RaisonSoc).order_by(dossier.c.cbMarq)).scalar()
    columns = present_columns(conn, tuple(name for name in WRITTEN if name in present))
    version, notes = recognise(columns)
    every = schema.SAGE_TABLES  # described here only: a check looks at every table, a job at a third
    unreadable = [t.name for t in every if t.name in present and not _may(conn, url, t.name, "SELECT")]
    if unreadable:
        raise ErpConnectionError(
            "login_refused", f"{described}: the login may not read {', '.join(sorted(unreadable))}"
        )
    targets = [name for name in (*WRITTEN, *UPDATED) if name in present]
    unwritable = sorted(
        name for name in targets if not (_may(conn, url, name, "INSERT") and _may(conn, url, name, "UPDATE"))
    )
    if unwritable:
        raise ErpConnectionError(
            "read_only",
            f"{described}: the login may read but not write {', '.join(unwritable)} "
            "(enough for the jobs that only read the ERP; importing orders and payments needs "
            "INSERT and UPDATE on them)",
        )
    if "cbLock" not in present and url.get_backend_name() != "mssql":
        notes.append("no record locks to respect (replica without a cbLock table)")
    return ErpCheck(
        platform="Sage 100c",
        company=(company or "").strip() or "(company without a name)",
        database=f"{url.database or ''} ({url.get_backend_name()})",
        version=version,
        can_read=True,
        can_write=True,
        notes=tuple(notes),
    )


def recognise(columns: dict[str, frozenset[str]]) -> tuple[str, list[str]]:
    """The Sage version the schema shows, and which newer columns comptoir will fill."""
    header = columns.get("F_DOCENTETE", frozenset())
    recent = sorted(
        {
            c.name
            for name in WRITTEN
            for c in schema.table(name).c
            if c.info.get(RECENT) and c.name in columns.get(name, frozenset())
        }
    )
    if "cbCreationUser" in columns.get("F_DOCLIGNE", frozenset()) or "DO_Conversion" in header:
        version = "Sage 100 v9 or later (cbCreationUser, DO_Conversion, DO_PieceAcompte columns)"
    elif "DO_NetAPayer" in header:
        version = "Sage 100c with document totals (DO_TotalTTC, DO_NetAPayer), before v9"
    else:
        version = "Sage 100c v3 data model (no document totals in F_DOCENTETE)"
    notes = [f"fills the newer columns {', '.join(recent)}"] if recent else []
    return version, notes


def privilege_query(backend: str, table: str, privilege: str) -> Select[tuple[Any]] | None:
    """The query asking the server whether the login holds ``privilege`` on ``table`` (or ``None``
    where the server has no such question: SQLite's rights are the file's)."""
    if backend == "mssql":
        return select(func.HAS_PERMS_BY_NAME(literal(table), "OBJECT", privilege))
    if backend == "postgresql":
        return select(func.has_table_privilege(literal(f'"{table}"'), privilege))
    return None


def _may(conn: Connection, url: URL, table: str, privilege: str) -> bool:
    """Whether the login holds ``privilege`` on ``table`` (asked of the server, nothing written)."""
    query = privilege_query(url.get_backend_name(), table, privilege)
    if query is not None:
        return bool(conn.execute(query).scalar())
    if privilege == "SELECT":
        return True
    path = url.database or ""
    if path in ("", ":memory:") or path.startswith("file:"):
        return True
    return os.access(path, os.W_OK) and os.access(Path(path).resolve().parent, os.W_OK)
