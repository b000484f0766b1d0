"""Nothing from the register or the command line becomes a mail header, changes a mail's MIME
structure, or reaches a terminal as a control sequence (issue 11, items 1 and 2).

Mails are judged by the raw bytes the local SMTP server (bot/shell/sandbox/smtp.py) received, parsed
back with the stdlib parser: exactly the expected headers, in order, and one expected MIME
structure. Hostile text reaches the mails through alerts built directly (so these tests do not
depend on what the register loader accepts), through a real register (`check`, `digest`), and
through notes recorded with `update --note` (which come from the command line, not the register).
Terminal output is judged as the real CLI prints it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.decide.alerts import Alert, PromiseView, UpdateView
from bot.register.inert import inert
from bot.register.model import Update, named
from bot.shell.registerfile import load_texts as load
from bot.shell.sandbox.smtp import Received, smtp_server
from bot.shell.settings import Settings
from bot.shell.text.history import render_history
from notifiers.base import Delivery
from notifiers.console import ConsoleNotifier, render
from notifiers.email.messages import alert_message, list_unsubscribe, mail_setup
from notifiers.email.notifier import EmailNotifier
from notifiers.email.smtp import MailError, flatten

HEADERS = ["Subject", "From", "To", "Date", "Message-ID", "List-Unsubscribe", "Auto-Submitted", "MIME-Version",
           "Content-Type"]
STRUCTURE = ["multipart/alternative", "text/plain", "text/html"]
TO = "coord@example.org"
SENDER = "bot@example.org"


def b64_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode()).decode()}?="


# Each goes into every text field of an alert (title, id, owner, quote, source, note, …).
HOSTILE = [
    pytest.param("Review =?utf-8?q?=0D=0ABcc:_x@evil.example?=", id="encoded-word-crlf-bcc"),
    pytest.param("=?utf-8?q?x=0D=0AReply-To:_a@evil.example=0D=0AContent-Type:_text/html=0D=0A=0D=0A<b>hi</b>?=",
                 id="encoded-word-headers-and-html"),
    pytest.param("Review " + b64_word("\r\nBcc: x@evil.example\r\n"), id="encoded-word-base64"),
    pytest.param("Review=?utf-8?q?=0ABcc:_x@evil.example?=done", id="encoded-word-inside-a-word"),
    pytest.param("=?utf-8?q?" + "=0D=0ABcc:_x@evil.example" * 40 + "?=", id="very-long-encoded-word"),
    pytest.param("Review\r\nBcc: x@evil.example\r\nContent-Type: text/html\r\n\r\n<b>hi</b>", id="crlf-then-body"),
    pytest.param("Review\rBcc: x@evil.example", id="bare-cr"),
    pytest.param("Review\nBcc: x@evil.example", id="bare-lf"),
    pytest.param("Review\r\n Bcc: x@evil.example", id="folded-continuation"),
    pytest.param("Review\x00Bcc: x@evil.example", id="nul"),
    pytest.param("\x1b]0;pwned\x07\x1b[2JReview\x9b31m\x7f", id="terminal-controls"),
    pytest.param("--===============0000000000000000000==\r\nContent-Type: text/html\r\n\r\n<b>x</b>", id="boundary"),
    pytest.param("W" * 1500, id="very-long-word"),
    pytest.param(" ".join(["Publish the guidance,"] * 5), id="long-plain-title-folded"),
    pytest.param("Révision — 協定 🙂 =?iso-8859-1?q?=E9?= « ok »", id="non-ascii"),
]


def one_line(text: str) -> str:
    """What a header or a console line may show of `text`: whitespace runs as one space, any other
    control character as a visible escape."""
    return inert(" ".join(text.split()))


def alert(text: str, **changes: object) -> Alert:
    base = Alert(
        kind="lapsed", id=text, title=text, owner=text, made_by=text, made_on="2026-01-10", period=text,
        source_title=text, source_url="https://example.org/?q=" + text, quote=text, words=text,
        reading="1 Jun – 30 Jun 2026", deadline="2026-06-30", days_overdue=146, n=1, status="open",
        promises=(PromiseView("2026-01-10", text, "1 Jun – 30 Jun 2026", "2026-06-30"),), slips=0,
        last_update=UpdateView("2026-11-01", text, text, None, None), routed=(f"email:{TO}", text))
    return replace(base, **changes)  # type: ignore[arg-type]


# -- mails, judged by their raw bytes ----------------------------------------------------------
def assert_sound(received: Received, to: str, subject: str) -> EmailMessage:
    """The mail as sent: exactly HEADERS, one line each plus folds, ASCII; one MIME structure; the
    envelope to `to` alone; no NUL, ESC or line break other than CRLF anywhere."""
    raw = received.raw
    assert b"\x00" not in raw and b"\x1b" not in raw and b"\x07" not in raw
    assert not re.search(rb"\r(?!\n)|(?<!\r)\n", raw), "a bare CR or LF on the wire"
    head, _ = raw.split(b"\r\n\r\n", 1)
    names = []
    for line in head.split(b"\r\n"):
        assert line.isascii() and len(line) <= 998, line
        if line[:1] in (b" ", b"\t"):
            continue
        names.append(line.split(b":", 1)[0].decode())
    assert names == HEADERS
    for line in re.findall(rb"^Subject:.*(?:\r\n[ \t].*)*", head, re.M)[0].split(b"\r\n"):
        assert len(line) <= 78, line
    assert received.rcpt_tos == [to] and received.mail_from == SENDER

    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert list(message.keys()) == HEADERS
    assert message["Subject"] == subject and message["To"] == to
    assert message["From"] == f"commitment-bot <{SENDER}>"
    parts = list(message.walk())
    assert [p.get_content_type() for p in parts] == STRUCTURE
    assert all(not p.defects for p in parts)
    boundary = message.get_boundary()
    assert boundary and raw.count(f"--{boundary}".encode()) == 3  # two parts, one closing line
    assert all(list(p.keys()) == ["Content-Type", "Content-Transfer-Encoding"] for p in parts[1:])
    return message


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML parts as a reader gets them (the wire's CRLF line ends as LF)."""
    text, html = (message.get_body((kind,)) for kind in ("plain", "html"))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


