"""The last line of defence: an unexpected error becomes one line on the terminal plus a log file.

The traceback goes to ``logs/`` in the data folder of the profile the command loaded, or to the
user's log folder when no profile was loaded (``~/.local/state/comptoir/log`` on Linux,
``%LOCALAPPDATA%\\comptoir\\Logs`` on Windows), or to the temporary folder when neither can be
written. The terminal only shows the error's kind, its first line and where the details are.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import traceback
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

EXIT_CODE = 70
"""Exit code of a command stopped by an unexpected error (``EX_SOFTWARE`` of sysexits)."""
_MAX_SUMMARY = 300

_profile_logs: Path | None = None


def use_profile_logs(folder: Path) -> None:
    """Write crash logs to ``folder`` (the loaded profile's ``logs/``) from now on."""
    global _profile_logs
    _profile_logs = folder


def _folders() -> Iterator[Path]:
    if _profile_logs is not None:
        yield _profile_logs
    import platformdirs

    yield platformdirs.user_log_path("comptoir", appauthor=False)
    yield Path(tempfile.gettempdir()) / "comptoir"


def summary(exc: BaseException) -> str:
    """``Kind: first line of the message``, kept short."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= _MAX_SUMMARY else text[: _MAX_SUMMARY - 1] + "…"


def record(exc: BaseException) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; its path, or ``None`` if none could be written."""
    from comptoir import __version__

    now = datetime.now().astimezone()
    name = f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    text = (
        f"comptoir {__version__}, Python {platform.python_version()} on {platform.platform()}\n"
        f"at {now.isoformat(timespec='seconds')}\n"
        f"command: {' '.join(sys.argv)}\n\n" + "".join(traceback.format_exception(exc))
    )
    for folder in _folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def message(exc: BaseException) -> str:
    """Record ``exc`` and return the one line to show."""
    path = record(exc)
    where = f"details in {path}" if path is not None else "its details could not be written to any log folder"
    return f"Unexpected error, please report it: {summary(exc)} ({where})"
