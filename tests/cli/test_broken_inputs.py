"""Every command of the CLI, given broken inputs in a real process, ends with a named error: never a
traceback, never a zero exit code. The commands are read from the Typer app, so a new command is
covered as soon as it exists; a new kind of option must say here what a broken value of it is.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest
import typer.main

from broken_profiles import AT_OPEN, LOAD_TIME, SECRETS, Broken, write_broken
from comptoir.cli import app


@dataclass(frozen=True)
class Case:
    """One broken value for one option, and what the refusal must name (empty: anything)."""

    name: str
    value: Callable[[Path], str]
    names: str = ""
    needs_erp: bool = False
    """Broken only for commands that open the ERP."""


def _profile(broken: Broken) -> Case:
    return Case(
        broken.name,
        lambda folder: str(write_broken(folder, broken)),
        broken.field,
        needs_erp=broken in AT_OPEN,
    )


def _file(folder: Path) -> str:
    (folder / "a-file").write_text("x\n", encoding="utf-8")
    return str(folder / "a-file")


def _junk(folder: Path) -> str:
    (folder / "junk.sqlite").write_bytes(b"\xff\xfe not a database" * 20)
    return str(folder / "junk.sqlite")


def _busy_port(_folder: Path) -> str:
    return str(BUSY.getsockname()[1])


BROKEN: dict[str, list[Case]] = {
    "profile": [
        Case("missing profile", lambda folder: str(folder / "nowhere.toml"), "does not exist"),
        Case("a folder as profile", lambda folder: str(folder), "is a folder"),
        *(_profile(broken) for broken in LOAD_TIME + AT_OPEN),
    ],
    "profiles": [
        Case("profiles folder missing", lambda folder: str(folder / "nowhere"), "does not exist"),
        Case("profiles folder is a file", _file, "is a file"),
    ],
    "workdir": [
        Case("workdir is a file", _file, "is a file"),
        Case("workdir below a file", lambda folder: _file(folder) + "/demo", "is a file, not a folder"),
    ],
    "from_file": [
        Case("orders file missing", lambda folder: str(folder / "nowhere.json"), "does not exist"),
        Case("orders file is a folder", lambda folder: str(folder), "is a directory"),
    ],
    "data": [Case("data folder is a file", _file, "is a file")],
    "certfile": [Case("certificate missing", lambda folder: str(folder / "nowhere.pem"), "does not exist")],
    "keyfile": [Case("key missing", lambda folder: str(folder / "nowhere.pem"), "does not exist")],
    "db": [
        Case("db is a folder", lambda folder: str(folder), "is a directory"),
        Case("db is not a database", _junk, "is not a SQLite database"),
        Case("db below a file", lambda folder: _file(folder) + "/shop.sqlite", "is a file, not a folder"),
    ],
    "port": [
        Case("port out of range", lambda _folder: "99999", "--port"),
        Case("port already taken", _busy_port, "cannot listen on"),
    ],
    "host": [Case("host not an address", lambda _folder: "::zz", "cannot listen on")],
    "scale": [Case("unknown scale", lambda _folder: "huge", "must be small or reference")],
    "shop": [Case("unknown shop platform", lambda _folder: "magento", "must be one of")],
    "version": [Case("unknown PrestaShop version", lambda _folder: "7", "Unknown version '7'")],
}
"""Broken values, by option name. Flags and numbers need none here: Click checks them itself."""

NO_INPUT = {("profile", "doc")}
"""Commands that read nothing the user gives: nothing to break."""

JOB_COMMANDS = {
    ("enable-products",),
    ("export-customers",),
    ("export-products",),
    ("import-orders",),
    ("import-refunds",),
    ("orders", "reimport"),
    ("orders", "reset"),
    ("send-invoices",),
    ("update-order-statuses",),
    ("update-prices",),
    ("update-stock",),
}
"""Commands that read their profile through the one path of the jobs (``cli/jobs.py`` ``execute``)."""

EVERY_PROFILE_CASE = {("update-stock",), ("import-orders",), ("orders", "reset")}
"""The job commands given every broken profile; the other job commands, which read the profile the
same way, get the first few cases only (each case is a process start: the whole table on every
command would cost minutes for no new path)."""

ERP_FREE = {("runs",), ("shop", "test"), ("schedule",), ("alerts", "test"), ("alerts", "check")}
"""Commands that never open the ERP: a broken ERP database is not their business."""

ARGUMENTS = {
    ("user", "add"): ["someone"],
    ("user", "remove"): ["someone"],
    ("orders", "reset"): ["1"],
    ("orders", "reimport"): ["1"],
}
"""A valid value of each command's arguments, so that only the option under test is broken."""

