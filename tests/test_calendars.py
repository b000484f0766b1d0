"""The shipped calendars (issue 25 item 1): every row of bot/when/calendars/ cites its source, sessions
and each House's recesses never overlap, no recess falls outside a session's Parliament, and a
phrase reads the row it names (when --explain names it)."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from bot.when import parliament
from bot.when.calendars import rows
from bot.when.dates import explain, resolve

TABLES = ("recesses.csv", "sessions.csv", "parliaments.csv", "fiscal_events.csv")


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_source(table: str) -> None:
    found = rows(table)
    assert found, table
    assert all(r["source"].startswith(("https://", "http://")) for r in found), table


def test_sessions_do_not_overlap_and_run_in_order() -> None:
    spans = [(e.first, e.last or date.max) for e in parliament.sessions()]
    assert all(a[1] < b[0] for a, b in pairwise(spans)), spans
    assert spans[0][0] <= date(1997, 5, 7)


@pytest.mark.parametrize("house", ["Commons", "Lords"])
def test_recesses_of_a_house_do_not_overlap_each_other(house: str) -> None:
    spans = sorted((e.first, e.last) for e in parliament.recesses() if e.house == house)
    assert all(a[1] is not None and b[0] is not None and a[1] < b[0] for a, b in pairwise(spans)), spans


def test_no_recess_overlaps_a_dissolution() -> None:
    gaps = [(d, nxt.first) for (e, d), (nxt, _) in pairwise(parliament.parliaments()) if d is not None]
    for entry in parliament.recesses():
        assert entry.last is not None
        assert not any(entry.first <= end and entry.last >= start for start, end in gaps), entry


def test_the_calendars_reach_back_to_1997() -> None:
    assert min(e.first for e in parliament.sessions()).year == 1997
    assert min(e.first for e in parliament.fiscal_events()).year == 1997
    assert min(e.first for e in parliament.recesses()).year == 2000  # no cited source for 1997-2000 yet


# (phrase, made_on, deadline, the row --explain names)
READS = [
    ("by the summer recess", date(2005, 3, 1), "2005-10-09", "summer recess 2005"),
    ("before the summer recess", date(2011, 5, 1), "2011-07-20", "summer recess 2011"),
    ("this session", date(1998, 2, 1), "1998-11-19", "1997-98 session"),
    ("by the end of this Parliament", date(2008, 6, 1), "2010-04-12", "2005 Parliament"),
    ("at the Autumn Statement", date(2013, 6, 1), "2013-12-05", "Autumn Statement 2013"),
    ("the Pre-Budget Report", date(2003, 6, 1), "2003-12-10", "Pre-Budget Report 2003"),
    ("Budget 2014", date(2013, 6, 1), "2014-03-19", "Budget 2014"),
    ("the 2008 Budget", date(2007, 6, 1), "2008-03-12", "Budget 2008"),
    ("Budget 1998", None, "1998-03-17", "Budget 1998"),
]


@pytest.mark.parametrize(("phrase", "made_on", "deadline", "row"), READS, ids=[r[0] for r in READS])
def test_a_phrase_reads_the_row_and_explain_names_it(phrase: str, made_on: date | None, deadline: str,
                                                     row: str) -> None:
    assert resolve(phrase, made_on).latest == date.fromisoformat(deadline)
    reading = explain(phrase, made_on)
    assert reading.entry is not None and reading.entry.name == row, reading


# Issue 25 audit H1, L1, L2: a Parliament the table knows was dissolved reads to that day, whichever Act it
# sat under; only one not yet dissolved in the table reads to its latest lawful end (DCPA 2022 s.4).
# (phrase, made_on, deadline, words the rule must hold, words it must not)
# SPEC §2.1: "the end of this Parliament (the latest lawful dissolution)". A Parliament that sat
# under the 2022 Act reads to it even once dissolved (the words set no earlier date); one dissolved
# before the Act reads to the day it was, and --explain never cites an Act it did not sit under.
PARLIAMENT_ENDS = [
    ("by the end of this Parliament", date(2022, 1, 1), "2024-12-16",
     "its latest lawful dissolution, DCPA 2022 s.4", "read to the day"),
    ("by the end of the Parliament", date(2019, 12, 20), "2024-12-16", "its latest lawful dissolution", "row 52"),
    ("by the end of this Parliament", date(2018, 1, 1), "2019-11-06", "row 57 of parliaments.csv", "DCPA"),
    ("by the end of this Parliament", date(1998, 1, 1), "2001-05-14",
     "read to the day it was dissolved, 2001-05-14: row 52 of parliaments.csv", "DCPA"),
    ("by the end of this Parliament", date(2024, 9, 1), "2029-07-08",
     "its latest lawful dissolution, DCPA 2022 s.4", "dissolved,"),
]


@pytest.mark.parametrize(("phrase", "made_on", "deadline", "said", "unsaid"), PARLIAMENT_ENDS,
                         ids=[f"{r[0]} {r[1]}" for r in PARLIAMENT_ENDS])
def test_a_parliament_reads_to_its_lawful_end_under_the_2022_act_and_to_its_dissolution_before(phrase: str, made_on: date, deadline: str, said: str,
                                                               unsaid: str) -> None:
    reading = explain(phrase, made_on)
    assert reading.window.latest == date.fromisoformat(deadline)
    assert said in reading.rule, reading.rule
    assert reading.entry is not None
    assert unsaid not in reading.rule and unsaid not in reading.entry.describe(), reading


def test_the_57th_parliament_was_dissolved_on_6_november_2019() -> None:
    """It dissolved at 00:01 on 6 November 2019 (FTPA 2011 s.3(1) with the Early Parliamentary General Election
    Act 2019); the table's convention, as for 2015, 2017 and 2024, is the day of dissolution."""
    row = next(r for r in rows("parliaments.csv") if r["number"] == "57")
    assert row["dissolved"] == "2019-11-06", row


