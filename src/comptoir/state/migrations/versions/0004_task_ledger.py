"""The task ledger: status updates, invoices and credit notes sent exactly once; the order
fingerprint taken at import (to name what changed in the shop afterwards).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "task_ledger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.String(64), nullable=False),
        sa.Column("job", sa.String(32), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(36)),
        sa.Column("claim_expires_at", TS),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("detail", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("profile", "job", "key", name="uq_task"),
    )
    with op.batch_alter_table("order_ledger") as batch:
        batch.add_column(sa.Column("fingerprint", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("order_ledger") as batch:
        batch.drop_column("fingerprint")
    op.drop_table("task_ledger")
