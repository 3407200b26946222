"""Load a profile from a TOML file and explain, field by field, what is wrong with it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from comptoir.profile.models import Profile
from comptoir.profile.paths import relative_sqlite
from comptoir.profile.secrets import SecretResolver


class ProfileError(Exception):
    """A profile that cannot be used; ``str()`` names the file, the field and the problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path.name}: " + "; ".join(problems))


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(profile)"


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        message = item["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":
            message = "is not a known option"
        problems.append(f"{_location(item['loc'])}: {message}")
    return problems


def parse_profile(data: dict[str, Any], base: Path, source: Path | None = None) -> Profile:
    """Validate profile data; relative paths are taken from ``base``."""
    origin = source or base / "profile.toml"
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(origin, _problems(exc)) from None
    data_dir = (base / profile.data_dir).resolve()
    updates: dict[str, Any] = {"data_dir": data_dir}
    if profile.secrets_file is not None:
        updates["secrets_file"] = (base / profile.secrets_file).resolve()
    updates["erp"] = profile.erp.relative_to(base)
    updates["shop"] = profile.shop.relative_to(base)
    updates["products"] = profile.products.relative_to(base)
    if profile.alerts is not None and profile.alerts.smtp.ca_file is not None:
        smtp = profile.alerts.smtp.model_copy(
            update={"ca_file": (base / profile.alerts.smtp.ca_file).resolve()}
        )
        updates["alerts"] = profile.alerts.model_copy(update={"smtp": smtp})
    if profile.state.url:
        updates["state"] = profile.state.model_copy(update={"url": relative_sqlite(profile.state.url, base)})
    return profile.model_copy(update=updates)


def load_profile(path: Path) -> Profile:
    """Read and validate a TOML profile file."""
    if not path.is_file():
        raise ProfileError(path, ["the file does not exist"])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, [f"not valid TOML ({exc})"]) from None
    return parse_profile(data, path.parent.resolve(), path)


def secret_resolver(profile: Profile) -> SecretResolver:
    """The resolver for this profile's ``env:`` references."""
    return SecretResolver(profile.secrets_file)
