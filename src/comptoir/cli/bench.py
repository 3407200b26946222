"""``comptoir bench``: the reference benchmark (see :mod:`comptoir.bench.reference`)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.registry import SHOPS

if TYPE_CHECKING:
    from comptoir.bench.figures import BenchReport


def _show(report: BenchReport) -> None:
    from rich.console import Console
    from rich.table import Table

    from comptoir.bench.figures import COLUMNS

    company = ", ".join(f"{key.replace('_', ' ')} {value:,}" for key, value in report.company.items())
    table = Table(
        *COLUMNS,
        title=f"{report.shop}, {report.latency_ms} ms per request, {report.concurrency} in flight; {company}",
    )
    for row in report.rows():
        table.add_row(*row)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    console.print(table)
    for note in report.notes:
        console.print(note, soft_wrap=True)


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench(
        shop: Annotated[
            str, typer.Option(help=f"Sandbox shop platform: {', '.join(SHOPS)}.")
        ] = "woocommerce",
        latency_ms: Annotated[
            int, typer.Option("--latency-ms", min=0, help="Delay of every shop answer, in milliseconds.")
        ] = 50,
        size: Annotated[
            float,
            typer.Option(
                "--scale",
                min=0.001,
                help="Size of the reference company: 1 = 15,000 articles, 0.02 for a quick run.",
            ),
        ] = 1.0,
        orders: Annotated[
            int | None, typer.Option(min=0, help="Orders to import [default: 1,000 × scale, at least 10].")
        ] = None,
        naive_sample: Annotated[
            int, typer.Option("--naive-sample", min=0, help="Items the naive client is timed on (0: none).")
        ] = 30,
        workdir: Annotated[
            Path | None,
            typer.Option(
                help="Folder for the company, shop and state [default: a temporary folder].", file_okay=False
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the figures as one JSON document.")
        ] = False,
    ) -> None:
        """Measure the steps users wait for on the reference company and a sandbox shop: time,
        requests, objects, peak memory, floor and a naive client (docs/performance.md)."""
        from comptoir.bench.reference import BenchOptions, run_bench  # loaded only for the benchmark
        from comptoir.profile.validators import usable_folder

        if shop not in SHOPS:
            raise typer.BadParameter(f"must be one of {', '.join(SHOPS)}", param_hint="--shop")
        if workdir is not None and (problem := usable_folder(workdir)) is not None:
            raise typer.BadParameter(problem, param_hint="--workdir")
        count = orders if orders is not None else max(round(1000 * size), 10)

        def progress(text: str) -> None:
            if not as_json:
                typer.echo(f"… {text}")

        def run(folder: Path) -> BenchReport:
            options = BenchOptions(folder, shop, latency_ms, size, count, naive_sample)
            return run_bench(options, progress)

        if workdir is not None:
            report = run(workdir)
        else:
            with tempfile.TemporaryDirectory(prefix="comptoir-bench-") as folder:
                report = run(Path(folder))
        if as_json:
            typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            _show(report)
