"""``comptoir shop test``: check the connection to a profile's shop and the key's permissions."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from comptoir.profile import ProfileError, SecretError, load_profile, secret_resolver
from comptoir.registry import open_shop
from comptoir.shop.base import ShopCheck, ShopError

app = typer.Typer(help="Shop connections.", no_args_is_help=True)

LABELS = {
    "unreachable": "shop unreachable (wrong URL, or nothing listening)",
    "tls": "TLS error (certificate not trusted)",
    "timeout": "timeout",
    "auth": "bad API key",
    "read_only": "read-only API key",
    "permission": "resource or method not allowed for the API key",
    "disabled": "the shop's API is disabled",
    "not_found": "no shop API at that URL",
    "http": "unexpected HTTP answer",
}


async def _check(profile_path: Path) -> ShopCheck:
    profile = load_profile(profile_path)
    shop = open_shop(profile.shop, secret_resolver(profile))
    try:
        return await shop.check()
    finally:
        await shop.aclose()


@app.callback()
def group() -> None:
    """Shop connections."""


@app.command()
def test(profile: Annotated[Path, typer.Option("--profile", help="Profile file (TOML).")]) -> None:
    """Connect to the shop, check the key can read and write, and say precisely what is wrong."""
    try:
        result = asyncio.run(_check(profile))
    except (ProfileError, SecretError) as exc:
        typer.echo(f"Profile problem: {exc}", err=True)
        raise typer.Exit(1) from None
    except ShopError as exc:
        typer.echo(f"Shop test failed: {LABELS.get(exc.code, exc.code)}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Shop test passed: {result.description}")
