"""When a reply is due: the shipped, cited table data/service_standards.csv, counted as each
standard counts (SPEC §7.5).

- Commons, ordinary written question: "within a working week of their being tabled" (Erskine May
  22.4), which the Procedure Committee counts as five working days; weekends and bank holidays of
  England and Wales are not working days.
- Commons, named day question: answered on the day named, which must be at least three days after
  tabling, Saturdays and Sundays not counted, and a sitting day; the earliest such day is given.
- Lords: "expected to be answered within a fortnight" (Companion 5.36) of tabling, and questions
  are tabled only on sitting days (5.34): a question handed in on another day is tabled on the next.
- FOI: "the twentieth working day following the date of receipt" (FOIA s.10(1)), working days
  as s.10(6) defines them (no bank holiday of any part of the UK).
- A letter to a minister: at most 20 working days, the Cabinet Office's standard for departments.
A chase is taken to be tabled, sent or received on `on`: the day a person sends the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, NamedTuple

from bot.chase import sitting
from bot.chase.calendar_days import OutsideCalendar, add_working_days
from bot.chase.sitting import CalendarMissing, Sittings
from bot.chase.tables import rows

__all__ = ["Due", "NoReplyDue", "Standard", "chase_reply_due", "reply_due", "standard", "standards"]


@dataclass(frozen=True)
class Standard:
    key: str  # commons-ordinary | commons-named-day | lords | foi | letter
    how: str
    house: str | None
    applies_to: str
    number: int
    unit: str  # working-days-england-and-wales | working-days-united-kingdom | calendar-days | named-day
    counted: str
    sources: tuple[tuple[str, str], ...]  # (source, the exact words quoted from it)


class Due(NamedTuple):
    on: date
    explained: str


@cache
def standards() -> dict[str, Standard]:
    out = {}
    for r in rows("service_standards.csv"):
        cited = tuple((r[f"source_{i}"], r[f"quote_{i}"]) for i in (1, 2, 3) if r[f"source_{i}"])
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
              sittings: Sittings | None = None) -> Due:
    """When the answer to a chase sent on `on` is due, and why, in words a reader can check.

    `sittings` is the House's calendar (default: the one this build ships); only the Lords and
    named day questions need it. Raises OutsideCalendar or CalendarMissing rather than guess."""
    s = standard(how, house, named_day)
    if s.key == "commons-ordinary":
        due, skipped = add_working_days(on, s.number, "england-and-wales")
        return Due(due, f"an ordinary written question tabled in the House of Commons on {_day(on)} should be answered"
                        f" within a working week (Erskine May 22.4), five working days: by {_day(due)}"
                        f" (weekends and bank holidays of England and Wales not counted{_skipped(skipped)}).")
    if s.key == "commons-named-day":
        return _named_day(on, s.number, sittings or sitting.shipped("Commons"))
    if s.key == "lords":
        return _lords(on, s.number, sittings or sitting.shipped("Lords"))
    scope = "united-kingdom" if s.key == "foi" else "england-and-wales"
    due, skipped = add_working_days(on, s.number, scope)
    if s.key == "foi":
        return Due(due, f"a request received on {_day(on)} must be answered promptly and by the twentieth working"
                        f" day after (FOIA s.10(1)): by {_day(due)} (weekends, Christmas Day, Good Friday and bank"
                        f" holidays in any part of the UK not counted{_skipped(skipped)}).")
    return Due(due, f"a letter received on {_day(on)}: departments' deadline for ministerial correspondence should not"
                    f" exceed 20 working days (Cabinet Office): by {_day(due)} (weekends and bank holidays of"
                    f" England and Wales not counted{_skipped(skipped)}).")


class NoReplyDue(ValueError):
    """A chase's reply due could not be worked out (a day outside the shipped calendars, or no
    calendar, or no House for a written question); `str(e)` says why."""


def chase_reply_due(how: str, house: str | None, on: date) -> Due | None:
    """The reply due for a chase by `how` sent on `on`, as every door records it (the CLI's `chase`,
    Slack's "Record as chased"): by the standard for a written question, a letter or an FOI
    request; None for a way no standard covers (a meeting, other). Raises NoReplyDue rather than guess."""
    if how not in ("written-question", "letter", "foi"):
        return None
    try:
        return reply_due(how, house, on)
    except (CalendarMissing, OutsideCalendar, ValueError) as e:
        raise NoReplyDue(str(e)) from None


def _named_day(on: date, notice: int, house: Sittings) -> Due:
    day, counted = on, 0
    while counted < notice:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    earliest = house.next_sitting(day)
    passed = house.recess(day)
    why = f" ({_day(day)} is not a sitting day: {passed})" if passed and earliest != day else ""
    return Due(earliest, f"a named day question tabled in the House of Commons on {_day(on)} may name a sitting day"
                         f" at least three days ahead, Saturdays and Sundays not counted (Erskine May 22.4); the"
                         f" earliest is {_day(earliest)}{why}, and it is answered on the day named.")


def _lords(on: date, days: int, house: Sittings) -> Due:
    try:
        tabled = house.next_sitting(on)
    except OutsideCalendar:  # past the recesses announced so far
        return _lords_unannounced(on, days, house)
    due = tabled + timedelta(days=days)
    moved = "" if tabled == on else (f" (handed in on {_day(on)}, not a sitting day"
                                     + (f": {house.recess(on)}" if house.recess(on) else "")
                                     + "; questions are tabled on sitting days, Companion 5.34)")
    return Due(due, f"a question for written answer tabled in the House of Lords on {_day(tabled)} is expected to be"
                    f" answered within a fortnight (Companion 5.36): by {_day(due)}{moved}.")


def _lords_unannounced(on: date, days: int, house: Sittings) -> Due:
    """Past the recesses the Lords has announced, a day inside a recess's usual window (the widest
    days it took in any year of the calendar: bot.when.parliament) is taken to be in recess, and
    Fridays never sit: the question is tabled after them. That can only make the reply due later
    than the rule would, never earlier, so the bot never says a reply is overdue before it is."""
    from bot.when.parliament import RECESS_NAMES, recess

    tabled, why = on, []
    for _ in range(len(RECESS_NAMES) + 1):
        windows = [w for name in RECESS_NAMES for y in (tabled.year - 1, tabled.year)
                   if (w := _usual(recess, name, y)) is not None and w.first <= tabled <= (w.last or w.first)]
        if not windows:
            break
        w = max(windows, key=lambda w: w.last or w.first)
        tabled = (w.last or w.first) + timedelta(days=1)
        why.append(f"{w.name}, usually {w.first:%-d %b} – {(w.last or w.first):%-d %b %Y}")
    while tabled.weekday() >= 4:  # Friday to Sunday: the next Monday
        tabled += timedelta(days=1)
    due = tabled + timedelta(days=days)
    usual = f" ({'; '.join(why)}: its usual window, not yet announced)" if why else ""
    return Due(due, f"a question for written answer tabled in the House of Lords is expected to be answered within a"
                    f" fortnight (Companion 5.36): by {_day(due)}, counted from {_day(tabled)}{usual}. The Lords"
                    f" calendar shipped with this build ends {_day(house.known_until)}, so this takes the House to"
                    f" sit Monday to Thursday outside the usual recesses; if the House's own dates differ, give the reply date with"
                    f" `chase --reply-due`.")


def _usual(recess: Any, name: str, year: int) -> Any:
    from bot.when.parliament import OutsideTable

    try:
        return recess(name, date(year, 1, 1), year=year)
    except OutsideTable:
        return None
