"""The warm start server: one process that has imported what a job needs, forking a child per run.

A job started as ``python -m comptoir <job>`` spends most of its start-up importing its libraries
(SQLAlchemy, Pydantic, httpx, Typer) and comptoir's own modules: well over half a second of CPU,
every quarter of an hour for a stock update, every five minutes for orders. The scheduler and the
dashboard start this server once (``schedule/warm.py``); it imports those modules, then waits on a
Unix socket. Each run asks for a child with its command line, environment and folder: the server
forks, and the child, a copy of a process that has already imported everything, runs the command
as ``comptoir`` would, its output going back over the connection. Each run is still a process of
its own: its memory, its run lock, a crash that takes only itself down.

The exchange on a connection, all lines of UTF-8 text:

- the client sends one JSON object: ``{"argv": [...], "env": {...}, "cwd": "..."}``;
- the child sends ``MARK pid <pid>`` first, then the command's output (standard output and
  error, as they come), then ``MARK exit <code>`` last.

A connection that ends without the exit line is a child that died (killed, out of memory): the
client reports it as a crash. The server stops when its standard input closes (the process that
started it is gone), so it never outlives the scheduler. POSIX only (``fork``); elsewhere runs
start as fresh processes.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import pkgutil
import select
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from comptoir.schedule.attach import MARK

READY = "ready"
REQUEST_LIMIT = 1 << 20
REQUEST_TIMEOUT = 10.0

PRELOAD = (
    "comptoir.cli",
    "comptoir.cli.jobs",
    "comptoir.cli.terminal",
    "comptoir.jobs.runner",
    "comptoir.profile",
    "comptoir.state",
    "comptoir.journal",
    "comptoir.registry",
    "comptoir.schedule.attach",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "sqlite3",
    "typer._adapters",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "anyio._backends._asyncio",
    "sniffio",
)
"""Modules every job run imports; the jobs and the platforms' packages are added to them. Some
are imported by a run only when first used (the SQLite driver at the first connection, the HTTP
transport and its event loop's backend at the first request, Typer's option types when the
command line is read): each still costs a run that much unless imported here."""

DRIVERS = ("psycopg", "pymssql")
"""Database drivers of the optional extras, imported ahead when installed."""

SKIPPED = ("sandbox", "demo", "simulate")
"""Parts of a platform's package a job never imports (test shops, demo companies)."""

log = logging.getLogger(__name__)


def preload() -> list[str]:
    """Import what a job run would: the modules above, every job, every registered platform's
    package. A module that cannot be imported is left to the run that needs it (it will say why);
    the names of those are returned."""
    from comptoir.jobs.runner import JOBS
    from comptoir.registry import ERPS, SHOPS

    names = [*PRELOAD, *(target.split(":")[0] for target in JOBS.values())]
    names += [driver for driver in DRIVERS if find_spec(driver) is not None]
    for module in [*SHOPS.values(), *ERPS.values()]:
        package = module.rsplit(".", 1)[0]
        names.append(package)
        names += [
            info.name
            for info in pkgutil.walk_packages(import_module(package).__path__, package + ".")
            if not any(part in info.name.rsplit(".", 1)[-1] for part in SKIPPED)
        ]
    failed = []
    for name in names:
        try:
            import_module(name)
        except Exception:  # the run that needs it says why
            failed.append(name)
    with contextlib.suppress(Exception):  # the run that needs it says why
        from comptoir.shop.http import default_trust

        default_trust()  # certifi's bundle read once, not by every run talking to a shop
    return failed


def serve(path: str) -> tuple[socket.socket, dict[str, Any], list[int]] | None:
    """Listen on ``path``; return in each child (with its connection, request and the standard
    streams an attached command passed), return ``None`` in the server when its standard input
    closes."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    Path(path).chmod(0o600)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    code = _Code()
    sys.stdout.write(READY + "\n")
    sys.stdout.flush()
    watched = [listener, sys.stdin]
    while True:
        ready, _, _ = select.select(watched, [], [])
        if sys.stdin in ready and not os.read(sys.stdin.fileno(), 4096):
            listener.close()
            with contextlib.suppress(OSError):
                Path(path).unlink()
            return None
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            request, fds = _request(conn)
            refusal = _refusal(request, fds, code)
        except (OSError, ValueError) as exc:
            log.warning("warm start: bad request (%s)", exc)
            refusal = "bad request"
        if refusal is not None:
            with contextlib.suppress(OSError):
                conn.sendall(f"{MARK} refused {refusal}\n".encode())
            _close(fds)
            conn.close()
            continue
        if os.fork() == 0:
            gc.enable()
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            return conn, request, fds
        _close(fds)
        conn.close()


class _Code:
    """Whether comptoir's code on disk is still the code this server imported: an upgrade or an
    edit since it started makes the commands typed afterwards start fresh, on the new code."""

    def __init__(self) -> None:
        self._files = self._read()

    @staticmethod
    def _read() -> dict[str, int]:
        files = {}
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None)
            if file and (name == "comptoir" or name.startswith("comptoir.")):
                with contextlib.suppress(OSError):
                    files[file] = Path(file).stat().st_mtime_ns
        return files

    def changed(self) -> bool:
        for file, mtime in self._files.items():
            try:
                if Path(file).stat().st_mtime_ns != mtime:
                    return True
            except OSError:
                return True
        return False


def _refusal(request: dict[str, Any], fds: list[int], code: _Code) -> str | None:
    """Why a request is not run here (``None``: it is). A command typed by hand (``attach``) must
    be of this installation, its code unchanged since the server started, and bring its three
    standard streams; the scheduler's runs bring none."""
    who = request.get("attach")
    if who is None:
        return "standard streams without attach" if fds else None
    from comptoir.schedule.attach import identity

    if who != identity():
        return "another installation"
    if len(fds) != 3:
        return "three standard streams expected"
    if code.changed():
        return "code changed since the server started"
    return None


