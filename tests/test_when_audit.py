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
]

# (what, phrase, made_on, the start of the error message)
REFUSED = [
    ("two digits and no made_on", "by 31/3/99", None,
     'due "by 31/3/99" has a two-digit year and no made_on to tell its century: write the year in four digits '
     '(e.g. "31/3/1999" or "31/3/2099"), or add a made_on'),
    ("by the start of this financial year, begun", "by the start of this financial year", d("2024-06-01"),
     'due "by the start of this financial year" names the start of 2024-25, which had begun (1 April 2024) '
     'before it was said (1 June 2024)'),
]

# (phrase, made_on, what --explain says)
EXPLAINED = [
    ("by 31/3/99", d("1998-06-01"), "two-digit year 99 read as 1999, the year ending 99 nearest made_on (1998)"),
    ("by the start of the financial year", d("2024-06-01"), "by the start of a period (by the day it begins)"),
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
