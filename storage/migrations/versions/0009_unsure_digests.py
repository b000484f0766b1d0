"""unsure digests: a digest or report the mail server never confirmed

A digest (or a report) the server took whole but never confirmed may have arrived, so the mail
that carries it again is marked as a possible repeat. `unsure_since` keeps when the first such
send was, as `notifications.unsure_since` does for an alert. No earlier row knows, so it is empty.

Revision ID: 0009
Revises: 0008
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.add_column(sa.Column("unsure_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_column("unsure_since")
