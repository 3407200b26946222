"""Secrets are referenced from a profile, never written in it.

A secret field holds ``env:NAME``: the value comes from the environment variable ``NAME``,
or, when the variable is not set, from the profile's secrets file (``KEY=VALUE`` lines, a
file only its owner may read). Anything else in a secret field is refused, so a key pasted
into a profile by mistake is caught at load time instead of being kept in plain text.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, get_args

from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from comptoir.journal.messages import Text

ENV_PREFIX = "env:"


class SecretError(ValueError):
    """A secret cannot be found or is stored unsafely."""


def _check_reference(value: str) -> str:
    if not value.startswith(ENV_PREFIX) or not value[len(ENV_PREFIX) :].strip():
        raise ValueError(
            "secrets must not be written in a profile: give 'env:VARIABLE_NAME' and set that "
            "environment variable (or put it in the profile's secrets file)"
        )
    name = value[len(ENV_PREFIX) :].strip()
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r} is not a valid environment variable name")
    return ENV_PREFIX + name


SecretRef = Annotated[str, AfterValidator(_check_reference)]
"""A profile field that names where a secret lives (``env:NAME``)."""


def read_secrets_file(path: Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines; refuse a file that others can read (POSIX)."""
    if not path.exists():
        return {}
    if os.name == "posix" and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(f"{path.name}: the secrets file must be readable by its owner only (chmod 600)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SecretError(f"{path.name}: the secrets file is not UTF-8 text") from None
    except OSError as exc:
        raise SecretError(f"{path.name}: the secrets file cannot be read ({exc.strerror or exc})") from None
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise SecretError(f"{path.name}, line {number}: expected KEY=VALUE")
        values[key.strip()] = value.strip()
    return values


def write_secrets_file(path: Path, values: Mapping[str, str]) -> None:
    """Write (or merge into) a secrets file created with owner-only permissions."""
    merged = read_secrets_file(path) if path.exists() else {}
    merged.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# comptoir secrets: keep this file private\n")
        for key, value in sorted(merged.items()):
            handle.write(f"{key}={value}\n")
    path.chmod(0o600)


class SecretResolver:
    """Resolves ``env:NAME`` references from the environment, then from a secrets file."""

    def __init__(self, secrets_file: Path | None = None, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        self._file = secrets_file
        self._file_values: dict[str, str] | None = None

    def get(self, reference: str | None, *, field: str) -> str | None:
        """The secret's value, ``None`` when no reference is given; raise when it is missing."""
        if reference is None:
            return None
        name = reference[len(ENV_PREFIX) :]
        if name in self._environ:
            return self._environ[name]
        if self._file is not None:
            if self._file_values is None:
                self._file_values = read_secrets_file(self._file)
            if name in self._file_values:
                return self._file_values[name]
        raise SecretError(Text("secret.missing", field=field, name=name))

    def require(self, reference: str | None, *, field: str) -> str:
        value = self.get(reference, field=field)
        if value is None:
            raise SecretError(f"{field}: a secret is required")
        return value


def is_secret_field(info: FieldInfo) -> bool:
    """Whether a settings field holds a secret reference (``env:NAME``)."""
    return _is_check(info.metadata) or any(
        _is_check(getattr(arg, "__metadata__", ())) for arg in (info.annotation, *get_args(info.annotation))
    )


def _is_check(metadata: Sequence[object]) -> bool:
    return any(isinstance(m, AfterValidator) and m.func is _check_reference for m in metadata)


def secret_references(model: BaseModel, prefix: str = "") -> dict[str, str | None]:
    """Every secret field of a settings tree (platform tables included): dotted path → reference."""
    found: dict[str, str | None] = {}
    for name, info in type(model).model_fields.items():
        path = f"{prefix}{name}"
        value = getattr(model, name)
        if is_secret_field(info):
            found[path] = value
        elif isinstance(value, BaseModel):
            found |= secret_references(value, f"{path}.")
    return found
