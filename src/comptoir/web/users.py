"""Dashboard users: names and Argon2 password hashes (argon2-cffi) in an owner-only file.

``comptoir user add NAME`` writes ``<data folder>/users`` (``name:hash`` lines, mode 600); the
dashboard only verifies. A password never leaves this module in clear.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("comptoir: a hash to verify against when the user is unknown")
MIN_PASSWORD = 10


class UserError(ValueError):
    """A user or password that cannot be accepted; the message says why."""


class Users:
    """The users file of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        if os.name == "posix" and self.path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise UserError(f"{self.path}: the users file must be readable by its owner only (chmod 600)")
        found = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            name, sep, hashed = line.partition(":")
            if sep and name and not line.startswith("#"):
                found[name] = hashed
        return found

    def _write(self, users: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("# comptoir dashboard users (Argon2 hashes): keep this file private\n")
            for name, hashed in sorted(users.items()):
                handle.write(f"{name}:{hashed}\n")
        self.path.chmod(0o600)

    def names(self) -> list[str]:
        return sorted(self._read())

    def set(self, name: str, password: str) -> None:
        """Add a user or change its password."""
        if not _NAME.match(name):
            raise UserError(f"{name!r}: a user name is letters, digits and _ . @ - (64 at most)")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"the password must have {MIN_PASSWORD} characters at least")
        users = self._read()
        users[name] = _HASHER.hash(password)
        self._write(users)

    def remove(self, name: str) -> bool:
        users = self._read()
        if users.pop(name, None) is None:
            return False
        self._write(users)
        return True

    def verify(self, name: str, password: str) -> bool:
        """Whether ``password`` is ``name``'s (the same work is done for an unknown name)."""
        hashed = self._read().get(name)
        try:
            return _HASHER.verify(hashed or _DUMMY, password) and hashed is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
