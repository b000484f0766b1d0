"""Reading "Whitehall time": the promised `due` phrase as a window of days (SPEC 2.1).

A promise is read as `[earliest, latest]` and the deadline is `latest`, the most generous
reading, so that when the bot says "lapsed" nobody can argue. A phrase without a year is read
against the day the promise was made (`made_on`): the first matching period that ends on or
after it. Anything we cannot read is an error with a suggestion, never a silent guess.

The reader is pure (it never looks at the clock) and memoised, because a large register
repeats the same few phrases many thousands of times.
"""

from __future__ import annotations

import calendar
import difflib
import itertools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from bot.when import phrases, timeparts, wrapped
from bot.when.durations import NUMBER, NUMBER_WORDS, Duration, UnreadableDuration, parse_count, parse_duration
from bot.when.reading import BEFORE as _BEFORE
from bot.when.reading import (
    KINDS,
    OPEN,
    TIME_OF_DAY,
    Reading,
    Span,
    Window,
    already,
    century_note,
    long_day,
    two_digit_year,
)
from bot.when.reading import MONTH_NAMES as _MONTH_NAMES
from bot.when.reading import MONTHS as _MONTHS
from bot.when.reading import ORDINALS as _ORDINALS
from bot.when.reading import Ctx as _Ctx
from bot.when.reading import Problem as _Problem
from bot.when.reading import from_made_on as _from_made_on
from bot.when.reading import need_made_on as _need_made_on
from bot.when.reading import pick as _pick
from bot.when.reading import span as _span

__all__ = ["FIRST_DAY", "KINDS", "LAST_DAY", "MAX_PHRASE", "QUARTERS", "Reading", "UnreadableDate", "Window", "describe",
           "explain", "outside", "resolve"]

# SPEC §2: every date in the register stays within these years. Reading is not limited (a phrase
# reads as written); the loader refuses a register whose dates fall outside, so no date
# arithmetic on a valid register comes near the calendar's end (year 9999).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)

# The longest phrase read (characters, once spaces are collapsed). The longest real promised
# time in tests/corpus/phrases.yaml is under 100; a longer `due` is a sentence, or hostile, and
# each family beyond the table reads parts of a phrase again, so the work is bounded here.
MAX_PHRASE = 300

# How a quarter named without a year ("Q4") is read: a calendar quarter (Q4 = Oct-Dec), the
# default, or a financial one (Q4 = Jan-Mar). A quarter of a financial year ("Q4 2024/25") is
# always financial, one of a calendar year ("Q4 2024") always calendar (SPEC §2.1).
QUARTERS = ("calendar", "financial")

def outside(*days: date | None) -> date | None:
    """The first of `days` outside FIRST_DAY..LAST_DAY, or None when all are inside (or None)."""
    return next((d for d in days if d is not None and not FIRST_DAY <= d <= LAST_DAY), None)


class UnreadableDate(ValueError):
    """A `due` phrase we will not guess at. `str(e)` is one line saying why and how to fix it.

    `suggestion` is a corrected phrase that does read (e.g. "autumn 2022"), or None.
    """

    def __init__(self, message: str, phrase: str = "", suggestion: str | None = None) -> None:
        super().__init__(message)
        self.phrase = phrase
        self.suggestion = suggestion


_MAX_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}  # meteorological starts
_PARTS = {"early": 0, "start of": 0, "beginning of": 0, "mid": 1, "late": 2, "later in": 2}
_LAST = ("last", "final", "latter")

_OPEN_PHRASES = frozenset({
    "due course", "as soon as practicable", "as soon as is practicable",
    "as soon as reasonably practicable", "as soon as is reasonably practicable",
    "as soon as possible", "asap", "shortly", "soon", "medium-term", "medium term",
    "long-term", "long term", "longer term", "future", "near future",
})

_HINT = '(try an ISO date like 2022-08-31 or a phrase like "end of August 2022", or set deadline:)'

# ---------------------------------------------------------------------------------------------
# Normalising: case, spacing, the trailing full stop and the words that carry no date.

_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
                         "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_QUOTES = "'\""
_AIM_RE = re.compile(r"(?:(?:we|i|(?:the\s+)?government)\s+)?(?:still\s+|now\s+)?"
                     r"aims?\s+to\s+.+\s+by\s+(?P<rest>.+)")
_LEADING_RE = re.compile(
    r"(?:by|in|during|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|from|the|over|at"
    r"|on|aim(?:ing)?\s+for|some\s*time\s+in)\s+"
    r"|end(?:\s+of)?[\s-]+"
)
_BEFORE_RE = re.compile(r"(?:before|prior\s+to|ahead\s+of|this\s+side\s+of)\s+(?P<rest>.+)")
# "Over Christmas", "during Easter": the holiday to its bank holiday (Boxing Day, Easter Monday), so the
# "over" and "during" that _strip_leading drops elsewhere are kept (bot.when.phrases reads them).
_OVER_FEAST_RE = re.compile(r"(?:over|during)\s+(?:the\s+)?(?P<feast>christmas|xmas|easter(?:\s+weekend)?)(?:,?\s+(?P<y>\d{4}))?")
_END_RE = re.compile(r"(?:the\s+)?end\b")
# "Before 5pm on 31 January", "before 31 January 2025 at 5pm": a time of day on a day. The words hold
# on that day itself, so "before" it is by that day, not by the day before.
_TIMED_RE = re.compile(rf"(?:the\s+)?{TIME_OF_DAY}\s*(?:,\s*|\s+on\s+|\s+)(?P<x>.+)|(?P<y>.+?),?\s+(?:at|by)\s+{TIME_OF_DAY}")
# "By the start of X" names a day, the day X begins; only "by" (and words meaning it) make it so:
# "at the start of X", "early in X" and "the start of X" alone are X's first part.
_START_OF = r"(?:the\s+)?(?:very\s+)?(?:start|beginning|outset|commencement)\s+of\s+"
_BY_START_RE = re.compile(r"(?:by|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|until|till"
                          rf"|up\s+(?:to|until))\s+{_START_OF}(?P<rest>.+)")
