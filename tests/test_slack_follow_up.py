"""The "Draft follow-up" button (SPEC §7.3, §7.5; issue 24 item 1) end to end, over Socket Mode
against the local Slack: a lapsed alert's button opens the same draft `commitment-bot draft`
prints, in the form the person chooses; "Record as chased" records the team's chase through the
use case `commitment-bot chase` calls, tells the thread (the team's action, never news), and a
check past the reply due says in the thread that the reply is overdue. The bot sends no draft.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import notifiers.slack.ids as ids
from bot.shell.cli import main
from bot.shell.sandbox.slack import APP_TOKEN, SlackState
from bot.shell.sandbox.socketmode import SocketMode
from bot.shell.slackapp.serve import socket_mode
from tests.standins import message_for, running_slack  # noqa: F401 - the "slack" fixture
from tests.test_slack_app import USER, Bot, close_soon, open_modal, submit
from tests.test_storage import dump_database

LORDS_DUE = "2022-09-27"  # a Lords written question handed in on Fri 9 Sep 2022: a fortnight from Mon 12 Sep, the
# State Funeral bank holiday (Mon 19 Sep) not counted


@pytest.fixture(name="socket")
def socket_mode_edge(slack: SlackState) -> Iterator[SocketMode]:
    with SocketMode(slack) as edge:
        yield edge


@pytest.fixture(name="bot")
def connected_bot(tmp_path: Path, slack: SlackState, monkeypatch: pytest.MonkeyPatch,
                  socket: SocketMode) -> Iterator[Bot]:
    """test_slack_app's bot: the alerts posted, the app connected over Socket Mode."""
    b = Bot(tmp_path, slack, monkeypatch)
    handler = socket_mode(b.bolt, APP_TOKEN)
    yield b
    close_soon(handler)


def drafted(bot: Bot, *args: str) -> str:
    """What `commitment-bot draft` prints, without the blank line `echo` ends it with."""
    return cli(bot, "draft", "lapse", *args, "--now", "2022-09-09T09:00").rstrip("\n")


def cli(bot: Bot, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--file", str(bot.path), "--database", bot.url])
    assert result.exit_code == 0, result.output
    return result.output


def shown_draft(view: dict[str, Any]) -> str:
    """The draft as the modal shows it: its plain_text sections, joined."""
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and b["text"]["type"] == "plain_text"]
    return "\n".join(texts)


def choose(bot: Bot, socket: SocketMode, view_id: str, view: dict[str, Any], form: str) -> dict[str, Any]:
    """Pick `form` in the modal's "Draft it as" select; the modal as the app redrew it."""
    before = len(bot.slack.view_calls)
    payload = {"type": "block_actions", "user": {"id": USER}, "team": {"id": "T0TEST"}, "api_app_id": "A0TEST",
               "trigger_id": "t", "container": {"type": "view", "view_id": view_id},
               "view": {**view, "id": view_id, "hash": "h", "state": {"values": {}}},
               "actions": [{"action_id": ids.FORM, "block_id": ids.FORM, "type": "static_select",
                            "selected_option": {"text": {"type": "plain_text", "text": form}, "value": form},
                            "action_ts": "1"}]}
    socket.ack(socket.send("interactive", payload))
    assert bot.slack.wait_for(lambda s: len(s.view_calls) > before and s.view_calls[-1][0] == "update")
    return bot.slack.views[view_id]


