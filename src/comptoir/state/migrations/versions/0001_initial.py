"""Initial state store: bindings, fingerprints, order ledger, runs, journal, job marks.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "bindings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("erp_key", sa.String(128), nullable=False),
        sa.Column("shop_id", sa.String(64), nullable=False),
        sa.Column("parent_shop_id", sa.String(64)),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("profile", "kind", "erp_key", name="uq_binding_erp"),
        sa.UniqueConstraint("profile", "kind", "shop_id", name="uq_binding_shop"),
    )
    op.create_table(
        "fingerprints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("erp_key", sa.String(128), nullable=False),
        sa.Column("aspect", sa.String(32), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sent_at", TS, nullable=False),
        sa.UniqueConstraint("profile", "kind", "erp_key", "aspect", name="uq_fingerprint"),
    )
    op.create_table(
        "order_ledger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("shop_order_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(36)),
        sa.Column("claim_expires_at", TS),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("erp_document", sa.String(32)),
        sa.Column("erp_total", sa.String(32)),
        sa.Column("shop_total", sa.String(32)),
        sa.Column("error", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("profile", "shop_order_id", name="uq_ledger_order"),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("unchanged", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
    )
    op.create_index("ix_runs_profile_started", "runs", ["profile", "started_at"])
    op.create_table(
        "journal_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("item", sa.String(128)),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_journal_lines_run_id", "journal_lines", ["run_id"])
    op.create_table(
        "job_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("last_success_at", TS, nullable=False),
        sa.UniqueConstraint("profile", "job", name="uq_job_mark"),
    )


def downgrade() -> None:
    for table in ("job_marks", "journal_lines", "runs", "order_ledger", "fingerprints", "bindings"):
        op.drop_table(table)