_START_RE = re.compile(rf"{_START_OF}(?P<rest>.+)")
_BY_START = "by the start of "  # the normalised form: the one leading "by" that is kept
# "The year", "the month", "the financial year": by the start of the next one, as they are said;
# "this year" had begun when it was said.
_UNIT_MONTHS = {"year": 12, "month": 1, "quarter": 3}
_RELATIVE_START_RE = re.compile(r"(?:(?P<this>this|current|the\s+current)\s+|the\s+)?"
                                r"(?P<unit>(?:calendar\s+)?year|financial\s+year|month|quarter|week)")


def _normalise(phrase: str) -> str:
    """Lower-case, single-spaced, without the words that do not change the meaning."""
    s = " ".join(phrase.translate(_DASHES).lower().split()).rstrip(" .!")
    if len(s) > 1 and s[0] in _QUOTES and s[-1] == s[0]:  # the phrase pasted with its quotation marks
        s = s[1:-1].strip().rstrip(" .!")
    if feast := _OVER_FEAST_RE.fullmatch(s):
        return f"over {feast['feast'].removesuffix(' weekend')}{' ' + feast['y'] if feast['y'] else ''}"
    aim = _AIM_RE.fullmatch(s)
    return _strip_leading(f"by {aim['rest']}" if aim else s)


def _strip_leading(s: str) -> str:
    while True:
        if by := _BY_START_RE.fullmatch(s):
            return _BY_START + _strip_leading(by["rest"])
        m = _LEADING_RE.match(s)
        if m is None or m.end() >= len(s) or m[0].startswith("end") and _END_OF_MONTH_DIGITS.fullmatch(s):
            return s  # "end of Jun 25" keeps its "end": the two digits are then a year (_period refuses it)
        if m[0].startswith("end") and _NEW_YEAR_RE.fullmatch(s[m.end():]):
            return s  # "the end of the new year" keeps its "end": it may mean next year's (phrases refuses it)
        s = s[m.end():]


# ---------------------------------------------------------------------------------------------
# Periods: (first day, last day) spans, built for a given year.

def _day(year: int, month: int, day: int) -> date:
    """A real calendar day, or a _Problem naming exactly what is wrong with it."""
    if not 1 <= month <= 12:
        raise _Problem(f"is not a real date: there is no month {month} "
                       "(numeric dates are day-first: DD/MM/YYYY)")
    if year < 1:
        raise _Problem(f"is not a real date: there is no year {year}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise _Problem(f"is not a real date: {_MONTH_NAMES[month - 1]} {year} has {last} days")
    return date(year, month, day)


def _year(token: str | None, ctx: _Ctx) -> int | None:
    """A year written as digits, "this year" or "next year"; None when there is none."""
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    return _need_made_on(ctx).year + (1 if token.startswith("next") else 0)


def _fy_start(d: date) -> int:
    """The year the financial year holding `d` starts in (1 April - 31 March)."""
    return d.year if d.month >= 4 else d.year - 1


# ---------------------------------------------------------------------------------------------
# The rules: each regex (matched in full against the normalised phrase) and its reading.

_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTHS, key=len, reverse=True))})\.?"
_YEAR_WORDS = r"(?:this|the|current|next)\s+(?:calendar\s+)?year"
_YEAR = rf"(?:(?:,?\s+|\s+of\s+)(?P<year>\d{{4}}|{_YEAR_WORDS}))?"
_PART = r"(?P<part>early|mid|late|(?:the\s+)?(?:start|beginning)(?:\s+of)?)"
_WEEKDAY = r"(?:(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+)?"
_ORD = rf"(?P<ord>{'|'.join([*_ORDINALS, *_LAST])})"
# A financial year after a quarter: `2024/25`, `2024-2025`, `FY 2024-25`, `FY24/25`, `financial year
# 2024-25`, `the 2024-25 financial year` (a two-digit first year only after FY).
_OF_FY = (r"(?:,?\s+|\s+of\s+(?:the\s+)?)(?:fy\s*|financial\s+year\s+)?"
          r"(?P<y1>\d{4}|(?:(?<=fy)|(?<=fy\s))\d{2})\s*[-/]\s*(?P<y2>\d{4}|\d{2})(?:\s+financial\s+year)?")

# "End of Jun 25", "towards the end of Dec 31": the end of a month and two digits (_end_of_month_and_digits).
_NEW_YEAR_RE = re.compile(r"(?:the\s+)?new\s+year")
_END_OF_MONTH_DIGITS = re.compile(rf"(?:.*\s)?end(?:\s+of)?[\s-]+(?P<x>{_MONTH}\s+(?P<d>\d{{2}}))")

Handler = Callable[[re.Match[str], _Ctx], "Window | Reading | None"]


def _part_key(part: str) -> str:
    key = " ".join(part.split()).removeprefix("the ")
    return key if key in _PARTS else f"{key} of"


def _iso(m: re.Match[str], ctx: _Ctx) -> Window:
    d = _day(int(m["y"]), int(m["m"]), int(m["d"]))
    return Window("day", d, d)


def _numeric(m: re.Match[str], ctx: _Ctx) -> Window | Reading:
    if len(m["y"]) == 4:
        d = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        return Window("day", d, d)
    year = two_digit_year(m["y"], ctx.made_on)
    if year is None:
        written = m[0][:-2]
        raise _Problem(f"has a two-digit year and no made_on to tell its century: write the year in four digits "
                       f'(e.g. "{written}{1900 + int(m["y"])}" or "{written}{2000 + int(m["y"])}"), or add a made_on')
    d = _day(year, int(m["m"]), int(m["d"]))
    assert ctx.made_on is not None
    return Reading(Window("day", d, d), f"SPEC §2.1 table: a day-first numeric date, its {century_note(m['y'], year, ctx.made_on)}")


