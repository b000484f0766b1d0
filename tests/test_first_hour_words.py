"""What a new team sees must be true, plain and consistent (issue 13 items 2, 4, 5 and 7).

Every channel is the real one: `check` posts to the local Slack server and mails through the
local SMTP server, the console is `check --dry-run`, and the digest is built by `commitment-bot
digest` against a SQLite file.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from bot.decide.alerts import Alert
from bot.shell.sandbox.slack import SlackState
from bot.shell.sandbox.smtp import smtp_server
from notifiers.console import render
from notifiers.slack.blocks import alert_message
from tests.standins import make_alert, message_for, running_slack, slack_env  # noqa: F401

NOW = "2026-11-22T09:00"
REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - slack: ["#mvp-watch"]
    email: [coord@example.org]
commitments:
  - id: stale
    title: Implement the protocol
    owner: Home Office
    made_on: 2023-01-10
    due: 2023-12-31
    updates:
      - {date: 2024-11-14, note: Work continues}
  - id: unanswered
    title: Publish the guidance
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-10-31
    updates:
      - {date: 2026-09-01, note: On track}
  - id: near
    title: Open the consultation
    owner: DfE
    made_on: 2026-01-10
    due: 2026-11-30
    updates:
      - {date: 2026-10-01, note: Draft ready}
"""


def _blocks_text(blocks: list[dict[str, Any]] | None) -> str:
    out = []
    for b in blocks or []:
        if "text" in b:
            out.append(b["text"]["text"])
        out += [f["text"] for f in b.get("fields", [])] + [e["text"] for e in b.get("elements", [])]
    return "\n".join(out)


def _parts(message: Any) -> dict[str, str]:
    """Each part's text; the HTML part's kept-whole days ("31&nbsp;Dec&nbsp;2023") read as words."""
    return {part.get_content_type(): part.get_content().replace("\r\n", "\n").replace("&nbsp;", " ")
            for part in message.iter_parts()}


