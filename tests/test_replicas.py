"""Two `commitment-bot run` replicas on one PostgreSQL: every alert delivered once, none lost.

Counted where it matters, at a local Slack server: each message carries its commitment in its
metadata. 200 commitments over 40 channels (5 each, so no summaries): 200 separate posts.
Each replica has its own token, so the server knows who posted what.
"""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.shell.sandbox.slack import TOKEN
from tests.standins import running_slack  # noqa: F401 - the local Slack server fixture, "slack"
from tests.test_scheduler_helpers import Bot, posted_commitments, slack_env, spread_register

ALERTS, CHANNELS = 200, 40
SECOND_TOKEN = "xoxb-second-replica-not-a-secret"
EVERY = {f"c-{i}" for i in range(ALERTS)}


def _scene(state, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "commitments.yaml").write_text(spread_register(ALERTS, CHANNELS), encoding="utf-8")
    for i in range(CHANNELS):
        state.add_channel(f"w-{i}")
    state.tokens.add(SECOND_TOKEN)


def _rows_by_status(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = dict(conn.execute(text("SELECT status, count(*) FROM notifications GROUP BY status")).all())
    engine.dispose()
    return found


def _posts_by(state, token: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for c in state.calls_to("chat.postMessage") if c.token == token and c.status == 200)


def test_two_replicas_deliver_every_alert_exactly_once(postgres_url: str, tmp_path: Path,
                                                       slack) -> None:
    _scene(slack, tmp_path)
    bots = [Bot(tmp_path, postgres_url, tick=0.3, env=slack_env(slack.url, token)) for token in (TOKEN, SECOND_TOKEN)]
    try:
        assert slack.wait_for(lambda s: set(posted_commitments(s)) >= EVERY, timeout=60)
        # A post Slack took but whose answer came too late for the replica (a loaded machine) is
        # kept unsure and, at its retry, found in the channel rather than posted again: every row
        # ends up recorded as sent, however long that takes.
        bots[0].wait_for(lambda: _rows_by_status(postgres_url) == {"sent": ALERTS}, timeout=60,
                         what="every row recorded as sent")
        for bot in bots:  # each has run at least twice since: nothing more to send
            runs = len(bot.checks())
            bot.wait_for(lambda b=bot, r=runs: len(b.checks()) >= r + 2, what="two more checks")
    finally:
        codes = [bot.stop() for bot in bots]
    assert codes == [0, 0]
    counts = Counter(posted_commitments(slack))
    assert set(counts) == EVERY and max(counts.values()) == 1
    assert _rows_by_status(postgres_url) == {"sent": ALERTS}


def test_a_replica_killed_mid_delivery_loses_nothing(postgres_url: str, tmp_path: Path,
                                                     slack) -> None:
    _scene(slack, tmp_path)
    lease = {"COMMITMENT_BOT_CLAIM_LEASE": "2"}  # a dead replica's claims expire after 2 s
    bots = {token: Bot(tmp_path, postgres_url, tick=0.3, env={**slack_env(slack.url, token), **lease})
            for token in (TOKEN, SECOND_TOKEN)}
    try:
        assert slack.wait_for(lambda s: len(s.posted()) >= 20, timeout=60)
        victim_token = max(bots, key=lambda t: _posts_by(slack, t))  # the one delivering now
        bots[victim_token].kill()  # SIGKILL: no clean-up, its claimed rows stay claimed
        at_kill = len(slack.posted())
        assert at_kill < ALERTS, "the delivery finished before the kill: the scene is too small"
        survivor = next(b for t, b in bots.items() if t != victim_token)
        assert slack.wait_for(lambda s: set(posted_commitments(s)) >= EVERY, timeout=30), "\n".join(survivor.err[-20:])
        # Once the victim's lease on its rows runs out, the survivor takes them over, so every
        # row ends up recorded as sent.
        survivor.wait_for(lambda: _rows_by_status(postgres_url) == {"sent": ALERTS}, timeout=30,
                          what="every row recorded as sent")
        runs = len(survivor.checks())
        survivor.wait_for(lambda: len(survivor.checks()) >= runs + 2, what="two more checks")
        assert survivor.stop(signal.SIGTERM) == 0
    finally:
        for bot in bots.values():
            bot.kill()
    counts = Counter(posted_commitments(slack))
    assert set(counts) == EVERY  # nothing lost
    doubled = [c for c, n in counts.items() if n > 1]
    # A message the victim posted just before the SIGKILL, whose "sent" record it never wrote, is
    # not posted again: the survivor takes the row over as unsure and finds it in Slack first.
    assert doubled == []
    assert _rows_by_status(postgres_url) == {"sent": ALERTS}
    assert len(slack.posted()) == ALERTS  # one message in Slack per alert, whoever posted it
