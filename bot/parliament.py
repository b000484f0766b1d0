"""Parliament's calendar as a shipped, dated table: recesses, sessions and Parliaments (SPEC §2.1).

"By the summer recess", "this session" and "by the end of this Parliament" name days that no
rule can compute: Parliament sets its recesses and sessions as it goes. So they are read from
this table, each row with the public source it was copied from and the day that source said so.
A phrase whose period is not in the table is refused with a precise reason, never guessed.

The end of a Parliament is the exception that the law fixes. Dissolution and Calling of
Parliament Act 2022, s.4 (https://www.legislation.gov.uk/ukpga/2022/11/section/4, in force
24 March 2022): "If it has not been dissolved earlier, a Parliament dissolves at the beginning
of the day that is the fifth anniversary of the day on which it first met." The latest lawful
end of a Parliament is therefore the day before that anniversary: the most generous reading of
"by the end of this Parliament". Before 24 March 2022 the Fixed-term Parliaments Act 2011
governed instead, and this table does not read that law.

Recess rows are the days the House does not sit: from the day after it rises to the day before
it returns. Rows are the House of Commons unless `house` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

__all__ = ["DCPA_IN_FORCE", "PARLIAMENTS", "RECESSES", "SESSIONS", "Entry", "OutsideTable",
           "parliament", "recess", "session"]

DCPA_IN_FORCE = date(2022, 3, 24)
_DCPA = "https://www.legislation.gov.uk/ukpga/2022/11/section/4"


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the calendar: `first`..`last` (None: not yet known), with where it comes from."""

    name: str
    first: date
    last: date | None
    source: str
    as_of: date  # the day the source said so
    house: str = "Commons"

    def describe(self) -> str:
        last = self.last.isoformat() if self.last else "end not yet known"
        return f"{self.name} ({self.house}): {self.first.isoformat()} – {last}; source {self.source} (as of {self.as_of.isoformat()})"


class OutsideTable(LookupError):
    """The period a phrase names is not in the table; `str(e)` says which and what is covered."""


_LORDS_2022 = "https://hansard.parliament.uk/Lords/2022-05-26/debates/80608CCF-0522-4D28-A2CD-B251BDC142D4/ArrangementOfBusiness"
_COMMONS_2023_24 = "https://www.parliament.uk/about/faqs/house-of-commons-faqs/business-faq-page/recess-dates/"
_LORDS_2025 = "https://apps.vulcanworks.info/egg-timer/houses/2/recess-dates/upcoming"
_COMMONS_2025 = ("https://www.parallelparliament.co.uk/debate/2025-07-10/commons/commons-chamber/business-of-the-house/"
                 "ministerial-extracts")  # "rise ... on Tuesday 22 July and return on Monday 1 September"
_GE_2024 = "https://www.parliament.uk/business/news/2024/may/general-election-2024/"

# The Lords' Chief Whip, 26 May 2022: "The recesses coincide [with the Commons], with the
# exception of the September Recess". Commons 2023-24: the House rises / returns table.
RECESSES: tuple[Entry, ...] = (
    Entry("summer recess 2022", date(2022, 7, 22), date(2022, 9, 4), _LORDS_2022, date(2022, 5, 26)),
    Entry("Christmas recess 2022", date(2022, 12, 22), date(2023, 1, 8), _LORDS_2022, date(2022, 5, 26)),
    Entry("February recess 2023", date(2023, 2, 10), date(2023, 2, 19), _LORDS_2022, date(2022, 5, 26)),
    Entry("Christmas recess 2023", date(2023, 12, 20), date(2024, 1, 7), _COMMONS_2023_24, date(2024, 5, 23)),
    Entry("February recess 2024", date(2024, 2, 9), date(2024, 2, 18), _COMMONS_2023_24, date(2024, 5, 23)),
    Entry("Easter recess 2024", date(2024, 3, 27), date(2024, 4, 14), _COMMONS_2023_24, date(2024, 5, 23)),
    Entry("Easter recess 2025", date(2025, 4, 4), date(2025, 4, 21), _LORDS_2025, date(2025, 4, 1), "Lords"),
    Entry("Whitsun recess 2025", date(2025, 5, 23), date(2025, 6, 1), _LORDS_2025, date(2025, 4, 1), "Lords"),
    Entry("summer recess 2025", date(2025, 7, 23), date(2025, 8, 31), _COMMONS_2025, date(2025, 7, 10)),
    Entry("conference recess 2025", date(2025, 9, 19), date(2025, 10, 12), _LORDS_2025, date(2025, 4, 1), "Lords"),
    Entry("Christmas recess 2025", date(2025, 12, 19), date(2026, 1, 4), _LORDS_2025, date(2025, 4, 1), "Lords"),
)

