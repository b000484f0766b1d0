"""Reading "Whitehall time" (SPEC 2.1): every table row, its variants, and every error path."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.when.dates import UnreadableDate, Window, describe, resolve

MADE = date(2022, 2, 21)  # the Migrant Victim Protocol letter


def d(text: str) -> date:
    return date.fromisoformat(text)


# (phrase, made_on, kind, earliest, latest)
ROWS = [
    # that day
    ("2022-08-31", MADE, "day", "2022-08-31", "2022-08-31"),
    ("31 August 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("31/08/2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("31st August 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("1/9/2022", MADE, "day", "2022-09-01", "2022-09-01"),
    ("31st of August 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("August 31, 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("Wednesday 31 August 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("by 31 Aug 2022", MADE, "day", "2022-08-31", "2022-08-31"),
    ("no later than 31 March 2023", MADE, "day", "2023-03-31", "2023-03-31"),
    ("29 February", MADE, "day", "2024-02-29", "2024-02-29"),
    ("2022-08-31", None, "day", "2022-08-31", "2022-08-31"),
    # months
    ("August 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("by August 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("end August", MADE, "month", "2022-08-01", "2022-08-31"),
    ("end of August 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("by the end of August", MADE, "month", "2022-08-01", "2022-08-31"),
    ("Aug 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("Sept 2022", MADE, "month", "2022-09-01", "2022-09-30"),
    ("end-August 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("February 2024", MADE, "month", "2024-02-01", "2024-02-29"),
    ("August of 2022", MADE, "month", "2022-08-01", "2022-08-31"),
    ("August next year", MADE, "month", "2023-08-01", "2023-08-31"),
    ("next month", MADE, "month", "2022-03-01", "2022-03-31"),
    ("this month", MADE, "month", "2022-02-21", "2022-02-28"),
    # early / mid / late month
    ("early August 2022", MADE, "month", "2022-08-01", "2022-08-10"),
    ("mid August 2022", MADE, "month", "2022-08-11", "2022-08-20"),
    ("late August 2022", MADE, "month", "2022-08-21", "2022-08-31"),
    ("mid-August 2022", MADE, "month", "2022-08-11", "2022-08-20"),
    ("late February 2024", MADE, "month", "2024-02-21", "2024-02-29"),
    ("late September", MADE, "month", "2022-09-21", "2022-09-30"),
    ("at the start of September 2022", MADE, "month", "2022-09-01", "2022-09-10"),
    ("by the start of September 2022", MADE, "day", "2022-02-21", "2022-09-01"),  # by the day it begins
    # seasons (meteorological)
    ("spring 2022", MADE, "season", "2022-03-01", "2022-05-31"),
    ("summer 2022", MADE, "season", "2022-06-01", "2022-08-31"),
    ("autumn 2022", MADE, "season", "2022-09-01", "2022-11-30"),
    ("by autumn 2022", MADE, "season", "2022-09-01", "2022-11-30"),
    ("winter 2022", MADE, "season", "2022-12-01", "2023-02-28"),
    ("winter 2023", MADE, "season", "2023-12-01", "2024-02-29"),
    ("winter 2022/23", MADE, "season", "2022-12-01", "2023-02-28"),
    ("winter 2022-2023", MADE, "season", "2022-12-01", "2023-02-28"),
    ("in the summer", d("2022-08-09"), "season", "2022-06-01", "2022-08-31"),
    ("the summer", MADE, "season", "2022-06-01", "2022-08-31"),
    ("the summer of 2023", MADE, "season", "2023-06-01", "2023-08-31"),
    ("this summer", MADE, "season", "2022-06-01", "2022-08-31"),
    ("by the end of the summer", MADE, "season", "2022-06-01", "2022-08-31"),
    ("autumn", d("2022-12-01"), "season", "2023-09-01", "2023-11-30"),
    ("winter", d("2022-01-15"), "season", "2021-12-01", "2022-02-28"),
    # quarters
    ("Q1 2023", MADE, "quarter", "2023-01-01", "2023-03-31"),
    ("Q2 2023", MADE, "quarter", "2023-04-01", "2023-06-30"),
    ("Q3 2023", MADE, "quarter", "2023-07-01", "2023-09-30"),
    ("Q4 2023", MADE, "quarter", "2023-10-01", "2023-12-31"),
    ("first quarter of 2023", MADE, "quarter", "2023-01-01", "2023-03-31"),
    ("the third quarter of 2023", MADE, "quarter", "2023-07-01", "2023-09-30"),
    ("the last quarter of 2023", MADE, "quarter", "2023-10-01", "2023-12-31"),
    ("by the end of Q2", MADE, "quarter", "2022-04-01", "2022-06-30"),
    ("Q1", MADE, "quarter", "2022-01-01", "2022-03-31"),
    ("next quarter", MADE, "quarter", "2022-04-01", "2022-06-30"),
    ("this quarter", MADE, "quarter", "2022-02-21", "2022-03-31"),
    # halves
    ("first half of 2023", MADE, "half", "2023-01-01", "2023-06-30"),
    ("H1 2023", MADE, "half", "2023-01-01", "2023-06-30"),
    ("second half", MADE, "half", "2022-07-01", "2022-12-31"),
    ("H2 2023", MADE, "half", "2023-07-01", "2023-12-31"),
    ("H2", MADE, "half", "2022-07-01", "2022-12-31"),
    ("second half of 2023", MADE, "half", "2023-07-01", "2023-12-31"),
    ("the first half of next year", MADE, "half", "2023-01-01", "2023-06-30"),
    ("first half", d("2022-07-01"), "half", "2023-01-01", "2023-06-30"),
    # years
    ("2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("in 2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("by the end of 2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("end of 2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("during 2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("2023", None, "year", "2023-01-01", "2023-12-31"),
    # early / mid / late year
    ("early 2023", MADE, "year", "2023-01-01", "2023-04-30"),
    ("early 2023", None, "year", "2023-01-01", "2023-04-30"),
    ("mid 2023", MADE, "year", "2023-05-01", "2023-08-31"),
    ("mid-2023", MADE, "year", "2023-05-01", "2023-08-31"),
    ("late 2023", MADE, "year", "2023-09-01", "2023-12-31"),
    ("later in 2023", MADE, "year", "2023-09-01", "2023-12-31"),
    ("early next year", MADE, "year", "2023-01-01", "2023-04-30"),
    # financial years
    ("2022-23", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("2022/23", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    # two years in full with nothing saying "financial" (issue 25 review): the two calendar years, the most
    # generous of the readings (financial year to 31 March, academic to 31 August, calendar to 31 December)
    ("2022-2023", MADE, "year", "2022-01-01", "2023-12-31"),
    ("2022/2023", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("FY 2022-23", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("FY2022/23", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("FY22/23", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("financial year 2022 to 2023", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("the 2022-23 financial year", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("2022\u201323", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("in 2022-23", None, "financial-year", "2022-04-01", "2023-03-31"),
    ("2099-00", None, "financial-year", "2099-04-01", "2100-03-31"),
    # this year / next year
    ("this year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("later this year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("by the end of the year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("by the end of this year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("by year-end", MADE, "year", "2022-02-21", "2022-12-31"),
    ("next year", MADE, "year", "2023-01-01", "2023-12-31"),
    ("by the end of next year", MADE, "year", "2023-01-01", "2023-12-31"),
    # financial years relative to made_on
    ("this financial year", MADE, "financial-year", "2022-02-21", "2022-03-31"),
    ("this financial year", d("2022-04-01"), "financial-year", "2022-04-01", "2023-03-31"),
    ("by the end of the financial year", d("2022-06-01"), "financial-year", "2022-06-01",
     "2023-03-31"),
    ("next financial year", MADE, "financial-year", "2022-04-01", "2023-03-31"),
    ("next financial year", d("2022-04-01"), "financial-year", "2023-04-01", "2024-03-31"),
    # within N
    ("within 6 months", MADE, "relative", "2022-02-21", "2022-08-21"),
    ("within six months", MADE, "relative", "2022-02-21", "2022-08-21"),
    ("in the next twelve weeks", MADE, "relative", "2022-02-21", "2022-05-16"),
    ("within a year", MADE, "relative", "2022-02-21", "2023-02-21"),
    ("within 30 days", MADE, "relative", "2022-02-21", "2022-03-23"),
    ("within twenty days", MADE, "relative", "2022-02-21", "2022-03-13"),
    ("within the next two years", MADE, "relative", "2022-02-21", "2024-02-21"),
    ("within an month", MADE, "relative", "2022-02-21", "2022-03-21"),
    ("within 1 month", d("2023-01-31"), "relative", "2023-01-31", "2023-02-28"),
    ("in six months' time", MADE, "relative", "2022-02-21", "2022-08-21"),
    ("in 3 months", MADE, "relative", "2022-02-21", "2022-05-21"),
    # the coming weeks / months
    ("in the coming weeks", MADE, "relative", "2022-02-21", "2022-04-21"),
    ("over the coming months", MADE, "relative", "2022-02-21", "2022-08-21"),
    ("in the coming months", MADE, "relative", "2022-02-21", "2022-08-21"),
    ("over the next few months", MADE, "relative", "2022-02-21", "2022-06-21"),  # a few = at most four (issue 25)
    # Christmas and Easter
    ("by Christmas 2022", MADE, "day", "2022-02-21", "2022-12-25"),
    ("by Easter 2023", MADE, "day", "2022-02-21", "2023-04-09"),
    ("by Easter 2022", MADE, "day", "2022-02-21", "2022-04-17"),
    ("by Christmas", d("2022-12-28"), "day", "2022-12-28", "2023-12-25"),
    ("by Easter", MADE, "day", "2022-02-21", "2022-04-17"),
    ("by Christmas 2022", None, "day", None, "2022-12-25"),
    # before X: made_on to the day before X begins, keeping X's kind
    ("before autumn 2022", MADE, "season", "2022-02-21", "2022-08-31"),
    ("before August", MADE, "month", "2022-02-21", "2022-07-31"),
    ("before August", d("2022-08-15"), "month", "2022-08-15", "2023-07-31"),
    ("before 2023", MADE, "year", "2022-02-21", "2022-12-31"),
    ("before Q2 2023", MADE, "quarter", "2022-02-21", "2023-03-31"),
    ("before the 2023-24 financial year", MADE, "financial-year", "2022-02-21", "2023-03-31"),
    ("before 1 May 2022", MADE, "day", "2022-02-21", "2022-04-30"),
    ("before Christmas", MADE, "day", "2022-02-21", "2022-12-24"),
    ("before next year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("before the summer", MADE, "season", "2022-02-21", "2022-05-31"),
    ("prior to spring 2023", MADE, "season", "2022-02-21", "2023-02-28"),
    ("before autumn 2022", None, "season", None, "2022-08-31"),
    # before the end of X = by the end of X
    ("before the end of August", MADE, "month", "2022-08-01", "2022-08-31"),
    ("before the end of 2023", MADE, "year", "2023-01-01", "2023-12-31"),
    ("before the end of the year", MADE, "year", "2022-02-21", "2022-12-31"),
    ("before end of autumn 2022", MADE, "season", "2022-09-01", "2022-11-30"),
    # leading words, case, spacing and a trailing full stop
    ("aim to implement them by end August", MADE, "month", "2022-08-01", "2022-08-31"),
    ("We aim to implement them by end August.", MADE, "month", "2022-08-01", "2022-08-31"),
    ("from April 2023", MADE, "month", "2023-04-01", "2023-04-30"),
    ("  BY   THE END OF   AUGUST  ", MADE, "month", "2022-08-01", "2022-08-31"),
    ("Autumn 2022.", MADE, "season", "2022-09-01", "2022-11-30"),
    ("during the summer", MADE, "season", "2022-06-01", "2022-08-31"),
]


@pytest.mark.parametrize(("phrase", "made_on", "kind", "earliest", "latest"), ROWS)
def test_reads_the_table(phrase: str, made_on: date | None, kind: str, earliest: str | None,
                         latest: str) -> None:
    w = resolve(phrase, made_on)
    assert (w.kind, w.earliest, w.latest) == (
        kind, d(earliest) if earliest else None, d(latest))
    assert w.deadline == w.latest
    assert not w.is_open


@pytest.mark.parametrize(("phrase", "made_on", "latest"), [
    ("end August", MADE, "2022-08-31"),
    ("end August", d("2022-08-31"), "2022-08-31"),
    ("end August", d("2022-09-01"), "2023-08-31"),
    ("in the summer", d("2022-08-09"), "2022-08-31"),
    ("in the summer", d("2022-09-01"), "2023-08-31"),
    ("winter", d("2022-03-01"), "2023-02-28"),
    ("Q1", d("2022-04-01"), "2023-03-31"),
    ("31 March", d("2022-03-31"), "2022-03-31"),
    ("31 March", d("2022-04-01"), "2023-03-31"),
])
def test_a_phrase_without_a_year_is_the_first_period_ending_on_or_after_made_on(
        phrase: str, made_on: date, latest: str) -> None:
    assert resolve(phrase, made_on).latest == d(latest)


OPEN_PHRASES = [
    "in due course", "as soon as practicable", "as soon as is practicable",
    "as soon as possible", "shortly", "soon", "medium-term", "medium term",
    "in the medium term", "long-term", "in the future", "In Due Course.", "in the long term",
]


@pytest.mark.parametrize("phrase", OPEN_PHRASES)
def test_open_phrases_have_no_deadline(phrase: str) -> None:
    w = resolve(phrase, MADE)
    assert w == Window("open", None, None)
    assert w.is_open and w.deadline is None


@pytest.mark.parametrize("phrase", ["in due course", "soon"])
def test_open_phrases_need_no_made_on(phrase: str) -> None:
    assert resolve(phrase, None).is_open


# (phrase, made_on, suggestion)
MISSPELT = [
    ("autum 2022", MADE, "autumn 2022"),
    ("Agust 2022", MADE, "August 2022"),
    ("end of Spetember", MADE, "end of September"),
    ("end of Spetember", None, "end of September"),
    ("autum 2022", None, "autumn 2022"),
    ("aim to implement them by end Agust", MADE, "aim to implement them by end August"),
    ("in due cource", MADE, "in due course"),
    ("by Chrismas 2022", MADE, "by Christmas 2022"),
    ("wihtin six months", MADE, "within six months"),
    ("sumer", MADE, "summer"),
    ("erly 2023", MADE, "early 2023"),
]


@pytest.mark.parametrize(("phrase", "made_on", "suggestion"), MISSPELT)
def test_misspellings_get_a_suggestion_that_itself_reads(
        phrase: str, made_on: date | None, suggestion: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, made_on)
    assert e.value.suggestion == suggestion
    assert str(e.value) == (f'due "{phrase}" is not a date this bot can read '
                            f'(did you mean "{suggestion}"?)')
    resolve(suggestion, made_on or MADE)  # the suggestion reads


@pytest.mark.parametrize("phrase", ["blah", "whenever", "", "sometime", "early-ish spring"])
def test_unreadable_without_suggestion_says_what_would_read(phrase: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, MADE)
    assert e.value.suggestion is None
    assert "is not a date this bot can read (try an ISO date like 2022-08-31" in str(e.value)


@pytest.mark.parametrize(("phrase", "message"), [
    ("2022-02-30", 'due "2022-02-30" is not a real date: February 2022 has 28 days'),
    ("31/02/2022", 'due "31/02/2022" is not a real date: February 2022 has 28 days'),
    ("29 February 2023", 'due "29 February 2023" is not a real date: February 2023 has 28 days'),
    ("2022-13-01", 'due "2022-13-01" is not a real date: there is no month 13 '
                   "(numeric dates are day-first: DD/MM/YYYY)"),
    ("08/31/2022", 'due "08/31/2022" is not a real date: there is no month 31 '
                   "(numeric dates are day-first: DD/MM/YYYY)"),
    ("31 April", 'due "31 April" is not a real date: April never has 31 days'),
    ("Q5 2023", 'due "Q5 2023" names quarter 5, but quarters run Q1 to Q4'),
    ("H3 2023", 'due "H3 2023" names half 3, but a year has H1 and H2 only'),
    ("2022-24", 'due "2022-24" is not a financial year: the second year must follow the first '
                '(e.g. "2022-23")'),
    ("2022-08", 'due "2022-08" is not a financial year: the second year must follow the first '
                '(e.g. "2022-23" or, for a month, "August 2022")'),
    ("summer 2022/23", 'due "summer 2022/23" spans two years, but only winter does '
                       '(e.g. "winter 2022")'),
    ("before soon", 'due "before soon" needs a period after "before", e.g. "before autumn 2022" '
                    'or "before 1 May 2023"'),
    ("before within six months", 'due "before within six months" needs a period after '
                                 '"before", e.g. "before autumn 2022" or "before 1 May 2023"'),
    ("before this year", 'due "before this year" needs a period after "before", '
                         'e.g. "before autumn 2022" or "before 1 May 2023"'),
])
def test_precise_messages(phrase: str, message: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, MADE)
    assert str(e.value) == message
    assert e.value.suggestion is None


@pytest.mark.parametrize("phrase", [
    "end August", "the summer", "this year", "later this year", "next year", "Q1",
    "this financial year", "next financial year", "within 6 months", "in the coming weeks",
    "by Christmas", "before August", "31 March", "second half",
])
def test_a_phrase_needing_made_on_without_one_is_an_error(phrase: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, None)
    assert str(e.value) == (f'due "{phrase}" has no year and no made_on to read it against '
                            "(add a year, or a made_on)")


def test_unreadable_date_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="autumn 2022"):
        resolve("autum 2022", MADE)


def test_a_datetime_made_on_is_read_as_its_day() -> None:
    assert resolve("this year", datetime(2022, 2, 21, 23, 59)) == resolve("this year", MADE)


def test_an_inverted_window_is_clamped_to_its_deadline() -> None:
    w = resolve("by Christmas 2022", d("2023-01-05"))
    assert (w.earliest, w.latest) == (d("2022-12-25"), d("2022-12-25"))


def test_resolve_is_memoised_and_returns_equal_frozen_windows() -> None:
    a, b = resolve("end August", MADE), resolve("End  August.", MADE)
    assert a == b and a is resolve("end August", MADE)
    with pytest.raises(AttributeError):
        a.latest = None  # type: ignore[misc]


def test_window_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="unknown window kind"):
        Window("fortnight", None, None)


@pytest.mark.parametrize(("window", "text"), [
    (Window("day", d("2022-08-31"), d("2022-08-31")), "31 Aug 2022"),
    (Window("season", d("2022-06-01"), d("2022-08-31")), "1 Jun – 31 Aug 2022"),
    (Window("season", d("2022-12-01"), d("2023-02-28")), "1 Dec 2022 – 28 Feb 2023"),
    (Window("day", None, d("2022-12-25")), "by 25 Dec 2022"),
    (Window("open", None, None), "open-ended"),
])
def test_describe(window: Window, text: str) -> None:
    assert describe(window) == text


def test_the_python_surface_of_spec_4_still_imports() -> None:
    """SPEC §4: `from bot.dates import resolve` (the reader lives in bot/when/ since issue 23)."""
    from bot.dates import UnreadableDate, resolve

    assert resolve("end August", date(2022, 2, 21)).deadline == date(2022, 8, 31)
    with pytest.raises(ValueError):
        resolve("autum 2022", None)
    assert issubclass(UnreadableDate, ValueError)


@pytest.mark.parametrize(("phrase", "kind"), [("this week", "relative"), ("the end of this Parliament", "relative"),
                                              ("the summer recess", "relative"), ("end August", "month")])
def test_the_python_surface_gives_only_the_kinds_spec_4_lists(phrase: str, kind: str) -> None:
    """Found in an acceptance audit: resolve() gave the reader's own families ("week",
    "parliament"), which SPEC §4's list of kinds does not hold; `when --json` already mapped them."""
    from bot.dates import resolve

    assert resolve(phrase, date(2022, 2, 21)).kind == kind


