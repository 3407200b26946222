"""What the dashboard runs on: the profiles folder, its own data folder, cookie settings."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from comptoir.profile.folder import ProfileFolder
from comptoir.web.users import Users


@dataclass(frozen=True)
class WebConfig:
    """``profiles``: the folder of profile files; ``data``: the server's own files (users, the
    session key); ``secure_cookies``: send the session cookie over HTTPS only."""

    profiles: Path
    data: Path
    secure_cookies: bool = False
    session_hours: int = 8

    @classmethod
    def for_folder(
        cls, profiles: Path, data: Path | None = None, *, secure_cookies: bool = False
    ) -> WebConfig:
        folder = profiles.resolve()
        return cls(folder, (data or folder / ".comptoir").resolve(), secure_cookies)

    def folder(self) -> ProfileFolder:
        return ProfileFolder(self.profiles)

    def users(self) -> Users:
        return Users(self.data / "users")

    def session_key(self) -> str:
        """The key signing session cookies, made once (owner-only file) so sessions survive restarts."""
        path = self.data / "session.key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key
