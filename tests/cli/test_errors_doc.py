"""docs/errors.md shows each refusal exactly as comptoir prints it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from broken_profiles import AT_OPEN, LOAD_TIME, Broken, write_broken
from comptoir.erp.base import ErpConnectionError
from comptoir.profile import ProfileError, load_profile, secret_resolver
from comptoir.profile.validators import database_url, driver_problem
from comptoir.registry import open_erp

DOC = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
SHOWN_FOLDER = "/srv/comptoir"


def refusal(folder: Path, broken: Broken) -> str:
    """The line ``comptoir profile check`` prints for ``broken``."""
    path = write_broken(folder, broken)
    try:
        profile = load_profile(path)
    except ProfileError as exc:
        (problem,) = exc.problems
        return problem
    with pytest.raises(ErpConnectionError) as caught:
        open_erp(profile.erp, secret_resolver(profile))
    return f"erp.url: {caught.value}"


@pytest.mark.parametrize("broken", LOAD_TIME + AT_OPEN, ids=lambda b: b.name)
def test_each_refusal_is_documented_as_printed(tmp_path: Path, broken: Broken) -> None:
    line = refusal(tmp_path, broken).replace(tmp_path.as_posix(), SHOWN_FOLDER)
    assert f"`{line}`" in DOC


@pytest.mark.parametrize(
    ("url", "module"),
    [
        ("mssql+pymssql://u@h/DB", "pymssql"),
        ("postgresql+psycopg://u@h/db", "psycopg"),
        ("mssql+pyodbc://u@h/DB", "pyodbc"),
    ],
)
def test_driver_refusals_are_documented_as_printed(
    monkeypatch: pytest.MonkeyPatch, url: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    assert f"`erp.url: {driver_problem(url)}`" in DOC


def test_the_async_driver_refusal_is_documented_as_printed() -> None:
    with pytest.raises(ValueError) as caught:
        database_url("postgresql+asyncpg://u@h/db")
    assert f"`erp.url: {caught.value}`" in DOC
