"""Opening the ERP a profile names: a wrong path or database is named, never created empty."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from comptoir.erp.base import ErpConnectionError
from comptoir.erp.sage100.settings import Sage100Settings
from comptoir.profile import SecretResolver
from comptoir.registry import open_erp

NO_SECRETS = SecretResolver(environ={})


def refused(url: str) -> ErpConnectionError:
    with pytest.raises(ErpConnectionError) as caught:
        open_erp(Sage100Settings(url=url), NO_SECRETS)
    return caught.value


def test_a_missing_sqlite_file_is_named_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "compagny.sqlite"
    url = f"sqlite:///{path.as_posix()}"
    error = refused(url)
    assert (error.code, str(error)) == ("database_missing", f"{url}: no such database file")
    assert not path.exists() and not path.parent.exists()


def test_the_adapter_never_creates_the_file_itself(tmp_path: Path) -> None:
    from comptoir.erp.sage100 import Sage100Erp

    path = tmp_path / "compagny.sqlite"
    erp = Sage100Erp(f"sqlite:///{path.as_posix()}")
    try:
        with erp.engine.connect():
            pass
    except Exception as exc:  # the driver's own error: what matters is the file left uncreated
        assert "unable to open database file" in str(exc)
    else:
        raise AssertionError("a missing SQLite file was opened")
    finally:
        erp.close()
    assert not path.exists()


def test_a_database_without_the_erp_tables_is_named(empty_url: str) -> None:
    database = make_url(empty_url).database
    if make_url(empty_url).get_backend_name() == "sqlite":
        assert database is not None
        Path(database).touch()
    error = refused(empty_url)
    shown = make_url(empty_url).render_as_string(hide_password=True)
    assert error.code == "not_erp"
    assert str(error) == (
        f"{shown}: not a Sage 100 company database (no table P_DOSSIER, F_ARTICLE, F_COMPTET, "
        "F_DOCENTETE, F_DOCLIGNE, F_DOCCURRENTPIECE)"
    )


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    path = tmp_path / "company.sqlite"
    path.write_text("Nom;Prix\nMiel;12,50\n", encoding="utf-8")
    url = f"sqlite:///{path.as_posix()}"
    error = refused(url)
    assert (error.code, str(error)) == ("not_erp", f"{url}: not a SQLite database")


def test_a_company_opens(company_url: str) -> None:
    erp = open_erp(Sage100Settings(url=company_url), NO_SECRETS)
    try:
        assert erp.check().company == "Comptoir Méridional"
    finally:
        erp.close()


def test_an_unreachable_server_is_named_as_such() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://comptoir@127.0.0.1:{port}/company"
    error = refused(url)
    assert error.code == "unreachable"
    assert str(error).startswith(f"{url}: ")
