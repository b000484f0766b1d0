"""Updates recorded outside the file (`update`, the Slack form, a confirmed lead): every SQL
statement about them, and about withdrawing one recorded by mistake.

A retracted update is kept and shown by `history`, never counted. Each update read back has the
identity the same update written in the register's `updates:` list would have
(bot.register.recording.Numbering, SPEC §6.1), so one copied into the file is one update.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.register.model import Retraction, Source, Update
from bot.register.recording import Numbering, promised
from storage.db import reading
from storage.models import updates as U
from storage.sql import for_ids
from storage.times import aware, utc


@dataclass(frozen=True)
class NewUpdate:
    """An update about to be recorded, as its row keeps it. `ref` names where it was recorded (a
    Slack view, a slash command): the same ref is one update."""

    commitment_id: str
    on: date
    note: str
    due: str | None = None
    status: str | None = None
    period: str | None = None
    source_url: str | None = None
    by: str | None = None
    deadline: date | None = None
    ref: str | None = None
    said_by: str | None = None
    recorded_by: str | None = None
    context: bool = False


def insert_update(conn: Connection, new: NewUpdate, now: datetime) -> int:
    """Insert `new` in the caller's transaction (storage.leads records a confirmed lead's updates
    in the transaction that claims it); the new row's id."""
    result = conn.execute(insert(U).values(**asdict(new), recorded_at=utc(now)))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


class RecordedUpdates:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, cid: str, on: date, note: str, due: str | None, status: str | None,
            period: str | None, source_url: str | None, by: str | None, now: datetime,
            deadline: date | None = None, ref: str | None = None, said_by: str | None = None,
            recorded_by: str | None = None, context: bool = False) -> int:
        """The new row's id (`record`, field by field)."""
        return self.record(NewUpdate(cid, on, note, due, status, period, source_url, by, deadline, ref, said_by,
                                     recorded_by, context), now)

    def record(self, new: NewUpdate, now: datetime) -> int:
        """The new row's id; with a `ref` (a Slack view id), a second call with the same ref records
        nothing and returns the first row: Slack may deliver one submission twice."""
        try:
            with self.engine.begin() as conn:
                return insert_update(conn, new, now)
        except IntegrityError:
            if new.ref is None:
                raise
            with reading(self.engine) as conn:
                return int(conn.execute(select(U.c.id).where(U.c.ref == new.ref)).scalar_one())

    def recorded(self, ids: Collection[str] | None, quarters: str) -> dict[str, list[Update]]:
        """Updates recorded outside the file, per commitment, in date order (those of `ids`, or all for None),
        retracted ones left out; keyed by the identity the file's updates have (SPEC §6.1).
        `quarters` is the register's `defaults.quarters`, so "Q4" reads here as in the file: it has
        no default, so no caller can read them another way than the register does."""
        return self.recorded_and_retracted(ids, quarters)[0]

    def recorded_and_retracted(self, ids: Collection[str] | None, quarters: str,
                               ) -> tuple[dict[str, list[Update]], dict[str, list[Retraction]]]:
        """`recorded`, and beside it the retracted ones, each as it read while it counted (with the
        identity news of it was told under) and when it was withdrawn: one read for both, which
        a check decides from (a statement of a retracted update is corrected: SPEC §6.1)."""
        out: dict[str, list[Update]] = {}
        withdrawn: dict[str, list[Retraction]] = {}
        with reading(self.engine) as conn:
            rows = for_ids(conn, select(U), U.c.commitment_id, ids)
        numbering: dict[str, Numbering] = {}
        for r in sorted(rows, key=lambda r: r.id):  # numbered in the order recorded, as the file numbers its own
            u = _update(r, numbering.setdefault(r.commitment_id, Numbering()), quarters)
            if r.retracted_at is None:  # a retracted row keeps its number: the rows after it keep theirs
                out.setdefault(r.commitment_id, []).append(u)
            else:
                withdrawn.setdefault(r.commitment_id, []).append(Retraction(u, aware(r.retracted_at), r.retracted_note))
        return {cid: sorted(found, key=lambda u: (u.on, u.recorded or 0)) for cid, found in out.items()}, withdrawn

    def retract(self, cid: str, row: int, why: str | None, now: datetime) -> str | None:
        """Withdraw recorded update `row` of `cid`; a message when there is nothing to withdraw."""
        if not 0 < row < 2**62:
            return f"{cid} has no recorded update {row} (`commitment-bot history {cid}` shows their numbers)"
        with self.engine.begin() as conn:
            found = conn.execute(select(U.c.commitment_id, U.c.retracted_at).where(U.c.id == row)).first()
            if found is None or found.commitment_id != cid:
                return f"{cid} has no recorded update {row} (`commitment-bot history {cid}` shows their numbers)"
            if found.retracted_at is not None:
                return f"recorded update {row} of {cid} is already retracted"
            conn.execute(update(U).where(U.c.id == row, U.c.retracted_at.is_(None))
                         .values(retracted_at=utc(now), retracted_note=why))
        return None


def _update(r: Any, numbering: Numbering, quarters: str) -> Update:
    """A recorded update; its window read by the register's own rule (a `deadline` rescues any `due`)."""
    window = promised(r.due, r.on, r.deadline, quarters) if r.due or r.deadline else None
    source = Source(r.source_url, r.source_url) if r.source_url else None
    key = numbering.key(r.on, window, r.status, r.period)
    return Update(key, r.on, r.note, r.due, window, r.status, r.period, source, r.by, r.deadline, r.id,
                  r.said_by, r.recorded_by, bool(r.context))
