"""``comptoir erp test``: the company and its version, or the failure named precisely."""

from __future__ import annotations

import sqlite3
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from comptoir.cli.erp import app
from comptoir.demo.company import build_company
from comptoir.erp.base import ErpConnectionError
from comptoir.erp.sage100 import Sage100Erp

runner = CliRunner()


def profile(tmp_path: Path, url: str, language: str = "en") -> Path:
    path = tmp_path / "erp.toml"
    path.write_text(
        f'name = "t"\nlanguage = "{language}"\n[erp]\nkind = "sage100"\nurl = "{url}"\n'
        '[shop]\nkind = "woocommerce"\nurl = "https://shop.example"\n',
        encoding="utf-8",
    )
    return path


def erp_test(tmp_path: Path, url: str, language: str = "en") -> tuple[int, str]:
    result = runner.invoke(app, ["test", "--profile", str(profile(tmp_path, url, language))])
    return result.exit_code, result.output


def test_names_the_company_its_version_and_rights(company_url: str, tmp_path: Path) -> None:
    code, output = erp_test(tmp_path, company_url, language="fr")
    assert code == 0, output
    assert "Test de la gestion commerciale réussi : Sage 100c: Comptoir Méridional" in output
    assert "v9 or later" in output and "read and write" in output
    assert "cbCreationUser" in output
    erp = Sage100Erp(company_url)
    try:
        check = erp.check()
    finally:
        erp.close()
    assert (check.company, check.can_read, check.can_write) == ("Comptoir Méridional", True, True)


@pytest.fixture
def own_company(empty_url: str) -> str:
    """A small company of its own (its schema may be changed: the shared one is reset by copy)."""
    build_company(empty_url)
    return empty_url


def test_an_older_schema_is_recognised(own_company: str) -> None:
    company_url = own_company
    engine = create_engine(company_url)
    with engine.begin() as conn:
        for table, column in [
            ("F_DOCENTETE", "DO_Conversion"),
            ("F_DOCREGL", "DO_PieceAcompte"),
            *[(t, "cbCreationUser") for t in ("F_DOCLIGNE", "F_DOCENTETE")],
        ]:
            conn.execute(text(f'ALTER TABLE "{table}" DROP COLUMN "{column}"'))
    engine.dispose()
    erp = Sage100Erp(company_url)
    try:
        check = erp.check()
    finally:
        erp.close()
    assert "before v9" in check.version


def test_driver_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyodbc", None)  # importing it fails, as on a machine without it
    code, output = erp_test(tmp_path, "mssql+pyodbc://comptoir@sql-server/BIJOU?driver=ODBC+Driver+18")
    assert code == 2, "the profile is refused when read, before any connection"
    assert "erp.url: the database driver 'pyodbc' is not installed" in output
    assert "pip install 'comptoir[sqlserver]'" in output
    assert "Traceback" not in output
    with pytest.raises(ErpConnectionError) as caught:  # the adapter names it too, for a URL from elsewhere
        Sage100Erp("mssql+pyodbc://comptoir@sql-server/BIJOU?driver=ODBC+Driver+18")
    assert caught.value.code == "driver_missing"


def test_host_unreachable(tmp_path: Path) -> None:
    code, output = erp_test(tmp_path, "postgresql+psycopg://comptoir@127.0.0.1:1/company")
    assert code == 1 and "ERP test failed: server unreachable" in output, output


def test_login_refused(postgres_server_url: str, tmp_path: Path) -> None:
    url = make_url(postgres_server_url).set(username=f"nobody_{uuid.uuid4().hex[:6]}")
    code, output = erp_test(tmp_path, url.render_as_string(hide_password=False))
    assert code == 1 and "ERP test failed: login refused" in output, output


def test_database_missing(postgres_server_url: str, tmp_path: Path) -> None:
    url = make_url(postgres_server_url).set(database=f"absent_{uuid.uuid4().hex[:6]}")
    code, output = erp_test(tmp_path, url.render_as_string(hide_password=False))
    assert code == 1 and "ERP test failed: database missing" in output, output
    code, output = erp_test(tmp_path, "sqlite:///nowhere/company.sqlite", language="fr")
    assert code == 1 and "base de données introuvable" in output, output
    assert not (tmp_path / "nowhere").exists(), "checking never creates a database"


def test_not_a_sage_database(postgres_url: str, tmp_path: Path) -> None:
    code, output = erp_test(tmp_path, postgres_url)
    assert code == 1 and "ERP test failed: not a database of the expected ERP" in output, output
    assert "not a Sage 100 company database (no table P_DOSSIER, F_ARTICLE" in output
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    code, output = erp_test(tmp_path, f"sqlite:///{other.as_posix()}")
    assert code == 1 and "not a Sage 100 company database" in output, output


def test_read_only_login(postgres_company: str, tmp_path: Path) -> None:
    role = f"reader_{uuid.uuid4().hex[:6]}"
    admin = create_engine(postgres_company, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    try:
        url = make_url(postgres_company).update_query_dict({"options": f"-c role={role}"})
        code, output = erp_test(tmp_path, url.render_as_string(hide_password=False))
        assert code == 1 and "ERP test failed: read-only login" in output, output
        assert "may read but not write F_ARTSTOCK" in output and "F_DOCENTETE" in output
        with pytest.raises(ErpConnectionError) as caught:
            erp = Sage100Erp(url)
            try:
                erp.check()
            finally:
                erp.close()
        assert caught.value.code == "read_only"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
