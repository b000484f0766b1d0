"""Lateness in prose is said in words, rounded as people round, and never more than it is
(SPEC §7.5: "nearly three years late"; issue 21.5)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.decide.words import late, span


def _days(since: str, until: str) -> int:
    return (date.fromisoformat(until) - date.fromisoformat(since)).days


@pytest.mark.parametrize(("since", "until", "said"), [
    ("2026-11-01", "2026-12-02", "31 days late"),
    ("2026-11-30", "2026-12-01", "one day late"),
    ("2026-04-01", "2026-12-07", "about eight months late"),
    ("2025-12-07", "2026-12-07", "a year late"),
    ("2022-08-31", "2026-11-22", "over four years late"),
    # 4 years 3 months is not "four and a half": the half is said only once it has passed
    ("2022-08-31", "2026-12-07", "over four years late"),
    ("2022-08-31", "2027-03-02", "four and a half years late"),
    ("2022-08-31", "2027-07-01", "nearly five years late"),
    ("2023-12-31", "2026-12-07", "nearly three years late"),
    ("2024-01-01", "2026-04-09", "over two years late"),
    ("2024-01-01", "2025-07-10", "a year and a half late"),
])
def test_lateness_is_said_in_words_and_never_more_than_it_is(since: str, until: str, said: str) -> None:
    assert late(_days(since, until)) == said


def test_on_time_is_not_late() -> None:
    assert late(0) == "" and late(-3) == ""


def test_a_span_never_says_less_than_a_year_when_it_is_more() -> None:
    assert span(365) == "a year" and span(370) == "over a year"
    assert span(340) == "nearly a year"
