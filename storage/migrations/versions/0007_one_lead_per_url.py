"""one lead per URL, naming every commitment it may answer

A lead was stored once per (commitment, URL): one GOV.UK page found by five commitments' queries
was five leads, five alerts in one channel. Now a URL is one lead, and `lead_commitments` lists
every commitment it may answer, in the order they were found, with the find's score against each
and the update a confirmation recorded for it.

Leads already stored for one URL under several commitments are merged into the earliest (lowest
id), which names them all, in the order they were found. The merged lead is confirmed if any of
them was (keeping who confirmed it, when, and the update), else new if any still was, else
dismissed. The later ids are gone: a button or command naming one says there is no such lead.
Downgrading keeps each lead under its first commitment only.

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEADS = sa.table("leads", sa.column("id", sa.Integer), sa.column("commitment_id", sa.String),
                 sa.column("url_key", sa.String), sa.column("state", sa.String),
                 sa.column("decided_at", sa.DateTime(timezone=True)), sa.column("decided_by", sa.Text),
                 sa.column("update_id", sa.Integer))
LINKS = sa.table("lead_commitments", sa.column("lead_id", sa.Integer), sa.column("commitment_id", sa.String),
                 sa.column("position", sa.Integer), sa.column("score", sa.Integer),
                 sa.column("update_id", sa.Integer))


def upgrade() -> None:
    op.create_table(
        "lead_commitments",
        sa.Column("lead_id", sa.Integer(), primary_key=True),
        sa.Column("commitment_id", sa.String(200), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("update_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_lead_commitments_commitment_id", "lead_commitments", ["commitment_id"])
    _merge(op.get_bind())
    with op.batch_alter_table("leads") as batch:
        batch.drop_constraint("uq_lead_url", type_="unique")
        batch.create_unique_constraint("uq_lead_url_key", ["url_key"])


def _merge(conn: Any) -> None:
    """Link every stored lead to its commitment, then fold the leads of one URL into the first."""
    groups: dict[str, list[Any]] = {}
    for row in conn.execute(sa.select(LEADS).order_by(LEADS.c.id)):
        groups.setdefault(row.url_key, []).append(row)
    links = [{"lead_id": group[0].id, "commitment_id": r.commitment_id, "position": i, "score": None,
              "update_id": r.update_id} for group in groups.values() for i, r in enumerate(group)]
    if links:
        conn.execute(sa.insert(LINKS), links)
    for group in (g for g in groups.values() if len(g) > 1):
        conn.execute(sa.update(LEADS).where(LEADS.c.id == group[0].id).values(**_merged_state(group)))
        conn.execute(sa.delete(LEADS).where(LEADS.c.id.in_([r.id for r in group[1:]])))


def _merged_state(group: list[Any]) -> dict[str, Any]:
    confirmed = [r for r in group if r.state == "confirmed"]
    if confirmed:
        first = confirmed[0]
        return {"state": "confirmed", "decided_at": first.decided_at, "decided_by": first.decided_by,
                "update_id": first.update_id}
    if any(r.state == "new" for r in group):
        return {"state": "new", "decided_at": None, "decided_by": None, "update_id": None}
    first = group[0]
    return {"state": first.state, "decided_at": first.decided_at, "decided_by": first.decided_by, "update_id": None}


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_constraint("uq_lead_url_key", type_="unique")
        batch.create_unique_constraint("uq_lead_url", ["commitment_id", "url_key"])
    op.drop_index("ix_lead_commitments_commitment_id", table_name="lead_commitments")
    op.drop_table("lead_commitments")
