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


def test_a_span_a_day_short_of_a_year_is_nearly_a_year_never_a_year() -> None:
    """Found in the truth audit: 364 days ("expected by 2026-03-31" seen on 2027-03-30) was "a year"."""
    assert span(364) == "nearly a year" and span(729) == "nearly two years" and span(1460) == "four years"
    assert span(366) == "a year" and span(731) == "two years"


def test_a_closing_is_late_against_the_deadline_then_in_force_and_a_missed_date_stays_missed() -> None:
    """The evaluation was promised for early 2023 (by 30 Apr); on 31 Jul 2023, that date passed,
    the words became "in due course"; it was published on 4 Aug 2023: about three months late,
    since words that give no date, said after the date passed, do not unmiss it (found in review).
    Had "in due course" come before 30 Apr, nothing dated would have been missed. Under a later
    dated promise, a closing is late against that date alone."""
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

    def late(text: str) -> int:
        (track,) = tracks(register(text).commitments[0], (), date(2023, 9, 1))
        assert track.closing is not None
        return late_days(track)

    assert late(body) == (date(2023, 8, 4) - date(2023, 4, 30)).days  # 96 days: "about three months"
    assert late(body.replace("2023-07-31, note: No date", "2023-03-01, note: No date")) == 0  # withdrawn in time
    assert late(body.replace("due: in due course", "due: end 2023")) == 0  # a new date, met