def send_alerts(tmp_path: Path, batch: list[Alert], to: str = TO) -> list[Received]:
    with smtp_server(tmp_path) as server:
        setup = mail_setup(Settings(smtp_url=server.url(), email_from=SENDER))
        deliveries = [Delivery(i + 1, f"email:{to}", a) for i, a in enumerate(batch)]
        (outcome,) = EmailNotifier(setup).deliver(f"email:{to}", deliveries)
        assert outcome.ok, outcome.error
    return server.handler.received


@pytest.mark.parametrize("text", HOSTILE)
def test_an_alert_mail_has_exactly_its_headers_and_one_structure(tmp_path: Path, text: str) -> None:
    (received,) = send_alerts(tmp_path, [alert(text)])
    shown = one_line(text)
    clipped = shown if len(shown) <= 120 else shown[:119] + "…"
    message = assert_sound(received, TO, f"LAPSED: {clipped}")
    plain, html = bodies(message)
    assert inert(text) in plain  # the note, the quote (clipped at 300 in the text part), …
    assert escape(inert(text)[:299]) in html
    for control in "\x00\x1b\x07\r\x7f\x9b":
        assert control not in plain and control not in html


@pytest.mark.parametrize("text", HOSTILE)
def test_a_grouped_alert_mail_has_exactly_its_headers_and_one_structure(tmp_path: Path, text: str) -> None:
    (received,) = send_alerts(tmp_path, [alert(text), alert(text, kind="heads-up")])
    message = assert_sound(received, TO, "2 commitment alerts: 1 lapsed, 1 due soon")
    plain, html = bodies(message)
    assert plain.count(inert(text)) >= 2 and escape(inert(text)[:299]) in html


def test_the_issues_register_sends_bcc_to_nobody(cli, database_url, write_register, tmp_path: Path) -> None:
    """Issue 11's reproduction, end to end: a real register, `check`, the local SMTP server."""
    title = "Review =?utf-8?q?=0D=0ABcc:_x@evil.example?="
    path = write_register(REGISTER.replace("title: Publish the evaluation", f"title: {json.dumps(title)}"))
    with smtp_server(tmp_path) as server:
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert result.exit_code == 0, result.output
    (received,) = [r for r in server.handler.received if r.rcpt_tos == ["other@example.org"]]
    assert_sound(received, "other@example.org", f"LAPSED: {title}")
    assert all("x@evil.example" not in r.rcpt_tos for r in server.handler.received)


@pytest.mark.parametrize("to", [
    "=?utf-8?q?=0D=0ABcc:_x=40evil.example?=@example.org", "x@evil.example\r\nBcc: y@evil.example",
    "x@evil.example\nBcc: y@evil.example", "x\x00@evil.example", '"a>b"@evil.example', "a b@evil.example",
    "a@ü.example.org", "ü@example.org", "x@=?utf-8?q?evil.example=0D=0ABcc:_y?=",
])
def test_an_address_that_cannot_be_a_plain_header_is_refused_not_sent(tmp_path: Path, to: str) -> None:
    with smtp_server(tmp_path) as server:
        setup = mail_setup(Settings(smtp_url=server.url(), email_from=SENDER))
        (outcome,) = EmailNotifier(setup).deliver(f"email:{to}", [Delivery(1, f"email:{to}", alert("x"))])
    assert not outcome.ok and outcome.permanent and "is not an email address" in (outcome.error or "")
    assert "\r" not in (outcome.error or "") and "\n" not in (outcome.error or "")
    assert server.handler.received == []


