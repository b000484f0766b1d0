"""who said an update's words, who recorded it by name, and the team's own actions

`said_by` is the person who gave an update's words (SPEC §7.2); `recorded_by` the team member's
name as people read it (a Slack update keeps the user id in `by`). `actions` holds the team's
own snoozes and chases (SPEC §7.3), apart from updates: never news, a slip or evidence.

Revision ID: 0006
Revises: 0005
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.add_column(sa.Column("said_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("recorded_by", sa.Text(), nullable=True))
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("period", sa.String(40), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("how", sa.String(40), nullable=True),
        sa.Column("ref", sa.Text(), nullable=True),
        sa.Column("to_whom", sa.Text(), nullable=True),
        sa.Column("reply_due", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(80), nullable=True),
        sa.UniqueConstraint("origin", name="uq_action_origin"),
    )
    op.create_index("ix_actions_commitment_id", "actions", ["commitment_id"])


def downgrade() -> None:
    op.drop_index("ix_actions_commitment_id", table_name="actions")
    op.drop_table("actions")
    with op.batch_alter_table("updates") as batch:
        batch.drop_column("recorded_by")
        batch.drop_column("said_by")
