"""Working days, counted as Whitehall, Westminster and the FOI Act count them: for the reader's
"within 20 working days" and for the reply due of each of the team's chases (bot.chase.standards).

Two counts, one table (calendars/bank_holidays.csv, cited row by row):
- "england-and-wales": a working day is Monday to Friday and not a bank holiday of England and
  Wales. Whitehall and Westminster work in London, so a letter to a minister and the Commons'
  "working week" are counted this way. The table holds 1997 to the latest year GOV.UK announces.
- "united-kingdom": FOIA s.10(6) excludes "a Saturday, a Sunday, Christmas Day, Good Friday or a
  day which is a bank holiday under the Banking and Financial Dealings Act 1971 in any part of the
  United Kingdom", so St Patrick's Day or St Andrew's Day stop the FOI clock in London too. The
  table holds Scotland's and Northern Ireland's days from 2012 (GOV.UK's data starts there).
(The Lords' fortnight is 10 working days, as House of Lords Business counts it.)
A count that reaches a day the table does not hold is refused (OutsideCalendar), never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter

from bot.when.calendars import rows

__all__ = ["SCOPES", "Holidays", "OutsideCalendar", "add_working_days", "holidays"]

SCOPES = {"england-and-wales": ("england-and-wales",),
          "united-kingdom": ("england-and-wales", "scotland", "northern-ireland")}
_NAMES = {"england-and-wales": "bank holidays of England and Wales",
          "united-kingdom": "bank holidays in any part of the United Kingdom, Christmas Day and Good Friday"}


class OutsideCalendar(LookupError):
    """A count needs a day the shipped calendar does not hold; `str(e)` says which and what is held."""


@dataclass(frozen=True)
class Holidays:
    """The days a count skips besides weekends, and the span the table vouches for."""

    scope: str
    name: str
    days: tuple[tuple[date, str], ...]  # (day, what it is), in date order
    first: date
    last: date

    def named(self, day: date) -> str | None:
        """What `day` is, if it is a holiday of this scope (FOIA names Christmas Day and Good Friday
        itself, so they count whatever the table says)."""
        found = dict(self.days).get(day)
        if found:
            return found
        if self.scope == "united-kingdom" and day == date(day.year, 12, 25):
            return "Christmas Day"
        if self.scope == "united-kingdom" and day == easter(day.year) - timedelta(days=2):
            return "Good Friday"
        return None

    def check(self, day: date) -> None:
        if not self.first <= day <= self.last:
            raise OutsideCalendar(
                f"{day.isoformat()} is outside the shipped {self.name} ({self.first.year}–{self.last.year}):"
                " bot/when/calendars/bank_holidays.csv needs that year from https://www.gov.uk/bank-holidays.json")


@cache
def holidays(scope: str) -> Holidays:
    """The holidays of "england-and-wales" or "united-kingdom", with the years every division covers."""
    divisions = SCOPES[scope]
    found: dict[date, str] = {}
    years: dict[str, set[int]] = {d: set() for d in divisions}
    for r in rows("bank_holidays.csv"):
        if r["division"] in divisions:
            day = date.fromisoformat(r["date"])
            years[r["division"]].add(day.year)
            found.setdefault(day, r["title"])
    first = max(min(y) for y in years.values())
    last = min(max(y) for y in years.values())
    return Holidays(scope, _NAMES[scope], tuple(sorted(found.items())), date(first, 1, 1), date(last, 12, 31))


def add_working_days(start: date, n: int, scope: str) -> tuple[date, tuple[tuple[date, str], ...]]:
    """The `n`th working day after `start` (`start` itself is not counted: "the twentieth working
    day following the date of receipt"), with the holidays of `scope` skipped on the way, each named."""
    table = holidays(scope)
    day, counted, skipped = start, 0, []
    while counted < n:
        day += timedelta(days=1)
        table.check(day)
        if day.weekday() >= 5:
            continue
        name = table.named(day)
        if name:
            skipped.append((day, name))
            continue
        counted += 1
    return day, tuple(skipped)
