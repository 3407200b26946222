"""The one registry of platforms: ``kind`` → the descriptor its package exports.

Adding a platform is one package (``shop/<name>/`` or ``erp/<name>/``, exporting ``PLATFORM``
from its ``platform`` module) and one line in ``SHOPS`` or ``ERPS``. Descriptors are imported
only when asked for, so a command pays only for the platforms its profile uses.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from comptoir.erp.base import Erp
    from comptoir.erp.platform import ErpPlatform
    from comptoir.profile import ErpSettings, SecretResolver, ShopSettings
    from comptoir.shop.base import Shop
    from comptoir.shop.platform import ShopPlatform

SHOPS: dict[str, str] = {
    "woocommerce": "comptoir.shop.woocommerce.platform",
    "prestashop": "comptoir.shop.prestashop.platform",
}
"""Shop kind → module exporting its ``PLATFORM`` (a ``ShopPlatform``)."""

ERPS: dict[str, str] = {
    "sage100": "comptoir.erp.sage100.platform",
}
"""ERP kind → module exporting its ``PLATFORM`` (an ``ErpPlatform``)."""


class UnknownPlatform(LookupError):
    """A ``kind`` no registry line names."""


def _load(table: dict[str, str], kind: object, what: str) -> object:
    module = table.get(str(kind))
    if module is None:
        known = ", ".join(sorted(table))
        raise UnknownPlatform(f"{kind!r} is not a known {what} (known: {known})")
    return import_module(module).PLATFORM


def shop_platform(kind: object) -> ShopPlatform:
    """The descriptor of a shop platform; ``UnknownPlatform`` when no line names it."""
    return cast("ShopPlatform", _load(SHOPS, kind, "shop platform"))


def erp_platform(kind: object) -> ErpPlatform:
    """The descriptor of an ERP; ``UnknownPlatform`` when no line names it."""
    return cast("ErpPlatform", _load(ERPS, kind, "ERP"))


def shop_settings_model(kind: object) -> type[ShopSettings]:
    return shop_platform(kind).settings


def erp_settings_model(kind: object) -> type[ErpSettings]:
    return erp_platform(kind).settings


def open_shop(settings: ShopSettings, secrets: SecretResolver) -> Shop:
    """A client for the shop of ``settings``; call ``aclose()`` when done."""
    return shop_platform(settings.kind).open(settings, secrets)


def open_erp(settings: ErpSettings, secrets: SecretResolver) -> Erp:
    """A connection to the ERP of ``settings``; call ``close()`` when done.

    The adapter first makes sure the database is its ERP's (``Erp.verify``): a wrong path or
    database name is an ``ErpConnectionError`` naming the URL, never an empty company.
    """
    erp = erp_platform(settings.kind).open(settings, secrets)
    try:
        erp.verify()
    except BaseException:
        erp.close()
        raise
    return erp