def _fy_first(y1: str, ctx: _Ctx) -> tuple[str, str]:
    """The first year of a financial year written with two digits after FY ("FY98/99"): the
    year with those digits nearest made_on, or without one 20YY (as "FY24/25" always read), and
    what --explain adds."""
    if len(y1) == 4:
        return y1, ""
    year = two_digit_year(y1, ctx.made_on)
    if year is None or ctx.made_on is None:
        return f"20{y1}", ""
    return str(year), f", its {century_note(y1, year, ctx.made_on)}"


def _word_date(m: re.Match[str], ctx: _Ctx) -> Window:
    month, day = _MONTHS[m["month"]], int(m["d"])
    as_year = _month_and_year(m, month, ctx)
    if not 1 <= day <= _MAX_DAYS[month - 1]:
        raise _Problem(f"is not a real date: {_MONTH_NAMES[month - 1]} never has {day} days",
                       (m[0], as_year) if as_year else None)
    start, _ = _pick(lambda y: _one_day(y, month, day), _year(m["year"], ctx), ctx)
    if as_year:
        said = f"{m['month'].capitalize()} {m['d']}"
        raise _Problem(f'is ambiguous: "{said}" may be a day, {_long(start)}, or a month and a two-digit year, '
                       f'{as_year} (did you mean "{_long(start)}" or "{as_year}"?)')
    if m["wd"]:  # a weekday is checked against the date: a wrong one is an error, not ignored
        return phrases.check_weekday(m["wd"], start)
    return _this_year_not_over(Window("day", start, start), m["year"], ctx,
                               lambda y: f"{day} {_MONTH_NAMES[month - 1]} {y}")


# Two digits after a month ("Dec 25") read as a day only when they cannot be a year the promise may
# mean: one already over when it was said, or more than this many years after, is no such year.
_TWO_DIGIT_YEARS_AHEAD = 10


def _month_and_year(m: re.Match[str], month: int, ctx: _Ctx) -> str | None:
    """"Dec 25", "April 26": a month, then two digits that may be a day or a two-digit year (December
    2025), as a spreadsheet or a slide writes one. The month and year in words when they may be one:
    the digits are written bare after the month (not "December 25th", "Wednesday December 25" or
    "December 25, 2024") and name, as a year (the one ending so nearest made_on), a month not over
    when it was said and at most _TWO_DIGIT_YEARS_AHEAD years on. Read as a day, the deadline could be
    months or years early (SPEC §2.1: never a silent guess), so the caller refuses it, naming both."""
    if "th" not in m.re.groupindex or m["th"] or m["wd"] or m["year"] or len(m["d"]) != 2 or ctx.made_on is None:
        return None  # "25 December", "Dec 5", "December 25th": only a day
    year = two_digit_year(m["d"], ctx.made_on)
    assert year is not None
    if year > ctx.made_on.year + _TWO_DIGIT_YEARS_AHEAD or _span(year, month, 1)[1] < ctx.made_on:
        return None
    return f"{_MONTH_NAMES[month - 1]} {year}"


def _end_of_month_and_digits(m: re.Match[str], ctx: _Ctx) -> _Problem:
    """"End of Jun 25", "end Mar 26": after "end", two digits are a year, never a day (the end of 25
    June is no deadline anyone writes), so the words are refused, offering the month and year in full
    (the year ending so nearest made_on; without one, this century's)."""
    month = _MONTH_NAMES[_MONTHS[m["month"]] - 1]
    year = two_digit_year(m["d"], ctx.made_on) or 2000 + int(m["d"])
    return _Problem("names the end of a month and two digits, a two-digit year, not a day", (m["x"], f"{month} {year}"))


def _one_day(year: int, month: int, day: int) -> Span:
    d = _day(year, month, day)
    return d, d


def _month(m: re.Match[str], ctx: _Ctx) -> Window:
    month, part = _MONTHS[m["month"]], m["part"]
    build: Callable[[int], Span] = lambda y: _month_part(*_span(y, month, 1), part)  # noqa: E731
    window = Window("month", *_pick(build, _year(m["year"], ctx), ctx))
    words = f"{' '.join(part.split())} {_MONTH_NAMES[month - 1]}" if part else _MONTH_NAMES[month - 1]
    return _this_year_not_over(window, m["year"], ctx, lambda y: f"{words} {y}")


def _this_year_not_over(window: Window, token: str | None, ctx: _Ctx, named: Callable[[int], str]) -> Window:
    """A part of this year (a month, a quarter, "early this year") that had ended when it was said
    (for "before" one, had begun) names a time already past: that part, or next year's? Refused,
    naming both, as "this summer" said in September is. `named(year)` is the part in words."""
    if token is None or token[0].isdigit() or token.startswith("next") or ctx.made_on is None:
        return window
    assert window.earliest is not None and window.latest is not None
    bound, verb = (window.earliest, "begun") if ctx.before else (window.latest, "ended")
    if (bound <= ctx.made_on) if ctx.before else (bound < ctx.made_on):
        year = ctx.made_on.year
        raise _Problem(already(named(year), bound, ctx.made_on, named(year), named(year + 1), verb))
    return window


def _month_part(start: date, end: date, part: str | None) -> Span:
    """Early, mid and late are days 1-10, 11-20 and 21 to the end of the month."""
    if part is None:
        return start, end
    third = _PARTS[_part_key(part)]
    first = start + timedelta(days=10 * third)
    return first, end if third == 2 else first + timedelta(days=9)


