"""Job commands: ``comptoir export-products --profile P [--dry-run]`` and the others of SPEC §2."""

from __future__ import annotations

import gc
from collections.abc import Callable
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


_collector_paused = False
"""Whether this process's job command starts with the garbage collector off (``pause_collector``)."""


def pause_collector() -> None:
    """Turn the garbage collector off for the start-up of a job command run as a process of its own
    (``comptoir.cli.main``), until the job starts (``resume_collector``).

    Start-up imports the libraries and builds the profile's models and the dataclasses: hundreds of
    thousands of objects that live as long as the process, which the collector walked again and
    again while they were made (about 90 million instructions, 4 % of a job's start-up). At the
    job's start they are frozen, out of the collector's sight for good as in the warm start server
    (``schedule/forkserver.py``), and the collector resumes: the job's collections walk only what
    the job makes.
    """
    global _collector_paused
    if gc.isenabled():
        gc.disable()
        _collector_paused = True


def resume_collector(*, freeze: bool = True) -> None:
    """The collector back on after ``pause_collector`` (nothing otherwise); ``freeze``: what
    start-up made is left out of every later collection."""
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        if freeze:
            gc.freeze()
        gc.enable()


def is_job_command(first: list[str]) -> bool:
    """Whether ``comptoir FIRST …`` runs a job (a job command or the ``orders`` group)."""
    return bool(first) and (first[0] == "orders" or any(name == first[0] for name, _ in JOB_COMMANDS))


async def _run(profile_path: Path, job: str, dry_run: bool, verbose: bool, **options: Any) -> JobResult:
    from comptoir.cli.terminal import FEW_ITEMS, ConsoleSink
    from comptoir.erp.base import ErpError
    from comptoir.jobs.runner import JobName, connect, job_function, journal_failed_start, run_job
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
            job_function(name)  # the job's modules, imported with the rest of start-up
            resume_collector()
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


def _plain_command(job: str, doc: str) -> Callable[..., None]:
    """A job command with the common options only."""

    def command(
        profile: ProfileOption, dry_run: DryRunOption = False, verbose: VerboseOption = False
    ) -> None:
        execute(profile, job, dry_run, verbose)

    command.__doc__ = doc
    return command


def _full_command(job: str, doc: str, full_help: str) -> Callable[..., None]:
    """A job command with ``--full`` besides (``full_help``: what it does)."""

    def command(
        profile: ProfileOption,
        dry_run: DryRunOption = False,
        verbose: VerboseOption = False,
        full: bool = False,
    ) -> None:
        execute(profile, job, dry_run, verbose, full=full)

    command.__doc__ = doc
    # An object, not the text postponed annotations make: its help is this call's.
    command.__annotations__["full"] = Annotated[bool, typer.Option("--full", help=full_help)]
    return command


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


JOB_COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    (
        "export-products",
        _full_command(
            "export_products",
            "Create and update shop products from ERP articles (categories first).",
            "Read every article, not only those changed since the last run.",
        ),
    ),
    (
        "update-prices",
        _plain_command("update_prices", "Send ERP prices to the products already in the shop."),
    ),
    (
        "update-stock",
        _full_command(
            "update_stock",
            "Send ERP stock (chosen warehouses and quantity) to the shop.",
            "Read all the stock, not only what changed since the last run.",
        ),
    ),
    (
        "enable-products",
        _plain_command(
            "enable_products",
            "Disable in the shop the products of dormant or unpublished articles, enable them again\n"
            "when they come back (never deletes a product).",
        ),
    ),
    (
        "export-customers",
        _plain_command("export_customers", "Create and update shop customers from ERP customers."),
    ),
    ("import-orders", import_orders),
    (
        "update-order-statuses",
        _plain_command(
            "update_order_statuses",
            "Tell the shop where each imported order's ERP document stands (status, number, note).",
        ),
    ),
    (
        "send-invoices",
        _plain_command(
            "send_invoices",
            "Attach the ERP invoices of imported orders to them, as Factur-X PDFs, once each.",
        ),
    ),
    (
        "import-refunds",
        _full_command(
            "import_refunds",
            "Create one ERP credit note (or return) per shop refund of an imported order.",
            "Ignore the last import date: look at every refund.",
        ),
    ),
)
"""The job commands, in the order ``comptoir --help`` lists them."""


def register(app: typer.Typer) -> None:
    """Add the job commands to ``app``."""
    for name, command in JOB_COMMANDS:
        app.command(name, epilog=EXIT_CODES)(command)
