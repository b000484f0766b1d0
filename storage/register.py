"""The register as last synced: every SQL statement about the commitments, their versions and the
cached parse of the file.

A sync makes the stored commitments match the file in one transaction and deletes nothing: a
commitment removed from the file is archived with its text, a changed one keeps its earlier text
as a version, and one put back is restored. The parsed register is cached with the file's hash,
so a re-check of an unchanged file (and a restart after a bad edit) need not parse it again.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, update

from bot.register.model import Commitment, Register
from storage.db import reading, serialise
from storage.locks import exclusive
from storage.models import commitment_versions as V
from storage.models import commitments as C
from storage.models import register_cache as R
from storage.sql import for_ids
from storage.times import aware, utc


@dataclass(frozen=True)
class SyncReport:
    added: int
    changed: int
    archived: int
    restored: int
    archived_ids: tuple[str, ...] = ()  # removed from the register by this sync: kept, with their history


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


class SyncedRegister:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def cached(self, source_hash: str) -> Register | None:
        """The register last synced, if it was parsed from this very file (`source_hash`)."""
        with reading(self.engine) as conn:
            row = conn.execute(select(R.c.source_hash, R.c.data).where(R.c.name == "register")).first()
        if row is None or row.source_hash != source_hash:
            return None
        try:
            value = pickle.loads(row.data)
        except Exception:  # an older version's cache: just read the file again
            return None
        return value if isinstance(value, Register) else None

    def last_good(self) -> tuple[Register, str] | None:
        """The register last synced (validated then) and its hash, whatever the file says now: a
        restart after a bad edit keeps running what was good."""
        with reading(self.engine) as conn:
            source_hash = _cache_hash(conn)
        register = self.cached(source_hash) if source_hash else None
        return (register, source_hash) if register is not None and source_hash else None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Only one process at a time syncs the register: two would insert the same new rows."""
        with exclusive(self.engine, "sync"):
            yield

    def sync(self, register: Register, source_hash: str, now: datetime) -> SyncReport:
        """Make the stored commitments match the register, in one transaction, deleting nothing."""
        now = utc(now)
        with self.engine.begin() as conn:
            serialise(conn, "sync")  # two processes syncing at once: the second sees the first's work
            if _cache_hash(conn) == source_hash:
                return SyncReport(0, 0, 0, 0)
            report = _sync_commitments(conn, register, now)
            blob = pickle.dumps(register, protocol=pickle.HIGHEST_PROTOCOL)
            conn.execute(R.delete().where(R.c.name == "register"))
            conn.execute(insert(R).values(name="register", source_hash=source_hash, data=blob, synced_at=now))
        return report

    def archived(self) -> list[Archived]:
        """Every archived commitment, most recently archived first (`status --state archived`)."""
        with reading(self.engine) as conn:
            rows = conn.execute(select(C.c.id, C.c.title, C.c.archived_at).where(C.c.archived_at.is_not(None))
                                .order_by(C.c.archived_at.desc(), C.c.id))
            return [Archived(cid, title, aware(at)) for cid, title, at in rows]

    def first_seen(self, ids: Collection[str] | None = None) -> dict[str, datetime]:
        """When each commitment (all, or those of `ids`) was first synced here."""
        with reading(self.engine) as conn:
            rows = for_ids(conn, select(C.c.id, C.c.first_seen), C.c.id, ids)
        return {cid: aware(at) for cid, at in rows}

    def versions(self, cid: str, read: Callable[[str], Commitment | None]) -> Versions | None:
        """Every stored version of a commitment, for `history` (None: never seen here).

        Storage keeps each version's register text, which outlives any change to our classes;
        `read` (the shell's, which knows the channels a text may route to) turns it back into a
        Commitment. A text that no longer reads is left out rather than failing the history."""
        with reading(self.engine) as conn:
            row = conn.execute(select(C.c.text, C.c.archived_at).where(C.c.id == cid)).first()
            if row is None:
                return None
            older = [r.text for r in conn.execute(select(V.c.text).where(V.c.commitment_id == cid).order_by(V.c.id))]
        earlier = tuple(c for c in map(read, older) if c is not None)
        return Versions(read(row.text), earlier, aware(row.archived_at) if row.archived_at else None)


def _cache_hash(conn: Connection) -> str | None:
    return conn.execute(select(R.c.source_hash).where(R.c.name == "register")).scalar()


def _sync_commitments(conn: Connection, register: Register, now: datetime) -> SyncReport:
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
