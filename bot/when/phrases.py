"""Whitehall time beyond the SPEC §2.1 table (SPEC §2.1 "Beyond the table").

Real Hansard and GOV.UK timing language is wider than the table: "until March 2025", "by the
summer recess", "towards the end of 2023", "spring or summer 2024", "5pm on 31 March". Each
family here rewrites such a phrase into periods the table already reads, asks `sub` (the whole
reader, passed in by bot.when.dates so that this module need not import it) to read them, and
combines the answers, always to the most generous deadline. A family that does not apply
returns None; one that applies but cannot answer raises a Problem naming exactly why.

Only phrases the table refuses ever reach this module, so nothing that read before reads
differently now.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from bot.when import parliament, workdays, wrapped
from bot.when.durations import NUMBER, VAGUE_COUNTS, Duration, UnreadableDuration, parse_count, parse_duration
from bot.when.reading import (
    BEFORE,
    MONTH_NAMES,
    MONTHS,
    OPEN,
    ORDINALS,
    TIME_OF_DAY,
    Ctx,
    Problem,
    Reading,
    Window,
    already,
    century_note,
    from_made_on,
    long_day,
    need_made_on,
    pick,
    two_digit_year,
)
from bot.when.timeparts import following, full_span, label, nth_part, third, whole_months

__all__ = ["VOCABULARY", "Reader", "check_weekday", "open_words", "read"]

Reader = Callable[[str, Ctx], Reading]
Family = Callable[[re.Match[str], Ctx, Reader], "Reading | None"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_VERY = r"(?:(?:very|really|most|as|so)\s+)*"
_OPEN_WORDS = (
    r"imminent(?:ly)?", r"fullness\s+of\s+time", r"due\s+time", r"near\s+term", r"short[\s-]term",
    # a span of terms is open as each of its terms is ("medium-term" and "long-term" are open in the table)
    r"(?:short|medium)[\s-]+(?:to|and|or)[\s-]+(?:medium|long|longer)[\s-]+term",
    r"(?:the\s+)?(?:coming|next)\s+(?:(?:weeks|months)\s+and\s+)?years",
    r"(?:the\s+)?(?:(?:weeks|months)\s+and\s+)?years\s+(?:ahead|to\s+come)",
    r"(?:(?:the|an?)\s+)?(?:earliest|first|next|early)\s+(?:possible\s+|available\s+|appropriate\s+|convenient\s+"
    r"|practicable\s+|reasonable\s+)?(?:opportunity|date|stage)",
    r"not[\s-]+(?:too|so)[\s-]+(?:distant|far[\s-]+off|far[\s-]+away)[\s-]+future", r"foreseeable\s+future",
    r"before\s+(?:(?:too|very)\s+)?long", r"early\s+as\s+(?:possible|practicable|we\s+can)",
    r"(?:a\s+)?matter\s+of\s+(?:urgency|priority|some\s+urgency)", r"sooner\s+rather\s+than\s+later",
    r"some\s+(?:point|stage)(?:\s+in\s+the\s+future)?", r"(?:good\s+)?time", r"presently",
    r"(?:the\s+)?earliest\s+(?:(?:possible|available|appropriate|convenient|practicable)\s+)?(?:time|moment|point)",
    r"(?:as\s+and\s+)?when\s+(?:parliamentary|legislative)\s+time\s+(?:allows|permits)",
    r"soon\s+as\s+(?:parliamentary|legislative)\s+time\s+(?:allows|permits)",
    r"quickly\s+as\s+(?:possible|we\s+can)", r"soon\s+as\s+(?:we\s+can|it\s+is\s+(?:possible|practicable))",
    r"soon\s+as\s+practically\s+possible", r"near\s+future", r"shortly", r"soon", r"at\s+pace", r"pace",
    r"urgently", r"without\s+delay", r"forthwith", r"(?:an?\s+|the\s+)?(?:appropriate|suitable|right|opportune)\s+"
    r"(?:time|moment|point|juncture|stage)", r"(?:until|till)\s+further\s+notice", r"(?:as\s+and\s+)?when\s+"
    r"(?:the\s+time\s+is\s+right|(?:(?:it|this|that|they|we)\s+(?:is|are)\s+|it's\s+)?"
    r"(?:appropriate|necessary|required|needed|possible|practicable|ready))",
    r"as\s+and\s+when(?:\s+.+)?", r"in\s+time", r"(?:a|some)\s+(?:later|future)\s+(?:date|stage|point)",
    r"(?:a|the)?\s*(?:next|future|forthcoming|upcoming|coming)\s+(?:fiscal\s+event|budget|spending\s+review)",
    r"(?:the\s+)?(?:budget|spending\s+review|fiscal\s+event)",
)
# Words these families read, so a misspelling of one gets a suggestion (bot.when.dates).
VOCABULARY = frozenset({
    "imminent", "imminently", "fullness", "opportunity", "earliest", "possible", "available", "parliamentary",
    "legislative", "allows", "permits", "quickly", "urgently", "without", "delay", "forthwith", "indeed", "very",
    "recess", "recesses", "session", "parliament", "lifetime", "house", "rises", "statement", "budget", "fiscal",
    "event", "spending", "review", "until", "till", "up", "out", "through", "throughout", "towards", "toward",
    "middle", "turn", "new", "commencing", "period", "upcoming", "forthcoming", "tax", "latest", "sooner",
    "earlier", "between", "whitsun", "conference", "midnight", "noon", "midday", "ending", "starting",
    "after", "least", "handful", "several", "ahead", "deadline", "filing", "closing", "statutory", "convenient",
    "foreseeable", "distant", "urgency", "rather", "practicable", "presently", "point",
})
_DEVOLVED = (r"(?:scottish\s+parliament|holyrood|senedd|welsh\s+parliament|(?:(?:the\s+)?(?:welsh|national|northern\s+"
             r"ireland|ni)\s+)?assembly)")
_WHOLE_OF = (r"(?:(?:within|during|in|over|throughout|by|before|until)\s+)?(?:the\s+)?(?:(?:end|lifetime|course|life|"
             r"remainder|rest)\s+of\s+(?:the\s+)?)?")
_RECESS = "|".join(name.lower() for name in parliament.RECESS_NAMES)


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def open_words(s: str) -> bool:
    """True when the normalised phrase `s` is timing words that name no period ("in due time", "before
    too long"): read before "before X" is split off, so "before too long" is open, not before a period."""
    return _FAMILIES[0][0].fullmatch(s) is not None


def read(s: str, ctx: Ctx, sub: Reader) -> Reading | None:
    """Read the normalised phrase `s` by the first family that applies, or None."""
    for pattern, family in _FAMILIES:
        m = pattern.fullmatch(s)
        if m is not None and (reading := family(m, ctx, sub)) is not None:
            return reading
    return None


def _then(rule: str, inner: Reading, window: Window | None = None) -> Reading:
    return Reading(window or inner.window, f"{rule}, then {inner.rule}", inner.entry)


# -- open: timing words that name no period ----------------------------------------------------
def _open(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    if ctx.before:
        raise Problem(BEFORE)
    return Reading(OPEN, "beyond the table: timing words naming no period (open)")


# -- prepositions, trailing words, time of day, weekdays, older forms ---------------------------
def _strip(family: str) -> Family:
    def read_rest(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
        return _then(f"beyond the table: {family}", sub(m["x"], ctx))
    return read_rest


def _strip_to(words: str, family: str) -> Family:
    def read_as(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
        return _then(f"beyond the table: {family}", sub(words, ctx))
    return read_as


def _weekday(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    inner = sub(m["x"], ctx)
    day = inner.window.latest
    if inner.window.kind != "day" or day is None or inner.window.earliest != day:
        return None
    return _then("beyond the table: weekday checked against the date", inner, check_weekday(m["wd"], day))


def check_weekday(named: str, day: date) -> Window:
    """The day's window when `named` is its weekday; otherwise a Problem with the right one."""
    actual = _WEEKDAYS[day.weekday()]
    if named.lower() == actual:
        return Window("day", day, day)
    raise Problem(f"names the wrong weekday: {day.day} {day:%B %Y} is a {actual.capitalize()}",
                  (named, actual.capitalize()))


def _day_of(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    return _then("beyond the table: an older form (the 31st day of March)", sub(f"{m['d']} {m['x']}", ctx))


# -- fiscal events: the day from the shipped table, else the usual window of its season ------------
_FISCAL = {  # the words → (the kinds of event they name, the months they fall in, the season of a usual window)
    "autumn statement": (("Autumn Statement", "Pre-Budget Report"), range(9, 13), "autumn"),
    "pre-budget report": (("Pre-Budget Report", "Autumn Statement"), range(9, 13), "autumn"),
    "autumn budget": (("Budget",), range(9, 13), "autumn"),
    "spring statement": (("Spring Statement",), range(1, 6), "spring"),
    "spring budget": (("Budget",), range(1, 6), "spring"),
    "summer budget": (("Budget",), range(6, 9), "summer"),  # 2015's only: none other is called so, so no usual window
    "summer statement": (("Summer Statement",), range(6, 9), "summer"),  # 2020's only (8 July): as the Summer Budget
    "budget": (("Budget",), range(1, 13), ""),
    "spending review": (("Spending Review",), range(1, 13), ""),
}


def _usual_fiscal(season: str, year: int) -> tuple[date, date]:
    """The season, widened to the last day any event of that season fell on in the table (the
    Autumn Statement fell as late as 10 December): never earlier than the words allow."""
    first, end = _season_of(season, year)
    months = range(9, 13) if season == "autumn" else range(1, 6)
    seen = [e.first for e in parliament.fiscal_events() if e.first.month in months and e.house != "Growth Plan"]
    latest = max((d.replace(year=year) for d in seen), default=end)
    return first, max(end, latest)


def _others(found: tuple[parliament.Entry, ...]) -> str:
    """A year of two events the words could each mean (Spring and Autumn Budget 2017, the March and
    the emergency June Budget 2010) reads to the later, the most generous (SPEC §2.1), and says which
    others the words could mean, so the choice is never silent."""
    if len(found) < 2:
        return ""
    others = ", ".join(f"the {e.name} ({e.first.isoformat()})" for e in found[:-1])
    return (f" (the later of {len(found)} that year, the most generous reading; the words could also mean "
            f"{others})")


def _held(row: parliament.Entry, found: tuple[parliament.Entry, ...], season: str, before: bool) -> Reading:
    """An event the table holds. Words that name an event of a season (the Spring Statement, the
    Autumn Budget, the Pre-Budget Report) read as that season, widened to the day the event fell if later (SPEC §2.1: "a named fiscal event
    reads as its season"), the most generous reading: a promise "by the Spring Statement" has not
    lapsed while it is still spring. --explain still names the table's row and its day. `before`
    the event keeps the day (the day before the event is later than the day before spring)."""
    said = f"fiscal calendar: the {row.name}{_others(found)}"
    if not season or before:
        return Reading(Window("day", row.first, row.first), said, row)
    first, end = _season_of(season, row.first.year)
    return Reading(Window("season", first, max(end, row.first)),
                   f"{said}, held {row.first.isoformat()}; read as its season, {season} {row.first.year}, the most "
                   "generous reading (SPEC §2.1)", row)


def _season_of(season: str, year: int) -> tuple[date, date]:
    if season == "summer":
        return date(year, 6, 1), date(year, 8, 31)
    return (date(year, 9, 1), date(year, 11, 30)) if season == "autumn" else (date(year, 3, 1), date(year, 5, 31))


def _fiscal(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    words = " ".join(m["event"].split())
    kinds, months, season = _FISCAL[words]
    year = m["y"] or m["y0"]
    if year is None and not season:
        return None  # "the Budget", "the next Spending Review": open (SPEC §2.1)
    for y in [int(year)] if year else [need_made_on(ctx).year, need_made_on(ctx).year + 1]:
        found = parliament.fiscal_events_of(kinds, y, months)
        if words == "summer budget":  # not the emergency June Budget 2010: only the one called so
            found = tuple(e for e in found if "Summer Budget" in e.name)
        if found:
            row = found[-1]
            if year or (row.first > ctx.made_on if ctx.before else row.first >= ctx.made_on):  # type: ignore[operator]
                return _held(row, found, season, ctx.before)
            continue
        if not season or season == "summer":
            raise Problem(f"is beyond the fiscal calendar table: no {words.title()} of {y} is in bot/when/calendars/"
                          "fiscal_events.csv; set deadline: by hand")
        first, last = _usual_fiscal(season, y)
        usual = (f"fiscal calendar: the {words} of {y} is not in the table, so its usual window ({season}, to the "
                 "latest day such an event fell on)")
        if ctx.before:  # the event may fall on any day of its usual window: before it is before the latest such day
            if year or last > ctx.made_on:  # type: ignore[operator]
                return Reading(Window("season", last, last), f"{usual}: the event may fall as late as the latest day of "
                               f"its usual window ({long_day(last)}), not a fact")
            continue
        if year or last >= ctx.made_on:  # type: ignore[operator]
            return Reading(Window("season", first, last), f"{usual}, not a fact")
    return None


# -- Parliament's calendar ------------------------------------------------------------------------
def _recess(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """A recess from the shipped table, both Houses' rows read to the more generous for what the words
    ask: the later end for the recess itself ("by", "during the summer recess"), the later start for
    the day before it and for the day the House rises ("before the summer recess", "the House rises
    for the summer"), which is then the first rising day on or after made_on."""
    name = next(n for n in parliament.RECESS_NAMES if n.lower() == m["name"])
    rises = bool(m.groupdict().get("rises"))
    try:
        entry = parliament.recess(name, need_made_on(ctx) if not m["y"] else date(int(m["y"]), 1, 1),
                                  ctx.before or rises, int(m["y"]) if m["y"] else None, unannounced=True)
    except parliament.OutsideTable as e:
        raise Problem(f"is beyond the Parliament calendar table: {e}") from None
    assert entry.last is not None
    if rises and ctx.before:  # before the House rises: by the day it rises, its last sitting day
        return Reading(Window("parliament", entry.first, entry.first), "Parliament calendar: the recess the House rises "
                       "for, which begins the day after it rises (its last sitting day)", entry)
    if rises:
        day = entry.first - timedelta(days=1)
        return Reading(from_made_on("parliament", day, ctx), "Parliament calendar: the day the House rises (the "
                       "later House's)", entry)
    return Reading(Window("parliament", entry.first, entry.last), "Parliament calendar: a recess (to its last day)",
                   entry)


def _session(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    try:
        entry = parliament.session(need_made_on(ctx))
    except parliament.OutsideTable as e:
        raise Problem(f"is beyond the Parliament calendar table: {e}") from None
    assert entry.last is not None
    return Reading(from_made_on("parliament", entry.last, ctx), f"Parliament calendar: the end of this session{_UK_SESSION}",
                   entry)


# A phrase names no Parliament, and the reader cannot see whose promise it is: "this session" and "this
# Parliament" are read as Westminster's (SPEC §2.1 names them as Parliament's calendar), and --explain says
# so with what a devolved government's promise needs (README "Whitehall time").
_UK_SESSION = ("; read as the UK Parliament's session (Westminster's): the Scottish Parliament calls its whole "
               "five-year term a session, so a devolved Parliament's session would end later: for a devolved "
               "government's promise, set deadline:")
_UK_PARLIAMENT = ("; read as the UK Parliament (Westminster): a devolved Parliament's or Assembly's term ends at "
                  "another time: for a devolved government's promise, set deadline:")


def _parliament(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    try:
        entry = parliament.parliament(need_made_on(ctx))
    except parliament.OutsideTable as e:
        raise Problem(f"is beyond the Parliament calendar table: {e}") from None
    assert entry.last is not None
    how = entry.note if entry.source != parliament.DCPA_SOURCE else "its latest lawful dissolution, DCPA 2022 s.4"
    return Reading(from_made_on("parliament", entry.last, ctx),
                   f"Parliament calendar: the end of this Parliament ({how}){_UK_PARLIAMENT}", entry)


# -- the new year, the turn of the year, weeks ----------------------------------------------------
def _new_year(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"In the new year" (SPEC §2.1: to the end of March). "Early in the new year" and "at the start of
    the new year" say the same: the new year is already its early part, so a third of it would read
    earlier than the words themselves ("by the start of the new year" is still 1 January)."""
    start, end = pick(lambda y: (date(y, 1, 1), date(y, 3, 31)), None, ctx)
    part = " (its start or early part is the new year itself)" if m["part"] else ""
    return Reading(Window("month", start, end), f"{_NEW_YEAR} (to the end of March){part}")


_NEW_YEAR = "beyond the table: the new year"
_PART_OF_NEW_YEAR = ('names a part of "the new year", itself a loose time read as January to March: its end or middle '
                     "may mean the end or middle of next year, months later; write the month or the year meant (e.g. "
                     '"by the end of March 2026" or "by the end of 2026")')


def _end_of_new_year(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"By the end of the new year": the end of January to March, or of next year? Refused (`_part_of`)."""
    raise Problem(_PART_OF_NEW_YEAR)


def _turn_of_year(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    start, end = pick(lambda y: (date(y - 1, 12, 1), date(y, 1, 31)), None, ctx)
    return Reading(Window("month", start, end), "beyond the table: the turn of the year (to the end of January)")


def _week(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    made_on = need_made_on(ctx)
    sunday = made_on + timedelta(days=6 - made_on.weekday())
    if m["which"] in ("next", "coming"):  # "the coming week" said on a Wednesday runs past this Sunday
        return Reading(Window("week", sunday + timedelta(days=1), sunday + timedelta(days=7)),
                       f"beyond the table: {m['which']} week (next week, Monday to Sunday)")
    return Reading(from_made_on("week", sunday, ctx), "beyond the table: this week (to Sunday)")


_NAMED_DAY = re.compile(rf"(?P<wd>{'|'.join(_WEEKDAYS)}),?\s+(?:the\s+)?(?P<x>.+)")


def _week_of(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"The week commencing 21 October", "w/c Monday 21 November 2011": seven days from that day.
    In Whitehall a week commences on a Monday (business statements, GOV.UK), so a day that is not
    a Monday is refused, naming the Mondays either side, rather than read as a week that no
    timetable uses."""
    named = _NAMED_DAY.fullmatch(m["x"])
    inner = sub(named["x"] if named else m["x"], ctx)
    start = inner.window.earliest
    if inner.window.kind != "day" or start is None:
        return None
    actual = _WEEKDAYS[start.weekday()]
    if start.weekday() != 0 or (named and named["wd"] != actual):
        head = "w/c" if m[0].startswith("w") and not m[0].startswith("week") else f"the week {m['verb']}"
        monday = start - timedelta(days=start.weekday())
        mondays = sorted({monday, monday + timedelta(days=7)} if start.weekday() else {start},
                         key=lambda d: abs((d - start).days))
        written = " or ".join(f'"{head} {"Monday " if named else ""}{d.day} {d:%B %Y}"' for d in mondays)
        day = f"{start.day} {start:%B %Y}"
        if named and named["wd"] != actual:
            why = f"names the wrong weekday: {day} is a {actual.capitalize()}"
            why += ", and a week commences on a Monday" if start.weekday() else ""
        else:
            why = f"names a week commencing on a {actual.capitalize()}: a week commences on a Monday"
        raise Problem(f"{why} (write {written})")
    return _then("beyond the table: the week commencing a day (seven days from that Monday)", inner,
                 Window("week", start, start + timedelta(days=6)))


def _within(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    return _then("beyond the table: within weeks/months, as the coming weeks/months", sub(f"coming {m['unit']}", ctx))


# -- vague quantities: each the largest count the words can mean (bot.when.durations.VAGUE_COUNTS) ---------
def _vague(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"A couple of weeks" is two weeks, "a few months" at most four: never "the coming weeks"
    (seven weeks later than "a couple of weeks" says, the one wrong reading issue 25 found)."""
    words = " ".join(m["q"].split())
    count, unit = VAGUE_COUNTS[words], m["unit"].rstrip("s")
    made_on = need_made_on(ctx)
    return Reading(Window("relative", made_on, parse_duration(f"{count} {unit}s").after(made_on)),
                   f'beyond the table: a vague count ("{words}" {unit}s = {count} {unit}s, README "Whitehall time")')


def _ahead(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"The weeks ahead" and "the months ahead" are the coming weeks and months; "the year ahead"
    and "the coming year" the twelve months from made_on."""
    if m["unit"] in ("weeks", "months"):
        return _then("beyond the table: the weeks/months ahead, as the coming weeks/months", sub(f"coming {m['unit']}", ctx))
    made_on = need_made_on(ctx)
    return Reading(Window("relative", made_on, Duration(months=12).after(made_on)),
                   "beyond the table: the year ahead (the twelve months from made_on)")


def _weekday_day(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Tuesday 18", as a business statement lists next week's days: the first day numbered 18 on
    or after made_on, checked against the weekday (a weekday it is not is an error, not a search
    for a later month whose 18th falls on a Tuesday)."""
    made_on, n = need_made_on(ctx), int(m["d"])
    if not 1 <= n <= 31:
        raise Problem(f"is not a real date: no month has a day {n}")
    year, month = made_on.year, made_on.month
    while True:
        if n <= calendar.monthrange(year, month)[1] and (day := date(year, month, n)) >= made_on + timedelta(
                days=1 if ctx.before else 0):
            return Reading(check_weekday(m["wd"], day), "beyond the table: a weekday and a day of the month (the next "
                           "such day, its weekday checked)")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _no_later_bound(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    raise Problem('names the earliest it may happen ("after", "at least", "not before", "at the earliest"), not a '
                  "deadline; set deadline: by hand if the promise has one")


def _devolved(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    raise Problem("names a devolved legislature's session or term (the Scottish Parliament calls its whole five-year "
                  "term a session): the calendars hold Westminster's sessions and Parliaments only; set deadline: by "
                  "hand")


def _term(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    raise Problem("names the term of a legislature or government: the calendar holds Westminster's Parliaments only "
                  '(read as "this Parliament"), and a devolved Parliament\'s or Assembly\'s term is not in it; set '
                  "deadline: by hand")


# -- short relatives: today, tonight, tomorrow, next Tuesday, next spring ----------------------------
def _today(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    day = need_made_on(ctx) + timedelta(days=1 if m["when"] == "tomorrow" else 0)
    return Reading(from_made_on("day", day, ctx), f"beyond the table: {m['when']} (the day it names)")


def _next_weekday(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Next Tuesday": the Tuesday of the week after the one made_on falls in (weeks run Monday
    to Sunday), the later of the two days the words can mean, so never too early. Said at the
    weekend, the coming week's Tuesday is "this Tuesday" to many (its week has begun for those whose
    weeks start on Sunday, and is all that is left of this one for the rest), so "next Tuesday" may
    be the Tuesday after it: the later, as "by Friday" said on a Friday is never read as that day.
    A weekend day named at the weekend ("next Saturday" said on a Saturday) is next week's."""
    made_on, wd = need_made_on(ctx), _WEEKDAYS.index(m["wd"])
    monday = made_on - timedelta(days=made_on.weekday()) + timedelta(days=7)
    if made_on.weekday() >= 5 and wd < 5:
        day = monday + timedelta(days=7 + wd)
        return Reading(Window("day", day, day), "beyond the table: next <weekday> said at the weekend (the coming "
                       f"week's, {long_day(day - timedelta(days=7))}, is also \"this {m['wd'].capitalize()}\": the "
                       "one after, the later of the two the words can mean)")
    day = monday + timedelta(days=wd)
    return Reading(Window("day", day, day), "beyond the table: next <weekday> (that day in the following week)")


def _next_season(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Next summer": the summer of the year after the one "this summer" names (the year it is said
    in; for winter said in January or February, the winter under way), said before, during or after
    it. Said in May, "next summer" could mean the coming one or the one after: the later is the
    most generous reading (SPEC §2.1), and it was read as the coming one, the same as "this summer"."""
    made_on, season = need_made_on(ctx), m["x"]
    this = made_on.year - (1 if season == "winter" and made_on.month < 3 else 0)
    inner = sub(f"{season} {this + 1}", ctx)
    return _then(f'beyond the table: next <season>: {season} {this + 1}, the {season} of the year after the one "this '
                 f'{season}" names ({season} {this}), the most generous reading', inner)


def _season_part(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.kind != "season" or w.earliest is None or w.latest is None:
        return None
    which = {"early": 0, "mid": 1, "late": 2}[m["part"]]
    inner, (start, end), note = _part_of(inner, m["x"], ctx, sub, lambda a, b: third(a, b, which), m["part"])
    return _then(f"beyond the table: {m['part']} in a season (a third of it){note}", inner, Window("season", start, end))


def _early_in(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"Early in 2012", "late in the year": the start or end third, as "early 2012" reads."""
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.is_open or w.earliest is None or w.latest is None or w.kind == "relative":
        return None
    which = 0 if m["part"] == "early" else 2
    inner, (start, end), note = _part_of(inner, m["x"], ctx, sub, lambda a, b: third(a, b, which), f"{m['part']} in")
    return _then(f"beyond the table: {m['part']} in a period{note}", inner, Window(inner.window.kind, start, end))


Cut = Callable[[date, date], "tuple[date, date] | None"]


def _part_of(inner: Reading, words: str, ctx: Ctx, sub: Reader, cut: Cut,
             part: str) -> tuple[Reading, tuple[date, date], str]:
    """The part `cut` of the period `inner` (read from `words`), with what --explain adds. A part
    already over when it was said is the matched period's only if the words gave its year ("the
    first half of 2024" said in August reads as written). Named without one ("the start of spring"
    said in April), the matching period is the part, so it is the first such part that ends on or
    after made_on: next spring's start (SPEC §2.1). Of this year, month or financial year ("in the
    first half of the year" said in August), the words name a time already past: refused, naming
    both readings, as "this summer" said in September is."""
    if inner.rule.startswith(_NEW_YEAR):  # "the middle of the new year": Jan–Mar's middle, or next year's?
        raise Problem(_PART_OF_NEW_YEAR)
    w = inner.window
    assert w.earliest is not None and w.latest is not None
    whole = full_span(w.kind, w.earliest, w.latest)
    found = cut(*whole)
    if found is None:
        raise _NoPart
    made_on = ctx.made_on
    if made_on is None or not ((found[0] <= made_on) if ctx.before else (found[1] < made_on)):
        return inner, found, ""
    if not (w.earliest == made_on and whole[0] < made_on):  # not "this year" (read from made_on)
        try:
            later: Reading | None = sub(words, replace(ctx, made_on=whole[1] + timedelta(days=1)))
        except Problem:
            later = None  # "this summer" once summer is over
        lw = later.window if later is not None else OPEN
        if later is not None and lw.earliest is not None and lw.latest is not None and not lw.is_open:
            next_whole = full_span(lw.kind, lw.earliest, lw.latest)
            if next_whole == whole:
                return inner, found, ""  # the words gave the year: as written
            next_found = cut(*next_whole)
            if next_found is not None and next_whole[0] > whole[0]:
                was = label(w.kind, *whole)
                return later, next_found, f" (the first that ends on or after made_on{f'; that of {was} had ended' if was else ''})"
    this, nxt = label(w.kind, *whole), label(w.kind, *following(w.kind, *whole))
    bound, verb = (found[0], "begun") if ctx.before else (found[1], "ended")
    raise Problem(already(f"{part} {this}" if this else f"{part} {words}", bound, made_on,
                          f"{part} {this}" if this else None, f"{part} {nxt}" if this and nxt else None, verb))


class _NoPart(Exception):
    """The period does not divide into the part named (a half of a 5-month span)."""


def _this_month(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    return _then("beyond the table: the month (this month)", sub("this month", ctx))


# -- financial-year shapes --------------------------------------------------------------------------
def _fy_short(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    y1 = int(m["y1"])
    if int(m["y2"]) != (y1 + 1) % 10:
        return None
    return _then("beyond the table: a financial year written 2023/4", sub(f"{y1}-{(y1 + 1) % 100:02d}", ctx))


def _fy_two_digits(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"29/30": a financial year written with two two-digit years, read only when it cannot be a
    day and month (the second is past 12) and the second follows the first."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y1 < 13 or y2 != y1 + 1:
        return None
    year = two_digit_year(m["y1"], ctx.made_on)
    if year is None or ctx.made_on is None:
        return _then("beyond the table: a financial year written 29/30", sub(f"20{m['y1']}-{m['y2']}", ctx))
    return _then(f"beyond the table: a financial year written 29/30, its {century_note(m['y1'], year, ctx.made_on)}",
                 sub(f"{year}-{m['y2']}", ctx))


def _years(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"2024–2027", "2024-2025", "2024 to 2025": a span of calendar years, to the end of the later. Two
    years in a row written in full may be a financial year (to 31 March), an academic year (to 31
    August) or the two calendar years: the last is the most generous reading (SPEC §2.1), and --explain
    names the others. "2024-25", "2024/2025" and words that say so ("FY", "financial year", "tax year")
    stay financial or tax years (the table); "2022-24" is refused, perhaps a typo for 2022-23."""
    y1, y2 = int(m["y1"]), int(m["y2"])
    if not y1 + 1 <= y2 <= y1 + 100:
        return None
    if y2 == y1 + 1:
        return Reading(Window("year", date(y1, 1, 1), date(y2, 12, 31)),
                       f"beyond the table: two calendar years, to the end of {y2}, the most generous reading (as a "
                       f"financial year it would end 31 March {y2}, as an academic year 31 August {y2}: write "
                       f'"{y1}-{y2 % 100:02d}" or "financial year {y1}-{y2 % 100:02d}" for the financial year)')
    return Reading(Window("year", date(y1, 1, 1), date(y2, 12, 31)), "beyond the table: a span of calendar years")


def _fy_ending(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    y = int(m["y"])
    return _then("beyond the table: the financial year ending in March", sub(f"{y - 1}-{y % 100:02d}", ctx))


def _winter_short(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    y1 = int(m["y1"])
    if int(m["y2"]) != (y1 + 1) % 10:
        return None
    return _then("beyond the table: a winter written 2023/4", sub(f"winter {y1}", ctx))


# -- parts of periods ---------------------------------------------------------------------------------
_START = ("start", "beginning", "outset", "early part", "first part", "early stages", "early months", "early")
_MIDDLE = ("middle", "mid", "middle part")


def _part(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.is_open or w.earliest is None or w.latest is None:
        return None
    words = " ".join(m["part"].split()).removeprefix("the ").removeprefix("very ")
    which = 0 if words in _START else 1 if words in _MIDDLE else 2
    named = ("the start", "the middle", "the end")[which]
    inner, (start, end), note = _part_of(inner, m["x"], ctx, sub, lambda a, b: third(a, b, which), f"the {words} of")
    return _then(f"beyond the table: {named} of a period{note}", inner, Window(inner.window.kind, start, end))


def _later_in(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    inner = sub(m["x"], ctx)
    if inner.window.latest is None or inner.window.is_open:
        return None
    return _then("beyond the table: later in a period (from made_on)", inner,
                 from_made_on(inner.window.kind, inner.window.latest, ctx))


def _nth(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.is_open or w.earliest is None or w.latest is None:
        return None
    parts = 4 if m["unit"] == "quarter" else 2
    n = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(m["ord"], parts)
    try:
        inner, found, note = _part_of(inner, m["x"], ctx, sub, lambda a, b: nth_part(a, b, n, parts),
                                      f"the {m['ord']} {m['unit']} of")
    except _NoPart:
        return None
    return _then(f"beyond the table: a {m['unit']} of a period{note}", inner, Window(inner.window.kind, *found))


# -- spans named by their length: "the 12 months to September 2023", "for 3 years from 15 July 2025" --
def _length(m: re.Match[str]) -> Duration | None:
    try:
        return parse_duration(m["n"])
    except UnreadableDuration:
        return None


def _ending(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    length, inner = _length(m), sub(m["x"], ctx)
    if length is None or inner.window.latest is None or inner.window.is_open or inner.window.kind == "relative":
        return None
    end = inner.window.latest
    return _then("beyond the table: a length of time ending with a period", inner,
                 Window(inner.window.kind, length.before(end) + timedelta(days=1), end))


def _starting(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"For 3 years from 15 July 2025" runs from that day; "for six months from May" from the
    first day of May (the start of the period named), for the length given."""
    length, inner = _length(m), sub(m["x"], ctx)
    w = inner.window
    if length is None or w.earliest is None or w.latest is None or not (w.kind == "day" or _whole(w, m["x"])):
        return None
    start = w.earliest
    what = "a day" if w.kind == "day" else "the start of a period"
    return _then(f"beyond the table: a length of time from {what}", inner,
                 Window("relative", start, length.after(start) - timedelta(days=1)))


def _whole(w: Window, words: str) -> bool:
    """True when `w` is a whole named period (May, 2025, Q3 2025, spring) read from its first day:
    not a part of one ("the end of March", "mid-May", which the table may read as the whole
    month), nor one cut to begin at made_on ("this year"), nor a recess; from those, "N months
    from" would start too early."""
    assert w.earliest is not None and w.latest is not None
    return (whole_months(w.earliest, w.latest) is not None and full_span(w.kind, w.earliest, w.latest)[0] == w.earliest
            and re.search(r"\b(?:end|close|late|later|mid|middle|towards)\b|-", words) is None)


def _day_range(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    first, last = sub(f"{m['d1']} {m['tail']}", ctx), sub(f"{m['d2']} {m['tail']}", ctx)
    if first.window.earliest is None or last.window.latest is None or first.window.earliest > last.window.latest:
        return None
    return _then("beyond the table: a range of days in one month", last,
                 Window("day", first.window.earliest, last.window.latest))


def _tax_year(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    y1, y2 = int(m["y1"]), int(m["y2"])
    if y2 % 100 != (y1 + 1) % 100:
        return None
    return Reading(Window("financial-year", date(y1, 4, 6), date(y1 + 1, 4, 5)),
                   "beyond the table: a tax year (6 April to 5 April)")


def _upcoming(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"The upcoming winter": the next one to begin, even said in the last weeks of autumn."""
    inner = sub(m["x"], replace(ctx, before=True))
    return _then("beyond the table: the upcoming season (the next to begin)", inner)


# -- issue 25 review: weekdays, hours, working days, weeks of a month, next <month>, feasts, decades ---------
def _weekday_alone(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"By Friday", "on Thursday", "this Friday": the next such day after made_on. Said on that very
    weekday, the words could mean that day or the same day a week later, and we cannot tell which:
    refused, naming both."""
    made_on, wd = need_made_on(ctx), _WEEKDAYS.index(m["wd"])
    ahead = (wd - made_on.weekday()) % 7
    name = m["wd"].capitalize()
    if ahead == 0:
        week_on = made_on + timedelta(days=7)
        raise Problem(f"names {name}, and it was said on a {name} ({long_day(made_on)}): write "
                      f'"{long_day(made_on)}" if that day was meant or "{long_day(week_on)}" if the next, or set '
                      "deadline: by hand")
    day = made_on + timedelta(days=ahead)
    return Reading(Window("day", day, day), f"beyond the table: a weekday ({name}, the next after made_on)")


def _hours(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Within 48 hours": to the end of the day they run out on, whatever the hour it was said (48
    hours from 11pm on a Wednesday end late on Friday), so whole days, rounded up."""
    n, made_on = parse_count(m["n"]), need_made_on(ctx)
    assert n is not None  # the regex only admits numbers parse_count reads
    days = -(-n // 24)
    return Reading(Window("relative", made_on, made_on + timedelta(days=days)),
                   f"beyond the table: {n} hour{'s' if n != 1 else ''}, to the end of the day they run out on (made_on + {days} "
                   f"day{'s' if days != 1 else ''}, whatever the hour it was said)")


def _working_days(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Within 20 working days", "within 15 business days": the Nth working day after made_on,
    Monday to Friday and not a bank holiday of England and Wales (bot/when/workdays.py)."""
    n, made_on = parse_count(m["n"]), need_made_on(ctx)
    assert n is not None
    try:
        day, skipped = workdays.add_working_days(made_on, n, "england-and-wales")
    except workdays.OutsideCalendar as e:
        raise Problem(f"counts working days past the bank holidays table: {e}; set deadline: by hand") from None
    holidays = "; skipped: " + ", ".join(f"{name} ({d.isoformat()})" for d, name in skipped) if skipped else ""
    return Reading(Window("relative", made_on, day), f"beyond the table: {n} working days after made_on (Monday to "
                   f"Friday, not the bank holidays of England and Wales{holidays})")


def _week_of_month(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"The first week of January": the week (Monday to Sunday) that begins on the first Monday of the
    month, the latest week the words can mean (if 1 January is a Wednesday, the week of 1-5 January
    or the first whole week, 6-12: the later), and the Nth week on the Nth Monday."""
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.kind != "month" or w.is_open or w.earliest is None or w.latest is None:
        return None
    n = ORDINALS[m["ord"]]

    def cut(start: date, end: date) -> tuple[date, date] | None:
        if whole_months(start, end) != 1:
            return None
        monday = start + timedelta(days=(7 - start.weekday()) % 7 + 7 * (n - 1))
        return monday, monday + timedelta(days=6)

    try:
        inner, (start, end), note = _part_of(inner, m["x"], ctx, sub, cut, f"the {m['ord']} week of")
    except _NoPart:
        return None
    return _then(f"beyond the table: the {m['ord']} week of a month (Monday to Sunday, from its "
                 f"{'first' if n == 1 else m['ord']} Monday){note}", inner, Window("week", start, end))


_MONTH_WORDS = {written: MONTH_NAMES[n - 1] for written, n in MONTHS.items()}  # "sept" → "September"


def _next_month_name(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Next April": the April of the year after the one it was said in. Said in November it can
    only be that one; said in February it may also mean the coming April: the later is the most
    generous reading (SPEC §2.1), as "next summer" reads."""
    made_on, month = need_made_on(ctx), _MONTH_WORDS[m["month"]]
    inner = sub(f"{m['month']} {made_on.year + 1}", ctx)
    return _then(f"beyond the table: next <month>: {month} {made_on.year + 1}, the {month} of the year after the one "
                 "it was said in, the most generous reading", inner)


_FEASTS = {"christmas": "Christmas", "xmas": "Christmas", "easter": "Easter"}


def _over_feast(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"Over Christmas", "during Easter": the holiday, not its one day: Christmas to Boxing Day (26
    December), Easter to Easter Monday, both bank holidays. ("By Christmas" is still Christmas Day.)"""
    christmas = m["feast"] in ("christmas", "xmas")

    def build(y: int) -> tuple[date, date]:
        day = date(y, 12, 25) if christmas else easter(y)
        return day, day + timedelta(days=1)

    first, last = pick(build, int(m["y"]) if m["y"] else None, ctx)
    until = "Boxing Day, 26 December" if christmas else "Easter Monday"
    return Reading(Window("day", first, last), f"beyond the table: over/during {_FEASTS[m['feast']]}, to {until}")


_FIXED_DAYS = {"hogmanay": (12, 31, "Hogmanay"), "eve": (12, 31, "New Year's Eve"),
               "andrew": (11, 30, "St Andrew's Day"), "david": (3, 1, "St David's Day"),
               "patrick": (3, 17, "St Patrick's Day"), "george": (4, 23, "St George's Day")}


def _fixed_day(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"By Hogmanay", "by St David's Day 2025": the day of the year they name."""
    month, day, name = _FIXED_DAYS[m["saint"] or ("hogmanay" if m["day"] == "hogmanay" else "eve")]
    first, last = pick(lambda y: (date(y, month, day), date(y, month, day)), int(m["y"]) if m["y"] else None, ctx)
    window = Window("day", first, last) if ctx.before or m["y"] else from_made_on("day", last, ctx)
    return Reading(window, f"beyond the table: {name} ({day} {MONTH_NAMES[month - 1]})")


def _decade_of(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"The decade", "this decade": said in 2021 it may be the 2020s (to 2029) or the ten years to 2030,
    the year most "by the end of the decade" targets name (the 2030 end of new petrol cars): the later
    is the most generous reading (SPEC §2.1). So it runs to the end of the next year ending in 0."""
    made_on = need_made_on(ctx)
    end = (made_on.year // 10 + 1) * 10
    return Reading(Window("year", date(end - 9, 1, 1), date(end, 12, 31)),
                   f"beyond the table: the decade, to the end of {end} (the {end - 10}s end with {end - 1}; counted "
                   f"to {end}, the year its end is said of, it ends later: the most generous reading)")


def _fiscal_year(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"Fiscal year 2023-24": the words may name the financial year (to 31 March) or the tax year (to
    5 April), as the Treasury and HMRC each use them: to 5 April, the later, the most generous reading."""
    y1, y2 = int(m["y1"] or m["z1"]), int(m["y2"] or m["z2"])
    if y2 % 100 != (y1 + 1) % 100:
        return None
    return Reading(Window("financial-year", date(y1, 4, 1), date(y1 + 1, 4, 5)),
                   f"beyond the table: a fiscal year, to 5 April {y1 + 1}: the words may name the financial year (to 31 "
                   "March) or the tax year (to 5 April), and the later is the most generous reading")


_QUARTER_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}


def _numbered_part(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"Q1 of the next financial year", "H2 of this financial year": as "the first quarter of …"."""
    unit = "quarter" if m["unit"] in ("q", "quarter") else "half"
    if unit == "half" and m["n"] not in ("1", "2"):
        return None
    words = f"the {_QUARTER_WORDS[m['n']]} {unit} of the {m['x']}"
    return _then(f"beyond the table: {m['unit'].upper() if len(m['unit']) == 1 else 'quarter '}{m['n']} of a period, "
                 f"as the {_QUARTER_WORDS[m['n']]} {unit} of it", sub(words, ctx))


# -- ranges: "six to eight weeks", "a week or two", "July-August 2024", "the 2020s" ---------------------
_MONTH_OR_SEASON = "|".join(sorted({*MONTHS, "spring", "summer", "autumn", "winter"}, key=len, reverse=True))


def _count_range(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"Within six to eight weeks", "3-6 months", "a week or two": the longer, the most generous
    reading (SPEC §2.1); a range that runs backwards ("eight to six weeks") is no range."""
    unit = m["unit"].rstrip("s")
    try:
        shorter, longer = parse_duration(f"{m['a']} {unit}s"), parse_duration(f"{m['b']} {unit}s")
    except UnreadableDuration:
        return None
    made_on = need_made_on(ctx)
    if not shorter.after(made_on) < longer.after(made_on):
        return None
    return Reading(Window("relative", made_on, longer.after(made_on)),
                   f"beyond the table: a range of {unit}s, to the longer ({m['b']} {unit}s)")


def _hyphened(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    """"July-August 2024", "Jul-Sep 2024": X – Y (SPEC §2.1), written without spaces."""
    return _then("beyond the table: X-Y, as X to Y", sub(f"{m['a']} to {m['b']}{m['rest'] or ''}", ctx))


def _decade(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading:
    first = int(m["decade"])
    return Reading(Window("year", date(first, 1, 1), date(first + 9, 12, 31)),
                   f"beyond the table: a decade (the {first}s: {first} to {first + 9})")


def _thirds(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """"Early next month", "late this month": the first or last third, as "early August" reads."""
    inner = sub(m["x"], ctx)
    w = inner.window
    if w.is_open or w.earliest is None or w.latest is None:
        return None
    which = {"early": 0, "mid": 1, "late": 2}[m["part"]]
    inner, (start, end), note = _part_of(inner, m["x"], ctx, sub, lambda a, b: third(a, b, which), m["part"])
    return _then(f"beyond the table: {m['part']} in a period{note}", inner,
                 Window(inner.window.kind, max(start, ctx.made_on or start), end))


# -- compound periods ---------------------------------------------------------------------------------
_YEAR_TAIL = re.compile(r"\s(?P<y>\d{4}(?:\s*[-/]\s*\d{2,4})?|(?:this|next)\s+year)$")
# Y that carries its own year ("2024", "next year", "this autumn") is read against made_on, not
# against the start of X: "late February or early March next year" said in December 2005 is
# March 2006, not 2007 (the one wrong reading in the corpus added for issue 25).
_ANCHORED = re.compile(r"\d|\b(?:this|next|current|coming)\b")


# Real compounds join two or three periods ("April, May or June 2025" has two "or"-like joins);
# more than this many is no promised time, and reading it would take time exponential in the joins.
_MOST_SEPARATORS = 4
_SEPARATOR = re.compile(r"\s+(?:or|to|-|and|into|through\s+to|until)\s+(?:the\s+)?(?:end\s+of\s+)?|(?<=[a-z])\s*/\s*(?=[a-z])")


def _compound(m: re.Match[str], ctx: Ctx, sub: Reader) -> Reading | None:
    """`X or Y`, `X to Y`, `X - Y`, `X and Y`, `between X and Y`: to the end of the later.
    Each separator is tried in turn; a year written only after Y ("spring or summer 2024")
    is lent to X."""
    s = m.string.removeprefix("between ")
    seps = list(_SEPARATOR.finditer(s))
    if len(seps) > _MOST_SEPARATORS:
        return None  # each split reads both sides, so the work doubles with each "or": a door must stay bounded
    for sep in seps:
        reading = _both(s[:sep.start()], s[sep.end():], ctx, sub)
        if reading is not None:
            return reading
    return None


_BARE_PART = re.compile(r"(?:early|mid|late|end|start|beginning)")
_LEADING_PART = re.compile(r"(?:early|mid|late|end|start|beginning)(?:\s+of)?[\s-]+")


def _both(left: str, right: str, ctx: Ctx, sub: Reader) -> Reading | None:
    if _BARE_PART.fullmatch(left) and _LEADING_PART.match(right):  # "early to mid April": early April
        left = f"{left} {right[_LEADING_PART.match(right).end():]}"  # type: ignore[union-attr]
    tail = _YEAR_TAIL.search(right)
    if tail is None and not ctx.before and not _ANCHORED.search(left) and not _ANCHORED.search(right):
        reading = _unanchored(left, right, ctx, sub)
        if reading is not None:
            return reading
    for a in _lefts(left, tail, ctx, sub):
        try:
            b = sub(right, ctx if _ANCHORED.search(right) else replace(ctx, made_on=a.window.earliest or ctx.made_on))
        except Problem:
            return None
        if any(w.is_open or w.kind == "relative" or w.latest is None for w in (a.window, b.window)):
            return None  # "12 months to September": not two periods, and not a guess
        if _in_order(a.window, b.window):
            return _joined(a, b)
    return None  # "December to February 2023": which December? Refuse rather than guess.


def _unanchored(left: str, right: str, ctx: Ctx, sub: Reader) -> Reading | None:
    """X..Y with no year on either side ("May or June", "January to March"). The compound is the
    period the words name, so it is the first X..Y that ends on or after made_on (SPEC §2.1): Y the
    first that ends on or after made_on, X the last that begins in the year before Y ends. "January
    to March" said on 10 February 2024 is January to March 2024, under way, not 2025 because
    January 2024 had ended."""
    if ctx.made_on is None:
        return None
    try:
        b = sub(right, ctx)
    except Problem:
        return None
    if b.window.is_open or b.window.kind == "relative" or b.window.latest is None:
        return None
    anchor = b.window.latest - relativedelta(years=1) + timedelta(days=1)
    try:
        a = sub(left, replace(ctx, made_on=anchor))
    except Problem:
        return None
    w = a.window
    if w.is_open or w.kind == "relative" or w.latest is None or not _in_order(w, b.window):
        return None
    if w.earliest == anchor:  # X read from the day it stands in for: from made_on instead
        a = Reading(replace(w, earliest=min(ctx.made_on, w.latest)), a.rule, a.entry)
    return _joined(a, b)


def _lefts(left: str, tail: re.Match[str] | None, ctx: Ctx, sub: Reader) -> list[Reading]:
    """The readings of X to try: with Y's year lent to it ("spring or summer 2024"), then, when
    that year is "next year" and lending it puts X after Y ("December or January next year"),
    X read on its own against made_on."""
    found = []
    if tail is not None and not re.search(r"\d{4}|\byear\b", left):
        found.append(_with_year(left, tail["y"], ctx, sub))
    if not found or found[0] is None or tail is not None and not tail["y"][0].isdigit():
        try:
            found.append(sub(left, ctx))
        except Problem:
            pass
    return [a for a in found if a is not None]


def _in_order(a: Window, b: Window) -> bool:
    return a.earliest is None or b.latest is None or a.earliest <= b.latest


def _joined(a: Reading, b: Reading) -> Reading:
    assert a.window.latest is not None and b.window.latest is not None
    later = b if b.window.latest >= a.window.latest else a
    starts = [d for d in (a.window.earliest, b.window.earliest) if d is not None]
    window = Window(later.window.kind, min(starts) if len(starts) == 2 else None, later.window.latest)
    return Reading(window, f"beyond the table: a compound period, to the end of the later ({a.rule} | {b.rule})",
                   later.entry or a.entry)


def _with_year(left: str, year: str, ctx: Ctx, sub: Reader) -> Reading | None:
    try:
        return sub(f"{left} {year}", ctx)
    except Problem:
        return None


_FAMILIES: tuple[tuple[re.Pattern[str], Family], ...] = (
    (_rule(rf"{_VERY}(?:{'|'.join(_OPEN_WORDS)})(?:\s+indeed)?"), _open),
    (_rule(r"(?:within\s+|over\s+|in\s+)?(?:the\s+)?(?:next\s+|coming\s+)?(?P<q>a\s+couple\s+of|couple\s+of"
           r"|a\s+few|few|a\s+handful\s+of|handful\s+of|several)\s+(?P<unit>days|weeks|months|years)(?:'?\s+time)?"), _vague),
    (_rule(rf"(?:within\s+|in\s+|over\s+)?(?:the\s+)?(?:next\s+|coming\s+)?(?P<a>{NUMBER}|a)\s*(?:-|to|or)\s*"
           rf"(?P<b>{NUMBER})\s+(?P<unit>days|weeks|months|years)(?:'?\s+time)?"), _count_range),
    (_rule(rf"(?:within\s+|in\s+|over\s+)?(?:the\s+)?(?:next\s+)?(?P<a>a|an|one)\s+(?P<unit>day|week|fortnight|month|year)"
           rf"\s+or\s+(?P<b>{NUMBER})(?:'?\s+time)?"), _count_range),
    (_rule(rf"(?P<a>{_MONTH_OR_SEASON})\s*-\s*(?P<b>{_MONTH_OR_SEASON})(?P<rest>\s+.+)?"), _hyphened),
    (_rule(r"(?:the\s+)?(?P<decade>(?:1[89]|2[012])\d0)'?s"), _decade),
    (_rule(r"(?P<part>early|mid|late)[\s-]+(?P<x>(?:this|next|the\s+current|current)\s+(?:month|quarter|financial\s+year))"),
     _thirds),
    (_rule(r"(?:the\s+)?(?:(?:weeks\s+and\s+)?(?P<unit>weeks|months|year)\s+ahead|coming\s+year)"), _ahead),
    (_rule(r"(?:(?:until|till|up\s+to)\s+)?(?:at\s+least|after|not\s+(?:before|until|earlier\s+than))\s+.+"
           r"|.+,?\s+at\s+the\s+(?:very\s+)?earliest"), _no_later_bound),
    (_rule(r"(?:within\s+|during\s+|in\s+|over\s+)?(?:the\s+)?(?:(?:this|the\s+current|current|next)\s+)?"
           r"(?:(?:assembly|senedd|scottish\s+parliament|parliamentary|government's)\s+term|term\s+of\s+(?:this\s+|the\s+)?"
           r"(?:parliament|assembly|senedd|government|office))"), _term),
    (_rule(rf"{_WHOLE_OF}(?:(?:this|the\s+current|current|next)\s+)?(?:(?:parliamentary\s+)?session\s+of\s+(?:the\s+)?"
           rf"{_DEVOLVED}|{_DEVOLVED}(?:\s+(?:session|term|mandate))?|session\s+\d+)"), _devolved),
    (_rule(r"(?:until|till|til|'til|up\s+(?:to|until)|out\s+to|through(?:out)?(?:\s+to)?|right\s+up\s+to|as\s+far\s+as|to)"
           r"\s+(?:the\s+)?(?P<x>.+)"), _strip("a preposition (until, up to, out to ...)")),
    (_rule(r"(?P<x>.+?),?\s+(?:at\s+the\s+(?:very\s+)?latest|or\s+(?:earlier|sooner|before)"
           r"|if\s+not\s+(?:sooner|earlier|before))"), _strip("trailing words (at the latest, or sooner ...)")),
    (_rule(rf"(?:(?:at|by|before)\s+)?{TIME_OF_DAY}\s*(?:,\s*|\s+on\s+|\s+)(?P<x>.+)"), _strip("time of day ignored")),
    (_rule(rf"(?P<x>.+?),?\s+(?:at|by)\s+{TIME_OF_DAY}"), _strip("time of day ignored")),
    (_rule(r"(?:this\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"), _weekday_alone),
    (_rule(rf"(?:within\s+|in\s+|over\s+)?(?:the\s+)?(?:next\s+)?(?P<n>{NUMBER})\s+hours?(?:'?\s+time)?"), _hours),
    (_rule(rf"(?:within\s+|in\s+)?(?:the\s+)?(?:next\s+)?(?P<n>{NUMBER})\s+(?:working|business)\s+days?"
           r"(?:'?\s+time)?"), _working_days),
    (_rule(rf"(?:the\s+)?(?P<ord>{'|'.join(ORDINALS)})\s+week\s+(?:of|in)\s+(?:the\s+)?(?P<x>.+)"),
     _week_of_month),
    (_rule(rf"next\s+(?P<month>{'|'.join(sorted(_MONTH_WORDS, key=len, reverse=True))})"), _next_month_name),
    (_rule(r"over\s+(?P<feast>christmas|xmas|easter)(?:\s+(?P<y>\d{4}))?"), _over_feast),
    (_rule(r"(?P<day>hogmanay|new\s+year'?s\s+eve|(?:st\.?|saint)\s+(?P<saint>andrew|david|patrick|george)'?s?\s+day)"
           r"(?:,?\s+(?P<y>\d{4}))?"), _fixed_day),
    (_rule(r"(?:the\s+|this\s+)?decade"), _decade_of),
    (_rule(r"(?:the\s+)?(?:fiscal\s+year\s+(?P<y1>\d{4})\s*(?:-|/|\s+to\s+)\s*(?P<y2>\d{4}|\d{2})"
           r"|(?P<z1>\d{4})\s*(?:-|/|\s+to\s+)\s*(?P<z2>\d{4}|\d{2})\s+fiscal\s+year)"), _fiscal_year),
    (_rule(r"(?:the\s+)?year\s+(?P<x>\d{4}\s*[-/]\s*\d{2,4})"), _strip('"the year 2024-25" as 2024-25')),
    (_rule(r"(?P<unit>q|quarter|h)\s*(?P<n>[1-4])\s+(?:of|in)\s+(?:the\s+)?(?P<x>.+)"), _numbered_part),
    (_rule(r"(?:the\s+)?quarter"), _strip_to("this quarter", '"the quarter" as this quarter')),
    (_rule(r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+(?:the\s+)?(?P<d>\d{1,2})"
           r"(?:st|nd|rd|th)?"), _weekday_day),
    (_rule(r"(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+(?:the\s+)?(?P<x>.+)"), _weekday),
    (_rule(r"(?P<x>\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]+)\s+next"), _strip('an older form ("the 4th of April next")')),
    (_rule(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+day\s+of\s+(?P<x>.+)"), _day_of),
    (_rule(r"(?:(?P<y0>\d{4})\s+|(?:the\s+)?(?:next\s+|this\s+year'?s\s+)?)(?P<event>(?:spring|autumn|summer)\s+"
           r"(?:statement|budget)|pre-budget\s+report|budget|spending\s+review)(?:\s+(?P<y>\d{4}))?"), _fiscal),
    (_rule(rf"(?:the\s+)?(?:(?:this|next|coming|forthcoming)\s+)?(?P<name>{_RECESS})\s+(?:parliamentary\s+)?recess"
           rf"(?:\s+(?P<y>\d{{4}}))?"), _recess),
    (_rule(rf"(?P<rises>(?:(?:the\s+)?house|parliament)\s+rises\s+for)\s+(?:the\s+)?(?P<name>{_RECESS})(?:\s+recess)?"
           rf"(?:\s+(?P<y>\d{{4}}))?"), _recess),
    (_rule(r"(?:within\s+)?(?:(?:this|the\s+current|current)\s+)?(?:parliamentary\s+)?session"), _session),
    (_rule(r"(?:within\s+)?(?:(?:the\s+)?(?:lifetime|course|life)\s+of\s+)?(?:(?:this|the\s+current|current|the)\s+)?"
           r"parliament"),
     _parliament),
    (_rule(r"(?:later\s+)?(?:(?:this|the)\s+)?(?P<when>today|tonight|this\s+(?:morning|afternoon|evening)|tomorrow)"
           r"(?:\s+(?:morning|afternoon|evening))?"), _today),
    (_rule(r"(?:on\s+)?next\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"), _next_weekday),
    (_rule(r"next\s+(?P<x>spring|summer|autumn|winter)"), _next_season),
    (_rule(r"(?:the\s+)?(?P<part>early|mid|late)[\s-]+(?P<x>(?:spring|summer|autumn|winter)\b.*)"), _season_part),
    (_rule(r"(?:the\s+)?end(?:\s+of)?[\s-]+(?:the\s+)?new\s+year"), _end_of_new_year),
    (_rule(r"(?:the\s+)?month"), _this_month),
    (_rule(r"(?:the\s+)?course\s+of\s+(?:the\s+)?(?P<x>.+)"), _strip('"the course of X"')),
    (_rule(r"(?:around|about)\s+(?:the\s+)?(?P<x>turn\s+of\s+(?:the\s+)?year)"), _strip('"around the turn of the year"')),
    (_rule(r"(?P<part>early|late)\s+in\s+(?!(?:the\s+)?new\s+year)(?P<x>.+)"), _early_in),
    (_rule(r"(?P<part>(?:early|earlyish)\s+(?:in\s+)?|(?:the\s+)?(?:very\s+)?(?:start|beginning|outset)\s+of\s+)?"
           r"(?:the\s+)?new\s+year"), _new_year),
    (_rule(r"turn\s+of\s+(?:the\s+)?year"), _turn_of_year),
    (_rule(r"(?:(?P<which>this|next|current|coming)\s+)?week"), _week),
    (_rule(r"(?:(?:the\s+)?week\s+(?P<verb>commencing|beginning|starting)|w/c|w\.c\.)\s+(?:on\s+)?(?P<x>.+)"),
     _week_of),
    (_rule(r"(?:within\s+)?(?:(?:a\s+)?matter\s+of\s+)?(?P<unit>weeks|months)"), _within),
    (_rule(r"(?:fy\s*|financial\s+year\s+)?(?P<y1>\d{4})\s*/\s*(?P<y2>\d)(?:\s+financial\s+year)?"), _fy_short),
    (_rule(r"(?:the\s+)?(?:financial\s+)?year\s+end(?:ing|ed)\s+(?:(?:on\s+)?31(?:st)?\s+)?march\s+(?P<y>\d{4})"),
     _fy_ending),
    (_rule(r"winter\s+(?P<y1>\d{4})\s*[-/]\s*(?P<y2>\d)"), _winter_short),
    (_rule(r"(?P<y1>\d{2})\s*/\s*(?P<y2>\d{2})"), _fy_two_digits),
    (_rule(r"(?P<y1>\d{4})\s*(?:-|\s+to\s+)\s*(?P<y2>\d{4})"), _years),
    (_rule(r"(?P<part>towards?\s+the\s+(?:very\s+)?end|(?:the\s+)?(?:very\s+)?end|close|(?:the\s+)?(?:start|beginning"
           r"|middle|outset)|(?:the\s+)?(?:early|latter|later|final|last|first)\s+(?:part|stages?|months))\s+of\s+"
           r"(?:the\s+)?(?P<x>.+)"), _part),
    (_rule(r"later\s+(?:in\s+)?(?P<x>.+)"), _later_in),
    (_rule(r"(?:the\s+)?(?P<ord>first|second|third|fourth|last|final|latter)\s+(?P<unit>quarter|half)\s+of\s+"
           r"(?:the\s+)?(?P<x>.+)"), _nth),
    (_rule(r"(?:for|over)\s+(?:the\s+)?(?:period\s+(?:of\s+)?)?(?P<x>.+)"), _strip('"for (the period of) X"')),
    (_rule(r"(?:the\s+)?period\s+(?:of\s+)?(?P<x>.+)"), _strip('"the period of X"')),
    (_rule(r"(?:the\s+|this\s+)?(?:upcoming|coming|forthcoming)\s+(?P<x>spring|summer|autumn|winter)"), _upcoming),
    (_rule(r"(?:the\s+)?(?P<x>spring|summer|autumn|winter)\s+months"), _strip('"the summer months" as the season')),
    (_rule(r"(?:the\s+)?(?P<y1>\d{4})\s*(?:to|-|/)\s*(?P<y2>\d{2}|\d{4})\s+tax\s+year"), _tax_year),
    (_rule(r"(?:the\s+)?tax\s+year\s+(?P<y1>\d{4})\s*(?:to|-|/)\s*(?P<y2>\d{2}|\d{4})"), _tax_year),
    (_rule(r"(?:the\s+)?(?P<n>(?:[a-z0-9]+\s+)?(?:days?|weeks?|months?|years?))\s+(?:to|ending(?:\s+in)?|up\s+to)"
           r"\s+(?P<x>.+)"), _ending),
    (_rule(r"(?P<n>(?:[a-z0-9]+\s+)?(?:days?|weeks?|months?|years?))\s+(?:from|starting(?:\s+on)?|beginning(?:\s+on)?)"
           r"\s+(?P<x>.+)"), _starting),
    (_rule(wrapped.PATTERN), wrapped.family),
    (_rule(r"(?:between\s+)?(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s*(?:to|-|and|until)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<tail>[a-z].*)"),
     _day_range),
    (_rule(r".+\s(?:or|to|-|and|into|until)\s.+|.*[a-z]\s*/\s*[a-z].*"), _compound),
)
