"""Durations such as `7 days`, `6 months` or `P1Y2M`, as written in `commitments.yaml`.

Months and years are kept apart from days because they are calendar-aware: a month after
31 January is the end of February, not "31 days later". Numbers may be words ("six months")
because that is how promises are written, and the same reader serves `within six months`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from dateutil.relativedelta import relativedelta

__all__ = ["VAGUE_COUNTS", "MAX_YEARS", "NUMBER", "Duration", "UnreadableDuration", "parse_duration", "parse_count",
           "NUMBER_WORDS", "too_long"]

_D = TypeVar("_D", bound=date)

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_DIGIT_WORDS = [w for w, n in _UNITS.items() if 1 <= n <= 9 and w not in ("a", "an")]

# Vague quantities, each read as the largest count the words can honestly mean and no more, so
# that a deadline is generous but never later than the words (README "Whitehall time"): "a couple"
# is two; "a few" at most four (more would be "several"); "a handful" five (a hand's fingers);
# "several" at most seven (past a week of them people say "many"). "A number of" has no upper
# bound and is refused, never guessed.
VAGUE_COUNTS: dict[str, int] = {"a couple of": 2, "couple of": 2, "a few": 4, "few": 4, "a handful of": 5,
                                "handful of": 5, "several": 7}

# Every number word we read, e.g. for spelling suggestions elsewhere.
NUMBER_WORDS: frozenset[str] = frozenset({*_UNITS, *_TENS, "hundred"})

_NUMBER = (
    r"\d+"
    rf"|(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(_DIGIT_WORDS)}))?"
    rf"|{'|'.join(sorted(_UNITS, key=len, reverse=True))}"
    r"|(?:a|one)\s+hundred"
)
NUMBER = _NUMBER  # a count in digits or words, as a regex (for "six to eight weeks" in bot.when.phrases)
_PART = rf"(?P<n>{_NUMBER})\s+(?P<unit>day|week|fortnight|month|year)s?"
_PART_RE = re.compile(rf"\b{_PART}\b")
_ANON_PART = rf"(?:{_NUMBER})\s+(?:day|week|fortnight|month|year)s?"
_WORDS_RE = re.compile(rf"{_ANON_PART}(?:(?:\s*,\s*|\s+and\s+|\s+){_ANON_PART})*")
_ISO_RE = re.compile(r"p(?=\d)(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?")
_UNIT_DAYS = {"day": (0, 1), "week": (0, 7), "fortnight": (0, 14), "month": (1, 0), "year": (12, 0)}

# The longest grace, remind_every, heads_up or check_in. 100 years is far beyond any real
# reminder cadence, and it keeps all date arithmetic bounded: register dates stay within
# 1900-2200 (SPEC §2), so a date moved by a valid duration stays within 1800-2300, nowhere
# near the calendar's end in year 9999 where `9000 years` made every check overflow.
MAX_YEARS = 100
_REFERENCE = date(2000, 1, 1)


class UnreadableDuration(ValueError):
    """A duration we will not guess at; the message says what we can read instead."""


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of calendar months plus days: what `grace`, `remind_every` and friends hold.

    Weeks are stored as days and years as months, so equal spans compare equal.
    """

    months: int = 0
    days: int = 0

    def _delta(self) -> relativedelta | timedelta:
        # timedelta when no months are involved: the same wall-clock arithmetic, ~10x cheaper
        return timedelta(days=self.days) if not self.months else relativedelta(months=self.months, days=self.days)

    def after(self, d: _D) -> _D:
        """`d` plus this span, calendar-aware (31 Jan + 1 month = 28/29 Feb); keeps the type."""
        return d + self._delta()

    def before(self, d: _D) -> _D:
        """`d` minus this span, calendar-aware; keeps the type (date or datetime)."""
        return d - self._delta()

    def __str__(self) -> str:
        years, months = divmod(self.months, 12)
        parts = [_plural(n, unit) for n, unit in ((years, "year"), (months, "month"),
                                                  (self.days, "day")) if n]
        return " ".join(parts) or "0 days"


def too_long(span: Duration) -> bool:
    """True when `span` is longer than MAX_YEARS calendar years (compared on a fixed day, and
    without doing arithmetic that could itself overflow)."""
    if span.months > 12 * MAX_YEARS or span.days > 366 * MAX_YEARS:
        return True
    return span.after(_REFERENCE) > _REFERENCE.replace(year=_REFERENCE.year + MAX_YEARS)


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def parse_count(text: str) -> int | None:
    """A count in digits or words ("12", "twelve", "twenty-one", "a"); None if it is not one."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t.isdigit():
        return int(t)
    if t in _UNITS:
        return _UNITS[t]
    if t in ("a hundred", "one hundred"):
        return 100
    tens, _, unit = t.partition(" ")
    if tens in _TENS and (not unit or (unit in _UNITS and 1 <= _UNITS[unit] <= 9)):
        return _TENS[tens] + (_UNITS[unit] if unit else 0)
    return None


def parse_duration(text: str) -> Duration:
    """Read `N day(s)|week(s)|month(s)|year(s)` (several parts allowed) or ISO 8601 `P…`.

    Raises UnreadableDuration rather than guessing, so a typo never silently becomes 0 days.
    """
    t = " ".join(text.strip().lower().split())
    try:
        iso = _ISO_RE.fullmatch(t)
        if iso:
            return _from_iso(iso)
        if _WORDS_RE.fullmatch(t):
            return _from_words(t)
    except ValueError:  # a number of thousands of digits: int() refuses it
        raise UnreadableDuration(f'duration "{t[:40]}…" has a number far too long to be a duration') from None
    raise UnreadableDuration(_why(text))


def _from_iso(m: re.Match[str]) -> Duration:
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return Duration(months=12 * y + mo, days=7 * w + d)


def _from_words(t: str) -> Duration:
    months = days = 0
    for part in _PART_RE.finditer(t):
        count = parse_count(part["n"])
        assert count is not None  # the regex only admits numbers parse_count reads
        per_month, per_day = _UNIT_DAYS[part["unit"]]
        months += count * per_month
        days += count * per_day
    return Duration(months=months, days=days)


def _why(text: str) -> str:
    """A one-line reason, specific where we can tell what went wrong."""
    t = text.strip()
    if re.fullmatch(r"(?i)p(?:\d+[ymwd])*t(?:\d+[hms])+", t):
        return (f'duration "{t}" has hours or minutes; deadlines are whole days '
                '(write e.g. "P1D" or "1 day")')
    return (f'duration "{t}" is not one this bot can read '
            '(write e.g. "7 days", "2 weeks", "6 months", "1 year" or ISO 8601 "P30D")')
