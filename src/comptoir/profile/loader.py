"""Load a profile from a TOML file and explain, field by field, what is wrong with it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from comptoir.profile import validators
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
    resolved = profile.model_copy(update=updates)
    problems = local_problems(resolved)
    if problems:
        raise ProfileError(origin, problems)
    return resolved


def local_problems(profile: Profile) -> list[str]:
    """What is wrong on this machine with what a profile names: files and folders, database drivers
    (nothing here uses the network)."""
    checks = {
        "data_dir": validators.usable_folder(profile.data_dir),
        "secrets_file": None
        if profile.secrets_file is None
        else validators.optional_file(profile.secrets_file),
        "shop.http.ca_file": None
        if profile.shop.http.ca_file is None
        else validators.certificate_file(profile.shop.http.ca_file),
    }
    erp_url = profile.erp.database_url()
    if erp_url is not None:
        checks["erp.url"] = validators.driver_problem(erp_url)
    state_file = validators.sqlite_file(profile.state_url())
    if profile.state.url is not None:
        checks["state.url"] = validators.driver_problem(profile.state.url)
    if (
        state_file is not None
        and not checks.get("state.url")
        and (profile.state.url or not checks["data_dir"])
    ):
        checks["state.url"] = validators.sqlite_database(state_file)
    return [f"{field}: {problem}" for field, problem in checks.items() if problem is not None]


def load_profile(path: Path) -> Profile:
    """Read and validate a TOML profile file."""
    if not path.exists():
        raise ProfileError(path, ["the file does not exist"])
    if not path.is_file():
        raise ProfileError(path, ["is a folder, not a profile file"])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(path, [f"cannot be read ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            path, [f"not UTF-8 text (byte {raw[exc.start]:#04x} on line {line}): save the file as UTF-8"]
        ) from None
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(path, [f"not valid TOML ({exc})"]) from None
    return parse_profile(data, path.parent.resolve(), path)


def secret_resolver(profile: Profile) -> SecretResolver:
    """The resolver for this profile's ``env:`` references."""
    return SecretResolver(profile.secrets_file)
