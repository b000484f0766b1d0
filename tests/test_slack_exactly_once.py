"""A post whose answer never came is searched for, never re-sent blindly (SPEC §6.5, issue 11 item 9),
and many alerts for one channel make one summary whose every line leads to the full alert (item 16).

The real SlackNotifier and its client (notifiers.slack.transport: slack_sdk's WebClient, each
exchange bounded as a whole) talk to the local Slack server, which answers slower than the
client's timeout and stores the post late, never, or at once. Each "run" is one call of
`deliver` with Delivery rows built by hand, as the shell would hand them over: a row whose post
got no answer comes back with `unsure_since`. The server is held on an Event, not slept on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.shell.sandbox.slack import TOKEN, Fault, Message, SlackState
from notifiers.base import Delivery, Outcome
from notifiers.slack.notifier import TAG_MAX, Patience, SlackNotifier, tag
from notifiers.slack.transport import client as bounded
from storage.db import connect
from storage.slack_threads import SlackThreads
from tests.standins import make_alert, running_slack  # noqa: F401

TIMEOUT = 0.3  # the client's patience; the held server answers long after it


@pytest.fixture
def threads(tmp_path: Path) -> SlackThreads:
    return SlackThreads(connect(f"sqlite:///{tmp_path / 'bot.db'}"))


def notifier(slack: SlackState, threads: SlackThreads) -> SlackNotifier:
    """A fresh notifier, as a new run (or another process) would build it."""
    client = bounded(TOKEN, slack.url, TIMEOUT)  # type: ignore[attr-defined]
    return SlackNotifier(client, threads, Patience(min_interval=0, timeout=TIMEOUT, budget=5))


def row(i: int, cid: str | None = None, n: int = 1, channel: str = "#mvp-watch", title: str = "") -> Delivery:
    cid = cid or f"promise-{i}"
    alert = make_alert(id=cid, title=f"Promise {i}{title}", n=n, days_overdue=9 + i % 50)
    return Delivery(i, f"slack:{channel}", alert, f"lapsed|{cid}||2022-08-31|{n}")


def run(slack: SlackState, threads: SlackThreads, rows: list[Delivery], channel: str = "#mvp-watch") -> list[Outcome]:
    """One delivery, with the shell's part of it: a thread the channel started is recorded."""
    outcomes = list(notifier(slack, threads).deliver(f"slack:{channel}", rows))
    for o in outcomes:
        if o.ok and o.anchor is not None:
            threads.put(o.anchor, datetime.now(UTC))
    return outcomes


def unsure(rows: list[Delivery], since: datetime) -> list[Delivery]:
    return [replace(r, unsure_since=since) for r in rows]


def covered(outcomes: list[Outcome]) -> Counter[int]:
    return Counter(i for o in outcomes if o.ok for i in o.ids)


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # never leave a server thread waiting


# -- one alert ------------------------------------------------------------------------------------
def test_a_post_that_lands_late_is_found_not_sent_again(slack: SlackState, threads: SlackThreads,
                                                        gate: threading.Event) -> None:
    slack.fail(Fault(hold=gate, lands="late"))
    before = datetime.now(UTC)
    [first] = run(slack, threads, [row(1)])
    assert (first.ok, first.unsure, first.permanent) == (False, True, False)
    assert first.retry_after is not None and first.retry_after >= max(2 * TIMEOUT, 30)
    assert "searched for, not sent again" in (first.error or "")
    assert len(slack.calls_to("chat.postMessage")) == 1 and not slack.calls_to("conversations.history")
    gate.set()  # Slack stores it now, long after the client gave up
    assert slack.wait_for(lambda s: len(s.posted()) == 1)
    [second] = run(slack, threads, unsure([row(1)], before))
    landed = slack.posted()[0]
    assert second.ok and second.ids == (1,) and second.meta["ts"] == landed.ts
    assert len(slack.posted()) == 1 and len(slack.calls_to("chat.postMessage")) == 1
    anchor = threads.get("#mvp-watch", "promise-1")
    assert anchor is not None and anchor.ts == landed.ts  # it was the commitment's first message: its thread


def test_the_search_reads_every_page_of_a_busy_channel(slack: SlackState, threads: SlackThreads,
                                                        gate: threading.Event) -> None:
    slack.fail(Fault(hold=gate, lands="late"))
    before = datetime.now(UTC)
    assert run(slack, threads, [row(1)])[0].unsure
    gate.set()
    assert slack.wait_for(lambda s: len(s.posted()) == 1)
    channel = slack.posted()[0].channel
    with slack.lock:  # the team keeps talking: the bot's message is now on the third page
        slack.messages += [Message(channel, slack.next_ts(), f"chatter {i}", None, None, False, None)
                           for i in range(450)]
    [second] = run(slack, threads, unsure([row(1)], before))
    assert second.ok and len(slack.calls_to("chat.postMessage")) == 1
    assert len(slack.calls_to("conversations.history")) == 3


