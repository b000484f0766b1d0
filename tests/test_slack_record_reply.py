"""The "Record reply" button (SPEC §7.3; issue 26 item 6) end to end, over Socket Mode against the
local Slack: coordinators in Slack have no command line, so a reply-overdue alert carries a button
whose form records the team's reply to its chase as `commitment-bot chase ID --replied REF` does;
the thread is told who recorded it, as the team's action, and no reply is overdue for it any more.
Every field's problem is answered at once; a submission delivered again records once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

import notifiers.slack.ids as ids
from bot.decide.engine import decide
from bot.shell.cli import main
from bot.shell.sandbox.slack import APP_TOKEN, SlackState
from bot.shell.sandbox.socketmode import SocketMode, click, submission
from bot.shell.slackapp.serve import socket_mode
from tests.standins import message_for, running_slack  # noqa: F401 - the "slack" fixture
from tests.test_slack_app import USER, Bot, close_soon, submit
from tests.test_storage import dump_database

LINK = "https://example.org/foi/FOI-123-reply.pdf"


@pytest.fixture(name="socket")
def socket_mode_edge(slack: SlackState) -> Iterator[SocketMode]:
    with SocketMode(slack) as edge:
        yield edge


@pytest.fixture(name="bot")
def chased_bot(tmp_path: Path, slack: SlackState, monkeypatch: pytest.MonkeyPatch, socket: SocketMode) -> Iterator[Bot]:
    """test_slack_app's bot (its clock at 9 Sep 2022), whose lapsed promise the team chased by FOI
    request on 1 Aug 2022, reply due 29 Aug: a check then says the reply is overdue in its thread."""
    b = Bot(tmp_path, slack, monkeypatch)
    cli(b, "chase", "lapse", "--how", "foi", "--ref", "FOI-123", "--to", "Home Office FOI team",
        "--reply-due", "2022-08-29", "--now", "2022-08-01T10:00")
    cli(b, "check", "--now", "2022-09-09T09:05")
    handler = socket_mode(b.bolt, APP_TOKEN)
    yield b
    close_soon(handler)


def cli(bot: Bot, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--file", str(bot.path), "--database", bot.url])
    assert result.exit_code == 0, result.output
    return result.output


def buttons(message: Any) -> list[dict[str, Any]]:
    return [e for b in message.blocks or [] if b["type"] == "actions" for e in b["elements"]]


def open_reply_form(bot: Bot, socket: SocketMode) -> tuple[str, dict[str, Any], str]:
    """Click Record reply on the reply-overdue alert: the form, its id, and the chase the button names."""
    overdue = message_for(bot.slack, "lapse", "reply-overdue")
    (button,) = [e for e in buttons(overdue) if e["action_id"] == ids.RECORD_REPLY]
    value = json.loads(button["value"])
    before = len(bot.slack.view_calls)
    socket.ack(socket.send("interactive", click(bot.slack, ids.RECORD_REPLY, value, USER, "#mvp-watch", overdue.ts,
                                                overdue.thread_ts)))
    assert bot.slack.wait_for(lambda s: len(s.view_calls) > before), "no form was opened"
    view_id, view = list(bot.slack.views.items())[-1]
    return view_id, view, value["chase"]


def reply_overdue_due(bot: Bot, day: str) -> list[str]:
    """The reply-overdue alerts a check at `day` would find due if none had been told yet."""
    register, _ = bot.app.register()
    store = bot.app.store
    now = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo("Europe/London"))
    decided = decide(register, store.updates.recorded(None, register.quarters), [], now, actions=store.actions.recorded())
    return [d.commitment_id for d in decided if d.kind == "reply-overdue"]


def test_the_overdue_reply_is_recorded_from_its_button_as_the_command_records_it(bot: Bot, socket: SocketMode) -> None:
    bot.slack.names[USER] = ("Sam", "Sam Advocate")
    overdue = message_for(bot.slack, "lapse", "reply-overdue")
    assert overdue.thread_ts == bot.alert("lapse", "lapsed").ts
    assert [e["action_id"] for e in buttons(overdue)][:2] == [ids.RECORD_UPDATE, ids.RECORD_REPLY]
    shown = json.dumps(overdue.blocks)
    assert "When the reply comes, record it with *Record reply* below." in shown
    assert "commitment-bot" not in shown  # a coordinator in Slack is not sent to a command line
    assert reply_overdue_due(bot, "2022-09-09T09:10") == ["lapse"]

    view_id, view, chase = open_reply_form(bot, socket)
    assert view["callback_id"] == ids.REPLY_VIEW and view["submit"]["text"] == "Record reply"
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [ids.CHASE, ids.ON, ids.NOTE, ids.LINK]
    select = inputs[ids.CHASE]["element"]
    assert select["initial_option"]["value"] == chase  # the alert's chase, chosen
    assert [o["text"]["text"] for o in select["options"]] == ["1 Aug 2022: chased by FOI request FOI-123"]
    assert inputs[ids.ON]["element"]["initial_date"] == "2022-09-09"  # today, for the app
    assert [inputs[k]["optional"] for k in (ids.NOTE, ids.LINK)] == [True, True]

    posted = len(bot.slack.posted())
    assert submit(socket, view_id, view, chase=chase, on="2022-09-08", note="Holds no information", link=LINK) is None
    assert bot.slack.wait_for(lambda s: len(s.posted()) > posted)
    (said,) = bot.slack.posted()[posted:]
    assert said.thread_ts == overdue.thread_ts and said.text == (
        f"<@{USER}> recorded that the team's chase by FOI request FOI-123 of 1 Aug 2022 was replied to on 8 Sep 2022: "
        f"Holds no information (the reply: {LINK}). This is the team's action, not news of the promise; what the "
        "reply says of it is news, recorded with *Record update*.")
    assert not (said.metadata or {}).get("event_payload")  # no alert, no news kind
    assert bot.updates() == []  # the team's record, not the government's

    (_, reply) = dump_database(bot.url)["actions"]
    assert (reply[1], reply[2], str(reply[3]), str(reply[5]), reply[6], reply[7], reply[11], reply[12]) == (
        "lapse", "reply", "2022-09-08", "2022-08-01", "foi", "FOI-123", USER, "Sam")
    history = cli(bot, "history", "lapse", "--now", "2022-09-10T09:00")
    assert (f"2022-09-08  recorded the reply to the team's FOI request FOI-123 of 2022-08-01 (Holds no information "
            f"(the reply: {LINK}))") in history, history
    assert reply_overdue_due(bot, "2022-09-10T09:00") == []  # answered: no reply is overdue for it any more

    again = len(bot.slack.ephemeral)  # the button again: nothing awaits a reply now
    overdue = message_for(bot.slack, "lapse", "reply-overdue")
    (button,) = [e for e in buttons(overdue) if e["action_id"] == ids.RECORD_REPLY]
    socket.ack(socket.send("interactive", click(bot.slack, ids.RECORD_REPLY, json.loads(button["value"]), USER,
                                                "#mvp-watch", overdue.ts, overdue.thread_ts)))
    assert bot.slack.wait_for(lambda s: len(s.ephemeral) > again)
    assert "No chase of this commitment is awaiting its reply" in bot.slack.ephemeral[-1]["text"]


def test_the_form_records_what_chase_replied_records(bot: Bot, socket: SocketMode) -> None:
    """One request for both doors (bot.register.recording.reply_request): the command given after
    the form finds the chase replied to, by the form's reply, and adds nothing."""
    view_id, view, chase = open_reply_form(bot, socket)
    posted = len(bot.slack.posted())
    assert submit(socket, view_id, view, chase=chase, on="2022-09-08", note="Holds no information") is None
    assert bot.slack.wait_for(lambda s: len(s.posted()) > posted)  # told once recorded
    again = CliRunner().invoke(main, ["chase", "lapse", "--replied", "FOI-123", "--on", "2022-09-08", "--note",
                                      "Holds no information", "--now", "2022-09-09T09:10", "--file", str(bot.path),
                                      "--database", bot.url])
    assert again.exit_code == 1 and "FOI-123 or #1 (by FOI request, 1 Aug 2022): the reply of 8 Sep 2022 is recorded, #2" \
        in again.output and "nothing was recorded" in again.output, again.output  # never a second reply
    assert [a[2] for a in dump_database(bot.url)["actions"]] == ["chase", "reply"]


