"""Webservice keys: 32 characters, active or not, with per-resource method permissions.

As ``WebserviceKey`` (PrestaShop 9.0.0 classes/webservice/WebserviceKey.php): ``isKeyActive`` and
``getPermissionForAccount`` look the key up with ``WHERE key = '…'`` — MySQL's default collation
compares case-insensitively, so a key in other case still authenticates; permissions are rows of
(resource, method). The back office generates keys of 32 upper-case letters and digits.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from comptoir.sandbox.core.store import Record, Store

KIND = "ws_key"
ALL_METHODS = ("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD")
_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class Key:
    key: str
    active: bool
    permissions: dict[str, list[str]]


def new_key() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(32))


def create(
    store: Store,
    permissions: dict[str, list[str]],
    *,
    description: str = "",
    active: bool = True,
    key: str | None = None,
) -> str:
    """Record a key with ``{resource: [methods]}`` permissions; returns the key."""
    value = key or new_key()
    ident = store.next_id(KIND)
    store.put(
        KIND,
        ident,
        {"id": ident, "key": value, "active": active, "description": description, "permissions": permissions},
    )
    return value


def find(store: Store, key: str) -> Key | None:
    found = store.lookup("ws_key", key)
    if found is None:
        return None
    record: Record | None = store.get(KIND, found[1])
    if record is None:
        return None
    return Key(record["key"], bool(record["active"]), {k: list(v) for k, v in record["permissions"].items()})


def set_active(store: Store, key: str, active: bool) -> None:
    found = store.lookup("ws_key", key)
    if found is None:
        raise KeyError(key)
    record = dict(store.get(KIND, found[1]) or {})
    record["active"] = active
    store.put(KIND, found[1], record)


def full_access(resources: tuple[str, ...], methods: tuple[str, ...] = ALL_METHODS) -> dict[str, list[str]]:
    """Every method on every resource, as the back office's "all" checkboxes give."""
    return {name: list(methods) for name in resources}