# Issue 25 audit H3: "this <season>" names the season of the year it was said in (in January and February,
# "this winter" is the one in progress), never next year's. Said once that season had ended (or, after
# "before", once it had begun), the words name a time already past: refused with both readings named,
# never silently moved a year on. Bare "summer" keeps SPEC's first period ending on or after made_on.
THIS_SEASON_READS = [
    ("this summer", d("2019-02-01"), "2019-06-01", "2019-08-31"),
    ("this summer", d("2019-08-31"), "2019-06-01", "2019-08-31"),
    ("by the end of this summer", d("2019-07-15"), "2019-06-01", "2019-08-31"),
    ("this autumn", d("2019-11-30"), "2019-09-01", "2019-11-30"),
    ("later this autumn", d("2019-10-01"), "2019-10-01", "2019-11-30"),
    ("this winter", d("2020-01-15"), "2019-12-01", "2020-02-29"),
    ("this winter", d("2019-03-15"), "2019-12-01", "2020-02-29"),
    ("this winter", d("2019-12-01"), "2019-12-01", "2020-02-29"),
    ("this spring", d("2019-01-10"), "2019-03-01", "2019-05-31"),
    ("summer", d("2019-09-05"), "2020-06-01", "2020-08-31"),
    ("in the summer", d("2019-09-05"), "2020-06-01", "2020-08-31"),
]


