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
def postgres_template(request: pytest.FixtureRequest) -> Iterator[str]:
    """The small demo company built once on PostgreSQL, as a template database."""
    server = str(request.getfixturevalue("postgres_server_url"))
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        admin.execute(text(f'CREATE DATABASE "{name}"'))
    build_company(make_url(server).set(database=name).render_as_string(hide_password=False))
    yield name
    with _admin(server) as admin:
        admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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
    template = str(request.getfixturevalue("postgres_template"))
    server = str(request.getfixturevalue("postgres_server_url"))
    name = f"t_{uuid.uuid4().hex[:12]}"
    with _admin(server) as admin:
        admin.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin(server) as admin:
            admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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
