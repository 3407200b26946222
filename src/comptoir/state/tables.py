"""The tables of what comptoir remembers between runs (SQLAlchemy Core).

- ``bindings``: ERP key ↔ shop id per profile and kind, unique on both sides, so a duplicate
  is impossible rather than unlikely.
- ``fingerprints``: hash of the last payload sent per shop object and aspect (catalog, price,
  stock…), so a job sends only what changed.
- ``order_ledger``: each shop order's import state and ERP document number (exactly-once).
- ``task_ledger``: status updates, invoices and credit notes sent once each (``tasks.py``).
- ``runs`` and ``journal_lines``: run history and what each run said.
- ``job_marks``: each job's incremental cursor, in the source's clock (see ``window.py``).
- ``run_locks``: which run holds a profile's job right now (see ``locks.py``).
- ``alert_marks``: alerts already mailed, so one problem makes one mail; ``audit_log``: what
  people did from the dashboard.

Core tables, not ORM classes: the store writes and reads rows with Core statements, and SQLAlchemy's
ORM would cost every command that opens the store a tenth of a second to import and map.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the state store; use UTC-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
"""Every table of the state store (what the migrations build)."""


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _profile() -> Column[str]:
    return Column("profile", String(64), nullable=False)


BINDINGS = Table(
    "bindings",
    metadata,
    _id(),
    _profile(),
    Column("kind", String(32), nullable=False),
    Column("erp_key", String(128), nullable=False),
    Column("shop_id", String(64), nullable=False),
    Column("parent_shop_id", String(64), nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "kind", "erp_key", name="uq_binding_erp"),
    UniqueConstraint("profile", "kind", "shop_id", name="uq_binding_shop"),
)

FINGERPRINTS = Table(
    "fingerprints",
    metadata,
    _id(),
    _profile(),
    Column("kind", String(32), nullable=False),
    Column("erp_key", String(128), nullable=False),
    Column("aspect", String(32), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "kind", "erp_key", "aspect", name="uq_fingerprint"),
)

ORDER_LEDGER = Table(
    "order_ledger",
    metadata,
    _id(),
    _profile(),
    Column("shop_order_id", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("claim_token", String(36), nullable=True),
    Column("claim_expires_at", UTCDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("erp_document", String(32), nullable=True),
    Column("erp_total", String(32), nullable=True),
    Column("shop_total", String(32), nullable=True),
    Column("error", Text, nullable=True),
    Column("fingerprint", Text, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "shop_order_id", name="uq_ledger_order"),
)
"""One shop order on its way to the ERP.

``state``: ``claimed`` (a run is working on it, until ``claim_expires_at``), ``written``
(the ERP document exists, the shop is not yet told; still held until ``claim_expires_at``
unless the claim was given back), ``done``, ``failed`` (kept for the user with its reason,
not retried blindly). ``claimed`` and ``written`` are unfinished: every run looks at them.
``fingerprint`` is what the order was when imported (lines, totals, addresses:
``jobs/order_changes.py``).
"""

TASK_LEDGER = Table(
    "task_ledger",
    metadata,
    _id(),
    _profile(),
    Column("job", String(32), nullable=False),
    Column("key", String(128), nullable=False),
    Column("state", String(16), nullable=False),
    Column("claim_token", String(36), nullable=True),
    Column("claim_expires_at", UTCDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("detail", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "job", "key", name="uq_task"),
)
"""One thing sent exactly once after an import: a status update, an invoice, a credit note.

``job`` names the kind of task, ``key`` the thing (an order's stage, an invoice number, a
refund id). ``state``: ``claimed`` (a run works on it until ``claim_expires_at``), ``done``
(``detail`` says what was done), ``failed`` (``error`` says why; tried again by the next run).
"""

RUNS = Table(
    "runs",
    metadata,
    _id(),
    _profile(),
    Column("job", String(64), nullable=False),
    Column("dry_run", Boolean(), nullable=False, default=False),
    Column("status", String(16), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("created", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Index("ix_runs_profile_started", "profile", "started_at"),
)

JOURNAL_LINES = Table(
    "journal_lines",
    metadata,
    _id(),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("level", String(8), nullable=False),
    Column("item", String(128), nullable=True),
    Column("message", Text, nullable=False),
)

JOB_MARKS = Table(
    "job_marks",
    metadata,
    _id(),
    _profile(),
    Column("job", String(64), nullable=False),
    Column("last_success_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "job", name="uq_job_mark"),
)

RUN_LOCKS = Table(
    "run_locks",
    metadata,
    _id(),
    _profile(),
    Column("job", String(64), nullable=False),
    Column("token", String(36), nullable=False),
    Column("holder", String(255), nullable=False),
    Column("acquired_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "job", name="uq_run_lock"),
)
"""Who runs a profile's job right now, until ``expires_at`` (refreshed while the run goes on).

One row per profile and job at most (unique): a second run finds the row and stays out,
whatever process or machine it runs on, until the holder releases it or lets it expire.
"""

ALERT_MARKS = Table(
    "alert_marks",
    metadata,
    _id(),
    _profile(),
    Column("topic", String(64), nullable=False),
    Column("key", String(128), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=False),
    UniqueConstraint("profile", "topic", "key", name="uq_alert_mark"),
)
"""An alert already mailed (``topic``/``key``), so the same problem is mailed once.

``fingerprint`` tells whether the problem is still the same one (a new error text, a new
last order date… makes it a new problem).
"""

AUDIT_LOG = Table(
    "audit_log",
    metadata,
    _id(),
    _profile(),
    Column("at", UTCDateTime(), nullable=False),
    Column("user", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_audit_profile_at", "profile", "at"),
)
"""What a person did from the dashboard (edit a profile, run a job, retry an order), and who."""
