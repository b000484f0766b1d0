"""context updates: someone else's statement about a commitment

`commitment-bot update --context` records what someone other than the owner said (a
commissioner, a charity, Parliament, the press). It is listed as context and never counted as
the commitment's news. Every earlier update was recorded as news, so the column is false for it.

Revision ID: 0008
Revises: 0007
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.add_column(sa.Column("context", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("updates") as batch:
        batch.drop_column("context")
