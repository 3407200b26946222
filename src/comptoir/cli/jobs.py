"""Job commands: ``comptoir export-products --profile P [--dry-run]`` and the others of SPEC §2."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any

import typer

from comptoir.cli.console import ConsoleSink, load_or_exit, opening, refusal
from comptoir.erp.base import ErpError
from comptoir.jobs.runner import JobName, JobResult, connect, journal_failed_start, run_job
from comptoir.profile import SecretError
from comptoir.shop.base import ShopError
from comptoir.state import StateError

ProfileOption = Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print what would change; write nothing.")]
EXIT_CODES = (
    "Exit codes: 0 every item went through; 1 some items failed (named in the journal) or the run "
    "stopped on an error; 2 the profile, a secret or a database it names is wrong (nothing ran); 3 some "
    "items were skipped because another run holds them, or another run of the same job is in progress "
    "(a later run takes them up; 1 wins over 3); 70 an unexpected error (one line naming the log file "
    "that holds the details)."
)


async def _run(profile_path: Path, job: JobName, dry_run: bool, **options: Any) -> JobResult:
    profile = load_or_exit(profile_path)
    try:
        async with connect(profile) as connections:
            return await run_job(profile, job, connections, dry_run=dry_run, sinks=[ConsoleSink()], **options)
    except (SecretError, ErpError, StateError, ShopError) as exc:
        if not dry_run:  # a scheduled run that cannot start leaves its reason in the profile's log
            journal_failed_start(profile, job, refusal(exc)[0])
        raise


def execute(profile_path: Path, job: JobName, dry_run: bool, **options: Any) -> None:
    """Run a job from the command line and exit with its ``ExitCode`` (see ``EXIT_CODES``).

    A profile that cannot be used exits 2 with one line naming the field (see ``opening``).
    """
    with opening(profile_path):
        result = asyncio.run(_run(profile_path, job, dry_run, **options))
    raise typer.Exit(result.exit_code)


orders_app = typer.Typer(help="The order ledger: reset orders, import orders again.", no_args_is_help=True)


@orders_app.command("reset", epilog=EXIT_CODES)
def reset_orders(
    profile: ProfileOption,
    ids: Annotated[list[str], typer.Argument(help="Shop order ids; ALL for every order.", metavar="ID...")],
) -> None:
    """Forget orders in the ledger so a later run can import them again (journaled)."""
    execute(profile, JobName.RESET_ORDERS, False, ids=ids)


@orders_app.command("reimport", epilog=EXIT_CODES)
def reimport_orders(
    profile: ProfileOption,
    ids: Annotated[list[str], typer.Argument(help="Shop order ids.", metavar="ID...")],
    dry_run: DryRunOption = False,
) -> None:
    """Import these orders again, whatever their date and transfer mark (an order whose ERP
    document still exists is found there, never written twice)."""
    execute(profile, JobName.IMPORT_ORDERS, dry_run, only=ids)


def register(app: typer.Typer) -> None:
    """Add the job commands to ``app``."""

    @app.command("export-products", epilog=EXIT_CODES)
    def export_products(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        full: Annotated[
            bool,
            typer.Option("--full", help="Read every article, not only those changed since the last run."),
        ] = False,
    ) -> None:
        """Create and update shop products from ERP articles (categories first)."""
        execute(profile, JobName.EXPORT_PRODUCTS, dry_run, full=full)

    @app.command("update-prices", epilog=EXIT_CODES)
    def update_prices(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Send ERP prices to the products already in the shop."""
        execute(profile, JobName.UPDATE_PRICES, dry_run)

    @app.command("update-stock", epilog=EXIT_CODES)
    def update_stock(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Send ERP stock (chosen warehouses and quantity) to the shop."""
        execute(profile, JobName.UPDATE_STOCK, dry_run)

    @app.command("enable-products", epilog=EXIT_CODES)
    def enable_products(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Disable in the shop the products of dormant or unpublished articles, enable them again
        when they come back (never deletes a product)."""
        execute(profile, JobName.ENABLE_PRODUCTS, dry_run)

    @app.command("export-customers", epilog=EXIT_CODES)
    def export_customers(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Create and update shop customers from ERP customers."""
        execute(profile, JobName.EXPORT_CUSTOMERS, dry_run)

    @app.command("import-orders", epilog=EXIT_CODES)
    def import_orders(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
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
            execute(profile, JobName.IMPORT_ORDERS, dry_run, from_file=from_file.resolve())
        execute(profile, JobName.IMPORT_ORDERS, dry_run, retry_failed=retry_failed, full=full)

    @app.command("update-order-statuses", epilog=EXIT_CODES)
    def update_order_statuses(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Tell the shop where each imported order's ERP document stands (status, number, note)."""
        execute(profile, JobName.UPDATE_ORDER_STATUSES, dry_run)

    @app.command("send-invoices", epilog=EXIT_CODES)
    def send_invoices(profile: ProfileOption, dry_run: DryRunOption = False) -> None:
        """Attach the ERP invoices of imported orders to them, as Factur-X PDFs, once each."""
        execute(profile, JobName.SEND_INVOICES, dry_run)

    @app.command("import-refunds", epilog=EXIT_CODES)
    def import_refunds(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        full: Annotated[
            bool, typer.Option("--full", help="Ignore the last import date: look at every refund.")
        ] = False,
    ) -> None:
        """Create one ERP credit note (or return) per shop refund of an imported order."""
        execute(profile, JobName.IMPORT_REFUNDS, dry_run, full=full)