def test_a_lapse_is_drafted_chased_and_its_unanswered_reply_told_in_its_thread(bot: Bot, socket: SocketMode) -> None:
    bot.slack.names[USER] = ("Sam", "Sam Advocate")
    alert = bot.alert("lapse", "lapsed")
    view_id, view = open_modal(bot, socket, ids.DRAFT_FOLLOW_UP)
    assert view["callback_id"] == ids.RECORD_CHASE and view["submit"]["text"] == "Record as chased"
    assert shown_draft(view) == drafted(bot, "--as", "written-question", "--house", "lords")  # the same draft, word for word
    (due,) = [b for b in view["blocks"] if b.get("block_id") == ids.reply_due_block(ids.WQ_LORDS)]
    assert due["element"]["initial_date"] == LORDS_DUE and "Companion 5.36" in due["hint"]["text"]

    letter = choose(bot, socket, view_id, view, ids.LETTER)
    assert shown_draft(letter) == drafted(bot, "--as", "letter")
    view = choose(bot, socket, view_id, letter, ids.WQ_LORDS)

    posted = len(bot.slack.posted())
    assert submit(socket, view_id, view, form=ids.WQ_LORDS, ref="HL1234", to="Baroness Meacher",
                  **{ids.reply_due_block(ids.WQ_LORDS): LORDS_DUE}) is None
    assert bot.slack.wait_for(lambda s: len(s.posted()) > posted)
    (said,) = bot.slack.posted()[posted:]
    assert said.thread_ts == alert.ts and said.text == (
        f"<@{USER}> recorded that the team chased this promise by written question HL1234 in the House of Lords to "
        "Baroness Meacher; reply due 27 Sep 2022. This is the team's action, not news.")
    assert not (said.metadata or {}).get("event_payload")  # no alert, no news kind
    assert bot.updates() == []  # the team's action, not the government's record
    (action,) = dump_database(bot.url)["actions"]
    assert (action[1], action[2], action[6], action[7], action[8], str(action[9]), action[11], action[12]) == (
        "lapse", "chase", "written-question", "HL1234", "Baroness Meacher", LORDS_DUE, USER, "Sam")
    assert "2022-09-09  chased by written question HL1234 to Baroness Meacher, reply due 2022-09-27 [by Sam]" in cli(
        bot, "history", "lapse", "--now", "2022-09-10T09:00")
    assert all("Dear" not in m.text and "To ask" not in m.text for m in bot.slack.posted())  # no draft was sent

    cli(bot, "check", "--now", "2022-09-27T09:00")  # the reply is due today: nothing yet
    assert all(((m.metadata or {}).get("event_payload") or {}).get("kind") != "reply-overdue"
               for m in bot.slack.posted())
    cli(bot, "check", "--now", "2022-09-28T09:00")
    overdue = message_for(bot.slack, "lapse", "reply-overdue")
    assert overdue.thread_ts == alert.ts and "HL1234" in overdue.text and "not news" in overdue.text
    buttons = [e["action_id"] for b in overdue.blocks or [] if b["type"] == "actions" for e in b["elements"]]
    assert ids.DRAFT_FOLLOW_UP in buttons  # chase it again


def test_a_hostile_chase_is_refused_field_by_field_and_records_nothing(bot: Bot, socket: SocketMode) -> None:
    view_id, view = open_modal(bot, socket, ids.DRAFT_FOLLOW_UP)
    answer = submit(socket, view_id, view, form=ids.WQ_LORDS, ref="H" * 5000, to="Lord\x00Sharpe", note="n" * 10_000,
                    **{ids.reply_due_block(ids.WQ_LORDS): "9999-12-31"})
    assert answer is not None and answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {ids.REF, ids.TO, ids.NOTE, ids.reply_due_block(ids.WQ_LORDS)}, errors
    assert "At most 100 characters (5000 given)" in errors[ids.REF]
    assert "At most 1000 characters (10000 given)" in errors[ids.NOTE]
    assert "out of range" in errors[ids.reply_due_block(ids.WQ_LORDS)]
    assert all(len(message) <= 1900 for message in errors.values())
    assert errors[ids.TO].startswith("Whom it went to holds a control character U+0000 (NUL) that is not allowed")
    assert all("--" not in message and "register text" not in message for message in errors.values()), errors
    past = submit(socket, view_id, view, form=ids.LETTER, **{ids.reply_due_block(ids.WQ_LORDS): "2022-09-01"})
    assert past is not None and set(past["errors"]) == {ids.reply_due_block(ids.WQ_LORDS)}  # another form's date
    before = submit(socket, view_id, view, form=ids.WQ_LORDS, **{ids.reply_due_block(ids.WQ_LORDS): "2022-09-01"})
    assert before is not None and "before today" in before["errors"][ids.reply_due_block(ids.WQ_LORDS)]
    commons = submit(socket, view_id, view, form=ids.WQ_LORDS, ref="12345")  # a Commons number, for the Lords
    assert commons is not None and "is the number of a Commons question" in commons["errors"][ids.REF]
    assert dump_database(bot.url)["actions"] == [] and bot.updates() == []


def test_a_closed_promise_offers_no_follow_up(bot: Bot) -> None:
    blocks = bot.alert("done", "closed").blocks or []
    assert all(e["action_id"] != ids.DRAFT_FOLLOW_UP for b in blocks if b["type"] == "actions" for e in b["elements"])


