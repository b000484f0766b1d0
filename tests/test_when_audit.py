"""Readings an audit of Whitehall time found wrong (issue 25, audit 5), one table row each.

A wrong reading (a deadline other than a careful reader's) is the worst failure the reader can
have (SPEC §2.1); each row here read to a different deadline before its fix, or read silently
where the words name a time already past. Refusals carry their reason and, where one reads, the
phrase to write instead.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.when.dates import UnreadableDate, explain, resolve


def d(text: str) -> date:
    return date.fromisoformat(text)


# (what, phrase, made_on, earliest, latest)
READS = [
    # 1. a two-digit year is the year with those digits nearest made_on, not always 20YY
    ("two digits, said the year before", "by 31/3/99", d("1998-06-01"), "1999-03-31", "1999-03-31"),
    ("two digits, said the same year", "31/3/98", d("1998-06-01"), "1998-03-31", "1998-03-31"),
    ("two digits, seven years on", "1/4/05", d("1998-06-01"), "2005-04-01", "2005-04-01"),
    ("two digits, four years on", "30.6.30", d("2026-01-10"), "2030-06-30", "2030-06-30"),
    ("two digits, this century", "31/08/22", d("2022-02-21"), "2022-08-31", "2022-08-31"),
    ("two digits, a financial year after FY", "FY98/99", d("1998-06-01"), "1998-04-01", "1999-03-31"),
    ("two digits, a financial year written 98/99", "by 98/99", d("1998-06-01"), "1998-04-01", "1999-03-31"),
    ("two digits, a financial quarter", "Q4 FY98/99", d("1998-06-01"), "1999-01-01", "1999-03-31"),
    # 2. a compound is the matching period: the first X..Y that ends on or after made_on, not X alone first
    ("X to Y, X begun", "January to March", d("2024-02-10"), "2024-01-01", "2024-03-31"),
    ("X or Y, in Y", "May or June", d("2024-06-10"), "2024-05-01", "2024-06-30"),
    ("between X and Y, in Y", "between May and July", d("2024-06-10"), "2024-05-01", "2024-07-31"),
    ("from X to Y, in Y", "from May to July", d("2024-06-10"), "2024-05-01", "2024-07-31"),
    ("seasons, in Y", "spring or summer", d("2024-07-10"), "2024-03-01", "2024-08-31"),
    ("across the new year, in Y", "December to February", d("2024-02-10"), "2023-12-01", "2024-02-29"),
    ("X or Y, both over", "May or June", d("2024-07-10"), "2025-05-01", "2025-06-30"),
    ("X or Y, neither begun", "May or June", d("2024-02-10"), "2024-05-01", "2024-06-30"),
    ("early to mid, in mid", "early to mid April", d("2025-04-15"), "2025-04-01", "2025-04-20"),
    # 4. "by the start of X" is by the day X begins; "before the start of X" the day before; "at the start of X",
    # "early in X" and "the start of X" alone are still X's first part
    ("by the start of a tax year", "by the start of the 2025/26 tax year", d("2024-06-01"), "2024-06-01",
     "2025-04-06"),
    ("by the start of a financial year", "by the start of the 2025-26 financial year", d("2024-06-01"), "2024-06-01",
     "2025-04-01"),
    ("by the start of a recess (the later House's)", "by the start of the summer recess", d("2023-01-05"),
     "2023-01-05", "2023-07-26"),
    ("by the start of the financial year, said mid-year", "by the start of the financial year", d("2024-06-01"),
     "2024-06-01", "2025-04-01"),
    ("by the beginning of the financial year", "by the beginning of the financial year", d("2024-06-01"),
     "2024-06-01", "2025-04-01"),
    ("by the start of the month, said mid-month", "by the start of the month", d("2024-06-15"), "2024-06-15",
     "2024-07-01"),
    ("by the start of the year, said mid-year", "by the start of the year", d("2024-06-05"), "2024-06-05",
     "2025-01-01"),
    ("by the start of next year", "by the start of next year", d("2024-06-01"), "2024-06-01", "2025-01-01"),
    ("by the start of a year", "by the start of 2025", d("2024-06-01"), "2024-06-01", "2025-01-01"),
    ("by the start of a month", "by the start of September 2022", d("2022-02-21"), "2022-02-21", "2022-09-01"),
    ("by the start of a month with no year", "by the start of April", d("2024-04-10"), "2024-04-10", "2025-04-01"),
    ("by the start of a season with no year", "by the start of spring", d("2024-01-10"), "2024-01-10", "2024-03-01"),
    ("no later than the start of X", "no later than the start of the 2025/26 tax year", d("2024-06-01"),
     "2024-06-01", "2025-04-06"),
    ("aim to ... by the start of X", "aim to publish it by the start of the financial year", d("2024-06-01"),
     "2024-06-01", "2025-04-01"),
    ("before the start of a tax year", "before the start of the 2025/26 tax year", d("2024-06-01"), "2024-06-01",
     "2025-04-05"),
    ("before the start of the financial year, said mid-year", "before the start of the financial year",
     d("2024-06-01"), "2024-06-01", "2025-03-31"),
    ("at the start of X: its first part, as before", "at the start of September 2022", d("2022-02-21"),
     "2022-09-01", "2022-09-10"),
    ("the start of X: its first part, as before", "the start of spring 2025", d("2024-09-10"), "2025-03-01",
     "2025-03-31"),
    # 5. "next SEASON" is the season of the year after the one "this SEASON" names, said before, during or after it
    ("next summer, said before summer", "next summer", d("2024-05-20"), "2025-06-01", "2025-08-31"),
    ("next summer, said during summer", "next summer", d("2024-07-20"), "2025-06-01", "2025-08-31"),
    ("next summer, said after summer", "next summer", d("2024-10-01"), "2025-06-01", "2025-08-31"),
    ("next autumn, said in August", "next autumn", d("2024-08-10"), "2025-09-01", "2025-11-30"),
    ("next spring, said in January", "next spring", d("2024-01-15"), "2025-03-01", "2025-05-31"),
    ("next spring, said in February", "next spring", d("2024-02-25"), "2025-03-01", "2025-05-31"),
    ("next winter, said in January (this winter under way)", "next winter", d("2024-01-15"), "2024-12-01",
     "2025-02-28"),
    ("next winter, said in November", "next winter", d("2024-11-10"), "2025-12-01", "2026-02-28"),
    ("by next summer", "by next summer", d("2024-05-20"), "2025-06-01", "2025-08-31"),
    ("before next summer", "before next summer", d("2024-05-20"), "2024-05-20", "2025-05-31"),
    # 9. a week commencing is a Monday
    ("w/c a Monday", "the week commencing 5 June", d("2023-05-10"), "2023-06-05", "2023-06-11"),
    ("w/c a Monday, named", "w/c Monday 5 June 2023", d("2023-05-10"), "2023-06-05", "2023-06-11"),
    ("week beginning a Monday", "the week beginning 8 July 2024", d("2024-06-01"), "2024-07-08", "2024-07-14"),
    # polish: shapes SPEC §2.1 says must read
    ("X-Y, months", "July-August 2024", d("2024-03-05"), "2024-07-01", "2024-08-31"),
    ("X-Y, abbreviated months", "Jul-Sep 2024", d("2024-03-05"), "2024-07-01", "2024-09-30"),
    ("X-Y, seasons", "spring-summer 2025", d("2024-03-05"), "2025-03-01", "2025-08-31"),
    ("a week or two: the longer", "in a week or two", d("2024-03-01"), "2024-03-01", "2024-03-15"),
    ("N-M months: the longer", "within 3-6 months", d("2024-03-01"), "2024-03-01", "2024-09-01"),
    ("N to M weeks: the longer", "within the next six to eight weeks", d("2024-03-01"), "2024-03-01", "2024-04-26"),
    ("N or M weeks: the longer", "in the next two or three weeks", d("2024-03-01"), "2024-03-01", "2024-03-22"),
    ("a fortnight's time", "in a fortnight's time", d("2024-03-01"), "2024-03-01", "2024-03-15"),
    ("a few weeks' time", "in a few weeks' time", d("2024-03-01"), "2024-03-01", "2024-03-29"),
    ("tax year Y", "tax year 2024-25", d("2024-03-05"), "2024-04-06", "2025-04-05"),
    ("within this Parliament", "within this Parliament", d("2010-06-01"), "2010-06-01", "2015-03-30"),
    ("the Summer Budget: its season", "the Summer Budget 2015", d("2015-05-20"), "2015-06-01", "2015-08-31"),
    ("H2 of a financial year", "H2 2025/26", d("2024-06-01"), "2025-10-01", "2026-03-31"),
    ("early next month", "early next month", d("2024-06-05"), "2024-07-01", "2024-07-10"),
    ("late this month", "late this month", d("2024-06-05"), "2024-06-21", "2024-06-30"),
    ("a decade", "by the end of the 2020s", d("2024-01-01"), "2020-01-01", "2029-12-31"),
    ("the calendar year, after", "the 2024 calendar year", d("2024-03-05"), "2024-01-01", "2024-12-31"),
    ("the Lords' Easter recess 2022, later than the Commons'", "by the Easter recess", d("2022-01-10"),
     "2022-04-08", "2022-04-24"),
    ("before the House rises", "before the House rises for the summer recess", d("2022-05-26"), "2022-05-26",
     "2022-07-21"),
    # 3. a part of this year (month, financial year) still to come reads; one of a period with no year is the first
    # such part that ends on or after made_on; a part of a whole period, even when made_on is the 1st of a month
    ("a part of the year to come", "in the second half of the year", d("2024-03-01"), "2024-07-01", "2024-12-31"),
    ("a part of the year under way", "in the first half of the year", d("2024-03-05"), "2024-01-01", "2024-06-30"),
    ("the end of this year, said on the 1st", "towards the end of this year", d("2024-06-01"), "2024-09-01",
     "2024-12-31"),
    ("the start of a season with no year, over", "the start of spring", d("2024-04-10"), "2025-03-01", "2025-03-31"),
    ("early in a season with no year, over", "early summer", d("2024-07-10"), "2025-06-01", "2025-06-30"),
    ("a part of a month with no year, over", "towards the end of October", d("2024-11-05"), "2025-10-21",
     "2025-10-31"),
    ("a part of a year as written", "the first half of 2024", d("2024-08-05"), "2024-01-01", "2024-06-30"),
]

# (what, phrase, made_on, the start of the error message)
REFUSED = [
    ("two digits and no made_on", "by 31/3/99", None,
     'due "by 31/3/99" has a two-digit year and no made_on to tell its century: write the year in four digits '
     '(e.g. "31/3/1999" or "31/3/2099"), or add a made_on'),
    # 3. a part of this year (month, financial year) already over when it was said: that part, or next year's?
    ("the first half of the year, over", "in the first half of the year", d("2024-08-05"),
     'due "in the first half of the year" names the first half of 2024, which had ended (30 June 2024) before it '
     'was said (5 August 2024): write "the first half of 2024" if that was meant (its deadline had passed when it was '
     'said) or "the first half of 2025" if the next'),
    ("H1 this year, over", "H1 this year", d("2024-08-05"),
     'due "H1 this year" names H1 2024, which had ended (30 June 2024) before it was said (5 August 2024): write '
     '"H1 2024" if that was meant (its deadline had passed when it was said) or "H1 2025" if the next'),
    ("Q1 this year, over", "by Q1 this year", d("2024-05-05"),
     'due "by Q1 this year" names Q1 2024, which had ended (31 March 2024) before it was said'),
    ("the middle of the year, over", "by the middle of the year", d("2024-10-05"),
     'due "by the middle of the year" names the middle of 2024, which had ended (31 August 2024) before it was said '
     '(5 October 2024): write "the middle of 2024" if that was meant'),
    ("early in the financial year, over", "early in the financial year", d("2024-10-05"),
     'due "early in the financial year" names early in 2024-25, which had ended (31 July 2024) before it was said'),
    ("early in the financial year, over, said on the 1st", "early in the financial year", d("2024-10-01"),
     'due "early in the financial year" names early in 2024-25, which had ended (31 July 2024) before it was said'),
    ("early in the year, over", "early in the year", d("2024-06-05"),
     'due "early in the year" names early in 2024, which had ended (30 April 2024) before it was said'),
    ("early this year, over", "early this year", d("2024-06-05"),
     'due "early this year" names early 2024, which had ended (30 April 2024) before it was said'),
    ("the first quarter of the year, over", "in the first quarter of the year", d("2024-05-05"),
     'due "in the first quarter of the year" names the first quarter of 2024, which had ended (31 March 2024) before '
     "it was said"),
    ("the first quarter of this financial year, over", "in the first quarter of this financial year",
     d("2024-11-05"), 'due "in the first quarter of this financial year" names the first quarter of 2024-25, which had '
     "ended (30 June 2024) before it was said"),
    ("the start of this month, over", "at the start of this month", d("2024-06-15"),
     'due "at the start of this month" names the start of June 2024, which had ended (10 June 2024) before it was '
     'said (15 June 2024): write "the start of June 2024" if that was meant'),
    ("a month of this year, over", "by August this year", d("2024-09-05"),
     'due "by August this year" names August 2024, which had ended (31 August 2024) before it was said'),
    ("Christmas this year, past", "by Christmas this year", d("2024-12-27"),
     'due "by Christmas this year" names Christmas 2024, which had ended (25 December 2024) before it was said'),
    ("w/c a Sunday", "the week commencing 5 June 2022", d("2022-05-01"),
     'due "the week commencing 5 June 2022" names a week commencing on a Sunday: a week commences on a Monday '
     '(write "the week commencing 6 June 2022" or "the week commencing 30 May 2022")'),
    ("w/c a Sunday, no year", "the week commencing 5 June", d("2022-05-10"),
     'due "the week commencing 5 June" names a week commencing on a Sunday: a week commences on a Monday '
     '(write "the week commencing 6 June 2022" or "the week commencing 30 May 2022")'),
    ("w/c Monday that is a Sunday", "w/c Monday 5 June 2022", d("2022-05-01"),
     'due "w/c Monday 5 June 2022" names the wrong weekday: 5 June 2022 is a Sunday, and a week commences on a '
     'Monday (write "w/c Monday 6 June 2022" or "w/c Monday 30 May 2022")'),
    ("w/c a Wednesday", "w/c 7 June 2023", d("2023-05-01"),
     'due "w/c 7 June 2023" names a week commencing on a Wednesday: a week commences on a Monday (write "w/c 5 June '
     '2023" or "w/c 12 June 2023")'),
    ("a Summer Budget the table lacks", "the Summer Budget 2016", d("2016-01-10"),
     'due "the Summer Budget 2016" is beyond the fiscal calendar table: no Summer Budget of 2016'),
    ("a decade's middle", "by the mid-2030s", d("2024-01-01"), 'due "by the mid-2030s" is not a date this bot can read'),
    ("by the start of this financial year, begun", "by the start of this financial year", d("2024-06-01"),
     'due "by the start of this financial year" names the start of 2024-25, which had begun (1 April 2024) '
     'before it was said (1 June 2024)'),
]

# (phrase, made_on, what --explain says)
EXPLAINED = [
    ("by 31/3/99", d("1998-06-01"), "two-digit year 99 read as 1999, the year ending 99 nearest made_on (1998)"),
    ("by the start of the financial year", d("2024-06-01"), "by the start of a period (by the day it begins)"),
    ("next summer", d("2024-05-20"), 'next <season>: summer 2025, the summer of the year after the one "this summer" '
     "names (summer 2024)"),
]


@pytest.mark.parametrize(("what", "phrase", "made_on", "earliest", "latest"), READS, ids=[r[0] for r in READS])
def test_reads_as_a_careful_reader_would(what: str, phrase: str, made_on: date | None, earliest: str,
                                         latest: str) -> None:
    window = resolve(phrase, made_on)
    assert (window.earliest, window.latest) == (d(earliest), d(latest)), window


@pytest.mark.parametrize(("what", "phrase", "made_on", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_the_reason(what: str, phrase: str, made_on: date | None, message: str) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, made_on)
    assert str(e.value).startswith(message), str(e.value)


@pytest.mark.parametrize(("phrase", "made_on", "said"), EXPLAINED, ids=[r[0] for r in EXPLAINED])
def test_explain_says_how(phrase: str, made_on: date | None, said: str) -> None:
    assert said in explain(phrase, made_on).rule, explain(phrase, made_on).rule


def test_when_without_made_on_says_why_it_read_a_two_digit_year_against_today(cli) -> None:  # type: ignore[no-untyped-def]
    """`when "31/3/99"` with no --made-on reads against today, and said "it names no year": it names one, in two digits."""
    out = cli("when", "31/3/99", "--now", "2026-12-07")
    assert out.exit_code == 0 and "since it gives its year in two digits" in out.output and "names no year" not in out.output


@pytest.mark.parametrize("phrase", ["9999-12-31", "1899", "31 December 2201", "within 300 years"])
def test_a_reading_outside_the_years_spec_2_allows_is_refused(phrase: str) -> None:
    """Found in an acceptance audit: "9999-12-31" and "1899" read, though "winter 9999" was refused and
    SPEC §2 keeps every date within 1900–2200."""
    from bot.dates import UnreadableDate, resolve

    with pytest.raises(UnreadableDate, match="out of range: dates must stay within years 1900–2200"):
        resolve(phrase, date(2026, 1, 5))


def test_when_refuses_a_reading_outside_the_years_spec_2_allows(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("when", "9999-12-31", "--json")
    assert out.exit_code == 1 and "reads to 31 December 9999, out of range" in out.output
