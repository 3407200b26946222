"""Job commands: ``comptoir export-products --profile P [--dry-run]`` and the others of SPEC §2."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from comptoir.cli.console import load_or_exit, opening, refusal

if TYPE_CHECKING:
    from comptoir.jobs.runner import JobResult

ProfileOption = Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print what would change; write nothing.")]
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Print every item's line here too (by default only when the run has 20 items or fewer, "
        "or on a dry run; they are always in the log file).",
    ),
]
EXIT_CODES = (
    "Exit codes: 0 every item went through; 1 some items failed (named in the journal) or the run "
    "stopped on an error; 2 the profile, a secret or a database it names is wrong (nothing ran); 3 some "
    "items were skipped because another run holds them, or another run of the same job is in progress "
    "(a later run takes them up; 1 wins over 3); 70 an unexpected error (one line naming the log file "
    "that holds the details)."
)


async def _run(profile_path: Path, job: str, dry_run: bool, verbose: bool, **options: Any) -> JobResult:
    from comptoir.cli.terminal import FEW_ITEMS, ConsoleSink
    from comptoir.erp.base import ErpError
    from comptoir.jobs.runner import JobName, connect, journal_failed_start, run_job
    from comptoir.journal import render
    from comptoir.profile import SecretError
    from comptoir.shop.base import ShopError
    from comptoir.state import StateError

    profile = load_or_exit(profile_path)
    note = render("run.items_in_log", profile.language, few=FEW_ITEMS, log=profile.log_path())
    sink = ConsoleSink(verbose=verbose or dry_run, note=note)
    name = JobName(job)
    try:
        async with connect(profile) as connections:
            return await run_job(profile, name, connections, dry_run=dry_run, sinks=[sink], **options)
    except (SecretError, ErpError, StateError, ShopError) as exc:
        if not dry_run:  # a scheduled run that cannot start leaves its reason in the profile's log
            journal_failed_start(profile, name, refusal(exc)[0])
        raise


def execute(profile_path: Path, job: str, dry_run: bool, verbose: bool = False, **options: Any) -> None:
    """Run a job (a ``JobName`` value) from the command line and exit with its ``ExitCode`` (see
    ``EXIT_CODES``). The jobs, the ERP and shop clients are imported here, not at start-up.

    A profile that cannot be used exits 2 with one line naming the field (see ``opening``).
    """
    import asyncio

    with opening(profile_path):
        result = asyncio.run(_run(profile_path, job, dry_run, verbose, **options))
    raise typer.Exit(result.exit_code)


orders_app = typer.Typer(help="The order ledger: reset orders, import orders again.", no_args_is_help=True)


@orders_app.command("reset", epilog=EXIT_CODES)
def reset_orders(
    profile: ProfileOption,
    ids: Annotated[list[str], typer.Argument(help="Shop order ids; ALL for every order.", metavar="ID...")],
    verbose: VerboseOption = False,
) -> None:
    """Forget orders in the ledger so a later run can import them again (journaled)."""
    execute(profile, "reset_orders", False, verbose, ids=ids)


@orders_app.command("reimport", epilog=EXIT_CODES)
def reimport_orders(
    profile: ProfileOption,
    ids: Annotated[list[str], typer.Argument(help="Shop order ids.", metavar="ID...")],
    dry_run: DryRunOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Import these orders again, whatever their date and transfer mark (an order whose ERP
    document still exists is found there, never written twice)."""
    execute(profile, "import_orders", dry_run, verbose, only=ids)


def register(app: typer.Typer) -> None:
    """Add the job commands to ``app``."""

    @app.command("export-products", epilog=EXIT_CODES)
    def export_products(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        verbose: VerboseOption = False,
        full: Annotated[
            bool,
            typer.Option("--full", help="Read every article, not only those changed since the last run."),
        ] = False,
    ) -> None:
        """Create and update shop products from ERP articles (categories first)."""
        execute(profile, "export_products", dry_run, verbose, full=full)

    @app.command("update-prices", epilog=EXIT_CODES)
    def update_prices(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        """Send ERP prices to the products already in the shop."""
        execute(profile, "update_prices", dry_run, verbose)

    @app.command("update-stock", epilog=EXIT_CODES)
    def update_stock(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        verbose: VerboseOption = False,
        full: Annotated[
            bool,
            typer.Option("--full", help="Read all the stock, not only what changed since the last run."),
        ] = False,
    ) -> None:
        """Send ERP stock (chosen warehouses and quantity) to the shop."""
        execute(profile, "update_stock", dry_run, verbose, full=full)

    @app.command("enable-products", epilog=EXIT_CODES)
    def enable_products(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        """Disable in the shop the products of dormant or unpublished articles, enable them again
        when they come back (never deletes a product)."""
        execute(profile, "enable_products", dry_run, verbose)

    @app.command("export-customers", epilog=EXIT_CODES)
    def export_customers(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        """Create and update shop customers from ERP customers."""
        execute(profile, "export_customers", dry_run, verbose)

    @app.command("import-orders", epilog=EXIT_CODES)
    def import_orders(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        verbose: VerboseOption = False,
        retry_failed: Annotated[
            bool, typer.Option("--retry-failed", help="Examine again orders that failed in earlier runs.")
        ] = False,
        full: Annotated[
            bool, typer.Option("--full", help="Ignore the last import date: look at every order.")
        ] = False,
        from_file: Annotated[
            Path | None,
            typer.Option(
                "--from-file",
                help="Read the orders from this JSON file instead of the shop (the shop is marked "
                "by the next ordinary run).",
                exists=True,
                dir_okay=False,
            ),
        ] = None,
    ) -> None:
        """Create one ERP sales document per shop order in the selected statuses."""
        if from_file is not None:
            execute(profile, "import_orders", dry_run, verbose, from_file=from_file.resolve())
        execute(profile, "import_orders", dry_run, verbose, retry_failed=retry_failed, full=full)

    @app.command("update-order-statuses", epilog=EXIT_CODES)
    def update_order_statuses(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        """Tell the shop where each imported order's ERP document stands (status, number, note)."""
        execute(profile, "update_order_statuses", dry_run, verbose)

    @app.command("send-invoices", epilog=EXIT_CODES)
    def send_invoices(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        """Attach the ERP invoices of imported orders to them, as Factur-X PDFs, once each."""
        execute(profile, "send_invoices", dry_run, verbose)

    @app.command("import-refunds", epilog=EXIT_CODES)
    def import_refunds(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        verbose: VerboseOption = False,
        full: Annotated[
            bool, typer.Option("--full", help="Ignore the last import date: look at every refund.")
        ] = False,
    ) -> None:
        """Create one ERP credit note (or return) per shop refund of an imported order."""
        execute(profile, "import_refunds", dry_run, verbose, full=full)