def test_a_reply_delivered_again_is_recorded_and_told_once(bot: Bot, socket: SocketMode) -> None:
    """The listener called as slack-bolt calls it, three times with one submission (Slack's redelivery)."""
    from slack_sdk import WebClient

    from bot.shell.sandbox.slack import TOKEN
    from bot.shell.slackapp.listeners.views import register

    listeners: dict[str, Any] = {}

    class Recording:  # slack-bolt's App, as far as `register` uses it
        def view(self, callback_id: str) -> Any:
            return lambda listener: listeners.setdefault(callback_id, listener)

    register(Recording(), bot.bolt.desk)
    view_id, view, chase = open_reply_form(bot, socket)
    body = submission(view, view_id, USER, {"chase": chase, "on": "2022-09-08", "note": "Holds no information"})
    client = WebClient(token=TOKEN, base_url=bot.slack.url)  # type: ignore[attr-defined]
    before = len(bot.slack.posted())
    answers: list[dict[str, Any]] = []
    for _ in range(3):
        listeners[ids.REPLY_VIEW](ack=lambda **kw: answers.append(kw), body=body, view=body["view"], client=client)
    assert answers == [{}, {}, {}]  # each answered as accepted: the person sees no error for a redelivery
    assert [a[2] for a in dump_database(bot.url)["actions"]] == ["chase", "reply"]
    (told,) = bot.slack.posted()[before:]
    assert "was replied to on 8 Sep 2022" in told.text


