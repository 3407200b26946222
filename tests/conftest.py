"""Shared fixtures: a PostgreSQL server for the tests that need one."""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["woo_fixtures", "smtp_fixtures"]


@pytest.fixture(scope="session", autouse=True)
def own_runtime_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Warm start servers published by one test (``schedule/attach.py``) are found by its own
    commands only: not by another test worker's, nor by a service running on this machine."""
    saved = os.environ.get("COMPTOIR_RUNTIME_DIR")
    os.environ["COMPTOIR_RUNTIME_DIR"] = str(tmp_path_factory.mktemp("runtime"))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("COMPTOIR_RUNTIME_DIR", None)
        else:
            os.environ["COMPTOIR_RUNTIME_DIR"] = saved


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """URL of a running PostgreSQL (COMPTOIR_TEST_POSTGRES_URL, else ``scripts/postgres-up``)."""
    url = os.environ.get("COMPTOIR_TEST_POSTGRES_URL")
    if not url:
        out = subprocess.run(
            [str(ROOT / "scripts" / "postgres-up")], check=True, capture_output=True, text=True
        ).stdout
        match = re.search(r"COMPTOIR_TEST_POSTGRES_URL='([^']+)'", out)
        assert match, f"scripts/postgres-up printed no URL: {out!r}"
        url = match.group(1)
        os.environ["COMPTOIR_TEST_POSTGRES_URL"] = url
    return url


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
