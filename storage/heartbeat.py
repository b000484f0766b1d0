"""Heartbeats and cross-process locks: the SQL the scheduler needs beyond the Store.

A heartbeat row says "the scheduler ran at T and expects to run again within its interval",
so `status` can warn when nobody has run for twice that long. The lock serialises the one step
two replicas cannot safely do at once (syncing a changed register); everything after it is
coordinated row by row through the notifications table.
"""

from __future__ import annotations

import fcntl
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, text

from storage.models import heartbeats as H
from storage.models import register_cache as R
from storage.times import aware, utc

SCHEDULER = "scheduler"


@dataclass(frozen=True)
class Beat:
    name: str
    at: datetime  # UTC, aware
    detail: dict[str, Any]

    @property
    def interval(self) -> timedelta | None:
        seconds = self.detail.get("interval_seconds")
        return timedelta(seconds=float(seconds)) if isinstance(seconds, int | float) and seconds > 0 else None


def beat(engine: Engine, name: str, at: datetime, detail: dict[str, Any]) -> None:
    """Record that `name` ran at `at` (one row per name: the latest run wins)."""
    stored = utc(at)  # aware UTC: PostgreSQL reads it right whatever the server's zone
    values = {"name": name, "at": stored, "detail": json.dumps(detail, sort_keys=True)}
    with engine.begin() as conn:
        conn.execute(_upsert(engine).values(**values).on_conflict_do_update(
            index_elements=[H.c.name], set_={"at": values["at"], "detail": values["detail"]}))


def last_beat(engine: Engine, name: str = SCHEDULER) -> Beat | None:
    with engine.connect() as conn:
        row = conn.execute(select(H.c.at, H.c.detail).where(H.c.name == name)).first()
    if row is None:
        return None
    at = aware(row.at)
    return Beat(name, at, json.loads(row.detail) if row.detail else {})


def heartbeat_status(store: Any, now: datetime) -> str | None:
    """One line for `status`: when the scheduler last ran, and a warning if it looks stopped.

    None when no scheduler ever ran here (a cron `check` deployment has nothing to report).
    """
    found = last_beat(store.engine)
    if found is None:
        return None
    return heartbeat_warning(store, now) or f"scheduler last ran {_ago(now - found.at)}"


def heartbeat_warning(store: Any, now: datetime) -> str | None:
    """"scheduler last ran 3 days ago: it looks stopped" when no run for 2× its interval."""
    found = last_beat(store.engine)
    if found is None or found.interval is None:
        return None
    age = now - found.at
    if age <= 2 * found.interval:
        return None
    return f"scheduler last ran {_ago(age)}: it looks stopped (it runs every {_span(found.interval)})"


@contextmanager
def sync_lock(engine: Engine) -> Iterator[None]:
    """Only one process at a time syncs the register: two would insert the same new rows."""
    with exclusive(engine, "sync"):
        yield


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Replicas starting together on a fresh database must not both create the tables."""
    from sqlalchemy import create_engine

    from storage.db import DatabaseProblem, normal_url

    try:
        engine = create_engine(normal_url(url))
    except Exception:  # noqa: BLE001 - connect() says what is wrong with the URL, in plain words
        raise DatabaseProblem("the database URL is not one this bot can use") from None
    try:
        with exclusive(engine, "migrate"):
            yield
    finally:
        engine.dispose()


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """A lock across processes. PostgreSQL: a session advisory lock, which the server releases
    if the holder dies. SQLite (one host by nature): an flock on a file next to the database."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"commitment-bot:{name}".encode())
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        yield
        return
    with open(f"{path}.{name}-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _upsert(engine: Engine):  # type: ignore[no-untyped-def]
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(H)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(H)


def _ago(age: timedelta) -> str:
    return "just now" if age < timedelta(minutes=1) else f"{_span(age)} ago"


def _span(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"


def first_time(engine: Engine, key: str, at: datetime) -> bool:
    """True for the one process that first records `key`: "tell once" across replicas and restarts."""
    stored = utc(at)
    with engine.begin() as conn:
        result = conn.execute(_upsert(engine).values(name=key[:80], at=stored, detail=None)
                              .on_conflict_do_nothing(index_elements=[H.c.name]))
    return bool(result.rowcount)


def last_good_register(store: Any) -> tuple[Any, str] | None:
    """The register last synced (validated then), whatever the file says now: a restart after a
    bad edit keeps running what was good."""
    with store.engine.connect() as conn:
        source_hash = conn.execute(select(R.c.source_hash).where(R.c.name == "register")).scalar()
    register = store.cached_register(source_hash) if source_hash else None
    return (register, source_hash) if register is not None else None
