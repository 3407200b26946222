"""Relative paths of a profile, taken from the profile's folder."""

from __future__ import annotations

from pathlib import Path


def relative_sqlite(url: str, base: Path) -> str:
    """A ``sqlite:///relative/path`` URL made absolute from ``base``; other URLs unchanged."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        target = url[len(prefix) :]
        if target and target != ":memory:":
            return prefix + (base / target).as_posix()
    return url
