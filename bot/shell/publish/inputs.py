"""What publishing reads, gathered once from the store: every commitment (archived ones too),
its recorded updates and when it was first seen, and one `now`.

Everything after `gather` is a function of these values, so the site, the calendar, the feed
and the table are the same bytes for the same inputs and `now`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.decide.status import StatusRow, summarise
from bot.decide.timeline import every_action
from bot.register.model import Action, Commitment, Register, Update

if TYPE_CHECKING:
    from storage.repository import Store


@dataclass(frozen=True)
class Entry:
    commitment: Commitment
    recorded: tuple[Update, ...]  # updates recorded outside the file (`commitment-bot update`)
    archived_at: datetime | None  # set when it is no longer in the register: still published, marked
    first_seen: datetime | None
    actions: tuple[Action, ...] = ()  # the team's own snoozes and chases: only when `publish: {actions: true}`


@dataclass(frozen=True)
class Inputs:
    register: Register
    now: datetime  # in the register's timezone
    entries: tuple[Entry, ...]  # the register's in file order, then the archived ones by id

    def rows(self) -> list[StatusRow]:
        """One status row per entry, as `status` computes it; an archived one has the state "archived"."""
        recorded = {e.commitment.id: e.recorded for e in self.entries}
        seen = {e.commitment.id: e.first_seen for e in self.entries if e.first_seen}
        everything = replace(self.register, commitments=tuple(e.commitment for e in self.entries))
        archived = {e.commitment.id for e in self.entries if e.archived_at}
        rows = summarise(everything, recorded, self.now, seen)
        return [replace(r, state="archived", days_overdue=0) if r.id in archived else r for r in rows]


def build(register: Register, now: datetime, recorded: dict[str, Sequence[Update]],
          first_seen: dict[str, datetime], archived: Sequence[tuple[Commitment, datetime]] = (),
          actions: dict[str, Sequence[Action]] | None = None) -> Inputs:
    """Inputs from plain values (tests and benchmarks build them without a database). The team's
    actions are kept only when the register publishes them (SPEC §7.3): otherwise no export can
    show them, whatever its template says."""
    live = {c.id for c in register.commitments}

    def taken(c: Commitment) -> tuple[Action, ...]:
        return tuple(every_action(c, (actions or {}).get(c.id, ()))) if register.publish_actions else ()

    entries = [Entry(c, tuple(recorded.get(c.id, ())), None, first_seen.get(c.id), taken(c))
               for c in register.commitments]
    zone = ZoneInfo(register.timezone)  # a removal is dated by the register's day, not UTC's
    entries += [Entry(c, tuple(recorded.get(c.id, ())), at.astimezone(zone), first_seen.get(c.id))
                for c, at in sorted(archived, key=lambda a: a[0].id) if c.id not in live]
    return Inputs(register, now.astimezone(ZoneInfo(register.timezone)), tuple(entries))


def gather(store: Store, register: Register, now: datetime) -> Inputs:
    """Read once what every export needs; `register` is already synced to `store`."""
    from bot.shell.text.history import from_text

    archived = []
    for a in store.register.archived():
        versions = store.register.versions(a.id, from_text)
        if versions is not None and versions.last is not None:
            archived.append((versions.last, a.archived_at))
    recorded = store.updates.recorded(None, quarters=register.quarters)
    actions = store.actions.recorded() if register.publish_actions else {}
    return build(register, now, dict(recorded), store.register.first_seen(), archived, dict(actions))
