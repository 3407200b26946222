"""``comptoir erp test``: check the connection to a profile's ERP and the login's rights."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comptoir.cli.console import errors, load_or_exit

app = typer.Typer(help="ERP connections.", no_args_is_help=True)


@app.callback()
def group() -> None:
    """ERP connections."""


@app.command()
def test(profile: Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]) -> None:
    """Connect to the ERP, recognise the company and its version, check the login may read and
    write, and say precisely what is wrong.

    Exit 0 when it works, 1 when the ERP cannot be used as it is, 2 when the profile is wrong.
    """
    from comptoir.erp.base import ErpCheck, ErpConnectionError, ErpError
    from comptoir.journal.messages import render
    from comptoir.profile import SecretError, secret_resolver
    from comptoir.registry import open_erp

    loaded = load_or_exit(profile)
    language = loaded.language
    try:
        erp = open_erp(loaded.erp, secret_resolver(loaded))
        try:
            result: ErpCheck = erp.check()
        finally:
            erp.close()
    except SecretError as exc:
        errors.print(f"{profile}: {exc}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except ErpError as exc:
        code = exc.code if isinstance(exc, ErpConnectionError) else "error"
        label = render(f"erp_test.{code}", language)
        typer.echo(render("erp_test.failed", language, label=label, error=exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(render("erp_test.passed", language, description=result.description))
    for note in result.notes:
        typer.echo(render("erp_test.note", language, note=note))
