"""``comptoir --help`` and a job's ``--help`` start without loading the heavy modules (the profile
models, SQLAlchemy, the HTTP client, the platforms, the web application, the PDF libraries): each
command imports what it uses when it runs. A job starts without what it does not use either (the
ORM, the mailer, the ERP's writers, the tables it does not read). Checked on the modules a real
process has loaded, never on a timing (benchmarks/startup.py measures the time)."""

from __future__ import annotations

import gc
import inspect
import json
import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from typer.testing import CliRunner

from comptoir.cli import app, application
from comptoir.jobs.runner import JobName, job_function
from comptoir.profile import load_profile
from comptoir.registry import erp_platform
from comptoir.state import StateStore

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
    "rich",
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
and the platforms' settings). Help is plain text: Rich is imported by the first line printed
through comptoir's consoles (``cli/console.py``)."""

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
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "XDG_CACHE_HOME": str(tmp_path / "cache")},
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


JOB_PROBE = """
import json, sys
out, *args = sys.argv[1:]
sys.argv = ["comptoir", *args]
import comptoir.jobs.runner as runner
job_function = runner.job_function

async def entered(ctx, **options):
    import gc
    from sqlalchemy import Table
    from comptoir.erp.sage100 import schema
    from comptoir.shop import http
    tables = sorted(name for name, value in vars(schema).items() if isinstance(value, Table))
    modules = sorted(name for name, module in sys.modules.items() if module is not None)
    from comptoir.cli import codecache
    collector = {"enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}
    trust = http._context.cache_info().currsize
    code = {"compiled": codecache._installed.added, "cached": len(codecache._installed.codes)}
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"modules": modules, "tables": tables, "collector": collector, "trust": trust,
                   "code": code}, file)

def probe(job):
    job_function(job)
    return entered

runner.job_function = probe
from comptoir.cli import main
main()
"""
"""Runs ``comptoir ARGS``; the job imports its module, then, where its function would start, the
probe writes the modules loaded, the Sage tables described so far, the garbage collector's state,
the TLS trusts loaded and the texts compiled (``cli/codecache.py``), and returns."""

NOT_AT_JOB_START = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.oracle",
    "sqlalchemy.dialects.postgresql",
    "alembic",
    "smtplib",
    "comptoir.alerts",
    "comptoir.erp.sage100.write_documents",
    "comptoir.erp.sage100.write_payments",
    "comptoir.erp.sage100.write_customers",
    "comptoir.erp.sage100.numbering",
    "comptoir.erp.sage100.prefetch",
    "comptoir.erp.sage100.read_prices",
    "comptoir.erp.sage100.read_issued",
    "comptoir.web",
    "comptoir.sandbox",
    "comptoir.model.aftersale",
    "comptoir.model.pricing",
    "comptoir.shop.woocommerce.aftersale",
    "httpcore",
    "h11",
    "anyio",
)
"""Modules no job loads before it starts: the state store uses SQLAlchemy Core (no ORM), Alembic
only when a migration is due, the mailer only for a profile with alerts, and the Sage adapter
imports each reader and writer when first called; ``comptoir.model`` imports the module of each
type when it is first named (the ``Erp`` and ``Shop`` protocols name theirs for the type checker
only), WooCommerce's order and refund calls are imported when first used, and the shop's HTTP
client, with its transport (httpcore, h11, anyio) and TLS trust, is made at the first request."""

NOT_AT_CATALOG_JOB_START = ("comptoir.model.document", "comptoir.model.order")
"""What a catalog or stock job does not load either: the orders' and documents' types."""


