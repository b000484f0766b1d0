"""Parliament's calendar and the fiscal events, as shipped, cited tables (SPEC §2.1).

"By the summer recess", "this session", "by the end of this Parliament" and "at the Autumn
Statement" name days that no rule can compute: Parliament sets its recesses and sessions as it
goes, and the Chancellor the day of each fiscal event. So they are read from the tables in
bot/when/calendars/ (1997 to the latest announced dates), each row with the public source it was
copied from. A period the tables do not hold is refused with a precise reason, never guessed;
only a recess in a year after the table ends reads as its usual window (the widest days that
recess has taken in any year of the table), and says so.

The end of a Parliament is the exception that the law fixes. Dissolution and Calling of
Parliament Act 2022, s.4 (https://www.legislation.gov.uk/ukpga/2022/11/section/4, in force
24 March 2022): "If it has not been dissolved earlier, a Parliament dissolves at the beginning
of the day that is the fifth anniversary of the day on which it first met." The latest lawful
end of a Parliament under that Act is therefore the day before that anniversary: the most
generous reading of "by the end of this Parliament", and the one SPEC §2.1 names ("the latest
lawful dissolution"), for every Parliament that sat under that Act, whether or not it has since
been dissolved: words said in 2022 set a deadline nobody could then argue with, and a dissolution
that came later does not move it earlier (`--explain` says when it was dissolved). A Parliament
dissolved before the Act is read to the day it was dissolved (parliaments.csv), the day it did end.

Recess rows are the days a House does not sit: from the day after it rises to the day before it
returns (a recall of a day or two is kept inside the recess it interrupted). Both Houses' rows
are shipped; a phrase names no House, so the reading takes the more generous of the two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from bot.when.calendars import rows

__all__ = [
    "DCPA_IN_FORCE",
    "DCPA_SOURCE",
    "FISCAL_KINDS",
    "RECESS_NAMES",
    "Entry",
    "OutsideTable",
    "calendar_name",
    "fiscal_event",
    "fiscal_events",
    "fiscal_events_of",
    "dissolved_note",
    "latest_lawful_end",
    "parliament",
    "parliaments",
    "recess",
    "recesses",
    "session",
    "sessions",
]

DCPA_IN_FORCE = date(2022, 3, 24)
DCPA_SOURCE = "https://www.legislation.gov.uk/ukpga/2022/11/section/4"
_GE_2024 = "https://www.parliament.uk/business/news/2024/may/general-election-2024/"


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a calendar: `first`..`last` (None: not yet known), with where it comes from.
    `house` is the House (or, for a fiscal event, its kind); `note` says what a reader should
    know, e.g. that the row is a usual window rather than a fact."""

    name: str
    first: date
    last: date | None
    source: str
    as_of: date | None = None  # the day the source said so, where it says
    house: str = "Commons"
    note: str = ""

    def describe(self) -> str:
        last = self.last.isoformat() if self.last else "end not yet known"
        when = f" (as of {self.as_of.isoformat()})" if self.as_of else ""
        note = f"; {self.note}" if self.note else ""
        return f"{self.name} ({self.house}): {self.first.isoformat()} – {last}; source {self.source}{when}{note}"


class OutsideTable(LookupError):
    """The period a phrase names is not in the table; `str(e)` says which and what is covered."""


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


# -- recesses ---------------------------------------------------------------------------------------
RECESS_NAMES = ("February", "Easter", "Whitsun", "summer", "conference", "November", "Christmas")


@cache
def recesses() -> tuple[Entry, ...]:
    """Every recess row of bot/when/calendars/recesses.csv, both Houses, in date order."""
    return tuple(Entry(f"{r['name']} recess {r['year']}", date.fromisoformat(r["first"]), date.fromisoformat(r["last"]),
                       r["source"], house=r["house"], note=r["note"]) for r in rows("recesses.csv"))


def _named(name: str, year: int) -> list[Entry]:
    return [e for e in recesses() if e.name == f"{name} recess {year}"]


def _offset(name: str, d: date, year: int) -> int:
    """Days from the recess's anchor in `year` (Easter Sunday for Easter, 1 January otherwise)."""
    anchor = easter(year) if name == "Easter" else date(year, 1, 1)
    return (d - anchor).days


HOUSES = ("Commons", "Lords")


@cache
def _usual(name: str, house: str | None = None) -> tuple[int, int, int]:
    """(earliest start, latest start, latest end) of a recess over every year of the table (of one
    House's rows, given `house`), as days from its anchor: the widest window it has taken, for a
    year the table does not hold."""
    seen = [e for e in recesses() if e.name.startswith(f"{name} recess ") and house in (None, e.house)]
    years = [int(e.name.rsplit(" ", 1)[1]) for e in seen]
    starts = [_offset(name, e.first, y) for e, y in zip(seen, years, strict=True)]
    ends = [_offset(name, e.last or e.first, y) for e, y in zip(seen, years, strict=True)]
    return min(starts), max(starts), max(ends)


