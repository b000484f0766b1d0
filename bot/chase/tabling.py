"""The day a written question is tabled in each House, from the day a Member hands it in.

A reply is due counted from tabling (Erskine May 22.4, Companion 5.36), and a question handed in
on a day a House takes no notice of questions is tabled on the next day it does:
- Commons (Erskine May 22.2): "Notices may be received only on sitting days save that (a) they may
  be accepted on 'printing days' during a recess, and (b) under Standing Order No 12(3), notice of
  questions may be given ... on non-sitting Fridays"; a recess's printing day is "the last recess
  weekday which is not a Bank Holiday before the House returns". So: Monday to Friday inside a
  session and outside a recess, or a printing day; never a bank holiday (the House does not sit).
  A question sent through the digital tabling facility late in the day is tabled the next day
  (Erskine May 22.2, n 4): "after 6.30 pm on a sitting Monday, Tuesday or Wednesday, 5.30 pm on a
  sitting Thursday or 2.30 pm on a sitting Friday"; on a non-sitting Friday notice is taken
  "between 11 am and 3 pm". The calendars do not say which Fridays sit, so any Friday's cut-off is
  2.30 pm, the earlier: it can only make a question tabled later. The time is London's.
- Lords (Companion 5.34): "Questions may generally be tabled only on sitting days": a sitting day
  (bot.chase.sitting), never a bank holiday. No cut-off in the day is applied: none is cited.
Past the recesses a House has announced, a day inside a recess's usual window (the widest days it
took in any year of the calendar: bot.when.parliament) is taken to be in recess, printing days
are not counted, and the Lords is taken to sit Monday to Thursday: each can only make a question
tabled later than the rule would, so a reply is never called overdue before it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.chase.sitting import Sittings
from bot.when.workdays import OutsideCalendar, holidays

__all__ = ["Tabled", "london_time", "tabled"]

RULE = {"Commons": "notice of questions is received on sitting days, on non-sitting Fridays and on a recess's"
                   " printing day, Erskine May 22.2",
        "Lords": "questions are tabled on sitting days, Companion 5.34"}


@dataclass(frozen=True)
class Tabled:
    on: date  # the day it is tabled
    handed_in: date
    announced: bool  # False: past the House's announced calendar, counted from the usual recess windows
    why: str  # why it is not tabled the day it was handed in ("" when it is), in words a reader can check


def london_time(now: datetime) -> time | None:
    """The time in London at `now` (an aware datetime), the clock the Table Office's cut-offs keep;
    None when London is already on another day than `now`'s own (a register kept in another zone)."""
    there = now.astimezone(ZoneInfo("Europe/London"))
    return there.time().replace(tzinfo=None) if there.date() == now.date() else None


# Erskine May 22.2 n 4: the digital tabling facility's cut-off on a sitting day, Monday (0) to Friday (4).
CUT_OFF = {0: time(18, 30), 1: time(18, 30), 2: time(18, 30), 3: time(17, 30), 4: time(14, 30)}


def tabled(on: date, house: Sittings, at: time | None = None) -> Tabled:
    """When a question handed in on `on` (at `at`, London time, when known) is tabled in `house`
    (its calendar says which House)."""
    late = _late(on, at, house)
    try:
        day = on + timedelta(days=1) if late else on
        while not _takes_notice(day, house):
            day += timedelta(days=1)
    except OutsideCalendar:
        return _unannounced(on, house, late)
    if day == on:
        return Tabled(day, on, True, "")
    if late:
        why = f"handed in on {_day(on)} at {_clock(at)}, {late}"
        following = on + timedelta(days=1)
        if day != following:  # the following day takes no notice either
            why += f"; {_day(following)} is {_not_taken(following, house)}: {RULE[house.house]}"
        return Tabled(day, on, True, why)
    return Tabled(day, on, True, f"handed in on {_day(on)}, {_not_taken(on, house)}; {RULE[house.house]}")