def _season(m: re.Match[str], ctx: _Ctx) -> Window:
    first = _SEASONS[m["season"]]
    year = _year(m["year"], ctx)
    y1, y2 = m["y1"] or m["y1o"], m["y2"] or m["y2o"]  # "winter 2024/25", "the winter of 2024 to 2025"
    if y1:
        if m["season"] != "winter":
            raise _Problem(f'spans two years, but only winter does (e.g. "winter {y1}")')
        year = _consecutive(y1, y2, "a winter")
    if m["this"] and year is None:
        year = _this_season_year(m["season"], _need_made_on(ctx))
    if year is not None and (m["this"] or (m["year"] and not m["year"][0].isdigit() and m["year"][0] != "n")):
        _check_not_past(m["season"], year, ctx)
    return Window("season", *_pick(lambda y: _span(y, first, 3), year, ctx))


def _this_season_year(season: str, made_on: date) -> int:
    """"This summer" is the summer of the year it is said in, never next year's; "this winter"
    said in January or February is the winter then under way (winter 2019 is Dec 2019 - Feb 2020)."""
    return made_on.year - (1 if season == "winter" and made_on.month < 3 else 0)


def _check_not_past(season: str, year: int, ctx: _Ctx) -> None:
    """"This summer" said once summer had ended names a time already past on the day it was said:
    the speaker meant either that summer (a deadline missed before it was set) or, by a slip, the
    next. Neither is a reading we can choose without guessing (SPEC §2.1), so it is refused, naming
    both. Reading "before this summer", the summer must not yet have begun."""
    made_on = _need_made_on(ctx)
    start, end = _span(year, _SEASONS[season], 3)
    bound, what = (start, "begun") if ctx.before else (end, "ended")
    if (bound <= made_on) if ctx.before else (bound < made_on):
        raise _Problem(f"names {season} {year}, which had {what} ({_long(bound)}) before it was said "
                       f'({_long(made_on)}): write "{season} {year}" if that {season} was meant (its deadline had '
                       f'passed when it was said) or "{season} {year + 1}" if the next, or set deadline: by hand')


_long = long_day


# What --explain adds when a quarter or half without a year is read as a register of financial quarters says.
_AS_FINANCIAL = "(no year given, and the quarters setting is financial)"


def _quarter(m: re.Match[str], ctx: _Ctx) -> Window | Reading:
    n = int(m["q"]) if m["q"] else _ORDINALS.get(m["ord"], 4)
    if not 1 <= n <= 4:
        raise _Problem(f"names quarter {n}, but quarters run Q1 to Q4")
    year = _year(m["year"], ctx)
    if year is None and ctx.quarters == "financial":  # "Q4" alone, in a register of financial quarters
        return Reading(Window("quarter", *_pick(lambda y: _financial_quarter(y, n), None, ctx)),
                       f"SPEC §2.1 table: a financial quarter {_AS_FINANCIAL}")
    window = Window("quarter", *_pick(lambda y: _span(y, 3 * n - 2, 3), year, ctx))
    return _this_year_not_over(window, m["year"], ctx, lambda y: f"Q{n} {y}")


def _financial_quarter(first_year: int, n: int) -> Span:
    """Quarter `n` of the financial year starting 1 April `first_year`: Q1 Apr-Jun ... Q4 Jan-Mar."""
    start = date(first_year, 4, 1) + relativedelta(months=3 * (n - 1))
    return _span(start.year, start.month, 3)


def _fy_quarter(m: re.Match[str], ctx: _Ctx) -> Window | Reading:
    """`Q3 2024/25`, `the third quarter of FY 2024-25`, `Q4 FY24/25`: always a financial quarter."""
    n = int(m["q"]) if m["q"] else _ORDINALS.get(m["ord"], 4)
    if not 1 <= n <= 4:
        raise _Problem(f"names quarter {n}, but quarters run Q1 to Q4")
    y1, note = _fy_first(m["y1"], ctx)
    first = _consecutive(y1, m["y2"], "a financial year")
    window = Window("quarter", *_financial_quarter(first, n))
    return Reading(window, f"SPEC §2.1 table: a financial quarter{note}") if note else window


def _half(m: re.Match[str], ctx: _Ctx) -> Window | Reading:
    n = int(m["h"]) if m["h"] else _ORDINALS.get(m["ord"], 2)
    if not 1 <= n <= 2:
        raise _Problem(f"names half {n}, but a year has H1 and H2 only")
    year = _year(m["year"], ctx)
    if year is None and ctx.quarters == "financial":  # "H1" alone, in a register of financial quarters: as "Q1"
        return Reading(Window("half", *_pick(lambda y: _span(y, 4 + 6 * (n - 1), 6), None, ctx)),
                       f"SPEC §2.1 table: a half of a financial year {_AS_FINANCIAL}")
    window = Window("half", *_pick(lambda y: _span(y, 6 * n - 5, 6), year, ctx))
    return _this_year_not_over(window, m["year"], ctx, lambda y: f"H{n} {y}")


def _fy_half(m: re.Match[str], ctx: _Ctx) -> Window:
    """`H2 2025/26`: a half of a financial year (H1 April-September, H2 October-March)."""
    n = int(m["h"])
    if not 1 <= n <= 2:
        raise _Problem(f"names half {n}, but a year has H1 and H2 only")
    y1, _ = _fy_first(m["y1"], ctx)
    first = _consecutive(y1, m["y2"], "a financial year")
    return Window("half", *_span(first, 4 + 6 * (n - 1), 6))


def _calendar_year(m: re.Match[str], ctx: _Ctx) -> Window:
    return Window("year", *_span(int(m["year"]), 1, 12))


def _year_part(m: re.Match[str], ctx: _Ctx) -> Window:
    year = _year(m["year"], ctx)
    assert year is not None  # the regex requires a year
    window = Window("year", *_span(year, 1 + 4 * _PARTS[_part_key(m["part"])], 4))
    return _this_year_not_over(window, m["year"], ctx, lambda y: f"{' '.join(m['part'].split())} {y}")


def _this_year(m: re.Match[str], ctx: _Ctx) -> Window:
    return _from_made_on("year", date(_need_made_on(ctx).year, 12, 31), ctx)


