"""Nobody in Slack is kept waiting past Slack's three seconds (issue 22 item 11), whatever the app
waits on: a form is answered in time though Slack is slow to say who is in a user group.

Over a real Socket Mode WebSocket against the local Slack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.shell.sandbox.slack import APP_TOKEN, Fault, SlackState
from bot.shell.sandbox.socketmode import SocketMode, submission
from bot.shell.slackapp.serve import socket_mode
from tests.standins import running_slack  # noqa: F401 - the "slack" fixture
from tests.test_slack_app import GATED, OTHER, Bot, close_soon, open_modal
from tests.test_storage import dump_database

IN_TIME = 3.0  # seconds Slack waits for a form's answer


@pytest.fixture
def socket(slack: SlackState) -> Iterator[SocketMode]:
    with SocketMode(slack) as edge:
        yield edge


@pytest.fixture
def gated(tmp_path: Path, slack: SlackState, monkeypatch: pytest.MonkeyPatch, socket: SocketMode) -> Iterator[Bot]:
    """test_slack_app's bot whose register lets U0SAM0001 and the members of S0EDITORS (U0ALI0002) record."""
    slack.usergroups["S0EDITORS"] = [OTHER]
    b = Bot(tmp_path, slack, monkeypatch, register=GATED)
    handler = socket_mode(b.bolt, APP_TOKEN)
    yield b
    close_soon(handler)


def send_form(socket: SocketMode, view_id: str, view: dict[str, Any], user: str, **values: Any) -> str:
    return socket.send("interactive", submission(view, view_id, user, values))


# -- who may record is asked of Slack after the answer ------------------------------------------------
def test_a_form_is_answered_in_time_while_slack_is_slow_to_list_the_group(gated: Bot, socket: SocketMode) -> None:
    """A member of an allowed group submits more than a minute after the form opened (the group's
    members are asked of Slack again) and Slack takes five seconds to answer: the form is answered
    within Slack's three, and the update is recorded once Slack has said they are a member."""
    view_id, view = open_modal(gated, socket, user=OTHER)
    gated.bolt.desk.groups.ttl = 0  # the list Slack gave when the form opened is out of date
    gated.slack.fail(Fault(method="usergroups.users.list", delay=5.0, times=1))
    asked = gated.bolt.desk.courier.asked
    answer = send_form(socket, view_id, view, OTHER, note="Seen in the Lords", on="2022-09-08")
    assert socket.ack(answer, timeout=IN_TIME) is None  # answered, and the form closed
    assert gated.bolt.desk.courier.served(asked + 1, timeout=30)
    assert [(r[3], r[8]) for r in gated.updates()] == [("Seen in the Lords", OTHER)]


@pytest.mark.parametrize(("action", "values"), [
    ("record_update", {"note": "Seen in the Lords", "on": "2022-09-08"}),
    ("snooze", {"until": "2022-10-01", "reason": "Reply promised after recess"}),
], ids=["record", "snooze"])
def test_someone_removed_from_the_group_while_the_form_was_open_is_told_and_nothing_is_recorded(
        gated: Bot, socket: SocketMode, action: str, values: dict[str, str]) -> None:
    view_id, view = open_modal(gated, socket, action, user=OTHER)
    gated.slack.usergroups["S0EDITORS"] = []
    gated.bolt.desk.groups.ttl = 0
    assert socket.ack(send_form(socket, view_id, view, OTHER, **values), timeout=IN_TIME) is None
    assert gated.slack.wait_for(lambda s: s.ephemeral)
    (told,) = gated.slack.ephemeral
    assert told["user"] == OTHER and told["text"].startswith("Only the people listed under access.recorders")
    assert "nothing was recorded" in told["text"]
    assert gated.updates() == [] and dump_database(gated.url)["actions"] == []
