"""Every rule that maps a number word or a vague quantity to a count (issue 25 item 3), one row
each, here and in the README's "Whitehall time" table, which this file also reads: a row there
that stops being true fails here. "A couple of weeks" is two weeks (it was read as "the coming
weeks", seven weeks too late: the one wrong reading found); "a number of" has no upper bound and
is refused.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.when.dates import UnreadableDate, resolve
from bot.when.durations import VAGUE_COUNTS, parse_duration

MADE = date(2024, 9, 10)
README = Path(__file__).resolve().parent.parent / "README.md"

# (the words, a phrase using them, made_on + this is the deadline, or "refused" / "open")
ROWS = [
    ("a couple of", "within a couple of weeks", "2 weeks"),
    ("couple of", "in the next couple of months", "2 months"),
    ("a couple of (years)", "in a couple of years", "2 years"),
    ("a few", "in a few days", "4 days"),
    ("few", "over the next few months", "4 months"),
    ("a handful of", "a handful of weeks", "5 weeks"),
    ("handful of", "within the next handful of days", "5 days"),
    ("several", "over several months", "7 months"),
    ("the last few: a span that has passed", "over the last few months", "refused"),
    ("a number of", "in a number of weeks", "refused"),
    ("many", "in many months", "refused"),
    ("some", "in some weeks", "refused"),
    ("or so", "within the next week or so", "refused"),
    ("the coming days", "in the coming days", "refused"),
    ("within days", "within days", "refused"),
    ("the coming weeks (SPEC §2.1)", "in the coming weeks", "2 months"),
    ("the coming months (SPEC §2.1)", "over the coming months", "6 months"),
    ("within weeks (SPEC beyond the table)", "within weeks", "2 months"),
    ("within months", "within months", "6 months"),
    ("a matter of weeks", "in a matter of weeks", "2 months"),
    ("the weeks ahead", "in the weeks ahead", "2 months"),
    ("the months ahead", "in the months ahead", "6 months"),
    ("the coming weeks and months", "over the coming weeks and months", "6 months"),
    ("the year ahead", "in the year ahead", "1 year"),
    ("the coming year", "over the coming year", "1 year"),
    ("the coming months and years", "over the coming months and years", "open"),
    ("the coming years", "in the coming years", "open"),
    ("the years ahead", "in the years ahead", "open"),
    ("a / an", "within a month", "1 month"),
    ("a fortnight", "within a fortnight", "2 weeks"),
    ("number words", "within twenty-one days", "21 days"),
    ("twelve", "in the next twelve months", "12 months"),
    ("a hundred", "within a hundred days", "100 days"),
    ("N years' time", "in two years' time", "2 years"),
]


def _deadline(phrase: str) -> str | date:
    try:
        window = resolve(phrase, MADE)
    except UnreadableDate:
        return "refused"
    return "open" if window.is_open or window.latest is None else window.latest


def _expected(reading: str) -> str | date:
    return reading if reading in ("refused", "open") else parse_duration(reading).after(MADE)


@pytest.mark.parametrize(("words", "phrase", "reading"), ROWS, ids=[r[0] for r in ROWS])
def test_each_vague_quantity_reads_as_its_row(words: str, phrase: str, reading: str) -> None:
    assert _deadline(phrase) == _expected(reading)


def test_every_vague_count_has_a_row() -> None:
    assert set(VAGUE_COUNTS) <= {r[0] for r in ROWS}


def _readme_rows() -> list[tuple[str, str]]:
    """(phrase, reading) for each row of the README's vague-quantity table: its first column
    holds a phrase in backticks, its second the reading ("2 weeks", "refused")."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Whitehall time", 1)[1].split("\n## ", 1)[0]
    table = section.split("| words |", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|", table, flags=re.MULTILINE)


def test_the_readme_table_says_what_the_reader_does() -> None:
    rows = _readme_rows()
    assert len(rows) >= len(VAGUE_COUNTS), rows
    wrong = [(phrase, reading, _deadline(phrase)) for phrase, reading in rows if _deadline(phrase) != _expected(reading)]
    assert not wrong, wrong


def test_the_readme_table_has_a_row_for_every_vague_count() -> None:
    phrases = " ".join(phrase for phrase, _ in _readme_rows())
    assert all(words.removeprefix("a ") in phrases for words in VAGUE_COUNTS), phrases
