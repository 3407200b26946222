"""Small checks of profile values, each usable as a pydantic validator or on its own.

Shape checks (a shop address, a database URL) raise ``ValueError`` with a message that reads
after the field's name (``shop.url: has no host name``): they hold on any machine. Checks of the
machine (a file that must exist, a folder that must be a folder, a database driver that must be
installed) return the problem as text, or ``None``, so the loader can list every problem of a
profile at once. None of them uses the network.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

DATABASE_EXAMPLES = "sqlite:///file.sqlite, postgresql+psycopg://user@host/db, mssql+pymssql://user@host/DB"
EXTRAS = {"mssql": ("sqlserver", "pymssql"), "postgresql": ("postgresql", "psycopg")}
"""Database kind → (extra of comptoir that installs its driver, that driver)."""


def http_url(value: str) -> str:
    """An ``http(s)://host[:port][/path]`` address, without credentials, query or fragment.

    Returns it without a trailing slash; raises ``ValueError`` saying what is wrong.
    """
    if not value.startswith(("https://", "http://")):
        raise ValueError("must start with https:// or http://")
    if any(char.isspace() or not char.isprintable() for char in value):
        raise ValueError(f"{value!r} contains spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        reason = str(exc)
        if "IPv6" in reason:
            raise ValueError(f"{value!r}: the host has an unclosed '[' (write https://[::1]:8443)") from None
        raise ValueError(f"{value!r}: the port must be a number from 1 to 65535") from None
    if not parts.hostname:
        raise ValueError(f"{value!r} has no host name (e.g. https://shop.example)")
    if port == 0:
        raise ValueError(f"{value!r}: the port must be a number from 1 to 65535")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "must not contain a user or password (an HTTP basic authentication goes in "
            "shop.http.basic_auth_user and basic_auth_password)"
        )
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"{value!r}: the shop address takes no '?query' or '#fragment'")
    try:
        parts.hostname.encode("idna")
    except UnicodeError:
        raise ValueError(f"{value!r}: {parts.hostname!r} is not a valid host name") from None
    return value.rstrip("/")


def database_url(value: str) -> str:
    """A SQLAlchemy URL of a database kind SQLAlchemy knows, with a synchronous driver.

    Only the URL's shape: whether its driver is installed on this machine is ``driver_problem``,
    checked when a profile is read. Raises ``ValueError`` naming what to fix.
    """
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):
        raise ValueError(f"{value!r} is not a database URL (e.g. {DATABASE_EXAMPLES})") from None
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"{url.get_backend_name()!r} is not a known database kind "
            "(comptoir works with sqlite, postgresql and mssql)"
        ) from None
    if getattr(dialect, "is_async", False):
        raise ValueError(f"{url.drivername} is an asynchronous driver; use {_suggested(url)}")
    return value


def database_url_without_password(value: str) -> str:
    """``database_url``, refusing a password written in the URL (it goes in a secret field)."""
    database_url(value)
    if make_url(value).password is not None:
        raise ValueError('must not contain the password: give it as password = "env:VARIABLE"')
    return value


def no_password_for_sqlite(url: str | None, password: str | None) -> None:
    """Raise ``ValueError`` when a password is given for a SQLite database (it takes none)."""
    if password is not None and url is not None and is_sqlite(url):
        raise ValueError("a SQLite database takes no password: remove it")


def driver_problem(value: str) -> str | None:
    """Why this machine cannot open the database URL ``value`` (its driver is not installed, with
    the package to install: ``pip install 'comptoir[sqlserver]'`` for SQL Server), or ``None``."""
    url = make_url(value)
    try:
        url.get_dialect().import_dbapi()
    except ImportError:
        return f"the database driver {url.get_driver_name()!r} is not installed: {install_hint(url)}"
    return None


def _suggested(url: URL) -> str:
    backend = url.get_backend_name()
    extra = EXTRAS.get(backend)
    return f"{backend}+{extra[1]}://…" if extra else f"a synchronous driver for {backend}"


def install_hint(url: URL) -> str:
    """What to install so that SQLAlchemy can open ``url`` (the comptoir extra when there is one)."""
    backend, driver = url.get_backend_name(), url.get_driver_name()
    extra = EXTRAS.get(backend)
    if extra is None:
        return f"install the Python package providing {driver!r}"
    name, provided = extra
    if driver == provided:
        return f"pip install 'comptoir[{name}]'"
    return (
        f"install the Python package {driver!r}, "
        f"or write {backend}+{provided}://… and pip install 'comptoir[{name}]'"
    )


SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_database(path: Path) -> str | None:
    """``None`` when ``path`` can hold a SQLite database (absent, empty, or one already), else the problem."""
    problem = optional_file(path)
    if problem is not None or not path.is_file():
        return problem
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
    if header and header != SQLITE_HEADER:
        return f"{path}: is not a SQLite database"
    return None


def is_sqlite(value: str) -> bool:
    """Whether a (valid) database URL names a SQLite database."""
    return make_url(value).get_backend_name() == "sqlite"


def sqlite_file(value: str) -> Path | None:
    """The file of a SQLite URL (``None`` for an in-memory database or another kind)."""
    url = make_url(value)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = url.database
    if database.startswith("file:"):
        database = database[len("file:") :].partition("?")[0]
    return Path(database)


def readable_file(path: Path) -> str | None:
    """``None`` when ``path`` is a file that can be read, else the problem."""
    if not path.exists():
        return f"{path}: no such file"
    if not path.is_file():
        return f"{path}: is a folder, not a file"
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return f"{path}: cannot be read ({exc.strerror or exc})"
    return None


def certificate_file(path: Path) -> str | None:
    """``None`` when ``path`` holds PEM certificates, else the problem."""
    problem = readable_file(path)
    if problem is not None:
        return problem
    try:
        # A bare client context: the system's authorities (a default context loads them) are not
        # what is checked here.
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(path))
    except (ssl.SSLError, ValueError, OSError):
        return f"{path}: not a PEM certificate file"
    return None


def usable_folder(path: Path) -> str | None:
    """``None`` when ``path`` is a folder, or could be created as one, else the problem."""
    if path.exists():
        return None if path.is_dir() else f"{path}: is a file, not a folder"
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{path}: {parent} is a file, not a folder"
    return None


def optional_file(path: Path) -> str | None:
    """``None`` when ``path`` does not exist yet or is a file, else the problem."""
    if path.exists() and not path.is_file():
        return f"{path}: is a folder, not a file"
    return usable_folder(path.parent)
