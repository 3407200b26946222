"""``comptoir --help`` and a job's ``--help`` start without loading the heavy modules (the profile
models, SQLAlchemy, the HTTP client, the platforms, the web application, the PDF libraries): each
command imports what it uses when it runs. Checked on the modules a real process has loaded, never
on a timing (benchmarks/startup.py measures the time)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from comptoir.jobs.runner import JobName, job_function

HEAVY = (
    "sqlalchemy",
    "alembic",
    "httpx",
    "reportlab",
    "facturx",
    "pypdf",
    "PIL",
    "starlette",
    "uvicorn",
    "jinja2",
    "argon2",
    "croniter",
    "asyncio",
    "rich.progress",
    "comptoir.profile",
    "comptoir.state",
    "comptoir.jobs.runner",
    "comptoir.journal",
    "comptoir.model",
    "comptoir.shop",
    "comptoir.erp",
    "comptoir.web",
    "comptoir.alerts",
    "comptoir.invoices",
    "comptoir.sandbox",
    "comptoir.demo",
    "comptoir.schedule",
)
"""Modules (and their sub-modules) no ``--help`` may load. Pydantic itself is not one: Typer converts
every option's value through it (the profile models, which cost far more, are in ``comptoir.profile``
and the platforms' settings)."""

PROBE = """
import json, sys
out, *args = sys.argv[1:]
sys.argv = ["comptoir", *args]
from comptoir.cli import main
try:
    main()
finally:
    with open(out, "w", encoding="utf-8") as file:
        json.dump(sorted(name for name, module in sys.modules.items() if module is not None), file)
"""


def loaded_by(args: list[str], tmp_path: Path) -> tuple[str, set[str]]:
    """Run ``comptoir *args`` in a fresh process: its output and the modules it had loaded."""
    out = tmp_path / "modules.json"
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout, set(json.loads(out.read_text(encoding="utf-8")))


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["export-products", "--help"],
        ["update-stock", "--help"],
        ["import-orders", "--help"],
        ["send-invoices", "--help"],
        ["orders", "reimport", "--help"],
        ["serve", "--help"],
        ["demo", "--help"],
        ["user", "add", "--help"],
        ["profile", "check", "--help"],
    ],
    ids=" ".join,
)
def test_help_loads_no_heavy_module(args: list[str], tmp_path: Path) -> None:
    output, modules = loaded_by(args, tmp_path)
    assert "Usage: comptoir" in output, output
    assert heavy(modules) == [], f"comptoir {' '.join(args)} loaded {heavy(modules)}"


def test_the_commands_list_loads_not_even_pydantic(tmp_path: Path) -> None:
    _output, modules = loaded_by(["--help"], tmp_path)
    assert "pydantic" not in modules
    assert "httpx" not in modules


def test_the_probe_sees_what_a_command_loads(tmp_path: Path) -> None:
    """The check above can fail: a command that runs loads what it needs."""
    output, modules = loaded_by(["profile", "doc"], tmp_path)
    assert "# Configuration reference" in output or output.startswith("#"), output[:200]
    assert {"pydantic", "comptoir.profile"} <= modules
    assert heavy(modules)


def test_a_sandbox_command_loads_only_its_platform(tmp_path: Path) -> None:
    output, modules = loaded_by(["sandbox", "prestashop", "--help"], tmp_path)
    assert "--version" in output
    assert "comptoir.shop.prestashop.platform" in modules
    assert not any(m.startswith("comptoir.shop.woocommerce") for m in modules)


@pytest.mark.parametrize("job", list(JobName))
def test_every_job_is_found_when_it_runs(job: JobName) -> None:
    """Jobs are imported on first use: each name leads to its coroutine function."""
    function = job_function(job)
    assert inspect.iscoroutinefunction(function)
    assert function.__name__ == job.value
