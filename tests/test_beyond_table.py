"""Whitehall time beyond the table (SPEC §2.1 "Beyond the table"): one case per family row.

Each family reads to the most generous deadline; what still does not read is an error with a
reason or a suggestion, and a period beyond the shipped Parliament calendar is refused, never
guessed. The table's own rows are in tests/test_dates.py and must not change.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.when import parliament
from bot.when.dates import UnreadableDate, explain, resolve

MADE = date(2024, 9, 10)  # a Tuesday, in the 2024 Parliament


def d(text: str) -> date:
    return date.fromisoformat(text)


# (family, phrase, made_on, earliest, latest); latest None = open (no deadline)
ROWS = [
    # compound periods: to the end of the later
    ("X or Y", "spring or summer 2025", MADE, "2025-03-01", "2025-08-31"),
    ("X to Y", "April to June 2025", MADE, "2025-04-01", "2025-06-30"),
    ("X – Y", "summer – autumn 2025", MADE, "2025-06-01", "2025-11-30"),
    ("X and Y", "2025 and 2026", MADE, "2025-01-01", "2026-12-31"),
    ("between X and Y", "between 2025 and 2027", MADE, "2025-01-01", "2027-12-31"),
    ("X to Y, days", "4 November 2025 to 3 November 2030", MADE, "2025-11-04", "2030-11-03"),
    ("days of one month", "from 4 to 8 March 2025", MADE, "2025-03-04", "2025-03-08"),
    ("year lent backwards", "December 2024 to March", MADE, "2024-12-01", "2025-03-31"),
    # parts of periods
    ("the start of X", "the start of spring 2025", MADE, "2025-03-01", "2025-03-31"),
    ("the middle of X", "the middle of 2025", MADE, "2025-05-01", "2025-08-31"),
    ("the end of X", "the end of 2025", MADE, "2025-01-01", "2025-12-31"),
    ("towards the end of X", "towards the end of 2025", MADE, "2025-09-01", "2025-12-31"),
    ("towards the end of a month", "towards the end of October", MADE, "2024-10-21", "2024-10-31"),
    ("the turn of the year", "by the turn of the year", MADE, "2024-12-01", "2025-01-31"),
    ("the last quarter of X", "the last quarter of this financial year", MADE, "2025-01-01", "2025-03-31"),
    ("the new year", "in the new year", MADE, "2025-01-01", "2025-03-31"),
    ("early in the new year", "early in the new year", MADE, "2025-01-01", "2025-03-31"),
    ("later in X", "later this month", MADE, "2024-09-10", "2024-09-30"),
    # relative calendar words against made_on
    ("this week", "this week", MADE, "2024-09-10", "2024-09-15"),
    ("next week", "next week", MADE, "2024-09-16", "2024-09-22"),
    ("the end of the week", "by the end of the week", MADE, "2024-09-10", "2024-09-15"),
    ("the week commencing", "the week commencing 21 October", MADE, "2024-10-21", "2024-10-27"),
    ("this month", "this month", MADE, "2024-09-10", "2024-09-30"),
    ("next month", "next month", MADE, "2024-10-01", "2024-10-31"),
    ("this calendar year", "this calendar year", MADE, "2024-09-10", "2024-12-31"),
    ("within weeks", "within weeks", MADE, "2024-09-10", "2024-11-10"),
    ("within months", "within months", MADE, "2024-09-10", "2025-03-10"),
    ("the upcoming season", "the upcoming winter", MADE, "2024-12-01", "2025-02-28"),
    ("N to X", "the 12 months to September 2025", MADE, "2024-10-01", "2025-09-30"),
    ("N from a day", "for 3 years from 15 July 2025", MADE, "2025-07-15", "2028-07-14"),
    # financial-year shapes
    ("2023/4", "2023/4", MADE, "2023-04-01", "2024-03-31"),
    ("2023/24", "2023/24", MADE, "2023-04-01", "2024-03-31"),
    ("FY23/24", "FY23/24", MADE, "2023-04-01", "2024-03-31"),
    ("winter 2023/24", "winter 2023/24", MADE, "2023-12-01", "2024-02-29"),
    ("winter 2023/4", "winter 2023/4", MADE, "2023-12-01", "2024-02-29"),
    ("Q3 2024/25", "Q3 2024/25", MADE, "2024-10-01", "2024-12-31"),
    ("through financial year X", "through financial year 2024/25", MADE, "2024-04-01", "2025-03-31"),
    ("during financial year X", "during financial year 2024-25", MADE, "2024-04-01", "2025-03-31"),
    ("towards the end of FY X", "towards the end of financial year 2024-25", MADE, "2024-12-01", "2025-03-31"),
    ("year ending March", "the year ending 31 March 2026", MADE, "2025-04-01", "2026-03-31"),
    ("tax year", "the 2024 to 2025 tax year", MADE, "2024-04-06", "2025-04-05"),
    # prepositions
    ("until", "until March 2025", MADE, "2025-03-01", "2025-03-31"),
    ("till", "till June 2025", MADE, "2025-06-01", "2025-06-30"),
    ("up to", "up to 2026", MADE, "2026-01-01", "2026-12-31"),
    ("up until", "up until April 2025", MADE, "2025-04-01", "2025-04-30"),
    ("out to", "out to 2030", MADE, "2030-01-01", "2030-12-31"),
    ("through to", "through to 2028-29", MADE, "2028-04-01", "2029-03-31"),
    ("to", "to March 2027", MADE, "2027-03-01", "2027-03-31"),
    ("ahead of X", "ahead of winter", MADE, "2024-09-10", "2024-11-30"),
    ("no later than", "no later than spring 2025", MADE, "2025-03-01", "2025-05-31"),
    ("on or before", "on or before 31 March 2025", MADE, "2025-03-31", "2025-03-31"),
    ("at the latest", "March 2025 at the latest", MADE, "2025-03-01", "2025-03-31"),
    ("for (the period of) X", "for the period of 4 January 2025 to 28 April 2025", MADE, "2025-01-04", "2025-04-28"),
    # Parliament's calendar, from the shipped table
    ("the summer recess", "by the summer recess", date(2025, 5, 1), "2025-07-23", "2025-08-31"),
    ("before the summer recess", "before the summer recess", date(2022, 5, 26), "2022-05-26", "2022-07-21"),
    ("the Christmas recess (the Lords sat two days later)", "the Christmas recess", date(2023, 10, 1), "2023-12-20", "2024-01-09"),
    ("the Easter recess", "the Easter recess", date(2024, 1, 15), "2024-03-27", "2024-04-14"),
    ("the House rises", "the House rises for the summer", date(2022, 5, 26), "2022-05-26", "2022-07-21"),
    ("this session", "by the end of this session", date(2024, 1, 15), "2024-01-15", "2024-05-24"),
    ("the end of this Parliament", "by the end of this Parliament", MADE, "2024-09-10", "2029-07-08"),
    # SPEC §2.1: the latest lawful dissolution, though it was dissolved on 30 May 2024
    ("this Parliament, 2019", "over the course of this Parliament", date(2023, 6, 1), "2023-06-01", "2024-12-16"),
    ("this Parliament, 1999: to its dissolution", "by the end of this Parliament", date(1999, 1, 1), "1999-01-01",
     "2001-05-14"),
    ("this session, 2004", "this session", date(2004, 1, 6), "2004-01-06", "2004-11-18"),
    ("a recess of 2003", "before the summer recess", date(2003, 5, 1), "2003-05-01", "2003-07-17"),
    ("a recess after the table: its usual window", "by the Easter recess", date(2027, 1, 10), "2027-03-10",
     "2027-04-25"),
    # fiscal events: a named one is its season, an unnamed one is open
    ("the Spring Statement, from the table: its season", "at the Spring Statement", MADE, "2025-03-01",
     "2025-05-31"),
    ("before the Spring Statement: the day before it was held", "before the Spring Statement", MADE, str(MADE),
     "2025-03-25"),
    ("the Spring Statement, none in the table: its season", "at the Spring Statement", date(2026, 1, 10),
     "2026-03-01", "2026-05-31"),
    ("the Autumn Statement, none in the table: autumn to 10 December", "the Autumn Statement", MADE, "2024-09-01",
     "2024-12-10"),
    ("the Autumn Budget, from the table: its season", "the Autumn Budget 2025", MADE, "2025-09-01", "2025-11-30"),
    ("the Autumn Statement held after autumn: autumn to that day", "at the Autumn Statement", date(2013, 6, 1),
     "2013-09-01", "2013-12-05"),
    ("the next fiscal event", "at the next fiscal event", MADE, None, None),
    ("the Budget", "the Budget", MADE, None, None),
    # timing words that name no period: open, intensified or not
    ("imminently", "imminently", MADE, None, None),
    ("very imminently", "very imminently", MADE, None, None),
    ("the fullness of time", "in the fullness of time", MADE, None, None),
    ("the earliest opportunity", "at the earliest opportunity", MADE, None, None),
    ("parliamentary time", "when parliamentary time allows", MADE, None, None),
    ("as soon as parliamentary time", "as soon as parliamentary time allows", MADE, None, None),
    ("very soon indeed", "very soon indeed", MADE, None, None),
    ("very shortly", "very shortly", MADE, None, None),
    ("as quickly as possible", "as quickly as possible", MADE, None, None),
    # ordinals and older forms
    ("31st March", "31st March", MADE, "2025-03-31", "2025-03-31"),
    ("the 4th of April next", "the 4th of April next", MADE, "2025-04-04", "2025-04-04"),
    ("the 31st day of March", "the 31st day of March 2025", MADE, "2025-03-31", "2025-03-31"),
    ("January, 2031", "January, 2031", MADE, "2031-01-01", "2031-01-31"),
    ("time of day ignored", "5pm on 31 March", MADE, "2025-03-31", "2025-03-31"),
    ("time of day after", "31 March 2025 at 5pm", MADE, "2025-03-31", "2025-03-31"),
    ("midnight ignored", "midnight on 1 April 2025", MADE, "2025-04-01", "2025-04-01"),
    ("weekday checked", "Monday 31 March 2025", MADE, "2025-03-31", "2025-03-31"),
    ("weekday checked, no year", "Tuesday 1 October", MADE, "2024-10-01", "2024-10-01"),
    ("weekday, numeric", "Monday, 31/03/2025", MADE, "2025-03-31", "2025-03-31"),
    # issue 25, from the held-out corpus phrases
    ("X or Y next year: the year is the speaker's, lent to X", "in late February or early March next year",
     date(2005, 12, 5), "2006-02-21", "2006-03-10"),
    ("X or Y next year, X before Y's year", "December or January next year", date(2005, 9, 5), "2005-12-01",
     "2006-01-31"),
    ("w/c: the week commencing", "w/c 21 November 2011", MADE, "2011-11-21", "2011-11-27"),
    ("a weekday and a day of the month", "Tuesday 18", date(1999, 5, 13), "1999-05-18", "1999-05-18"),
    ("a weekday and a day of next month", "Friday 4th", date(2024, 9, 10), "2024-10-04", "2024-10-04"),
    ("the earliest convenient time", "at the earliest convenient time", MADE, None, None),
    ("when it is ready", "when it is ready", MADE, None, None),
    ("a span of calendar years", "2024–2027", MADE, "2024-01-01", "2027-12-31"),
    ("a financial year in two digits", "by 29/30", MADE, "2029-04-01", "2030-03-31"),
]


@pytest.mark.parametrize(("family", "phrase", "made_on", "earliest", "latest"), ROWS, ids=[r[0] for r in ROWS])
def test_each_family_reads_to_the_most_generous_deadline(family: str, phrase: str, made_on: date,
                                                         earliest: str | None, latest: str | None) -> None:
    window = resolve(phrase, made_on)
    if latest is None:
        assert window.is_open, window
        return
    assert (window.earliest, window.latest) == (d(earliest or ""), d(latest)), window


# (family, phrase, made_on, the start of the error message)
REFUSED = [
    ("wrong weekday", "Tuesday 31 March 2025", MADE,
     'due "Tuesday 31 March 2025" names the wrong weekday: 31 March 2025 is a Monday '
     '(did you mean "Monday 31 March 2025"?)'),
    ("wrong weekday, numeric", "Friday 31/03/2025", MADE,
     'due "Friday 31/03/2025" names the wrong weekday: 31 March 2025 is a Monday (did you mean "Monday 31/03/2025"?)'),
    ("a recess the table lacks", "by the summer recess", date(2013, 3, 1),
     'due "by the summer recess" is beyond the Parliament calendar table: the summer recess 2013 is not in'),
    ("session end not yet known", "this session", date(2026, 6, 1),
     'due "this session" is beyond the Parliament calendar table: the end of the 2026-27 session is not yet known'),
    ("no Parliament sitting", "the end of this Parliament", date(2024, 6, 15),
     'due "the end of this Parliament" is beyond the Parliament calendar table: made_on 2024-06-15 falls in no'),
    ("an unread compound stays an error", "December to Feb 2025", MADE,
     'due "December to Feb 2025" is not a date this bot can read'),
    ("a length with no period", "the 12 months to come", MADE, 'due "the 12 months to come" is not a date'),
    ("at least is no deadline", "until at least October", MADE,
     'due "until at least October" names the earliest it may happen ("after", "at least", "not before", "at the '
     'earliest"), not a deadline'),
    ("after X is no deadline", "after the summer recess", date(2021, 7, 22), 'due "after the summer recess" names the '
     "earliest it may happen"),
    ("X at the earliest is no deadline", "summer 2006 at the earliest", MADE, 'due "summer 2006 at the earliest" names '
     "the earliest it may happen"),
    ("a weekday that is not the day's", "Wednesday 18", date(1999, 5, 13),
     'due "Wednesday 18" names the wrong weekday: 18 May 1999 is a Tuesday (did you mean "Tuesday 18"?)'),
    ("a legislature's term (Westminster's or a devolved one?)", "within this term of Parliament", date(2019, 9, 3),
     'due "within this term of Parliament" names the term of a legislature or government'),
    ("an Assembly term", "in this Assembly term", date(2019, 7, 16),
     'due "in this Assembly term" names the term of a legislature or government'),
    ("when it is published: an event", "when it is published", MADE, 'due "when it is published" is not a date'),
    ("two digits that could be a day and month", "10/11", MADE, 'due "10/11" is not a date'),
    ("a year span in two digits is still a typo for the next", "2022-24", MADE, 'due "2022-24" is not a financial year'),
]


@pytest.mark.parametrize(("family", "phrase", "made_on", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_still_does_not_read_is_refused_with_a_reason(family: str, phrase: str, made_on: date,
                                                           message: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, made_on)
    assert str(e.value).startswith(message), str(e.value)


def test_a_misspelt_family_word_gets_a_suggestion_that_reads() -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve("imminentlyy", MADE)
    assert e.value.suggestion == "imminently"
    assert resolve(e.value.suggestion, MADE).is_open


@pytest.mark.parametrize(("phrase", "made_on", "rule", "entry"), [
    pytest.param("end August", date(2022, 2, 21), "SPEC §2.1 table: a month", None, id="table"),
    pytest.param("until March 2025", MADE, "beyond the table: a preposition", None, id="beyond"),
    pytest.param("by the summer recess", date(2025, 5, 1), "Parliament calendar: a recess", "summer recess 2025",
                 id="recess"),
    pytest.param("by the end of this Parliament", MADE, "Parliament calendar: the end of this Parliament",
                 "2024 Parliament", id="parliament"),
])
def test_explain_names_the_rule_and_the_table_entry(phrase: str, made_on: date, rule: str,
                                                    entry: str | None) -> None:
    reading = explain(phrase, made_on)
    assert reading.rule.startswith(rule), reading.rule
    assert (reading.entry.name if reading.entry else None) == entry
    if reading.entry:
        assert reading.entry.source.startswith("https://")


def test_every_table_row_cites_its_source_and_the_lawful_end_follows_the_act() -> None:
    rows = [*parliament.recesses(), *parliament.sessions(), *(e for e, _ in parliament.parliaments()),
            *parliament.fiscal_events()]
    assert all(r.source.startswith(("https://", "http://")) for r in rows), [r for r in rows if "http" not in r.source]
    for entry, dissolved in parliament.parliaments():
        if (dissolved or parliament.DCPA_IN_FORCE) >= parliament.DCPA_IN_FORCE:
            assert entry.last == parliament.latest_lawful_end(entry.first)  # DCPA 2022 s.4
        else:
            assert entry.last == dissolved
    assert parliament.latest_lawful_end(date(2024, 7, 9)) == date(2029, 7, 8)
