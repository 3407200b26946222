"""Shared CLI helpers: the two consoles, loading a profile, turning a failure to open what it names
into one line and an exit code.

Nothing heavy is imported here at start-up (``comptoir --help`` must not load the profile
models, SQLAlchemy or the shop clients): each helper imports what it needs when called.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

import typer

from comptoir.cli import crash
from comptoir.jobs.exit_code import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from comptoir.erp.base import ErpError
    from comptoir.profile import Profile, SecretError
    from comptoir.shop.base import ShopError
    from comptoir.state import StateError


class LazyConsole:
    """A Rich console made when first used: importing Rich costs about a tenth of a job's
    start-up, and a command that prints nothing through it (a job writing into a file or a pipe,
    ``--help``) never pays it. Every attribute is the console's."""

    def __init__(self, *, stderr: bool = False, **options: Any) -> None:
        self._stderr = stderr
        self._options = options
        self._made: Console | None = None

    def made(self) -> Console:
        if self._made is None:
            from rich.console import Console

            self._made = Console(stderr=self._stderr, **self._options)
        return self._made

    def __getattr__(self, name: str) -> Any:
        if name in ("_stderr", "_options", "_made"):  # not set yet (a copy): never the console's
            raise AttributeError(name)
        return getattr(self.made(), name)

    def plain_stream(self) -> IO[str] | None:
        """The stream this console writes to when Rich would certainly find no terminal there (it
        is not a terminal and no ``TTY_COMPATIBLE`` or ``FORCE_COLOR`` says otherwise), without
        importing Rich; ``None`` when Rich must decide."""
        if self._made is not None or os.environ.get("TTY_COMPATIBLE") or "FORCE_COLOR" in os.environ:
            return None
        stream = sys.stderr if self._stderr else sys.stdout
        if stream is None or hasattr(stream, "rich_proxied_file"):
            return None
        try:
            return None if stream.isatty() else stream
        except (AttributeError, ValueError):
            return None


_WIDTH = None if sys.stdout.isatty() else 120
"""Terminals give their own width; pipes and logs get 120 columns instead of Rich's 80."""
console = cast("Console", LazyConsole(highlight=False, width=_WIDTH))
errors = cast("Console", LazyConsole(stderr=True, highlight=False, width=_WIDTH))


def load_or_exit(path: Path) -> Profile:
    """Load a profile; on error print one message per problem (naming the field) and exit 2."""
    from comptoir.profile import ProfileError, load_profile

    try:
        profile = load_profile(path)
    except ProfileError as exc:
        errors.print(f"Invalid profile {path}:", style="red", markup=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.BAD_SETUP)) from None
    crash.use_profile_logs(profile.log_path().parent)
    return profile


@contextmanager
def opening(profile_path: Path) -> Iterator[None]:
    """Turn a failure to open what a profile names into one line and an exit code (see ``refusal``)."""
    from comptoir.erp.base import ErpError
    from comptoir.profile import SecretError
    from comptoir.shop.base import ShopError
    from comptoir.state import StateError

    try:
        yield
    except (SecretError, ErpError, StateError, ShopError) as exc:
        message, code = refusal(exc)
        errors.print(f"{profile_path}: {message}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(int(code)) from None


PROFILE_MISTAKES = frozenset({"driver_missing", "database_missing", "not_erp"})
"""ERP connection failures that the profile's ``erp.url`` must fix."""


def refusal(exc: SecretError | ErpError | StateError | ShopError) -> tuple[str, ExitCode]:
    """What to say about a failure to open what a profile names, and the exit code.

    ``BAD_SETUP`` (2) when the profile must be fixed (a missing secret, a database that is missing
    or not the ERP's, a driver to install, a refused login, a state database that cannot be
    opened, an unusable certificate file), ``ITEMS_FAILED`` (1, the run stopped on an error) when
    a server cannot be reached.
    """
    from comptoir.erp.base import ErpConnectionError, ErpError
    from comptoir.shop.base import ShopError
    from comptoir.state import StateError

    if isinstance(exc, ErpConnectionError) and exc.code in PROFILE_MISTAKES:
        return f"erp.url: {exc}", ExitCode.BAD_SETUP
    if isinstance(exc, ErpConnectionError) and exc.code == "login_refused":
        return str(exc), ExitCode.BAD_SETUP
    if isinstance(exc, StateError):
        return f"state.url: {exc}", ExitCode.BAD_SETUP
    if isinstance(exc, ShopError):
        return str(exc), ExitCode.BAD_SETUP if exc.code == "tls" else ExitCode.ITEMS_FAILED
    if isinstance(exc, ErpError):
        return str(exc), ExitCode.ITEMS_FAILED
    return str(exc), ExitCode.BAD_SETUP
