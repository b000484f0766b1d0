"""Alert mails and `email test` against a real SMTP server on loopback (bot/shell/sandbox/smtp.py)."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from bot.shell.sandbox.smtp import PASSWORD, USER, Handler, Received, free_port, smtp_server

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
    source: {title: Letter to the committee, url: "https://example.org/letter.pdf", quote: "We aim to implement it by end June."}
  - id: mvp-guidance
    title: Publish guidance for caseworkers
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-07-31
    tags: [mvp]
  - id: evaluation
    title: Publish the evaluation
    owner: Home Office
    made_on: 2026-01-10
    due: summer 2026
"""
NOW = "2026-11-23T09:00"
LATER = "2026-11-23T12:00"


def mail_parts(message) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert message.get_content_type() == "multipart/alternative"
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_one_grouped_mail_per_recipient_with_real_parts_and_headers(cli, database_url, write_register,
                                                                  tmp_path: Path) -> None:
    path = write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert result.exit_code == 0, result.output
        again = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert again.exit_code == 0, again.output
    handler = server.handler
    assert sorted(a for r in handler.received for a in r.rcpt_tos) == [
        "coord@example.org", "other@example.org", "second@example.org"]
    (mail,) = handler.to("coord@example.org")
    parts = mail_parts(mail)
    assert set(parts) == {"text/plain", "text/html"}
    for text in parts.values():
        assert "Implement the Migrant Victim Protocol" in text and "Publish guidance for caseworkers" in text
        assert "Publish the evaluation" not in text
    assert mail["Subject"] == "2 commitment alerts: 2 lapsed"
    assert mail["To"] == "coord@example.org" and "bot@example.org" in mail["From"]
    assert mail["Date"] and mail["Message-ID"].endswith("@example.org>")
    assert mail["List-Unsubscribe"].startswith("<mailto:bot@example.org")
    assert "routes these commitments to coord@example.org" in parts["text/plain"]
    assert '<a href="https://example.org/letter.pdf"' in parts["text/html"]
    (single,) = handler.to("other@example.org")
    assert single["Subject"] == "LAPSED: Publish the evaluation"


def test_temporary_refusal_is_retried_and_delivered_once(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    handler = Handler(later={"coord@example.org": ["421 4.3.2 shutting down", "451 4.3.0 try again later"]})
    with smtp_server(tmp_path, handler) as server:
        args = ("check", "--file", str(path), "--database", database_url)
        first = cli(*args, "--now", NOW, env=server.env())
        assert first.exit_code == 3, first.output
        assert handler.to("second@example.org") and not handler.to("coord@example.org")
        second = cli(*args, "--now", "2026-11-23T09:30", env=server.env())
        assert second.exit_code == 3  # 451 this time
        third = cli(*args, "--now", LATER, env=server.env())
        assert third.exit_code == 0, third.output
        fourth = cli(*args, "--now", LATER, env=server.env())
        assert fourth.exit_code == 0
    assert len(handler.to("coord@example.org")) == 1
    assert len(handler.to("second@example.org")) == 1


def test_permanent_refusal_for_one_recipient_keeps_and_reports_it(cli, database_url, write_register,
                                                                  tmp_path: Path) -> None:
    path = write_register(REGISTER)
    handler = Handler(refuse={"second@example.org": "550 5.1.1 mailbox unavailable"})
    with smtp_server(tmp_path, handler) as server:
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert result.exit_code == 3
        status = cli("status", "--file", str(path), "--database", database_url, "--now", NOW)
    assert handler.to("coord@example.org") and handler.to("other@example.org")
    assert not handler.to("second@example.org")
    assert "second@example.org" in status.output and "550" in status.output


@pytest.mark.parametrize("mode, scheme", [("starttls", "smtp"), ("smtps", "smtps")])
def test_tls_and_login(cli, database_url, write_register, tmp_path: Path, mode: str, scheme: str) -> None:
    path = write_register(REGISTER)
    with smtp_server(tmp_path, mode=mode, auth=True) as server:
        env = server.env(server.url(scheme, USER, PASSWORD))
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=env)
        assert result.exit_code == 0, result.output
    assert len(server.handler.received) == 3
    assert PASSWORD not in result.output


HOSTILE = REGISTER.replace(
    "title: Publish the evaluation",
    'title: "<script>alert(1)</script> Evaluation\\nBcc: victim@evil.example"',
).replace(
    "    due: summer 2026\n",
    '    due: summer 2026\n    source: {title: "<b>bold</b>", url: "https://example.org/?q=\\"><script>x</script>", quote: "x < y & \\"z\\""}\n',
)


