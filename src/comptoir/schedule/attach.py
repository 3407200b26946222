"""Typed commands started warm: a job typed in a terminal, or run by cron, while ``comptoir serve``
runs is forked by the service's warm start server instead of paying its imports.

A fresh process spends about 0.4 s of CPU importing its libraries before a job starts
(docs/performance.md, "Start-up"); ``comptoir serve`` keeps a warm start server that has imported
them (``schedule/warm.py``) and publishes it in the user's runtime folders (``runtime_folders``),
under a name made of the Python executable and comptoir's installation (``published_name``), so
that only the same installation finds it.

``comptoir <job> …`` looks there first, importing nothing heavy: when a server answers, it hands
over its command line, environment, folder and umask, and its standard streams themselves (their
file descriptors, passed over the Unix socket): the run writes to the same terminal, file or pipe a
fresh process would, its colours, progress bar and terminal width included. Ctrl-C and the
termination signals the command receives are passed on to the run, whose exit code becomes the
command's; a command that goes away (its terminal closed) stops its run.

The command starts as a fresh process instead when no server is published, when the folder
holding it is not the user's alone, when the server is another user's, another installation's, or
its code changed on disk since it started (an upgrade: it refuses), and on anything unexpected
before the run started. ``COMPTOIR_WARM_START=0`` turns warm starts off. POSIX only.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

MARK = "\x00comptoir"
"""Starts the lines the warm start server and its runs send back (never a line of a journal: NUL)."""
CRASH_EXIT = 70
"""The exit code of a run that died without saying its own (as ``cli/crash.py``'s)."""
WARM_START_VARIABLE = "COMPTOIR_WARM_START"
RUNTIME_VARIABLE = "COMPTOIR_RUNTIME_DIR"
JOB_COMMANDS = frozenset(
    {
        "export-products",
        "update-prices",
        "update-stock",
        "enable-products",
        "export-customers",
        "import-orders",
        "update-order-statuses",
        "send-invoices",
        "import-refunds",
        "orders",
    }
)
"""The commands that run a job (``cli/jobs.py``): the only ones worth a warm start."""
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
"""Signals the command passes on to its run (to the run's process group, as a terminal would)."""
CONNECT_TIMEOUT = 2.0
ANSWER_TIMEOUT = 10.0
"""How long the server may take to fork the run (or refuse it) before the command starts fresh."""


def enabled() -> bool:
    """Whether warm starts are allowed here (POSIX, Unix sockets, not turned off)."""
    import socket

    return (
        hasattr(os, "fork")
        and hasattr(socket, "AF_UNIX")
        and hasattr(socket, "send_fds")
        and os.environ.get(WARM_START_VARIABLE, "1").strip() != "0"
    )


def runtime_folders() -> list[Path]:
    """Where a service publishes its server, in the order a command looks: ``$COMPTOIR_RUNTIME_DIR``
    alone when set (a service whose temporary folder is its own, as systemd's ``PrivateTmp``
    makes it, and the commands meant to find it); else the session's runtime folder
    (``$XDG_RUNTIME_DIR/comptoir``) when there is one, then the temporary folder's
    ``comptoir-<uid>`` (a service started by the system, or cron, has no session folder)."""
    chosen = os.environ.get(RUNTIME_VARIABLE, "").strip()
    if chosen:
        return [Path(chosen)]
    folders = []
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        folders.append(Path(runtime) / "comptoir")
    temporary = os.environ.get("TMPDIR", "").strip() or "/tmp"
    folders.append(Path(temporary) / f"comptoir-{os.getuid()}")
    return folders


def identity() -> dict[str, str]:
    """What makes this installation: its interpreter (the real one, and the environment it runs
    in: ``python`` and ``python3`` of a virtual environment are one), comptoir's folder and version."""
    import comptoir

    return {
        "executable": f"{Path(sys.executable).resolve()}\0{Path(sys.prefix).absolute()}",
        "package": str(Path(comptoir.__file__).absolute().parent),
        "version": comptoir.__version__,
    }


def published_name(who: dict[str, str]) -> str:
    """The name of the published server of the installation ``who``."""
    key = "\0".join((who["executable"], who["package"], who["version"]))
    return f"warm-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}"


def private(folder: Path) -> bool:
    """Whether ``folder`` is a real folder of this user's that no one else can write into or read."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


SOCKET_PATH_MAX = 100
"""Longest socket path used (the system's limit is about 104 to 108 bytes)."""


def server_folder() -> Path | None:
    """Where a published server makes its own folder: the last runtime folder (the temporary
    folder's ``comptoir-<uid>``, which outlives a login session, or ``$COMPTOIR_RUNTIME_DIR``), so
    that the commands finding its link can reach its socket (a service with a private temporary
    folder is reachable through ``$COMPTOIR_RUNTIME_DIR`` only); ``None``: the system's temporary
    folder (the runtime folder not usable, or its path too long for a socket)."""
    folder = runtime_folders()[-1]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    socket_path = len(os.fsencode(folder)) + len("/comptoir-warm-12345678/server")
    return folder if private(folder) and socket_path <= SOCKET_PATH_MAX else None


def publish(socket_path: Path) -> list[Path]:
    """Make the server listening on ``socket_path`` findable by this installation's commands;
    return the links made (``unpublish`` takes them back)."""
    made = []
    name = published_name(identity())
    for folder in runtime_folders():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not private(folder):
                continue
            link = folder / name
            temporary = folder / f".{name}.{os.getpid()}"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(socket_path)
            temporary.replace(link)
            made.append(link)
        except OSError:
            continue
    return made


def unpublish(links: Sequence[Path], socket_path: Path) -> None:
    """Take back the links ``publish`` made, unless another service published its own since."""
    for link in links:
        try:
            if link.readlink() == socket_path:
                link.unlink()
        except OSError:
            continue


def attach(argv: Sequence[str]) -> int | None:
    """Run ``comptoir argv`` in the published warm start server's child; its exit code, or
    ``None`` when it could not be started there (nothing ran: start a fresh process)."""
    if not argv or argv[0] not in JOB_COMMANDS or any(a in ("--help", "-h") for a in argv):
        return None
    if not enabled():
        return None
    who = identity()
    name = published_name(who)
    for folder in runtime_folders():
        if not private(folder):
            continue
        link = folder / name
        try:
            if link.lstat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        code = _run(link, argv, who)
        if code is not None:
            return code
    return None


def _run(path: Path, argv: Sequence[str], who: dict[str, str]) -> int | None:
    import json
    import socket

    streams = _streams()
    if streams is None:
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    signals = _Signals()
    try:
        conn.settimeout(CONNECT_TIMEOUT)
        conn.connect(str(path))
        if not _same_user(conn):
            raise OSError("the server is another user's")
        umask = os.umask(0o022)
        os.umask(umask)
        request: dict[str, Any] = {
            "argv": list(argv),
            "env": dict(os.environ),
            "cwd": str(Path.cwd()),
            "umask": umask,
            "attach": who,
            "streams": streams,
            "ignored": signals.ignored,
        }
        data = json.dumps(request).encode("utf-8", "surrogateescape") + b"\n"
        signals.catch()
        socket.send_fds(conn, [data], [0, 1, 2])
        conn.settimeout(ANSWER_TIMEOUT)
        reader = conn.makefile("rb")
        pid = marked(reader.readline().decode("utf-8", "replace").rstrip("\n"), "pid")
        conn.settimeout(None)
    except OSError:
        pid = None
    if pid is None:  # refused (another installation, code changed), gone, unreachable: start fresh
        conn.close()
        signals.restore()
        return None
    signals.forward_to(pid)
    try:
        line = reader.readline().decode("utf-8", "replace").rstrip("\n")
    except OSError:
        line = ""
    finally:
        conn.close()
    code = marked(line, "exit")
    if code is None:
        from comptoir.journal.messages import render

        sys.stderr.write(render("run.attached_lost", _language(argv), pid=pid) + "\n")
        return CRASH_EXIT
    return code


def _language(argv: Sequence[str]) -> Literal["fr", "en"]:
    """The language of the profile the command names (French unless it says English)."""
    import tomllib

    path = next((a.split("=", 1)[1] for a in argv if a.startswith("--profile=")), None)
    for index, arg in enumerate(argv[:-1]):
        if arg in ("--profile", "-p"):
            path = argv[index + 1]
    if path is None:
        return "fr"
    try:
        with Path(path).open("rb") as file:
            language = tomllib.load(file).get("language")
    except (OSError, ValueError):
        language = None
    return "en" if language == "en" else "fr"


class _Signals:
    """The signals a command passes on to its run. Those the command ignores (started by
    ``nohup``, or in the background of a script) are left ignored, and the run ignores them too,
    as a fresh process would; the others are caught from the request on, held until the run's
    process id is known, then passed on to its process group."""

    def __init__(self) -> None:
        import signal

        self._signal = signal
        self.numbers = {
            name: number for name in FORWARDED if (number := getattr(signal, name, None)) is not None
        }
        self.ignored = [
            name for name, number in self.numbers.items() if signal.getsignal(number) == signal.SIG_IGN
        ]
        self._previous: dict[int, Any] = {}
        self._held: list[int] = []
        self._pid: int | None = None

    def catch(self) -> None:
        for name, number in self.numbers.items():
            if name not in self.ignored:
                self._previous[number] = self._signal.signal(number, self._received)

    def _received(self, number: int, _frame: object) -> None:
        if self._pid is None:
            self._held.append(number)
            return
        with contextlib.suppress(OSError):
            os.killpg(self._pid, number)

    def forward_to(self, pid: int) -> None:
        self._pid = pid
        held, self._held = self._held, []
        for number in held:
            with contextlib.suppress(OSError):
                os.killpg(pid, number)

    def restore(self) -> None:
        """Back as before (no run started): a signal held meanwhile is delivered to this process."""
        for number, previous in self._previous.items():
            self._signal.signal(number, previous)
        self._previous = {}
        held, self._held = self._held, []
        for number in held:
            self._signal.raise_signal(number)


def _streams() -> dict[str, Any] | None:
    """How Python wrote to this command's streams, for the run to write the same way; ``None``
    when one of them is missing (closed)."""
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return None
    if sys.stdout is None or sys.stderr is None:
        return None
    return {
        "encoding": getattr(sys.stdout, "encoding", None) or "utf-8",
        "errors": getattr(sys.stdout, "errors", None) or "strict",
        "stderr_errors": getattr(sys.stderr, "errors", None) or "backslashreplace",
    }


def _same_user(conn: Any) -> bool:
    """Whether the server is this user's (Linux tells; elsewhere the private folder vouches)."""
    import socket

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    import struct

    size = struct.calcsize("3i")
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, size))
    return bool(uid == os.getuid())


def marked(line: str, word: str) -> int | None:
    """The number of a marked line (``MARK pid 123``, ``MARK exit 0``) saying ``word``; ``None``
    for any other line (a process id must be positive)."""
    text = line.strip()
    prefix = f"{MARK} {word} "
    if not text.startswith(prefix):
        return None
    try:
        number = int(text[len(prefix) :])
    except ValueError:
        return None
    return number if word != "pid" or number > 0 else None


def main() -> None:
    """Console entry point: the run in the service's warm start server when there is one, else
    ``comptoir`` as a fresh process (``comptoir.cli.main``)."""
    code = attach(sys.argv[1:])
    if code is not None:
        raise SystemExit(code)
    from comptoir.cli import main as fresh

    fresh()
