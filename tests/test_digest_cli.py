"""`commitment-bot digest` end to end: a real database, a real SMTP server, several weeks of --now."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from bot.shell.sandbox.smtp import Handler, smtp_server
from tests.test_digest import REGISTER

WEEK_48 = "2026-11-23T08:00"  # Monday
WEEK_49 = "2026-11-30T08:00"
WEEK_50 = "2026-12-07T08:00"
HEADINGS = ("LAPSED", "SLIPPED SINCE THE LAST DIGEST", "DUE IN THE NEXT 30 DAYS", "OPEN-ENDED, GONE SILENT",
            "CLOSED SINCE THE LAST DIGEST: DELIVERED, MET, DROPPED OR SUPERSEDED")


def text_of(message) -> str:  # type: ignore[no-untyped-def]
    return str(message.get_body(("plain",)).get_content())


def html_of(message) -> str:  # type: ignore[no-untyped-def]
    return str(message.get_body(("html",)).get_content())


def test_digest_across_weeks(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", database_url)
    with smtp_server(tmp_path) as server:
        env = server.env()
        first = cli("digest", *base, "--now", WEEK_48, env=env)
        assert first.exit_code == 0, first.output
        (mail,) = server.handler.to("coord@example.org")
        assert mail["Subject"] == ("2 lapsed, 1 with no answer, 1 with no news, 1 slipped, 1 due soon, 1 gone silent, 1 closed, 1 reopened, 1 with news"
                                   " — commitments digest, 16 – 22 Nov 2026")
        assert mail.get_content_type() == "multipart/alternative"
        assert mail["Date"] and mail["Message-ID"] and mail["List-Unsubscribe"]
        text = text_of(mail)
        positions = [text.index(h) for h in HEADINGS]
        assert positions == sorted(positions)
        assert text.index("Lapsed long ago") < text.index("Lapsed recently")
        assert '"We aim to do it by end June."' in text and "About five months late — deadline 30 Jun 2026" in text
        assert "routes 11 commitments to coord@example.org" in text
        assert "Someone else's" not in text and "Due in 2028" not in text
        (theirs,) = server.handler.to("other@example.org")
        assert "Someone else&#39;s" in html_of(theirs) and "Lapsed long ago" not in text_of(theirs)

        again = cli("digest", *base, "--now", "2026-11-26T08:00", env=env)
        assert again.exit_code == 0 and "already sent 2" in again.output
        assert len(server.handler.received) == 2

        slip = cli("update", "slipped", *base, "--now", "2026-11-25T10:00", "--on", "2026-11-25",
                   "--note", "Now summer.", "--due", "summer 2027")
        assert slip.exit_code == 0, slip.output
        cli("digest", *base, "--now", WEEK_49, env=env)
        week49 = text_of(server.handler.to("coord@example.org")[-1])
        assert "SLIPPED SINCE" in week49 and 'to "summer 2027" (31 Aug 2027)' in week49
        assert "Slipped: twice" in week49
        assert "CLOSED SINCE" not in week49  # delivered on 20 Nov: in week 48's digest

        # A week ahead of the clock: a real digest would use it up (SPEC §6.5); a dry run shows it.
        ahead = cli("digest", *base, "--now", "2199-12-02T08:00", env=env)
        assert ahead.exit_code == 1 and "later than the clock" in ahead.output and "--dry-run" in ahead.output
        preview = cli("digest", *base, "--now", WEEK_50, "--dry-run", "--to", "coord@example.org",
                      "--out", str(tmp_path / "preview"), env=env)
        assert preview.exit_code == 0, preview.output
        week50 = text_of(message_from_bytes((tmp_path / "preview" / "2026-W50-coord@example.org.eml").read_bytes(),
                                            policy=policy.default))
        assert "SLIPPED SINCE" not in week50 and "LAPSED" in week50
    assert len(server.handler.to("coord@example.org")) == 2


def test_empty_digest_is_not_sent_unless_forced(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    base = ("--file", str(path), "--database", database_url, "--now", "2026-01-12T08:00")
    with smtp_server(tmp_path) as server:
        quiet = cli("digest", *base, "--to", "coord@example.org", env=server.env())
        assert quiet.exit_code == 0 and "nothing to report 1" in quiet.output
        assert not server.handler.received
        forced = cli("digest", *base, "--to", "coord@example.org", "--force", env=server.env())
        assert forced.exit_code == 0, forced.output
    (mail,) = server.handler.received
    assert mail.message["Subject"].startswith("Nothing new — commitments digest")


def test_force_resends_this_weeks_digest(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    base = ("digest", "--file", str(path), "--database", database_url, "--now", WEEK_48)
    with smtp_server(tmp_path) as server:
        cli(*base, env=server.env())
        cli(*base, "--to", "coord@example.org", "--force", env=server.env())
    first, second = server.handler.to("coord@example.org")
    assert first["Subject"] == second["Subject"]  # same window: the forced one repeats the week
    assert first["Message-ID"] != second["Message-ID"]


def test_temporary_refusal_then_recovery_sends_once(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    handler = Handler(later={"coord@example.org": ["421 4.3.2 closing", "451 4.3.0 try later"]})
    with smtp_server(tmp_path, handler) as server:
        base = ("digest", "--file", str(path), "--database", database_url)
        first = cli(*base, "--now", WEEK_48, env=server.env())
        assert first.exit_code == 3 and "will retry" in first.output and "421" in first.output
        second = cli(*base, "--now", "2026-11-23T09:00", env=server.env())
        assert second.exit_code == 3 and "451" in second.output
        third = cli(*base, "--now", "2026-11-23T10:00", env=server.env())
        assert third.exit_code == 0, third.output
        assert "sent 1, already sent 1" in third.output
        fourth = cli(*base, "--now", "2026-11-24T10:00", env=server.env())
        assert fourth.exit_code == 0 and "already sent 2" in fourth.output
    assert len(handler.to("coord@example.org")) == 1 and len(handler.to("other@example.org")) == 1


def test_permanent_refusal_for_one_recipient(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    handler = Handler(refuse={"other@example.org": "550 5.1.1 no such mailbox"})
    with smtp_server(tmp_path, handler) as server:
        result = cli("digest", "--file", str(path), "--database", database_url, "--now", WEEK_48, env=server.env())
    assert result.exit_code == 3
    assert "not sent to other@example.org (failed)" in result.output and "550 5.1.1 no such mailbox" in result.output
    assert len(handler.to("coord@example.org")) == 1 and not handler.to("other@example.org")


def test_dry_run_writes_the_mail_and_sends_nothing(cli, database_url, write_register, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    out = tmp_path / "preview"
    base = ("digest", "--file", str(path), "--database", database_url, "--now", WEEK_48)
    result = cli(*base, "--dry-run", "--to", "coord@example.org", "--out", str(out))
    assert result.exit_code == 0, result.output
    eml, html = out / "2026-W48-coord@example.org.eml", out / "2026-W48-coord@example.org.html"
    assert f"wrote {eml}" in result.output and f"wrote {html}" in result.output
    assert "digest 2026-W48 (dry run): previewed 1, already sent 0" in result.output  # not "sent 0"
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"] == "coord@example.org" and "2 lapsed" in message["Subject"]
    assert "<h2" in html.read_text() and "Lapsed long ago" in html.read_text()
    with smtp_server(tmp_path) as server:  # the preview recorded nothing: the real run still sends
        sent = cli(*base, "--to", "coord@example.org", env=server.env())
    assert sent.exit_code == 0 and len(server.handler.received) == 1


def test_bad_requests_say_why(cli, database_url, write_register) -> None:
    path = write_register(REGISTER)
    base = ("digest", "--file", str(path), "--database", database_url, "--now", WEEK_48)
    unknown = cli(*base, "--to", "stranger@example.org")  # a real send; a --dry-run previews it (issue 13)
    assert unknown.exit_code == 1 and "stranger@example.org is in no route" in unknown.output
    unset = cli(*base)
    assert unset.exit_code == 1 and "SMTP_URL is not set" in unset.output


# -- the README's samples are what the command prints (issue 26) -----------------------------------
README = Path(__file__).resolve().parent.parent / "README.md"
SHIPPED = Path(__file__).resolve().parent.parent / "commitments.yaml"


def readme_sample(after: str) -> str:
    """The first ```text block after `after` in the README."""
    return README.read_text(encoding="utf-8").split(after, 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]


def assert_shown(sample: str, printed: str) -> None:
    """Each run of the sample's lines is printed as it stands, in order; a line "…" stands for lines
    left out, and nothing is left out without one."""
    out, at = printed.splitlines(), 0
    runs = [run.strip("\n").splitlines() for run in ("\n" + sample + "\n").split("\n…\n")]
    for run in runs:
        found = next((i for i in range(at, len(out) - len(run) + 1) if out[i:i + len(run)] == run), None)
        assert found is not None, f"the README shows lines the command does not print together: {run!r}"
        at = found + len(run)


def preview(cli, base: tuple[str, ...], tmp_path: Path, env: dict[str, str] | None = None,  # type: ignore[no-untyped-def]
            to: str = "coord@example.org"):
    out = tmp_path / "preview"
    result = cli("digest", *base, "--dry-run", "--to", to, "--now", WEEK_48, "--out", str(out), env=env)
    assert result.exit_code == 0, result.output
    return message_from_bytes((out / f"2026-W48-{to}.eml").read_bytes(), policy=policy.default)


def test_the_readmes_new_leads_sample_is_what_the_command_prints(cli, sqlite_url: str, tmp_path: Path) -> None:
    """Found in review (issue 26): the README's lead read "Home Office · mvp-…" and stopped, where
    the digest says who promised it, what the lead is, the quote, the words in force and the source."""
    from bot.shell.sandbox.ukapis import UkApis
    from bot.shell.sandbox.world import furnish_apis

    path = tmp_path / "commitments.yaml"
    path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    base = ("--file", str(path), "--database", sqlite_url)
    with UkApis() as apis:  # the sandbox's GOV.UK, which holds one made-up publication
        furnish_apis(apis)
        env = {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
               "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
        watched = cli("watch", *base, "--now", "2026-11-22T09:00", env=env)
        assert watched.exit_code == 0, watched.output
    text = text_of(preview(cli, base, tmp_path, to="coordinator@example.org")).replace(apis.url.rstrip("/"), "https://www.gov.uk")
    assert_shown(readme_sample("In the digest, a lead is listed once for each recipient"), text)


def test_without_a_site_or_slack_a_digest_names_the_command_that_records(cli, write_register, sqlite_url: str,
                                                                        tmp_path: Path) -> None:
    """Found in review (issue 26): the README says a mail names `commitment-bot update …` when the
    bot knows neither a page nor a thread; the alert mail did, the digest did not."""
    base = ("--file", str(write_register(REGISTER)), "--database", sqlite_url)
    message = preview(cli, base, tmp_path)
    text, html = text_of(message), html_of(message)
    command = 'commitment-bot update lapsed-long --note "what happened" --source URL'
    assert f"  Record what happened: {command}" in text
    assert command.replace('"', "&#34;") in html or command.replace('"', "&quot;") in html
    closed = text.split("== CLOSED SINCE", 1)[1].split("\n== ", 1)[0]
    assert "Record what happened" not in closed  # nothing left to record
    site = text_of(preview(cli, base, tmp_path, {"COMMITMENT_BOT_SITE_URL": "https://commitments.example.org"}))
    assert "Record what happened: commitment-bot" not in site  # the page, and the maintainers, instead


def test_the_readmes_digest_sample_is_what_the_command_prints(cli, write_register, sqlite_url: str,
                                                              tmp_path: Path) -> None:
    base = ("--file", str(write_register(REGISTER)), "--database", sqlite_url)
    message = preview(cli, base, tmp_path, {"COMMITMENT_BOT_SITE_URL": "https://commitments.example.org",
                                            "EMAIL_FROM": "bot@example.org"})
    sample = readme_sample("Sample (text part, with `COMMITMENT_BOT_SITE_URL")
    subject, rest = sample.split("\n", 1)
    assert subject == f"Subject: {message['Subject']}"
    assert_shown(rest, text_of(message))