def _next_year(m: re.Match[str], ctx: _Ctx) -> Window:
    return Window("year", *_span(_need_made_on(ctx).year + 1, 1, 12))


def _consecutive(y1: str, y2: str, what: str) -> int:
    """The first year of `2022-23` / `2022/2023`, checking the second one follows it."""
    first, second = int(y1), int(y2)
    expected = first + 1 if len(y2) == 4 else (first + 1) % 100
    if second != expected:
        month = f' or, for a month, "{_MONTH_NAMES[second - 1]} {first}"' if (
            len(y2) == 2 and 1 <= second <= 12) else ""
        raise _Problem(f"is not {what}: the second year must follow the first "
                       f'(e.g. "{first}-{(first + 1) % 100:02d}"{month})')
    return first


def _financial_year(m: re.Match[str], ctx: _Ctx) -> Window | Reading | None:
    words = m.groupdict()
    if (words.get("sep") is not None and not (words["fy"] or words["fy2"]) and len(m["y2"]) == 4
            and words["sep"].strip() in ("-", "to") and int(m["y2"]) == int(m["y1"]) + 1):
        return None  # "2024-2025", "2024 to 2025": two calendar years, beyond the table (README "Whitehall time")
    y1, note = _fy_first(m["y1"], ctx)
    first = _consecutive(y1, m["y2"], "a financial year")
    window = Window("financial-year", *_span(first, 4, 12))
    return Reading(window, f"SPEC §2.1 table: a financial year{note}") if note else window


def _this_financial_year(m: re.Match[str], ctx: _Ctx) -> Window:
    end = date(_fy_start(_need_made_on(ctx)) + 1, 3, 31)
    return _from_made_on("financial-year", end, ctx)


def _next_financial_year(m: re.Match[str], ctx: _Ctx) -> Window:
    return Window("financial-year", *_span(_fy_start(_need_made_on(ctx)) + 1, 4, 12))


def _this_or_next(m: re.Match[str], ctx: _Ctx) -> Window:
    made_on = _need_made_on(ctx)
    months = 1 if m["unit"] == "month" else 3
    start_month = made_on.month - (made_on.month - 1) % months
    if m["which"] in ("next", "coming"):  # "the coming month" is the next one, as "the next month" reads
        start = date(made_on.year, start_month, 1) + relativedelta(months=months)
        return Window(m["unit"], *_span(start.year, start.month, months))
    return _from_made_on(m["unit"], _span(made_on.year, start_month, months)[1], ctx)


def _relative(span: Duration, ctx: _Ctx) -> Window:
    made_on = _need_made_on(ctx)
    return Window("relative", made_on, span.after(made_on))


def _coming(m: re.Match[str], ctx: _Ctx) -> Window:
    return _relative(Duration(months=2 if m["unit"] == "weeks" else 6), ctx)


_CALENDAR_UNIT = re.compile(r"\bcalendar\s+(?=(?:day|week|month|year)s?\b)")
_DECADES = re.compile(rf"(?P<n>{NUMBER}|a|an)\s+decades?")


def _within(m: re.Match[str], ctx: _Ctx) -> Window | None:
    """"Within six months", "in the next twelve weeks"; "six calendar months" are six months, a decade
    ten years. One unit named alone is one of it after "within" ("within the next year": twelve months
    from made_on) and for a fortnight ("in the next fortnight"); "next week", "next month" and "next
    year" alone are the calendar periods other rules read. "Within the next quarter" is by the end of
    the next calendar quarter, as "the next quarter" reads."""
    d = _DECADES.sub(lambda x: f"{10 * (parse_count(x['n']) or 1)} years", _CALENDAR_UNIT.sub("", m["d"]))
    within = m[0].startswith("within")
    if d == "quarter" and within:
        made_on = _need_made_on(ctx)
        start = date(made_on.year, made_on.month - (made_on.month - 1) % 3, 1) + relativedelta(months=3)
        return Window("quarter", made_on, _span(start.year, start.month, 3)[1])
    if d in ("day", "week", "month", "year", "decade") and within or d == "fortnight":
        d = "10 years" if d == "decade" else f"a {d}"
    try:
        span = parse_duration(d)
    except UnreadableDuration:
        return None
    return _relative(span, ctx)


def _within_calendar(m: re.Match[str], ctx: _Ctx) -> Reading:
    """"Within the calendar year" names the calendar year it was said in, to 31 December, as "this
    calendar year" reads (SPEC §2.1), not twelve months; "within the next calendar month" the whole
    of next month. "Within a calendar year" and "within six calendar months" are lengths (_within)."""
    unit, which = m["unit"], "next" if m["which"] == "next" else "this"
    inner = _period(f"{which} {unit}", ctx)
    return Reading(inner.window, f"SPEC §2.1 table: within the calendar {unit} (the calendar {unit} it names, "
                   f"{which} {unit}, not a length), then {inner.rule}", inner.entry)


def _feast(m: re.Match[str], ctx: _Ctx) -> Window:
    def build(y: int) -> Span:
        d = feast_day(m["feast"], y)
        return d, d

    day, _ = _pick(build, _year(m["year"], ctx), ctx)
    feast = {"christmas": "Christmas", "xmas": "Christmas", "easter": "Easter"}.get(m["feast"], "Whitsun")
    _this_year_not_over(Window("day", day, day), m["year"], ctx, lambda y: f"{feast} {y}")
    return Window("day", day, day) if ctx.before else _from_made_on("day", day, ctx)


def feast_day(feast: str, year: int) -> date:
    """Christmas Day, Easter Sunday, or Whit Sunday (Whitsun: seven weeks after Easter Sunday), of `year`."""
    if feast in ("christmas", "xmas"):
        return date(year, 12, 25)
    return easter(year) + timedelta(days=0 if feast == "easter" else 49)