BUSY = socket.socket()


CommandPath = tuple[str, ...]


def commands(group: Any, prefix: CommandPath = ()) -> Iterator[tuple[CommandPath, Any]]:
    """Every command under the Click group ``group`` with its path (``("profile", "check")``), those
    a group makes only when asked for (``comptoir sandbox <kind>``) included."""
    context = group.context_class(group)
    for name in sorted(group.list_commands(context)):
        command = group.get_command(context, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def _numeric(hint: Any) -> bool:
    return all(arg in (int, float) for arg in (get_args(hint) or (hint,)) if arg is not type(None))


def breakable(command: Any) -> list[Any]:
    """The options of ``command`` a user can get wrong beyond what Click checks (text, paths, ports)."""
    hints = get_type_hints(command.callback)
    return [
        param
        for param in command.params
        if param.param_type_name == "option"
        and not param.is_flag
        and (param.name in BROKEN or not _numeric(hints[param.name]))
    ]


ALL = list(commands(typer.main.get_command(app)))


def test_every_option_that_takes_text_has_broken_values() -> None:
    assert len(ALL) >= 11
    unknown = {
        (" ".join(path), param.name)
        for path, command in ALL
        for param in breakable(command)
        if param.name not in BROKEN
    }
    assert not unknown, f"say in BROKEN what a broken value of these options is: {unknown}"
    without_input = {path for path, command in ALL if not breakable(command)}
    assert without_input == NO_INPUT


def run(path: CommandPath, flag: str, value: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **SECRETS, "XDG_STATE_HOME": str(cwd / "state"), "NO_COLOR": "1", "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-m", "comptoir", *path, *ARGUMENTS.get(path, []), flag, value],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=180,
    )


@pytest.fixture(scope="module", autouse=True)
def busy_port() -> Iterator[None]:
    BUSY.bind(("127.0.0.1", 0))
    BUSY.listen()
    yield
    BUSY.close()


@pytest.mark.parametrize(
    ("path", "command"),
    [(path, command) for path, command in ALL if path not in NO_INPUT],
    ids=[" ".join(path) for path, _command in ALL if path not in NO_INPUT],
)
def test_broken_inputs_end_in_a_named_error(path: CommandPath, command: Any, tmp_path: Path) -> None:
    jobs: list[tuple[str, str, Case, Path]] = []
    for number, param in enumerate(breakable(command)):
        cases = BROKEN[param.name]
        if param.name == "profile" and path in JOB_COMMANDS - EVERY_PROFILE_CASE:
            cases = cases[:4]
        for index, case in enumerate(cases):
            if case.needs_erp and path in ERP_FREE:
                continue
            folder = tmp_path / f"{number}-{index}"
            folder.mkdir()
            jobs.append((param.name, param.opts[0], case, folder))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda job: run(path, job[1], job[2].value(job[3]), job[3]), jobs))
    for (option, flag, case, _folder), result in zip(jobs, results, strict=True):
        output = result.stdout + result.stderr
        where = f"{' '.join(path)} {flag} ({case.name}): exit {result.returncode}\n{output}"
        assert "Traceback" not in output, where
        assert "Unexpected error" not in output, where
        assert result.returncode != 0, where
        assert case.names in " ".join(output.split()), where
        if option == "profile" and not (case.needs_erp and path == ("erp", "test")):
            assert result.returncode == 2, where  # erp test reports an unusable ERP as its verdict: 1
        if path == ("profile", "check"):
            naming = [line for line in output.splitlines() if case.names in line]
            assert len(naming) == 1, where