def test_a_draft_longer_than_a_modal_holds_says_where_the_rest_is() -> None:
    """Slack refuses a section over 3,000 characters and a modal over 100 blocks: the draft is cut
    at whole lines into sections, a line too long for one is cut and marked, and a draft past
    DRAFT_SECTIONS sections ends by naming the command that prints it all."""
    from datetime import date

    from notifiers.slack.views import DRAFT_SECTIONS, SECTION_MAX, FollowUp, draft_sections, follow_up_modal

    text = "\n".join(f"Line {i}: " + "x" * 200 for i in range(400)) + "\n" + "y" * 5000 + "\n"
    shown = FollowUp(ids.LETTER, text, "", "commitment-bot draft lapse --as letter", date(2022, 10, 10), "by the standard")
    sections = [b["text"]["text"] for b in draft_sections(shown)]
    assert len(sections) == DRAFT_SECTIONS and all(len(t) <= SECTION_MAX for t in sections)
    assert sections[-1] == "… the rest is in the command's output above."
    kept = "\n".join(sections[:-1]).split("\n")
    assert kept == text.split("\n")[: len(kept)]  # whole lines, in order, none cut
    one_long = draft_sections(FollowUp(ids.LETTER, "y" * 5000, "", "c", None, ""))
    assert one_long[0]["text"]["text"] == "y" * (SECTION_MAX - 1) + "…"
    assert len(follow_up_modal("{}", "t", shown)["blocks"]) <= 100


def test_what_a_person_typed_reaches_the_thread_inert(bot: Bot, socket: SocketMode) -> None:
    """The reference and "Sent to" are a person's text: in the thread they mention no one and link nowhere."""
    view_id, view = open_modal(bot, socket, ids.DRAFT_FOLLOW_UP)
    posted = len(bot.slack.posted())
    assert submit(socket, view_id, view, form=ids.WQ_LORDS, ref="<!channel>", to="<http://evil|click> & co",
                  **{ids.reply_due_block(ids.WQ_LORDS): LORDS_DUE}) is None
    assert bot.slack.wait_for(lambda s: len(s.posted()) > posted)
    (said,) = bot.slack.posted()[posted:]
    assert "by written question &lt;!channel&gt; in the House of Lords to &lt;http://evil|click&gt; &amp; co;" \
        in said.text, said.text


def test_a_commons_question_drafted_after_the_days_cut_off_is_due_as_the_command_line_says(
        tmp_path: Path, slack: SlackState, monkeypatch: pytest.MonkeyPatch, socket: SocketMode) -> None:
    """Found in the second review (issues 23, 24): at 8.30 pm on Thu 5 Mar 2026, after the Commons'
    5.30 pm digital tabling cut-off, `chase --how written-question --house commons` counted from
    Fri 6 Mar (due 13 Mar), but Slack's follow-up counted from the day alone: tabled Thu 5 Mar, due
    12 Mar. Both doors now read the time of day, as the draft and the reply due do."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.shell.slackapp.serve import bolt_app

    def evening(timezone: str) -> datetime:
        return datetime(2026, 3, 5, 20, 30, tzinfo=ZoneInfo("Europe/London")).astimezone(ZoneInfo(timezone))

    b = Bot(tmp_path, slack, monkeypatch)
    b.bolt = bolt_app(b.app.context, evening)
    handler = socket_mode(b.bolt, APP_TOKEN)
    try:
        view_id, view = open_modal(b, socket, ids.DRAFT_FOLLOW_UP)
        commons = choose(b, socket, view_id, view, ids.WQ_COMMONS)
    finally:
        close_soon(handler)
    now = ("--now", "2026-03-05T20:30")
    assert shown_draft(commons) == cli(b, "draft", "lapse", "--as", "written-question", "--house", "commons",
                                       *now).rstrip("\n")
    (due,) = [b for b in commons["blocks"] if b.get("block_id") == ids.reply_due_block(ids.WQ_COMMONS)]
    recorded = cli(b, "chase", "lapse", "--how", "written-question", "--house", "commons", *now)
    assert due["element"]["initial_date"] == "2026-03-13" and "reply due 13 Mar 2026" in recorded, recorded
    assert "Fri 6 Mar 2026" in due["hint"]["text"], due["hint"]["text"]
