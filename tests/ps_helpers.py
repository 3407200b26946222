"""Helpers for tests speaking to the PrestaShop sandbox as a webservice client would."""

from __future__ import annotations

import re
import ssl
from typing import Any

import httpx

from comptoir.profile import HttpOptions, SecretResolver
from comptoir.sandbox.prestashop import PrestaShopSandbox
from comptoir.sandbox.prestashop.demo_shop import TAX_RULES_GROUPS
from comptoir.shop.prestashop import PrestaShopShop
from comptoir.shop.prestashop.settings import PrestaShopSettings


def client(server: PrestaShopSandbox, key: str | None = None, **options: Any) -> httpx.Client:
    """A client of the webservice with ``key`` (the admin key by default) as Basic user."""
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    auth = (server.admin_key if key is None else key, "")
    options.setdefault("timeout", 10)
    return httpx.Client(base_url=server.api_url, verify=verify, auth=auth, **options)


def anonymous(server: PrestaShopSandbox) -> httpx.Client:
    verify = ssl.create_default_context(cafile=str(server.ca_file))
    return httpx.Client(base_url=server.api_url, verify=verify, timeout=10)


def xml(resource: str, body: str) -> str:
    """A write body: ``<prestashop><resource>…</resource></prestashop>``."""
    return f'<?xml version="1.0" encoding="UTF-8"?><prestashop><{resource}>{body}</{resource}></prestashop>'


def names(fr: str, en: str | None = None, field: str = "name") -> str:
    return f'<{field}><language id="1">{fr}</language><language id="2">{en or fr}</language></{field}>'


def product(reference: str = "BOL-1", price: str = "19.9", extra: str = "") -> str:
    return xml(
        "product",
        f"<price>{price}</price><reference>{reference}</reference><active>1</active>"
        f"<id_tax_rules_group>1</id_tax_rules_group><id_category_default>2</id_category_default>"
        f"{names('Bol à café', 'Coffee bowl')}{extra}"
        "<associations><categories><category><id>2</id></category></categories></associations>",
    )


def create(http: httpx.Client, resource: str, body: str) -> dict[str, Any]:
    """POST an XML body and return the created object (read back as JSON)."""
    answer = http.post(f"/{resource}", content=body)
    assert answer.status_code == 201, answer.text
    ident = int(answer.text.split("<id><![CDATA[", 1)[1].split("]]>", 1)[0])
    fetched = http.get(f"/{resource}/{ident}", params={"output_format": "JSON"}).json()
    return dict(next(iter(fetched.values())))


def errors(answer: httpx.Response) -> list[tuple[int, str]]:
    """(code, message) pairs of an error answer, XML or JSON."""
    if answer.headers.get("content-type", "").startswith("application/json"):
        return [(e["code"], e["message"]) for e in answer.json()["errors"]]
    pairs = re.findall(
        r"<code><!\[CDATA\[(\d+)\]\]></code>\s*<message><!\[CDATA\[(.*?)\]\]></message>", answer.text, re.S
    )
    return [(int(code), message) for code, message in pairs]


def adapter(server: PrestaShopSandbox, key: str | None = None, **settings: Any) -> PrestaShopShop:
    """The adapter on ``server`` (its admin key unless given; the demo's tax rules groups)."""
    http = {"ca_file": server.ca_file, "request_delay_ms": 0, "timeout": 10.0, **settings.pop("http", {})}
    options = {"tax_rules_groups": TAX_RULES_GROUPS, **settings}
    made = PrestaShopSettings(url=server.url, http=HttpOptions(**http), **options)
    secrets = SecretResolver(environ={"COMPTOIR_SHOP_KEY": server.admin_key if key is None else key})
    return PrestaShopShop.from_settings(made, secrets, backoff_base=0.01)


def get(server: PrestaShopSandbox, path: str, **params: str) -> Any:
    """A JSON read of the webservice with the admin key."""
    with client(server) as http:
        answer = http.get(path, params={"output_format": "JSON", **params})
        answer.raise_for_status()
        return answer.json()


def listed(server: PrestaShopSandbox, resource: str, **params: str) -> list[dict[str, Any]]:
    """Every object of ``resource`` matching ``params`` (``display=full``)."""
    body = get(server, f"/{resource}", display="full", **params)
    return list(body[resource]) if isinstance(body, dict) else []