SESSIONS: tuple[Entry, ...] = (
    Entry("2023-24 session", date(2023, 11, 7), date(2024, 5, 24), _GE_2024, date(2024, 5, 23)),
    Entry("session opened 17 July 2024", date(2024, 7, 17), None,
          "https://webtest.parliament.uk/about/faqs/house-of-commons-faqs/business-faq-page/recess-dates",
          date(2024, 7, 17)),
)

# `last`: the latest lawful last day (DCPA 2022 s.4); a Parliament dissolved earlier ended then.
# First met: 2019 Parliament 17 Dec 2019 (https://newsdubai.org/uk-elections-2022-a-really-simple-guide/: "The
# current Parliament began on Tuesday 17 December 2019, so ... it would automatically dissolve on Tuesday
# 17 December 2024"); 2024 Parliament 9 Jul 2024 (_GE_2024: "The new Parliament will first meet on Tuesday 9 July").
PARLIAMENTS: tuple[tuple[Entry, date | None], ...] = (
    (Entry("2019 Parliament", date(2019, 12, 17), date(2024, 12, 16), _DCPA, date(2022, 3, 24), "Parliament"),
     date(2024, 5, 30)),  # dissolved 30 May 2024 (_GE_2024)
    (Entry("2024 Parliament", date(2024, 7, 9), date(2029, 7, 8), _DCPA, date(2024, 5, 23), "Parliament"), None),
)

# The widest days each recess can take (from parliament.uk's guide to the usual pattern), so a
# year missing from the table is noticed whenever it could hold the answer.
_BOUNDS: dict[str, tuple[tuple[int, int], tuple[int, int, int]]] = {
    "February": ((2, 1), (0, 3, 15)), "Easter": ((3, 10), (0, 5, 15)), "Whitsun": ((5, 10), (0, 6, 30)),
    "summer": ((7, 1), (0, 10, 31)), "conference": ((9, 1), (0, 10, 31)), "November": ((11, 1), (0, 11, 30)),
    "Christmas": ((12, 1), (1, 1, 31)),
}
RECESS_NAMES = tuple(_BOUNDS)


def recess(name: str, made_on: date, before: bool = False, year: int | None = None) -> Entry:
    """The recess called `name` in `year`, or without one the next after `made_on`: the first
    that ends on or after it (with `before`, the first that begins after it)."""
    (start_m, start_d), (carry, end_m, end_d) = _BOUNDS[name]
    years = [year] if year is not None else list(range(made_on.year - 1, made_on.year + 2))
    for y in years:
        entry = next((e for e in RECESSES if e.name == f"{name} recess {y}"), None)
        if entry is None:
            could_start, could_end = date(y, start_m, start_d), date(y + carry, end_m, end_d)
            if year is not None or (could_start > made_on if before else could_end >= made_on):
                raise OutsideTable(f"the {name} recess {y} is not in the Parliament calendar table "
                                   f"(bot/parliament.py holds: {_covered()}); set deadline: by hand")
            continue
        assert entry.last is not None
        if year is not None or (entry.first > made_on if before else entry.last >= made_on):
            return entry
    raise OutsideTable(f"no {name} recess after {made_on.isoformat()} is in the Parliament calendar table")


def session(made_on: date) -> Entry:
    """The session sitting on `made_on`, whose end the table knows."""
    for entry in SESSIONS:
        if entry.first <= made_on and (entry.last is None or made_on <= entry.last):
            if entry.last is None:
                raise OutsideTable(f"the end of the {entry.name} is not yet known in the Parliament calendar table: Parliament ends a session by prorogation; set deadline: by hand")
            return entry
    known = "; ".join(f"{e.name} from {e.first.isoformat()}" for e in SESSIONS)
    raise OutsideTable(f"made_on {made_on.isoformat()} is in no session of the Parliament calendar table ({known})")


def parliament(made_on: date) -> Entry:
    """The Parliament sitting on `made_on`, with its latest lawful last day (DCPA 2022 s.4)."""
    if made_on < DCPA_IN_FORCE:
        raise OutsideTable(f"made_on {made_on.isoformat()} is before the Dissolution and Calling of Parliament "
                           "Act 2022 came into force (24 March 2022); the table reads the end of a Parliament "
                           "under that Act only")
    for entry, dissolved in PARLIAMENTS:
        assert entry.last is not None
        if entry.first <= made_on <= (dissolved or entry.last):
            return entry
    spans = "; ".join(f"{e.name} {e.first.isoformat()} – {(d or e.last or e.first).isoformat()}" for e, d in PARLIAMENTS)
    raise OutsideTable(f"made_on {made_on.isoformat()} falls in no Parliament of the table ({spans})")


def latest_lawful_end(first_met: date) -> date:
    """The day before the fifth anniversary of the day a Parliament first met (DCPA 2022 s.4)."""
    return first_met + relativedelta(years=5) - timedelta(days=1)


def _covered() -> str:
    return ", ".join(e.name for e in RECESSES)