@pytest.mark.parametrize(("phrase", "made_on", "earliest", "latest"), THIS_SEASON_READS,
                         ids=[f"{r[0]} {r[1]}" for r in THIS_SEASON_READS])
def test_this_season_is_the_season_of_the_year_it_was_said(phrase: str, made_on: date, earliest: str,
                                                             latest: str) -> None:
    w = resolve(phrase, made_on)
    assert (w.earliest, w.latest) == (d(earliest), d(latest)), w


THIS_SEASON_ENDED = [
    ("this summer", d("2019-09-05"),
     'due "this summer" names summer 2019, which had ended (31 August 2019) before it was said (5 September 2019)'),
    ("by the end of this summer", d("2019-09-15"), 'due "by the end of this summer" names summer 2019, which had '
     "ended (31 August 2019) before it was said (15 September 2019)"),
    ("this autumn", d("2019-12-01"), 'due "this autumn" names autumn 2019, which had ended (30 November 2019)'),
    ("later this autumn", d("2019-12-01"), 'due "later this autumn" names autumn 2019, which had ended'),
    ("this spring", d("2019-12-20"), 'due "this spring" names spring 2019, which had ended (31 May 2019)'),
    ("summer of this year", d("2019-09-05"), 'due "summer of this year" names summer 2019, which had ended'),
    ("before this summer", d("2019-07-15"),
     'due "before this summer" names summer 2019, which had begun (1 June 2019) before it was said (15 July 2019)'),
]


@pytest.mark.parametrize(("phrase", "made_on", "message"), THIS_SEASON_ENDED,
                         ids=[f"{r[0]} {r[1]}" for r in THIS_SEASON_ENDED])
def test_this_season_said_after_it_ended_is_refused_naming_both_readings(phrase: str, made_on: date,
                                                                         message: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, made_on)
    assert str(e.value).startswith(message), str(e.value)
    assert "set deadline: by hand" in str(e.value)
