"""What a reply-overdue alert asks a reader to do, channel by channel (issue 26 item 6): record the
reply to the team's chase. Coordinators in Slack, Teams and mail have no command line: Slack
points to its Record reply button, a mail to the commitment's Slack thread and site page (and the
register's maintainers), a Teams card to the site page; the command is named only where none of
these is known, and on the console, whose reader has the command line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.message import EmailMessage

from bot.decide.alerts import Alert, ChaseView
from bot.decide.threads import Anchor
from bot.shell.sandbox.teams import text_of
from bot.shell.settings import Settings
from notifiers.console import render
from notifiers.email.links import Links
from notifiers.email.messages import alert_message as mail
from notifiers.email.messages import mail_setup
from notifiers.slack.blocks import alert_message as slack_message
from notifiers.teams.cards import alert_card
from storage.db import connect
from storage.repository import Store
from tests.standins import make_alert

KEY = "a:0123456789abcdef"
COMMAND = "commitment-bot chase mvp --replied FOI-123"
THREAD = "https://advocacy.slack.com/archives/C0TEST/p1700000000000100"


def overdue(**chase: object) -> Alert:
    view = ChaseView("2026-11-02", "foi", "FOI-123", "Home Office", "2026-11-30", None, key=KEY, number=3)
    return make_alert(kind="reply-overdue", chase=ChaseView(**{**view.__dict__, **chase}))


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = (message.get_body((k,)) for k in ("plain", "html"))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def mailed(alert: Alert, links: Links | None = None) -> tuple[str, str]:
    return parts(mail(mail_setup(Settings(email_from="bot@example.org")), "coord@example.org", [alert], links))


def context(blocks: list[dict[str, object]]) -> list[str]:
    return [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]  # type: ignore[attr-defined,index]


def test_slack_with_the_app_points_to_record_reply_and_names_no_command() -> None:
    message = slack_message(overdue(), interactive=True)
    (actions,) = [b for b in message.blocks if b["type"] == "actions"]
    reply = next(e for e in actions["elements"] if e["action_id"] == "record_reply")
    assert (reply["text"]["text"], json.loads(reply["value"])) == ("Record reply", {"id": "mvp", "period": None,
                                                                                  "chase": KEY})
    assert context(message.blocks) == ["When the reply comes, record it with *Record reply* below."]
    assert "commitment-bot" not in json.dumps(message.blocks) + message.text
    assert "No reply from Home Office to the team's FOI request FOI-123 has been recorded" in message.text


def test_slack_without_the_app_names_the_command_that_records_the_reply() -> None:
    message = slack_message(overdue())
    assert context(message.blocks) == [f"When the reply comes, record it: `{COMMAND}`"]
    assert all(b["type"] != "actions" for b in message.blocks)


def test_an_alert_stored_before_the_button_still_says_how_and_an_answer_found_is_confirmed_instead() -> None:
    """An alert decided before 0.4 kept no chase key: no button can name the chase, so the command is
    given. A written question whose answer the watch found is confirmed as a lead, not replied to."""
    old = slack_message(overdue(key=None, ref=None), interactive=True)
    assert context(old.blocks) == ["When the reply comes, record it: `commitment-bot chase mvp --replied '#3'`"]
    assert "record_reply" not in json.dumps(old.blocks)  # a shell reads a bare #3 as a comment: quoted
    found = slack_message(overdue(how="written-question", ref="HL1234", lead=7, answered="2026-11-20"), interactive=True)
    assert "record_reply" not in json.dumps(found.blocks)
    # coordinators in Slack are pointed to the lead's own Confirm button, never to a command line
    assert context(found.blocks) == ["Confirm the answer with *Confirm* on the lead's message (lead 7)."]
    assert "commitment-bot" not in json.dumps(found.blocks)
    assert "Confirm the answer: `commitment-bot leads confirm 7`" in context(slack_message(
        overdue(how="written-question", ref="HL1234", lead=7, answered="2026-11-20")).blocks)  # Slack without the app


def test_a_mail_links_the_thread_and_the_site_and_names_the_command_only_when_it_knows_neither(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(connect(f"sqlite:///{tmp_path / 'bot.db'}"))
    store.threads.put(Anchor("#mvp-watch", "mvp", "1700000000.000100", "C0TEST"), datetime(2026, 11, 23, 9, tzinfo=UTC))
    permalink = lambda a: f"https://advocacy.slack.com/archives/{a.channel_id}/p{a.ts.replace('.', '')}"  # noqa: E731
    text, html = mailed(overdue(), Links("https://example.org/commitments", store.threads, permalink, interactive=True))
    assert f"When the reply comes, record it from its Slack thread in #mvp-watch (Record reply): {THREAD}" in text
    assert "Its page on the site, with its whole history: https://example.org/commitments/c/mvp.html" in text
    assert "commitment-bot" not in text and "commitment-bot" not in html
    assert f'<a href="{THREAD}" style="color:#0b57d0;">When the reply comes, record it from its Slack thread' in html

    text, html = mailed(overdue(), Links("https://example.org/commitments"))  # the site only
    assert "To record the reply when it comes, tell the register's maintainers" in text
    assert "commitment-bot" not in text and "commitment-bot" not in html

    text, html = mailed(overdue())  # neither
    assert f"  when the reply comes, record it: {COMMAND}" in text  # the console's words, as for news
    assert f'When the reply comes, record it: <code style="word-break:break-all;">{COMMAND}</code>' in html
    assert "record what happened" not in text.lower()


def test_teams_points_to_the_site_when_it_knows_it_and_the_console_names_the_command() -> None:
    with_site = text_of(alert_card(overdue(), "https://example.org/commitments"))
    assert "To record the reply when it comes, tell the register's maintainers" in with_site
    assert "commitment-bot" not in with_site
    assert f"When the reply comes, record it: {COMMAND}" in text_of(alert_card(overdue()))
    assert f"  when the reply comes, record it: {COMMAND}" in render(overdue())
    lapsed = render(make_alert())  # every other alert asks for news, as before
    assert '  record what happened: commitment-bot update mvp --note "what happened" --source URL' in lapsed
