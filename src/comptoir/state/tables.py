"""SQLAlchemy models of what comptoir remembers between runs.

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
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
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


class Base(DeclarativeBase):
    pass


class Binding(Base):
    __tablename__ = "bindings"
    __table_args__ = (
        UniqueConstraint("profile", "kind", "erp_key", name="uq_binding_erp"),
        UniqueConstraint("profile", "kind", "shop_id", name="uq_binding_shop"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    erp_key: Mapped[str] = mapped_column(String(128))
    shop_id: Mapped[str] = mapped_column(String(64))
    parent_shop_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Fingerprint(Base):
    __tablename__ = "fingerprints"
    __table_args__ = (UniqueConstraint("profile", "kind", "erp_key", "aspect", name="uq_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    erp_key: Mapped[str] = mapped_column(String(128))
    aspect: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LedgerEntry(Base):
    """One shop order on its way to the ERP.

    ``state``: ``claimed`` (a run is working on it, until ``claim_expires_at``), ``written``
    (the ERP document exists, the shop is not yet told; still held until ``claim_expires_at``
    unless the claim was given back), ``done``, ``failed`` (kept for the user with its reason,
    not retried blindly). ``claimed`` and ``written`` are unfinished: every run looks at them.
    """

    __tablename__ = "order_ledger"
    __table_args__ = (UniqueConstraint("profile", "shop_order_id", name="uq_ledger_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    shop_order_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    erp_document: Mapped[str | None] = mapped_column(String(32))
    erp_total: Mapped[str | None] = mapped_column(String(32))
    shop_total: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    fingerprint: Mapped[str | None] = mapped_column(Text)
    """What the order was when imported (lines, totals, addresses: ``jobs/order_changes.py``)."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TaskEntry(Base):
    """One thing sent exactly once after an import: a status update, an invoice, a credit note.

    ``job`` names the kind of task, ``key`` the thing (an order's stage, an invoice number, a
    refund id). ``state``: ``claimed`` (a run works on it until ``claim_expires_at``), ``done``
    (``detail`` says what was done), ``failed`` (``error`` says why; tried again by the next run).
    """

    __tablename__ = "task_ledger"
    __table_args__ = (UniqueConstraint("profile", "job", "key", name="uq_task"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    job: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    state: Mapped[str] = mapped_column(String(16))
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Run(Base):
    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_profile_started", "profile", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    job: Mapped[str] = mapped_column(String(64))
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class JournalLine(Base):
    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    level: Mapped[str] = mapped_column(String(8))
    item: Mapped[str | None] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text)


class JobMark(Base):
    __tablename__ = "job_marks"
    __table_args__ = (UniqueConstraint("profile", "job", name="uq_job_mark"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    job: Mapped[str] = mapped_column(String(64))
    last_success_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RunLockRow(Base):
    """Who runs a profile's job right now, until ``expires_at`` (refreshed while the run goes on).

    One row per profile and job at most (unique): a second run finds the row and stays out,
    whatever process or machine it runs on, until the holder releases it or lets it expire.
    """

    __tablename__ = "run_locks"
    __table_args__ = (UniqueConstraint("profile", "job", name="uq_run_lock"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    job: Mapped[str] = mapped_column(String(64))
    token: Mapped[str] = mapped_column(String(36))
    holder: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertMark(Base):
    """An alert already mailed (``topic``/``key``), so the same problem is mailed once.

    ``fingerprint`` tells whether the problem is still the same one (a new error text, a new
    last order date… makes it a new problem).
    """

    __tablename__ = "alert_marks"
    __table_args__ = (UniqueConstraint("profile", "topic", "key", name="uq_alert_mark"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditLine(Base):
    """What a person did from the dashboard (edit a profile, run a job, retry an order), and who."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_profile_at", "profile", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
