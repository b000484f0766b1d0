"""Working days, for "within 20 working days" and "within 15 business days" (README "Whitehall time").

A working day is Monday to Friday and not a bank holiday of England and Wales (Good Friday and
Christmas Day among them), as Whitehall counts one: bot/when/calendars/bank_holidays.csv, each row
cited, holds 1997 to the latest year GOV.UK announces. It is the England and Wales part of
bot/chase/data/bank_holidays.csv (tests/test_calendars.py keeps the two the same): reading time
sits below chasing, so it keeps its own copy rather than reach up into bot/chase. A count that
runs past the years the table holds is refused, never guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from bot.when.calendars import rows

__all__ = ["OutsideHolidays", "add_working_days", "bank_holidays"]


class OutsideHolidays(LookupError):
    """A count needs a day of a year the table does not hold; `str(e)` says which and what is held."""


@cache
def bank_holidays() -> tuple[dict[date, str], date, date]:
    """The bank holidays of England and Wales by day, with the first and last day the table vouches for."""
    days = {date.fromisoformat(r["date"]): r["title"] for r in rows("bank_holidays.csv")}
    return days, date(min(days).year, 1, 1), date(max(days).year, 12, 31)


def add_working_days(start: date, n: int) -> tuple[date, tuple[tuple[date, str], ...]]:
    """The `n`th working day after `start` (`start` itself is not counted: "within 20 working days"
    of a letter is by the twentieth working day after the day it was written), with the bank
    holidays skipped on the way."""
    days, first, last = bank_holidays()
    day, counted, skipped = start, 0, []
    while counted < n:
        day += timedelta(days=1)
        if not first <= day <= last:
            raise OutsideHolidays(f"{day.isoformat()} is outside the bank holidays of England and Wales in "
                                  f"bot/when/calendars/bank_holidays.csv ({first.year}–{last.year})")
        if day.weekday() >= 5:
            continue
        if day in days:
            skipped.append((day, days[day]))
            continue
        counted += 1
    return day, tuple(skipped)
