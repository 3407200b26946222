"""Shared CLI helpers: the two consoles, loading a profile, turning a failure to open what it names
into one line and an exit code.

Nothing heavy is imported here at start-up (``comptoir --help`` must not load the profile
models, SQLAlchemy or the shop clients): each helper imports what it needs when called.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from comptoir.cli import crash
from comptoir.jobs.exit_code import ExitCode

if TYPE_CHECKING:
    from comptoir.erp.base import ErpError
    from comptoir.profile import Profile, SecretError
    from comptoir.shop.base import ShopError
    from comptoir.state import StateError

_WIDTH = None if sys.stdout.isatty() else 120
"""Terminals give their own width; pipes and logs get 120 columns instead of Rich's 80."""
console = Console(highlight=False, width=_WIDTH)
errors = Console(stderr=True, highlight=False, width=_WIDTH)


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
