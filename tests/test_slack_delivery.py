"""Delivering through Slack's failures: threads, grouping, storms, refusals, and a killed process.

Storms run the real shell (`bot.shell.service.check` → `bot.shell.delivery.deliver`) with the real
client (notifiers.slack.transport) against the local server; only the notifier's sleeping is injected, so Retry-After and backoff
are asserted, not waited for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.shell.registerfile import read
from bot.shell.sandbox.slack import TOKEN, Fault, Message, SlackState
from bot.shell.service import check
from notifiers.slack.notifier import Patience, SlackNotifier
from notifiers.slack.transport import client as bounded
from storage.db import connect
from storage.repository import Store
from tests.standins import EXPECTED, NOW, REGISTER, message_for, posted_kinds, running_slack, slack_env  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
LONDON = ZoneInfo("Europe/London")


class FakeTime:
    """The notifier's clock and sleep: sleeping advances the clock and is written down."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


def _cycle(state: SlackState, path: Path, url: str, when: str, fake: FakeTime, budget: float = 30.0,
           timeout: float = 5.0):  # type: ignore[no-untyped-def]
    store = Store(connect(url))
    client = bounded(TOKEN, state.url, timeout)  # type: ignore[attr-defined]
    notifier = SlackNotifier(client, store.threads, Patience(budget=budget, min_interval=0, timeout=timeout),
                             sleep=fake.sleep, clock=fake.clock)
    notifier.parallel_targets = False  # one thread, so the order of the fake sleeps is deterministic
    loaded = read(path)
    assert loaded.register is not None
    now = datetime.fromisoformat(when).replace(tzinfo=LONDON)
    return check(store, loaded.register, loaded.source_hash, now, {"slack": notifier})


