"""``comptoir sandbox <kind>``: run a registered platform's sandbox shop standalone.

One command per registered shop platform, made from its descriptor: the options every sandbox
has (port, host, SQLite file, latency and faults from the shared core, plain HTTP) and those
the platform's ``SandboxCommand`` declares (PrestaShop's ``--version``). A platform's command is
made, and its descriptor imported, only when that command is asked for: ``comptoir --help`` loads
no platform.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup

from comptoir.registry import SHOPS, shop_platform

if TYPE_CHECKING:
    from typer import _click as click  # the Click that Typer builds its commands with

    from comptoir.sandbox.core.faults import Faults
    from comptoir.shop.platform import RunningSandbox, ShopPlatform


class PlatformCommands(TyperGroup):
    """The group of ``comptoir sandbox``: one command per registered shop platform, made when asked
    for (running it, its ``--help``, or ``comptoir sandbox --help`` listing them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(dict.fromkeys([*SHOPS, *super().list_commands(ctx)]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SHOPS and cmd_name not in self.commands:
            single = typer.Typer()
            single.command(name=cmd_name)(command_for(cmd_name))
            self.add_command(typer.main.get_command(single), cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=PlatformCommands,
    help="Local simulators of shop APIs, for trying comptoir without a real shop.",
    no_args_is_help=True,
)

SECRET_PREFIX = "COMPTOIR_SHOP"
"""The keys are printed as the variables a profile reads by default (``env:COMPTOIR_SHOP_KEY``)."""


def add_faults(
    faults: Faults,
    *,
    jitter_ms: int,
    error_rate: float,
    rate_limit_rate: float,
    retry_after: float,
    timeout_rate: float,
    drop_rate: float,
) -> None:
    """Switch on the faults asked for on the command line."""
    if jitter_ms:
        faults.latency(0, jitter_ms)
    if error_rate:
        faults.status(503, rate=error_rate, retry_after=retry_after)
    if rate_limit_rate:
        faults.rate_limit(rate=rate_limit_rate, retry_after=retry_after)
    if timeout_rate:
        faults.timeout(rate=timeout_rate, hang_s=60)
    if drop_rate:
        faults.drop(rate=drop_rate)


def check_db(db: Path | None) -> None:
    """Refuse, as a bad ``--db``, a path that cannot hold a SQLite database."""
    from comptoir.profile.validators import sqlite_database

    problem = None if db is None else sqlite_database(db)
    if problem is not None:
        raise typer.BadParameter(problem, param_hint="--db")


def start(platform: ShopPlatform, values: dict[str, Any], extra: dict[str, Any]) -> RunningSandbox:
    """Start the sandbox, refusing as a bad ``--host``/``--port`` an address it cannot listen on."""
    try:
        return platform.sandbox(
            values["db"],
            latency_ms=values["latency_ms"],
            host=values["host"],
            port=values["port"],
            tls=not values["http"],
            **extra,
        )
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot listen on {values['host']} port {values['port']} ({exc.strerror or exc})",
            param_hint="--host/--port",
        ) from None


def wait_forever() -> None:
    """Block until Ctrl-C."""
    while True:
        time.sleep(3600)


@app.callback()
def group() -> None:
    """Local simulators of shop APIs."""


def _common(port: int) -> list[tuple[str, type, Any, str, dict[str, Any]]]:
    """The options every sandbox has: name, type, default, help, Click's checks of the value."""
    share = {"min": 0, "max": 1}
    return [
        ("port", int, port, "Port to listen on (0 = any free port).", {"min": 0, "max": 65535}),
        ("host", str, "127.0.0.1", "Address to listen on.", {}),
        ("db", Path | None, None, "SQLite file keeping the shop and its keys.", {"dir_okay": False}),  # type: ignore[list-item]
        ("latency_ms", int, 0, "Latency added to every answer (ms).", {"min": 0}),
        ("jitter_ms", int, 0, "Random extra latency, up to this (ms).", {"min": 0}),
        ("error_rate", float, 0.0, "Share of requests answered 503 (0-1).", share),
        ("rate_limit_rate", float, 0.0, "Share of requests answered 429 (0-1).", share),
        ("retry_after", float, 1.0, "Retry-After seconds sent with 429/503.", {"min": 0}),
        ("timeout_rate", float, 0.0, "Share of requests answered after 60 s.", share),
        ("drop_rate", float, 0.0, "Share of connections closed unanswered.", share),
    ]


def _run(platform: ShopPlatform, values: dict[str, Any]) -> None:
    spec = platform.sandbox_command
    extra = {option.name: values[option.name] for option in spec.options}
    for option in spec.options:
        if option.choices and extra[option.name] not in option.choices:
            shown = ", ".join(option.choices)
            typer.echo(f"Unknown {option.name} {extra[option.name]!r}: one of {shown}.", err=True)
            raise typer.Exit(2)
    check_db(values["db"])
    sandbox = start(platform, values, extra)
    try:
        add_faults(
            sandbox.faults,
            jitter_ms=values["jitter_ms"],
            error_rate=values["error_rate"],
            rate_limit_rate=values["rate_limit_rate"],
            retry_after=values["retry_after"],
            timeout_rate=values["timeout_rate"],
            drop_rate=values["drop_rate"],
        )
        typer.echo(f"{platform.label} sandbox listening on {sandbox.url}")
        for line in sandbox.describe():
            typer.echo(f"  {line}")
        if sandbox.ca_file is not None:
            typer.echo(
                f'  CA file:    {sandbox.ca_file}  (profile: [shop.http] ca_file = "{sandbox.ca_file}")'
            )
        typer.echo(f"  store:      {values['db'] or 'memory (lost at exit; --db FILE keeps it)'}")
        typer.echo("  key(s) of this sandbox (shown here only):")
        for name, value in sandbox.secrets(SECRET_PREFIX).items():
            typer.echo(f"    export {name}={value}")
        typer.echo("Press Ctrl-C to stop.")
        wait_forever()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        sandbox.stop()


def command_for(kind: str) -> Callable[..., None]:
    """The ``comptoir sandbox <kind>`` command, its options from the platform's descriptor."""
    platform = shop_platform(kind)
    spec = platform.sandbox_command
    options = [
        *_common(spec.port),
        *((o.name, str, o.default, o.help, {}) for o in spec.options),
    ]
    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=default,
            annotation=Annotated[kind_, typer.Option(help=text, **checks)],
        )
        for name, kind_, default, text, checks in options
    ]
    parameters.append(
        inspect.Parameter(
            "http",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, typer.Option("--http", help="Plain HTTP instead of HTTPS.")],
        )
    )

    def run(**values: Any) -> None:
        _run(platform, values)

    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    run.__doc__ = spec.help
    run.__name__ = kind
    return run
