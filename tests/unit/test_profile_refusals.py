"""Every profile mistake is refused by name when the profile is read: addresses, database URLs and
drivers, files and folders, the file's own encoding. Nothing here uses the network."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from broken_profiles import BASE, LOAD_TIME, Broken, write_broken
from comptoir.profile import ProfileError, SecretError, load_profile
from comptoir.profile.secrets import read_secrets_file
from comptoir.profile.validators import database_url, http_url


@pytest.mark.parametrize("broken", LOAD_TIME, ids=lambda b: b.name)
def test_each_mistake_names_its_field(tmp_path: Path, broken: Broken) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(write_broken(tmp_path, broken))
    assert len(caught.value.problems) == 1, caught.value.problems
    assert broken.field in caught.value.problems[0]


def test_the_same_profile_mended_loads(tmp_path: Path) -> None:
    (tmp_path / "company.sqlite").touch()
    profile = load_profile(write_broken(tmp_path, Broken("fine", BASE, "")))
    assert profile.shop.url == "https://127.0.0.1:9"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://[::1", "unclosed '['"),
        ("https://127.0.0.1:99999", "port must be a number from 1 to 65535"),
        ("https://shop.example:0", "port must be a number from 1 to 65535"),
        ("https://shop.example:abc", "port must be a number from 1 to 65535"),
        ("https://", "has no host name"),
        ("https:///path", "has no host name"),
        ("https://shop example.fr", "spaces or control characters"),
        ("https://user:pw@shop.example", "must not contain a user or password"),
        ("https://shop.example/?lang=fr", "takes no '?query'"),
        ("https://shop.example/#top", "takes no '?query'"),
        ("ftp://shop.example", "must start with https:// or http://"),
    ],
)
def test_shop_addresses_refused(url: str, expected: str) -> None:
    with pytest.raises(ValueError, match=re.escape(expected)):
        http_url(url)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://shop.example/", "https://shop.example"),
        ("https://[::1]:8443/", "https://[::1]:8443"),
        ("http://127.0.0.1:8080/boutique/", "http://127.0.0.1:8080/boutique"),
        ("https://boutique-été.fr", "https://boutique-été.fr"),
    ],
)
def test_shop_addresses_accepted(url: str, kept: str) -> None:
    assert http_url(url) == kept


@pytest.mark.parametrize(
    ("url", "module", "expected"),
    [
        ("mssql+pymssql://u@host/BIJOU", "pymssql", "pip install 'comptoir[sqlserver]'"),
        ("postgresql+psycopg://u@host/db", "psycopg", "pip install 'comptoir[postgresql]'"),
        (
            "mssql+pyodbc://u@host/BIJOU?driver=ODBC+Driver+18+for+SQL+Server",
            "pyodbc",
            "install the Python package 'pyodbc', or write mssql+pymssql://… "
            "and pip install 'comptoir[sqlserver]'",
        ),
    ],
)
def test_a_missing_driver_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, module: str, expected: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # importing it now fails, as on a machine without it
    assert database_url(url) == url, "the URL's shape is right on any machine"
    for table in ("erp", "state"):
        path = tmp_path / f"{table}.toml"
        path.write_text(
            BASE + f'[{table}]\nurl = "{url}"\n'
            if table == "state"
            else BASE.replace("sqlite:///company.sqlite", url)
        )
        with pytest.raises(ProfileError) as caught:
            load_profile(path)
        message = f"{table}.url: the database driver {module!r} is not installed: {expected}"
        assert caught.value.problems == [message]


def test_database_urls_refused() -> None:
    with pytest.raises(ValueError, match="'nope nope' is not a database URL"):
        database_url("nope nope")
    with pytest.raises(ValueError, match="'nosuchdb' is not a known database kind"):
        database_url("nosuchdb://u@127.0.0.1/x")
    with pytest.raises(ValueError, match="postgresql\\+asyncpg is an asynchronous driver; use postgresql"):
        database_url("postgresql+asyncpg://u@host/db")
    assert database_url("sqlite:///company.sqlite") == "sqlite:///company.sqlite"


def test_a_password_in_the_erp_url_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(BASE.replace("sqlite:///company.sqlite", "postgresql+psycopg://u:hunter2@h/db"))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.problems == [
        'erp.url: must not contain the password: give it as password = "env:VARIABLE"'
    ]
    assert "hunter2" not in str(caught.value)


def test_files_and_folders(tmp_path: Path) -> None:
    folder = tmp_path / "profile.toml"
    folder.mkdir()
    with pytest.raises(ProfileError, match="is a folder, not a profile file"):
        load_profile(folder)
    (tmp_path / "certs").mkdir()
    (tmp_path / "not-pem.crt").write_text("hello\n")
    cases = {
        'ca_file = "certs"\n': "shop.http.ca_file: " + str(tmp_path / "certs") + ": is a folder, not a file",
        'ca_file = "not-pem.crt"\n': "shop.http.ca_file: "
        + str(tmp_path / "not-pem.crt")
        + ": not a PEM certificate file",
    }
    for line, expected in cases.items():
        path = tmp_path / "p.toml"
        path.write_text(BASE + line)
        with pytest.raises(ProfileError) as caught:
            load_profile(path)
        assert caught.value.problems == [expected]
    path.write_text('secrets_file = "certs"\n' + BASE)
    with pytest.raises(ProfileError, match=r"secrets_file: .*certs: is a folder, not a file"):
        load_profile(path)
    path.write_text('data_dir = "not-pem.crt/below"\n' + BASE)
    with pytest.raises(ProfileError, match=r"data_dir: .*not-pem\.crt is a file, not a folder"):
        load_profile(path)


def test_a_byte_order_mark_is_accepted_and_latin1_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode("utf-8"))
    assert load_profile(path).name == "broken"
    path.write_bytes(b"# caf\xe9\n" + BASE.encode("utf-8"))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert caught.value.problems == ["not UTF-8 text (byte 0xe9 on line 1): save the file as UTF-8"]


def test_a_secrets_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    path.write_bytes(b"KEY=caf\xe9\n")
    path.chmod(0o600)
    with pytest.raises(SecretError, match=r"secrets\.env: the secrets file is not UTF-8 text"):
        read_secrets_file(path)
