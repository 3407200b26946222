"""``comptoir runs``: the run history of a profile, and the journal of one run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from comptoir.cli.console import console, errors, load_or_exit, opening


def register(app: typer.Typer) -> None:
    @app.command("runs")
    def runs(
        profile: Annotated[Path, typer.Option("--profile", "-p", help="Profile file (TOML).")],
        limit: Annotated[int, typer.Option(help="How many runs to list.")] = 20,
        show: Annotated[int | None, typer.Option(help="Print the journal of this run id.")] = None,
    ) -> None:
        """List the last runs of a profile (or print one run's journal)."""
        from rich.table import Table

        from comptoir.state import StateStore

        loaded = load_or_exit(profile)
        with opening(profile):
            store = StateStore.open(loaded.state_url())
        try:
            if show is not None:
                lines = store.journal(show)
                if not lines:
                    errors.print(f"No journal for run {show}", style="red")
                    raise typer.Exit(1)
                for line in lines:
                    console.print(f"{line.at.astimezone():%Y-%m-%d %H:%M:%S} - {line.message}", markup=False)
                return
            table = Table(
                "run", "job", "started", "status", "created", "updated", "unchanged", "skipped", "failed"
            )
            for row in store.runs(loaded.name, limit):
                table.add_row(
                    str(row.id),
                    row.job,
                    f"{row.started_at.astimezone():%Y-%m-%d %H:%M:%S}",
                    row.status,
                    *(str(row.counts[k]) for k in ("created", "updated", "unchanged", "skipped", "failed")),
                )
            console.print(table)
        finally:
            store.close()
