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
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

MARK = "\x00comptoir"
"""Starts the first and last lines of a run's output (never a line of a journal: NUL)."""

READY = "ready"
REQUEST_LIMIT = 1 << 20
REQUEST_TIMEOUT = 10.0
CRASH_EXIT = 70
"""The exit code of a child that died without saying its own (as ``cli/crash.py``'s)."""

PRELOAD = (
    "comptoir.cli",
    "comptoir.cli.jobs",
    "comptoir.cli.terminal",
    "comptoir.jobs.runner",
    "comptoir.profile",
    "comptoir.state",
    "comptoir.journal",
    "comptoir.registry",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql",
    "httpx",
)
"""Modules every job run imports; the jobs and the platforms' packages are added to them."""

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
    return failed


def serve(path: str) -> tuple[socket.socket, dict[str, Any]] | None:
    """Listen on ``path``; return in each child (with its connection and request), return
    ``None`` in the server when its standard input closes."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    Path(path).chmod(0o600)
    listener.listen(16)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
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
        try:
            request = _request(conn)
        except (OSError, ValueError) as exc:
            log.warning("warm start: bad request (%s)", exc)
            conn.close()
            continue
        if os.fork() == 0:
            gc.enable()
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            return conn, request
        conn.close()


def _request(conn: socket.socket) -> dict[str, Any]:
    conn.settimeout(REQUEST_TIMEOUT)
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ValueError("connection closed before the request")
        data += chunk
        if len(data) > REQUEST_LIMIT:
            raise ValueError("request too long")
    conn.settimeout(None)
    request = json.loads(data)
    if not isinstance(request, dict) or not isinstance(request.get("argv"), list):
        raise ValueError("no argv")
    return request


def run_child(conn: socket.socket, request: dict[str, Any]) -> None:
    """Become the run: its folder, environment, standard streams and command line; run
    ``comptoir``; say the exit code last. Exits (never returns)."""
    os.setsid()  # the run and what it starts can be stopped together, apart from the server
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in dict(request.get("env") or {}).items()})
    os.chdir(str(request.get("cwd") or Path.cwd()))
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(conn.fileno(), 1)
    os.dup2(conn.fileno(), 2)
    conn.close()
    sys.stdout.write(f"{MARK} pid {os.getpid()}\n")
    sys.stdout.flush()
    sys.argv = ["comptoir", *(str(a) for a in request["argv"])]
    code = _run_comptoir()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout.write(f"{MARK} exit {code}\n")
        sys.stdout.flush()
    sys.exit(code)


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
