"""The ``comptoir`` command: jobs, demo, profiles, run history, schedules and the server, sandbox shops,
connection tests."""

from __future__ import annotations

import copy
import sys

import typer
from typer.models import TyperInfo

from comptoir.cli import alerts, bench, crash, demo, erp, jobs, runs, sandbox, schedule, serve, shop
from comptoir.cli import codecache as code_cache
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
    """Console entry point: no command ends in a traceback (see :mod:`comptoir.cli.crash`).

    A command (not a help request: it builds few classes) has the code Python compiles from text
    at every start read from the cache of earlier runs (``cli/codecache.py``), and a job command starts
    with the garbage collector off, until its job starts (``jobs.pause_collector``)."""
    first = sys.argv[1:2]
    if first and "--help" not in sys.argv[1:]:
        code_cache.install()
    if jobs.is_job_command(first):
        jobs.pause_collector()
    try:
        application(first)()
    except Exception as exc:
        errors.print(crash.message(exc), style="red", markup=False, soft_wrap=True)
        raise SystemExit(crash.EXIT_CODE) from None
    finally:
        jobs.resume_collector(freeze=False)  # a command that stopped before its job


def application(first: list[str]) -> typer.Typer:
    """The application to run for arguments starting with ``first``: for ``comptoir <command> …``,
    a copy of ``app`` holding that command (or group) alone, else ``app``.

    Typer turns the signature of every command it holds into options before running any: about
    25 ms for comptoir's, paid by every job. A command needs only its own; ``comptoir --help`` and
    a name that is no command get the whole application (the list, or the error naming them).
    """
    name = first[0] if first else ""
    commands = [command for command in app.registered_commands if command.name == name]
    groups = [group for group in app.registered_groups if group.name == name]
    if not commands and not groups:
        return app
    alone = copy.copy(app)
    alone.registered_commands = commands
    alone.registered_groups = groups
    alone.registered_callback = TyperInfo(callback=_group)  # a group still: `comptoir <command>`
    return alone


def _group() -> None:
    """Connect a French commercial-management ERP with e-commerce shops."""