def test_a_post_that_never_landed_is_sent_once_after_the_search(slack: SlackState, threads: SlackThreads,
                                                                gate: threading.Event) -> None:
    slack.fail(Fault(hold=gate, lands="never"))
    before = datetime.now(UTC)
    [first] = run(slack, threads, [row(1)])
    assert first.unsure
    gate.set()
    [second] = run(slack, threads, unsure([row(1)], before))
    assert second.ok
    assert len(slack.posted()) == 1 and len(slack.calls_to("chat.postMessage")) == 2
    assert len(slack.calls_to("conversations.history")) == 1  # looked first


def test_a_reply_in_a_thread_is_found_in_that_thread(slack: SlackState, threads: SlackThreads,
                                                     gate: threading.Event) -> None:
    assert run(slack, threads, [row(1)])[0].ok  # the commitment's thread
    slack.fail(Fault(hold=gate, lands="late"))
    before = datetime.now(UTC)
    reminder = row(2, cid="promise-1", n=2)
    assert run(slack, threads, [reminder])[0].unsure
    gate.set()
    assert slack.wait_for(lambda s: len(s.posted()) == 2)
    [second] = run(slack, threads, unsure([reminder], before))
    parent = slack.posted()[0]
    assert second.ok and second.meta["thread_ts"] == parent.ts
    assert len(slack.calls_to("chat.postMessage")) == 2 and slack.calls_to("conversations.replies")


# (what the bot may not do, channel, what the reason must say, permanent): held, never re-posted
CANNOT_LOOK = [
    ("no channels:history", "#mvp-watch", "lacks the channels:history scope: add it under OAuth & Permissions", True),
    ("no groups:history", "#private-team", "lacks the groups:history scope", True),
    ("no channels:read", "#mvp-watch", "lacks the channels:read scope", True),
    ("Slack down", "#mvp-watch", "Slack could not be searched", False),
]


@pytest.mark.parametrize(("problem", "channel", "says", "permanent"), CANNOT_LOOK, ids=[c[0] for c in CANNOT_LOOK])
def test_a_search_that_cannot_be_done_holds_the_alert(slack: SlackState, threads: SlackThreads, gate: threading.Event,
                                                      problem: str, channel: str, says: str, permanent: bool) -> None:
    slack.add_channel("private-team", private=True)
    slack.fail(Fault(hold=gate, lands="late"))
    before = datetime.now(UTC)
    assert run(slack, threads, [row(1, channel=channel)], channel)[0].unsure
    gate.set()
    assert slack.wait_for(lambda s: len(s.posted()) == 1)
    if problem == "Slack down":
        slack.fail(Fault(status=503, method="conversations.list"))
    else:
        slack.drop_scope(problem.removeprefix("no "))
    [second] = run(slack, threads, unsure([row(1, channel=channel)], before), channel)
    assert (second.ok, second.unsure, second.permanent) == (False, True, permanent)
    assert says in (second.error or "") and "held (not sent again)" in (second.error or "")
    assert len(slack.posted()) == 1 and len(slack.calls_to("chat.postMessage")) == 1


# -- many alerts: one summary ------------------------------------------------------------------------
def test_a_summary_that_lands_late_is_found_and_its_thread_completed(slack: SlackState, threads: SlackThreads,
                                                                     gate: threading.Event) -> None:
    rows = [row(i) for i in range(1, 9)]
    slack.fail(Fault(hold=gate, lands="late"))
    before = datetime.now(UTC)
    [first] = run(slack, threads, rows)
    assert first.unsure and sorted(first.ids) == list(range(1, 9))
    gate.set()
    assert slack.wait_for(lambda s: len(s.posted()) == 1)
    second = run(slack, threads, unsure(rows, before))
    assert covered(second) == Counter(range(1, 9))
    [summary] = slack.top_level()
    replies = [m for m in slack.posted() if m.thread_ts == summary.ts]
    assert replies and len(slack.calls_to("chat.postMessage")) == 1 + len(replies)  # the summary was not posted again
    assert sorted(i for m in replies for i in m.metadata["event_payload"]["idents"].split("\n")) == sorted(  # type: ignore[index]
        r.ident for r in rows)


