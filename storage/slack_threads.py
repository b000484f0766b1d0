"""Where each commitment's Slack thread lives, per channel: every SQL statement for anchors.

An anchor is (channel as the register names it, commitment id) → the parent message's `ts`.
The `slack_threads.ts` column also carries the channel's Slack id (`"<ts>|<channel id>"`)
because permalinks and history look-ups need the id, which a `#name` target does not give;
rows written with a bare `ts` still read correctly.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, and_, delete, insert, select

from bot.decide.threads import Anchor
from storage.models import slack_threads as T
from storage.times import utc

__all__ = ["Anchor", "SlackThreads"]


class SlackThreads:
    """Implements notifiers.slack's `ThreadAnchors` (reading); the shell calls `put`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, channel: str, commitment_id: str) -> Anchor | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(T.c.ts).where(
                and_(T.c.channel == channel, T.c.commitment_id == commitment_id))).scalar()
        return _anchor(channel, commitment_id, value) if value else None

    def in_channel(self, channel: str, commitment_ids: list[str]) -> dict[str, Anchor]:
        """The anchors of many commitments in one channel at once (for a summary message)."""
        if not commitment_ids:
            return {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(T.c.commitment_id, T.c.ts).where(
                and_(T.c.channel == channel, T.c.commitment_id.in_(sorted(set(commitment_ids))))))
            return {r.commitment_id: _anchor(channel, r.commitment_id, r.ts) for r in rows}

    def channel_id(self, channel: str) -> str | None:
        """Slack's id for a routed channel name, learned from any earlier anchor there."""
        with self.engine.connect() as conn:
            for value in conn.execute(select(T.c.ts).where(T.c.channel == channel)).scalars():
                if "|" in value:
                    return str(value.split("|", 1)[1])
        return None

    def put(self, anchor: Anchor, now: datetime) -> None:
        """Store or replace the anchor (a deleted parent is replaced by the new thread)."""
        value = f"{anchor.ts}|{anchor.channel_id}" if anchor.channel_id else anchor.ts
        where = and_(T.c.channel == anchor.channel, T.c.commitment_id == anchor.commitment_id)
        with self.engine.begin() as conn:
            conn.execute(delete(T).where(where))
            conn.execute(insert(T).values(channel=anchor.channel, commitment_id=anchor.commitment_id,
                                          ts=value[:40], created_at=utc(now)))


def _anchor(channel: str, commitment_id: str, value: str) -> Anchor:
    ts, _, channel_id = value.partition("|")
    return Anchor(channel, commitment_id, ts, channel_id or None)
