"""One post to a Teams webhook is bounded as a whole by TEAMS_TIMEOUT_SECONDS: connect, headers and
body (README: "how long to wait for an answer"). A webhook that drips its answer a byte at a time,
each byte well inside any per-read timeout, cannot hold `teams test`, `check` or `run`.

A post that timed out once sent may have been posted: as for Slack (SPEC §6.5, an ambiguous
timeout is `unsure`), it is never posted again in the run, and comes back after `landing`, marked.
"""

from __future__ import annotations

import time

from bot.shell.settings import from_env
from notifiers.base import Delivery
from notifiers.teams.notifier import TeamsNotifier, check
from notifiers.teams.setup import setup
from tests.dripping import DRIP_BODY_202, DRIP_HEADERS, HUGE_HEADERS, dripping
from tests.standins import make_alert

TIMEOUT = 0.5
SLACK = 2.0  # what the machine may add to a bounded exchange (two shared cores)


def env(url: str, **extra: str) -> dict[str, str]:
    return {"TEAMS_WEBHOOK_ADVOCACY": url + "?sig=SECRET", "TEAMS_MIN_INTERVAL_SECONDS": "0",
            "TEAMS_TIMEOUT_SECONDS": str(TIMEOUT), "TEAMS_RETRY_BUDGET_SECONDS": "20", **extra}


def row() -> Delivery:
    return Delivery(1, "teams:advocacy", make_alert(id="c0", title="Commitment 0"), "ident-0")


def test_a_webhook_that_drips_its_headers_is_given_up_within_the_timeout_and_not_posted_again() -> None:
    with dripping(DRIP_HEADERS) as server:
        notifier = TeamsNotifier(setup(from_env(env(server.url))))
        started = time.monotonic()
        (outcome,) = notifier.deliver("teams:advocacy", [row()])
        took = time.monotonic() - started
        notifier.poster.close()
    assert took < TIMEOUT + SLACK  # the whole exchange, headers included, not each byte
    assert len(server.requests) == 1  # received, maybe posted: never sent twice in the run
    assert outcome.unsure and not outcome.permanent and outcome.retry_after == 30  # back after `landing`, marked
    assert outcome.error is not None and outcome.error.startswith(
        f"Teams did not answer within {TIMEOUT:g}s (TEAMS_TIMEOUT_SECONDS; the post was given up after ")
    assert "SECRET" not in outcome.error


def test_a_202_whose_body_drips_is_a_post_teams_took_and_returns_within_the_timeout() -> None:
    with dripping(DRIP_BODY_202, b"{") as server:
        notifier = TeamsNotifier(setup(from_env(env(server.url))))
        started = time.monotonic()
        (outcome,) = notifier.deliver("teams:advocacy", [row()])
        took = time.monotonic() - started
        notifier.poster.close()
    assert took < TIMEOUT + SLACK
    assert outcome.ok and len(server.requests) == 1  # the status line is Teams' answer


def test_teams_test_against_a_dripping_webhook_says_how_long_it_waited() -> None:
    with dripping(DRIP_HEADERS) as server:
        started = time.monotonic()
        checked = check(from_env(env(server.url)), "advocacy")
        took = time.monotonic() - started
    assert took < TIMEOUT + SLACK and len(server.requests) == 1
    assert not checked.ok and not checked.permanent
    assert checked.said.startswith(f"Teams did not answer within {TIMEOUT:g}s (TEAMS_TIMEOUT_SECONDS; the post "
                                      "was given up after ")
    assert checked.said.endswith("s): the test card may still appear in the channel; look there before trying "
                                    "again")


def test_oversized_headers_are_said_to_be_what_they_are_not_a_timeout() -> None:
    with dripping(HUGE_HEADERS) as server:
        checked = check(from_env(env(server.url, TEAMS_TIMEOUT_SECONDS="30")), "advocacy")
    assert not checked.ok and len(server.requests) == 1
    assert checked.said.startswith("the connection to Teams failed ")
    assert "after the card was sent (its headers were too long to read (RemoteProtocolError" in checked.said
    assert "did not answer within" not in checked.said