def test_a_hostile_sender_setting_is_refused_not_sent() -> None:
    setup = mail_setup(Settings(smtp_url="smtp://127.0.0.1:1", email_from="bot@example.org\r\nBcc: x@evil.example"))
    with pytest.raises(MailError, match="EMAIL_FROM"):
        alert_message(setup, TO, [alert("x")])


def test_the_sending_guard_refuses_a_header_block_that_reads_back_differently() -> None:
    """The last line of defence: whatever built the message, a header the bytes would add is caught."""
    message = alert_message(mail_setup(Settings(email_from=SENDER)), TO, [alert("x")])
    message._headers.insert(0, ("Subject", "x\r\nBcc: y@evil.example"))  # as a careless header writer would
    with pytest.raises(MailError, match="refusing to send"):
        flatten(message, eight_bit=True)


def test_one_click_unsubscribe_only_with_an_https_uri() -> None:
    """The bot's only unsubscribe is the maintainers' mailto, so no mail carries
    List-Unsubscribe-Post (RFC 8058 needs an HTTPS URI); were an HTTPS one added, it would."""
    assert list_unsubscribe(["mailto:m@example.org?subject=unsubscribe"]) == [
        ("List-Unsubscribe", "<mailto:m@example.org?subject=unsubscribe>")]
    assert list_unsubscribe(["mailto:m@example.org", "https://example.org/u/1"]) == [
        ("List-Unsubscribe", "<mailto:m@example.org>, <https://example.org/u/1>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    assert list_unsubscribe(["http://example.org/u/1"])[1:] == []


# -- the weekly digest -------------------------------------------------------------------------
REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - match: {tags: [mvp]}
    email: [coord@example.org, second@example.org]
  - email: [other@example.org]
commitments:
  - id: mvp-protocol
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2026-01-10
    due: end June
    tags: [mvp]
  - id: evaluation
    title: Publish the evaluation
    owner: Home Office
    made_on: 2026-01-10
    due: summer 2026
"""
NOW = "2026-11-23T09:00"
PRINTABLE = [p.values[0] for p in HOSTILE if str(p.values[0]).isprintable()]
EVERY = [str(p.values[0]) for p in HOSTILE]
BAD_ROUTE = "=?utf-8?q?=0D=0ABcc:_x=40evil.example?=@example.org"


def digest_register() -> str:
    """One lapsed commitment per printable hostile text (the loader takes those whatever it decides
    about control characters), all routed to coord@ and to an address that is itself hostile."""
    items = "".join(
        f"  - id: hostile-{i}\n    title: {json.dumps(t, ensure_ascii=False)}\n"
        f"    owner: {json.dumps(t, ensure_ascii=False)}\n    made_on: 2026-01-10\n    due: 2026-06-30\n"
        f"    source: {{title: {json.dumps(t, ensure_ascii=False)}, quote: {json.dumps(t, ensure_ascii=False)}}}\n"
        for i, t in enumerate(PRINTABLE))
    return ("version: 1\ntimezone: Europe/London\ndefaults: {grace: 7 days}\n"
            f"routes:\n  - email: [coord@example.org, {json.dumps(BAD_ROUTE)}]\ncommitments:\n{items}")


def record_note(cli, base: tuple[str, ...], url: str, cid: str, on: date, note: str) -> None:  # type: ignore[no-untyped-def]
    """A hostile note recorded: from the command line when it may be; one with control characters
    is refused there (as in the register) and written straight into the database instead, as an
    earlier version or another tool might have, so the renderers are still held to showing it inert."""
    from bot.register.problems import CONTROL
    from storage.db import connect
    from storage.repository import Store

    result = cli("update", cid, *base, "--now", "2026-11-20T10:00", "--on", on.isoformat(), "--note", note)
    if not CONTROL.search(note):
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1 and "control character" in result.output
    engine = connect(url)
    try:
        Store(engine).updates.add(cid, on, note, None, None, None, None, None, datetime(2026, 11, 20, 10, tzinfo=UTC))
    finally:
        engine.dispose()


def test_the_digest_has_exactly_its_headers_and_one_structure(cli, sqlite_url, write_register, tmp_path: Path) -> None:
    path = write_register(digest_register())
    base = ("--file", str(path), "--database", sqlite_url)
    for i, note in enumerate(EVERY):  # every hostile text as a recorded note
        cid = f"hostile-{i % len(PRINTABLE)}"
        record_note(cli, base, sqlite_url, cid, date(2026, 5, 1 + i), note)
    with smtp_server(tmp_path) as server:
        result = cli("digest", *base, "--now", NOW, env=server.env())
    assert "not sent to" in result.output and "is not an email address" in result.output
    assert "\r" not in result.output and "\x1b" not in result.output
    (received,) = server.handler.received  # coord@ only: the hostile route is refused, not sent
    n = len(PRINTABLE)
    message = assert_sound(received, TO, f"{n} lapsed — commitments digest, 16 – 22 Nov 2026")
    plain, html = bodies(message)
    for text in PRINTABLE:
        assert text in plain and escape(text)[:200] in html
    last_notes = EVERY[-n:]  # each commitment's latest note
    for note in last_notes:
        assert inert(note)[:299] in plain and escape(inert(note)[:299]) in html
    for control in "\x00\x1b\x07\r\x7f\x9b":
        assert control not in plain and control not in html


# -- terminals: console channel, check --dry-run, history --------------------------------------
CONTROLS = "\x00\x1b\x07\r\x7f\x9b\u202e"
SEQUENCES = "\x1b]0;pwned\x07\x1b[2J\rX\x9b31m\u202eY\x00"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\rX\\x9b31m\\u202eY\\x00"


def test_inert_shows_every_control_and_nothing_else() -> None:
    assert inert(SEQUENCES) == SHOWN
    assert inert("a\nb\tc\r") == "a\\nb\\tc\\r"
    assert inert("Révision — 協定 🙂 « ok » \\x1b") == "Révision — 協定 🙂 « ok » \\x1b"
    assert inert("\ud800") == "\\ud800"
    assert inert(inert(SEQUENCES)) == inert(SEQUENCES)


@pytest.mark.parametrize("text", HOSTILE)
def test_console_render_shows_register_text_inert(text: str) -> None:
    shown = render(alert(text))
    assert not set(CONTROLS) & set(shown)
    assert shown.count("\n") == render(alert("plain")).count("\n")  # only the renderer's own line breaks


def test_console_channel_prints_inert(capsys: pytest.CaptureFixture[str]) -> None:
    stream = StringIO()
    item = alert(SEQUENCES, routed=(f"email:{TO}", "slack:#x" + SEQUENCES))
    (outcome,) = ConsoleNotifier(stream).deliver("console", [Delivery(1, "console", item)])
    printed = stream.getvalue()
    assert outcome.ok and not set(CONTROLS) & set(printed)
    assert f"[LAPSED] {SHOWN} ({SHOWN}, {SHOWN})" in printed and f"(routed to email:{TO}, slack:#x{SHOWN}; shown here)" in printed


def test_history_rendering_shows_register_text_and_notes_inert() -> None:
    loaded = load([("c.yaml", "version: 1\ncommitments:\n  - id: c\n    title: T\n    owner: O\n"
                               "    made_on: 2026-01-10\n    due: end June\n"
                               "    source: {title: S, url: 'https://example.org/s', quote: Q}\n")])
    assert loaded.register is not None
    c = loaded.register.commitments[0]
    hostile = replace(c, title=SEQUENCES, owner=SEQUENCES, made_by=SEQUENCES,
                      source=replace(c.source, title=SEQUENCES, quote=SEQUENCES))  # type: ignore[type-var]
    notes = [Update(key="f:1", on=date(2026, 7, 1), note=SEQUENCES, by=SEQUENCES, recorded=1)]
    shown = render_history(hostile, None, notes, datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/London")))
    assert not set(CONTROLS) & set(shown)
    # who recorded it is a name, a courtesy: only its text is kept (bot.register.model.named), shown inert
    name = inert(named(SEQUENCES) or "")
    assert name == "]0;pwned[2JX31m\\u202eY"
    assert f"{SHOWN} (c)" in shown and f"update #1 recorded by {name} (in the database, not the register file): {SHOWN}" in shown


def test_check_dry_run_and_history_print_a_hostile_note_inert(cli, sqlite_url, write_register) -> None:
    """The real CLI: a note with escape sequences recorded with `update --note` (from the command
    line, not the register) shows inert in `check --dry-run`, the console channel, and `history`."""
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", sqlite_url)
    record_note(cli, base, sqlite_url, "evaluation", date(2026, 5, 1), SEQUENCES)
    dry = cli("check", *base, "--now", NOW, "--dry-run")
    console = cli("check", *base, "--now", NOW)  # nothing configured: the console channel prints
    history = cli("history", "evaluation", *base, "--now", NOW)
    for result in (dry, console, history):
        assert result.exit_code == 0, result.output
        assert not set(CONTROLS) & set(result.output)
        assert SHOWN in result.stdout
    assert f"last update 1 May 2026: {SHOWN}" in dry.stdout and f"last update 1 May 2026: {SHOWN}" in console.stdout
    assert f"2026-05-01  update #1 recorded (in the database, not the register file): {SHOWN}" in history.stdout