def test_hostile_register_text_is_neutralised(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(HOSTILE)
    with smtp_server(tmp_path) as server:
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert result.exit_code == 0, result.output
    (mail,) = server.handler.to("other@example.org")
    assert mail["Bcc"] is None and "\n" not in mail["Subject"]
    assert all("victim@evil.example" not in r.rcpt_tos for r in server.handler.received)
    html = mail_parts(mail)["text/html"]
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert '"><script>x' not in html and "?q=&#34;&gt;&lt;script&gt;x" in html
    assert "x &lt; y &amp; &#34;z&#34;" in html


def test_email_test_sends_and_explains(cli, tmp_path: Path) -> None:
    with smtp_server(tmp_path, mode="starttls", auth=True) as server:
        ok = cli("email", "test", "me@example.org", env=server.env(server.url("smtp", USER, PASSWORD)))
        assert ok.exit_code == 0, ok.output
        assert "sent a test mail to me@example.org" in ok.output and PASSWORD not in ok.output
        # accepted is not arrived: the person is told where to look (issue 21–26 second review)
        assert "does not prove it arrived: check the mailbox of me@example.org, and its spam or junk folder" \
            in ok.output, ok.output
        bad = cli("email", "test", "me@example.org", env=server.env(server.url("smtp", USER, "wrong-pw")))
        assert bad.exit_code == 1 and "authentication failed" in bad.output and "wrong-pw" not in bad.output
        untrusted = {**server.env(server.url("smtp", USER, PASSWORD)), "SMTP_CA_FILE": ""}
        cert = cli("email", "test", "me@example.org", env=untrusted)
        assert cert.exit_code == 1 and "certificate" in cert.output and "SMTP_CA_FILE" in cert.output
    (mail,) = server.handler.to("me@example.org")
    assert mail["Subject"] == "commitment-bot test mail"


def test_email_test_says_tls_required(cli, tmp_path: Path) -> None:
    with smtp_server(tmp_path, mode="plain", auth=True) as server:  # AUTH offered only over TLS, and no TLS
        result = cli("email", "test", "me@example.org", env=server.env(server.url("smtp", USER, PASSWORD)))
    assert result.exit_code == 1 and "TLS required" in result.output and PASSWORD not in result.output


def test_email_test_says_host_unreachable(cli) -> None:
    env = {"SMTP_URL": f"smtp://{USER}:{PASSWORD}@127.0.0.1:{free_port()}", "EMAIL_FROM": "bot@example.org"}
    result = cli("email", "test", "me@example.org", env=env)
    assert result.exit_code == 3 and "host unreachable" in result.output and PASSWORD not in result.output


def test_email_test_without_smtp_url(cli) -> None:
    result = cli("email", "test", "me@example.org")
    assert result.exit_code == 1 and "SMTP_URL is not set" in result.output
    # issue 13, item 11: `email test` takes no --dry-run, so it must not suggest one
    assert "--dry-run" not in result.output and "README's email section" in result.output
    assert cli("email", "test", "--help").output.count("--dry-run") == 0


# -- issue 11, item 15: Message-ID, List-Unsubscribe, 8BITMIME, judged on the raw SMTP session ----
def alert_mails(cli, write_register, tmp_path: Path, database_url: str, handler: Handler | None = None
                ) -> list[Received]:  # type: ignore[no-untyped-def]
    path = write_register(REGISTER)
    with smtp_server(tmp_path, handler) as server:
        result = cli("check", "--file", str(path), "--database", database_url, "--now", NOW, env=server.env())
        assert result.exit_code == 0, result.output
    return sorted(server.handler.received, key=lambda r: r.rcpt_tos)


def test_message_ids_are_globally_unique(cli, write_register, tmp_path: Path) -> None:
    """The same alerts from two fresh databases (a move to PostgreSQL, a staging instance) get
    different Message-IDs: they are random, in the sender's domain, never derived from row ids."""
    first = alert_mails(cli, write_register, tmp_path, f"sqlite:///{tmp_path / 'a.db'}")
    second = alert_mails(cli, write_register, tmp_path, f"sqlite:///{tmp_path / 'b.db'}")
    assert [r.rcpt_tos for r in first] == [r.rcpt_tos for r in second] and len(first) == 3
    ids = [r.message["Message-ID"] for r in first + second]
    assert len(set(ids)) == 6
    for r in first + second:
        (line,) = re.findall(rb"^Message-ID: (.*)\r$", r.raw.split(b"\r\n\r\n")[0], re.M)
        assert re.fullmatch(rb"<[0-9]+\.[0-9]+\.[0-9]{6,}\.alerts@example\.org>", line), line


def test_list_unsubscribe_is_the_mailto_and_there_is_no_one_click_post(cli, write_register, tmp_path: Path) -> None:
    """The bot has no HTTPS unsubscribe endpoint, only the maintainers' mailto, so it must not claim
    RFC 8058 one-click unsubscribe."""
    for r in alert_mails(cli, write_register, tmp_path, f"sqlite:///{tmp_path / 'a.db'}"):
        head = r.raw.split(b"\r\n\r\n")[0]
        assert b"\r\nList-Unsubscribe: <mailto:bot@example.org?subject=unsubscribe>\r\n" in head
        assert b"list-unsubscribe-post" not in head.lower()


def test_8bit_bodies_are_declared_with_body_8bitmime(cli, write_register, tmp_path: Path) -> None:
    mails = alert_mails(cli, write_register, tmp_path, f"sqlite:///{tmp_path / 'a.db'}")
    for r in mails:  # every alert mail has "—" and "→" in its text
        assert not r.raw.isascii() and "BODY=8BITMIME" in r.mail_options
        assert {p["Content-Transfer-Encoding"] for p in r.message.iter_parts()} == {"8bit"}
    with smtp_server(tmp_path) as server:  # the test mail is all ASCII: nothing to declare
        assert cli("email", "test", "me@example.org", env=server.env()).exit_code == 0
    (test_mail,) = server.handler.received
    assert test_mail.raw.isascii() and not any(o.startswith("BODY=") for o in test_mail.mail_options)


def test_without_8bitmime_bodies_go_7bit(cli, write_register, tmp_path: Path) -> None:
    """A server that does not offer 8BITMIME gets 7-bit bytes and no BODY=8BITMIME (it would refuse
    either), and the reader still gets the same text."""
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", f"sqlite:///{tmp_path / 'a.db'}", "--now", NOW)
    with smtp_server(tmp_path, Handler(eight_bit=False)) as server:
        assert cli("check", *base, env=server.env()).exit_code == 0
        assert cli("digest", *base, env=server.env()).exit_code == 0
    assert len(server.handler.received) == 6  # three alert mails, three digests
    for r in server.handler.received:
        assert r.raw.isascii() and not any(o.startswith("BODY=") for o in r.mail_options)
        parts = mail_parts(r.message)
        assert {p["Content-Transfer-Encoding"] for p in r.message.iter_parts()} <= {"base64", "quoted-printable"}
        assert not parts["text/plain"].isascii() and not parts["text/html"].isascii()  # "→", "—", "–" decoded
    (alerts,) = [r for r in server.handler.received if r.rcpt_tos == ["other@example.org"]
                 and "alerts" in r.message["Message-ID"]]
    assert "LAPSED: Publish the evaluation" in mail_parts(alerts.message)["text/plain"]


# -- issue 22 review (Hardening II): a mail never confirmed, and one exchange bounded -------------
ONE = """\
version: 1
timezone: Europe/London
routes:
  - email: [coordinator@example.org]
commitments:
  - id: a
    title: Publish the code
    owner: Home Office
    made_on: 2024-01-10
    due: 2026-11-01
"""


def test_a_mail_the_server_took_but_never_confirmed_is_said_to_may_have_arrived(cli, database_url, write_register) -> None:
    """Found in review (a22 item 3): the connection dropped after the final "." and before the
    250, and the mail was sent again, identical, with no mark. The server took it whole, so it may
    have arrived: the reason kept says so, and that it is sent again marked as a possible repeat
    (tests/test_delivery.py follows it to its second sending)."""
    from tests.smtp_standin import smtp_standin

    path = write_register(ONE)
    with smtp_standin("drop") as server:
        env = {"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
        args = ("--file", str(path), "--database", database_url)
        first = cli("check", *args, "--now", "2026-12-01T09:00", env=env)
        status = cli("status", *args, "--now", "2026-12-01T09:01", env=env)
    assert first.exit_code == 3, first.output
    said = "took the whole mail but did not confirm it (the connection closed before its answer): it may have " \
           "arrived; it is sent again later, marked as a possible repeat"
    assert said in first.output and said in status.output, status.output
    assert len(server.received) == 1


@pytest.mark.parametrize("how", ["drip", "drip_tls"])
def test_a_server_that_drips_is_cut_off_at_smtp_timeout_for_the_whole_exchange(cli, how: str) -> None:
    """Found in review (a22 item 4): SMTP_TIMEOUT bounded each read, so a server dripping an endless
    "250-" reply a byte at a time (each byte far inside the timeout) held `email test` and `check`
    until it let go. The whole exchange, TLS handshake included, now ends at SMTP_TIMEOUT; this
    server would drip forever, so the test finishing is the bound."""
    from tests.smtp_standin import smtp_standin

    with smtp_standin(how) as server:
        result = cli("email", "test", "me@example.org",
                     env={"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "1"})
    assert result.exit_code == 3, result.output
    assert f"error: timed out: 127.0.0.1:{server.port} gave no whole answer within 1 s (SMTP_TIMEOUT, the whole " \
           "exchange); will retry" in result.output, result.output


@pytest.mark.parametrize("how", ["flood_greeting", "flood_ehlo"])
def test_a_server_that_floods_its_answer_is_cut_off_at_64_kb(cli, how: str) -> None:
    """Found in the second review (issue 22): smtplib keeps every line of a reply, so a server sending
    endless 8,000-byte "250-" lines (or such a greeting) took `email test` to 2.3 GB within
    SMTP_TIMEOUT. A reply is read up to 64 KB: the mail fails at once, saying why, to be retried,
    and this server, which would flood forever, costs a few MB, not gigabytes."""
    from tests.smtp_standin import smtp_standin

    with smtp_standin(how) as server:
        env = {"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
        cli("email", "test", "me@example.org", env=env)  # once first, so the modules it imports are not counted
        tracemalloc.start()
        try:
            result = cli("email", "test", "me@example.org", env=env)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert result.exit_code == 3, result.output
    assert f"error: 127.0.0.1:{server.port} sent a reply of more than 64 KB (an SMTP reply line is at most 512 " \
           "bytes); the connection was closed without reading the rest; will retry" in result.output, result.output
    assert peak < 1024 * 1024, f"{peak:,} bytes"


def test_a_mail_whose_answer_floods_after_the_whole_message_may_have_arrived(cli) -> None:
    from tests.smtp_standin import smtp_standin

    with smtp_standin("flood_data") as server:
        result = cli("email", "test", "me@example.org",
                     env={"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"})
    assert result.exit_code == 3, result.output
    assert result.output.strip().endswith(
        "took the whole mail but did not confirm it (its answer was a reply of more than 64 KB (an SMTP reply line "
        "is at most 512 bytes), cut off unread): it may have arrived"), result.output
    assert len(server.received) == 1


def test_check_keeps_a_mail_whose_server_floods_and_sends_it_later(cli, database_url, write_register,
                                                                    tmp_path: Path) -> None:
    from tests.smtp_standin import smtp_standin

    path = write_register(ONE)
    args = ("--file", str(path), "--database", database_url)
    with smtp_standin("flood_ehlo") as server:
        env = {"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
        first = cli("check", *args, "--now", "2026-12-01T09:00", env=env)
    assert first.exit_code == 3, first.output
    assert "sent a reply of more than 64 KB" in first.output, first.output
    with smtp_server(tmp_path) as server:
        second = cli("check", *args, "--now", "2026-12-02T09:00", env=server.env())
    assert second.exit_code == 0, second.output
    assert len(server.handler.received) == 1


def test_check_is_not_held_by_a_dripping_mail_server(cli, database_url, write_register) -> None:
    from tests.smtp_standin import smtp_standin

    path = write_register(ONE)
    with smtp_standin("drip") as server:
        env = {"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "1"}
        result = cli("check", "--file", str(path), "--database", database_url, "--now", "2026-12-01T09:00", env=env)
    assert result.exit_code == 3, result.output
    assert "gave no whole answer within 1 s (SMTP_TIMEOUT, the whole exchange)" in result.output, result.output


def test_email_test_says_a_mail_never_confirmed_may_have_arrived_and_promises_no_resend(cli) -> None:
    from tests.smtp_standin import smtp_standin

    with smtp_standin("drop") as server:
        result = cli("email", "test", "me@example.org",
                     env={"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"})
    assert result.exit_code == 3, result.output
    assert result.output.strip().endswith("took the whole mail but did not confirm it (the connection closed before "
                                          "its answer): it may have arrived"), result.output
    assert len(server.received) == 1
