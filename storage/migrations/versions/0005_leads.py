"""leads and watched pages

`commitment-bot watch` stores what it finds as leads (one per commitment and URL, never an
update until confirmed), and remembers each watched page's validators and text hash so the next
pass asks conditionally and notices a change.

Revision ID: 0005
Revises: 0004
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String(200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("update_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("commitment_id", "url_key", name="uq_lead_url"),
    )
    op.create_index("ix_leads_commitment_id", "leads", ["commitment_id"])
    op.create_table(
        "page_marks",
        sa.Column("url_key", sa.String(64), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("text_hash", sa.String(64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("page_marks")
    op.drop_index("ix_leads_commitment_id", table_name="leads")
    op.drop_table("leads")
