"""SPEC §3, first table: the state of a commitment at an instant — one case per row and edge."""

from __future__ import annotations

import pytest

from bot.decide.states import state
from bot.decide.timeline import tracks
from tests.engine_helpers import at, register

DATED = """\
  - id: mvp
    title: Implement the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    source: {title: Letter, quote: "we aim to implement them by end August"}
"""
ACKED = DATED + """\
    updates:
      - {date: 2022-09-05, note: Still working on it}
"""
OPEN_ENDED = """\
  - id: safeguards
    title: Identify safeguards
    owner: Home Office
    made_on: 2022-02-21
    due: medium-term
"""
DELIVERED = DATED + """\
    updates:
      - {date: 2022-08-20, note: Published, status: delivered, source: {url: "https://example.org/p"}}
"""


@pytest.mark.parametrize(
    ("body", "now", "expected"),
    [
        (DATED, "2022-08-17T23:59", "upcoming"),  # more than heads_up before D passes
        (DATED, "2022-08-18T00:00", "due-soon"),  # D passes 2022-09-01 00:00; 14 days before
        (DATED, "2022-08-31T23:59", "due-soon"),  # still the deadline day
        (DATED, "2022-09-01T00:00", "lapsed"),  # midnight at the end of D
        (ACKED, "2022-09-04T12:00", "lapsed"),  # passed, no update since D yet
        (ACKED, "2022-09-05T00:00", "overdue"),  # an update "on" a day counts from its start
        (ACKED, "2022-10-04T23:59", "overdue"),  # within remind_every of the update
        (ACKED, "2022-10-05T00:00", "lapsed"),  # the update is now older than remind_every
        (OPEN_ENDED, "2022-08-20T23:59", "open"),  # news (made_on) within check_in
        (OPEN_ENDED, "2022-08-21T00:00", "silent"),  # nothing for 6 months since made_on
        (DELIVERED, "2022-08-19T12:00", "due-soon"),  # the delivery is not seen before its date
        (DELIVERED, "2022-08-20T00:00", "delivered"),  # terminal state from the latest status
    ],
)
def test_state_table(body: str, now: str, expected: str) -> None:
    reg = register(body)
    moment = at(now)
    (track,) = tracks(reg.commitments[0], (), moment.date())
    assert state(track, moment) == expected


def test_terminal_states_come_from_the_latest_status() -> None:
    body = DATED + """\
    updates:
      - {date: 2022-08-20, note: Dropped, status: dropped, source: {url: "https://example.org/d"}}
      - {date: 2022-09-20, note: Revived, status: open}
"""
    reg = register(body)
    (before,) = tracks(reg.commitments[0], (), at("2022-09-01").date())
    (after,) = tracks(reg.commitments[0], (), at("2022-09-21").date())
    assert state(before, at("2022-09-01")) == "dropped"
    assert state(after, at("2022-09-21")) == "overdue"  # the revival is news since D


def test_open_ended_without_made_on_counts_from_first_seen() -> None:
    reg = register("""\
  - id: outreach
    title: Outreach programme
    owner: Home Office
""")
    (track,) = tracks(reg.commitments[0], (), at("2023-01-01").date())
    assert state(track, at("2023-06-30"), first_seen=at("2023-01-01")) == "open"
    assert state(track, at("2023-07-01"), first_seen=at("2023-01-01")) == "silent"
