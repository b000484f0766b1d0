"""Each Slack Web API call is one exchange bounded as a whole by SLACK_TIMEOUT_SECONDS: connect,
headers and body (notifiers.slack.transport). A server that drips its answer a byte at a time,
each byte well inside any per-read timeout, cannot hold `check` or `run`.

A post that got no whole answer in time may have been posted: it is `unsure` (SPEC §6.5), never
sent again in the run, and searched for after `landing` before anything is posted again
(tests/test_slack_exactly_once.py follows such a row through).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.shell.settings import from_env
from notifiers.base import Delivery
from notifiers.slack.notifier import SlackNotifier, build
from storage.db import connect
from storage.slack_threads import SlackThreads
from tests.dripping import dripping
from tests.standins import make_alert

TIMEOUT = 0.5
SLACK = 2.0  # what the machine may add to a bounded exchange (two shared cores)
DRIP_HEADERS = b"HTTP/1.1 200 OK\r\n"
DRIP_BODY = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 65000\r\n\r\n"


@pytest.fixture
def threads(tmp_path: Path) -> SlackThreads:
    return SlackThreads(connect(f"sqlite:///{tmp_path / 'bot.db'}"))


def notifier(url: str, threads: SlackThreads) -> SlackNotifier:
    """As `check` and `run` build it, from the environment a user would set."""
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": url, "SLACK_MIN_INTERVAL_SECONDS": "0",
           "SLACK_RETRY_BUDGET_SECONDS": "20", "SLACK_TIMEOUT_SECONDS": str(TIMEOUT)}
    built = build(from_env(env), threads)
    assert built is not None
    return built


def row() -> Delivery:
    return Delivery(1, "slack:#mvp-watch", make_alert(id="promise-1", title="Promise 1"), "lapsed|promise-1||x|1")


@pytest.mark.parametrize(("head", "drip"), [(DRIP_HEADERS, b"X"), (DRIP_BODY, b"{")], ids=["headers", "body"])
def test_a_slack_that_drips_its_answer_is_given_up_within_the_timeout_and_not_posted_again(
        threads: SlackThreads, head: bytes, drip: bytes) -> None:
    with dripping(head, drip, "/api/") as server:
        n = notifier(server.url, threads)
        started = time.monotonic()
        (outcome,) = n.deliver("slack:#mvp-watch", [row()])
        took = time.monotonic() - started
        n.client.close()
    assert took < TIMEOUT + SLACK  # the whole exchange, not each byte
    assert [r.split(b" ")[1] for r in server.requests] == [b"/api/chat.postMessage"]  # never sent twice
    assert outcome.unsure and not outcome.permanent and outcome.retry_after == 30  # searched for after `landing`
    assert outcome.error is not None and outcome.error.startswith(
        f"Slack did not answer within {TIMEOUT:g}s (SLACK_TIMEOUT_SECONDS; the post was given up after ")
    assert outcome.error.endswith("and Slack may have posted the message; it is searched for, not sent again, "
                                  "after 30s")
