"""The state of a track at an instant (SPEC §3's first table).

Deadlines are whole days in the register's timezone: deadline D passes at midnight at the end
of D, and an update "on" a day counts from the start of that day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from bot.decide.timeline import Track
from bot.register.model import TERMINAL

SEVERITY = ("lapsed", "overdue", "due-soon", "silent", "upcoming", "open", *TERMINAL)


def start_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def passes_at(deadline: date, tz: tzinfo) -> datetime:
    """The instant a deadline has passed: midnight at the end of that day."""
    return start_of(deadline + timedelta(days=1), tz)


def last_news(track: Track, tz: tzinfo, first_seen: datetime | None) -> datetime | None:
    """When open-ended silence is counted from: the last update, else made_on, else first seen."""
    if track.last_update is not None:
        return start_of(track.last_update.on, tz)
    if track.commitment.made_on is not None:
        return start_of(track.commitment.made_on, tz)
    return first_seen


def state(track: Track, now: datetime, first_seen: datetime | None = None) -> str:
    tz = now.tzinfo
    assert tz is not None, "now must be timezone-aware"
    policy = track.commitment.policy
    if track.status in TERMINAL:
        return track.status
    deadline = track.deadline
    if deadline is None:
        since = last_news(track, tz, first_seen)
        return "silent" if since is not None and now >= policy.check_in.after(since) else "open"
    passed = passes_at(deadline, tz)
    if now < passed:
        return "due-soon" if now >= policy.heads_up.before(passed) else "upcoming"
    last = track.last_update
    if last is not None and last.on >= deadline and now < policy.remind_every.after(start_of(last.on, tz)):
        return "overdue"
    return "lapsed"


def days_overdue(track: Track, today: date) -> int:
    if track.status in TERMINAL or track.deadline is None:
        return 0
    return max(0, (today - track.deadline).days)


def most_urgent(states: list[tuple[str, Track]]) -> tuple[str, Track]:
    """The track a one-line summary should speak about: the worst state, then the earliest deadline."""
    return min(states, key=lambda st: (SEVERITY.index(st[0]), st[1].deadline or datetime.max.date()))