# -- item 2: a lapsed alert says what is true about updates, in every channel ---------------------
def test_a_lapse_with_an_old_update_after_the_deadline_names_it_everywhere(
        cli, write_register, slack: SlackState, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", sqlite_url, "--now", NOW)
    console = cli("check", *base, "--dry-run")
    assert console.exit_code == 0, console.output
    with smtp_server(tmp_path) as server:
        sent = cli("check", *base, env={**slack_env(slack), **server.env()})
        assert sent.exit_code == 0, sent.output
    (mail,) = server.handler.to("coord@example.org")
    text, html = _parts(mail)["text/plain"], _parts(mail)["text/html"]
    stale = message_for(slack, "stale", "lapsed")
    unanswered = message_for(slack, "unanswered", "lapsed")

    # Slack: the status sentence and the phone notification
    assert "the deadline of 31 Dec 2023 passed; the last update was on 14 Nov 2024, 2 years ago" \
        in _blocks_text(stale.blocks)
    assert "the last update was on 14 Nov 2024, 2 years ago" in stale.text
    assert "the deadline of 31 Oct 2026 passed with no update since" in _blocks_text(unanswered.blocks)
    assert "passed with no update since" in unanswered.text
    # the console (and the mail's text part, which is the console's render)
    for shown in (console.output, text):
        assert ("  Nearly three years late: the deadline of 31 Dec 2023 passed; the last update was on 14 Nov 2024, "
                "2 years ago.\n") in shown
        assert "  last update 14 Nov 2024, 2 years ago: Work continues" in shown
        assert "  22 days late: the deadline of 31 Oct 2026 passed with no update since.\n" in shown
        assert "  last update 1 Sep 2026: On track" in shown
    # the mail's HTML part
    assert ("Nearly three years late</strong>: the deadline of 31 Dec 2023 passed; the last update was on "
            "14 Nov 2024, 2 years ago.") in html
    assert "22 days late</strong>: the deadline of 31 Oct 2026 passed with no update since." in html
    for said in (_blocks_text(stale.blocks), stale.text, console.output, text, html):
        assert "passed with no update." not in said


def test_a_heads_up_does_not_deny_an_update_it_shows(cli, write_register, slack: SlackState,
                                                     sqlite_url: str) -> None:
    path = write_register(REGISTER)
    sent = cli("check", "--file", str(path), "--database", sqlite_url, "--now", NOW, env=slack_env(slack))
    assert sent.exit_code == 0, sent.output
    said = _blocks_text(message_for(slack, "near", "heads-up").blocks)
    assert "*Deadline 30 Nov 2026 is close.* Last update 1 Oct 2026, 7 weeks ago." in said
    assert "No update recorded since it was promised" not in said


def test_an_alert_stored_before_decided_on_existed_still_renders() -> None:
    stored = make_alert(last_update=make_alert().last_update).to_dict()
    del stored["decided_on"]
    old = Alert.from_dict(stored)
    assert old.decided_on is None
    assert "the last update" not in alert_message(old).blocks[1]["text"]["text"]  # 1 Aug is before 31 Aug
    after = Alert.from_dict({**stored, "last_update": {**stored["last_update"], "on": "2022-09-02"}})
    assert "the last update was on 2 Sep 2022." in alert_message(after).blocks[1]["text"]["text"]  # no "ago"
    assert "  last update 2 Sep 2022: Still working on it" in render(after)


@pytest.mark.parametrize(("days", "words"), [
    (0, "today"), (1, "yesterday"), (2, "2 days ago"), (13, "13 days ago"), (14, "2 weeks ago"),
    (59, "8 weeks ago"), (60, "2 months ago"), (400, "13 months ago"), (547, "18 months ago"),
    (548, "2 years ago"), (738, "2 years ago"), (936, "2 years ago"), (1100, "3 years ago"), (-1, "tomorrow"), (-3, "in 3 days"),
])
def test_how_long_ago_in_words(days: int, words: str) -> None:
    from bot.decide.alerts import ago

    assert ago(days) == words


# -- item 4: a dry run previews the digest for any address ---------------------------------------
DIGEST_REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - email: [coord@example.org]
commitments:
  - id: lapsed
    title: Publish the guidance
    owner: Home Office
    made_on: 2026-01-10
    due: end June
    source: {title: Letter to the committee, url: "https://example.org/letter"}
  - id: slipped
    title: Implement the protocol
    owner: Home Office
    made_on: 2026-01-10
    due: by end October
    source: {title: Original letter, url: "https://example.org/promise"}
    updates:
      - {date: 2026-11-18, note: Now next spring., due: by spring 2027, source: {title: Written answer, url: "https://example.org/answer"}}
  - id: unsourced
    title: Review the scheme
    owner: DfE
    made_on: 2026-01-10
    due: 2026-10-31
    source: {title: Debate, url: "https://example.org/debate"}
    updates:
      - {date: 2026-11-19, note: Delayed., due: in due course}
  - id: delivered
    title: Fund the service
    owner: MoJ
    made_on: 2026-01-10
    due: 2026-10-31
    source: {title: Budget, url: "https://example.org/budget"}
    updates:
      - {date: 2026-11-20, note: Published., status: delivered, source: {title: GOV.UK, url: "https://example.org/done"}}
"""
WEEK_48 = "2026-11-23T08:00"


def _eml(path: Path) -> Any:
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_a_dry_run_previews_the_digest_for_an_address_in_no_route(cli, write_register, sqlite_url: str,
                                                                  tmp_path: Path) -> None:
    path = write_register(DIGEST_REGISTER)
    base = ("digest", "--file", str(path), "--database", sqlite_url, "--now", WEEK_48)
    out = tmp_path / "preview"
    preview = cli(*base, "--dry-run", "--to", "someone@example.org", "--out", str(out))
    assert preview.exit_code == 0, preview.output
    eml = out / "2026-W48-someone@example.org.eml"
    assert f"wrote {eml}" in preview.output
    mail = _eml(eml)
    assert mail["To"] == "someone@example.org" and mail["Subject"].startswith("Nothing new")
    text = _parts(mail)["text/plain"]
    assert "routes no commitments to someone@example.org" in text and "routes 0" not in text
    with smtp_server(tmp_path) as server:  # a real send to an unrouted address is still refused
        real = cli(*base, "--to", "someone@example.org", env=server.env())
    assert real.exit_code == 1 and "someone@example.org is in no route" in real.output
    assert not server.handler.received


def test_a_dry_run_for_something_that_is_not_an_address_says_so(cli, write_register, sqlite_url: str) -> None:
    path = write_register(DIGEST_REGISTER)
    result = cli("digest", "--file", str(path), "--database", sqlite_url, "--now", WEEK_48, "--dry-run",
                 "--to", "not an address")
    assert result.exit_code == 1
    assert '"not an address" is not an email address' in result.output and "register" not in result.output


# -- item 5: every digest item links to the evidence it reports ----------------------------------
def _cards(html: str) -> dict[str, str]:
    """Each card of the HTML digest, by title."""
    cards = html.split('<div style="margin:0 0 14px;')[1:]
    return {c.split('font-size:16px;">', 1)[1].split("</div>", 1)[0]: c for c in cards}


def test_each_digest_item_links_to_its_own_evidence(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(DIGEST_REGISTER)
    with smtp_server(tmp_path) as server:
        sent = cli("digest", "--file", str(path), "--database", sqlite_url, "--now", WEEK_48, env=server.env())
        assert sent.exit_code == 0, sent.output
    (mail,) = server.handler.to("coord@example.org")
    text, html = _parts(mail)["text/plain"], _parts(mail)["text/html"]
    cards = _cards(html)
    assert 'href="https://example.org/letter"' in cards["Publish the guidance"]  # a lapse: the promise
    assert 'href="https://example.org/answer"' in cards["Implement the protocol"]  # a slip: the update
    assert "example.org/promise" not in cards["Implement the protocol"]
    assert 'href="https://example.org/done"' in cards["Fund the service"]  # a delivery: the update
    assert "example.org/budget" not in cards["Fund the service"]
    assert "example.org/debate" not in cards["Review the scheme"]  # the slip cited nothing
    assert "Evidence: none recorded with this update" in cards["Review the scheme"]
    assert "Evidence: Written answer https://example.org/answer" in text
    assert "Evidence: GOV.UK https://example.org/done" in text
    assert "Source: Letter to the committee https://example.org/letter" in text


def test_a_slip_quotes_the_words_then_the_deadline(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(DIGEST_REGISTER)
    with smtp_server(tmp_path) as server:
        cli("digest", "--file", str(path), "--database", sqlite_url, "--now", WEEK_48, env=server.env())
    (mail,) = server.handler.to("coord@example.org")
    text, html = _parts(mail)["text/plain"], _parts(mail)["text/html"]
    assert 'Moved on 18 Nov 2026 from "by end October" (31 Oct 2026) to "by spring 2027" (31 May 2027)' in text
    assert 'Moved on 19 Nov 2026 from 31 Oct 2026 to "in due course" (no date)' in text
    assert "from “by end October” (31 Oct 2026) <strong>to “by spring 2027” (31 May 2027)</strong>" in html


def test_the_plain_text_digest_puts_each_line_on_its_own_line(cli, write_register, sqlite_url: str,
                                                              tmp_path: Path) -> None:
    """Found on the way: the text part printed each item as one line with literal "\\n" in it."""
    path = write_register(DIGEST_REGISTER)
    out = tmp_path / "preview"
    cli("digest", "--file", str(path), "--database", sqlite_url, "--now", WEEK_48, "--dry-run", "--out", str(out))
    text = _parts(_eml(out / "2026-W48-coord@example.org.eml"))["text/plain"]
    assert "\\n" not in text
    assert "* Publish the guidance\n  Promised by Home Office · lapsed\n  About five months late — deadline 30 Jun 2026\n" in text


# -- item 7: words a campaigner stumbles on --------------------------------------------------------
def test_slip_counts_are_words_in_history(cli, write_register, sqlite_url: str) -> None:
    path = write_register(DIGEST_REGISTER)
    base = ("--file", str(path), "--database", sqlite_url, "--now", WEEK_48)
    once = cli("history", "slipped", *base)
    assert once.exit_code == 0, once.output
    assert "slipped once" in once.stdout and "time(s)" not in once.stdout
    assert "never slipped" in cli("history", "lapsed", *base).stdout


def test_history_says_where_a_recorded_update_came_from(cli, write_register, sqlite_url: str) -> None:
    path = write_register(DIGEST_REGISTER)
    base = ("--file", str(path), "--database", sqlite_url, "--now", WEEK_48)
    assert cli("update", "lapsed", "--note", "Asked again", "--on", "2026-11-21", "--by", "Sam", *base).exit_code == 0
    assert cli("update", "lapsed", "--note", "No reply", "--on", "2026-11-22", *base).exit_code == 0
    shown = cli("history", "lapsed", *base).stdout
    assert "2026-11-21  update #1 recorded by Sam (in the database, not the register file): Asked again\n" in shown
    assert "2026-11-22  update #2 recorded (in the database, not the register file): No reply\n" in shown
    assert "(recorded)" not in shown


def test_gone_silent_does_not_read_as_muted() -> None:
    from bot.decide.kinds import kind

    assert kind("silent").icon == "📭"
    assert alert_message(make_alert(kind="silent", n=1)).text.startswith("📭 Gone silent")
