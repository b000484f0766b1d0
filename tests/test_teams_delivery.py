"""Delivering to Teams through its failures (SPEC §7.8, issue 23 item 6), against the local
Workflows webhook (bot/shell/sandbox/teams.py): grouping, 429 with Retry-After, 5xx with back-off, a
refusal kept with a plain reason, the unanswered post, and a webhook URL that never shows.

Waits are the notifier's own `sleep`, recorded instead of slept, so no test waits for a clock.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.shell.sandbox.teams import Fault, TeamsState, text_of
from bot.shell.settings import from_env
from notifiers.base import Delivery, Outcome
from notifiers.teams.notifier import TeamsNotifier
from notifiers.teams.setup import setup
from tests.standins import make_alert, running_teams, teams_env  # noqa: F401 - the fixture

TARGET = "teams:advocacy"


class Recorder:
    """The notifier's sleep and clock: waits are noted and pass at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def notifier(env: dict[str, str], clock: Recorder | None = None) -> TeamsNotifier:
    clock = clock or Recorder()
    return TeamsNotifier(setup(from_env(env)), sleep=clock.sleep, clock=clock.clock)


def rows(n: int, **over: Any) -> list[Delivery]:
    return [Delivery(i + 1, TARGET, make_alert(id=f"c{i}", title=f"Commitment {i}"), f"ident-{i}", **over)
            for i in range(n)]


def deliver(n: TeamsNotifier, batch: list[Delivery], target: str = TARGET) -> list[Outcome]:
    return list(n.deliver(target, batch))


def covered(outcomes: list[Outcome]) -> list[int]:
    return sorted(i for o in outcomes for i in o.ids)


def test_up_to_five_alerts_are_a_card_each_and_more_are_one_summary(teams: TeamsState) -> None:
    n = notifier(teams_env(teams))
    three = deliver(n, rows(3))
    assert [o.ok for o in three] == [True] * 3 and covered(three) == [1, 2, 3]
    assert [text_of(c).splitlines()[0] for c in teams.cards("advocacy")] == \
        [f"🔴 Lapsed: Commitment {i}" for i in range(3)]
    twelve = deliver(n, rows(12))
    assert [o.ok for o in twelve] == [True] and covered(twelve) == list(range(1, 13))
    summary = teams.cards("advocacy")[-1]
    assert text_of(summary).startswith("📋 12 alerts about commitments (12 lapsed)\n")
    assert len(teams.cards("advocacy")) == 4


def test_a_429_waits_for_retry_after_then_posts_once(teams: TeamsState) -> None:
    clock = Recorder()
    teams.fail(Fault(status=429, retry_after=7))
    (outcome,) = deliver(notifier(teams_env(teams), clock), rows(1))
    assert outcome.ok
    assert clock.slept == [7.0]  # Teams said how long
    assert [p.status for p in teams.posts] == [429, 202] and len(teams.cards("advocacy")) == 1


def test_a_5xx_backs_off_then_posts_once(teams: TeamsState) -> None:
    clock = Recorder()
    teams.fail(Fault(status=503, times=2))
    (outcome,) = deliver(notifier(teams_env(teams), clock), rows(1))
    assert outcome.ok and clock.slept == [0.5, 1.0]
    assert [p.status for p in teams.posts] == [503, 503, 202] and len(teams.cards("advocacy")) == 1


def test_throttled_past_the_budget_everything_waits_for_the_next_run(teams: TeamsState) -> None:
    clock = Recorder()
    teams.fail(Fault(status=429, retry_after=120))
    outcomes = deliver(notifier(teams_env(teams, TEAMS_RETRY_BUDGET_SECONDS="60"), clock), rows(3))
    assert covered(outcomes) == [1, 2, 3] and clock.slept == []
    assert {o.error for o in outcomes} == {"Teams is throttling the webhook for advocacy (asked to wait 120s); "
                                           "kept for the next run"}
    assert all(not o.permanent and o.retry_after == 120 for o in outcomes)
    assert len(teams.posts) == 1  # the other two were not tried against a throttled webhook


def test_a_retry_after_of_years_is_asked_again_within_the_hour(teams: TeamsState) -> None:
    """Found in the hostile audit: `Retry-After: 999999999` on a 429 parked the alerts until 2058,
    while `check` said "kept for the next run". A channel's wait is never longer than an hour."""
    teams.fail(Fault(status=429, retry_after=999999999))
    outcomes = deliver(notifier(teams_env(teams), Recorder()), rows(1))
    assert [o.retry_after for o in outcomes] == [3600.0]


