"""Delivery drains each target on its own: a fast channel never waits for a slow one."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import bot.shell.delivery
from bot.decide.engine import decide
from bot.register.routing import deliverable
from bot.shell.delivery import DeliveryReport, deliver, in_words
from bot.shell.registerfile import load_texts as load
from notifiers.base import Delivery, Notifier, Outcome
from storage.db import connect
from storage.repository import Store

NOW = datetime(2022, 9, 9, 9, 0, tzinfo=ZoneInfo("Europe/London"))
FAST, SLOW = 7, 2  # alerts per channel; batches of 2 make the fast channel need four claims


def _register(channels: list[str]) -> str:
    items = "".join(
        f"\n  - id: promise-{i:02d}\n    title: Promise {i}\n    owner: Home Office\n    made_on: 2022-01-01\n"
        f"    due: 2022-08-01\n    notify: {{slack: [\"{channel}\"]}}\n"
        for i, channel in enumerate(channels))
    return f"version: 1\ntimezone: Europe/London\ndefaults: {{grace: 0 days}}\ncommitments:{items}"


class Gate(Notifier):
    """A Slack stand-in whose #slow channel answers only once #fast has had every alert."""

    channel = "slack"
    parallel_targets = True

    def __init__(self) -> None:
        self.fast_done = threading.Event()
        self.fast_batches: list[int] = []
        self.slow_saw_fast_done = False

    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        if target == "slack:#slow":
            self.slow_saw_fast_done = self.fast_done.wait(timeout=20)
        else:
            self.fast_batches.append(len(batch))
            if sum(self.fast_batches) == FAST:
                self.fast_done.set()
        for item in batch:
            yield Outcome((item.id,))


def test_a_fast_channel_is_not_held_at_batch_boundaries_by_a_slow_one(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.shell.delivery, "BATCH", 2)
    loaded = load([("r.yaml", _register(["#slow"] * SLOW + ["#fast"] * FAST))])
    assert loaded.register is not None, loaded.problems
    store = Store(connect(sqlite_url))
    store.register.sync(loaded.register, "h", NOW)
    decisions = decide(loaded.register, {}, [], NOW, store.register.first_seen())
    assert store.notifications.record([(d, deliverable(d.routed, {"slack"})) for d in decisions], NOW) == FAST + SLOW
    gate = Gate()
    report = deliver(store, {"slack": gate}, "worker", NOW)
    assert gate.slow_saw_fast_done  # the fast channel finished while the slow one was still busy
    assert gate.fast_batches == [2, 2, 2, 1]
    assert (report.sent, report.queued, report.failed) == (FAST + SLOW, 0, 0)
    assert deliver(store, {"slack": gate}, "worker", NOW).sent == 0  # nothing left, nothing twice


class Summing(Notifier):
    """A channel that sums up all of a target's alerts in one message, as mail does."""

    channel = "email"
    claim_all = True

    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        yield Outcome(tuple(item.id for item in batch))


def test_the_report_counts_the_messages_each_channel_sent(sqlite_url: str) -> None:
    """`deliveries: 15 sent` counts an alert once per channel; the messages that carried them are
    counted too, so `check` can say why Slack got 10 and the mailbox 1."""
    text = _register(["#a"] * 3 + ["#b"] * 2).replace('notify: {slack: ["#a"]}', 'notify: {slack: ["#a"], email: ["c@example.org"]}')
    loaded = load([("r.yaml", text)])
    assert loaded.register is not None, loaded.problems
    store = Store(connect(sqlite_url))
    store.register.sync(loaded.register, "h", NOW)
    decisions = decide(loaded.register, {}, [], NOW, store.register.first_seen())
    assert store.notifications.record([(d, deliverable(d.routed, {"slack", "email"})) for d in decisions], NOW) == 8
    report = deliver(store, {"slack": Gate(), "email": Summing()}, "worker", NOW)
    assert (report.sent, report.messages) == (8, {"slack": 5, "email": 1})
    assert in_words(report) == ("deliveries: 8 sent, 0 queued, 0 failed (5 Slack messages and 1 mail; each alert is "
                                "counted once per channel)")


