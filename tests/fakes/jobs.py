"""Run any job on the fakes through its public entry: ``run_job`` with ``Connections``.

``FakeWorld`` holds a ``FakeErp``, a ``FakeShop``, a real state store (SQLite in a temporary
folder) and a profile validated by ``parse_profile``. The profile's ``[shop]`` and ``[erp]``
tables name registered platforms only so that the profile validates; nothing opens them, the
fakes stand in their place.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from comptoir.jobs.runner import Connections, JobName, JobResult, run_job
from comptoir.journal import MemorySink
from comptoir.profile import Profile
from comptoir.profile.loader import parse_profile
from comptoir.state import StateStore, utcnow
from comptoir.state.tables import BINDINGS, FINGERPRINTS, JOB_MARKS, ORDER_LEDGER, RUNS
from fakes.erp import ATTRIBUTE_FIELDS, MASTER, FakeErp, small_company
from fakes.shop import FakeShop

PROFILE = "fake"


def base_profile() -> dict[str, Any]:
    """The profile every fake run starts from (``FakeWorld.configure`` merges changes in)."""
    return {
        "name": PROFILE,
        "language": "fr",
        "erp": {"kind": "sage100", "url": "sqlite:///not-opened.sqlite"},
        "shop": {"kind": "woocommerce", "url": "https://fake-shop.invalid"},
        "state": {"url": "sqlite:///state.sqlite"},
        "products": {"master_field": MASTER, "attribute_fields": [list(pair) for pair in ATTRIBUTE_FIELDS]},
        "stock": {"quantity": "available"},
        "orders": {
            "statuses": {"processing": "order", "on-hold": "quote"},
            "miscellaneous_article": "DIVERS",
            "shipping_article": "PORT",
            "packaging_article": "EMBALLAGE",
            "discount_articles": {"C20": "REMISE20", "C10": "REMISE10", "C05": "REMISE055"},
            "tax_codes": {"20": "C20", "10": "C10", "5.5": "C05"},
            "payment_methods": {
                "cheque": {"mode": "1", "journal": "BQ1", "create_payment": True},
                "bacs": {"mode": "2", "journal": "BQ1", "create_payment": True},
                "cod": {"mode": "4"},
            },
        },
    }


class FakeWorld:
    """A profile, the two fakes and a real state store; ``run`` runs a job as the CLI would."""

    def __init__(self, workdir: Path, *, erp: FakeErp | None = None, shop: FakeShop | None = None) -> None:
        self.workdir = workdir
        self.erp = erp if erp is not None else small_company()
        self.shop = shop if shop is not None else FakeShop()
        self.state_offset = timedelta(0)
        """How far ahead of real time the state store's clock is (claims expire by it)."""
        self.profile = self.configure()
        self.state = StateStore.open(self.profile.state_url(), clock=self.now)

    def now(self) -> datetime:
        return utcnow() + self.state_offset

    def configure(self, **sections: Any) -> Profile:
        """The base profile with ``sections`` merged in (a table is merged, a plain value replaces)."""
        data = base_profile()
        for name, values in sections.items():
            data[name] = {**data.get(name, {}), **values} if isinstance(values, dict) else values
        self.profile = parse_profile(data, self.workdir)
        return self.profile

    async def run(
        self, job: JobName, *, dry_run: bool = False, **options: Any
    ) -> tuple[JobResult, list[str]]:
        """Run ``job`` through ``run_job``; its result and the journal lines as the user reads them."""
        sink = MemorySink()
        connections = Connections(self.erp, self.shop, self.state)
        result = await run_job(self.profile, job, connections, dry_run=dry_run, sinks=[sink], **options)
        return result, sink.texts()

    def lose_state(self) -> None:
        """The state database is lost (a new machine, a deleted file): start from an empty one."""
        self.state.close()
        path = self.workdir / "state.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.state = StateStore.open(self.profile.state_url(), clock=self.now)

    def remembered(self) -> dict[str, int]:
        """Rows of each kind the state store holds for the profile (bindings, fingerprints…)."""
        columns = {
            "bindings": BINDINGS.c.profile,
            "fingerprints": FINGERPRINTS.c.profile,
            "ledger": ORDER_LEDGER.c.profile,
            "runs": RUNS.c.profile,
            "marks": JOB_MARKS.c.profile,
        }
        with self.state.engine.connect() as conn:
            return {
                name: int(conn.execute(select(func.count()).where(column == PROFILE)).scalar_one())
                for name, column in columns.items()
            }

    def close(self) -> None:
        self.state.close()
