"""When a reply is due: the shipped, cited table data/service_standards.csv, counted as each
standard counts (SPEC §7.5).

- Commons, ordinary written question: "within a working week of their being tabled" (Erskine May
  22.4), which the Procedure Committee counts as five working days; weekends and bank holidays of
  England and Wales are not working days. It runs from the day the question is tabled, which is
  not always the day it is handed in (bot.chase.tabling, Erskine May 22.2).
- Commons, named day question: answered on the day named, which must be at least three days after
  tabling, Saturdays and Sundays not counted, and a sitting day; the earliest such day is given.
- Lords: "expected to be answered within a fortnight" (Companion 5.36) of tabling, and questions
  are tabled only on sitting days (5.34): a question handed in on another day is tabled on the next.
  House of Lords Business counts the fortnight as 10 working days (its list of "Questions
  unanswered after 10 working days"), weekends and the bank holidays of England and Wales left
  out, so a reply is never due on a weekend: "Tabled on 19 March and due for answer by 4 April"
  (2024: Good Friday and Easter Monday), "Tabled on 27 November 2023 and due for answer by 11
  December 2023"; tests/test_reply_due.py holds every example found.
- FOI: "the twentieth working day following the date of receipt" (FOIA s.10(1)), working days
  as s.10(6) defines them (no bank holiday of any part of the UK).
- A letter to a minister from the team (not from an MP or a peer, whose letters have a standard of
  their own): the Cabinet Office's guidance sets "a 20 working day deadline for departments to
  respond to members of the public" (its answer to UIN 56156); counted, as departments count their
  replies, from the day after the letter is received, weekends and bank holidays of England and
  Wales left out.
A chase is taken to be sent or received on `on`, the day a person sends the draft; a written question
is tabled on the first day its House takes notice of questions from then (bot.chase.tabling).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from bot.chase import sitting
from bot.chase.sitting import CalendarMissing, Sittings
from bot.chase.tables import rows
from bot.chase.tabling import Tabled, london_time, tabled
from bot.when.workdays import OutsideCalendar, add_working_days

__all__ = ["Due", "NoReplyDue", "Standard", "chase_reply_due", "reply_due", "standard", "standards"]


@dataclass(frozen=True)
class Standard:
    key: str  # commons-ordinary | commons-named-day | lords | foi | letter
    how: str
    house: str | None
    applies_to: str
    number: int
    unit: str  # working-days-england-and-wales | working-days-united-kingdom | named-day
    counted: str
    sources: tuple[tuple[str, str], ...]  # (source, the exact words quoted from it)


class Due(NamedTuple):
    on: date
    explained: str


@cache
def standards() -> dict[str, Standard]:
    out = {}
    for r in rows("service_standards.csv"):
        cited = tuple((r[f"source_{i}"], r[f"quote_{i}"]) for i in (1, 2, 3, 4) if r[f"source_{i}"])
        out[r["key"]] = Standard(r["key"], r["how"], r["house"] or None, r["applies_to"], int(r["number"]),
                                 r["unit"], r["counted"], cited)
    return out


def standard(how: str, house: str | None = None, named_day: bool = False) -> Standard:
    """The standard a chase is held to: `house` (commons | lords) only for a written question."""
    if how == "written-question":
        if house not in ("commons", "lords"):
            raise ValueError(f"a written question needs a House (commons or lords), not {house!r}")
        key = "lords" if house == "lords" else ("commons-named-day" if named_day else "commons-ordinary")
    elif how in ("foi", "letter"):
        key = how
    else:
        raise ValueError(f"no service standard for a chase by {how!r} (written-question, letter or foi)")
    return standards()[key]


def _day(d: date) -> str:
    return f"{d:%a %-d %b %Y}"


def _skipped(skipped: tuple[tuple[date, str], ...]) -> str:
    return "; skipped: " + ", ".join(f"{_day(d)} ({name})" for d, name in skipped) if skipped else ""


def reply_due(how: str, house: str | None, on: date, *, named_day: bool = False,
              sittings: Sittings | None = None, at: time | None = None) -> Due:
    """When the answer to a chase sent on `on` (at `at`, London time, when known) is due, and why,
    in words a reader can check.

    `sittings` is the House's calendar (default: the one this build ships); a written question is
    counted from the day it can be tabled (bot.chase.tabling: a Commons question sent after the
    day's cut-off is tabled the next day). Raises OutsideCalendar or CalendarMissing rather than guess."""
    s = standard(how, house, named_day)
    if s.key in ("commons-ordinary", "commons-named-day", "lords"):
        name = "Lords" if s.key == "lords" else "Commons"
        return _question(s, tabled(on, sittings or sitting.shipped(name), at), sittings or sitting.shipped(name))
    scope = "united-kingdom" if s.key == "foi" else "england-and-wales"
    due, skipped = add_working_days(on, s.number, scope)
    if s.key == "foi":
        return Due(due, f"a request received on {_day(on)} must be answered promptly and by the twentieth working"
                        f" day after (FOIA s.10(1)): by {_day(due)} (weekends, Christmas Day, Good Friday and bank"
                        f" holidays in any part of the UK not counted{_skipped(skipped)}).")
    return Due(due, f"a letter received on {_day(on)}: the Cabinet Office's guidance sets \"a 20 working day deadline for"
                    f" departments to respond to members of the public\" (written answer UIN 56156, 21 Oct 2021): by {_day(due)}"
                    f" (weekends and bank holidays of England and Wales not counted{_skipped(skipped)}).")


def _question(s: Standard, t: Tabled, house: Sittings) -> Due:
    """A written question's reply, counted from the day it is tabled, with why that day."""
    if s.key == "commons-named-day":
        return _named_day(t, s.number, house)
    when = f" on {_day(t.on)}" if t.announced else ""
    if s.key == "lords":
        due, skipped = add_working_days(t.on, s.number, "england-and-wales")
        said = (f"a question for written answer tabled in the House of Lords{when} is expected to be answered within"
                f" a fortnight (Companion 5.36), which House of Lords Business counts as 10 working days: by"
                f" {_day(due)} (weekends and bank holidays of England and Wales not counted{_skipped(skipped)})")
    else:
        due, skipped = add_working_days(t.on, s.number, "england-and-wales")
        said = (f"an ordinary written question tabled in the House of Commons{when} should be answered within a"
                f" working week (Erskine May 22.4), five working days: by {_day(due)} (weekends and bank holidays of"
                f" England and Wales not counted{_skipped(skipped)})")
    moved = f" ({t.why})" if t.why else ""
    if t.announced:
        return Due(due, f"{said}{moved}.")
    handed = f" (handed in on {_day(t.handed_in)})" if t.handed_in != t.on else ""
    return Due(due, f"{said}, counted from {_day(t.on)}{handed}{moved}. The {house.house} calendar shipped with this"
                    f" build ends {_day(house.known_until)}, so this takes the House to take questions"
                    f" {'Monday to Thursday' if house.house == 'Lords' else 'Monday to Friday'} outside the usual"
                    f" windows of its recesses and bank holidays; if the House's own dates differ, give the reply date"
                    f" with `chase --reply-due`.")


def _why(t: Tabled) -> str:
    return f" ({t.why})" if t.why else ""


class NoReplyDue(ValueError):
    """A chase's reply due could not be worked out (a day outside the shipped calendars, or no
    calendar, or no House for a written question); `str(e)` says why."""


def chase_reply_due(how: str, house: str | None, now: datetime) -> Due | None:
    """The reply due for a chase by `how` sent at `now` (aware; its day, and its time in London for
    a Commons question's tabling cut-off), as every door works it out (the CLI's `chase`, Slack's
    "Record as chased"; a draft's, from the same instant, through `reply_due` in bot.chase.draft): by the standard
    for a written question, a letter or an FOI request; None for a way no standard covers (a
    meeting, other). It takes the instant, not the day, so no door can leave the time out. Raises
    NoReplyDue rather than guess."""
    if how not in ("written-question", "letter", "foi"):
        return None
    try:
        return reply_due(how, house, now.date(), at=london_time(now))
    except (CalendarMissing, OutsideCalendar, ValueError) as e:
        raise NoReplyDue(str(e)) from None


def _named_day(t: Tabled, notice: int, house: Sittings) -> Due:
    day, counted = t.on, 0
    while counted < notice:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    earliest = house.next_sitting(day)
    passed = house.recess(day)
    why = f" ({_day(day)} is not a sitting day: {passed})" if passed and earliest != day else ""
    return Due(earliest, f"a named day question tabled in the House of Commons on {_day(t.on)}{_why(t)} may name a"
                         f" sitting day at least three days ahead, Saturdays and Sundays not counted (Erskine May"
                         f" 22.4); the earliest is {_day(earliest)}{why}, and it is answered on the day named.")