def _rule(pattern: str, handler: Handler) -> tuple[re.Pattern[str], Handler]:
    return re.compile(pattern), handler


_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    _rule(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", _iso),
    _rule(r"(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4}|\d{2})", _numeric),
    _rule(rf"{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}{_YEAR}", _word_date),
    _rule(rf"{_WEEKDAY}{_MONTH}\s+(?P<d>\d{{1,2}})(?P<th>st|nd|rd|th)?{_YEAR}", _word_date),
    _rule(rf"(?:{_PART}[\s-]+)?{_MONTH}{_YEAR}", _month),
    _rule(r"(?P<this>this\s+)?(?P<season>spring|summer|autumn|winter)(?:(?:,?\s+|\s+of\s+)"
          rf"(?P<year>\d{{4}}|{_YEAR_WORDS})|\s+(?P<y1>\d{{4}})\s*[-/]\s*(?P<y2>\d{{4}}|\d{{2}})"
          r"|\s+of\s+(?P<y1o>\d{4})\s*(?:[-/]|\s+to\s+)\s*(?P<y2o>\d{4}|\d{2}))?",
          _season),
    _rule(rf"(?:q|quarter\s+)(?P<q>\d)(?P<ord>){_YEAR}", _quarter),
    _rule(rf"(?:q|quarter\s+)(?P<q>\d)(?P<ord>){_OF_FY}", _fy_quarter),
    _rule(rf"(?P<q>){_ORD}\s+quarter{_OF_FY}", _fy_quarter),
    _rule(rf"(?P<q>){_ORD}\s+quarter{_YEAR}", _quarter),
    _rule(rf"h(?P<h>\d)(?P<ord>){_YEAR}", _half),
    _rule(rf"h(?P<h>\d){_OF_FY}", _fy_half),
    _rule(rf"(?P<h>){_ORD}\s+half{_YEAR}", _half),
    _rule(r"(?:(?:calendar\s+)?year\s+)?(?P<year>\d{4})(?:\s+calendar\s+year)?", _calendar_year),
    _rule(r"(?:later\s+(?:in\s+)?)?(?:(?:this|the|current)\s+)?(?:calendar\s+)?year"
          r"(?:[\s-]end)?", _this_year),
    _rule(rf"(?P<part>early|mid|late|later\s+in|(?:the\s+)?(?:start|beginning)\s+of)[\s-]+"
          rf"(?P<year>\d{{4}}|{_YEAR_WORDS})", _year_part),
    _rule(r"next\s+(?:calendar\s+)?year", _next_year),
    _rule(r"(?P<fy>fy\s*|financial\s+year\s+)?(?P<y1>\d{4})\s*(?P<sep>-|/|\s+to\s+)\s*(?P<y2>\d{4}|\d{2})"
          r"(?P<fy2>\s+financial\s+year|\s+fy)?", _financial_year),
    _rule(r"fy\s*(?P<y1>\d{2})\s*[-/]\s*(?P<y2>\d{2})", _financial_year),
    _rule(r"(?:(?:this|current)\s+)?financial\s+year(?:[\s-]end)?", _this_financial_year),
    _rule(r"next\s+financial\s+year", _next_financial_year),
    _rule(r"(?P<which>this|current|next|coming)\s+(?P<unit>month|quarter)", _this_or_next),
    _rule(r"coming\s+(?P<unit>weeks|months)", _coming),
    _rule(r"coming\s+weeks\s+and\s+(?P<unit>months)", _coming),
    _rule(r"within\s+(?:the\s+)?(?:(?P<which>this|current|next)\s+)?calendar\s+(?P<unit>year|month|week)",
          _within_calendar),
    _rule(r"(?:within\s+(?:the\s+)?(?:next\s+)?|next\s+)(?P<d>.+)", _within),
    _rule(r"(?P<d>[^']+?)(?:'s?)?\s+time", _within),
    _rule(r"(?P<d>[a-z0-9]+(?:[\s-][a-z]+)?\s+(?:day|week|fortnight|month|year)s?)", _within),
    _rule(rf"(?P<feast>christmas|xmas|easter|whitsun(?=\b)|whit(?=\s+sunday))(?:\s+day|\s+sunday)?{_YEAR}", _feast),
)


_RULE_NAMES = {
    "_iso": "an ISO date", "_numeric": "a day-first numeric date", "_word_date": "a day and month",
    "_month": "a month (or its early/mid/late part)", "_season": "a meteorological season",
    "_quarter": "a calendar quarter", "_fy_quarter": "a financial quarter", "_half": "a half year",
    "_fy_half": "a half of a financial year",
    "_calendar_year": "a calendar year", "_year_part": "early/mid/late in a year", "_this_year": "this year",
    "_next_year": "next year", "_financial_year": "a financial year", "_this_financial_year": "this financial year",
    "_next_financial_year": "next financial year", "_this_or_next": "this/next month or quarter",
    "_coming": "the coming weeks/months", "_within": "within a duration", "_within_calendar": "within the calendar year", "_feast": "Christmas, Easter or Whitsun",
}


def _match(s: str, ctx: _Ctx) -> Reading:
    """The first table rule that reads `s`, or a _Problem."""
    if s in _OPEN_PHRASES:
        if ctx.before:
            raise _Problem(_BEFORE)
        return Reading(OPEN, "SPEC §2.1 table: open words (no deadline)")
    for pattern, handler in _RULES:
        m = pattern.fullmatch(s)
        if m is not None and (window := handler(m, ctx)) is not None:
            if isinstance(window, Reading):  # a rule with more to say than its name (a two-digit year's century)
                return window
            return Reading(window, f"SPEC §2.1 table: {_RULE_NAMES[handler.__name__]}")
    raise _Problem()


