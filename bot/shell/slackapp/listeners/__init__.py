"""The Slack app's listeners, as Bolt apps lay them out: one module per kind of request, each with
`register(app, desk)`, and one listener per id (notifiers.slack.ids, which the message builders
use too). Every listener acks first and works after. Who may do what, and whether a button is the
bot's and its commitment still there, is checked in guard.py; what a form's fields must be is the
core's rule (bot.register.recording) or its flow's module (chasing.py), each field's problem at once.

- actions.py: every button, and the fields that answer as they are used (a preview, a redraft);
- views.py: every modal's submission;
- commands.py: `/commitments`;
- home.py: the App Home tab.
"""

from __future__ import annotations

from typing import Any

from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.listeners import actions, commands, home, views


def register(app: Any, desk: Desk) -> None:
    """Every listener, on a slack_bolt.App."""
    for room in (actions, views, commands, home):
        room.register(app, desk)
