"""The ``comptoir`` command: jobs, demo, profiles, run history, schedules and the server, sandbox shops,
connection tests."""

from __future__ import annotations

import typer

from comptoir.cli import alerts, bench, crash, demo, erp, jobs, runs, sandbox, schedule, serve, shop
from comptoir.cli import profile as profile_commands
from comptoir.cli.console import errors

app = typer.Typer(
    name="comptoir",
    help="Connect a French commercial-management ERP with e-commerce shops.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
jobs.register(app)
demo.register(app)
runs.register(app)
schedule.register(app)
serve.register(app)
bench.register(app)
app.add_typer(profile_commands.app, name="profile")
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(shop.app, name="shop")
app.add_typer(alerts.app, name="alerts")
app.add_typer(erp.app, name="erp")
app.add_typer(jobs.orders_app, name="orders")


def main() -> None:
    """Console entry point: no command ends in a traceback (see :mod:`comptoir.cli.crash`)."""
    try:
        app()
    except Exception as exc:
        errors.print(crash.message(exc), style="red", markup=False, soft_wrap=True)
        raise SystemExit(crash.EXIT_CODE) from None