# -- threads ------------------------------------------------------------------------------------
def test_one_thread_per_commitment_across_runs_and_processes(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                             database_url: str) -> None:
    path = write_register(REGISTER)
    env = slack_env(slack)
    assert cli("check", "--now", NOW, "--database", database_url, env=env).exit_code == 0
    parent = message_for(slack, "lapse", "lapsed")
    assert parent.thread_ts is None
    # a second run, in another process, a month later: the reminder replies in the thread
    run = subprocess.run([str(REPO / ".venv/bin/commitment-bot"), "check", "--now", "2022-10-10T09:00",
                          "--database", database_url, "--file", str(path)],
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    reminders = [m for m in slack.posted("#mvp-watch") if m.thread_ts == parent.ts]
    assert [m.reply_broadcast for m in reminders] == [False]
    # closing replies in the same thread and is broadcast to the channel
    assert cli("update", "lapse", "--note", "Protocol published", "--status", "delivered", "--source",
               "https://example.org/mvp", "--on", "2022-10-12", "--now", "2022-10-12T09:00",
               "--database", database_url).exit_code == 0
    assert cli("check", "--now", "2022-10-12T10:00", "--database", database_url, env=env).exit_code == 0
    closing = message_for(slack, "lapse", "closed")
    assert (closing.thread_ts, closing.reply_broadcast) == (parent.ts, True)


def test_a_deleted_parent_starts_a_new_thread(cli, write_register, slack: SlackState, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    env = slack_env(slack)
    assert cli("check", "--now", NOW, "--database", sqlite_url, env=env).exit_code == 0
    first = message_for(slack, "lapse", "lapsed")
    slack.delete(first.ts)
    assert cli("check", "--now", "2022-10-10T09:00", "--database", sqlite_url, env=env).exit_code == 0
    second = [m for m in _about(slack, "lapse") if m.ts != first.ts]
    assert [m.thread_ts for m in second] == [None]  # a fresh thread, not a failure
    assert cli("check", "--now", "2022-11-10T09:00", "--database", sqlite_url, env=env).exit_code == 0
    third = _about(slack, "lapse")[-1]
    assert third.thread_ts == second[0].ts  # the replaced anchor is the one used from now on


def _about(state: SlackState, commitment: str) -> list[Message]:
    return [m for m in state.posted() if (m.metadata or {}).get("event_payload", {}).get("commitment") == commitment]


# -- grouping -------------------------------------------------------------------------------------
def _many(n: int) -> str:
    items = "".join(f"""
  - id: promise-{i}
    title: Promise number {i}
    owner: Home Office
    made_on: 2022-01-01
    due: 2022-08-{i + 1:02d}
""" for i in range(n))
    return f"""version: 1
timezone: Europe/London
defaults: {{grace: 0 days, heads_up: 0 days}}
routes:
  - slack: ["#mvp-watch"]
commitments:{items}"""


def test_more_than_five_alerts_become_one_summary_linking_threads(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                                  database_url: str) -> None:
    write_register(_many(8))
    env = slack_env(slack)
    # 3 Aug: only promise-0 and promise-1 have lapsed: two messages, two threads
    assert cli("check", "--now", "2022-08-03T09:00", "--database", database_url, env=env).exit_code == 0
    assert len(slack.posted()) == 2
    result = cli("check", "--now", "2022-09-03T09:00", "--database", database_url, "--json", env=env)
    assert result.exit_code == 0
    assert len(__import__("json").loads(result.stdout)["notifications"]) == 8  # --json still lists each
    assert len(slack.top_level()) == 3  # the two threads, then one summary
    summary = slack.top_level()[-1]
    text = "\n".join(b["text"]["text"] for b in summary.blocks or [] if b["type"] == "section")
    lines = text.splitlines()
    assert len(lines) == 8
    assert lines[0].startswith("🔴 <https://advocacy.slack.com/archives/") and "Promise number 0" in lines[0]
    assert "|Promise number 1>" in lines[1]
    assert all("details in this thread" in line for line in lines[2:])  # no thread yet: the full alert is below
    overdue = [int(line.split(", ")[1].split(" days")[0]) for line in lines]
    assert overdue == sorted(overdue, reverse=True)  # most overdue first
    payload = summary.metadata["event_payload"]  # type: ignore[index]
    assert (payload["kind"], payload["count"], len(payload["digest"])) == ("summary", 8, 32)  # one message, 8 rows
    replies = [m for m in slack.posted() if m.thread_ts == summary.ts]
    carried = [i for m in replies for i in m.metadata["event_payload"]["idents"].split("\n")]  # type: ignore[index]
    assert sorted(carried) == [f"lapsed|promise-{i}||2022-08-{i + 1:02d}|1" for i in range(2, 8)]
    for i in (0, 1):  # a commitment with a thread has its full alert there, with its buttons (SPEC §6.1)
        parent = slack.top_level()[i]
        [reply] = [m for m in slack.posted() if m.thread_ts == parent.ts]
        assert reply.metadata["event_payload"]["ident"] == f"lapsed|promise-{i}||2022-08-{i + 1:02d}|2"  # type: ignore[index]
    assert "not delivered" not in cli("status", "--now", "2022-09-03T09:00", "--database", database_url).output


# -- storms ---------------------------------------------------------------------------------------
STORMS = [
    # (faults, sleeps the notifier must have taken): Retry-After as asked, else doubling backoff
    (lambda: [Fault(status=429, retry_after=3, times=3)], [3.0, 3.0, 3.0]),
    (lambda: [Fault(status=503, times=4)], [0.25, 0.5, 1.0, 2.0]),
    (lambda: [Fault(status=429, retry_after=1), Fault(status=500), Fault(error="internal_error")], [1.0, 0.25, 0.5]),
]  # timeouts are not retried in the same run: tests/test_slack_exactly_once.py


@pytest.mark.parametrize(("faults", "sleeps"), STORMS, ids=["429", "5xx", "mixed"])
def test_storms_deliver_everything_exactly_once(write_register, slack: SlackState, database_url: str,  # type: ignore[no-untyped-def]
                                                faults: Callable[[], list[Fault]], sleeps: list[float]) -> None:
    path = write_register(REGISTER)
    slack.fail(*faults())
    fake = FakeTime()
    result = _cycle(slack, path, database_url, NOW, fake)  # no slow answers here: a short timeout only made it flaky
    assert result.delivery is not None and (result.delivery.sent, result.undelivered) == (5, 0)
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)
    assert fake.slept == sleeps


def test_a_storm_longer_than_the_budget_keeps_rows_queued_then_delivers_once(  # type: ignore[no-untyped-def]
        write_register, slack: SlackState, database_url: str) -> None:
    path = write_register(REGISTER)
    slack.fail(Fault(status=503, times=10_000))
    fake = FakeTime()
    first = _cycle(slack, path, database_url, NOW, fake, budget=10)
    assert first.delivery is not None and (first.delivery.sent, first.undelivered) == (0, 5)
    assert fake.slept == [0.25, 0.5, 1.0, 2.0, 4.0]  # the next wait (8 s) would pass the 10 s budget
    assert len(slack.calls_to("chat.postMessage")) == 6  # one message tried 6 times; the other 4 not at all
    slack.faults.clear()
    second = _cycle(slack, path, database_url, "2022-09-09T12:00", FakeTime())
    assert second.undelivered == 0
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)