# Issue 25 audit H2: fiscal events missing from the table, each checked against its cited source.
FISCAL_ADDED = [
    ("Budget", "1999-03-09"), ("Budget", "2000-03-21"), ("Budget", "2002-04-17"), ("Budget", "2004-03-17"),
    ("Budget", "2015-03-18"), ("Budget", "2015-07-08"), ("Budget", "2023-03-15"), ("Budget", "2024-03-06"),
    ("Spring Statement", "2019-03-13"), ("Spring Statement", "2025-03-26"),
    ("Pre-Budget Report", "2007-10-09"), ("Pre-Budget Report", "2008-11-24"), ("Pre-Budget Report", "2009-12-09"),
    ("Spending Review", "1998-07-14"), ("Spending Review", "2000-07-18"), ("Spending Review", "2002-07-15"),
    ("Spending Review", "2004-07-12"), ("Spending Review", "2007-10-09"), ("Spending Review", "2013-06-26"),
    ("Spending Review", "2019-09-04"), ("Spending Review", "2020-11-25"), ("Spending Review", "2025-06-11"),
]


@pytest.mark.parametrize(("kind", "day"), FISCAL_ADDED, ids=[f"{k} {d}" for k, d in FISCAL_ADDED])
def test_the_fiscal_calendar_holds_the_event(kind: str, day: str) -> None:
    assert any(e.house == kind and e.first == date.fromisoformat(day) for e in parliament.fiscal_events())


# A year with two events of the kind named reads to the later (the most generous), and --explain names the
# other, so the choice is never silent. (phrase, made_on, deadline, row, the other it names or None)
TWO_IN_A_YEAR = [
    ("by Budget 2024", date(2024, 1, 10), "2024-10-30", "Autumn Budget 2024",
     "could also mean the Spring Budget 2024 (2024-03-06)"),
    ("the 2017 Budget", date(2017, 1, 10), "2017-11-22", "Autumn Budget 2017",
     "could also mean the Spring Budget 2017 (2017-03-08)"),
    ("the 2010 Budget", date(2009, 12, 1), "2010-06-22", "Budget 2010 (June)",
     "could also mean the Budget 2010 (March) (2010-03-24)"),
    ("Budget 2015", date(2014, 12, 3), "2015-07-08", "Summer Budget 2015",
     "could also mean the Budget 2015 (2015-03-18)"),
    ("the Spring Budget 2024", date(2023, 12, 1), "2024-05-31", "Spring Budget 2024", None),
    ("Budget 1999", None, "1999-03-09", "Budget 1999", None),
    ("the 2013 Spending Review", None, "2013-06-26", "Spending Round 2013", None),
    ("the Pre-Budget Report 2008", None, "2008-11-30", "Pre-Budget Report 2008", None),
    ("the Spring Statement 2025", None, "2025-05-31", "Spring Statement 2025", None),
]


@pytest.mark.parametrize(("phrase", "made_on", "deadline", "row", "other"), TWO_IN_A_YEAR,
                         ids=[r[0] for r in TWO_IN_A_YEAR])
def test_a_year_of_two_events_reads_to_the_later_and_says_so(phrase: str, made_on: date | None, deadline: str,
                                                             row: str, other: str | None) -> None:
    reading = explain(phrase, made_on)
    assert reading.window.latest == date.fromisoformat(deadline)
    assert reading.entry is not None and reading.entry.name == row, reading
    if other is None:
        assert "could also mean" not in reading.rule, reading.rule
    else:
        assert other in reading.rule, reading.rule
