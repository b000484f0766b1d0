"""Whitehall time, found in review before release (issue 25): a crash, readings earlier than the words,
and words that read but were refused. SPEC §2.1: "always to the most generous deadline, never a silent
guess"; a wrong reading is worse than any refusal. One table per finding, each row a phrase as said.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from bot.when import parliament, phrases, workdays
from bot.when.calendars import rows
from bot.when.dates import UnreadableDate, explain, resolve


def d(text: str) -> date:
    return date.fromisoformat(text)


def latest(phrase: str, made_on: str) -> str:
    """The deadline as text: an ISO day, "open", or "refused: <why>"."""
    try:
        w = resolve(phrase, d(made_on))
    except UnreadableDate as e:
        return f"refused: {e}"
    return "open" if w.is_open else str(w.latest)


def check(phrase: str, made_on: str, expected: str) -> None:
    got = latest(phrase, made_on)
    if expected.startswith("refused"):
        assert got.startswith(expected), got
    else:
        assert got == expected, got


# -- 1. "the Summer Statement" crashed (KeyError): the 8 July 2020 statement is now a cited row --------------
SUMMER_STATEMENT = [
    ("at the Summer Statement", "2020-06-01", "2020-08-31"),  # a named fiscal event reads as its season (SPEC §2.1)
    ("before the Summer Statement", "2020-06-01", "2020-07-07"),
    ("by the Summer Statement 2020", "2019-06-01", "2020-08-31"),
    ("at the Summer Statement", "2024-06-01", 'refused: due "at the Summer Statement" is beyond the fiscal calendar '
     "table: no Summer Statement of 2024"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), SUMMER_STATEMENT)
def test_the_summer_statement_reads_from_its_row(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


def test_the_summer_statement_row_is_named_by_explain() -> None:
    reading = explain("at the Summer Statement", d("2020-06-01"))
    assert reading.entry is not None and reading.entry.name == "Summer Statement 2020"
    assert reading.entry.first == d("2020-07-08") and reading.entry.source.startswith("https://")
    assert parliament.calendar_name(reading.entry) == "Fiscal calendar"


FISCAL_WORDS = [f"{a} {b}" for a, b in itertools.product(("spring", "summer", "autumn"), ("statement", "budget"))] + [
    "pre-budget report", "budget", "spending review"]


@pytest.mark.parametrize("words", FISCAL_WORDS)
@pytest.mark.parametrize("made_on", ["1997-01-01", "2015-05-10", "2020-06-01", "2024-06-12", "2031-01-01"])
@pytest.mark.parametrize("shape", ["at the {w}", "before the {w}", "the {w} 2020", "the next {w}", "2017 {w}"])
def test_every_fiscal_event_the_words_can_name_reads_or_is_refused(words: str, made_on: str, shape: str) -> None:
    """Each name the fiscal-event family accepts has a reading or a reason: no KeyError reaches the user."""
    try:
        explain(shape.format(w=words), d(made_on))
    except UnreadableDate:
        pass


def test_when_validate_and_status_no_longer_crash_on_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("when", "at the Summer Statement", "--made-on", "2020-06-01", "--explain")
    assert result.exit_code == 0, result.output
    assert "Fiscal calendar row: Summer Statement 2020 (Summer Statement): 2020-07-08" in result.stdout
    register = tmp_path / "commitments.yaml"
    register.write_text(
        "version: 1\ntimezone: Europe/London\ncommitments:\n  - id: jobs-plan\n    title: Publish the jobs plan\n"
        "    owner: HM Treasury\n    made_by: Rishi Sunak\n    made_on: 2020-06-01\n    due: at the Summer Statement\n"
        "    source:\n      title: Test\n      quote: \"We will set out the plan at the Summer Statement.\"\n"
        "    status: open\n", encoding="utf-8")
    checked = cli("validate", "--file", str(register))
    assert checked.exit_code == 0, checked.output
    assert "KeyError" not in checked.output


# -- 2. "before 5pm on 31 January" read as by 30 January ---------------------------------------------------------
BEFORE_A_TIME = [
    ("before 5pm on 31 January 2025", "2025-01-31"),
    ("before midnight on 31 January 2025", "2025-01-31"),
    ("before noon on 31 January 2025", "2025-01-31"),
    ("before 12 noon on 31 January 2025", "2025-01-31"),
    ("before 23:59 on 31 January 2025", "2025-01-31"),
    ("before close of business on 31 January 2025", "2025-01-31"),
    ("ahead of 5pm on 31 January 2025", "2025-01-31"),
    ("prior to 11.59pm on 31 January", "2025-01-31"),
    ("before 31 January 2025 at 5pm", "2025-01-31"),
    ("before 31 January 2025", "2025-01-30"),  # no time of day: still the day before
    ("before 5pm in January 2025", 'refused: due "before 5pm in January 2025" names a time of day before a period'),
]


@pytest.mark.parametrize(("phrase", "expected"), BEFORE_A_TIME)
def test_before_a_time_of_day_on_a_day_is_by_that_day(phrase: str, expected: str) -> None:
    check(phrase, "2024-11-01", expected)


# -- 3. every recess reading takes the more generous House for what the words ask -------------------------------
RECESSES = [
    # 2023: the Commons rose on 20 July, the Lords on 25 July; the Commons returned later (4 Sep vs 3 Sep)
    ("the House rises for the summer recess", "2023-03-15", "2023-07-25"),
    ("before the House rises for the summer recess", "2023-03-15", "2023-07-25"),
    ("before the summer recess", "2023-03-15", "2023-07-25"),
    ("by the start of the summer recess", "2023-03-15", "2023-07-26"),
    ("by the summer recess", "2023-03-15", "2023-09-03"),
    ("during the summer recess", "2023-03-15", "2023-09-03"),
    # said during the recess, the House next rises for it a year on (not a day already past)
    ("the House rises for the summer recess", "2023-08-10", "2024-07-30"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), RECESSES)
def test_a_recess_reads_the_more_generous_house_for_what_is_asked(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


# -- 4. a House whose dates are not yet announced is its usual window, never the other House's row alone ---------
UNANNOUNCED = [
    ("before the conference recess", "2026-06-01", "2026-09-23"),  # the Lords' row alone said 17 Sep
    ("before the summer recess", "2026-03-01", "2026-07-31"),  # the Lords' row alone said 23 Jul
    ("by the conference recess", "2026-06-01", "2026-10-17"),
    ("before the Easter recess", "2026-01-01", "2026-03-27"),  # both Houses announced: the rows read
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), UNANNOUNCED)
def test_a_house_not_yet_announced_reads_as_its_usual_window(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


def test_explain_says_whose_dates_are_not_announced_and_which_row_it_weighed() -> None:
    entry = explain("before the conference recess", d("2026-06-01")).entry
    assert entry is not None and entry.house == "usual window"
    assert "Commons dates not yet announced: its usual window, not a fact" in entry.note
    assert "the Lords row 2026-09-18 – 2026-10-11" in entry.describe()


def test_the_table_alone_still_gives_each_row_as_announced() -> None:
    """bot/chase counts a House's sitting days from the rows as announced: without `unannounced` the
    Lords' 2026 conference recess is its row, not a Commons usual window."""
    row = parliament.recess("conference", d("2026-01-01"), year=2026)
    assert (row.house, row.first, row.last) == ("Lords", d("2026-09-18"), d("2026-10-11"))


