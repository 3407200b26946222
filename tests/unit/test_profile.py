"""Profiles: TOML loading, field-named errors, secrets only by reference."""

from __future__ import annotations

from pathlib import Path

import pytest

from comptoir.profile import ProfileError, SecretError, SecretResolver, load_profile
from comptoir.profile.secrets import read_secrets_file, write_secrets_file

GOOD = """
name = "boutique"
[erp]
kind = "sage100"
url = "sqlite:///company.sqlite"
[shop]
kind = "woocommerce"
url = "https://shop.example/"
[orders]
tax_codes = { "20" = "C20", "5.5" = "C05" }
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_defaults_and_resolves_relative_paths(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, GOOD))
    assert profile.shop.url == "https://shop.example"
    assert profile.shop.http.timeout == 30
    assert profile.shop.http.request_delay_ms == 25
    assert profile.shop.http.max_attempts == 3
    assert profile.erp.url == f"sqlite:///{(tmp_path / 'company.sqlite').as_posix()}"
    assert profile.state_url() == f"sqlite:///{(tmp_path / 'state.sqlite').as_posix()}"
    from decimal import Decimal

    assert profile.orders.tax_code_for(Decimal("5.50")) == "C05"
    assert profile.orders.tax_code_for(Decimal("10")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace('url = "https://shop.example/"', 'url = "shop.example"'),
            "shop.url: must start with https://",
        ),
        (GOOD + '\n[stock]\nquantity = "lots"\n', "stock.quantity: Input should be"),
        (GOOD.replace('url = "sqlite:///company.sqlite"', ""), "erp.url: is required"),
        (
            GOOD.replace('kind = "woocommerce"', 'kind = "magento"'),
            "shop.kind: 'magento' is not a known shop",
        ),
        (GOOD.replace('kind = "sage100"', ""), "erp.kind: is required (known: sage100)"),
        (GOOD + "\n[shop.http]\ntimeout = -1\n", "shop.http.timeout: Input should be greater than 0"),
        (GOOD + "\n[prices]\ncolour = 1\n", "prices.colour: is not a known option"),
        (
            GOOD.replace(
                'url = "https://shop.example/"', 'url = "https://s.example"\nconsumer_key = "ck_123"'
            ),
            "shop.consumer_key: secrets must not be written in a profile",
        ),
    ],
)
def test_errors_name_the_field(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, text))
    assert any(problem.startswith(expected) for problem in caught.value.problems), caught.value.problems


def test_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(write(tmp_path, "name = "))
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(tmp_path / "nope.toml")


def test_secrets_from_environment_then_private_file(tmp_path: Path) -> None:
    secrets_file = tmp_path / "secrets.env"
    write_secrets_file(secrets_file, {"SHOP_KEY": "from-file", "OTHER": "x"})
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    resolver = SecretResolver(secrets_file, environ={"SHOP_KEY": "from-env"})
    assert resolver.get("env:SHOP_KEY", field="shop.consumer_key") == "from-env"
    assert resolver.get("env:OTHER", field="x") == "x"
    with pytest.raises(
        SecretError, match=r"shop\.consumer_secret: the environment variable MISSING is not set"
    ):
        resolver.get("env:MISSING", field="shop.consumer_secret")


def test_secrets_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    path.write_text("A=1\n")
    path.chmod(0o644)
    with pytest.raises(SecretError, match="owner only"):
        read_secrets_file(path)
