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


def test_a_closing_is_late_only_against_the_deadline_then_in_force() -> None:
    """The evaluation was promised for early 2023, then "in due course" (31 Jul 2023), then
    published on 4 Aug 2023: not "about three months late", since the words in force when it
    came gave no date. A closing under a dated promise is late against that date alone."""
    from bot.decide.alerts import late_days
    from bot.decide.timeline import tracks
    from tests.engine_helpers import register

    body = """\
  - id: evaluation
    title: Publish the evaluation
    owner: Home Office
    made_on: 2022-05-27
    due: early 2023
    updates:
      - {date: 2023-07-31, note: No date any more, due: in due course}
      - {date: 2023-08-04, note: Published, status: delivered, source: {url: "https://example.org/e"}}
"""
    (track,) = tracks(register(body).commitments[0], (), date(2023, 9, 1))
    assert track.closing is not None and late_days(track) == 0
    dated = body.replace("      - {date: 2023-07-31, note: No date any more, due: in due course}\n", "")
    (track,) = tracks(register(dated).commitments[0], (), date(2023, 9, 1))
    assert late_days(track) == (date(2023, 8, 4) - date(2023, 4, 30)).days