def test_a_hostile_reply_is_refused_field_by_field_and_records_nothing(bot: Bot, socket: SocketMode) -> None:
    view_id, view, chase = open_reply_form(bot, socket)
    answer = submit(socket, view_id, view, chase="a:forged", on="9999-12-31", note="Holds\x00" + "n" * 10_000,
                    link="javascript:alert(1)")
    assert answer is not None and answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {ids.CHASE, ids.ON, ids.NOTE, ids.LINK}, errors  # every field's problem, at once
    assert errors[ids.CHASE] == "This is not one of this commitment's chases: choose one from the list."
    assert errors[ids.ON] == "31 Dec 9999 is after today: record a reply once it has come."
    assert errors[ids.NOTE] == "At most 3000 characters (10006 given)."
    assert errors[ids.LINK] == "A link starts with http:// or https://."
    assert all(len(m) <= 1900 and "--" not in m for m in errors.values()), errors

    cases: list[tuple[dict[str, str], dict[str, str]]] = [
        ({"on": "2022-07-31", "note": "Holds\x00"},
         {ids.ON: "A reply comes after its chase (1 Aug 2022): pick that day or a later one.",
          ids.NOTE: "The note holds a control character U+0000 (NUL) that is not allowed"}),
        ({"on": "2022-09-08", "link": "https://exa mple.org/" + "x" * 2100},
         {ids.LINK: "At most 2000 characters (2121 given)."}),
        ({"on": "2022-09-08", "link": "https://example.org/\x1b[2J"},
         {ids.LINK: "The link holds a control character U+001B (ESC) that is not allowed"}),
        ({"on": "2022-09-08", "note": "n" * 2000, "link": "https://example.org/" + "x" * 1500},
         {ids.NOTE: "The note and the link are kept together, and together they are at most 3000 characters "
                    "(3534 given)."}),
        ({}, {ids.ON: "Pick the day the reply came."}),
    ]
    for values, said in cases:
        answer = submit(socket, view_id, view, chase=chase, **values)
        assert answer is not None, values
        assert {k: v[: len(said[k])] for k, v in answer["errors"].items() if k in said} == said, answer["errors"]
        assert set(answer["errors"]) == set(said), answer["errors"]
    unchosen = submit(socket, view_id, view, on="2022-09-08")
    assert unchosen is not None and unchosen["errors"] == {ids.CHASE: "Choose the chase that was replied to."}
    assert [a[2] for a in dump_database(bot.url)["actions"]] == ["chase"] and bot.updates() == []


def test_what_a_person_typed_reaches_the_thread_inert(bot: Bot, socket: SocketMode) -> None:
    view_id, view, chase = open_reply_form(bot, socket)
    posted = len(bot.slack.posted())
    assert submit(socket, view_id, view, chase=chase, on="2022-09-08", note="<!channel> *all* <http://evil|click> & co",
                  link="https://example.org/a|b>c") is None
    assert bot.slack.wait_for(lambda s: len(s.posted()) > posted)
    (said,) = bot.slack.posted()[posted:]
    assert ": &lt;!channel&gt; \u2217all\u2217 &lt;http://evil|click&gt; &amp; co (the reply: https://example.org/a|b&gt;c)." \
        in said.text, said.text