def test_storm_through_the_cli_exit_3_then_delivered(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                     sqlite_url: str) -> None:
    write_register(REGISTER)
    slack.fail(Fault(status=502, times=10_000))
    env = slack_env(slack, SLACK_RETRY_BUDGET_SECONDS="0")
    result = cli("check", "--now", NOW, "--database", sqlite_url, env=env)
    assert result.exit_code == 3 and "0 sent, 5 queued" in result.output
    slack.faults.clear()
    slack.fail(Fault(status=429, retry_after=1))
    env = slack_env(slack)
    assert cli("check", "--now", "2022-09-09T12:00", "--database", sqlite_url, env=env).exit_code == 0
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)


# -- permanent refusals ------------------------------------------------------------------------------
def test_bot_not_in_channel_is_reported_kept_and_delivered_once_invited(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                                         database_url: str) -> None:
    write_register(REGISTER)
    channel = slack.channel("#mvp-watch")
    assert channel is not None
    channel.member = False
    env = slack_env(slack)
    result = cli("check", "--now", NOW, "--database", database_url, env=env)
    assert result.exit_code == 3 and "2 sent, 0 queued, 3 failed" in result.output
    tried = [c for c in slack.calls_to("chat.postMessage") if c.params["channel"] == "#mvp-watch"]
    assert len(tried) == 1  # one refusal is enough: the channel is not hammered
    status = cli("status", "--now", NOW, "--database", database_url, env=env).output
    assert status.count("the bot is not in #mvp-watch: invite it with /invite @commitment-bot") == 3
    channel.member = True
    assert cli("check", "--now", "2022-09-09T10:00", "--database", database_url, env=env).exit_code == 0
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)
    assert "not delivered" not in cli("status", "--now", NOW, "--database", database_url, env=env).output


def test_a_bad_token_stops_all_channels_after_one_call(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                       sqlite_url: str) -> None:
    write_register(REGISTER)
    slack.tokens.clear()
    result = cli("check", "--now", NOW, "--database", sqlite_url, env=slack_env(slack))
    assert result.exit_code == 3 and "0 sent, 0 queued, 5 failed" in result.output
    posts = slack.calls_to("chat.postMessage")
    # channels are delivered side by side, so each may have had one call in flight; none gets a second
    channels = [c.params["channel"] for c in posts]
    assert 1 <= len(posts) <= 2 and len(set(channels)) == len(channels)
    status = cli("status", "--now", NOW, "--database", sqlite_url).output
    assert "Slack refused the bot token (invalid_auth): set SLACK_BOT_TOKEN" in status
    assert TOKEN not in result.output + status
    slack.tokens.add(TOKEN)
    assert cli("check", "--now", "2022-09-09T10:00", "--database", sqlite_url, env=slack_env(slack)).exit_code == 0
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)


