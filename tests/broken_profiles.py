"""Broken profiles of every kind a user writes by mistake, each with the field it must be refused on.

``LOAD_TIME`` ones are refused when the profile is read, by every command; ``AT_OPEN`` ones are
valid text naming a database that cannot be used, refused when it is opened (the refusal names the
database's URL, so ``field`` is its file name).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BASE = """name = "broken"
[erp]
kind = "sage100"
url = "sqlite:///company.sqlite"
[shop]
kind = "woocommerce"
url = "https://127.0.0.1:9"
[shop.http]
timeout = 2
max_attempts = 1
"""
"""A profile whose shop is a closed local port: nothing here ever reaches the network."""

SECRETS = {"COMPTOIR_SHOP_KEY": "ck_test", "COMPTOIR_SHOP_SECRET": "cs_test", "COMPTOIR_ERP_PASSWORD": "pw"}
"""Environment under which every secret the broken profiles reference is set."""


@dataclass(frozen=True)
class Broken:
    name: str
    text: str | bytes
    field: str
    """What the refusal names: a field (``shop.url``) or, for the file itself, the problem."""


def _edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


LOAD_TIME = [
    Broken("shop url unclosed bracket", _edit("https://127.0.0.1:9", "https://[::1"), "shop.url"),
    Broken("shop url port too large", _edit("https://127.0.0.1:9", "https://127.0.0.1:99999"), "shop.url"),
    Broken("shop url without host", _edit("https://127.0.0.1:9", "https://"), "shop.url"),
    Broken("erp url not a url", _edit("sqlite:///company.sqlite", "not a url"), "erp.url"),
    Broken("erp url unknown kind", _edit("sqlite:///company.sqlite", "nosuchdb://u@127.0.0.1/x"), "erp.url"),
    Broken(
        "erp password on sqlite",
        _edit('url = "sqlite:///company.sqlite"', 'url = "sqlite:///company.sqlite"\npassword = "env:X"'),
        "erp.password",
    ),
    Broken("ca file missing", BASE + 'ca_file = "missing.pem"\n', "shop.http.ca_file"),
    Broken("state url not a url", BASE + '[state]\nurl = "nope nope"\n', "state.url"),
    Broken("data dir is a file", 'data_dir = "a-file"\n' + BASE, "data_dir"),
    Broken("state file not a database", BASE + '[state]\nurl = "sqlite:///junk.sqlite"\n', "state.url"),
    Broken("not utf-8", BASE.replace('"broken"', '"caf\xe9"').encode("latin-1"), "not UTF-8"),
]

AT_OPEN = [
    Broken(
        "erp sqlite file missing", _edit("company.sqlite", "no-such-company.sqlite"), "no-such-company.sqlite"
    ),
    Broken("erp database without the erp's tables", _edit("company.sqlite", "empty.sqlite"), "empty.sqlite"),
    Broken("erp file not a database", _edit("company.sqlite", "junk.sqlite"), "junk.sqlite"),
]


def write_broken(folder: Path, broken: Broken) -> Path:
    """Write ``broken`` as ``folder/<name>.toml`` next to the files it refers to; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-file").write_text("not a folder\n", encoding="utf-8")
    (folder / "empty.sqlite").touch()
    (folder / "junk.sqlite").write_bytes(b"this is not a database" * 10)
    path = folder / (broken.name.replace(" ", "-").replace("'", "") + ".toml")
    if isinstance(broken.text, bytes):
        path.write_bytes(broken.text)
    else:
        path.write_text(broken.text, encoding="utf-8")
    return path
