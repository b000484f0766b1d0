"""The shared vocabulary of reading Whitehall time: windows, spans, why a phrase does not read.

Both readers use it: the SPEC §2.1 table (bot.when.dates) and the families beyond the table
(bot.when.phrases, with Parliament's calendar in bot.when.parliament). It lives apart so that the two
readers can share it without importing each other; it is pure and never reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from bot.when.parliament import Entry

KINDS: frozenset[str] = frozenset({
    "day", "week", "month", "season", "quarter", "half", "year", "financial-year", "relative",
    "parliament", "open",
    "manual",  # words that do not read, with a `deadline` given by hand (SPEC §2): never from a phrase
})

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# Every way a month is written ("september", "sep", "sept") → its number, and the ordinals the
# readers take ("the second quarter", "the first week of"): one table for the SPEC's and the rest.
MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
# A time of day, as officials write one beside a date ("5pm on 31 March", "31 March at 23:59", "by 12 noon
# on 1 April", "close of business on 28 February"): the date reads, the time is set aside.
TIME_OF_DAY = (r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}|(?:12\s+)?(?:midnight|noon|midday)"
               r"|close\s+of\s+business)")
NO_YEAR = "has no year and no made_on to read it against (add a year, or a made_on)"
BEFORE = 'needs a period after "before", e.g. "before autumn 2022" or "before 1 May 2023"'


@dataclass(frozen=True, slots=True)
class Window:
    """The days a promise may be kept in; `latest` is the deadline, None when open-ended.

    `earliest` is None only when a phrase runs "from when it was said" (e.g. `by Christmas
    2022`) and no `made_on` was given: the deadline is known, the start is not.
    """

    kind: str
    earliest: date | None
    latest: date | None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown window kind {self.kind!r}; expected one of {sorted(KINDS)}")

    @property
    def deadline(self) -> date | None:
        """The day after which the promise has lapsed: the generous end of the window."""
        return self.latest

    @property
    def is_open(self) -> bool:
        """True for "in due course" and friends: no deadline, so `check_in` applies."""
        return self.kind == "open"


OPEN = Window("open", None, None)


@dataclass(frozen=True, slots=True)
class Reading:
    """A window and how it was read: the rule (for `when --explain`) and, for a phrase about
    Parliament's calendar, the table entry it used (with its source)."""

    window: Window
    rule: str
    entry: Entry | None = None


class Problem(Exception):
    """Why a normalised phrase cannot be read; `reason` None means "no rule matched".
    `fix` is (a word of the phrase, the word to put instead) when the reader knows the cure,
    e.g. ("Tuesday", "Monday") for a weekday that does not match its date."""

    def __init__(self, reason: str | None = None, fix: tuple[str, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a phrase is read against. `before` reads X in "before X": the bare period X;
    `quarters` is how a quarter without a year is read ("calendar" or "financial")."""

    made_on: date | None
    before: bool = False
    quarters: str = "calendar"


Span = tuple[date, date]


def span(year: int, month: int, months: int) -> Span:
    """`months` whole calendar months starting with `month` of `year`."""
    start = date(year, month, 1)
    return start, start + relativedelta(months=months, days=-1)


def need_made_on(ctx: Ctx) -> date:
    if ctx.made_on is None:
        raise Problem(NO_YEAR)
    return ctx.made_on


def pick(build: Callable[[int], Span], year: int | None, ctx: Ctx) -> Span:
    """The period for `year`, or without one the first that ends on or after made_on.

    Reading "before X", X must instead begin after made_on, so the window is not empty.
    """
    if year is not None:
        return build(year)
    made_on = need_made_on(ctx)
    problem = Problem()
    for y in range(made_on.year - 1, made_on.year + 9):  # +9: the next 29 February
        try:
            start, end = build(y)
        except Problem as p:
            problem = p
            continue
        if (start > made_on) if ctx.before else (end >= made_on):
            return start, end
    raise problem


def long_day(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def already(what: str, bound: date, made_on: date, that: str | None, following: str | None,
            verb: str = "ended") -> str:
    """Why words naming a time already past when they were said are refused ("in the first half of
    the year" said in August): the speaker meant either that time (a deadline missed before it was
    set) or, by a slip, the next, and we cannot tell which (SPEC §2.1: never a silent guess)."""
    said = f"names {what}, which had {verb} ({long_day(bound)}) before it was said ({long_day(made_on)})"
    if that is None or following is None:
        return f"{said}: write the period with its year, or set deadline: by hand"
    return (f'{said}: write "{that}" if that was meant (its deadline had passed when it was said) or "{following}" '
            "if the next, or set deadline: by hand")


def two_digit_year(digits: str, made_on: date | None) -> int | None:
    """The year ending in the two `digits` nearest `made_on` (98 said in 1998 is 1998, 05 said in
    1998 is 2005, 30 said in 2026 is 2030; exactly fifty years either way, the later), or None
    without a made_on: the century is then unknown."""
    if made_on is None:
        return None
    yy = int(digits)
    base = made_on.year - made_on.year % 100 + yy
    return min((base - 100, base, base + 100), key=lambda y: (abs(y - made_on.year), -y))


def century_note(digits: str, year: int, made_on: date) -> str:
    """What `when --explain` says of a two-digit year it read."""
    return f"two-digit year {digits} read as {year}, the year ending {digits} nearest made_on ({made_on.year})"


def from_made_on(kind: str, latest: date, ctx: Ctx) -> Window:
    """A window that runs from when the promise was made (clamped so it is never inverted)."""
    if ctx.before:
        raise Problem(BEFORE)
    return Window(kind, None if ctx.made_on is None else min(ctx.made_on, latest), latest)
