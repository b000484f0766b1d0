"""Notifications: every SQL statement about the alerts decided, from their record to their delivery.

One row per alert per target, its identity (SPEC §3) unique with the target, so a decision made
twice (by a re-run, or by two replicas) is stored once. A row is pending until a worker claims it
with a conditional UPDATE (only one worker can win a row), then sent, kept for a retry, or failed;
a row for a channel routed but not configured is held until that channel is. The latest decided
row also tells when the bot last really ran (time travel, SPEC §6.5).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, case, false, func, insert, or_, select, update

from bot.decide.alerts import Alert
from bot.decide.engine import Decision, Sent
from bot.decide.held import HeldAlert
from storage.db import serialise
from storage.models import notifications as N
from storage.models import register_cache as R
from storage.sql import chunks, for_ids, insert_ignoring_duplicates
from storage.times import aware, utc


@dataclass(frozen=True)
class Queued:
    """A notification row waiting for delivery, as the delivery step sees it."""

    id: int
    target: str
    alert: Alert
    attempts: int
    ident: str = ""
    unsure_since: datetime | None = None  # an earlier post got no answer: look before posting


@dataclass(frozen=True)
class Undelivered:
    """A row not sent (yet): what `status` and `check` tell people about it."""

    commitment_id: str
    kind: str
    target: str
    last_error: str | None
    attempts: int
    claimed_by: str | None = None  # a worker delivering it now (or one that died: see `abandoned`)
    claimed_at: datetime | None = None  # when that worker last renewed its claim


@dataclass(frozen=True)
class Claim:
    """Rows a worker holds: a worker that stopped renewing its claims is gone."""

    worker: str
    rows: int
    renewed_at: datetime


class Notifications:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- decided -----------------------------------------------------------------------------
    def record(self, decisions: Sequence[tuple[Decision, tuple[str, ...]]], now: datetime,
               held: Mapping[str, tuple[str, ...]] | None = None) -> int:
        """Store decided notifications; one already stored (same ident and target) is kept as is.

        `held` maps an ident to the targets whose channel is routed but not configured: those
        rows are stored as "held", to be delivered if the channel is configured while still current.
        """
        rows = _rows(decisions, utc(now), held or {})
        if not rows:
            return 0
        with self.engine.begin() as conn:
            existing = set(conn.execute(select(N.c.ident, N.c.target).where(
                N.c.ident.in_({r["ident"] for r in rows})))) if len(rows) < 900 else \
                set(conn.execute(select(N.c.ident, N.c.target)))
            fresh = [r for r in rows if (r["ident"], r["target"]) not in existing]
            if fresh:
                conn.execute(insert_ignoring_duplicates(conn, N, "uq_notification_target"), fresh)
        return len(fresh)

    def sent(self, ids: Collection[str] | None = None) -> list[Sent]:
        """Every notification decided (all, or those of `ids`), once per ident, at its first decision."""
        query = select(N.c.ident, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.n,
                       func.min(N.c.decided_at).label("at")).group_by(
            N.c.ident, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.n)
        with self.engine.connect() as conn:
            rows = for_ids(conn, query, N.c.commitment_id, ids)
        return [Sent(ident, cid, kind, period, deadline, n, aware(at)) for ident, cid, kind, period, deadline, n, at in rows]

    def given(self, ids: Collection[str]) -> dict[str, tuple[str, ...]]:
        """Where each notification of the commitments `ids` went or is still going: ident → the
        targets given it (sent, or owed: pending, failed), never those it is held for or that let
        it expire. A correction goes to those rooms and no others (bot.decide.kinds.withdrawn)."""
        query = select(N.c.ident, N.c.target).where(N.c.status.in_(("sent", "pending", "failed"))).order_by(N.c.id)
        with self.engine.connect() as conn:
            rows = for_ids(conn, query, N.c.commitment_id, ids)
        out: dict[str, list[str]] = {}
        for ident, target in rows:
            out.setdefault(ident, []).append(target)
        return {ident: tuple(dict.fromkeys(targets)) for ident, targets in out.items()}

    def undelivered(self) -> list[Undelivered]:
        """Every row still owed to a configured channel (held rows wait for one: see `held`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(N.c.commitment_id, N.c.kind, N.c.target, N.c.last_error, N.c.attempts,
                                       N.c.claimed_by, N.c.claimed_at)
                                .where(N.c.status.in_(("pending", "failed"))).order_by(N.c.id))
            return [Undelivered(*r[:-1], aware(r[-1]) if r[-1] is not None else None) for r in rows]

    def held(self, channels: Collection[str] | None = None, targets: Collection[str] | None = None) -> list[HeldAlert]:
        """Rows held for a target that was not served (those of `channels`, and of `targets`, only, if given)."""
        query = select(N.c.id, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.target, N.c.ident).where(
            N.c.status == "held")
        if channels is not None:  # in SQL: rows held for channels still unconfigured pile up, and stay there
            query = query.where(or_(false(), *(N.c.target.startswith(f"{c}:", autoescape=True) for c in channels)))
        if targets is not None:
            if not targets:
                return []
            query = query.where(N.c.target.in_(sorted(targets)))
        with self.engine.connect() as conn:
            return [HeldAlert(*r) for r in conn.execute(query.order_by(N.c.id))]

    def held_targets(self, channels: Collection[str]) -> list[str]:
        """The targets of `channels` that have held rows: the shell asks which of them are served now."""
        query = select(N.c.target).where(N.c.status == "held", or_(
            false(), *(N.c.target.startswith(f"{c}:", autoescape=True) for c in channels))).distinct()
        with self.engine.connect() as conn:
            return sorted(conn.execute(query).scalars())

    def settle_held(self, release: Collection[int], expire: Collection[int], why: str) -> None:
        """Held rows whose channel is now configured: the current ones are queued, the rest expire."""
        with self.engine.begin() as conn:
            for chunk in chunks(sorted(release)):
                conn.execute(update(N).where(and_(N.c.id.in_(chunk), N.c.status == "held")).values(status="pending"))
            for chunk in chunks(sorted(expire)):
                conn.execute(update(N).where(and_(N.c.id.in_(chunk), N.c.status == "held")).values(
                    status="expired", last_error=why))

    # -- delivered -------------------------------------------------------------------------
    def due_targets(self, now: datetime, stale_before: datetime) -> list[str]:
        """The targets with rows a worker could claim now, so each can be drained on its own."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(N.c.target).where(_claimable(utc(now), utc(stale_before)))
                                     .distinct().order_by(N.c.target)).scalars())

    def claim(self, worker: str, now: datetime, stale_before: datetime, target: str, limit: int | None = 500,
              after_id: int = 0) -> list[Queued]:
        """Take one target's rows due for delivery so that no other process delivers them too.

        A row is taken by a conditional UPDATE: only one worker's UPDATE can match it, so two
        replicas never hold the same row; a claim older than `stale_before` is a dead worker's.
        """
        now = utc(now)
        ready = and_(N.c.target == target, N.c.id > after_id, _claimable(now, utc(stale_before)))
        with self.engine.begin() as conn:
            ids = list(conn.execute(select(N.c.id).where(ready).order_by(N.c.id).limit(limit)).scalars())
            if not ids:
                return []
            # A row taken over from a worker that died may have been posted just before: it is
            # as unsure as a post that got no answer, and the channel looks for it first.
            taken_over = case((N.c.claimed_by.is_not(None), func.coalesce(N.c.unsure_since, N.c.claimed_at)),
                              else_=N.c.unsure_since)
            conn.execute(update(N).where(and_(N.c.id.in_(ids), ready)).values(
                claimed_by=worker, claimed_at=now, unsure_since=taken_over))
            rows = conn.execute(select(N.c.id, N.c.target, N.c.payload, N.c.attempts, N.c.ident, N.c.unsure_since).where(
                and_(N.c.id.in_(ids), N.c.claimed_by == worker)).order_by(N.c.id)).all()
        # Parsed after the commit: on SQLite the write lock is held for as short a time as possible.
        return [Queued(i, target, Alert.from_dict(json.loads(payload)), attempts, ident,
                       aware(unsure) if unsure else None)
                for i, target, payload, attempts, ident, unsure in rows]

    def renew(self, worker: str, now: datetime) -> int:
        """Keep this worker's claims alive while it works, so a short lease only expires on the dead."""
        with self.engine.begin() as conn:
            return int(conn.execute(update(N).where(and_(N.c.claimed_by == worker, N.c.status != "sent"))
                                    .values(claimed_at=utc(now))).rowcount or 0)

    def abandoned(self, stale_before: datetime) -> list[Claim]:
        """Claims whose worker stopped renewing them: a process that is gone (`status` says so)."""
        query = select(N.c.claimed_by, func.count(), func.max(N.c.claimed_at)).where(and_(
            N.c.claimed_by.is_not(None), N.c.status.in_(("pending", "failed")),
            N.c.claimed_at < utc(stale_before))).group_by(N.c.claimed_by).order_by(N.c.claimed_by)
        with self.engine.connect() as conn:
            return [Claim(worker, int(count), aware(at)) for worker, count, at in conn.execute(query)]

    def delivered(self, ids: Iterable[int], now: datetime, meta: dict[str, Any] | None = None) -> None:
        now = utc(now)
        with self.engine.begin() as conn:
            for chunk in chunks(list(ids)):
                conn.execute(update(N).where(N.c.id.in_(chunk)).values(
                    status="sent", sent_at=now, claimed_by=None, claimed_at=None, last_error=None,
                    attempts=N.c.attempts + 1, meta=json.dumps(meta) if meta else None, unsure_since=None))

    def not_delivered(self, ids: Iterable[int], error: str, permanent: bool, retry_at: datetime | None,
                      unsure_at: datetime | None = None) -> None:
        """Keep rows for a retry. `unsure_at`: a post went out unanswered then, so it may have
        landed; the earliest such time is kept until the channel has been searched."""
        retry_at = utc(retry_at) if retry_at else None
        unsure = func.coalesce(N.c.unsure_since, utc(unsure_at)) if unsure_at else N.c.unsure_since
        with self.engine.begin() as conn:
            for chunk in chunks(list(ids)):
                conn.execute(update(N).where(N.c.id.in_(chunk)).values(
                    status="failed" if permanent else "pending", last_error=error[:2000],
                    next_attempt_at=retry_at, claimed_by=None, claimed_at=None,
                    attempts=N.c.attempts + 1, unsure_since=unsure))

    def release(self, worker: str) -> None:
        """Give back what this worker claimed but did not try (e.g. stopped by SIGTERM)."""
        with self.engine.begin() as conn:
            conn.execute(update(N).where(and_(N.c.claimed_by == worker, N.c.status != "sent")).values(
                claimed_by=None, claimed_at=None))

    # -- real runs, for time travel (SPEC §6.5) -----------------------------------------------
    def latest_run(self) -> datetime | None:
        """The latest `now` a real (not dry) check or digest decided at."""
        with self.engine.connect() as conn:
            at = conn.execute(select(func.max(N.c.decided_at))).scalar()
            mark = conn.execute(select(R.c.synced_at).where(R.c.name == "latest-run")).scalar()
        found = [aware(t) for t in (at, mark) if t is not None]
        return max(found) if found else None

    def note_run(self, now: datetime) -> None:
        """Remember that a real run decided at `now`, even one that stored no notification: time
        travel (`--now`) cannot go back behind it."""
        now = utc(now)
        with self.engine.begin() as conn:
            serialise(conn, "latest-run")
            at = conn.execute(select(R.c.synced_at).where(R.c.name == "latest-run")).scalar()
            if at is not None and aware(at) >= now:
                return
            conn.execute(R.delete().where(R.c.name == "latest-run"))
            conn.execute(insert(R).values(name="latest-run", source_hash="", data=b"", synced_at=now))


def _rows(decisions: Sequence[tuple[Decision, tuple[str, ...]]], now: datetime,
          held: Mapping[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """One row per decision per target: "pending" for a configured channel, "held" for one routed but not."""
    rows: list[dict[str, Any]] = []
    for d, targets in decisions:
        payload = json.dumps(d.alert.to_dict())  # one alert, the same payload for each of its targets
        rows += [{"ident": d.ident, "target": t, "commitment_id": d.commitment_id, "kind": d.kind,
                  "period": d.period, "deadline": d.deadline, "n": d.n, "payload": payload, "decided_at": now,
                  "status": status, "attempts": 0}
                 for status, group in (("pending", targets), ("held", held.get(d.ident, ()))) for t in group]
    return rows


def _claimable(now: datetime, stale_before: datetime) -> Any:
    """Due for (another) attempt and held by no live worker."""
    return and_(N.c.status.in_(("pending", "failed")),
                or_(N.c.next_attempt_at.is_(None), N.c.next_attempt_at <= now),
                or_(N.c.claimed_by.is_(None), N.c.claimed_at < stale_before))
