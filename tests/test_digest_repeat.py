"""A digest or a report sent again after a send the mail server never confirmed says it may repeat it.

Found in a second review (issues 21–26): the alert mail was marked "[possible repeat]" after the
connection dropped between the message's final "." and the server's answer, but the digest and
the report, kept in the digests table, were sent again identical, so a coordinator or a trustee
could get one twice with nothing saying so. Driven end to end: a loopback server that takes the
whole message then closes with no answer (tests/smtp_standin.py), then the real aiosmtpd server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from bot.shell.sandbox.smtp import Handler, free_port, smtp_server
from notifiers.email.messages import REPEAT, repeat_line
from tests.smtp_standin import smtp_standin
from tests.test_digest import REGISTER as DIGEST_REGISTER
from tests.test_report import REGISTER as REPORT_REGISTER

WEEK_48 = "2026-11-23T08:00"  # Monday; 08:00 in London is 08:00 UTC in November
MAY_HAVE_ARRIVED = ("took the whole mail but did not confirm it (the connection closed before its answer): it may "
                    "have arrived; it is sent again later, marked as a possible repeat")


def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = (message.get_body((k,)) for k in ("plain", "html"))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def assert_marked(mail: EmailMessage, first: EmailMessage, at: datetime) -> None:
    """`mail` is `first` again, its subject after "[possible repeat] " and its first line saying when
    the unconfirmed one went, in both parts."""
    said = repeat_line(at)
    assert mail["Subject"] == REPEAT + first["Subject"]
    text, html = parts(mail)
    assert text.splitlines()[:2] == [said, ""], text[:300]
    assert text.splitlines()[2:] == parts(first)[0].splitlines()
    assert said in html and html.index(said) < html.index("<h1")
    assert f"<title>{REPEAT}" in html


def unsure_env(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}


def test_a_digest_the_server_never_confirmed_is_sent_again_marked(cli, database_url, write_register,
                                                                  tmp_path: Path) -> None:
    path = write_register(DIGEST_REGISTER)
    base = ("digest", "--file", str(path), "--database", database_url, "--to", "coord@example.org")
    with smtp_standin("drop") as dropping:
        first = cli(*base, "--now", WEEK_48, env=unsure_env(dropping))
    assert first.exit_code == 3, first.output
    assert MAY_HAVE_ARRIVED in first.output
    (unconfirmed,) = dropping.messages()
    assert not str(unconfirmed["Subject"]).startswith(REPEAT)
    with smtp_server(tmp_path) as server:
        again = cli(*base, "--now", "2026-11-23T10:00", env=server.env())
        assert again.exit_code == 0, again.output
        forced = cli(*base, "--now", "2026-11-23T11:00", "--force", env=server.env())
        assert forced.exit_code == 0, forced.output
    repeat, chosen = server.handler.to("coord@example.org")
    assert_marked(repeat, unconfirmed, datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    # the repeat was confirmed: a resend asked for with --force is the person's choice, not a possible repeat
    assert chosen["Subject"] == unconfirmed["Subject"]


def test_a_digest_that_surely_failed_is_sent_again_unmarked(cli, database_url, write_register,
                                                            tmp_path: Path) -> None:
    path = write_register(DIGEST_REGISTER)
    base = ("digest", "--file", str(path), "--database", database_url, "--to", "coord@example.org")
    nobody = {"SMTP_URL": f"smtp://127.0.0.1:{free_port()}", "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
    refused = cli(*base, "--now", WEEK_48, env=nobody)  # no connection at all: nothing went
    assert refused.exit_code == 3 and "possible repeat" not in refused.output, refused.output
    handler = Handler(later={"coord@example.org": ["550 5.1.1 no such mailbox"]})  # refused before DATA
    with smtp_server(tmp_path, handler) as server:
        failed = cli(*base, "--now", "2026-11-23T09:00", env=server.env())
        assert failed.exit_code == 3 and "not sent to coord@example.org (failed)" in failed.output, failed.output
        sent = cli(*base, "--now", "2026-11-23T10:00", env=server.env())
        assert sent.exit_code == 0, sent.output
    (mail,) = server.handler.to("coord@example.org")
    assert not str(mail["Subject"]).startswith(REPEAT)
    assert not parts(mail)[0].startswith("Sent again")


def test_a_sure_failure_after_an_unconfirmed_send_keeps_it_marked(cli, database_url, write_register,
                                                                  tmp_path: Path) -> None:
    """Once a mail may have arrived, every later send is a possible repeat until one is confirmed."""
    path = write_register(DIGEST_REGISTER)
    base = ("digest", "--file", str(path), "--database", database_url, "--to", "coord@example.org")
    with smtp_standin("drop") as dropping:
        assert cli(*base, "--now", WEEK_48, env=unsure_env(dropping)).exit_code == 3
    nobody = {"SMTP_URL": f"smtp://127.0.0.1:{free_port()}", "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
    assert cli(*base, "--now", "2026-11-23T09:00", env=nobody).exit_code == 3
    with smtp_server(tmp_path) as server:
        assert cli(*base, "--now", "2026-11-23T10:00", env=server.env()).exit_code == 0
    (mail,) = server.handler.to("coord@example.org")
    assert_marked(mail, dropping.messages()[0], datetime(2026, 11, 23, 8, 0, tzinfo=UTC))


def test_a_report_the_server_never_confirmed_is_sent_again_marked(cli, database_url, write_register,
                                                                  tmp_path: Path) -> None:
    path = write_register(REPORT_REGISTER)
    base = ("report", "--file", str(path), "--database", database_url, "--to", "trustees@example.org")
    with smtp_standin("drop") as dropping:
        first = cli(*base, "--now", "2026-12-01T09:00", env=unsure_env(dropping))
    assert first.exit_code == 3, first.output
    assert MAY_HAVE_ARRIVED in first.output
    (unconfirmed,) = dropping.messages()
    with smtp_server(tmp_path) as server:
        again = cli(*base, "--now", "2026-12-01T10:00", env=server.env())
        assert again.exit_code == 0, again.output
    (repeat,) = server.handler.to("trustees@example.org")
    assert_marked(repeat, unconfirmed, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def test_a_report_that_surely_failed_is_sent_again_unmarked(cli, database_url, write_register,
                                                            tmp_path: Path) -> None:
    path = write_register(REPORT_REGISTER)
    base = ("report", "--file", str(path), "--database", database_url, "--to", "trustees@example.org")
    nobody = {"SMTP_URL": f"smtp://127.0.0.1:{free_port()}", "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "5"}
    assert cli(*base, "--now", "2026-12-01T09:00", env=nobody).exit_code == 3
    with smtp_server(tmp_path) as server:
        sent = cli(*base, "--now", "2026-12-01T10:00", env=server.env())
        assert sent.exit_code == 0, sent.output
    (mail,) = server.handler.to("trustees@example.org")
    assert not str(mail["Subject"]).startswith(REPEAT)
    assert parts(mail)[0].startswith("COMMITMENTS REPORT")
