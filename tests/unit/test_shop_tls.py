"""The shop clients' TLS trust: certifi plus the profile's authority, made once per file."""

from __future__ import annotations

import re
from pathlib import Path

import certifi
import pytest

from comptoir.profile.models import HttpOptions
from comptoir.shop.base import ShopError
from comptoir.shop.http import ssl_context

PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n", re.S)


def test_clients_trusting_the_same_authority_share_one_context(tmp_path: Path) -> None:
    first, second, *_ = PEM.findall(Path(certifi.where()).read_text(encoding="ascii"))
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(first, encoding="ascii")
    context = ssl_context(HttpOptions(ca_file=ca_file))
    assert ssl_context(HttpOptions(ca_file=ca_file, timeout=5)) is context
    assert ssl_context(HttpOptions()) is not context

    ca_file.write_text(first + second, encoding="ascii")  # a changed file is read again
    changed = ssl_context(HttpOptions(ca_file=ca_file))
    assert changed is not context

    ca_file.write_text("not a certificate\n", encoding="ascii")
    with pytest.raises(ShopError, match="not a readable PEM certificate file"):
        ssl_context(HttpOptions(ca_file=ca_file))
