"""Edit profile files from the dashboard, the file staying the source of truth.

Changes go through tomlkit, which keeps the file's comments, order and layout; the result is
validated with the same loader as every command (same field-named problems) and written in one
atomic step only when valid, so a file and the dashboard never disagree.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from comptoir.profile import Profile, ProfileError
from comptoir.profile.loader import parse_profile


def check_text(text: str, path: Path) -> tuple[Profile | None, list[str]]:
    """The profile a TOML text gives at ``path``, or the problems (named by field)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [f"not valid TOML ({exc})"]
    try:
        return parse_profile(data, path.parent.resolve(), path), []
    except ProfileError as exc:
        return None, list(exc.problems)


def write_atomic(path: Path, text: str) -> None:
    """Replace the file in one step (a reader never sees half a file), keeping its permissions."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _table(doc: Any, keys: tuple[str, ...]) -> Any:
    """The (super-)table at ``keys``, created when missing."""
    node = doc
    for key in keys:
        if key not in node:
            node[key] = tomlkit.table()
        node = node[key]
    return node


def _inline(value: Mapping[str, Any]) -> Any:
    table = tomlkit.inline_table()
    for name, item in value.items():
        table[name] = _inline(item) if isinstance(item, Mapping) else item
    return table


def set_values(text: str, changes: Mapping[tuple[str, ...], Any]) -> str:
    """``text`` with each dotted path set to its value (``None`` removes the key).

    A mapping given for a key that is a ``[table]`` in the file replaces that table's entries
    under its header (its comments stay); otherwise it is written inline.
    """
    doc = tomlkit.parse(text)
    for path, value in changes.items():
        parent = _table(doc, path[:-1])
        key = path[-1]
        if value is None:
            if key in parent:
                del parent[key]
            continue
        current = parent.get(key)
        if isinstance(value, Mapping) and isinstance(current, Table):
            for old in list(current):
                if old not in value:
                    del current[old]
            for name, item in value.items():
                current[name] = _inline(item) if isinstance(item, Mapping) else item
        elif isinstance(value, Mapping):
            parent[key] = _inline(value)
        else:
            parent[key] = value
    return tomlkit.dumps(doc)
