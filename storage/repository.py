"""Every SQL statement of the bot. The rest of the code sees domain objects only."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, case, false, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.decide.alerts import Alert
from bot.decide.engine import Decision, Sent
from bot.decide.held import HeldAlert
from bot.register.model import Commitment, Register, Source, Update
from bot.register.recording import Numbering, promised
from storage.actions import Actions
from storage.db import serialise
from storage.models import actions as ACTIONS
from storage.models import commitment_versions as V
from storage.models import commitments as C
from storage.models import notifications as N
from storage.models import register_cache as R
from storage.models import updates as U
from storage.slack_threads import SlackThreads
from storage.times import aware, utc


@dataclass(frozen=True)
class SyncReport:
    added: int
    changed: int
    archived: int
    restored: int
    archived_ids: tuple[str, ...] = ()  # removed from the register by this sync: kept, with their history


@dataclass(frozen=True)
class Retracted:
    """A recorded update withdrawn as a mistake: kept, shown, never counted."""

    row: int
    on: date
    note: str
    at: datetime
    why: str | None


@dataclass(frozen=True)
class Versions:
    """A commitment as last synced and as it was before, oldest first: what `history` shows."""

    last: Commitment | None  # None: its stored text no longer reads
    earlier: tuple[Commitment, ...]
    archived_at: datetime | None  # set when it is no longer in the register


@dataclass(frozen=True)
class Archived:
    """A commitment removed from the register: its history is kept, and putting it back restores it."""

    id: str
    title: str
    archived_at: datetime


@dataclass(frozen=True)
class Asleep:
    """What a check needs when every commitment is still quiet: it need not read the register."""

    timezone: str
    commitments: int
    windows: Mapping[str, Sequence[float | None]]


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


@dataclass(frozen=True)
class Claim:
    """Rows a worker holds: a worker that stopped renewing its claims is gone."""

    worker: str
    rows: int
    renewed_at: datetime


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.threads = SlackThreads(engine)  # notifiers.slack's ThreadAnchors; the shell records new ones
        self.actions = Actions(engine)  # the team's own snoozes and chases (SPEC §7.3)

    # -- the register ----------------------------------------------------------------------
    def cached_register(self, source_hash: str) -> Register | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(R.c.source_hash, R.c.data).where(R.c.name == "register")).first()
        if row is None or row.source_hash != source_hash:
            return None
        try:
            value = pickle.loads(row.data)
        except Exception:  # an older version's cache: just read the file again
            return None
        return value if isinstance(value, Register) else None

    def sync(self, register: Register, source_hash: str, now: datetime) -> SyncReport:
        """Make the stored commitments match the register, in one transaction, deleting nothing."""
        now = utc(now)
        with self.engine.begin() as conn:
            serialise(conn, "sync")  # two processes syncing at once: the second sees the first's work
            if self._cache_hash(conn) == source_hash:
                return SyncReport(0, 0, 0, 0)
            report = self._sync_commitments(conn, register, now)
            blob = pickle.dumps(register, protocol=pickle.HIGHEST_PROTOCOL)
            conn.execute(R.delete().where(R.c.name == "register"))
            conn.execute(insert(R).values(name="register", source_hash=source_hash, data=blob, synced_at=now))
        return report

    def quiet(self, source_hash: str, rules: int, updates_mark: int) -> dict[str, Sequence[float | None]]:
        """The quiet windows the last real check stored, if they still hold: same register, same
        rules, and no update recorded since (`updates_mark`: an update may wake any commitment)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(R.c.source_hash, R.c.data).where(R.c.name == "quiet")).first()
        stored = _windows(row.data, rules, updates_mark) if row is not None and row.source_hash == source_hash else None
        return stored["quiet"] if stored else {}

    def asleep(self, source_hash: str, rules: int, updates_mark: int) -> Asleep | None:
        """The stored windows, read before the register: only if they hold (as `quiet`), cover every
        commitment, and this very file is also the one synced (so syncing it would change nothing)."""
        with self.engine.connect() as conn:
            rows = {r.name: r for r in conn.execute(
                select(R.c.name, R.c.source_hash, R.c.data).where(R.c.name.in_(("register", "quiet"))))}
        if any(name not in rows or rows[name].source_hash != source_hash for name in ("register", "quiet")):
            return None
        stored = _windows(rows["quiet"].data, rules, updates_mark)
        if not stored or not isinstance(stored.get("timezone"), str) or stored.get("commitments") != len(stored["quiet"]):
            return None
        return Asleep(stored["timezone"], stored["commitments"], stored["quiet"])

    def save_quiet(self, source_hash: str, rules: int, updates_mark: int, windows: Mapping[str, Sequence[float | None]],
                   register: Register, now: datetime) -> None:
        """Keep the quiet windows for the next check; `updates_mark` is the one read before deciding.
        The register's timezone and size go with them, for a check that will not read it (`asleep`)."""
        blob = json.dumps({"rules": rules, "updates": updates_mark, "timezone": register.timezone,
                           "commitments": len(register.commitments), "quiet": windows}).encode()
        with self.engine.begin() as conn:
            serialise(conn, "quiet")  # replicas finishing together: one after the other, not a key clash
            conn.execute(R.delete().where(R.c.name == "quiet"))
            conn.execute(insert(R).values(name="quiet", source_hash=source_hash, data=blob, synced_at=utc(now)))

    def updates_mark(self) -> int:
        """Grows with every update recorded or retracted and every action (a snooze, a chase)
        recorded: quiet windows hold only while it stays the same."""
        with self.engine.connect() as conn:
            last, retracted = conn.execute(select(func.coalesce(func.max(U.c.id), 0), func.count(U.c.retracted_at))).one()
            actions = conn.execute(select(func.coalesce(func.max(ACTIONS.c.id), 0))).scalar()
        # each only ever grows, so their sum does too
        return int(last or 0) + (int(retracted or 0) << 32) + (int(actions or 0) << 48)

    def _cache_hash(self, conn: Connection) -> str | None:
        return conn.execute(select(R.c.source_hash).where(R.c.name == "register")).scalar()

    def _sync_commitments(self, conn: Connection, register: Register, now: datetime) -> SyncReport:
        stored = {r.id: r for r in conn.execute(select(C.c.id, C.c.digest, C.c.text, C.c.archived_at))}
        new, changed, restored = [], [], []
        for c in register.commitments:
            row = stored.get(c.id)
            if row is None:
                new.append({"id": c.id, "title": c.title, "digest": c.text_hash, "text": c.text,
                            "first_seen": now, "updated_at": now, "archived_at": None})
            elif row.digest != c.text_hash:
                changed.append((c, row))
            elif row.archived_at is not None:
                restored.append(c.id)
        if new:
            conn.execute(insert(C), new)
        for c, row in changed:
            conn.execute(insert(V).values(commitment_id=c.id, digest=row.digest, text=row.text, replaced_at=now))
            conn.execute(update(C).where(C.c.id == c.id).values(
                title=c.title, digest=c.text_hash, text=c.text, updated_at=now, archived_at=None))
        if restored:
            conn.execute(update(C).where(C.c.id.in_(restored)).values(archived_at=None, updated_at=now))
        present = {c.id for c in register.commitments}
        gone = [cid for cid, row in stored.items() if cid not in present and row.archived_at is None]
        if gone:
            conn.execute(update(C).where(C.c.id.in_(gone)).values(archived_at=now, updated_at=now))
        return SyncReport(len(new), len(changed), len(gone), len(restored), tuple(sorted(gone)))

    def archived_list(self) -> list[Archived]:
        """Every archived commitment, most recently archived first (`status --state archived`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(C.c.id, C.c.title, C.c.archived_at).where(C.c.archived_at.is_not(None))
                                .order_by(C.c.archived_at.desc(), C.c.id))
            return [Archived(cid, title, aware(at)) for cid, title, at in rows]

    def first_seen(self, ids: Collection[str] | None = None) -> dict[str, datetime]:
        with self.engine.connect() as conn:
            rows = _for_ids(conn, select(C.c.id, C.c.first_seen), C.c.id, ids)
        return {cid: aware(at) for cid, at in rows}

    def versions(self, cid: str, read: Callable[[str], Commitment | None]) -> Versions | None:
        """Every stored version of a commitment, for `history` (None: never seen here).

        Storage keeps each version's register text, which outlives any change to our classes;
        `read` (the shell's, which knows the channels a text may route to) turns it back into a
        Commitment. A text that no longer reads is left out rather than failing the history."""
        with self.engine.connect() as conn:
            row = conn.execute(select(C.c.text, C.c.archived_at).where(C.c.id == cid)).first()
            if row is None:
                return None
            older = [r.text for r in conn.execute(select(V.c.text).where(V.c.commitment_id == cid).order_by(V.c.id))]
        earlier = tuple(c for c in map(read, older) if c is not None)
        return Versions(read(row.text), earlier, aware(row.archived_at) if row.archived_at else None)

    # -- updates recorded with the CLI -----------------------------------------------------
    def add_update(self, cid: str, on: date, note: str, due: str | None, status: str | None,
                   period: str | None, source_url: str | None, by: str | None, now: datetime,
                   deadline: date | None = None, ref: str | None = None, said_by: str | None = None,
                   recorded_by: str | None = None) -> int:
        """The new row's id; with `ref` (a Slack view id), a second call with the same ref records
        nothing and returns the first row: Slack may deliver one submission twice."""
        now = utc(now)
        values = dict(commitment_id=cid, on=on, note=note, due=due, status=status, period=period,
                      source_url=source_url, by=by, recorded_at=now, deadline=deadline, ref=ref,
                      said_by=said_by, recorded_by=recorded_by)
        try:
            with self.engine.begin() as conn:
                result = conn.execute(insert(U).values(**values))
                return int(result.inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError:
            if ref is None:
                raise
            with self.engine.connect() as conn:
                return int(conn.execute(select(U.c.id).where(U.c.ref == ref)).scalar_one())

    def recorded_updates(self, ids: Collection[str] | None = None,
                         quarters: str = "calendar") -> dict[str, list[Update]]:
        """Updates recorded outside the file, per commitment, in date order (all, or those of `ids`),
        retracted ones left out; keyed by the identity the file's updates have (SPEC §6.1).
        `quarters` is the register's `defaults.quarters`, so "Q4" reads here as in the file."""
        out: dict[str, list[Update]] = {}
        with self.engine.connect() as conn:
            rows = _for_ids(conn, select(U), U.c.commitment_id, ids)
        numbering: dict[str, Numbering] = {}
        for r in sorted(rows, key=lambda r: r.id):  # numbered in the order recorded, as the file numbers its own
            u = _update(r, numbering.setdefault(r.commitment_id, Numbering()), quarters)
            if r.retracted_at is None:  # a retracted row keeps its number: the rows after it keep theirs
                out.setdefault(r.commitment_id, []).append(u)
        return {cid: sorted(found, key=lambda u: (u.on, u.recorded or 0)) for cid, found in out.items()}

    def retracted_updates(self, cid: str) -> list[Retracted]:
        """Recorded updates withdrawn with `update --retract`: history still shows them."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(U).where(U.c.commitment_id == cid, U.c.retracted_at.is_not(None))
                                .order_by(U.c.id)).all()
        return [Retracted(r.id, r.on, r.note, aware(r.retracted_at), r.retracted_note) for r in rows]

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

    # -- notifications ---------------------------------------------------------------------
    def sent(self, ids: Collection[str] | None = None) -> list[Sent]:
        """Every notification decided (all, or those of `ids`), once per ident, at its first decision."""
        query = select(N.c.ident, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.n,
                       func.min(N.c.decided_at).label("at")).group_by(
            N.c.ident, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.n)
        with self.engine.connect() as conn:
            rows = _for_ids(conn, query, N.c.commitment_id, ids)
        return [Sent(ident, cid, kind, period, deadline, n, aware(at)) for ident, cid, kind, period, deadline, n, at in rows]

    def record(self, decisions: Sequence[tuple[Decision, tuple[str, ...]]], now: datetime,
               held: Mapping[str, tuple[str, ...]] | None = None) -> int:
        """Store decided notifications; one already stored (same ident and target) is kept as is.

        `held` maps an ident to the targets whose channel is routed but not configured: those
        rows are stored as "held", to be delivered if the channel is configured while still current.
        """
        now = utc(now)
        held = held or {}
        rows = [
            {"ident": d.ident, "target": t, "commitment_id": d.commitment_id, "kind": d.kind,
             "period": d.period, "deadline": d.deadline, "n": d.n,
             "payload": json.dumps(d.alert.to_dict()), "decided_at": now, "status": status,
             "attempts": 0}
            for d, targets in decisions
            for status, group in (("pending", targets), ("held", held.get(d.ident, ())))
            for t in group
        ]
        if not rows:
            return 0
        with self.engine.begin() as conn:
            existing = set(conn.execute(select(N.c.ident, N.c.target).where(
                N.c.ident.in_({r["ident"] for r in rows})))) if len(rows) < 900 else \
                set(conn.execute(select(N.c.ident, N.c.target)))
            fresh = [r for r in rows if (r["ident"], r["target"]) not in existing]
            if fresh:
                conn.execute(_insert_ignoring_duplicates(conn), fresh)
        return len(fresh)

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
            for chunk in _chunks(list(ids), 500):
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
            for chunk in _chunks(list(ids), 500):
                conn.execute(update(N).where(N.c.id.in_(chunk)).values(
                    status="failed" if permanent else "pending", last_error=error[:2000],
                    next_attempt_at=retry_at, claimed_by=None, claimed_at=None,
                    attempts=N.c.attempts + 1, unsure_since=unsure))

    def release(self, worker: str) -> None:
        """Give back what this worker claimed but did not try (e.g. stopped by SIGTERM)."""
        with self.engine.begin() as conn:
            conn.execute(update(N).where(and_(N.c.claimed_by == worker, N.c.status != "sent")).values(
                claimed_by=None, claimed_at=None))

    def undelivered(self) -> list[Undelivered]:
        """Every row still owed to a configured channel (held rows wait for one: see `held`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(N.c.commitment_id, N.c.kind, N.c.target, N.c.last_error, N.c.attempts)
                                .where(N.c.status.in_(("pending", "failed"))).order_by(N.c.id))
            return [Undelivered(*r) for r in rows]

    def held(self, channels: Collection[str] | None = None) -> list[HeldAlert]:
        """Rows held for a channel that was not configured (those of `channels` only, if given)."""
        query = select(N.c.id, N.c.commitment_id, N.c.kind, N.c.period, N.c.deadline, N.c.target).where(
            N.c.status == "held")
        if channels is not None:  # in SQL: rows held for channels still unconfigured pile up, and stay there
            query = query.where(or_(false(), *(N.c.target.startswith(f"{c}:", autoescape=True) for c in channels)))
        with self.engine.connect() as conn:
            return [HeldAlert(*r) for r in conn.execute(query.order_by(N.c.id))]

    def settle_held(self, release: Collection[int], expire: Collection[int], why: str) -> None:
        """Held rows whose channel is now configured: the current ones are queued, the rest expire."""
        with self.engine.begin() as conn:
            for chunk in _chunks(sorted(release), 500):
                conn.execute(update(N).where(and_(N.c.id.in_(chunk), N.c.status == "held")).values(status="pending"))
            for chunk in _chunks(sorted(expire), 500):
                conn.execute(update(N).where(and_(N.c.id.in_(chunk), N.c.status == "held")).values(
                    status="expired", last_error=why))

    # -- real runs, for time travel (SPEC §6.5) -----------------------------------------------
    def latest_run(self) -> datetime | None:
        """The latest `now` a real (not dry) check or digest decided at."""
        with self.engine.connect() as conn:
            at = conn.execute(select(func.max(N.c.decided_at))).scalar()
            mark = conn.execute(select(R.c.synced_at).where(R.c.name == "latest-run")).scalar()
        found = [aware(t) for t in (at, mark) if t is not None]
        return max(found) if found else None

    def note_run(self, now: datetime) -> None:
        now = utc(now)
        with self.engine.begin() as conn:
            serialise(conn, "latest-run")
            at = conn.execute(select(R.c.synced_at).where(R.c.name == "latest-run")).scalar()
            if at is not None and aware(at) >= now:
                return
            conn.execute(R.delete().where(R.c.name == "latest-run"))
            conn.execute(insert(R).values(name="latest-run", source_hash="", data=b"", synced_at=now))


def _insert_ignoring_duplicates(conn: Connection):  # type: ignore[no-untyped-def]
    """A concurrent replica may have stored the same row a moment ago: that is not an error."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(N).on_conflict_do_nothing(constraint="uq_notification_target")
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(N).on_conflict_do_nothing()


def _chunks(items: Sequence[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _for_ids(conn: Connection, query: Any, column: Any, ids: Collection[str] | None) -> list[Any]:
    """All rows, or those whose `column` is one of `ids`, fetched in one go (then plain tuples)."""
    if ids is None:
        return list(conn.execute(query).all())
    out: list[Any] = []
    for chunk in _chunks(sorted(ids), 500):  # well inside every backend's limit on bound parameters
        out += conn.execute(query.where(column.in_(chunk))).all()
    return out


def _claimable(now: datetime, stale_before: datetime) -> Any:
    """Due for (another) attempt and held by no live worker."""
    return and_(N.c.status.in_(("pending", "failed")),
                or_(N.c.next_attempt_at.is_(None), N.c.next_attempt_at <= now),
                or_(N.c.claimed_by.is_(None), N.c.claimed_at < stale_before))


def _update(r: Any, numbering: Numbering, quarters: str) -> Update:
    """A recorded update; its window read by the register's own rule (a `deadline` rescues any `due`)."""
    window = promised(r.due, r.on, r.deadline, quarters) if r.due or r.deadline else None
    source = Source(r.source_url, r.source_url) if r.source_url else None
    key = numbering.key(r.on, window, r.status, r.period)
    return Update(key, r.on, r.note, r.due, window, r.status, r.period, source, r.by, r.deadline, r.id,
                  r.said_by, r.recorded_by)


def _windows(blob: bytes, rules: int, updates_mark: int) -> dict[str, Any] | None:
    """The stored quiet windows, if decided by these rules with no update recorded since."""
    try:
        stored = json.loads(blob)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("rules") != rules or stored.get("updates") != updates_mark:
        return None
    return stored if isinstance(stored.get("quiet"), dict) else None
