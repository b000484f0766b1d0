"""Recurring promises (SPEC 2.2): one `due` window turned into a series of occurrences.

Scheme funding "for each financial year" is one promise that can lapse once a year, so each
occurrence carries its own deadline and a period label (`2023-24`) that updates can name.
The series is generated lazily and bounded, so a silly rule cannot loop forever.
"""

from __future__ import annotations

import difflib
import itertools
import re
from calendar import isleap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rruleset, rrulestr

from bot.when.dates import Window

__all__ = ["HORIZON_YEARS", "MAX_OCCURRENCES", "NAMED_RULES", "Occurrence", "UnreadableRule", "check_rule",
           "find", "first_date", "occurrences"]

MAX_OCCURRENCES = 10_000
_STEP_MONTHS = {"yearly": 12, "financial-year": 12, "quarterly": 3, "monthly": 1}
NAMED_RULES: tuple[str, ...] = tuple(_STEP_MONTHS)
_SUB_DAILY = re.compile(r"(?i)\bFREQ=(?:HOURLY|MINUTELY|SECONDLY)\b")
_ANY_START = datetime(2000, 1, 1)
# A rule must come round within this many years of its first deadline: two Parliaments, and more
# than the longest wait of a rule that is real (29 February: 8 years, from 2096 to 2104).
HORIZON_YEARS = 10


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One turn of a recurring promise: its period label and its own window (deadline latest)."""

    label: str
    earliest: date
    latest: date


class UnreadableRule(ValueError):
    """A `recurs:` value we cannot follow; `suggestion` is the named rule it resembles, if any."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


def check_rule(rule: str) -> None:
    """Raise UnreadableRule unless `rule` is a named rule or a valid day-level `RRULE:`."""
    text = rule.strip()
    if text.lower() in _STEP_MONTHS:
        return
    if text[:6].upper() == "RRULE:":
        _parse_rrule(text, _ANY_START)
        return
    close = difflib.get_close_matches(text.lower(), NAMED_RULES, n=1, cutoff=0.6)
    hint = (f'did you mean "{close[0]}"?' if close else
            'use yearly, quarterly, monthly, financial-year or an RFC 5545 "RRULE:FREQ=…"')
    raise UnreadableRule(f'recurs "{text}" is not a rule this bot can follow ({hint})',
                         close[0] if close else None)


def _parse_rrule(text: str, start: datetime) -> rrule | rruleset:
    """Parse with dateutil; deadlines are days, so rules finer than daily are refused."""
    if _SUB_DAILY.search(text):
        raise UnreadableRule(f'recurs "{text}" repeats within a day; deadlines are whole days '
                             "(use FREQ=DAILY or coarser)")
    try:
        return rrulestr(text, dtstart=start)
    except ValueError as e:
        if "UNTIL" not in str(e):
            raise UnreadableRule(f'recurs "{text}" is not a valid RRULE: {e}') from None
    try:  # an UNTIL written in UTC ("…Z") needs an aware start
        return rrulestr(text, dtstart=start.replace(tzinfo=UTC))
    except ValueError as e:
        raise UnreadableRule(f'recurs "{text}" is not a valid RRULE: {e}') from None


def occurrences(first: Window, rule: str, until: date) -> list[Occurrence]:
    """The series in order, up to the one running at `until` (always at least `first`)."""
    out: list[Occurrence] = []
    for occurrence in itertools.islice(_series(first, rule), MAX_OCCURRENCES):
        if out and occurrence.earliest > until:
            break
        out.append(occurrence)
    return out


def find(first: Window, rule: str, label: str, horizon: date) -> Occurrence | None:
    """The occurrence called `label` (e.g. "2023-24", "Q1 2023"), searched up to `horizon`."""
    wanted = _normal_label(label)
    for occurrence in occurrences(first, rule, horizon):
        if _normal_label(occurrence.label) == wanted:
            return occurrence
    return None


def _series(first: Window, rule: str) -> Iterator[Occurrence]:
    if first.latest is None:
        raise UnreadableRule(f'recurs "{rule.strip()}" needs a due date with a deadline, '
                             "not an open-ended one")
    earliest, latest = first.earliest or first.latest, first.latest
    text = rule.strip()
    named = text.lower()
    if named in _STEP_MONTHS:
        return _shifted(earliest, latest, _STEP_MONTHS[named], named)
    check_rule(text)
    return _by_rrule(earliest, latest, text)


