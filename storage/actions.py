"""The team's own actions (SPEC §7.3): every SQL statement about snoozes and chases.

Kept in a table of their own, apart from updates, so nothing that reads the government's record
(slips, news, evidence, the site) can count them by mistake. Each action read back has the same
identity as the same action written in the register's `actions:` list (bot.register.recording.Numbering),
so one copied into the file by `export updates --write` is one action.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from bot.register.model import Action
from bot.register.recording import Numbering
from storage.models import actions as A
from storage.sql import for_ids
from storage.times import utc


class Actions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, cid: str, action: Action, now: datetime, origin: str | None = None) -> int:
        """The new row's id (the action's `key` is ignored: identities are numbered when read back);
        with `origin` (a Slack view id), a second call with the same origin records nothing and
        returns the first row: Slack may deliver one submission twice."""
        values = dict(commitment_id=cid, kind=action.kind, on=action.on, period=action.period,
                      until=action.until, how=action.how, ref=action.ref, to_whom=action.to,
                      reply_due=action.reply_due, note=action.note, by=action.by, recorded_by=action.recorded_by,
                      recorded_at=utc(now), origin=origin)
        try:
            with self.engine.begin() as conn:
                return int(conn.execute(insert(A).values(**values)).inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError:
            if origin is None:
                raise
            with self.engine.connect() as conn:
                return int(conn.execute(select(A.c.id).where(A.c.origin == origin)).scalar_one())

    def from_origin(self, origin: str) -> int | None:
        """The row recorded from `origin` (a Slack view id), if one was: a replayed submission."""
        with self.engine.connect() as conn:
            return conn.execute(select(A.c.id).where(A.c.origin == origin)).scalar_one_or_none()

    def recorded(self, ids: Collection[str] | None = None) -> dict[str, list[Action]]:
        """Actions recorded outside the file, per commitment, oldest first (all, or those of `ids`)."""
        with self.engine.connect() as conn:
            rows = for_ids(conn, select(A).order_by(A.c.id), A.c.commitment_id, ids)
        out: dict[str, list[Action]] = {}
        numbering: dict[str, Numbering] = {}
        for r in rows:  # numbered in the order recorded, as the file numbers its own
            key = numbering.setdefault(r.commitment_id, Numbering()).action_key(
                r.kind, r.on, r.period, r.until, r.how, r.ref)
            out.setdefault(r.commitment_id, []).append(Action(
                key, r.kind, r.on, r.period, r.until, r.how, r.ref, r.to_whom, r.reply_due, r.note, r.by,
                r.recorded_by, r.id))
        return {cid: sorted(found, key=lambda a: (a.on, a.recorded or 0)) for cid, found in out.items()}

