"""What coordinators read by email (issue 26, item 6): who a mail is from, which days a digest
covers, quotes cut between words, reminders that say why they came again, and links where the
command line used to be. Every mail is judged as the local SMTP server received it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from bot.decide.clip import clip
from bot.decide.digest import fmt_span
from bot.shell.sandbox.smtp import smtp_server
from tests.standins import Message, SlackState, running_slack, slack_env  # noqa: F401

REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - slack: ["#mvp-watch"]
    email: [coord@example.org]
commitments:
  - id: protocol
    title: Implement the protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2026-01-10
    due: end June
    source:
      title: Letter to the committee
      url: https://example.org/letter
      quote: "Work has commenced to develop the Migrant Victim Protocol and the code of practice, and we aim to implement them by the end of June once the stakeholder engagement, the drafting of operational guidance for police forces, immigration enforcement officers and the many charities who support victims, and the necessary training have been completed across England and Wales in full, and we will then report to Parliament on the progress made by every department concerned."
  - id: review
    title: Review the scheme
    owner: Home Office
    made_on: 2025-01-10
    due: in due course
"""
QUOTE_HEAD = "Work has commenced to develop the Migrant Victim Protocol"


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = (message.get_body((k,)) for k in ("plain", "html"))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def run(cli: Any, path: Path, db: str, now: str, env: dict[str, str], *more: str) -> Any:
    return cli("check", "--file", str(path), "--database", db, "--now", now, *more, env=env)


# -- the sender ------------------------------------------------------------------------------
def test_without_email_from_nothing_is_sent_and_the_reason_is_precise(cli, write_register, sqlite_url: str,
                                                                       tmp_path: Path) -> None:
    """A mail "from commitment-bot@localhost" is refused or binned by most providers, and a reply
    goes nowhere: without EMAIL_FROM the bot sends nothing, says exactly what to set, keeps the
    alerts, and sends them once it is set."""
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        env = {k: v for k, v in server.env().items() if k != "EMAIL_FROM"}
        first = run(cli, path, sqlite_url, "2026-07-02T09:00", env)
        assert first.exit_code == 3, first.output
        assert "EMAIL_FROM is not set: set it to the address these mails come from" in first.output
        assert server.handler.received == []
        test_mail = cli("email", "test", "me@example.org", env=env)
        assert test_mail.exit_code == 1 and "EMAIL_FROM is not set" in test_mail.output
        digest = cli("digest", "--file", str(path), "--database", sqlite_url, "--now", "2026-07-02T09:30", env=env)
        assert digest.exit_code == 1 and "EMAIL_FROM is not set" in digest.output
        assert server.handler.received == []
        fixed = run(cli, path, sqlite_url, "2026-07-02T10:00", server.env())
        assert fixed.exit_code == 0, fixed.output
    (mail,) = server.handler.received
    assert mail.mail_from == "bot@example.org" and "localhost" not in str(mail.message["From"])


