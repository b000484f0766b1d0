"""`commitment-bot slack test`: plain words for each way a new team's setup goes wrong."""

from __future__ import annotations

import pytest

from bot.shell.sandbox.slack import TOKEN, SlackState
from tests.standins import running_slack, slack_env  # noqa: F401

# (what is wrong, channel argument, exit code, what the user reads)
CASES = [
    ("all good", "#mvp-watch", 0, "posted a test message to #mvp-watch"),
    ("no token", "#mvp-watch", 1, "SLACK_BOT_TOKEN is not set"),
    ("bad token", "#mvp-watch", 1, "Slack refused the bot token (invalid_auth)"),
    ("bot not in channel", "#mvp-watch", 3, "the bot is not in #mvp-watch: invite it with /invite @commitment-bot"),
    ("no such channel", "#nowhere", 1, "Slack has no channel #nowhere that the bot can see"),
    ("archived", "#mvp-watch", 3, "#mvp-watch is archived"),
]


@pytest.mark.parametrize(("problem", "channel", "code", "says"), CASES, ids=[c[0] for c in CASES])
def test_slack_test_explains(cli, slack: SlackState, problem: str, channel: str, code: int, says: str) -> None:  # type: ignore[no-untyped-def]
    env = slack_env(slack)
    mvp = slack.channel("#mvp-watch")
    assert mvp is not None
    if problem == "no token":
        env["SLACK_BOT_TOKEN"] = ""
    elif problem == "bad token":
        env["SLACK_BOT_TOKEN"] = "xoxb-wrong-secret-value"
    mvp.member = problem != "bot not in channel"
    mvp.archived = problem == "archived"
    result = cli("slack", "test", channel, env=env)
    assert result.exit_code == code, result.output
    assert says in result.output
    assert TOKEN not in result.output and "xoxb-wrong-secret-value" not in result.output
    assert len(slack.posted()) == (1 if code == 0 else 0)


def test_slack_test_uses_the_registers_channel(cli, write_register, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    write_register('version: 1\nroutes:\n  - slack: ["#commitments"]\ncommitments: []\n')
    result = cli("slack", "test", env=slack_env(slack))
    assert result.exit_code == 0 and "posted a test message to #commitments" in result.output


def test_unreachable_slack_is_exit_3(cli, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    env = slack_env(slack, SLACK_API_URL="http://127.0.0.1:9/api/")
    result = cli("slack", "test", "#mvp-watch", env=env)
    assert result.exit_code == 3 and "could not reach Slack" in result.output
