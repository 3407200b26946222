"""``comptoir profile check|doc``: validate a profile, print the configuration reference."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.cli.console import console, errors, load_or_exit

if TYPE_CHECKING:
    from comptoir.profile import Profile

app = typer.Typer(help="Profiles: check one, or print the configuration reference.", no_args_is_help=True)


@app.command("check")
def check(profile: Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]) -> None:
    """Validate a profile: fields, files and folders, database drivers, secrets, a local ERP database.

    Nothing here uses the network: ``comptoir shop test`` tries the shop itself.
    """
    from comptoir.profile import SecretError, secret_resolver
    from comptoir.profile.secrets import secret_references

    loaded = load_or_exit(profile)
    resolver = secret_resolver(loaded)
    references = secret_references(loaded)
    missing = []
    for field, reference in references.items():
        try:
            resolver.get(reference, field=field)
        except SecretError as exc:
            missing.append(str(exc))
    if missing:
        errors.print(f"Profile {loaded.name}: secrets missing", style="red", markup=False)
        for line in missing:
            errors.print(f"  {line}", markup=False)
        raise typer.Exit(2)
    erp_problem = _local_erp_problem(loaded)
    if erp_problem is not None:
        errors.print(f"Profile {loaded.name}: ERP database unusable", style="red", markup=False)
        errors.print(f"  erp.url: {erp_problem}", markup=False, soft_wrap=True)
        raise typer.Exit(2)
    console.print(f"Profile {loaded.name}: valid ({loaded.erp.kind} → {loaded.shop.kind} {loaded.shop.url})")
    missing_orders = loaded.orders.missing_required
    if missing_orders:
        console.print(f"  import-orders needs: {', '.join(missing_orders)}", style="yellow", markup=False)


def _local_erp_problem(profile: Profile) -> str | None:
    """For an ERP database in a local file, make sure it is there and holds the ERP's tables."""
    from comptoir.erp.base import ErpError
    from comptoir.profile import secret_resolver
    from comptoir.registry import open_erp

    if profile.erp.local_file() is None:
        return None
    try:
        erp = open_erp(profile.erp, secret_resolver(profile))
    except ErpError as exc:
        return str(exc)
    erp.close()
    return None


@app.command("doc")
def doc() -> None:
    """Print the configuration reference (Markdown) generated from the profile models."""
    from comptoir.profile.reference import configuration_reference

    typer.echo(configuration_reference(), nl=False)
