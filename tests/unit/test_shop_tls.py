"""The shop clients' TLS trust: certifi plus the profile's authority, made once per file, loaded by
the first request."""

from __future__ import annotations

import re
from pathlib import Path

import certifi
import pytest

from comptoir.profile.models import HttpOptions
from comptoir.profile.secrets import SecretResolver
from comptoir.shop.base import ShopError
from comptoir.shop.http import ShopHttpClient, ssl_context

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


async def test_the_trust_is_loaded_by_the_first_request_not_when_the_client_opens(tmp_path: Path) -> None:
    """A run with nothing to send never reads certifi's bundle: the client is made at the first
    request, which then says what is wrong with the authority file before sending anything."""
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("not a certificate\n", encoding="ascii")
    client = ShopHttpClient("https://127.0.0.1:9", HttpOptions(ca_file=ca_file), SecretResolver(None, {}))
    with pytest.raises(ShopError, match="not a readable PEM certificate file") as failed:
        await client.request("GET", "/")
    assert failed.value.code == "tls"
    assert client.stats.requests == 0
    await client.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await client.request("GET", "/")
