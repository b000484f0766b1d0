"""Heartbeats: every SQL statement about the `heartbeats` table, one row per name.

A heartbeat row says "the scheduler ran at T and expects to run again within its interval",
so `status` can warn when nobody has run for twice that long. The same table remembers keys told
once across replicas and restarts (`first_time`), such as a bad register already reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from storage.models import heartbeats as H
from storage.sql import dialect_insert
from storage.times import aware, utc

if TYPE_CHECKING:
    from storage.repository import Store

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


class Heartbeats:
    """The Store's part for heartbeats (`store.heartbeats`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def beat(self, name: str, at: datetime, detail: dict[str, Any]) -> None:
        beat(self.engine, name, at, detail)

    def last(self, name: str = SCHEDULER) -> Beat | None:
        return last_beat(self.engine, name)

    def first_time(self, key: str, at: datetime) -> bool:
        return first_time(self.engine, key, at)


def beat(engine: Engine, name: str, at: datetime, detail: dict[str, Any]) -> None:
    """Record that `name` ran at `at` (one row per name: the latest run wins)."""
    stored = utc(at)  # aware UTC: PostgreSQL reads it right whatever the server's zone
    values = {"name": name, "at": stored, "detail": json.dumps(detail, sort_keys=True)}
    with engine.begin() as conn:
        conn.execute(dialect_insert(engine, H).values(**values).on_conflict_do_update(
            index_elements=[H.c.name], set_={"at": values["at"], "detail": values["detail"]}))


def last_beat(engine: Engine, name: str = SCHEDULER) -> Beat | None:
    with engine.connect() as conn:
        row = conn.execute(select(H.c.at, H.c.detail).where(H.c.name == name)).first()
    if row is None:
        return None
    at = aware(row.at)
    return Beat(name, at, json.loads(row.detail) if row.detail else {})


def first_time(engine: Engine, key: str, at: datetime) -> bool:
    """True for the one process that first records `key`: "tell once" across replicas and restarts."""
    stored = utc(at)
    with engine.begin() as conn:
        result = conn.execute(dialect_insert(engine, H).values(name=key[:80], at=stored, detail=None)
                              .on_conflict_do_nothing(index_elements=[H.c.name]))
    return bool(result.rowcount)


def heartbeat_status(store: Store, now: datetime) -> str | None:
    """One line for `status`: when the scheduler last ran, and a warning if it looks stopped.

    None when no scheduler ever ran here (a cron `check` deployment has nothing to report).
    """
    found = store.heartbeats.last()
    if found is None:
        return None
    return heartbeat_warning(store, now) or f"scheduler last ran {_ago(now - found.at)}"


def heartbeat_warning(store: Store, now: datetime) -> str | None:
    """"scheduler last ran 3 days ago: it looks stopped" when no run for 2× its interval."""
    found = store.heartbeats.last()
    if found is None or found.interval is None:
        return None
    age = now - found.at
    if age <= 2 * found.interval:
        return None
    return f"scheduler last ran {_ago(age)}: it looks stopped (it runs every {_span(found.interval)})"


def _ago(age: timedelta) -> str:
    return "just now" if age < timedelta(minutes=1) else f"{_span(age)} ago"


def _span(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} seconds"