def test_a_detail_reply_that_lands_late_is_found_in_the_summarys_thread(slack: SlackState, threads: SlackThreads,
                                                                        gate: threading.Event) -> None:
    rows = [row(i) for i in range(1, 9)]
    slack.fail(Fault(hold=gate, lands="late", after=1))  # the summary is answered; its reply is not
    before = datetime.now(UTC)
    first = run(slack, threads, rows)
    [late] = [o for o in first if o.unsure]
    assert covered(first) + Counter(late.ids) == Counter(range(1, 9))
    posts = len(slack.calls_to("chat.postMessage"))
    gate.set()
    assert slack.wait_for(lambda s: len(s.posted()) == posts)
    second = run(slack, threads, unsure([r for r in rows if r.id in late.ids], before))
    assert covered(second) == Counter(late.ids)
    assert len(slack.calls_to("chat.postMessage")) == posts and len(slack.top_level()) == 1
    assert slack.calls_to("conversations.replies")


def test_a_run_that_comes_back_unsure_finds_the_replies_in_commitments_threads(slack: SlackState,
                                                                               threads: SlackThreads) -> None:
    """A summary's rows whose commitments have threads reply there (SPEC §6.1); when the worker
    died before recording any of it, every row comes back unsure and nothing is posted twice."""
    assert all(o.ok for o in run(slack, threads, [row(i) for i in (1, 2, 3)]))  # three threads
    parents = {m.metadata["event_payload"]["commitment"]: m.ts for m in slack.top_level()}  # type: ignore[index]
    rows = [row(10 + i, cid=f"promise-{i}", n=2) for i in range(1, 9)]
    before = datetime.now(UTC)
    assert covered(run(slack, threads, rows)) == Counter(r.id for r in rows)
    posts = len(slack.calls_to("chat.postMessage"))
    second = run(slack, threads, unsure(rows, before))  # as the shell hands back a dead worker's rows
    assert covered(second) == Counter(r.id for r in rows)
    assert len(slack.calls_to("chat.postMessage")) == posts  # found, every one, not posted again
    for r in rows[:3]:  # each in full in its commitment's thread, once
        [reply] = [m for m in slack.posted() if m.thread_ts == parents[r.alert.id] and m.ts != parents[r.alert.id]]
        assert reply.metadata["event_payload"]["ident"] == r.ident  # type: ignore[index]


def test_a_thousand_alerts_make_one_summary_and_every_line_leads_to_the_full_alert(
        slack: SlackState, threads: SlackThreads) -> None:
    assert SlackNotifier.claim_all is True  # the shell hands all of a target's rows in one call
    # three of the most overdue commitments already have threads
    assert all(o.ok for o in run(slack, threads, [row(i) for i in (49, 99, 149)]))
    batch = [row(1000 + i, cid=f"promise-{i}", n=2, title=": a long title " * 8) for i in range(1000)]
    outcomes = run(slack, threads, batch)
    assert covered(outcomes) == Counter(r.id for r in batch)  # every row once
    top = slack.top_level()
    assert len(top) == 4  # the three threads and exactly one summary
    summary = top[-1]
    sections = [b["text"]["text"] for b in summary.blocks or [] if b["type"] == "section"]
    lines = [line for text in sections for line in text.splitlines()]
    linked = [line for line in lines if "<https://advocacy.slack.com/archives/" in line]
    assert len(linked) == 3 and all("details in this thread" not in line for line in linked)
    here = [line for line in lines if "details in this thread" in line]
    more = int(lines[-1].split()[1]) if lines[-1].startswith("…and") else 0
    assert len(here) + len(linked) + more == 1000 and more > 0
    assert lines[-1].endswith("more: their full alerts are in this thread")
    replies = [m for m in slack.posted() if m.thread_ts == summary.ts]
    details = Counter(i for m in replies for i in m.metadata["event_payload"]["idents"].split("\n"))  # type: ignore[index]
    assert set(details.values()) == {1} and len(details) == 1000 - 3  # the rest, each in full, once
    for parent in top[:3]:  # the three with threads: each in full in its own thread, once
        [reply] = [m for m in slack.posted() if m.thread_ts == parent.ts]
        assert reply.metadata["event_payload"]["commitment"] == parent.metadata["event_payload"]["commitment"]  # type: ignore[index]
    assert len(replies) < 1000 / 3  # packed several to a reply, at Slack's pace of one a second


@pytest.mark.parametrize(("ident", "kept_whole"), [
    ("lapsed|mvp-x||2022-08-31|1", True),
    ("x" * TAG_MAX, True),
    ("slipped|" + "y" * 300 + "|a", False),
])
def test_an_identity_is_carried_whole_or_shortened_with_its_hash(ident: str, kept_whole: bool) -> None:
    assert (tag(ident) == ident) is kept_whole
    assert len(tag(ident)) <= TAG_MAX
    assert tag(ident) != tag(ident[:-1] + "b")  # two identities never share a tag
