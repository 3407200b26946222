"""The ``comptoir`` command: jobs, demo, sandbox shops, connection tests."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="comptoir",
    help="Connect a French commercial-management ERP with e-commerce shops.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    """Console entry point."""
    app()
