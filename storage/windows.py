"""Quiet windows: every SQL statement about the stretches in which a commitment needs no check.

A real check stores, per commitment, when it next needs deciding; a later check skips those still
quiet, and one where every commitment is quiet need not read the register at all (`asleep`).
The windows hold only for the same register, the same rules, and the same updates mark: an
update recorded or retracted, or an action (a snooze, a chase), may wake any commitment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select

from bot.register.model import Register
from storage.db import serialise
from storage.models import actions as ACTIONS
from storage.models import register_cache as R
from storage.models import updates as U
from storage.times import utc

Windows = Mapping[str, Sequence[float | None]]


@dataclass(frozen=True)
class Asleep:
    """What a check needs when every commitment is still quiet: it need not read the register."""

    timezone: str
    commitments: int
    windows: Windows


class QuietWindows:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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

    def save(self, source_hash: str, rules: int, updates_mark: int, windows: Windows, register: Register,
             now: datetime) -> None:
        """Keep the quiet windows for the next check; `updates_mark` is the one read before deciding.
        The register's timezone and size go with them, for a check that will not read it (`asleep`)."""
        blob = json.dumps({"rules": rules, "updates": updates_mark, "timezone": register.timezone,
                           "commitments": len(register.commitments), "quiet": windows}).encode()
        with self.engine.begin() as conn:
            serialise(conn, "quiet")  # replicas finishing together: one after the other, not a key clash
            conn.execute(R.delete().where(R.c.name == "quiet"))
            conn.execute(insert(R).values(name="quiet", source_hash=source_hash, data=blob, synced_at=utc(now)))

    def mark(self) -> int:
        """Grows with every update recorded or retracted and every action (a snooze, a chase)
        recorded: quiet windows hold only while it stays the same."""
        with self.engine.connect() as conn:
            last, retracted = conn.execute(select(func.coalesce(func.max(U.c.id), 0), func.count(U.c.retracted_at))).one()
            actions = conn.execute(select(func.coalesce(func.max(ACTIONS.c.id), 0))).scalar()
        # each only ever grows, so their sum does too
        return int(last or 0) + (int(retracted or 0) << 32) + (int(actions or 0) << 48)


def _windows(blob: bytes, rules: int, updates_mark: int) -> dict[str, Any] | None:
    """The stored quiet windows, if decided by these rules with no update recorded since."""
    try:
        stored = json.loads(blob)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("rules") != rules or stored.get("updates") != updates_mark:
        return None
    return stored if isinstance(stored.get("quiet"), dict) else None