@pytest.fixture(scope="module")
def job_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile on the small demo company and its state store (migrated: a job loads Alembic only
    when a migration is due); its shop is never called (the probe stops first)."""
    folder = tmp_path_factory.mktemp("startup")
    profile = {
        "name": "startup",
        "erp": erp_platform("sage100").demo(folder, "small"),
        "shop": {
            "kind": "woocommerce",
            "url": "https://127.0.0.1:9",
            "consumer_key": "env:COMPTOIR_STARTUP_KEY",
            "consumer_secret": "env:COMPTOIR_STARTUP_SECRET",
        },
    }
    path = folder / "profile.toml"
    path.write_text(tomli_w.dumps(profile), encoding="utf-8")
    StateStore.open(load_profile(path).state_url()).close()
    return path


def job_start(args: list[str], tmp_path: Path, **env: str) -> dict[str, Any]:
    """What a job had loaded and described when its function was entered (its output into a pipe)."""
    out = tmp_path / "entered.json"
    secrets = {"COMPTOIR_STARTUP_KEY": "ck_startup", "COMPTOIR_STARTUP_SECRET": "cs_startup"}
    environ = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    completed = subprocess.run(
        [sys.executable, "-c", JOB_PROBE, str(out), *args],
        capture_output=True,
        text=True,
        env={**environ, **secrets, "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache"), **env},
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0 and out.exists(), completed.stdout + completed.stderr
    found: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize(
    ("command", "module", "left_out"),
    [
        ("update-stock", "comptoir.jobs.stock", NOT_AT_JOB_START + NOT_AT_CATALOG_JOB_START),
        ("export-products", "comptoir.jobs.products", NOT_AT_JOB_START + NOT_AT_CATALOG_JOB_START),
        ("import-orders", "comptoir.jobs.orders", NOT_AT_JOB_START),
    ],
)
def test_a_job_starts_without_what_it_does_not_use(
    command: str, module: str, left_out: tuple[str, ...], job_profile: Path, tmp_path: Path
) -> None:
    started = job_start([command, "--profile", str(job_profile)], tmp_path)
    modules = set(started["modules"])
    # what the job runs on is there: the probe sees a real start
    assert {module, "comptoir.erp.sage100.adapter", "comptoir.shop.woocommerce.shop"} <= modules
    assert {"sqlalchemy.engine", "comptoir.state.store", "pydantic", "comptoir.model.catalog"} <= modules
    loaded = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in left_out))
    assert loaded == [], f"comptoir {command} loaded {loaded} before starting"
    # its lines went into a pipe, straight: Rich is not even imported
    assert not [m for m in modules if m == "rich" or m.startswith("rich.")]
    # the shop was opened, but its TLS trust is loaded by the first request only
    assert started["trust"] == 0
    # start-up ran without the garbage collector, which resumed at the job's start with what
    # start-up made frozen (out of its sight)
    assert started["collector"]["enabled"] is True
    assert started["collector"]["frozen"] > 10_000, started["collector"]
    # tables are described when a read or write first uses them, none of these before the job runs
    described = set(started["tables"])
    assert not described & {"F_ARTICLE", "F_DOCENTETE", "F_DOCLIGNE", "F_COMPTET", "F_ARTCLIENT"}, described


def test_a_command_run_alone_behaves_as_in_the_whole_application() -> None:
    """``comptoir <command>`` runs a copy of the application holding that command alone (Typer then
    converts one signature, not all): its help, its errors and its exit codes are the same."""
    runner = CliRunner()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert len(names) > 20 and "update-stock" in names and "orders" in names
    for name in names:
        assert name is not None
        alone = application([name])
        assert alone is not app
        assert len(alone.registered_commands) + len(alone.registered_groups) == 1
        for args in ([name, "--help"], [name, "--no-such-option"]):
            whole = runner.invoke(app, args, prog_name="comptoir")
            own = runner.invoke(alone, args, prog_name="comptoir")
            assert (own.exit_code, own.output) == (whole.exit_code, whole.output), args
    assert application(["--help"]) is app
    assert application(["no-such-command"]) is app
    assert application([]) is app


def test_the_model_package_imports_only_the_modules_of_the_names_asked_for() -> None:
    """``from comptoir.model import X`` loads X's module and what it needs, not the orders', the
    documents' or the after-sale types (each dataclass costs its methods' compilation)."""
    code = (
        "import json, sys\n"
        "from comptoir.model import StockLevel, ItemResult, DocumentType\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('comptoir.model'))))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(found.stdout))
    assert {"comptoir.model.catalog", "comptoir.model.drafts", "comptoir.model.kinds"} <= loaded
    assert not loaded & {
        "comptoir.model.order",
        "comptoir.model.document",
        "comptoir.model.aftersale",
        "comptoir.model.pricing",
    }


def test_every_model_name_is_found_where_it_was() -> None:
    import comptoir.model as model
    from comptoir.model import document, kinds

    for name in model.__all__:
        value = getattr(model, name)
        assert value is getattr(import_module(f"comptoir.model.{model._MODULES[name]}"), name), name
    assert set(model.__all__) <= set(dir(model))
    namespace: dict[str, object] = {}
    exec("from comptoir.model import *", namespace)
    assert set(model.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = model.no_such_name
    # the profile's choices moved to ``kinds``: the same classes where they were
    assert document.DocumentType is kinds.DocumentType is model.DocumentType


def test_only_job_commands_start_without_the_collector_and_none_leaves_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from comptoir.cli import jobs, main

    for name, _ in jobs.JOB_COMMANDS:
        assert jobs.is_job_command([name, "--profile", "p.toml"])
    assert jobs.is_job_command(["orders", "reset"])
    for other in (["serve"], ["demo"], ["profile", "check"], ["--help"], []):
        assert not jobs.is_job_command(other), other

    frozen = gc.get_freeze_count()
    monkeypatch.setattr(sys, "argv", ["comptoir", "update-stock", "--profile", str(tmp_path / "none.toml")])
    monkeypatch.setattr("comptoir.cli.code_cache.install", lambda: None)  # not in the test process
    with pytest.raises(SystemExit) as stopped:
        main()  # the profile is missing: the command stops before its job
    assert stopped.value.code == 2
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # nothing frozen: no job started


def test_rich_decides_where_it_may_see_a_terminal(job_profile: Path, tmp_path: Path) -> None:
    """Told that the output understands a terminal's codes (``FORCE_COLOR``), the job's lines go
    through Rich, whose rules decide: only a certain file or pipe skips it."""
    started = job_start(["update-stock", "--profile", str(job_profile)], tmp_path, FORCE_COLOR="1")
    assert "rich.console" in started["modules"]


def test_a_second_start_compiles_nothing_from_text(job_profile: Path, tmp_path: Path) -> None:
    """The methods ``dataclasses`` generates and ``typing``'s forward references are compiled by the
    first run and read from the user's cache folder by the next (``cli/codecache.py``)."""
    cache = tmp_path / "shared-cache"
    first = job_start(["update-stock", "--profile", str(job_profile)], tmp_path, XDG_CACHE_HOME=str(cache))
    second = job_start(["update-stock", "--profile", str(job_profile)], tmp_path, XDG_CACHE_HOME=str(cache))
    assert first["code"]["compiled"] > 100
    assert second["code"] == {"compiled": 0, "cached": first["code"]["cached"]}
    assert list((cache / "comptoir").glob("code-*.marshal"))
