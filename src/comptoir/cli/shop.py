"""``comptoir shop test``: check the connection to a profile's shop and the key's permissions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.cli.console import errors, load_or_exit

if TYPE_CHECKING:
    from comptoir.profile import Profile
    from comptoir.shop.base import ShopCheck

app = typer.Typer(help="Shop connections.", no_args_is_help=True)


async def _check(profile: Profile) -> ShopCheck:
    from comptoir.profile import secret_resolver
    from comptoir.registry import open_shop

    shop = open_shop(profile.shop, secret_resolver(profile))
    try:
        return await shop.check()
    finally:
        await shop.aclose()


@app.callback()
def group() -> None:
    """Shop connections."""


@app.command()
def test(profile: Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]) -> None:
    """Connect to the shop, check the key can read and write, and say precisely what is wrong.

    Exit 0 when it works, 1 when the shop refuses or cannot be reached, 2 when the profile is wrong.
    """
    import asyncio

    from comptoir.journal.messages import localized, render, shop_failure
    from comptoir.profile import SecretError
    from comptoir.shop.base import ShopError

    loaded = load_or_exit(profile)
    try:
        result = asyncio.run(_check(loaded))
    except SecretError as exc:
        errors.print(f"{profile}: {exc}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except ShopError as exc:
        why = shop_failure(exc.code, localized(exc, loaded.language), loaded.language)
        typer.echo(render("shop.test_failed", loaded.language, why=why), err=True)
        raise typer.Exit(1) from None
    typer.echo(render("shop.test_passed", loaded.language, description=result.description))
