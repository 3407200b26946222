"""A folder of profile files (``*.toml``), read again whenever a file changes.

``comptoir serve`` and ``comptoir schedule`` work on such a folder: each file is one profile; a
file that does not load is kept with its problems (named by field) instead of hiding the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from comptoir.profile.loader import ProfileError, load_profile
from comptoir.profile.models import Profile


@dataclass(frozen=True, slots=True)
class ProfileFile:
    """One profile file: the profile when it loads, else its problems."""

    path: Path
    profile: Profile | None
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.profile.name if self.profile is not None else self.path.stem


class ProfileFolder:
    """The profiles of one folder, loaded once per change of each file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self._cache: dict[Path, tuple[int, ProfileFile]] = {}

    def files(self) -> list[ProfileFile]:
        """Every ``*.toml`` file of the folder, sorted by name."""
        found: list[ProfileFile] = []
        paths = sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []
        for path in paths:
            try:
                stamp = path.stat().st_mtime_ns
            except OSError:
                continue
            cached = self._cache.get(path)
            if cached is None or cached[0] != stamp:
                cached = (stamp, load_file(path))
                self._cache[path] = cached
            found.append(cached[1])
        self._cache = {p: c for p, c in self._cache.items() if p in set(paths)}
        return found

    def profiles(self) -> list[tuple[Path, Profile]]:
        """The profiles that load, with their files."""
        return [(f.path, f.profile) for f in self.files() if f.profile is not None]

    def find(self, name: str) -> ProfileFile | None:
        """The file of the profile called ``name`` (or whose file stem is ``name``)."""
        for item in self.files():
            if name in (item.name, item.path.stem):
                return item
        return None


def load_file(path: Path) -> ProfileFile:
    try:
        return ProfileFile(path, load_profile(path))
    except ProfileError as exc:
        return ProfileFile(path, None, tuple(exc.problems))
