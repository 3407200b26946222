"""Fixtures of the Sage 100c tests: demo companies on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from comptoir.demo.company import build_company
from comptoir.erp.sage100 import Sage100Erp
from comptoir.erp.sage100.schema import metadata

BACKENDS = ["sqlite", "postgresql"]


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A fresh empty database on the test's backend."""
    if backend == "sqlite":
        return _sqlite_url(tmp_path / "empty.sqlite")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo company built once on SQLite; tests write into copies of it."""
    path = tmp_path_factory.mktemp("template") / "company.sqlite"
    build_company(_sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def postgres_company(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL database holding the small demo company and a pristine copy of every table.

    Tests that write get the company back in its pristine state (see ``_reset``): much faster
    than creating a database per test.
    """
    server = str(request.getfixturevalue("postgres_server_url"))
    name = f"w_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        admin.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    build_company(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA pristine"))
        for table in metadata.sorted_tables:
            conn.execute(text(f'CREATE TABLE pristine."{table.name}" AS TABLE public."{table.name}"'))
    engine.dispose()
    yield url
    with _admin(server) as admin:
        admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _reset(url: str) -> None:
    """Put every table of the PostgreSQL company back as it was built (rows and identities)."""
    engine = create_engine(url)
    names = [table.name for table in metadata.sorted_tables]
    try:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            conn.execute(text("TRUNCATE " + ", ".join(f'public."{n}"' for n in names)))
            for table in metadata.sorted_tables:
                target, source = f'public."{table.name}"', f'pristine."{table.name}"'
                conn.execute(text(f"INSERT INTO {target} OVERRIDING SYSTEM VALUE SELECT * FROM {source}"))
                if "cbMarq" in table.c:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('public.\"{table.name}\"', 'cbMarq'), "
                            f'COALESCE((SELECT MAX("cbMarq") FROM public."{table.name}"), 0) + 1, false)'
                        )
                    )
    finally:
        engine.dispose()


@contextmanager
def _admin(server: str) -> Iterator[Connection]:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


@pytest.fixture
def company_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh copy of the small demo company (for tests that write)."""
    if backend == "sqlite":
        path = tmp_path / "company.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield _sqlite_url(path)
        return
    url = str(request.getfixturevalue("postgres_company"))
    _reset(url)
    yield url


@pytest.fixture
def erp(company_url: str) -> Iterator[Sage100Erp]:
    adapter = Sage100Erp(company_url, user_code="TEST")
    yield adapter
    adapter.close()


@pytest.fixture(scope="module", params=BACKENDS)
def shared_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One small demo company per module and backend, for tests that only read."""
    if request.param == "sqlite":
        url = _sqlite_url(tmp_path_factory.mktemp("shared") / "company.sqlite")
        build_company(url)
        yield url
        return
    server = str(request.getfixturevalue("postgres_server_url"))
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        build_company(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def reader(shared_url: str) -> Iterator[Sage100Erp]:
    adapter = Sage100Erp(shared_url, user_code="TEST")
    yield adapter
    adapter.close()


def query(url: str, sql: str, **params: Any) -> list[Any]:
    """Rows of a raw SQL query (names quoted for PostgreSQL's case-sensitive identifiers)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


Query = Callable[..., list[Any]]


@pytest.fixture
def sql() -> Query:
    """``sql(url, statement, **params)``: rows of a raw SQL statement (identifiers double-quoted)."""
    return query
