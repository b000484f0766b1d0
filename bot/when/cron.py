"""Cron expressions for the register's `schedule:`: read, checked and translated, with no clock.

Pure on purpose (no APScheduler here): the loader validates a schedule with the rest of the
register, so a bad time is a `FILE:LINE:COL` error at review time, not a scheduler crash at
03:00. Two traps are caught here rather than discovered in production:

- a time that does not exist on the day the clocks go forward (01:00–02:00 in London): the
  job would silently not run that day;
- APScheduler 3.x numbers weekdays from Monday = 0, standard cron from Sunday = 0: we always
  hand it weekday *names*, so "0 9 * * 1" means Monday as every cron user expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # cron: 0 (and 7) = Sunday
FIELDS = (("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day of month", 1, 31, ()),
          ("month", 1, 12, MONTHS), ("day of week", 0, 7, WEEKDAYS))
SAMPLE_YEARS = range(2024, 2044)  # where clock changes are looked for: rules rarely change


class BadCron(ValueError):
    """A schedule expression this bot cannot run; the message says how to fix it."""


@dataclass(frozen=True)
class Cron:
    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday … 6 = Saturday
    days_restricted: bool
    weekdays_restricted: bool

    def matches_day(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        if self.days_restricted and day.day not in self.days:
            return False
        return not self.weekdays_restricted or (day.isoweekday() % 7) in self.weekdays

    def apscheduler_fields(self) -> dict[str, str]:
        """Keyword arguments for APScheduler 3.x `CronTrigger`, weekdays spelled as names."""
        minute, hour, day, month, _ = self.expr.split()
        weekdays = ",".join(WEEKDAYS[d] for d in sorted(self.weekdays)) if self.weekdays_restricted else "*"
        return {"minute": minute, "hour": hour, "day": day, "month": month, "day_of_week": weekdays}


def parse(expr: str) -> Cron:
    parts = expr.split()
    if len(parts) != 5:
        raise BadCron(f'"{expr}" must be a cron expression of 5 fields (minute hour day month weekday), '
                      'e.g. "0 9 * * *"')
    sets = [_field(p, *spec) for p, spec in zip(parts, FIELDS, strict=True)]
    weekdays = frozenset(d % 7 for d in sets[4])
    minutes, hours, days, months = sets[:4]
    cron = Cron(expr, minutes, hours, days, months, weekdays, parts[2] != "*", parts[4] != "*")
    if cron.days_restricted and cron.weekdays_restricted:
        raise BadCron(f'"{expr}" sets both a day of the month and a day of the week; cron would run on either, '
                      "which surprises everyone: set only one of them")
    return cron


def cron_problem(expr: str) -> str | None:
    try:
        parse(expr)
    except BadCron as e:
        return str(e)
    return None


def dst_gap_problem(expr: str, tz: str) -> str | None:
    """Why `expr` would skip a run when the clocks go forward in `tz` (None: it never does)."""
    try:
        cron = parse(expr)
    except BadCron as e:
        return str(e)
    if expr.split()[1] == "*":  # runs every hour: one skipped hour is no lost day
        return None
    for day, start, end in clock_gaps(tz):
        if not cron.matches_day(day):
            continue
        for h in sorted(cron.hours):
            for m in sorted(cron.minutes):
                if start <= time(h, m) < end:
                    return (f'"{expr}" runs at {h:02d}:{m:02d}, a time that does not exist in {tz} when the clocks '
                            f'go forward (e.g. {day.isoformat()}, {start:%H:%M}–{end:%H:%M} is skipped), so that '
                            f'day it would not run: pick a time outside {start:%H:%M}–{end:%H:%M}')
    return None


def schedule_problem(expr: str, tz: str) -> str | None:
    """The one call the loader needs: syntax, then the clock-change gap."""
    return cron_problem(expr) or dst_gap_problem(expr, tz)


@lru_cache(maxsize=32)
def clock_gaps(tz: str) -> tuple[tuple[date, time, time], ...]:
    """(day, first skipped wall time, first wall time after the gap) for each spring-forward."""
    zone = ZoneInfo(tz)
    out = []
    for year in SAMPLE_YEARS:
        day = date(year, 1, 1)
        while day.year == year:
            jump = _offset(zone, day + timedelta(days=1)) - _offset(zone, day)
            if jump > timedelta(0):
                out.append(_gap(zone, day, jump))
            day += timedelta(days=1)
    return tuple(out)


def _offset(zone: ZoneInfo, day: date) -> timedelta:
    return datetime(day.year, day.month, day.day, tzinfo=zone).utcoffset() or timedelta(0)


def _gap(zone: ZoneInfo, day: date, jump: timedelta) -> tuple[date, time, time]:
    """Find the instant the offset changes during `day` (to the minute) and its wall-clock gap."""
    lo = datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
    hi = lo + timedelta(days=1)
    before = lo.astimezone(zone).utcoffset()
    while hi - lo > timedelta(minutes=1):
        mid = lo + (hi - lo) / 2
        lo, hi = (mid, hi) if mid.astimezone(zone).utcoffset() == before else (lo, mid)
    wall = (hi + (before or timedelta(0))).replace(tzinfo=None)
    start = wall.replace(second=0, microsecond=0)
    return start.date(), start.time(), (start + jump).time()


def _field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        values |= _item(item, name, low, high, names)
    return frozenset(values)


def _item(item: str, name: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    base, _, step_text = item.partition("/")
    step = _number(step_text, name, 1, high or 1, ()) if step_text else 1
    if base == "*":
        first, last = low, high
    elif "-" in base:
        a, _, b = base.partition("-")
        first, last = _number(a, name, low, high, names), _number(b, name, low, high, names)
        if first > last:
            raise BadCron(f'{name} range "{base}" runs backwards: write the smaller value first')
    else:
        first = _number(base, name, low, high, names)
        last = high if step_text else first
    return set(range(first, last + 1, step))


def _number(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + (1 if name == "month" else 0)
    if not text.isdigit() or not low <= int(text) <= high:
        named = f" or a name ({', '.join(names[:3])}…)" if names else ""
        raise BadCron(f'{name} "{text}" must be a number from {low} to {high}{named}')
    return int(text)