@pytest.mark.parametrize(("report", "said"), [
    (DeliveryReport(0, 0, 0), "deliveries: 0 sent, 0 queued, 0 failed"),
    (DeliveryReport(10, 0, 0, {"console": 1}), "deliveries: 10 sent, 0 queued, 0 failed"),  # shown here, one by one
    (DeliveryReport(1, 2, 0, {"slack": 1}), "deliveries: 1 sent, 2 queued, 0 failed (1 Slack message; each alert is "
                                            "counted once per channel)"),
    (DeliveryReport(7, 0, 0, {"slack": 2, "email": 2, "teams": 1}),
     "deliveries: 7 sent, 0 queued, 0 failed (2 Slack messages, 2 mails and 1 Teams message; each alert is counted "
     "once per channel)"),
])
def test_the_summary_says_what_it_counts(report: DeliveryReport, said: str) -> None:
    assert in_words(report) == said


def test_a_mail_the_server_never_confirmed_is_kept_then_sent_again_marked_once(sqlite_url: str) -> None:
    """Found in review (issue 22, a22 item 3): the connection dropped after the whole message (its
    final ".") and before the 250, and the next check sent the mail again, identical, unmarked.
    SMTP cannot be asked whether it arrived (SPEC §6.5 asks a channel to be searched first), so it
    is done as for Teams: the row is kept `unsure`, retried once it could have arrived (by the wall
    clock, as an unanswered post is), and the mail that carries it again says it may repeat one."""
    from datetime import UTC, timedelta

    from notifiers.email.messages import MailSetup
    from notifiers.email.notifier import EmailNotifier
    from notifiers.email.smtp import parse_smtp_url
    from tests.smtp_standin import smtp_standin

    text = _register(["#a"]).replace('notify: {slack: ["#a"]}', 'notify: {email: ["coordinator@example.org"]}')
    loaded = load([("r.yaml", text)])
    assert loaded.register is not None, loaded.problems
    store = Store(connect(sqlite_url))
    store.register.sync(loaded.register, "h", NOW)
    decisions = decide(loaded.register, {}, [], NOW, store.register.first_seen())
    assert store.notifications.record([(d, deliverable(d.routed, {"email"})) for d in decisions], NOW) == 1
    wall = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with smtp_standin("drop") as server:
        mail = {"email": EmailNotifier(MailSetup(parse_smtp_url(server.url, 5), "bot@example.org", "bot@example.org"))}
        first = deliver(store, mail, "worker", NOW, clock=lambda: wall)
        (kept,) = store.notifications.undelivered()
        too_soon = deliver(store, mail, "worker", NOW, clock=lambda: wall + timedelta(seconds=30))
        again = deliver(store, mail, "worker", NOW, clock=lambda: wall + timedelta(minutes=2))
        done = deliver(store, mail, "worker", NOW, clock=lambda: wall + timedelta(hours=2))
    assert (first.sent, first.queued) == (0, 1) and kept.last_error is not None
    assert "took the whole mail but did not confirm it" in kept.last_error and "may have arrived" in kept.last_error
    assert (too_soon.sent, again.sent, done.sent) == (0, 1, 0)
    (was, repeat) = server.messages()
    assert was["Subject"] == "LAPSED: Promise 0"
    assert repeat["Subject"] == "[possible repeat] LAPSED: Promise 0"
    said = "Sent again: an earlier mail of this at 09:00 UTC on 1 Dec 2026 was not confirmed by the mail server and " \
           "may have arrived too."
    parts = {p.get_content_type(): p.get_content() for p in repeat.iter_parts()}
    assert parts["text/plain"].splitlines()[:3] == [said, "", "[possible repeat] LAPSED: Promise 0"], parts["text/plain"]
    assert said in parts["text/html"]
    assert store.notifications.undelivered() == []
