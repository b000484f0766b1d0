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