def _shifted(earliest: date, latest: date, step: int, rule: str) -> Iterator[Occurrence]:
    """Shift the whole window by `step` months each time, from the first (so no drift).

    A window ending on a month's last day keeps ending on one (winter ends 28 or 29 Feb).
    A first window that does not start on the 1st (one that began on `made_on`, or a single
    day) is followed by whole periods: each later one opens the day after the last deadline.
    """
    previous: date | None = None
    for k in range(MAX_OCCURRENCES):
        try:
            lo, hi = _shift(earliest, step * k), _shift(latest, step * k)
        except (ValueError, OverflowError):  # ran off the calendar (year 9999)
            return
        if previous is not None and (earliest.day != 1 or lo <= previous):
            lo = previous + timedelta(days=1)
        yield Occurrence(_label(rule, hi), lo, hi)
        previous = hi


def _shift(d: date, months: int) -> date:
    moved = d + relativedelta(months=months)
    if (d + timedelta(days=1)).day == 1:  # the last day of its month stays the last day
        return moved + relativedelta(day=31)
    return moved


def _by_rrule(earliest: date, latest: date, text: str) -> Iterator[Occurrence]:
    """Each rule date after the first deadline is a deadline; its window opens the day after
    the previous one. A rule that does not come round within HORIZON_YEARS (30 February) is
    the first window alone: dateutil would look for its next date day by day to year 9999."""
    yield Occurrence(latest.isoformat(), earliest, latest)
    if first_date(text, latest) is None:
        return
    start = datetime(latest.year, latest.month, latest.day)
    previous = latest
    for moment in _dates(_parse_rrule(text, start)):
        day = moment.date()
        if day > previous:
            yield Occurrence(day.isoformat(), previous + timedelta(days=1), day)
            previous = day


@lru_cache(maxsize=4096)
def first_date(text: str, start: date) -> date | None:
    """The rule's first date after `start` (its first deadline), if one comes by the end of the
    year HORIZON_YEARS later.

    dateutil stops looking only at a date the rule gives or at year 9999, so the question is put
    to the same rule started in a year near 9999 whose calendar, and the next HORIZON_YEARS', is
    the same day for day (the same weekday on 1 January, the same leap years): its search then
    ends within a few decades (at most 410 years), not 8,000. UNTIL and COUNT are left out: they
    can only end a series, never bring a date sooner."""
    shift = _calendar_shift(start.year)
    begin = datetime(start.year + shift, start.month, start.day)
    rule = _open_ended(_parse_rrule(text, begin))
    try:
        found = rule.after(begin)
    except TypeError:  # an UNTIL written in UTC made the start aware (_parse_rrule)
        found = rule.after(begin.replace(tzinfo=UTC))
    if found is None or found.year - shift > start.year + HORIZON_YEARS:
        return None
    return found.date().replace(year=found.year - shift)


def _calendar_shift(year: int) -> int:
    """Years to add to `year` to reach the latest year before 9999 - HORIZON_YEARS with the same
    calendar over the horizon; one is at most 400 years back (the Gregorian calendar's cycle)."""
    span = range(year - 1, year + HORIZON_YEARS + 2)

    def same(a: int, b: int) -> bool:
        return date(a, 1, 1).weekday() == date(b, 1, 1).weekday() and isleap(a) == isleap(b)

    top = 9999 - HORIZON_YEARS - 1
    if year >= top:  # already near 9999: the search is short as it is
        return 0
    return next(c - year for c in range(top, top - 401, -1) if all(same(y, y + c - year) for y in span))


def _open_ended(rule: rrule | rruleset) -> rrule | rruleset:
    if isinstance(rule, rrule):
        return rule.replace(until=None, count=None)
    out = rruleset()
    for part in rule._rrule:  # type: ignore[attr-defined]  # noqa: SLF001 - dateutil keeps a set's rules only here
        out.rrule(part.replace(until=None, count=None))
    return out


def _dates(rule: Iterable[datetime]) -> Iterator[datetime]:
    return itertools.islice(iter(rule), MAX_OCCURRENCES)


def _label(rule: str, latest: date) -> str:
    """The period an occurrence answers, named from its deadline."""
    if rule == "financial-year":
        start = latest.year if latest.month >= 4 else latest.year - 1
        return f"{start}-{(start + 1) % 100:02d}"
    if rule == "quarterly":
        return f"Q{(latest.month - 1) // 3 + 1} {latest.year}"
    if rule == "monthly":
        return f"{latest.year:04d}-{latest.month:02d}"
    return str(latest.year)


_FY_LONG = re.compile(r"(\d{4})-\d{2}(\d{2})")


def _normal_label(label: str) -> str:
    """Spelling-tolerant labels: "FY 2023/24", "2023-2024" and "2023-24" are one period."""
    s = " ".join(label.strip().lower().replace("/", "-").split()).removeprefix("fy ")
    return _FY_LONG.sub(r"\1-\2", s) if _FY_LONG.fullmatch(s) else s
