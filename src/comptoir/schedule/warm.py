"""Warm starts: scheduled and dashboard runs forked from a process that has imported everything.

``WarmStarter`` starts the server of ``schedule/forkserver.py`` on first use and asks it for one
child per run: the run starts in a few milliseconds instead of paying its imports, and is still a
process of its own. Where the server cannot run (no ``fork``, no Unix sockets: Windows) or fails
to start, ``available`` is false and runs start as fresh processes (``schedule/launch.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from comptoir.schedule import attach
from comptoir.schedule.attach import CRASH_EXIT, MARK
from comptoir.schedule.forkserver import READY

LineHandler = Callable[[str], None]

START_TIMEOUT = 60.0
LINE_LIMIT = 1 << 20

log = logging.getLogger(__name__)


def supported() -> bool:
    """Whether this system can fork a warm child (POSIX with Unix sockets)."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX")


class WarmStartError(RuntimeError):
    """The warm start server could not be started or reached."""


class WarmStarter:
    """Runs ``comptoir`` command lines as children of a warm start server (started on first use,
    stopped by ``close`` or when this process ends)."""

    def __init__(self, server: Sequence[str] | None = None, *, publish: bool = False) -> None:
        """``server``: the command starting the server, its socket's path appended (default:
        ``python -m comptoir.schedule.forkserver``); ``publish``: commands typed by this user while
        it runs start in it too (``schedule/attach.py``), as ``comptoir serve``'s does."""
        self._command = list(server or [sys.executable, "-m", "comptoir.schedule.forkserver"])
        self._server: asyncio.subprocess.Process | None = None
        self._folder: Path | None = None
        self._starting = asyncio.Lock()
        self._publish = publish
        self._links: list[Path] = []

    @property
    def socket_path(self) -> Path | None:
        return self._folder / "server" if self._folder else None

    @property
    def server_pid(self) -> int | None:
        """The running server's process id (its runs are its children)."""
        server = self._server
        return server.pid if server is not None and server.returncode is None else None

    async def _ensure(self) -> Path:
        async with self._starting:
            if self._server is not None and self._server.returncode is None and self.socket_path:
                return self.socket_path
            await self._stop()
            near = attach.server_folder() if self._publish else None
            self._folder = Path(tempfile.mkdtemp(prefix="comptoir-warm-", dir=near))
            path = self._folder / "server"
            server = await asyncio.create_subprocess_exec(
                *self._command,
                str(path),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                start_new_session=True,  # a Ctrl-C on the terminal is the scheduler's to handle
            )
            self._server = server
            assert server.stdout is not None
            try:
                line = await asyncio.wait_for(server.stdout.readline(), START_TIMEOUT)
            except TimeoutError:
                line = b""
            if line.decode("utf-8", "replace").strip() != READY:
                await self._stop()
                raise WarmStartError("the warm start server did not start")
            if self._publish:
                self._links = attach.publish(path)
            return path

    async def start(self) -> None:
        """Start the server now rather than at the first run (``WarmStartError`` if it cannot)."""
        await self._ensure()

    async def run(
        self,
        argv: Sequence[str],
        *,
        on_line: LineHandler | None = None,
        on_start: Callable[[int], None] | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> int:
        """Run ``comptoir argv`` in a warm child; give its process id to ``on_start``, each output
        line to ``on_line``; return its exit code. Cancelling stops the child. ``WarmStartError``
        when no child could be asked for (nothing ran)."""
        path = await self._ensure()
        try:
            reader, writer = await asyncio.open_unix_connection(str(path), limit=LINE_LIMIT)
        except OSError as exc:
            await self._stop()
            raise WarmStartError(f"the warm start server cannot be reached ({exc})") from exc
        request = {
            "argv": list(argv),
            "env": dict(env if env is not None else os.environ),
            "cwd": str(cwd or Path.cwd()),
        }
        writer.write(json.dumps(request).encode("utf-8") + b"\n")
        pid: int | None = None
        held: str | None = None
        try:
            await writer.drain()
            first = await reader.readline()
            pid = attach.marked(first.decode("utf-8", errors="replace"), "pid")
            if pid is None:
                raise WarmStartError("the warm start server did not start the run")
            if on_start is not None:
                on_start(pid)
            while raw := await _line(reader):
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if held is not None and on_line is not None:
                    on_line(held)  # a marked line followed by more output was the run's own text
                held = None
                if line.startswith(MARK):
                    held = line
                elif line and on_line is not None:
                    on_line(line)
        except asyncio.CancelledError:
            if pid is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGTERM)
            raise
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        code = attach.marked(held, "exit") if held is not None else None
        if code is None:
            if held and on_line is not None:
                on_line(held)
            return CRASH_EXIT
        return code

    async def close(self) -> None:
        async with self._starting:
            await self._stop()

    async def _stop(self) -> None:
        server, self._server = self._server, None
        if self._links and self.socket_path is not None:
            attach.unpublish(self._links, self.socket_path)
        self._links = []
        if server is not None and server.returncode is None:
            assert server.stdin is not None
            server.stdin.close()  # the server stops when its input closes
            try:
                await asyncio.wait_for(server.wait(), 5)
            except TimeoutError:
                server.kill()
                await server.wait()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


async def _line(reader: asyncio.StreamReader) -> bytes:
    """The next line, a too long one cut rather than failing the run."""
    try:
        return await reader.readline()
    except ValueError:  # longer than LINE_LIMIT: take what is there
        return await reader.read(LINE_LIMIT) + b"\n"