def _close(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    conn.settimeout(REQUEST_TIMEOUT)
    data = b""
    fds: list[int] = []
    try:
        while not data.endswith(b"\n"):
            chunk, received, _flags, _address = socket.recv_fds(conn, 65536, 3)
            fds += received
            if not chunk:
                raise ValueError("connection closed before the request")
            data += chunk
            if len(data) > REQUEST_LIMIT:
                raise ValueError("request too long")
        conn.settimeout(None)
        request = json.loads(data)
        if not isinstance(request, dict) or not isinstance(request.get("argv"), list):
            raise ValueError("no argv")
    except BaseException:
        _close(fds)
        raise
    return request, fds


def run_child(conn: socket.socket, request: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """Become the run: its folder, environment, standard streams and command line; run
    ``comptoir``; say the exit code last. Exits (never returns).

    A scheduled run's output goes back over the connection; an attached command's run writes to
    the command's own streams (``fds``), the connection carrying only its process id and exit
    code, and its closing (the command gone) stopping the run."""
    os.setsid()  # the run and what it starts can be stopped together, apart from the server
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request.get("env") or {}).items()})
    os.chdir(str(request.get("cwd") or Path.cwd()))
    sys.stdout.flush()
    sys.stderr.flush()
    if fds:
        control = _take_streams(conn, request, fds)
    else:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(conn.fileno(), 1)
        os.dup2(conn.fileno(), 2)
        conn.close()
        control = None
    _say(control, f"{MARK} pid {os.getpid()}\n")
    sys.argv = ["comptoir", *(str(a) for a in request["argv"])]
    code = _run_comptoir()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
        if control is not None:
            control.done = True
        _say(control, f"{MARK} exit {code}\n")
    sys.exit(code)


class _Control:
    """The connection of an attached command: says the run's process id and exit code; when it
    closes before the run ends (the command gone), the run is stopped as a closed terminal would."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.done = False
        threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        with contextlib.suppress(OSError):
            while self.conn.recv(4096):
                pass
        if not self.done:
            with contextlib.suppress(OSError):
                os.killpg(os.getpid(), signal.SIGHUP)


def _take_streams(conn: socket.socket, request: dict[str, Any], fds: Sequence[int]) -> _Control:
    """Make the command's streams the run's: file descriptors 0 to 2, and Python's text streams
    over them as the command's own Python made them (encoding, line buffering on a terminal)."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    umask = request.get("umask")
    if isinstance(umask, int):
        os.umask(umask)
    from comptoir.schedule.attach import FORWARDED

    ignored = set(request.get("ignored") or ())
    for name in FORWARDED:
        number = getattr(signal, name, None)
        if number is None:
            continue
        if name in ignored:  # as a fresh process started by the command would
            signal.signal(number, signal.SIG_IGN)
        else:
            signal.signal(number, signal.default_int_handler if name == "SIGINT" else signal.SIG_DFL)
    streams = dict(request.get("streams") or {})
    encoding = str(streams.get("encoding") or "utf-8")
    errors = str(streams.get("errors") or "strict")
    sys.stdin = open(0, encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
    sys.stdout = open(  # noqa: SIM115
        1, "w", encoding=encoding, errors=errors, closefd=False, buffering=1 if os.isatty(1) else -1
    )
    sys.stderr = open(  # noqa: SIM115
        2,
        "w",
        encoding=encoding,
        errors=str(streams.get("stderr_errors") or "backslashreplace"),
        closefd=False,
        buffering=1,
    )
    return _Control(conn)


def _say(control: _Control | None, line: str) -> None:
    if control is None:
        sys.stdout.write(line)
        sys.stdout.flush()
    else:
        control.conn.sendall(line.encode("utf-8"))


def _run_comptoir() -> int:
    from comptoir.cli import main as comptoir_main

    try:
        comptoir_main()
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def main() -> None:
    """``python -m comptoir.schedule.forkserver SOCKET``: import, say ``ready``, serve."""
    path = sys.argv[1]
    gc.disable()
    from comptoir.cli.codecache import install

    install()  # what the server compiles comes from the cache; its children find it installed
    failed = preload()
    if failed:
        print(f"warm start: not imported ahead: {', '.join(failed)}", file=sys.stderr)
    # What is imported lives as long as the server: out of the collector's sight, its pages stay
    # shared with the children instead of being walked (and copied) by each child's collections.
    gc.freeze()
    served = serve(path)
    if served is not None:
        run_child(*served)


if __name__ == "__main__":
    main()
