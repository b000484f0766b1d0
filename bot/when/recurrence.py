"""Recurring promises (SPEC 2.2): one `due` window turned into a series of occurrences.

Scheme funding "for each financial year" is one promise that can lapse once a year, so each
occurrence carries its own deadline and a period label (`2023-24`) that updates can name.
The series is generated lazily and bounded, so a silly rule cannot loop forever.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rruleset, rrulestr

from bot.when.dates import Window

__all__ = ["MAX_OCCURRENCES", "NAMED_RULES", "Occurrence", "UnreadableRule", "check_rule",
           "find", "occurrences"]

MAX_OCCURRENCES = 10_000
_STEP_MONTHS = {"yearly": 12, "financial-year": 12, "quarterly": 3, "monthly": 1}
NAMED_RULES: tuple[str, ...] = tuple(_STEP_MONTHS)
_SUB_DAILY = re.compile(r"(?i)\bFREQ=(?:HOURLY|MINUTELY|SECONDLY)\b")
_ANY_START = datetime(2000, 1, 1)


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
    the previous one."""
    yield Occurrence(latest.isoformat(), earliest, latest)
    start = datetime(latest.year, latest.month, latest.day)
    previous = latest
    for moment in _dates(_parse_rrule(text, start)):
        day = moment.date()
        if day > previous:
            yield Occurrence(day.isoformat(), previous + timedelta(days=1), day)
            previous = day


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
