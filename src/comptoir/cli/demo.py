"""``comptoir demo``: run the whole connector on the demo company and a sandbox shop."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from comptoir.cli.console import console, opening
from comptoir.registry import SHOPS

if TYPE_CHECKING:
    from comptoir.demo.runner import DemoReport


def _show(report: DemoReport) -> None:
    from rich.table import Table

    jobs = Table("job", "status", "created", "updated", "unchanged", "skipped", "failed", title="Jobs")
    jobs.columns[0].no_wrap = jobs.columns[1].no_wrap = True
    for result in report.jobs:
        counts = result.counts.as_dict()
        jobs.add_row(result.job.value, result.status.value, *(str(v) for v in counts.values()))
    console.print(jobs)
    sides = Table(
        "",
        f"ERP ({report.erp_label} demo company)",
        f"Shop (sandbox {report.shop_label})",
        title="Both sides",
    )
    sides.add_row("catalog", f"{report.erp.articles} articles", f"{report.shop.products} products")
    sides.add_row("customers", str(report.erp.customers), str(report.shop.customers))
    sides.add_row("sales", f"{report.erp.documents} documents", f"{report.shop.orders} orders")
    console.print(sides)
    console.print(
        f"Orders imported: {report.orders_imported}, failed: {report.orders_failed}, "
        f"duplicates: {report.duplicates}.",
        soft_wrap=True,
    )
    console.print(
        f"Work folder: {report.workdir} (profile.toml, the company, the shop, state.sqlite, logs/). "
        f"Run history: comptoir runs --profile {report.workdir / 'profile.toml'}. "
        "Running comptoir demo again on this folder changes nothing.",
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        workdir: Annotated[
            Path | None,
            typer.Option(
                help="Folder for the demo company, shop and state [default: comptoir-demo[-SHOP]].",
                file_okay=False,
            ),
        ] = None,
        scale: Annotated[str, typer.Option(help="Demo company size: small or reference.")] = "small",
        shop: Annotated[
            str, typer.Option(help=f"Sandbox shop platform: {', '.join(SHOPS)}.")
        ] = "woocommerce",
        as_json: Annotated[bool, typer.Option("--json", help="End with one JSON line of counts.")] = False,
        verbose: Annotated[
            bool,
            typer.Option("--verbose", "-v", help="Print every item's line (else only up to 20 per job)."),
        ] = False,
    ) -> None:
        """Build the demo company, start a sandbox shop, sync everything, import orders, report."""
        import asyncio

        from comptoir.cli.terminal import FEW_ITEMS, ConsoleSink
        from comptoir.demo.runner import DEFAULT_SHOP, Scale, run_demo  # loaded only for the demo
        from comptoir.journal import render
        from comptoir.profile.validators import usable_folder

        if scale not in ("small", "reference"):
            raise typer.BadParameter("must be small or reference", param_hint="--scale")
        if shop not in SHOPS:
            raise typer.BadParameter(f"must be one of {', '.join(SHOPS)}", param_hint="--shop")
        chosen: Scale = "small" if scale == "small" else "reference"
        folder = workdir or Path("comptoir-demo" if shop == DEFAULT_SHOP else f"comptoir-demo-{shop}")
        problem = usable_folder(folder)
        if problem is not None:
            raise typer.BadParameter(problem, param_hint="--workdir")
        with opening(folder / "profile.toml"):
            note = render("run.items_in_log", "fr", few=FEW_ITEMS, log=folder / "logs")
            sink = ConsoleSink(verbose=verbose, note=note)
            report = asyncio.run(run_demo(folder, scale=chosen, shop=shop, sinks=[sink]))
        _show(report)
        if as_json:
            typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        failed = any(result.exit_code for result in report.jobs if result.job.value != "import_orders")
        raise typer.Exit(1 if failed or report.duplicates else 0)