@pytest.mark.parametrize(("value", "wait"), [("\u00b2", None), ("1\u00b3", None), ("\u0667", None), ("12", 12.0),
                                             ("99999999999999999999", 3600.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
                                             ("Fri, 31 Dec 9999 23:59:59 GMT", 3600.0), ("soon", None)])
def test_a_retry_after_is_read_as_a_wait_of_at_most_an_hour_or_not_at_all(value: str, wait: float | None) -> None:
    """Superscript and Arabic-Indic digits pass `str.isdigit()` but not `float()`: "²" ended `teams
    test` with "unexpected ValueError"."""
    from notifiers.waits import retry_after

    assert retry_after(value) == wait


def test_teams_down_past_the_budget_keeps_the_rows(teams: TeamsState) -> None:
    clock = Recorder()
    teams.fail(Fault(status=502, times=100))
    outcomes = deliver(notifier(teams_env(teams, TEAMS_RETRY_BUDGET_SECONDS="5"), clock), rows(2))
    assert covered(outcomes) == [1, 2] and not any(o.permanent or o.ok for o in outcomes)
    assert outcomes[0].error == ("Teams kept failing (HTTP 502) for 3.5s (4 tries); another try, 4s on, would pass "
                                 "the retry budget (TEAMS_RETRY_BUDGET_SECONDS); kept for the next run")  # as it was
    assert sum(clock.slept) <= 5 and teams.cards("advocacy") == []


REFUSALS = [
    pytest.param("deleted", 404, "the Teams webhook for advocacy was refused (404): the Workflow was deleted or its URL "
                 "changed — set TEAMS_WEBHOOK_ADVOCACY again", id="deleted-workflow"),
    pytest.param("bad-sig", 401, "the Teams webhook for advocacy was refused (401, DirectApiAuthorizationRequired): the "
                 "Workflow does not let this caller in — in its trigger set \"Who can trigger the flow\" to \"Anyone\", "
                 "or copy the whole URL into TEAMS_WEBHOOK_ADVOCACY again", id="wrong-signature"),
    pytest.param(400, 400, "the Teams webhook for advocacy refused the card (400, TriggerInputSchemaMismatch): the "
                 "Workflow's trigger expects another shape — use the Teams template \"Post to a channel when a webhook "
                 "request is received\" and set TEAMS_WEBHOOK_ADVOCACY to its URL", id="trigger-schema"),
    pytest.param(403, 403, "the Teams webhook for advocacy was refused (403, AuthorizationFailed): the Workflow does not "
                 "let this caller in — in its trigger set \"Who can trigger the flow\" to \"Anyone\", or copy the "
                 "whole URL into TEAMS_WEBHOOK_ADVOCACY again", id="forbidden"),
]


@pytest.mark.parametrize(("how", "status", "reason"), REFUSALS)
def test_a_refusal_is_kept_with_a_plain_reason_and_ends_the_run(teams: TeamsState, how: Any, status: int,
                                                                  reason: str) -> None:
    env = teams_env(teams)
    if how == "deleted":
        teams.hook("advocacy").deleted = True
    elif how == "bad-sig":
        env["TEAMS_WEBHOOK_ADVOCACY"] = env["TEAMS_WEBHOOK_ADVOCACY"].rsplit("&sig=", 1)[0]
    else:
        teams.fail(Fault(status=status))
    outcomes = deliver(notifier(env), rows(3))
    assert covered(outcomes) == [1, 2, 3]
    assert {o.error for o in outcomes} == {reason} and all(o.permanent for o in outcomes)
    assert len(teams.posts) == (0 if isinstance(how, str) else 1) and teams.cards("advocacy") == []


def test_a_name_without_its_variable_is_kept_saying_which_to_set(teams: TeamsState) -> None:
    outcomes = deliver(notifier(teams_env(teams)), rows(2), "teams:policy-team")
    assert covered(outcomes) == [1, 2] and all(o.permanent for o in outcomes)
    assert outcomes[0].error is not None and outcomes[0].error.startswith("TEAMS_WEBHOOK_POLICY_TEAM is not set")
    assert teams.posts == []


# -- the unanswered post -------------------------------------------------------------------------
def test_a_post_that_got_no_answer_is_not_repeated_in_the_run_and_is_marked_when_it_is(teams: TeamsState) -> None:
    """A webhook cannot be asked what it posted: the card is posted again once it could have
    arrived, saying an earlier post may have arrived too. Here the first one did."""
    env = teams_env(teams, TEAMS_TIMEOUT_SECONDS="0.2")
    teams.fail(Fault(delay=0.6))  # accepted and posted, the answer too late for the client
    outcomes = deliver(notifier(env), rows(2))
    first, second = outcomes
    assert first.unsure and not first.ok and not first.permanent and first.retry_after == 30
    assert first.error is not None and "may have posted the card; it is posted again after 30s, marked as a " \
        "possible repeat" in first.error
    assert second.ok  # the next card is not held up
    assert teams.wait_for(lambda s: len(s.cards("advocacy")) == 2)
    assert len([p for p in teams.posts if p.hook == "advocacy"]) == 2  # the unanswered one was not re-sent

    since = datetime(2022, 9, 9, 8, 14, tzinfo=UTC)
    (again,) = deliver(notifier(env), [replace(rows(1)[0], unsure_since=since)])
    assert again.ok
    repeated = text_of(teams.cards("advocacy")[-1])
    assert repeated.startswith("🔴 Lapsed: Commitment 0\nSent again: an earlier post of this at 08:14 UTC on "
                               "9 Sep 2022 got no answer from Teams and may have arrived too.\n")


def test_a_post_lost_on_the_way_is_posted_again_marked(teams: TeamsState) -> None:
    teams.fail(Fault(lands="never"))  # the connection drops: no card, no answer
    (lost,) = deliver(notifier(teams_env(teams)), rows(1))
    assert lost.unsure and teams.cards("advocacy") == []
    since = datetime(2022, 9, 9, 8, 14, tzinfo=UTC)
    (again,) = deliver(notifier(teams_env(teams)), [replace(rows(1)[0], unsure_since=since)])
    assert again.ok and len(teams.cards("advocacy")) == 1
    assert "Sent again" in text_of(teams.cards("advocacy")[0])


def test_a_refused_connection_is_retried_not_unsure(teams: TeamsState) -> None:
    clock = Recorder()
    env = teams_env(teams, TEAMS_RETRY_BUDGET_SECONDS="2")
    env["TEAMS_WEBHOOK_ADVOCACY"] = teams.url_of("advocacy").replace(teams.url, f"http://127.0.0.1:{_free_port()}")
    (outcome,) = deliver(notifier(env, clock), rows(1))
    assert not outcome.unsure and not outcome.permanent and clock.slept  # never reached Teams: backed off
    assert outcome.error is not None and outcome.error.startswith("Teams kept failing (could not connect")


# -- the secret ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def secrets_of(url: str) -> list[str]:
    """The URL and each part of it that would let someone post: the workflow id and the signature."""
    path, query = url.split("?", 1)
    return [url, path.split("/workflows/")[1].split("/")[0], query.split("sig=")[1]]


FAILURES = [
    pytest.param(lambda t: t.fail(Fault(status=429, retry_after=900)), id="throttled"),
    pytest.param(lambda t: t.fail(Fault(status=500, times=100)), id="server-error"),
    pytest.param(lambda t: setattr(t.hook("advocacy"), "deleted", True), id="deleted"),
    pytest.param(lambda t: t.fail(Fault(status=400)), id="refused"),
    pytest.param(lambda t: t.fail(Fault(lands="never")), id="dropped"),
    pytest.param(lambda t: None, id="delivered"),
]


@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of every logger, httpx's and httpcore's included, at DEBUG: what `run` could log."""
    caplog.set_level(logging.DEBUG)
    yield caplog


@pytest.mark.parametrize("trouble", FAILURES)
def test_the_webhook_url_never_appears_in_an_outcome_or_a_log(teams: TeamsState, every_log: Any, trouble: Any) -> None:
    trouble(teams)
    env = teams_env(teams, TEAMS_RETRY_BUDGET_SECONDS="1")
    outcomes = deliver(notifier(env), rows(2))
    said = " ".join(f"{o!r} {o.error}" for o in outcomes) + " ".join(
        f"{r.getMessage()} {r.args!r}" for r in every_log.records)
    for secret in secrets_of(env["TEAMS_WEBHOOK_ADVOCACY"]):
        assert secret not in said
    assert "TEAMS_WEBHOOK_ADVOCACY" in repr(setup(from_env(env)).webhook("advocacy"))  # named, never shown
    assert env["TEAMS_WEBHOOK_ADVOCACY"] not in repr(setup(from_env(env)))
