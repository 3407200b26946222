"""Benchmark: how long ``comptoir`` takes to start, against the naive CLI that imports everything.

Each figure is a fresh process, run ``--repeat`` times; the best wall time and the best CPU time
(user + system, of the process) are kept, the CPU time being the steadier figure on a machine
other work shares. Measured:

- ``python -c pass`` and a bare Typer application with one command (``--help``, and the
  command's ``--help``): the floor any Typer CLI pays;
- the chosen libraries alone, as a job uses them (``LIBRARIES``): the floor of a job's start-up;
- ``comptoir --help``, ``comptoir export-products --help``, ``import comptoir.cli``;
- a job's start-up: ``comptoir update-stock`` (and the other jobs) up to the moment the job's own
  function is entered, its profile loaded, the ERP, state store and shop opened and the job's
  module imported, on the small demo company (the job's function is replaced by a probe that
  records the time and returns);
- the same with the naive CLI: every module the commands use imported before the command runs
  (the jobs, both platforms, the web application, the mailer, the PDF libraries, httpx with its
  command-line client, Alembic), as comptoir did before its commands imported what they use;
- a job's start-up as the scheduler and the dashboard start it: forked by the warm start server
  (``schedule/warm.py``), from the request to the job's function, against the same job started
  as a fresh process;
- a job typed while ``comptoir serve`` runs: the command (a fresh ``python -m comptoir``) hands its
  run to the service's published warm start server (``schedule/attach.py``), from the command's
  start to the job's function, against the same job started as a fresh process.

With ``--instructions``, each comptoir figure also gets the instructions its process executed,
counted by valgrind (cachegrind without cache simulation, hash seed fixed): one run each, the same
count at every run whatever else the machine does, to compare versions on a shared machine.

Usage: python benchmarks/startup.py [--repeat N] [--instructions] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from comptoir.schedule.warm import supported as warm_supported

EAGER = (
    "httpx",  # first, as before: with its command-line client
    "alembic.command",
    "comptoir.cli.terminal",
    "comptoir.jobs.runner",
    *(f"comptoir.jobs.{name}" for name in ("products", "prices", "stock", "status", "customers")),
    *(f"comptoir.jobs.{name}" for name in ("orders", "order_statuses", "invoices", "refunds", "order_reset")),
    "comptoir.shop.woocommerce.shop",
    "comptoir.shop.prestashop.shop",
    "comptoir.erp.sage100.adapter",
    "comptoir.profile.reference",
    "comptoir.alerts.notify",
    "comptoir.alerts.mailer",
    "comptoir.web.app",
    "comptoir.web.config",
    "comptoir.schedule.loop",
    "comptoir.demo.runner",
    "comptoir.sandbox.core.faults",
)
"""What the naive CLI imports before running any command."""

RUN = """
import importlib, importlib.util, json, sys, time
eager, out, *args = sys.argv[1:]
for name in filter(None, eager.split(",")):
    importlib.import_module(name)
sys.argv = ["comptoir", *args]


def patch(runner):
    job_function = runner.job_function

    async def entered(ctx, **options):
        with open(out, "w", encoding="utf-8") as file:
            json.dump({"cpu": time.process_time(), "at": time.time()}, file)

    def probe(job):
        job_function(job)  # the job's own modules, imported as a real run imports them
        return entered

    runner.job_function = probe


class Probe:
    # Patches the job runner when the command imports it, as a real run does: imported here
    # first, start-up's imports would run before the command, out of its conditions.
    def find_spec(self, name, path=None, target=None):
        if name != "comptoir.jobs.runner":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


if out and "comptoir.jobs.runner" in sys.modules:
    patch(sys.modules["comptoir.jobs.runner"])
elif out:
    sys.meta_path.insert(0, Probe())
from comptoir.cli import main
main()
"""
"""Runs ``comptoir ARGS`` after importing ``eager``; with ``out``, a job imports its own module, stops
where its function would start and writes the process's CPU time and the instant."""

WARM = """
import json, sys, time
out = sys.argv.pop(1)
import comptoir.jobs.runner as runner

job_function = runner.job_function

async def entered(ctx, **options):
    with open(out, "w", encoding="utf-8") as file:
        json.dump({"cpu": time.process_time(), "at": time.time()}, file)

def probe(job):
    job_function(job)
    return entered

runner.job_function = probe
from comptoir.schedule import forkserver
forkserver.main()
"""
"""The warm start server (``schedule/forkserver.py``) whose children stop where the job's function
would start, writing their CPU time (a forked child's starts at zero) and the instant."""

TYPER = """
import sys, typer
app = typer.Typer(add_completion=False, rich_markup_mode=None)
@app.command()
def one(name: str = "x") -> None:
    "One command."
@app.command()
def two(name: str = "x") -> None:
    "Another."
sys.argv = ["app", *sys.argv[1:]]
app()
"""

