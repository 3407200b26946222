"""``comptoir serve``: the dashboard and the profiles' schedules; ``comptoir user``: its users.

The web application, the scheduler and the profile models are imported by the commands that use
them, not when ``comptoir`` starts.
"""

from __future__ import annotations

import contextlib
import ipaddress
import signal
import socket
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.cli.console import console, errors

if TYPE_CHECKING:
    from comptoir.profile import Profile
    from comptoir.profile.folder import ProfileFolder
    from comptoir.web.config import WebConfig

ProfilesOption = Annotated[
    Path,
    typer.Option("--profiles", help="Folder of profile files (*.toml).", exists=True, file_okay=False),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="The server's own files (users, session key) [default: PROFILES/.comptoir].",
        file_okay=False,
    ),
]

users_app = typer.Typer(help="Dashboard users (Argon2-hashed passwords).", no_args_is_help=True)


class AlertChecks:
    """Heartbeat and daily summary of every profile with alerts, once a minute."""

    def __init__(self, folder: ProfileFolder, every: timedelta = timedelta(minutes=1)) -> None:
        self._folder = folder
        self._every = every
        self._last: datetime | None = None

    async def tick(self, now: datetime) -> None:
        if self._last is not None and now - self._last < self._every:
            return
        self._last = now
        for _path, profile in self._folder.profiles():
            if profile.alerts is not None:
                import asyncio

                await asyncio.to_thread(self._check, profile, now)

    @staticmethod
    def _check(profile: Profile, now: datetime) -> None:
        from comptoir.alerts.notify import periodic
        from comptoir.state import StateStore

        store = StateStore.open(profile.state_url())
        try:
            for problem in periodic(profile, store, now):
                console.print(f"{profile.name}: alert not sent - {problem}", markup=False, soft_wrap=True)
        finally:
            store.close()


def say(text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


async def run_scheduled(path: Path, profile: Profile, job: str) -> int:
    """Run a scheduled job in its own process; print its closing line."""
    from comptoir.schedule.launch import run_in_process

    last: list[str] = []
    code = await run_in_process(path, job, on_line=last.append)
    say(f"{profile.name} {job}: exit {code} - {last[-1] if last else ''}")
    return code


async def serve_schedules(folder: ProfileFolder) -> None:
    import asyncio

    from comptoir.schedule.loop import Scheduler

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
    from comptoir.schedule.launch import close_warm, start_warm

    scheduler = Scheduler(folder.profiles, run_scheduled, tickers=(AlertChecks(folder).tick,))
    warm = asyncio.create_task(start_warm())  # commands typed meanwhile start warm too
    try:
        await scheduler.run_forever(stop)
    finally:
        await warm
        await close_warm()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listenable(host: str, port: int) -> None:
    """Refuse, as a bad ``--host``/``--port``, an address this machine cannot listen on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise typer.BadParameter(
            f"cannot listen on {host} port {port} ({reason})", param_hint="--host/--port"
        ) from None


def serve_web(config: WebConfig, host: str, port: int, certfile: Path | None, keyfile: Path | None) -> None:
    import uvicorn

    from comptoir.web.app import create_app

    folder = config.folder()
    app = create_app(config, tickers=(AlertChecks(folder).tick,), log=say, warm_ahead=True)
    scheme = "https" if certfile else "http"
    say(f"comptoir serve: dashboard on {scheme}://{host}:{port}/ ; schedules of {config.profiles}")
    uvicorn.run(
        app,
        host=host,
        port=port,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=60,
    )


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        profiles: ProfilesOption = Path(),
        host: Annotated[str, typer.Option(help="Address the dashboard listens on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port of the dashboard.", min=1, max=65535)] = 8765,
        data: DataOption = None,
        no_web: Annotated[
            bool, typer.Option("--no-web", help="Run the schedules only, no dashboard.")
        ] = False,
        certfile: Annotated[
            Path | None,
            typer.Option(help="TLS certificate (PEM) to serve HTTPS.", exists=True, dir_okay=False),
        ] = None,
        keyfile: Annotated[
            Path | None, typer.Option(help="TLS private key (PEM).", exists=True, dir_okay=False)
        ] = None,
        behind_proxy: Annotated[
            bool,
            typer.Option("--behind-proxy", help="A TLS reverse proxy is in front: cookies are HTTPS-only."),
        ] = False,
    ) -> None:
        """Serve the dashboard (127.0.0.1:8765) and run every profile's scheduled jobs until stopped."""
        import asyncio

        from comptoir.profile.folder import ProfileFolder
        from comptoir.web.config import WebConfig
        from comptoir.web.users import UserError

        if no_web:
            folder = ProfileFolder(profiles)
            say(f"comptoir serve: schedules of the profiles in {folder.folder}")
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve_schedules(folder))
            return
        _listenable(host, port)
        if (certfile is None) != (keyfile is None):
            errors.print("--certfile and --keyfile go together", style="red")
            raise typer.Exit(2)
        if not _loopback(host) and certfile is None and not behind_proxy:
            errors.print(
                f"{host}: the dashboard listens beyond this machine only over HTTPS: give --certfile and "
                "--keyfile, or --behind-proxy when a TLS reverse proxy is in front",
                style="red",
                markup=False,
            )
            raise typer.Exit(2)
        config = WebConfig.for_folder(profiles, data, secure_cookies=certfile is not None or behind_proxy)
        try:
            users = config.users().names()
        except UserError as exc:
            errors.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        if not users:
            errors.print(
                f"No dashboard user yet: comptoir user add NAME --profiles {profiles} (or serve --no-web)",
                style="red",
                markup=False,
            )
            raise typer.Exit(2)
        serve_web(config, host, port, certfile, keyfile)

    @users_app.command("add")
    def add(
        name: str,
        profiles: ProfilesOption = Path(),
        data: DataOption = None,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from standard input.")
        ] = False,
    ) -> None:
        """Add a dashboard user, or change its password (asked twice, never shown)."""
        from comptoir.web.config import WebConfig
        from comptoir.web.users import UserError

        config = WebConfig.for_folder(profiles, data)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            config.users().set(name, password)
        except UserError as exc:
            errors.print(str(exc), style="red", markup=False)
            raise typer.Exit(2) from None
        say(f"User {name} saved in {config.users().path}")

    @users_app.command("remove")
    def remove(name: str, profiles: ProfilesOption = Path(), data: DataOption = None) -> None:
        """Remove a dashboard user."""
        from comptoir.web.config import WebConfig

        if not WebConfig.for_folder(profiles, data).users().remove(name):
            errors.print(f"No user {name}", style="red", markup=False)
            raise typer.Exit(1)
        say(f"User {name} removed")

    @users_app.command("list")
    def list_users(profiles: ProfilesOption = Path(), data: DataOption = None) -> None:
        """List the dashboard users."""
        from comptoir.web.config import WebConfig

        for name in WebConfig.for_folder(profiles, data).users().names():
            say(name)

    app.add_typer(users_app, name="user")