# -- 5. "this session", "this Parliament": Westminster's, and --explain says what a devolved promise needs ------
def test_a_session_or_parliament_is_read_as_westminsters_and_explain_says_so() -> None:
    session = explain("by the end of this parliamentary session", d("2021-09-07"))
    assert session.window.latest == d("2022-04-28")
    assert "read as the UK Parliament's session (Westminster's): the Scottish Parliament calls its whole five-year " \
           "term a session, so a devolved Parliament's session would end later: for a devolved government's promise, " \
           "set deadline:" in session.rule
    this = explain("this Parliament", d("2021-09-07"))
    assert "read as the UK Parliament (Westminster): a devolved Parliament's or Assembly's term ends at another " \
           "time: for a devolved government's promise, set deadline:" in this.rule


DEVOLVED = ["in this session of the Scottish Parliament", "by the end of session 6", "this Holyrood session",
            "by the end of this Senedd", "within the lifetime of this Scottish Parliament", "the Assembly mandate"]


@pytest.mark.parametrize("phrase", DEVOLVED)
def test_words_naming_a_devolved_legislature_are_refused_with_why(phrase: str) -> None:
    check(phrase, "2021-06-01", f'refused: due "{phrase}" names a devolved legislature\'s session or term')


# -- 6. over Christmas to Boxing Day, over Easter to Easter Monday -----------------------------------------------
FEASTS = [
    ("over Christmas", "2022-05-10", "2022-12-26"),
    ("during Christmas", "2022-05-10", "2022-12-26"),
    ("over Christmas", "2022-12-27", "2023-12-26"),
    ("over Easter", "2022-01-10", "2022-04-18"),
    ("during Easter", "2022-01-10", "2022-04-18"),
    ("over the Easter weekend", "2022-01-10", "2022-04-18"),
    ("over Easter 2025", "2022-01-10", "2025-04-21"),
    ("by Christmas", "2022-05-10", "2022-12-25"),  # SPEC §2.1: "by Christmas" is Christmas Day
    ("by Easter", "2022-01-10", "2022-04-17"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), FEASTS)