LIBRARIES = """
import asyncio, sys, typer
app = typer.Typer(add_completion=False, rich_markup_mode=None)
@app.command()
def one(profile: str = "x") -> None:
    "One command."
    import httpx, pydantic  # noqa: F401  (httpx: imported, as the shop adapter imports it)
    from sqlalchemy import create_engine, text

    class Profile(pydantic.BaseModel):
        name: str

    async def job() -> None:
        Profile(name=profile)
        engine = create_engine("sqlite://")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    asyncio.run(job())
@app.command()
def two(name: str = "x") -> None:
    "Another."
sys.argv = ["app", "one", "--profile", "p"]
app()
"""
"""What a job's start-up costs in the chosen libraries alone: a Typer command that validates a
Pydantic model and runs one query through SQLAlchemy on SQLite in an asyncio loop, with httpx
imported (comptoir's shop client loads its TLS trust at its first request, not at start-up)."""


def child_cpu(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``args`` (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(args: list[str]) -> int:
    """Instructions executed by one run of ``args`` under valgrind (its output discarded)."""
    with tempfile.TemporaryDirectory() as tmp:
        completed = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={tmp}/out", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=False,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", completed.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no instruction count: {completed.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def best(args: list[str], repeat: int) -> dict[str, float]:
    runs = [child_cpu(args) for _ in range(repeat)]
    return {"wall": min(w for w, _ in runs), "cpu": min(c for _, c in runs)}


def comptoir(args: list[str], *, eager: bool, repeat: int) -> dict[str, float]:
    names = ",".join(EAGER) if eager else ""
    return best([sys.executable, "-c", RUN, names, "", *args], repeat)


def job_start(job: str, profile: Path, *, eager: bool, repeat: int, folder: Path) -> dict[str, float]:
    """Best wall and CPU seconds from the process's start to the job's first line of work."""
    out = folder / "entered.json"
    names = ",".join(EAGER) if eager else ""
    walls, cpus = [], []
    for _ in range(repeat):
        out.unlink(missing_ok=True)
        started = time.time()
        subprocess.run(
            [sys.executable, "-c", RUN, names, str(out), job, "--profile", str(profile)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        entered = json.loads(out.read_text(encoding="utf-8"))
        walls.append(entered["at"] - started)
        cpus.append(entered["cpu"])
    return {"wall": min(walls), "cpu": min(cpus)}


def warm_start(job: str, profile: Path, *, repeat: int, folder: Path) -> dict[str, float]:
    """Best wall and CPU seconds from asking the warm start server for a run to the job's first
    line of work (the server started and warm beforehand, as the scheduler keeps it)."""
    from comptoir.schedule.warm import WarmStarter

    out = folder / "entered-warm.json"

    async def measure_runs() -> dict[str, float]:
        starter = WarmStarter([sys.executable, "-c", WARM, str(out)])
        walls, cpus = [], []
        try:
            await starter.run(["--help"])
            for _ in range(repeat):
                out.unlink(missing_ok=True)
                started = time.time()
                await starter.run([job, "--profile", str(profile)])
                entered = json.loads(out.read_text(encoding="utf-8"))
                walls.append(entered["at"] - started)
                cpus.append(entered["cpu"])
        finally:
            await starter.close()
        return {"wall": min(walls), "cpu": min(cpus)}

    return asyncio.run(measure_runs())


def attached_start(job: str, profile: Path, *, repeat: int, folder: Path) -> dict[str, float]:
    """Best wall and CPU seconds from a typed command's start to its job's first line of work,
    while a warm start server is published (as ``comptoir serve`` keeps it): the command hands its
    run to the server (``schedule/attach.py``). CPU: the command's and its run's."""
    from comptoir.schedule.attach import RUNTIME_VARIABLE
    from comptoir.schedule.warm import WarmStarter

    out = folder / "entered-attached.json"
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ[RUNTIME_VARIABLE] = str(runtime)

    async def measure_runs() -> dict[str, float]:
        starter = WarmStarter([sys.executable, "-c", WARM, str(out)], publish=True)
        walls, cpus = [], []
        try:
            await starter.run(["--help"])
            for _ in range(repeat):
                out.unlink(missing_ok=True)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.time()
                await asyncio.to_thread(
                    subprocess.run,
                    [sys.executable, "-m", "comptoir", job, "--profile", str(profile)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                entered = json.loads(out.read_text(encoding="utf-8"))
                walls.append(entered["at"] - started)
                command = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                cpus.append(entered["cpu"] + command)
        finally:
            await starter.close()
            os.environ.pop(RUNTIME_VARIABLE, None)
        return {"wall": min(walls), "cpu": min(cpus)}

    return asyncio.run(measure_runs())


def demo_profile(folder: Path) -> Path:
    """The small demo company, its state and a profile (its sandbox shop stops afterwards: the
    jobs measured here stop before they would call it)."""
    from comptoir.demo.runner import run_demo

    asyncio.run(run_demo(folder, scale="small", shop="woocommerce", sinks=[]))
    return folder / "profile.toml"


def compile_comptoir() -> None:
    """Write the bytecode of comptoir's modules first, as an installed package has it (pip compiles
    at install): otherwise, with ``PYTHONDONTWRITEBYTECODE`` set or a read-only tree, every run
    would compile comptoir's sources again, about a tenth of a second no user pays."""
    import compileall

    import comptoir

    compileall.compile_dir(Path(comptoir.__file__).parent, quiet=1)


def measure(repeat: int, count: bool = False) -> list[dict[str, Any]]:
    compile_comptoir()
    rows: list[dict[str, Any]] = []

    def add(
        what: str,
        floor: dict[str, float] | None,
        ours: dict[str, float],
        naive: dict[str, float] | None,
        command: list[str] | None = None,
    ):
        row = {"what": what, "floor": floor, "comptoir": ours, "naive": naive}
        if count and command is not None:
            row["instructions"] = instructions(command)
        rows.append(row)

    python = best([sys.executable, "-c", "pass"], repeat)
    add("python -c pass", None, python, None, [sys.executable, "-c", "pass"])
    typer_help = best([sys.executable, "-c", TYPER, "--help"], repeat)
    typer_command = best([sys.executable, "-c", TYPER, "one", "--help"], repeat)
    add(
        "comptoir --help",
        typer_help,
        comptoir(["--help"], eager=False, repeat=repeat),
        comptoir(["--help"], eager=True, repeat=repeat),
        [sys.executable, "-c", RUN, "", "", "--help"],
    )
    add(
        "comptoir export-products --help",
        typer_command,
        comptoir(["export-products", "--help"], eager=False, repeat=repeat),
        comptoir(["export-products", "--help"], eager=True, repeat=repeat),
        [sys.executable, "-c", RUN, "", "", "export-products", "--help"],
    )
    add(
        "import comptoir.cli",
        python,
        best([sys.executable, "-c", "import comptoir.cli"], repeat),
        best([sys.executable, "-c", f"import {', '.join(EAGER)}, comptoir.cli"], repeat),
        [sys.executable, "-c", "import comptoir.cli"],
    )
    libraries = best([sys.executable, "-c", LIBRARIES], repeat)
    add("the libraries alone (jobs' floor)", None, libraries, None, [sys.executable, "-c", LIBRARIES])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profile = demo_profile(folder / "demo")
        for job in ("update-stock", "export-products", "import-orders", "send-invoices"):
            add(
                f"comptoir {job} (start-up)",
                libraries,
                job_start(job, profile, eager=False, repeat=repeat, folder=folder),
                job_start(job, profile, eager=True, repeat=repeat, folder=folder),
                [sys.executable, "-c", RUN, "", str(folder / "counted.json"), job, "--profile", str(profile)],
            )
        if warm_supported():
            for label, started in (("warm start", warm_start), ("typed, served", attached_start)):
                for job in ("update-stock", "export-products", "import-orders", "send-invoices"):
                    add(
                        f"comptoir {job} ({label})",
                        None,
                        started(job, profile, repeat=repeat, folder=folder),
                        job_start(job, profile, eager=False, repeat=repeat, folder=folder),
                    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--instructions", action="store_true", help="Also count comptoir's instructions (valgrind)."
    )
    parser.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    args = parser.parse_args()
    rows = measure(args.repeat, args.instructions)
    if args.json:
        print(json.dumps({"repeat": args.repeat, "rows": rows}))
        return
    print(f"Best of {args.repeat} runs; seconds of wall time / CPU time (user + system)")
    print(f"{'':42} {'floor':>13} {'comptoir':>13} {'naive':>13} {'naive ÷ comptoir (CPU)':>23}")

    def pair(figures: dict[str, float] | None) -> str:
        return "" if figures is None else f"{figures['wall']:.2f} / {figures['cpu']:.2f}"

    for row in rows:
        ratio = f"{row['naive']['cpu'] / row['comptoir']['cpu']:.1f}×" if row["naive"] else ""
        figures = f"{pair(row['floor']):>13} {pair(row['comptoir']):>13} {pair(row['naive']):>13}"
        counted = f"{row['instructions'] / 1e6:,.0f} M instructions" if "instructions" in row else ""
        print(f"{row['what']:42} {figures} {ratio:>23}  {counted}")
    print("floor: python for the import, a bare Typer application with two commands for --help;")
    print("       for a job's start-up, the chosen libraries alone: a Typer command validating a")
    print("       Pydantic model, one SQLAlchemy query on SQLite, httpx imported, an asyncio loop")
    print("warm start: a run forked by the warm start server, as scheduled and dashboard runs start;")
    print("            its naive column is the same job's start-up as a fresh process")
    print("typed, served: a command typed while comptoir serve runs, its run handed to the service's")
    print("            warm start server (the command's CPU and its run's); naive: a fresh process")


if __name__ == "__main__":
    main()
