"""Sitting days of each House, read from Parliament's calendar (recesses and sessions).

A day is a sitting day of a House when it falls inside a session, outside that House's recesses,
and on Monday to Thursday. Fridays are left out: both Houses sit on some Fridays (the Commons on
about thirteen private members' Fridays a session), but the calendars list recesses, not sitting
Fridays, so a Friday is never promised as a sitting day. Leaving it out can only make a due date
later (a Lords question handed in on a Friday is dated the Monday), never earlier than the rule.

The calendar rows are the cited tables another room ships in bot/when/calendars/ (recesses.csv:
house,name,year,first,last,source,note; sessions.csv: name,first,last,parliament,source). A day
after the last recess a House has announced, or before the first session, is refused: Parliament
sets its calendar as it goes, and a guess would be a false promise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.when import calendars
from bot.when.workdays import OutsideCalendar

__all__ = ["CalendarMissing", "Sittings", "from_rows", "shipped"]


class CalendarMissing(LookupError):
    """The calendar has no recesses or no sessions for the House, so sitting days cannot be counted."""


@dataclass(frozen=True)
class Sittings:
    """One House's sitting days, as far as its calendar is announced."""

    house: str  # "Commons" | "Lords", as the calendar writes it
    recesses: tuple[tuple[date, date, str], ...]  # (first, last, name) of each recess
    sessions: tuple[tuple[date, date | None], ...]  # (first, last) of each session; last None: sitting now
    known_until: date  # the last day of the last recess announced for this House

    def sits(self, day: date) -> bool:
        """Whether this House sits on `day`; OutsideCalendar when the calendar cannot say."""
        if day > self.known_until or day < self.sessions[0][0]:
            raise OutsideCalendar(
                f"{day.isoformat()} is outside the {self.house} calendar shipped with this build"
                f" ({self.sessions[0][0].isoformat()} to {self.known_until.isoformat()})")
        if day.weekday() >= 4:
            return False
        if not any(first <= day <= (last or self.known_until) for first, last in self.sessions):
            return False
        return not any(first <= day <= last for first, last, _ in self.recesses)

    def in_session(self, day: date) -> bool:
        """Whether `day` falls inside a session (not a prorogation or a dissolution)."""
        return any(first <= day <= (last or self.known_until) for first, last in self.sessions)

    def recess(self, day: date) -> str | None:
        """The recess (or the gap between sessions) `day` falls in, as a reader would say it."""
        for first, last, name in self.recesses:
            if first <= day <= last:
                return f"{name}, {first:%-d %b} – {last:%-d %b %Y}"
        if not any(first <= day <= (last or self.known_until) for first, last in self.sessions):
            return "between sessions (prorogation or dissolution)"
        return None

    def next_sitting(self, day: date, *, including: bool = True) -> date:
        """The first sitting day on or after `day` (after it, when `including` is False)."""
        out = day if including else day + timedelta(days=1)
        while not self.sits(out):
            out += timedelta(days=1)
        return out


def from_rows(house: str, recesses: Iterable[Mapping[str, str]], sessions: Iterable[Mapping[str, str]]) -> Sittings:
    """A House's sittings from calendar rows in bot/when/calendars/' format (see the module's docstring)."""
    own = sorted((date.fromisoformat(r["first"]), date.fromisoformat(r["last"]), f"{r['name']} recess {r['year']}")
                 for r in recesses if r["house"] == house)
    spans = sorted((date.fromisoformat(r["first"]), date.fromisoformat(r["last"]) if r["last"] else None)
                   for r in sessions)
    if not own or not spans:
        raise CalendarMissing(f"the calendar has no {house} recesses or no sessions")
    return Sittings(house, tuple(own), tuple(spans), max(last for _, last, _ in own))


def shipped(house: str) -> Sittings:
    """The House's sittings from the calendars this build ships (bot/when/calendars/)."""
    return from_rows(house.capitalize(), calendars.rows("recesses.csv"), calendars.rows("sessions.csv"))