# -- a killed process --------------------------------------------------------------------------------
def test_killed_mid_run_then_restarted_loses_nothing_and_repeats_nothing(  # type: ignore[no-untyped-def]
        write_register, slack: SlackState, database_url: str) -> None:
    path = write_register(REGISTER)
    gate = threading.Event()
    slack.fail(Fault(hold=gate, after=2))  # Slack keeps the third post, but its answer never arrives
    # one channel at a time, so exactly one message is in flight when the process dies
    env = {**os.environ, **slack_env(slack), "COMMITMENT_BOT_CLAIM_LEASE": "60", "SLACK_PARALLEL_CHANNELS": "0"}
    command = [str(REPO / ".venv/bin/commitment-bot"), "check", "--database", database_url, "--file", str(path)]
    # SIGKILL lands after Slack posted the third message, before the bot recorded it
    proc = subprocess.Popen([*command, "--now", NOW], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert slack.wait_for(lambda s: len(s.posted()) == 3, timeout=60)
    in_flight = posted_kinds(slack)[2:]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    gate.set()
    assert len(in_flight) == 1
    # restarted an hour later; a zero lease makes the dead worker's claim stale at once
    # (claims are leased by the wall clock, not by --now)
    rerun = subprocess.run([*command, "--now", "2022-09-09T10:00"], env={**env, "COMMITMENT_BOT_CLAIM_LEASE": "0"},
                           capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    # the dead worker's rows come back unsure: the channel is searched and the message in flight found
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)  # nothing lost, nothing twice
    assert slack.calls_to("conversations.history")


ONE = """version: 1
timezone: Europe/London
routes:
  - slack: ["#mvp-watch"]
commitments:
  - id: solo
    title: Publish the refuge guidance
    owner: Home Office
    made_on: 2022-01-20
    due: end August 2022
"""


def test_news_beyond_five_reaches_the_commitments_thread_each_with_its_note(  # type: ignore[no-untyped-def]
        cli, write_register, slack: SlackState, sqlite_url: str) -> None:
    """SPEC §6.1: every recorded update reaches the commitment's Slack thread, even when the
    channel gets more than five alerts in the cycle (the summary still lists them, §3)."""
    write_register(ONE)
    env = slack_env(slack)
    assert cli("check", "--now", "2022-09-09T09:00", "--database", sqlite_url, env=env).exit_code == 0
    parent = message_for(slack, "solo", "lapsed")
    notes = [f"Statement number {i} on the guidance" for i in range(1, 7)]
    for note in notes:
        assert cli("update", "solo", "--note", note, "--now", "2022-09-10T09:00", "--database", sqlite_url,
                   env=env).exit_code == 0
    assert cli("check", "--now", "2022-09-10T10:00", "--database", sqlite_url, env=env).exit_code == 0
    replies = [m for m in slack.posted() if m.thread_ts == parent.ts]
    assert len(replies) == 6 and all(m.metadata["event_payload"]["kind"] == "news" for m in replies)  # type: ignore[index]
    assert sorted(n for m in replies for n in notes if n in str(m.blocks)) == sorted(notes)  # each its own note
    [summary] = [m for m in slack.top_level() if m.ts != parent.ts]
    lines = [line for b in summary.blocks or [] if b["type"] == "section" for line in b["text"]["text"].splitlines()]
    assert len(lines) == 6 and all(any(n in line for line in lines) for n in notes)  # six lines, each its own
    assert "not delivered" not in cli("status", "--now", "2022-09-10T10:00", "--database", sqlite_url).output
    # a second check sends nothing again
    posts = len(slack.calls_to("chat.postMessage"))
    assert cli("check", "--now", "2022-09-10T10:00", "--database", sqlite_url, env=env).exit_code == 0
    assert len(slack.calls_to("chat.postMessage")) == posts
