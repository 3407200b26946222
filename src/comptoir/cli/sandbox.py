"""``comptoir sandbox woocommerce`` / ``prestashop``: run a sandbox shop standalone."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from comptoir.sandbox.core.server import LocalServer
from comptoir.sandbox.prestashop import VERSIONS, PrestaShopSandbox
from comptoir.sandbox.woocommerce import SandboxServer

app = typer.Typer(
    help="Local simulators of shop APIs, for trying comptoir without a real shop.", no_args_is_help=True
)


def add_faults(
    server: LocalServer[Any],
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
        server.faults.latency(0, jitter_ms)
    if error_rate:
        server.faults.status(503, rate=error_rate, retry_after=retry_after)
    if rate_limit_rate:
        server.faults.rate_limit(rate=rate_limit_rate, retry_after=retry_after)
    if timeout_rate:
        server.faults.timeout(rate=timeout_rate, hang_s=60)
    if drop_rate:
        server.faults.drop(rate=drop_rate)


def wait_forever() -> None:
    """Block until Ctrl-C."""
    while True:
        time.sleep(3600)


@app.callback()
def group() -> None:
    """Local simulators of shop APIs."""


@app.command()
def woocommerce(
    port: Annotated[int, typer.Option(help="Port to listen on (0 = any free port).")] = 8443,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    db: Annotated[Path | None, typer.Option(help="SQLite file keeping the shop and its keys.")] = None,
    latency_ms: Annotated[int, typer.Option(help="Latency added to every answer (ms).")] = 0,
    jitter_ms: Annotated[int, typer.Option(help="Random extra latency, up to this (ms).")] = 0,
    error_rate: Annotated[float, typer.Option(help="Share of requests answered 503 (0-1).")] = 0.0,
    rate_limit_rate: Annotated[float, typer.Option(help="Share of requests answered 429 (0-1).")] = 0.0,
    retry_after: Annotated[float, typer.Option(help="Retry-After seconds sent with 429/503.")] = 1.0,
    timeout_rate: Annotated[float, typer.Option(help="Share of requests answered after 60 s.")] = 0.0,
    drop_rate: Annotated[float, typer.Option(help="Share of connections closed unanswered.")] = 0.0,
    http: Annotated[bool, typer.Option("--http", help="Plain HTTP (clients sign with OAuth 1.0a).")] = False,
) -> None:
    """Run a WooCommerce REST API (wc/v3) sandbox in the foreground until Ctrl-C."""
    server = SandboxServer(db, tls=not http, latency_ms=latency_ms, host=host, port=port)
    server.start()
    try:
        add_faults(
            server,
            jitter_ms=jitter_ms,
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            retry_after=retry_after,
            timeout_rate=timeout_rate,
            drop_rate=drop_rate,
        )
        typer.echo(f"WooCommerce sandbox listening on {server.url}")
        typer.echo(f"  REST API:  {server.api_url}")
        if server.ca_file is not None:
            typer.echo(f'  CA file:   {server.ca_file}  (profile: [shop.http] ca_file = "{server.ca_file}")')
        typer.echo(f"  store:     {db if db else 'memory (lost at exit; --db FILE keeps it)'}")
        typer.echo("  read/write key of this sandbox (shown here only):")
        typer.echo(f"    export COMPTOIR_SHOP_KEY={server.consumer_key}")
        typer.echo(f"    export COMPTOIR_SHOP_SECRET={server.consumer_secret}")
        typer.echo("Press Ctrl-C to stop.")
        wait_forever()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        server.stop()


@app.command()
def prestashop(
    port: Annotated[int, typer.Option(help="Port to listen on (0 = any free port).")] = 8444,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    db: Annotated[Path | None, typer.Option(help="SQLite file keeping the shop and its keys.")] = None,
    version: Annotated[str, typer.Option(help="PrestaShop version answered as: 1.7, 8 or 9.")] = "9",
    latency_ms: Annotated[int, typer.Option(help="Latency added to every answer (ms).")] = 0,
    jitter_ms: Annotated[int, typer.Option(help="Random extra latency, up to this (ms).")] = 0,
    error_rate: Annotated[float, typer.Option(help="Share of requests answered 503 (0-1).")] = 0.0,
    rate_limit_rate: Annotated[float, typer.Option(help="Share of requests answered 429 (0-1).")] = 0.0,
    retry_after: Annotated[float, typer.Option(help="Retry-After seconds sent with 429/503.")] = 1.0,
    timeout_rate: Annotated[float, typer.Option(help="Share of requests answered after 60 s.")] = 0.0,
    drop_rate: Annotated[float, typer.Option(help="Share of connections closed unanswered.")] = 0.0,
    http: Annotated[bool, typer.Option("--http", help="Plain HTTP instead of HTTPS.")] = False,
) -> None:
    """Run a PrestaShop webservice sandbox (1.7, 8 or 9) in the foreground until Ctrl-C."""
    if version not in VERSIONS:
        typer.echo(f"Unknown PrestaShop version {version!r}: one of {', '.join(VERSIONS)}.", err=True)
        raise typer.Exit(2)
    server = PrestaShopSandbox(db, version=version, tls=not http, latency_ms=latency_ms, host=host, port=port)
    server.start()
    try:
        add_faults(
            server,
            jitter_ms=jitter_ms,
            error_rate=error_rate,
            rate_limit_rate=rate_limit_rate,
            retry_after=retry_after,
            timeout_rate=timeout_rate,
            drop_rate=drop_rate,
        )
        typer.echo(f"PrestaShop {server.version.number} sandbox listening on {server.url}")
        typer.echo(f"  webservice: {server.api_url}")
        if server.ca_file is not None:
            typer.echo(f'  CA file:    {server.ca_file}  (profile: [shop.http] ca_file = "{server.ca_file}")')
        typer.echo(f"  store:      {db if db else 'memory (lost at exit; --db FILE keeps it)'}")
        typer.echo("  webservice key with every permission (shown here only):")
        typer.echo(f"    export COMPTOIR_SHOP_KEY={server.admin_key}")
        typer.echo(f"  sandbox-only routes: {server.url}/sandbox/ (orders, keys, configuration)")
        typer.echo("Press Ctrl-C to stop.")
        wait_forever()
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        server.stop()
