"""A channel is one package plus one registry line (issue 23 item 6; README "How to add a channel"):
taken away, package and line, every other command still works."""

from __future__ import annotations

from pathlib import Path

from tests.without import without

REGISTER = """\
version: 1
timezone: Europe/London
routes:
  - {route}
commitments:
  - id: mvp
    title: Implement the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-01-10
    due: end of August 2022
"""
NOW = ("--now", "2026-11-22")


def _register(where: Path, route: str) -> tuple[str, ...]:
    where.mkdir(parents=True, exist_ok=True)
    (where / "c.yaml").write_text(REGISTER.format(route=route), encoding="utf-8")
    return "--file", str(where / "c.yaml"), "--database", f"sqlite:///{where / 'bot.db'}"


def test_without_slack_every_other_command_runs(tmp_path: Path) -> None:
    """Found in the second review: the sandbox's command imported Slack's button ids as the CLI
    loaded, so with Slack taken away every command, `--help` too, failed."""
    run = without("slack", tmp_path)
    using = _register(tmp_path, "email: [coord@example.org]")
    for args in (("--help",), ("status", *using, *NOW), ("check", *using, *NOW), ("history", "mvp", *using, *NOW),
                 ("update", "mvp", "--note", "Ministers now say spring 2027", "--on", "2026-11-20", *using, *NOW),
                 ("snooze", "mvp", "--until", "2026-12-01", *using, *NOW), ("digest", "--dry-run", *using, *NOW),
                 ("export", "site", str(tmp_path / "site"), *using, *NOW), ("run", "--help"), ("sandbox", "--help")):
        result = run(*args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    clicked = run("sandbox", "click", "snooze", "--commitment", "mvp")
    assert clicked.returncode == 1 and "the Slack channel (notifiers/slack) is not installed" in clicked.stderr


def test_without_mail_the_digest_and_the_report_say_the_email_channel_is_not_installed(tmp_path: Path) -> None:
    """Found in the second review: with the email channel taken away, `digest --dry-run --to …` and
    `report --dry-run --to …` said "error: unexpected ModuleNotFoundError". The digest, the trustees'
    report and `email test` are the email channel's work: they say it is not installed; the rest runs."""
    run = without("email", tmp_path)
    using = _register(tmp_path, 'slack: ["#commitments"]')
    for args in (("status", *using, *NOW), ("check", *using, *NOW), ("update", "mvp", "--note", "Ministers now say "
                 "spring 2027", "--on", "2026-11-20", *using, *NOW), ("run", "--help"), ("digest", "--help")):
        result = run(*args)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    for args, what in ((("digest", "--dry-run", "--to", "a@example.org", *using, *NOW), "the weekly digest"),
                       (("report", "--dry-run", "--to", "a@example.org", *using, *NOW), "the trustees' report"),
                       (("report", *using, *NOW), "the trustees' report"),
                       (("email", "test", "a@example.org"), "`email test`")):
        result = run(*args)
        assert (result.returncode, result.stdout, result.stderr) == (
            1, "", f"error: the email channel is not installed (notifiers/email), and {what} is its work\n"), args


def test_without_teams_the_sandbox_runs_and_says_nothing_of_it(tmp_path: Path) -> None:
    """Found in the second review: with the Teams channel taken away, the sandbox still started a
    Teams stand-in, exported TEAMS_WEBHOOK_ADVOCACY and named "Microsoft Teams" in its banner and on its
    page. It starts the stand-ins of the channels installed; the others run as before."""
    import signal
    import subprocess

    copy = without("teams", tmp_path)
    with subprocess.Popen(copy.command("sandbox", "--dir", "box"), cwd=copy.where, env=copy.env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as sandbox:
        assert sandbox.stdout is not None
        said = []
        for line in sandbox.stdout:
            said.append(line)
            if line.startswith("Ctrl-C stops the sandbox."):
                break
        sandbox.send_signal(signal.SIGINT)
        said.append(sandbox.stdout.read())
    text = "".join(said)
    assert said[0] == "sandbox: Slack (Web API, Socket Mode, /commitments), SMTP, GOV.UK and Parliament stand-ins " \
                      "on 127.0.0.1\n", text
    assert "export SMTP_URL=" in text and "sandbox stopped" in text
    assert "teams" not in text.replace(str(tmp_path), "TMP").lower()  # the test's own folder is named for it
    assert "teams" not in (tmp_path / "box" / "index.html").read_text(encoding="utf-8").lower()