def test_a_preview_without_email_from_says_its_sender_is_a_placeholder(cli, write_register, sqlite_url: str,
                                                                       tmp_path: Path) -> None:
    path = write_register(REGISTER)
    out = tmp_path / "preview"
    result = cli("digest", "--file", str(path), "--database", sqlite_url, "--now", "2026-07-06T08:00",
                 "--dry-run", "--to", "coord@example.org", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "EMAIL_FROM is not set: the preview's From is EMAIL_FROM-is-not-set@example.invalid" in result.output
    (eml,) = out.glob("*.eml")
    assert b"EMAIL_FROM-is-not-set@example.invalid" in eml.read_bytes()


# -- the digest's period ---------------------------------------------------------------------
@pytest.mark.parametrize("first, last, said", [
    (date(2026, 12, 5), date(2026, 12, 5), "5 Dec 2026"),
    (date(2026, 11, 23), date(2026, 11, 29), "23 – 29 Nov 2026"),
    (date(2026, 11, 29), date(2026, 12, 5), "29 Nov – 5 Dec 2026"),
    (date(2026, 12, 28), date(2027, 1, 3), "28 Dec 2026 – 3 Jan 2027"),
])
def test_a_span_of_days_as_a_reader_writes_it(first: date, last: date, said: str) -> None:
    assert fmt_span(first, last) == said


def test_a_digest_sent_on_sunday_6_december_is_titled_by_the_days_it_covers(cli, write_register, sqlite_url: str,
                                                                           tmp_path: Path) -> None:
    """Issue 26: titled "week of 30 Nov" (the ISO week it was counted in), it covered 29 Nov –
    5 Dec. The rule now: the title names the days of news it covers, as its "news dated" line does;
    news dated the day it is built waits for the next digest."""
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", sqlite_url)
    for on, note in (("2026-11-28", "Before the window"), ("2026-11-29", "First day covered"),
                     ("2026-12-05", "Last day covered"), ("2026-12-06", "Built that day")):
        assert cli("update", "review", *base, "--now", "2026-12-06T07:00", "--on", on, "--note", note).exit_code == 0
    with smtp_server(tmp_path) as server:
        sent = cli("digest", *base, "--now", "2026-12-06T08:00", env=server.env())
        assert sent.exit_code == 0, sent.output
    (mail,) = server.handler.to("coord@example.org")
    text, html = parts(mail)
    assert str(mail["Subject"]).endswith(" — commitments digest, 29 Nov – 5 Dec 2026")
    assert "COMMITMENTS DIGEST — 29 Nov – 5 Dec 2026\nNews dated 29 Nov – 5 Dec 2026; lapsed, due and silent as at " \
           "6 Dec 2026." in text
    assert "Commitments digest, 29 Nov – 5&nbsp;Dec&nbsp;2026</h1>" in html and "News dated 29 Nov – 5&nbsp;Dec&nbsp;2026" in html
    assert "week of" not in text.lower() and "week of" not in html.lower()
    assert "First day covered" in text and "Last day covered" in text
    assert "Before the window" not in text and "Built that day" not in text


# -- quotes cut between words ----------------------------------------------------------------
@pytest.mark.parametrize("text, limit, cut", [
    ("We aim to implement them by end August.", 100, "We aim to implement them by end August."),
    ("We aim to implement them by end August.", 20, "We aim to implement…"),
    ("We aim to implement them, by end August.", 27, "We aim to implement them…"),  # no ", …"
    ("W" * 50, 10, "W" * 9 + "…"),  # one word longer than the room is cut inside it
    ("Implementation", 1, "…"),
])
def test_clip_cuts_between_words(text: str, limit: int, cut: str) -> None:
    assert clip(text, limit) == cut and len(clip(text, limit)) <= limit


def test_quotes_in_mails_end_on_a_whole_word(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        assert run(cli, path, sqlite_url, "2026-07-02T09:00", server.env()).exit_code == 0
        digest = cli("digest", "--file", str(path), "--database", sqlite_url, "--now", "2026-07-06T08:00",
                     env=server.env())
        assert digest.exit_code == 0, digest.output
    words = set(re.findall(r"[\w-]+", REGISTER))
    quotes = []
    for received in server.handler.received:
        for body in parts(received.message):
            quotes += re.findall(r"[\"“](" + QUOTE_HEAD + r"[^\"”]*)[\"”]", body)
    assert len(quotes) == 4  # the alert mail and the digest, text and HTML
    for quote in quotes:
        assert quote.endswith("…") and quote[-2].isalnum(), quote
        assert re.findall(r"[\w-]+", quote)[-1] in words, quote  # the last word is one the minister wrote


# -- reminders that say why they came again ----------------------------------------------------
def test_a_repeated_reminder_says_which_it_is_how_often_and_what_stops_it(cli, write_register, sqlite_url: str,
                                                                         tmp_path: Path) -> None:
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        for now in ("2026-07-02T09:00", "2026-08-02T09:00"):  # the lapse, then its reminder 30 days on
            assert run(cli, path, sqlite_url, now, server.env()).exit_code == 0
        assert run(cli, path, sqlite_url, "2026-07-11T09:00", server.env(), "--dry-run").exit_code == 0
    first, second = (parts(r.message) for r in server.handler.received if "protocol" in parts(r.message)[0])
    said = "(second reminder: one goes out every 30 days until someone records what happened)"
    for body in second:
        assert said in body
    for body in first:
        assert "reminder" not in body
    silent = cli("check", "--file", str(path), "--database", f"sqlite:///{tmp_path / 'b.db'}", "--now",
                 "2026-01-11T09:00", "--dry-run")
    assert "reminder" not in silent.output
    later = cli("check", "--file", str(path), "--database", sqlite_url, "--now", "2027-02-03T09:00", "--dry-run")
    assert "(second reminder: one goes out every 6 months until someone records news)" in later.output
    assert not re.search(r"reminder \d", later.output)


# -- links instead of the command line ---------------------------------------------------------
def _alert_mail(server: Any) -> tuple[str, str]:
    (mail,) = [r for r in server.handler.received if "alerts" in str(r.message["Message-ID"])]
    return parts(mail.message)


def test_without_site_or_slack_the_mail_still_names_the_command(cli, write_register, sqlite_url: str,
                                                               tmp_path: Path) -> None:
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        assert run(cli, path, sqlite_url, "2026-07-02T09:00", server.env()).exit_code == 0
    for body in _alert_mail(server):
        assert "commitment-bot update protocol" in body


def test_with_the_site_the_mail_links_each_commitment_s_page(cli, write_register, sqlite_url: str,
                                                            tmp_path: Path) -> None:
    path = write_register(REGISTER)
    site = {"COMMITMENT_BOT_SITE_URL": "https://commitments.example.org/", "MAINTAINER_EMAIL": "keeper@example.org"}
    with smtp_server(tmp_path) as server:
        assert run(cli, path, sqlite_url, "2026-07-02T09:00", {**server.env(), **site}).exit_code == 0
        assert cli("digest", "--file", str(path), "--database", sqlite_url, "--now", "2026-07-06T08:00",
                   env={**server.env(), **site}).exit_code == 0
    text, html = _alert_mail(server)
    page = "https://commitments.example.org/c/protocol.html"
    assert f"Its page on the site, with its whole history: {page}" in text
    assert f'<a href="{page}"' in html
    assert "tell the register's maintainers (keeper@example.org)" in text
    for body in (text, html):
        assert "commitment-bot update" not in body
    (digest,) = [r for r in server.handler.received if "digest" in str(r.message["Message-ID"])]
    assert f'<a href="{page}"' in parts(digest.message)[1] and page in parts(digest.message)[0]
    # On a phone (a newcomer's walk at 375 px): the link reads as words, never a bare address cut
    # mid-word, and a day is never broken across lines ("31 Aug / 2022").
    assert f'<a href="{page}" style="color:#0b57d0;">Its page on the site, with its whole history</a>' in html
    assert f">{page}</a>" not in html
    days = re.findall(r"\b\d{1,2}(?: |&nbsp;)[A-Z][a-z]{2}(?: |&nbsp;)\d{4}\b", html)
    assert days and all("&nbsp;" in d and " " not in d for d in days), days


def test_with_slack_the_mail_links_the_thread_where_it_can_be_recorded(cli, write_register, sqlite_url: str,
                                                                      slack: SlackState, tmp_path: Path) -> None:
    """The thread's link is Slack's own permalink (chat.getPermalink), asked once; with the Slack
    app set up, the thread's Record update button is named."""
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        env = {**server.env(), **slack_env(slack, SLACK_APP_TOKEN="xapp-1-test")}
        assert run(cli, path, sqlite_url, "2026-07-02T09:00", env).exit_code == 0
    thread = next(m for m in slack.posted() if m.thread_ts is None
                  and ((m.metadata or {}).get("event_payload") or {}).get("commitment") == "protocol")
    link = f"https://advocacy.slack.com/archives/{thread.channel}/p{thread.ts.replace('.', '')}"
    text, html = _alert_mail(server)
    assert f"Record what happened from its Slack thread in #mvp-watch (Record update): {link}" in text
    assert f'<a href="{link}"' in html
    for body in (text, html):
        assert "commitment-bot update" not in body and "tell the register's maintainers" not in body


def test_a_slack_that_cannot_give_a_permalink_costs_one_call_and_no_link(slack: SlackState) -> None:
    """chat.getPermalink failing (here: a thread Slack does not know) leaves mails without thread
    links, never with a guessed one, and is not asked again for every mail."""
    from bot.decide.threads import Anchor
    from bot.shell.settings import from_env
    from notifiers.slack.permalinks import permalinks

    made = permalinks(from_env(slack_env(slack), cwd=Path("/nonexistent")))
    assert made is not None
    channel_id = next(c.id for c in slack.channels.values() if c.name == "mvp-watch")
    gone = Anchor("#mvp-watch", "protocol", "1662710400.000100", channel_id)
    assert made(gone) is None and made(gone) is None
    assert [c.method for c in slack.calls].count("chat.getPermalink") == 1
    assert permalinks(from_env({}, cwd=Path("/nonexistent"))) is None  # no token, no Slack links


@pytest.mark.parametrize(("archive", "linked"), [("https://advocacy.slack.com/archives/", True),
                                                ("http://127.0.0.1:8999/archives/", True),  # the sandbox's Slack
                                                ("http://advocacy.example/archives/", False),
                                                ("javascript:alert(1)//archives/", False)])
def test_a_thread_link_is_slacks_https_form_or_a_slack_on_this_machine(slack: SlackState, archive: str,
                                                                      linked: bool) -> None:
    """The sandbox's Slack gives permalinks to its own page on loopback (nothing a newcomer clicks
    leaves the machine); any other link that is not https is not taken as a form to copy."""
    from bot.decide.threads import Anchor
    from bot.shell.settings import from_env
    from notifiers.slack.permalinks import permalinks

    slack.archive = archive
    channel_id = next(c.id for c in slack.channels.values() if c.name == "mvp-watch")
    posted = slack.next_ts()
    slack.messages.append(Message(channel_id, posted, "an alert", None, None, False, None))
    made = permalinks(from_env(slack_env(slack), cwd=Path("/nonexistent")))
    assert made is not None
    link = made(Anchor("#mvp-watch", "protocol", posted, channel_id))
    assert link == (f"{archive}{channel_id}/p{posted.replace('.', '')}" if linked else None)


def test_a_lead_in_a_mail_is_confirmed_in_its_thread_when_the_app_is_there(sqlite_url: str) -> None:
    from bot.decide.threads import Anchor
    from bot.shell.settings import Settings
    from notifiers.email.links import Links, record_lines
    from notifiers.email.messages import alert_message, mail_setup
    from storage.db import connect
    from storage.repository import Store
    from tests.test_watch_delivery import _lead_alert

    store = Store(connect(sqlite_url))
    lead = _lead_alert()
    channel = next(t.split(":", 1)[1] for t in lead.routed if t.startswith("slack:"))
    store.threads.put(Anchor(channel, lead.id, "1700000000.000100", "C0TEST"), datetime(2026, 11, 23, 9, tzinfo=UTC))
    link = "https://advocacy.slack.com/archives/C0TEST/p1700000000000100"
    links = Links(None, store.threads, lambda a: f"https://advocacy.slack.com/archives/{a.channel_id}/p"
                                                 f"{a.ts.replace('.', '')}", interactive=True)
    text, html = parts(alert_message(mail_setup(Settings(email_from="bot@example.org")), "coord@example.org",
                                     [lead], links))
    said = f"Not an update until someone confirms it: confirm or dismiss it in its Slack thread in {channel}: {link}"
    assert said in text and f'<a href="{link}"' in html
    assert "commitment-bot leads confirm" not in text and "commitment-bot leads confirm" not in html
    plain = record_lines(links.places(lead.id, lead.routed), False, "keeper@example.org", lead=True)
    assert [str(line) for line in plain] == [f"Its Slack thread in {channel}: {link}",
                                             "To record whether this lead is news, tell the register's maintainers "
                                             "(keeper@example.org)"]



def test_a_reminder_is_counted_from_the_last_news(cli, write_register) -> None:
    """Found in the second truth audit: a silence told in Sep 2022, news recorded in Jul 2023, and
    the next silence was a "second reminder", as if nobody had recorded anything in between."""
    write_register("""\
version: 1
commitments:
  - id: quiet
    title: Engage stakeholders
    owner: Home Office
    made_on: 2025-01-01
    source: {title: Letter, quote: "We will engage stakeholders."}
""")
    def check(now: str) -> str:
        result = cli("check", "--now", now)
        assert result.exit_code == 0, result.output
        return result.output

    assert "GONE SILENT" in check("2025-07-02T09:00")
    assert cli("update", "quiet", "--note", "A meeting was held", "--source", "https://example.org/m",
               "--now", "2025-08-01T09:00").exit_code == 0
    after_news = check("2026-02-02T09:00")
    assert "GONE SILENT" in after_news and "reminder" not in after_news  # the first since the news
    again = check("2026-08-03T09:00")
    assert "(second reminder: one goes out every 6 months until someone records news)" in again
