"""SPEC §3, second table: when the bot speaks — one test per notification kind and rule."""

from __future__ import annotations

from bot.register.model import Update
from tests.engine_helpers import Bot, register
from tests.test_states import DATED, OPEN_ENDED

SLIPPED = DATED + """\
    updates:
      - date: 2022-08-09
        note: Home Secretary now aims to finalise the protocol by autumn 2022.
        due: autumn 2022
"""


def test_heads_up_once_when_entering_due_soon() -> None:
    bot = Bot(register(DATED))
    assert bot.kinds("2022-08-17T09:00") == []
    assert bot.kinds("2022-08-18T09:00") == [("heads-up", None)]
    assert bot.kinds("2022-08-18T09:00") == []  # re-run at the same now
    assert bot.kinds("2022-08-25T09:00") == []


def test_a_missed_heads_up_is_not_sent_after_the_deadline() -> None:
    bot = Bot(register(DATED))
    assert bot.kinds("2022-09-03T09:00") == []  # passed, within grace
    assert bot.kinds("2022-09-08T00:00") == [("lapsed", 1)]  # D passes 09-01 00:00, + 7 days grace


def test_lapsed_repeats_every_remind_every_and_counts() -> None:
    bot = Bot(register(DATED))
    assert bot.kinds("2022-09-08T09:00") == [("lapsed", 1)]
    assert bot.kinds("2022-10-08T08:59") == []
    assert bot.kinds("2022-10-08T09:00") == [("lapsed", 2)]
    assert bot.kinds("2022-11-07T09:00") == [("lapsed", 3)]


def test_an_update_acknowledges_and_restarts_the_clock() -> None:
    bot = Bot(register(DATED))
    assert bot.kinds("2022-09-08T09:00") == [("lapsed", 1)]
    bot.recorded["mvp"] = [Update("db:1", __import__("datetime").date(2022, 10, 1), "Still drafting")]
    assert bot.kinds("2022-10-08T09:00") == [("news", None)]  # told once (SPEC §6.1); overdue: news within remind_every
    assert bot.kinds("2022-10-30T23:59") == []
    assert bot.kinds("2022-10-31T00:00") == [("lapsed", 2)]  # 30 days after the update


def test_a_long_outage_sends_each_due_alert_once() -> None:
    bot = Bot(register(DATED))
    assert bot.kinds("2022-09-08T09:00") == [("lapsed", 1)]
    assert bot.kinds("2023-06-01T09:00") == [("lapsed", 2)]  # not a replay of the months missed
    assert bot.kinds("2023-06-15T09:00") == []
    assert bot.kinds("2023-07-01T09:00") == [("lapsed", 3)]


def test_slip_is_announced_with_new_deadline() -> None:
    bot = Bot(register(SLIPPED))
    (d,) = bot.run("2022-08-10T09:00")
    assert (d.kind, str(d.deadline)) == ("slipped", "2022-11-30")
    assert d.alert.slips == 1
    assert [p.deadline for p in d.alert.promises] == ["2022-08-31", "2022-11-30"]
    assert bot.kinds("2022-08-10T10:00") == []
    assert bot.kinds("2022-11-16T09:00") == []
    assert bot.kinds("2022-11-17T09:00") == [("heads-up", None)]  # for the new deadline
    assert bot.kinds("2022-12-08T09:00") == [("lapsed", 1)]


def test_imported_history_is_recorded_silently() -> None:
    bot = Bot(register(SLIPPED))
    # First run long after the slip: the slip is history, not news; the lapse is.
    assert bot.kinds("2023-01-10T09:00") == [("lapsed", 1)]


def test_withdrawal_to_an_open_phrase_is_a_slip() -> None:
    body = DATED + """\
    updates:
      - {date: 2022-08-20, note: No date now, due: in due course}
"""
    bot = Bot(register(body))
    (d,) = bot.run("2022-08-21T09:00")
    assert (d.kind, d.deadline, d.alert.slips) == ("slipped", None, 1)


def test_a_deadline_brought_forward_is_silent() -> None:
    body = DATED + """\
    updates:
      - {date: 2022-03-01, note: Sooner, due: end of June 2022}
"""
    bot = Bot(register(body))
    assert bot.kinds("2022-03-02T09:00") == [("news", None)]  # not a slip: told as news
    assert bot.kinds("2022-03-03T09:00") == []
    assert bot.kinds("2022-06-20T09:00") == [("heads-up", None)]


def test_closed_once_when_delivered() -> None:
    body = DATED + """\
    updates:
      - {date: 2022-09-20, note: Published, status: delivered, source: {url: "https://example.org/p"}}
"""
    bot = Bot(register(body))
    assert bot.kinds("2022-09-08T09:00") == [("lapsed", 1)]
    assert bot.kinds("2022-09-20T09:00") == [("closed", None)]
    assert bot.kinds("2022-12-20T09:00") == []  # terminal: nothing more


def test_silent_every_check_in() -> None:
    bot = Bot(register(OPEN_ENDED))
    assert bot.kinds("2022-08-20T09:00") == []
    assert bot.kinds("2022-08-21T09:00") == [("silent", 1)]
    assert bot.kinds("2022-12-01T09:00") == []
    assert bot.kinds("2023-02-21T09:00") == [("silent", 2)]


def test_recurring_occurrences_lapse_on_their_own() -> None:
    body = """\
  - id: funding
    title: Fund the scheme
    owner: Home Office
    made_on: 2022-05-27
    due: 2022-23
    recurs: financial-year
    updates:
      - {date: 2023-03-01, note: Paid, period: 2022-23, status: delivered, source: {url: "https://example.org/a"}}
"""
    bot = Bot(register(body))
    decisions = bot.run("2024-04-20T09:00")
    assert [(d.kind, d.period, str(d.deadline)) for d in decisions] == [("lapsed", "2023-24", "2024-03-31")]


def test_routing_notify_overrides_routes_and_first_route_wins() -> None:
    reg = register("""\
  - id: a
    title: A
    owner: HO
    made_on: 2022-01-01
    due: 2022-02-01
    tags: [mvp]
  - id: b
    title: B
    owner: HO
    made_on: 2022-01-01
    due: 2022-02-01
    notify: {email: [me@example.org]}
""" + """\
routes:
  - match: {tags: [mvp]}
    slack: ["#mvp-watch"]
  - slack: ["#commitments"]
""")
    bot = Bot(reg)
    routed = {d.commitment_id: d.routed for d in bot.run("2022-03-01T09:00")}
    assert routed == {"a": ("slack:#mvp-watch",), "b": ("email:me@example.org",)}
