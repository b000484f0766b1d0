"""What the sandbox's outside world holds: its Slack workspace (channels, one person) and the news
its GOV.UK and Parliament stand-ins can find.

Everything here is made up for trying the bot, and says so where a person reads it: the one
GOV.UK publication is titled as a sandbox example, so nobody mistakes it for the Home Office's.
It is dated after the shipped register's last news of the Migrant Victim Protocol and before the
README's tour date, so `commitment-bot watch` finds it as a lead on that promise.
"""

from __future__ import annotations

from typing import Any

from bot.shell.sandbox.slackstate import SlackState
from bot.shell.sandbox.ukapis import Doc, Question, Reply, Seen, UkApis, govuk_engine, questions_engine

BOT_TOKEN = "xoxb-sandbox-not-a-secret"
APP_TOKEN = "xapp-sandbox-not-a-secret"
CHANNELS = ("mvp-watch", "commitments")  # the channels the shipped register routes to
USER = "U0SANDBOX"  # the person clicking the buttons
USER_NAMES = ("Sandbox User", "Sandbox User")  # (display name, real name), as users.info gives them
MAIL_FROM = "commitment-bot@sandbox.invalid"

DOCS = [Doc(link="/government/publications/migrant-victims-protocol-sandbox-example",
            title="Migrant Victims Protocol: guidance (a sandbox example)",
            description="A made-up publication served by commitment-bot sandbox, so the watch has news to find.",
            published="2026-11-20T09:30:00.000+00:00",
            body="The Migrant Victims Protocol sets out how police share information with Immigration Enforcement.",
            organisations=("home-office",))]
QUESTIONS: list[Question] = []  # Parliament has answered nothing new in the sandbox


def furnish_slack(state: SlackState) -> None:
    """The workspace: the bot in the register's channels, one person in all of them."""
    state.tokens = {BOT_TOKEN}
    state.app_tokens = {APP_TOKEN}
    for name in CHANNELS:
        state.add_channel(name)
    state.members[USER] = set(state.channels)
    state.names[USER] = USER_NAMES


def furnish_apis(apis: UkApis) -> None:
    """GOV.UK search and Parliament's written questions and statements, over the made-up news."""
    apis.routes["/api/search.json"] = govuk_engine(DOCS)
    apis.routes["/api/writtenquestions/questions"] = questions_engine(QUESTIONS)
    apis.routes["/api/writtenstatements/statements"] = _no_statements


def _no_statements(seen: Seen) -> Reply:
    body: dict[str, Any] = {"totalResults": 0, "results": []}
    return Reply(200, body)
