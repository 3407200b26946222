"""``comptoir alerts test|check``: send the test e-mail; run the heartbeat and summary checks now."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comptoir.cli.console import console, errors, load_or_exit

app = typer.Typer(help="E-mail alerts.", no_args_is_help=True)
ProfileOption = Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]


@app.callback()
def group() -> None:
    """E-mail alerts."""


@app.command("test")
def test(profile: ProfileOption) -> None:
    """Send the test e-mail to the profile's alert recipients; say precisely what fails."""
    from comptoir.alerts.mailer import MailError
    from comptoir.alerts.notify import test_mail
    from comptoir.journal.messages import localized, render
    from comptoir.profile import SecretError

    loaded = load_or_exit(profile)
    if loaded.alerts is None:
        errors.print(f"{profile}: no [alerts] table: nothing to test", style="red", markup=False)
        raise typer.Exit(2)
    try:
        test_mail(loaded)
    except SecretError as exc:
        errors.print(f"{profile}: {localized(exc, loaded.language)}", style="red", markup=False)
        raise typer.Exit(2) from None
    except MailError as exc:
        message = render("mail.test_failed", loaded.language, code=exc.code, error=str(exc))
        errors.print(message, style="red", markup=False)
        raise typer.Exit(1) from None
    console.print(render("mail.test_sent", loaded.language, to=", ".join(loaded.alerts.to)), markup=False)


@app.command("check")
def check(profile: ProfileOption) -> None:
    """Run the heartbeat and daily summary checks now (what comptoir serve does every minute),
    for a profile run by cron rather than by the server."""
    from comptoir.alerts.notify import periodic
    from comptoir.state import StateStore

    loaded = load_or_exit(profile)
    store = StateStore.open(loaded.state_url())
    try:
        problems = periodic(loaded, store, store.now())
    finally:
        store.close()
    for problem in problems:
        errors.print(f"Alert not sent: {problem}", style="red", markup=False)
    raise typer.Exit(1 if problems else 0)
