"""The day a written question is tabled in each House, from the day a Member hands it in.

A reply is due counted from tabling (Erskine May 22.4, Companion 5.36), and a question handed in
on a day a House takes no notice of questions is tabled on the next day it does:
- Commons (Erskine May 22.2): "Notices may be received only on sitting days save that (a) they may
  be accepted on 'printing days' during a recess, and (b) under Standing Order No 12(3), notice of
  questions may be given ... on non-sitting Fridays"; a recess's printing day is "the last recess
  weekday which is not a Bank Holiday before the House returns". So: Monday to Friday inside a
  session and outside a recess, or a printing day; never a bank holiday (the House does not sit).
- Lords (Companion 5.34): "Questions may generally be tabled only on sitting days": a sitting day
  (bot.chase.sitting), never a bank holiday.
Past the recesses a House has announced, a day inside a recess's usual window (the widest days it
took in any year of the calendar: bot.when.parliament) is taken to be in recess, printing days
are not counted, and the Lords is taken to sit Monday to Thursday: each can only make a question
tabled later than the rule would, so a reply is never called overdue before it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.chase.calendar_days import OutsideCalendar, holidays
from bot.chase.sitting import Sittings

__all__ = ["Tabled", "tabled"]

RULE = {"Commons": "notice of questions is received on sitting days, on non-sitting Fridays and on a recess's"
                   " printing day, Erskine May 22.2",
        "Lords": "questions are tabled on sitting days, Companion 5.34"}


@dataclass(frozen=True)
class Tabled:
    on: date  # the day it is tabled
    handed_in: date
    announced: bool  # False: past the House's announced calendar, counted from the usual recess windows
    why: str  # why it is not tabled the day it was handed in ("" when it is), in words a reader can check


def tabled(on: date, house: Sittings) -> Tabled:
    """When a question handed in on `on` is tabled in `house` (its calendar says which House)."""
    try:
        day = on
        while not _takes_notice(day, house):
            day += timedelta(days=1)
    except OutsideCalendar:
        return _unannounced(on, house)
    why = "" if day == on else f"handed in on {_day(on)}, {_not_taken(on, house)}; {RULE[house.house]}"
    return Tabled(day, on, True, why)


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


def _unannounced(on: date, house: Sittings) -> Tabled:
    from bot.when.parliament import RECESS_NAMES, recess

    day, why = on, []
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