def test_over_a_feast_runs_to_its_bank_holiday(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


# -- 7. "2024-2025" is two calendar years unless the words say financial (SPEC keeps "2024-25" financial) --------
YEAR_SPANS = [
    ("2024-2025", "2025-12-31"),
    ("in 2024 – 2025", "2025-12-31"),
    ("2024 to 2025", "2025-12-31"),
    ("between 2024 and 2025", "2025-12-31"),
    ("2024-25", "2025-03-31"),
    ("2024/25", "2025-03-31"),
    ("2024/2025", "2025-03-31"),
    ("FY 2024-2025", "2025-03-31"),
    ("the 2024-2025 financial year", "2025-03-31"),
    ("financial year 2024 to 2025", "2025-03-31"),
    ("the 2024 to 2025 tax year", "2025-04-05"),
    ("Q3 2024-2025", "2024-12-31"),
    ("winter 2024-2025", "2025-02-28"),
]


@pytest.mark.parametrize(("phrase", "expected"), YEAR_SPANS)
def test_a_span_of_two_years_in_full_reads_to_the_later_years_end(phrase: str, expected: str) -> None:
    check(phrase, "2024-03-06", expected)


def test_explain_names_the_financial_reading_it_did_not_take() -> None:
    rule = explain("2024-2025", d("2024-03-06")).rule
    assert "as a financial year it would end 31 March 2025" in rule and '"2024-25"' in rule


# -- 8. the winter of 2024 to 2025 -------------------------------------------------------------------------------
@pytest.mark.parametrize(("phrase", "expected"), [
    ("the winter of 2024 to 2025", "2025-02-28"),
    ("the winter of 2023 to 2024", "2024-02-29"),
    ("winter of 2024-25", "2025-02-28"),
    ("the summer of 2024 to 2025", "2025-12-31"),  # no season but winter spans two years: X to Y, to the later
])
def test_the_winter_of_two_years_is_that_winter(phrase: str, expected: str) -> None:
    check(phrase, "2024-03-06", expected)


# -- 9. open words of any wording are open ------------------------------------------------------------------------
OPEN_WORDS = ["in the not too distant future", "in the not-too-distant future", "before too long", "before long",
              "in the foreseeable future", "as early as possible", "as a matter of urgency", "sooner rather than later",
              "at some point", "in good time", "in time", "at the earliest practicable date", "presently",
              "in the short to medium term", "in the short-to-medium term", "in the medium to long term",
              "in the months and years ahead", "medium-term", "short-term", "in the longer term"]


@pytest.mark.parametrize("phrase", OPEN_WORDS)
def test_vague_timing_words_are_open(phrase: str) -> None:
    check(phrase, "2024-06-12", "open")


# -- 10. readable phrases that were refused --------------------------------------------------------------------
READABLE = [
    # working days: Monday to Friday, not the bank holidays of England and Wales
    ("within 20 working days", "2024-06-12", "2024-07-10"),
    ("within twenty working days", "2023-12-15", "2024-01-17"),  # 25, 26 Dec and 1 Jan skipped
    ("within 10 working days", "2024-03-22", "2024-04-09"),  # Good Friday and Easter Monday skipped
    ("within five working days", "2024-08-21", "2024-08-29"),  # the summer bank holiday skipped
    ("within 15 business days", "2024-06-12", "2024-07-03"),
    ("within 20 working days", "2028-12-20", 'refused: due "within 20 working days" counts working days past the '
     "bank holidays table"),
    # Whitsun: Whit Sunday, seven weeks after Easter Sunday
    ("by Whitsun", "2024-01-10", "2024-05-19"),
    ("by Whitsun 2003", "2002-12-01", "2003-06-08"),
    ("before Whitsun", "2002-01-10", "2002-05-18"),
    # financial and fiscal years
    ("in fiscal year 2023-24", "2023-01-01", "2024-04-05"),  # the financial or the tax year: to 5 April
    ("in the year 2024-25", "2024-01-01", "2025-03-31"),
    ("in the 2025/26 FY", "2024-06-06", "2026-03-31"),
    ("Q1 of the next financial year", "2024-10-30", "2025-06-30"),
    ("Q3 of this financial year", "2024-06-12", "2024-12-31"),
    ("in quarter 3 2022", "2022-03-23", "2022-09-30"),
    ("within the next quarter", "2024-06-12", "2024-09-30"),
    ("by the end of the quarter", "2024-06-12", "2024-06-30"),
    # spans from made_on
    ("within the next year", "2015-11-25", "2016-11-25"),
    ("within six calendar months", "2024-06-12", "2024-12-12"),
    ("in the next fortnight", "2024-06-12", "2024-06-26"),
    ("in the coming month", "2024-06-12", "2024-07-31"),  # as "in the next month"
    ("in the coming week", "2024-06-12", "2024-06-23"),  # next week: it read as this week, to Sunday 16 June
    ("in the weeks and months ahead", "2024-06-12", "2024-12-12"),  # as "in the coming weeks and months"
    ("within 48 hours", "2024-06-12", "2024-06-14"),
    ("within 24 hours", "2024-06-12", "2024-06-13"),
    ("within 36 hours", "2024-06-12", "2024-06-14"),  # whole days, rounded up
    ("within a decade", "2021-10-27", "2031-10-27"),
    # days and weeks
    ("by Friday", "2024-06-12", "2024-06-14"),
    ("on Thursday", "2024-06-10", "2024-06-13"),
    ("before Friday", "2024-06-12", "2024-06-13"),
    ("by Friday", "2024-06-14", 'refused: due "by Friday" names Friday, and it was said on a Friday'),
    ("in the first week of January", "2024-11-01", "2025-01-12"),  # 1 Jan 2025 is a Wednesday: the week of 6 Jan
    ("the first week of June 2024", "2024-01-01", "2024-06-09"),
    ("next April", "2024-11-01", "2025-04-30"),
    ("next April", "2024-02-01", "2025-04-30"),  # the later of the two Aprils it may mean
    ("by 12 noon on 1 April 2025", "2024-11-01", "2025-04-01"),
    ("by 30 June (the statutory deadline)", "2024-02-01", "2024-06-30"),
    ("by the 1 April 2026 implementation date", "2025-06-01", "2026-04-01"),
    ("this side of Christmas", "2022-10-10", "2022-12-24"),
    ("by Hogmanay", "2022-10-10", "2022-12-31"),
    ("by St David's Day 2025", "2024-10-10", "2025-03-01"),
    ("over the summer months", "2014-06-01", "2014-08-31"),
    ("this coming winter", "2022-09-23", "2023-02-28"),
    # the decade: the 2020s end with 2029, but "the end of the decade" is said of 2030 targets: the later
    ("by the end of the decade", "2021-10-27", "2030-12-31"),
    ("by the end of this decade", "2021-10-27", "2030-12-31"),
    ("towards the end of the decade", "2021-10-27", "2030-12-31"),
    # not read: a guess either way
    ("over the Christmas period", "2022-10-10", "refused"),
    ("in the next decade", "2021-10-27", "refused"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), READABLE)
def test_phrases_a_careful_reader_can_date_now_read(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


def test_working_days_are_counted_on_the_cited_table_of_england_and_wales() -> None:
    """One table for the reader and the chases' reply dates (bot/when/calendars/bank_holidays.csv)."""
    table = workdays.holidays("england-and-wales")
    assert all(r["source"].startswith("https://") for r in rows("bank_holidays.csv"))
    assert table.first == d("1997-01-01") and table.last.year >= 2028
    assert workdays.add_working_days(d("2025-12-19"), 4, "england-and-wales")[0] == d("2025-12-29")  # Christmas, Boxing Day


def test_open_words_are_checked_before_before() -> None:
    assert phrases.open_words("before too long") and not phrases.open_words("before the summer")
    assert re.search("open", explain("before too long", d("2024-06-12")).rule)


# -- found by fuzzing: a misspelling whose correction runs past year 9999 crashed the suggestion ------------------
@pytest.mark.parametrize("phrase", ["9999 too 1st", "next years for 9999 too w/c", "9999 too coming term few summer"])
def test_a_suggestion_past_the_calendars_end_is_no_suggestion_not_a_crash(phrase: str) -> None:
    with pytest.raises(UnreadableDate):
        explain(phrase, d("1900-01-01"))


# -- the README's "Other choices" table says what the reader does ------------------------------------------------
README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_choices() -> list[tuple[str, str, str]]:
    """(phrase, said on, read as) for each row of the README's "Other choices" table."""
    section = README.read_text(encoding="utf-8").split("## Whitehall time", 1)[1].split("\n## ", 1)[0]
    table = section.split("| phrase | said on | read as | why |", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| (\d{4}-\d{2}-\d{2}) \| ([^|]+?) \|", table, flags=re.MULTILINE)


def test_the_readme_choices_table_says_what_the_reader_does() -> None:
    rows = _readme_choices()
    assert len(rows) >= 20, rows
    for phrase, made_on, reading in rows:
        check(phrase, made_on, reading)


# == Found in a second review before release (issues 21–26) =====================================================
# -- 11. "Dec 25": two digits after a month may be a day or a two-digit year; "end Mar 25" is never the 25th ------
MONTH_AND_TWO_DIGITS = [
    # two digits after a month that can be a year not yet over and at most ten years on: refused, naming both
    ("by Dec 25", "2024-06-12", 'refused: due "by Dec 25" is ambiguous: "Dec 25" may be a day, 25 December 2024, or '
     'a month and a two-digit year, December 2025 (did you mean "25 December 2024" or "December 2025"?)'),
    ("Nov 26", "2024-06-12", 'refused: due "Nov 26" is ambiguous: "Nov 26" may be a day, 26 November 2024, or a month '
     "and a two-digit year, November 2026"),
    ("from April 26", "2024-06-12", 'refused: due "from April 26" is ambiguous'),
    ("by Jun 24", "2024-06-12", 'refused: due "by Jun 24" is ambiguous: "Jun 24" may be a day, 24 June 2024, or a month '
     "and a two-digit year, June 2024"),
    ("before Dec 25", "2024-06-12", 'refused: due "before Dec 25" is ambiguous'),
    # after "end", two digits are a year: the end of 25 March is no deadline anyone writes
    ("by end of Jun 25", "2024-06-12", 'refused: due "by end of Jun 25" names the end of a month and two digits, a '
     'two-digit year, not a day (did you mean "by end of June 2025"?)'),
    ("by end Mar 26", "2024-06-12", 'refused: due "by end Mar 26" names the end of a month and two digits'),
    ("end Mar 25", "2024-06-12", 'refused: due "end Mar 25" names the end of a month and two digits, a two-digit year, '
     'not a day (did you mean "end March 2025"?)'),
    ("end of December 24", "2024-06-12", 'refused: due "end of December 24" names the end of a month and two digits'),
    ("by the end of Dec 31", "2019-01-07", 'refused: due "by the end of Dec 31" names the end of a month and two digits'),
    # no such day in that month: only the year is left, and it is offered, not read
    ("by Feb 30", "2025-06-12", 'refused: due "by Feb 30" is not a real date: February never has 30 days (did you mean '
     '"by February 2030"?)'),
    # the words allow only the day
    ("25 Dec", "2024-06-12", "2024-12-25"),
    ("by 25 December", "2024-06-12", "2024-12-25"),
    ("December 25th", "2024-06-12", "2024-12-25"),
    ("December 25, 2024", "2024-06-12", "2024-12-25"),
    ("Wednesday December 25", "2024-06-12", "2024-12-25"),
    ("Dec 5", "2024-06-12", "2024-12-05"),  # one digit is no year
    ("by May 24", "2024-06-12", "2025-05-24"),  # May 2024 had ended: the next 24 May, later than the month
    ("the January 31 deadline", "2019-01-07", "2019-01-31"),  # 2031 is more than ten years on
    ("by March 31", "2019-01-07", "2019-03-31"),
    ("Dec 32", "2024-06-12", 'refused: due "Dec 32" is not a real date: December never has 32 days (did you mean '
     '"December 2032"?)'),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), MONTH_AND_TWO_DIGITS)
def test_two_digits_after_a_month_that_may_be_a_year_are_not_read_as_a_day(phrase: str, made_on: str,
                                                                            expected: str) -> None:
    check(phrase, made_on, expected)


def test_when_refuses_a_month_and_two_digits_naming_both_readings(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("when", "by end of Jun 25", "--made-on", "2024-06-12", "--explain")
    assert result.exit_code != 0 and "2024-06-25" not in result.output
    assert 'did you mean "by end of June 2025"?' in result.output
    result = cli("when", "by Dec 25", "--made-on", "2024-06-12", "--json")
    assert result.exit_code != 0 and '"25 December 2024" or "December 2025"' in result.output


# -- 12. before a Budget or Statement the table lacks: by the day before its latest day, never before its season ---
FISCAL_BEFORE = [
    # Autumn Budget 2025 was on 26 November; 2026's is not in the table: an autumn event has fallen as late as 10
    # December (the 2003 Pre-Budget Report), so before it is by 9 December (it read 31 August, before autumn)
    ("before the Autumn Budget", "2025-11-27", "2026-12-09"),
    ("ahead of the Autumn Budget 2026", "2025-12-01", "2026-12-09"),
    ("before the Autumn Budget", "2026-09-15", "2026-12-09"),  # said in autumn: 2026's may still come
    ("before the Autumn Statement", "2024-08-01", "2024-12-09"),  # 2024 held an Autumn Budget, no Autumn Statement
    # spring: the usual window runs to 31 May, so before the event is by 30 May (it read 28 February)
    ("ahead of the Spring Statement", "2025-03-27", "2026-05-30"),
    ("before the Spring Budget", "2024-06-01", "2025-05-30"),
    # an event the table holds: the day before it was held, as before
    ("before the Autumn Budget", "2024-08-01", "2024-10-29"),
    ("ahead of the Spring Statement", "2025-01-10", "2025-03-25"),
    # "by" one the table lacks: its usual window, as before
    ("by the Autumn Budget", "2025-11-27", "2026-12-10"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), FISCAL_BEFORE)
def test_before_a_fiscal_event_not_in_the_table_is_by_the_day_before_its_latest_day(phrase: str, made_on: str,
                                                                                    expected: str) -> None:
    check(phrase, made_on, expected)


def test_explain_says_before_an_unlisted_event_reads_to_its_latest_day() -> None:
    rule = explain("before the Autumn Budget", d("2025-11-27")).rule
    assert "the autumn budget of 2026 is not in the table" in rule and "not a fact" in rule
    assert "the latest day of its usual window (10 December 2026)" in rule, rule


# -- 13. the start of the new year is the new year: to the end of March, as "early in the new year" (SPEC §2.1) -----
NEW_YEAR_START = [
    ("at the start of the new year", "2025-06-12", "2026-03-31"),  # it read the new year's first third, 31 January
    ("at the beginning of the new year", "2025-06-12", "2026-03-31"),
    ("the start of the new year", "2025-06-12", "2026-03-31"),
    ("at the very start of the new year", "2025-06-12", "2026-03-31"),
    ("at the outset of the new year", "2025-06-12", "2026-03-31"),
    ("in the new year", "2025-06-12", "2026-03-31"),
    ("early in the new year", "2025-06-12", "2026-03-31"),
    ("by the start of the new year", "2025-06-12", "2026-01-01"),  # "by the start of X" is the day X begins
    ("before the start of the new year", "2025-06-12", "2025-12-31"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), NEW_YEAR_START)
def test_the_start_of_the_new_year_reads_as_the_new_year(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


# -- 14. "next Tuesday" said at the weekend: the coming Tuesday is "this Tuesday" to many, so the one after ---------
NEXT_WEEKDAY = [
    ("next Tuesday", "2024-06-16", "2024-06-25"),  # a Sunday: it read the 18th, the same day as "this Tuesday"
    ("next Tuesday", "2024-06-15", "2024-06-25"),  # a Saturday
    ("next Monday", "2024-06-16", "2024-06-24"),  # not tomorrow
    ("on next Friday", "2024-06-15", "2024-06-28"),
    ("this Tuesday", "2024-06-16", "2024-06-18"),
    ("next Tuesday", "2024-06-12", "2024-06-18"),  # a Wednesday: next week's, as before
    ("next Tuesday", "2024-06-10", "2024-06-18"),  # a Monday: next week's, not tomorrow, as before
    ("next Saturday", "2024-06-15", "2024-06-22"),  # at the weekend a weekend day is next week's: a week today
    ("next Sunday", "2024-06-15", "2024-06-23"),  # not tomorrow
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), NEXT_WEEKDAY)
def test_next_weekday_said_at_the_weekend_is_the_later_one(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


# -- 15. a register of financial quarters reads a half without a year as a financial half, as it reads "Q1" -------
HALVES = [
    # (phrase, made_on, quarters, deadline); H1 of a financial year is April to September, H2 October to March
    ("H1", "2025-02-01", "financial", "2025-09-30"),  # it read the calendar H1, to 30 June
    ("the first half", "2025-02-01", "financial", "2025-09-30"),
    ("by the end of H1", "2025-02-01", "financial", "2025-09-30"),
    ("H2", "2025-02-01", "financial", "2025-03-31"),  # the financial H2 under way: October 2024 to March 2025
    ("second half", "2025-02-01", "financial", "2025-03-31"),
    ("before H1", "2025-02-01", "financial", "2025-03-31"),
    ("H1", "2025-02-01", "calendar", "2025-06-30"),  # the default is calendar, as for quarters
    ("H1 2025", "2025-02-01", "financial", "2025-06-30"),  # with a calendar year, a calendar half, as "Q1 2025"
    ("the first half of the year", "2025-02-01", "financial", "2025-06-30"),
    ("H1 2025/26", "2025-02-01", "calendar", "2025-09-30"),  # with a financial year, a financial half
]


@pytest.mark.parametrize(("phrase", "made_on", "quarters", "expected"), HALVES)
def test_a_half_without_a_year_is_read_as_the_registers_quarters_say(phrase: str, made_on: str, quarters: str,
                                                                     expected: str) -> None:
    assert str(resolve(phrase, d(made_on), quarters).latest) == expected


def test_when_says_a_half_was_read_as_a_financial_half(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("when", "H1", "--made-on", "2025-02-01", "--quarters", "financial", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == '"H1" → half: 1 Apr – 30 Sep 2025; deadline 2025-09-30'
    assert lines[1] == ("read as a financial half; set defaults.quarters: calendar in the register, or --quarters "
                        "calendar, to read it as a calendar half")
    assert lines[2].startswith("read by: SPEC §2.1 table: a half of a financial year"), lines[2]
    quarter = cli("when", "Q1", "--made-on", "2025-02-01", "--quarters", "financial", "--explain").output
    assert "read by: SPEC §2.1 table: a financial quarter" in quarter, quarter  # it said "a calendar quarter"


# -- 16. "within the calendar year" is the calendar year it was said in, as "this calendar year" (SPEC §2.1) -------
WITHIN_THE_CALENDAR = [
    ("within the calendar year", "2025-06-01", "2025-12-31"),  # it read twelve months, to 1 June 2026
    ("within this calendar year", "2025-06-01", "2025-12-31"),
    ("within the current calendar year", "2025-06-01", "2025-12-31"),
    ("within the calendar month", "2025-06-01", "2025-06-30"),  # it read to 1 July
    ("within the calendar week", "2025-06-04", "2025-06-08"),  # weeks end on Sunday
    ("within the next calendar year", "2025-06-01", "2026-12-31"),  # the whole of next year, as "next calendar year"
    ("within the next calendar month", "2025-06-01", "2025-07-31"),
    ("this calendar year", "2025-06-01", "2025-12-31"),
    # a length stays a length
    ("within a calendar year", "2025-06-01", "2026-06-01"),
    ("within six calendar months", "2025-06-01", "2025-12-01"),
    ("within the year", "2025-06-01", "2026-06-01"),
]


@pytest.mark.parametrize(("phrase", "made_on", "expected"), WITHIN_THE_CALENDAR)
def test_within_the_calendar_year_or_month_is_that_calendar_period(phrase: str, made_on: str, expected: str) -> None:
    check(phrase, made_on, expected)


# -- 17. punctuation a pasted phrase carries, and Parliament rising --------------------------------------------------
PUNCTUATION = [
    ("2024\u201025", "2025-03-31"),  # a Unicode hyphen, as an en dash already read
    ("2024\u201125", "2025-03-31"),  # a non-breaking hyphen
    ("2024\u221225", "2025-03-31"),  # a minus sign
    ("by March 2025!", "2025-03-31"),
    ('"by March 2025"', "2025-03-31"),
    ("\u201cby March 2025\u201d", "2025-03-31"),
    ("\u2018by March 2025\u2019.", "2025-03-31"),
    ("before Parliament rises for the summer", "2024-07-30"),  # as "before the House rises for the summer"
    ("before the House rises for the summer", "2024-07-30"),
]


@pytest.mark.parametrize(("phrase", "expected"), PUNCTUATION)
def test_hyphens_quotes_and_an_exclamation_mark_do_not_stop_a_phrase_reading(phrase: str, expected: str) -> None:
    check(phrase, "2024-03-01", expected)


@pytest.mark.parametrize("phrase", ["by the end of the new year", "the end of the new year", "end of new year",
                                    "towards the end of the new year", "the middle of the new year",
                                    "the second half of the new year"])
def test_a_part_of_the_new_year_is_refused_not_read_early(phrase: str) -> None:
    """Found in the second review: "by the end of the new year" read as 31 March (the new year's own
    reading), and "the middle of the new year" as February; either may mean next year's end or middle,
    months later. Refused, naming both, rather than read early."""
    with pytest.raises(UnreadableDate, match='names a part of "the new year"'):
        resolve(phrase, date(2025, 6, 12))


def test_the_new_year_itself_still_reads_to_the_end_of_march() -> None:
    assert resolve("in the new year", date(2025, 6, 12)).latest == date(2026, 3, 31)
    assert resolve("early in the new year", date(2025, 6, 12)).latest == date(2026, 3, 31)