def _late(on: date, at: time | None, house: Sittings) -> str:
    """Why a Commons question handed in at `at` on `on` is tabled the next day ("" when it is not):
    after the digital tabling facility's cut-off on a day the House takes notice (Erskine May 22.2)."""
    if at is None or house.house != "Commons" or on.weekday() not in CUT_OFF:
        return ""
    try:
        # a sitting day, or a Friday in session outside a recess (a recess's printing day has no cut-off cited)
        taken = house.sits(on) if on.weekday() < 4 else _takes_notice(on, house) and house.recess(on) is None
    except OutsideCalendar:  # past the announced calendar: a weekday that is not a bank holiday
        taken = not holidays("england-and-wales").named(on)
    cut = CUT_OFF[on.weekday()]
    if not taken or at <= cut:
        return ""
    if on.weekday() == 4:
        return ("after 2.30 pm, the digital tabling cut-off on a sitting Friday; a non-sitting Friday's is 3 pm, and"
                " the calendar does not say which Fridays sit, so the earlier is taken: it is deemed tabled the"
                " following day, Erskine May 22.2 n 4")
    return (f"after {_clock(cut)}, the digital tabling cut-off on a sitting {on:%A}, so it is deemed tabled the"
            " following day, Erskine May 22.2 n 4")


def _clock(t: time | None) -> str:
    """ "5.30 pm", "8.30 pm", "11 am": a time as Erskine May writes it."""
    if t is None:
        return ""
    hour = t.hour % 12 or 12
    minutes = f".{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes} {'am' if t.hour < 12 else 'pm'}"


def _takes_notice(day: date, house: Sittings) -> bool:
    if holidays("england-and-wales").named(day):
        house.sits(day)  # still refuses a day outside the calendar
        return False
    if house.house == "Lords":
        return house.sits(day)
    if house.sits(day):
        return True
    return day.weekday() < 5 and house.in_session(day) and (house.recess(day) is None or _printing_day(day, house))


def _printing_day(day: date, house: Sittings) -> bool:
    """The last weekday of its recess that is not a bank holiday (Erskine May 22.2, n 3)."""
    last = next((last for first, last, _ in house.recesses if first <= day <= last), None)
    if last is None:
        return False
    later = day + timedelta(days=1)
    while later <= last:
        if later.weekday() < 5 and not holidays("england-and-wales").named(later):
            return False
        later += timedelta(days=1)
    return True


def _not_taken(day: date, house: Sittings) -> str:
    if holidays("england-and-wales").named(day):
        return f"a bank holiday ({holidays('england-and-wales').named(day)})"
    return house.recess(day) or ("not a sitting day" if house.house == "Lords" else "a weekend")


def _unannounced(on: date, house: Sittings, late: str = "") -> Tabled:
    from bot.when.parliament import RECESS_NAMES, recess

    day, why = (on + timedelta(days=1), [f"handed in after the day's cut-off: {late}"]) if late else (on, [])
    last_weekday = 3 if house.house == "Lords" else 4  # the Lords: Monday to Thursday; the Commons: to Friday
    for _ in range(2 * len(RECESS_NAMES) + 10):
        windows = [w for name in RECESS_NAMES for y in (day.year - 1, day.year)
                   if (w := _usual(recess, name, y)) is not None and w.first <= day <= (w.last or w.first)]
        if windows:
            w = max(windows, key=lambda w: w.last or w.first)
            day = (w.last or w.first) + timedelta(days=1)
            span = f"{w.first:%-d %b} – {(w.last or w.first):%-d %b %Y}"
            why.append(f"{w.name}, usually {span}: its usual window, not yet announced" if w.house == "usual window"
                       else f"{w.name}, {span}")  # a row of the table is announced: no "usually"
        elif day.weekday() > last_weekday or holidays("england-and-wales").named(day):
            day += timedelta(days=1)
        else:
            break
    usual = "; ".join(why)  # the caller brackets it
    return Tabled(day, on, False, usual)


def _usual(recess: Any, name: str, year: int) -> Any:
    from bot.when.parliament import OutsideTable

    try:
        return recess(name, date(year, 1, 1), year=year)
    except OutsideTable:
        return None


def _day(d: date) -> str:
    return f"{d:%a %-d %b %Y}"
