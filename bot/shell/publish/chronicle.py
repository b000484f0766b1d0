"""One commitment's story as the site, the feed and `history --json` tell it: every track's
promises and slips, its updates, and the dated events (update, slip, lapse, closure).

Pure: built from an `Entry` and `today`; it reads no clock and no store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.decide import words
from bot.decide.states import days_overdue, state
from bot.decide.timeline import Promise, Track, every_update, tracks
from bot.register.model import TERMINAL, Commitment, Update
from bot.shell.publish.inputs import Entry
from bot.when.dates import describe


@dataclass(frozen=True)
class Step:
    """A promised time, and the slip that brought it (0: not a slip)."""

    promise: Promise
    slip: int
    current: bool

    @property
    def reading(self) -> str:
        return describe(self.promise.window) if self.promise.window else "open-ended"


@dataclass(frozen=True)
class Line:
    """One track: the commitment, or one occurrence of a recurring one."""

    period: str | None
    state: str
    deadline: date | None
    days_overdue: int
    steps: tuple[Step, ...]
    track: Track

    @property
    def slips(self) -> int:
        return max((s.slip for s in self.steps), default=0)


@dataclass(frozen=True)
class Event:
    """Something that happened, for the feed: kind is update, slipped, lapsed or closed."""

    on: date
    kind: str
    key: str  # stable within the commitment: the update's key, or the deadline that lapsed
    period: str | None
    update: Update | None
    step: Step | None


@dataclass(frozen=True)
class Chronicle:
    entry: Entry
    lines: tuple[Line, ...]
    updates: tuple[Update, ...]  # every update dated on or before today, oldest first
    events: tuple[Event, ...]  # oldest first

    @property
    def commitment(self) -> Commitment:
        return self.entry.commitment


def chronicle(entry: Entry, now: Any) -> Chronicle:
    """`now` is an aware datetime in the register's timezone."""
    c, today = entry.commitment, now.date()
    found = tracks(c, entry.recorded, today)
    lines = tuple(_line(t, now, entry) for t in found)
    updates = tuple(u for u in every_update(c, entry.recorded) if u.on <= today)
    return Chronicle(entry, lines, updates, tuple(sorted(_events(lines, updates, today), key=_event_order)))


def _line(t: Track, now: Any, entry: Entry) -> Line:
    slips = {s.update.key: s.count for s in t.slips()}
    last = len(t.promises) - 1
    steps = tuple(Step(p, slips.get(p.origin, 0), i == last) for i, p in enumerate(t.promises))
    st = "archived" if entry.archived_at else state(t, now, entry.first_seen)
    return Line(t.period, st, t.deadline, days_overdue(t, now.date()), steps, t)


def _events(lines: tuple[Line, ...], updates: tuple[Update, ...], today: date) -> list[Event]:
    slips = {s.promise.origin: s for ln in lines for s in ln.steps if s.slip}
    closing = {ln.track.closing.key for ln in lines if ln.track.closing is not None}
    out = []
    for u in updates:
        kind = "closed" if u.key in closing or u.status in TERMINAL else "slipped" if u.key in slips else "update"
        out.append(Event(u.on, kind, u.key, u.period, u, slips.get(u.key)))
    for ln in lines:
        out += _lapses(ln, today)
    return out


def _lapses(ln: Line, today: date) -> list[Event]:
    """A deadline that passed while it was still the promise, with no update on or after it
    and before it was replaced or closed: the day after it, the promise lapsed."""
    t, out = ln.track, []
    for i, step in enumerate(ln.steps):
        deadline = step.promise.deadline
        if deadline is None or deadline >= today:
            continue
        ends = ln.steps[i + 1].promise.on if i + 1 < len(ln.steps) else None
        if ends is not None and ends <= deadline:
            continue  # replaced before it passed
        if t.closing is not None and t.closing.on <= deadline:
            continue
        if any(u.on == deadline for u in t.news_updates):
            continue  # news on the day itself: not a silent lapse
        out.append(Event(deadline + timedelta(days=1), "lapsed", f"lapsed:{deadline.isoformat()}", ln.period,
                         None, step))
    return out


def _event_order(e: Event) -> tuple[Any, ...]:
    return (e.on, e.kind != "lapsed", e.period or "", e.key)


def said(p: Promise, day: words.Day) -> str:
    """One promised time's words with who gave them, when and where (SPEC §7.2), as the site and
    the feed say them: '“later this year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer
    HL9622)'. A recorded update's bare link is no title and no speaker, so words given with
    neither say that who said them is not recorded, never a date or a link in a speaker's place.
    A later period of a series is nobody's words ("2025-26, a period it recurs in"), nor is an
    expectation's own date ("summer 2026, the team's expected date"). One rule: words.attributed."""
    return words.attributed(p.phrase, p.said_by, p.on.isoformat() if p.on else None,
                            p.source.title if p.source else None, day, p.recurring, p.expected)