def _usual_window(name: str, year: int, before: bool, house: str | None = None) -> Entry:
    early, late, end = _usual(name, house)
    anchor = easter(year) if name == "Easter" else date(year, 1, 1)
    first = anchor + timedelta(days=late if before else early)
    if house is None:
        return Entry(f"{name} recess {year}", first, anchor + timedelta(days=end),
                     "the widest days this recess took in any year of bot/when/calendars/recesses.csv",
                     house="usual window", note="not yet announced: its usual window, not a fact")
    return Entry(f"{name} recess {year}", first, anchor + timedelta(days=end),
                 f"the widest days the {house} took for this recess in any year of bot/when/calendars/recesses.csv",
                 house="usual window", note=f"{house} dates not yet announced: its usual window, not a fact")


def _generous(found: list[Entry], before: bool) -> Entry:
    """Of both Houses' rows, the one read most generously: the later start for "before" (and for
    the day the House rises), the later end otherwise; on a tie a row of the table before a usual
    window, and the Commons row before the Lords'."""
    key = (lambda e: e.first) if before else (lambda e: e.last or e.first)
    best = max(key(e) for e in found)
    return next(e for e in sorted(found, key=lambda e: (e.house == "usual window", e.house)) if key(e) == best)


def _table_ends(house: str | None = None) -> date:
    return max(e.last or e.first for e in recesses() if house in (None, e.house))


def _unannounced(name: str, year: int, found: list[Entry], before: bool) -> list[tuple[str, Entry]]:
    """The usual window of each House whose row for this recess is missing because that House's
    part of the table had ended before the recess began (its dates not yet announced, as the
    Commons' summer and conference recesses of 2026 when the Lords' were): a phrase names no House,
    so the missing House may sit later than the known row says, and reading that row alone would
    be a guess presented as fact. A House missing a year inside its part of the table (no source
    found) is not filled in (README "Whitehall time")."""
    houses = {e.house for e in found}
    first = min(e.first for e in found)
    return [(house, _usual_window(name, year, before, house)) for house in HOUSES
            if house not in houses and _table_ends(house) < first]


def _with_missing(entry: Entry, found: list[Entry], missing: list[tuple[str, Entry]], before: bool) -> Entry:
    """The row read, saying for --explain which House's dates are not announced, its usual window
    and the row it was weighed against: never a silent choice of the one known row."""
    if not missing:
        return entry
    what, day = ("begins", "first") if before else ("ends", "last")
    if entry.house == "usual window":
        known = "; ".join(f"the {e.house} row {e.first.isoformat()} – {(e.last or e.first).isoformat()}" for e in found)
        return replace(entry, note=f"{entry.note}; it {what} no earlier than {known}, so it reads, the most generous "
                                   "reading")
    said = "; ".join(f"{house} dates not yet announced; its usual window {m.first.isoformat()} – "
                     f"{(m.last or m.first).isoformat()} (the widest days it took for this recess in the table) "
                     f"{what} no later" for house, m in missing)
    return replace(entry, note=f"{entry.note + '; ' if entry.note else ''}{said}, so this row's {day} day reads")


def recess(name: str, made_on: date, before: bool = False, year: int | None = None, unannounced: bool = False) -> Entry:
    """The recess called `name` in `year`, or without one the next after `made_on`: the first
    that ends on or after it (with `before`, the first that begins after it). A year after the
    table ends reads as the recess's usual window; a year inside it that it lacks is refused.
    With `unannounced` (a phrase, which names no House), a House whose part of the table ends
    before the recess (its dates not yet announced) is read as its usual window beside the other
    House's row, the more generous of the two; without it the rows of the table alone are read."""
    for y in [year] if year is not None else list(range(made_on.year - 1, made_on.year + 2)):
        found, usual = _named(name, y), _usual_window(name, y, before)
        if found:
            missing = _unannounced(name, y, found, before) if unannounced else []
            entry = _with_missing(_generous([*found, *(m for _, m in missing)], before), found, missing, before)
        elif _usual_window(name, y, False).first > _table_ends():
            entry = usual
        elif year is None and not (usual.first > made_on if before else (usual.last or usual.first) >= made_on):
            continue  # a year the table lacks, but one that cannot hold the answer
        else:
            raise OutsideTable(f"the {name} recess {y} is not in the Parliament calendar table (bot/when/calendars/"
                               f"recesses.csv holds {_covered(name)}); set deadline: by hand")
        assert entry.last is not None
        if year is not None or (entry.first > made_on if before else entry.last >= made_on):
            return entry
    raise OutsideTable(f"no {name} recess after {made_on.isoformat()} is in the Parliament calendar table")


def _covered(name: str) -> str:
    years = sorted({int(e.name.rsplit(" ", 1)[1]) for e in recesses() if e.name.startswith(f"{name} recess ")})
    return f"the {name} recess in {', '.join(map(str, years))}"


# -- sessions and Parliaments -------------------------------------------------------------------------
@cache
def sessions() -> tuple[Entry, ...]:
    """Every session since 1997 (both Houses sit in the same sessions), from sessions.csv."""
    return tuple(Entry(r["name"], date.fromisoformat(r["first"]), _day(r["last"]), r["source"], house="Parliament")
                 for r in rows("sessions.csv"))


