"""Dates wrapped in words (issue 25 item 2): "by the statutory deadline of 30 June", "ahead of the
5 April filing date", "for six months from May", "in the first quarter of the year 2023",
"between 3 and 7 March". A phrase whose only dated part is one readable date or period, and whose
other words only describe it, reads as that date or period, and `explain` names the words set
aside. Two dated parts that disagree are an error naming both. A phrase whose deadline hangs on
an event ("within two months of publication", "once the pilot has been evaluated") is no wrapped
date: it stays refused, because a wrong reading is worse than a refusal.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.when.dates import UnreadableDate, explain, resolve

MADE = date(2024, 9, 10)


# (case, phrase, made_on, earliest, latest, the words explain says were set aside or None)
READS = [
    ("a deadline's name", "by the statutory deadline of 30 June", MADE, "2025-06-30", "2025-06-30",
     "statutory deadline of"),
    ("a filing date, ahead of it: a deadline is the end of its day", "ahead of the 5 April filing date", MADE,
     "2025-04-05", "2025-04-05", "filing date"),
    ("before a deadline is by it", "before the January 31 deadline", date(2019, 1, 7), "2019-01-31", "2019-01-31",
     "deadline"),
    ("a time of day inside", "the 11.59pm, January 31 deadline", date(2020, 1, 7), "2020-01-31", "2020-01-31",
     "deadline"),
    ("a time of day among the words", "the January 31 deadline, 11.59pm", date(2020, 1, 7), "2020-01-31",
     "2020-01-31", "deadline, 11.59pm"),
    ("the deadline of a day", "the deadline of 31 January 2026", MADE, "2026-01-31", "2026-01-31", "deadline of"),
    ("a named deadline", "the January 31 Self Assessment deadline", date(2013, 1, 14), "2013-01-31", "2013-01-31",
     "self assessment deadline"),
    ("a closing date", "the closing date of 7 September 2022", None, "2022-09-07", "2022-09-07", "closing date of"),
    ("a time of day in brackets", "by 24 May 2019 (10am)", None, "2019-05-24", "2019-05-24", "(10am)"),
    ("a day restated in brackets", "the deadline of 31 January 2026 (31/01/2026)", None, "2026-01-31", "2026-01-31",
     "deadline of"),
    ("a period with a deadline's name", "the consultation deadline of March 2025", MADE, "2025-03-01", "2025-03-31",
     "consultation deadline of"),
    ("a deadline that is a period", "the deadline is March 2025", MADE, "2025-03-01", "2025-03-31", "deadline is"),
    ("for N months from a month: its start + N months", "for six months from May", MADE, "2025-05-01",
     "2025-10-31", None),
    ("N months from a month of a year", "six months from April 2025", MADE, "2025-04-01", "2025-09-30", None),
    ("the year 2023", "in the first quarter of the year 2023", MADE, "2023-01-01", "2023-03-31", None),
    ("by the year 2000", "by the year 2000", None, "2000-01-01", "2000-12-31", None),
    ("between D1 and D2 Month", "between 3 and 7 March", MADE, "2025-03-03", "2025-03-07", None),
    ("between D1 and D2 Month Year", "between 3 and 7 March 2025", MADE, "2025-03-03", "2025-03-07", None),
]


@pytest.mark.parametrize(("case", "phrase", "made_on", "earliest", "latest", "aside"), READS,
                         ids=[r[0] for r in READS])
def test_a_wrapped_date_reads_as_the_date_it_wraps(case: str, phrase: str, made_on: date | None, earliest: str,
                                                  latest: str, aside: str | None) -> None:
    reading = explain(phrase, made_on)
    assert (reading.window.earliest, reading.window.latest) == (date.fromisoformat(earliest),
                                                                 date.fromisoformat(latest)), reading
    if aside is not None:
        assert f'set aside: "{aside}"' in reading.rule, reading.rule


# (case, phrase, the two dates the error must name)
CONFLICTS = [
    ("a deadline's name and another day", "the 30 June deadline of 31 July 2024", ("30 june", "31 july 2024")),
    ("a day and another in brackets", "by 24 May 2019 (25 May 2019)", ("24 may 2019", "25 may 2019")),
    ("a closing date of two months", "the closing date of March 2025 (April 2025)", ("march 2025", "april 2025")),
]


@pytest.mark.parametrize(("case", "phrase", "named"), CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_two_dates_that_disagree_are_an_error_naming_both(case: str, phrase: str, named: tuple[str, str]) -> None:
    with pytest.raises(UnreadableDate) as e:
        resolve(phrase, MADE)
    message = str(e.value)
    assert "two dates that disagree" in message, message
    assert all(f'"{n}"' in message for n in named), message


# Phrases that look like a wrapped date and are not: each must stay refused (a wrong reading is
# worse than a refusal). Several are real (tests/corpus/phrases.yaml).
STAY_REFUSED = [
    "within two months of publication",
    "once the pilot has been evaluated",
    "by 30 June, once the pilot has been evaluated",
    "within two months of 30 June",
    "30 days after the 31 March deadline",
    "on or before the 2011 Assembly election",
    "before the 2024 general election",
    "in time to inform the production of the 2003 departmental reports",
    "the deadline",
    "the next deadline",
    "the consultation closing date",
    "the 5 April deadline for the 2023 return",
    "as soon as reasonably practicable after the receipt of any report from the auditor",
    "before the end of the period of 12 months beginning with the day on which this Act is passed",
    "within the period of 24 weeks beginning with the date of the reference",
    "the current tax year (6 April 2024 to 5 April 2025)",
    "the deadline of 31 June",
    "the 31 March deadline at the latest unless extended",
    # a period before a deadline's name names what the deadline is for, not when it falls: the
    # 2023-24 return is due on 31 January 2025, not by 31 March 2024
    "the 2023-24 tax return deadline",
    "the Q3 2024 reporting deadline",
    "the March 2025 deadline",
    # N months from a part of a period, or from a span cut at made_on, would start too early
    "three months from the end of March",
    "for six months from mid-May",
    "six months from this year",
    "six months from the summer recess",
    # a deadline that has been replaced is not the promise's
    "the original deadline of March 2024",
]


@pytest.mark.parametrize("phrase", STAY_REFUSED)
def test_a_date_that_hangs_on_an_event_or_other_words_stays_refused(phrase: str) -> None:
    with pytest.raises(UnreadableDate):
        resolve(phrase, MADE)
