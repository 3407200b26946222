"""The code Python compiles from text at every start, kept between runs as ``__pycache__`` keeps
modules'.

Python 3.11's ``dataclasses`` writes each method it generates (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, a frozen class's ``__setattr__`` and ``__delattr__``) as source text and
compiles it (``exec``) when the class is defined, and ``typing`` compiles every annotation written
as a string (``ForwardRef``): about 700 and 1,300 compilations in a job's start-up, a fifth of its
instructions, of the same texts at every run. ``install`` has these two modules compile through a
``CodeCache``: a text compiled before gets the code object compiled from it then (the same text,
mode, flags and file name ``<string>``: the same classes and annotations), read from one file of
the user's cache folder with ``marshal``, as Python reads ``.pyc`` files; a new text is compiled
as Python would, and the file is written again at exit (atomically: runs may end together). A
file that cannot be read, or holds anything but code, is ignored; one that cannot be written is
not (the run compiles as without it). The file is named after the interpreter's bytecode (magic
number) and optimisation level, so another Python never reads it. It lives in the cache folder,
not beside the sources, and is written whatever ``PYTHONDONTWRITEBYTECODE`` says (which is about
``__pycache__``, and often set where the sources are read-only).
"""

from __future__ import annotations

import atexit
import builtins
import marshal
import os
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

LIMIT = 20_000
"""Texts kept at most: beyond, the file keeps only those of the last run (upgrades leave texts
no class makes any more)."""

_real_exec = builtins.exec
_real_compile = builtins.compile


class CodeCache:
    """Code objects by (mode, source text), read from ``path`` and written back by ``save``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.codes: dict[tuple[str, str], CodeType] = _read(path)
        self.used: set[tuple[str, str]] = set()
        self.added = 0

    def code(self, source: str, mode: str) -> CodeType:
        """``compile(source, "<string>", mode)`` with no inherited flags, compiled once."""
        key = (mode, source)
        found = self.codes.get(key)
        if found is None:
            found = self.codes[key] = _real_compile(source, "<string>", mode, 0, True)
            self.added += 1
        self.used.add(key)
        return found

    def exec(self, source: Any, globals: Any = None, locals: Any = None, /) -> None:
        """``exec`` for ``dataclasses`` (its module has no ``__future__`` flags to inherit)."""
        if type(source) is str:
            source = self.code(source, "exec")
        _real_exec(source, globals, locals)

    def compile(
        self,
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **options: Any,
    ) -> Any:
        """``compile`` for ``typing``'s forward references (``typing`` has no ``__future__`` flags
        to inherit); any other call goes to Python's."""
        if (
            type(source) is str
            and filename == "<string>"
            and mode == "eval"
            and not flags
            and optimize == -1
            and not options
        ):
            return self.code(source, mode)  # a text that does not compile raises as Python does
        return _real_compile(source, filename, mode, flags, dont_inherit, optimize, **options)

    def save(self) -> None:
        """Write the file again when this run compiled new texts (errors are ignored: a cache)."""
        if self.path is None or not self.added:
            return
        codes = self.codes
        if len(codes) > LIMIT:
            codes = {key: codes[key] for key in self.used}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary.write_bytes(marshal.dumps(codes))
            temporary.replace(self.path)
        except (OSError, ValueError):
            temporary.unlink(missing_ok=True)
            return
        self.added = 0


def _read(path: Path | None) -> dict[tuple[str, str], CodeType]:
    if path is None:
        return {}
    try:
        found = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(found, dict) or not all(
        type(key) is tuple
        and len(key) == 2
        and key[0] in ("exec", "eval")
        and type(key[1]) is str
        and type(code) is CodeType
        for key, code in found.items()
    ):
        return {}
    return found


def cache_file() -> Path | None:
    """The cache file of this interpreter in the user's cache folder (``None`` when there is none)."""
    import platformdirs

    try:
        folder = platformdirs.user_cache_path("comptoir", appauthor=False)
    except (OSError, KeyError, RuntimeError):  # no home folder
        return None
    return folder / f"code-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}-O{sys.flags.optimize}.marshal"


_installed: CodeCache | None = None


def install(path: Path | None = None) -> CodeCache | None:
    """Have ``dataclasses`` and ``typing`` compile through the cache file (``path``, by default
    ``cache_file()``) from now on; saved at exit. Once per process (the cache installed first is
    returned); nothing on another implementation than CPython, whose bytecode it keeps."""
    global _installed
    if _installed is not None:
        return _installed
    if sys.implementation.name != "cpython":
        return None
    import dataclasses
    import typing

    cache = CodeCache(path if path is not None else cache_file())
    # Module globals shadow the builtins for these two modules alone.
    dataclasses.exec = cache.exec  # type: ignore[attr-defined]
    typing.compile = cache.compile  # type: ignore[attr-defined]
    atexit.register(cache.save)
    _installed = cache
    return cache