def _period(s: str, ctx: _Ctx) -> Reading:
    """Read `s` by the table, and only if the table refuses it, by the families beyond it
    (bot.when.phrases): so no phrase that the table reads can read differently."""
    if s.startswith(_BY_START):
        if ctx.before:
            raise _Problem(_BEFORE)
        return _by_start(s.removeprefix(_BY_START), ctx)
    if end := _END_OF_MONTH_DIGITS.fullmatch(s):  # before any family, so none reads it as a day
        raise _end_of_month_and_digits(end, ctx)
    try:
        return _match(s, ctx)
    except _Problem as refused:
        try:
            reading = phrases.read(s, ctx, _sub)
        except _Problem as p:
            raise (refused if p.reason is None else p) from None
        if reading is None:
            raise
        return reading


def _by_start(words: str, ctx: _Ctx, before: bool = False) -> Reading:
    """"By the start of X": by the day X begins (X's first day), the one day the words name; "before
    the start of X" (`before`) the day before it. X without a year is the next X to begin after
    made_on ("by the start of the financial year" said in June 2024 is 1 April 2025): a deadline
    is never a day already past when it was said. "This X" had begun when it was said, so it is
    refused, naming both readings; X with its year reads as written."""
    made_on = ctx.made_on
    rel = _RELATIVE_START_RE.fullmatch(words)
    if rel is not None and made_on is not None:
        unit = " ".join(rel["unit"].split())
        inner = _period(f"next {unit}", ctx)
        first = _first_day(inner.window)
        this = first - (timedelta(days=7) if unit == "week" else relativedelta(months=_UNIT_MONTHS[unit.split()[-1]]))
        if this == made_on:  # said on the day it begins
            inner, first = _period(words, ctx), this
        elif rel["this"]:
            label = timeparts.label(inner.window.kind, this, first - timedelta(days=1))
            raise _Problem(already(f"the start of {label}", this, made_on, f"by {_long(this)}",
                                   f"by the start of next {unit}", "begun"))
    else:
        try:
            inner = _period(words, _Ctx(made_on, before=True, quarters=ctx.quarters))
        except _Problem as p:
            if p.reason == _BEFORE:
                raise _Problem('needs a period that begins after it was said after "by the start of", e.g. '
                               '"by the start of the 2025-26 financial year"') from None
            raise
        first = _first_day(inner.window)
    if inner.window.is_open or inner.window.kind == "relative":
        raise _Problem('needs a period after "by the start of", e.g. "by the start of the 2025-26 financial year"')
    deadline = first - timedelta(days=1) if before else first
    how = ("before the start of a period (to the day before it begins)" if before
           else "by the start of a period (by the day it begins)")
    return Reading(_from_made_on("day", deadline, _Ctx(made_on)), f"{how}, then {inner.rule}", inner.entry)


def _first_day(w: Window) -> date:
    """The day the period `w` belongs to begins ("this year" read from made_on begins on 1 January)."""
    if w.earliest is None or w.latest is None:
        raise _Problem('needs a period after "by the start of", e.g. "by the start of the 2025-26 financial year"')
    return timeparts.full_span(w.kind, w.earliest, w.latest)[0]


def _sub(text: str, ctx: _Ctx) -> Reading:
    """Read a part of a phrase (for bot.when.phrases): its leading words stripped, then as a period."""
    return _period(_strip_leading(text), ctx)


@lru_cache(maxsize=65536)
def _read(s: str, made_on: date | None, quarters: str = "calendar") -> Reading:
    """Read a normalised phrase; `before X` ends the day before X begins, keeping X's kind."""
    m = _BEFORE_RE.fullmatch(s)
    if m is None or phrases.open_words(s):  # "before too long" is open, not "before" a period
        return _period(s, _Ctx(made_on, quarters=quarters))
    rest = _strip_leading(m["rest"])
    if start := _START_RE.fullmatch(m["rest"]):  # "before the start of X": the day before X begins
        return _by_start(_strip_leading(start["rest"]), _Ctx(made_on, quarters=quarters), before=True)
    if _END_RE.match(m["rest"]):  # "before the end of X" is "by the end of X"
        return _period(rest, _Ctx(made_on, quarters=quarters))
    if timed := _TIMED_RE.fullmatch(m["rest"]):  # "before 5pm on 31 January": the words hold on 31 January itself
        inner = _period(_strip_leading(timed["x"] or timed["y"]), _Ctx(made_on, quarters=quarters))
        if inner.window.kind != "day" or inner.window.latest is None:
            raise _Problem('names a time of day before a period, not a day: write the day it falls on (e.g. "before '
                           '5pm on 31 January 2025"), or set deadline:')
        return Reading(inner.window, "before a time of day on a day (by that day: the words hold on the day itself), "
                       f"then {inner.rule}", inner.entry)
    if wrapped.names_a_deadline(rest):  # a deadline is the end of its day: "before the 31 January deadline" is by it
        inner = _period(rest, _Ctx(made_on, quarters=quarters))
        return Reading(inner.window, f"before a deadline (by its day: a deadline ends with its day), then {inner.rule}",
                       inner.entry)
    period = _period(rest, _Ctx(made_on, before=True, quarters=quarters))
    if period.window.kind == "relative" or period.window.earliest is None:
        raise _Problem(_BEFORE)
    window = _from_made_on(period.window.kind, period.window.earliest - timedelta(days=1), _Ctx(made_on))
    return Reading(window, f"before a period (to the day before it begins), then {period.rule}", period.entry)


# ---------------------------------------------------------------------------------------------
# Suggestions: correct misspelt words against the vocabulary, and offer only what reads.