def session(made_on: date) -> Entry:
    """The session sitting on `made_on`, whose end the table knows."""
    for entry in sessions():
        if entry.first <= made_on and (entry.last is None or made_on <= entry.last):
            if entry.last is None:
                raise OutsideTable(f"the end of the {entry.name} is not yet known in the Parliament calendar table: "
                                   "Parliament ends a session by prorogation; set deadline: by hand")
            return entry
    raise OutsideTable(f"made_on {made_on.isoformat()} is in no session of the Parliament calendar table (sessions "
                       f"from {sessions()[0].first.isoformat()}; between sessions Parliament is prorogued or dissolved)")


@cache
def parliaments() -> tuple[tuple[Entry, date | None], ...]:
    """Each Parliament since 1992 with the day it was dissolved (None: sitting). Under the 2022
    Act an entry's `last` is its latest lawful end (SPEC §2.1); before it, the day it was dissolved."""
    out: list[tuple[Entry, date | None]] = []
    for r in rows("parliaments.csv"):
        first, dissolved = date.fromisoformat(r["first_met"]), _day(r["dissolved"])
        name = f"{r['election'][:4]} Parliament"
        if (dissolved or DCPA_IN_FORCE) >= DCPA_IN_FORCE:  # sat under the 2022 Act: its latest lawful end
            gone = f"; it was dissolved on {dissolved.isoformat()} (row {r['number']})" if dissolved else ""
            out.append((Entry(name, first, latest_lawful_end(first), DCPA_SOURCE, DCPA_IN_FORCE, "Parliament",
                              f"first met {first.isoformat()} ({r['source']}){gone}"), dissolved))
        else:
            assert dissolved is not None
            out.append((Entry(name, first, dissolved, r["source"], house="Parliament",
                              note=dissolved_note(dissolved, r["number"])), dissolved))
    return tuple(out)


def dissolved_note(dissolved: date, number: str) -> str:
    """What `when --explain` says of a Parliament read to its dissolution: the day and the row."""
    return f"read to the day it was dissolved, {dissolved.isoformat()}: row {number} of parliaments.csv"


def parliament(made_on: date) -> Entry:
    """The Parliament sitting on `made_on`: to its latest lawful last day (DCPA 2022 s.4), or for
    a Parliament dissolved before that Act, to the day it was dissolved."""
    for entry, dissolved in parliaments():
        assert entry.last is not None
        if entry.first <= made_on <= (dissolved or entry.last):
            return entry
    spans = "; ".join(f"{e.name} {e.first.isoformat()} – {(d or e.last or e.first).isoformat()}"
                      for e, d in parliaments())
    raise OutsideTable(f"made_on {made_on.isoformat()} falls in no Parliament of the table ({spans})")


def latest_lawful_end(first_met: date) -> date:
    """The day before the fifth anniversary of the day a Parliament first met (DCPA 2022 s.4)."""
    return first_met + relativedelta(years=5) - timedelta(days=1)


# -- fiscal events ------------------------------------------------------------------------------------
FISCAL_KINDS = ("Budget", "Pre-Budget Report", "Autumn Statement", "Spring Statement", "Summer Statement",
                "Spending Review", "Growth Plan")


@cache
def fiscal_events() -> tuple[Entry, ...]:
    """Every fiscal event of fiscal_events.csv, one day each, `house` its kind."""
    return tuple(Entry(r["name"], date.fromisoformat(r["day"]), date.fromisoformat(r["day"]), r["source"],
                       house=r["kind"]) for r in rows("fiscal_events.csv"))


def calendar_name(entry: Entry) -> str:
    """Which shipped calendar a row is from, for `when --explain`: a fiscal event's row is not
    Parliament's."""
    return "Fiscal calendar" if entry.house in FISCAL_KINDS else "Parliament calendar"


def fiscal_event(kinds: tuple[str, ...], year: int, months: range = range(1, 13)) -> Entry | None:
    """The last event of one of `kinds` in `year` whose month is in `months`, or None when the
    table holds none (a year may hold two Budgets; the later is the generous reading)."""
    found = fiscal_events_of(kinds, year, months)
    return found[-1] if found else None


def fiscal_events_of(kinds: tuple[str, ...], year: int, months: range = range(1, 13)) -> tuple[Entry, ...]:
    """Every event of one of `kinds` in `year` whose month is in `months`, in date order, one per
    name (a joint event, as the 2015 Autumn Statement and Spending Review, is one event): the
    words "the 2017 Budget" could mean either of that year's two, and --explain says so."""
    found = {e.name: e for e in fiscal_events() if e.house in kinds and e.first.year == year and e.first.month in months}
    return tuple(sorted(found.values(), key=lambda e: e.first))


def __getattr__(name: str) -> object:
    """RECESSES, SESSIONS and PARLIAMENTS as before, now read from the shipped tables on first use."""
    tables = {"RECESSES": recesses, "SESSIONS": sessions, "PARLIAMENTS": parliaments}
    if name in tables:
        return tables[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
