"""retracting a recorded update, and recording once from Slack

`commitment-bot update ID --retract N` withdraws a mistaken recorded update: the row stays, so
`history` still shows it (marked retracted, with who and why), and nothing counts it any more. `ref` names where an update was recorded (a Slack view): a submission
Slack delivers twice is recorded once.

Revision ID: 0004
Revises: 0003
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.add_column(sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("retracted_note", sa.Text(), nullable=True))
        batch.add_column(sa.Column("ref", sa.String(80), nullable=True))
        batch.create_unique_constraint("uq_update_ref", ["ref"])


def downgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.drop_constraint("uq_update_ref", type_="unique")
        batch.drop_column("ref")
        batch.drop_column("retracted_note")
        batch.drop_column("retracted_at")