_VOCAB: tuple[str, ...] = tuple(sorted({
    *_MONTHS, *_SEASONS, *_ORDINALS, *_LAST, *NUMBER_WORDS, *(w for p in _OPEN_PHRASES
                                                             for w in re.split(r"[\s-]", p)),
    "early", "mid", "late", "later", "end", "start", "beginning", "of", "the", "by", "in",
    "during", "from", "no", "not", "than", "on", "or", "before", "prior", "to", "ahead", "aim",
    "aims", "quarter", "half", "year", "years", "calendar", "financial", "this", "next",
    "current", "within", "day", "days", "week", "weeks", "fortnight", "month", "months",
    "coming", "few", "couple", "christmas", "xmas", "easter", "time", "over", "at", "and",
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "some",
    *phrases.VOCABULARY,
}))
_VOCAB_SET = frozenset(_VOCAB)
_PROPER = frozenset({*_MONTHS, "christmas", "xmas", "easter"})
_TOKEN_RE = re.compile(r"[A-Za-z]+|[^A-Za-z]+")
_ANY_DAY = date(2000, 1, 1)  # stands in for made_on when checking a suggestion's wording


def _spellings(token: str) -> list[str]:
    """The token itself, then its closest vocabulary words if it looks misspelt."""
    word = token.lower()
    if not token.isalpha() or len(token) < 3 or word in _VOCAB_SET:
        return [token]
    close = difflib.get_close_matches(word, _VOCAB, n=2, cutoff=0.75)
    return [token, *(_case_like(token, w) for w in close)]


def _case_like(original: str, word: str) -> str:
    if word in _PROPER or original[0].isupper():
        return word.capitalize()
    return word


def _reads(phrase: str, made_on: date | None) -> bool:
    try:
        _read(_normalise(phrase), made_on or _ANY_DAY)
    except (_Problem, ValueError, OverflowError, RecursionError):  # a suggestion near year 9999 is no suggestion
        return False
    return True


def _suggest(phrase: str, made_on: date | None) -> str | None:
    """The phrase with the fewest words corrected that reads, or None."""
    options = [_spellings(t) for t in _TOKEN_RE.findall(" ".join(phrase.split()).rstrip("."))]
    if sum(len(o) > 1 for o in options) > 6:
        return None
    originals = [o[0] for o in options]
    combos = itertools.product(*options)
    ranked = sorted(combos, key=lambda c: sum(a != b for a, b in zip(c, originals, strict=True)))
    for combo in ranked[1:]:
        if _reads("".join(combo), made_on):
            return "".join(combo)
    return None


def _unreadable(phrase: str, made_on: date | None, reason: str | None,
                fix: tuple[str, str] | None = None) -> UnreadableDate:
    shown = " ".join(phrase.split())
    if reason is not None and fix is not None:
        fixed = re.sub(re.escape(fix[0]), fix[1], shown, count=1, flags=re.IGNORECASE)
        return UnreadableDate(f'due "{shown}" {reason} (did you mean "{fixed}"?)', shown, fixed)
    if reason is not None:
        return UnreadableDate(f'due "{shown}" {reason}', shown)
    suggestion = _suggest(shown, made_on)
    tail = f'(did you mean "{suggestion}"?)' if suggestion else _HINT
    message = f'due "{shown}" is not a date this bot can read {tail}'
    return UnreadableDate(message, shown, suggestion)


# ---------------------------------------------------------------------------------------------
# Public surface.


def resolve(phrase: str, made_on: date | None, quarters: str = "calendar") -> Window:
    """Read a promise's own words into a window; raises UnreadableDate rather than guess.

    `made_on` (the day the promise was made) anchors phrases without a year and the start of
    relative ones ("within six months"). A datetime is taken as its date. `quarters` says how a
    quarter without a year ("Q4", "the last quarter") is read: "calendar" (Q4 = Oct-Dec, the
    default) or "financial" (Q4 = Jan-Mar); a quarter with a year reads the same either way.
    """
    return explain(phrase, made_on, quarters).window


def explain(phrase: str, made_on: date | None, quarters: str = "calendar") -> Reading:
    """As `resolve`, with how the phrase was read: the rule (or family beyond the table) that
    read it and, for Parliament's calendar, the table entry used with its source."""
    if quarters not in QUARTERS:
        raise ValueError(f"quarters must be one of {QUARTERS}, not {quarters!r}")
    day = made_on.date() if isinstance(made_on, datetime) else made_on
    return _resolve(phrase, day, quarters)


@lru_cache(maxsize=65536)
def _resolve(phrase: str, made_on: date | None, quarters: str = "calendar") -> Reading:
    if (length := len(" ".join(phrase.split()))) > MAX_PHRASE:
        raise UnreadableDate(f'due "{" ".join(phrase.split())[:60]}…" is too long to be a promised time ({length} '
                             f"characters; at most {MAX_PHRASE}): keep the sentence in a note and the time in due",
                             " ".join(phrase.split()))
    try:
        return _read(_normalise(phrase), made_on, quarters)
    except _Problem as p:
        raise _unreadable(phrase, made_on, p.reason, p.fix) from None
    except RecursionError:  # words nested past what MAX_PHRASE allows today: still a refusal, never a crash
        raise _unreadable(phrase, made_on, "nests too many words to read") from None
    except (ValueError, OverflowError):  # a year near 9999 runs off the calendar
        reason = f"is beyond the dates this bot can read (years {FIRST_DAY.year}–{LAST_DAY.year})"
        raise _unreadable(phrase, made_on, reason) from None


def _fmt(d: date) -> str:
    return f"{d.day} {_MONTH_NAMES[d.month - 1][:3]} {d.year}"


def describe(window: Window) -> str:
    """A short human reading for alerts: "31 Aug 2022", "1 Jun – 31 Aug 2022", "open-ended", and
    "31 Mar 2025, set by hand" for a deadline given with words that do not read."""
    if window.is_open or window.latest is None:
        return "open-ended"
    end = _fmt(window.latest)
    if window.kind == "manual":
        return f"{end}, set by hand"
    if window.earliest is None:
        return f"by {end}"
    if window.earliest == window.latest:
        return end
    if window.earliest.year == window.latest.year:
        return f"{_fmt(window.earliest).rsplit(' ', 1)[0]} – {end}"
    return f"{_fmt(window.earliest)} – {end}"
