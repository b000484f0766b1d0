"""The report for trustees (SPEC §7.6, issue 24 item 4): the pure builder, `commitment-bot report`
printed and mailed through the local SMTP server, `schedule.report` in `run`, and its words:
every type named as what it is, the words in force attributed, the team's chases as the team's.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.decide.report import build_report
from bot.register.model import Register
from bot.shell.registerfile import load_texts as load
from bot.shell.sandbox.smtp import smtp_server

LONDON = ZoneInfo("Europe/London")
NOW = "2026-12-01T09:00"
REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 0 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
commitments:
  - id: p-lapsed
    title: Publish the guidance
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-11-15
  - id: p-old
    title: Implement the protocol
    owner: Home Office
    made_by: A. Minister
    made_on: 2022-02-21
    due: 2024-03-31
    actions:
      - {date: 2026-11-05, kind: chase, how: letter, ref: L-12, to: the Home Secretary, reply_due: 2026-11-25, note: Asked when it will be implemented, recorded_by: Jo}
  - id: a-ask
    title: Answer the Commissioner's call
    owner: Home Office
    type: ask
    made_by: the Domestic Abuse Commissioner
    made_on: 2026-01-10
    due: 2026-11-20
  - id: e-exp
    title: Fund the scheme
    owner: Home Office
    type: expectation
    made_on: 2026-01-10
    due: 2026-11-10
  - id: p-slip
    title: Open the consultation
    owner: DfE
    made_on: 2026-01-10
    due: 2026-10-31
    updates:
      - {date: 2026-11-18, note: Now next spring., due: spring 2027, said_by: B. Minister, source: {title: Written answer HL0001, url: "https://example.org/hl0001"}}
  - id: p-done
    title: Fund the service
    owner: MoJ
    made_on: 2026-01-10
    due: 2026-12-31
    updates:
      - {date: 2026-11-20, note: Funded., status: delivered, source: {title: Press release, url: "https://example.org/press"}}
  - id: p-news
    title: Review the scheme
    owner: Home Office
    made_on: 2025-01-10
    due: in due course
    updates:
      - {date: 2026-11-12, note: The minister says the review has begun., said_by: C. Minister}
      - {date: 2026-12-01, note: Dated the day the report is built.}
    actions:
      - {date: 2026-11-02, kind: chase, how: written-question, ref: HL1234, reply_due: 2026-11-16, note: Tabled by a friendly peer, recorded_by: Sam}
      - {date: 2026-11-03, kind: snooze, until: 2026-11-30, note: reply promised after recess, recorded_by: Sam}
"""


def register_of(text: str = REGISTER) -> Register:
    loaded = load([("commitments.yaml", text)])
    assert loaded.register is not None, [str(p) for p in loaded.problems]
    return loaded.register


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


# -- the builder (pure) ------------------------------------------------------------------------
def test_counts_by_state_and_type() -> None:
    """Per commitment, as `status` counts them; one column per type (promise, ask, expectation)."""
    r = build_report(register_of(), {}, {}, at(NOW), date(2026, 11, 1))
    assert (r.since, r.until) == (date(2026, 11, 1), date(2026, 12, 1))
    assert r.counts == (("lapsed", (2, 1, 1)), ("upcoming", (1, 0, 0)), ("open", (1, 0, 0)),
                        ("delivered", (1, 0, 0)))
    assert r.totals == (5, 1, 1) and r.total == 7


def test_what_the_period_holds() -> None:
    r = build_report(register_of(), {}, {}, at(NOW), date(2026, 11, 1))
    ids = lambda items: [e.row.id for e in items]  # noqa: E731
    assert ids(r.lapsed) == ["e-exp", "p-lapsed", "a-ask"]  # most days past first; the ask and expectation too
    assert [(e.row.type, e.row.state) for e in r.lapsed] == [("expectation", "lapsed"), ("promise", "lapsed"),
                                                           ("ask", "lapsed")]
    (slip,) = r.slipped
    assert (slip.row.id, slip.on, slip.before.deadline, slip.after.deadline) == (
        "p-slip", date(2026, 11, 18), "2026-10-31", "2027-05-31")
    assert (slip.after.words, slip.after.said_by) == ("spring 2027", "B. Minister")
    (closed,) = r.closed
    assert (closed.row.id, closed.status, closed.source_url) == ("p-done", "delivered", "https://example.org/press")
    (news,) = r.news  # the update dated the day it is built waits for the next report
    assert (news.row.id, news.note, news.said_by, news.chased_on) == (
        "p-news", "The minister says the review has begun.", "C. Minister", date(2026, 11, 2))
    assert [row.id for row in r.overdue] == ["p-old", "p-lapsed"]  # promises only, longest first


def test_the_team_s_actions_are_the_team_s() -> None:
    r = build_report(register_of(), {}, {}, at(NOW), date(2026, 11, 1))
    assert [(a.row.id, a.kind, a.on) for a in r.actions] == [
        ("p-news", "chase", date(2026, 11, 2)), ("p-news", "snooze", date(2026, 11, 3)),
        ("p-old", "chase", date(2026, 11, 5))]
    # the minister's news of 12 Nov came after the chase of HL1234 but is not its answer (found in
    # review: any news "answered" every chase): both chases are still awaited
    answered = {a.row.id: a.answered_on for a in r.actions if a.kind == "chase"}
    assert answered == {"p-news": None, "p-old": None}
    assert [(a.row.id, a.how, a.ref, a.reply_due) for a in r.awaited] == [
        ("p-news", "written-question", "HL1234", date(2026, 11, 16)),
        ("p-old", "letter", "L-12", date(2026, 11, 25))]
    # never counted as news, a slip or a closing
    assert {e.row.id for e in (*r.news, *r.slipped, *r.closed)} == {"p-news", "p-slip", "p-done"}
    assert all("Asked when" not in (e.note or "") for e in r.news)


@pytest.mark.parametrize("since, lapsed, news", [
    (date(2026, 11, 1), 3, 1),
    (date(2026, 11, 13), 2, 0),  # the news of 12 Nov is before the period
    (date(2026, 11, 12), 2, 1),  # `since` is the first day covered
    (date(2026, 12, 1), 0, 0),  # nothing yet: today's news waits
])
def test_the_period_is_whole_days_from_since_to_yesterday(since: date, lapsed: int, news: int) -> None:
    r = build_report(register_of(), {}, {}, at(NOW), since)
    assert (len(r.lapsed), len(r.news)) == (lapsed, news)


# -- `commitment-bot report`: printed ----------------------------------------------------------
def report(cli, path: Path, db: str, *args: str, env: dict[str, str] | None = None, now: str = NOW):  # type: ignore[no-untyped-def]
    return cli("report", "--file", str(path), "--database", db, "--now", now, *args, env=env)


def test_printed_it_says_each_thing_as_what_it_is(cli, write_register, sqlite_url: str) -> None:
    path = write_register(REGISTER)
    result = report(cli, path, sqlite_url, "--since", "2026-11-01")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("COMMITMENTS REPORT — 1 – 30 Nov 2026\nThe whole register as at 1 Dec 2026")
    assert "7 commitments: 5 promises, 1 ask, 1 expectation." in out
    assert re.search(r"lapsed / no answer / no news +2 promises, +1 ask, +1 expectation", out)
    # SPEC §7.1: only a promise lapses; an ask has no answer, an expectation no news
    assert "* Lapsed: Publish the guidance (p-lapsed), Home Office: promised by 15 Nov 2026" in out
    assert "* No answer: Answer the Commissioner's call (a-ask), Home Office: asked for by 20 Nov 2026" in out
    assert "* No news: Fund the scheme (e-exp), Home Office: expected by 10 Nov 2026" in out
    # SPEC §7.2: the words in force, attributed
    assert ("* Open the consultation (p-slip): moved on 18 Nov 2026 from 31 Oct 2026 to 31 May 2027; now "
            "“spring 2027”: B. Minister, 18 Nov 2026 (Written answer HL0001)") in out
    assert "* Fund the service (p-done): delivered: news of 20 Nov 2026; evidence: Press release https://example.org/press" in out
    # the note is the team's account: the speaker is named with the source, never before the note
    assert ("* Review the scheme (p-news): 12 Nov 2026: The minister says the review has begun. (source: "
            "C. Minister) (the first news since the team chased on 2 Nov 2026)") in out
    # SPEC §7.3: the team's actions under the team's heading, never among the news
    team = out.split("== WHAT THE TEAM DID (its own actions, not government news) ==")[1]
    news = out.split("== IN THE PERIOD")[1].split("== WHAT THE TEAM DID")[0]
    assert ("* 5 Nov 2026: the team chased by letter L-12 to the Home Secretary; reply due 25 Nov 2026: Asked when it "
            "will be implemented (recorded by Jo) — Implement the protocol (p-old)") in team
    assert ("* 3 Nov 2026: the team snoozed its reminders until 30 Nov 2026: reply promised after recess (recorded by "
            "Sam) — Review the scheme (p-news)") in team
    assert ("Still awaited: chases with no reply recorded (2)\n"
            "  * Review the scheme (p-news): the team's written question HL1234 of 2 Nov 2026; reply due 16 Nov 2026, "
            "15 days overdue\n"
            "  * Implement the protocol (p-old): the team's letter L-12 "
            "of 5 Nov 2026 to the Home Secretary; reply due 25 Nov 2026, six days overdue\n") in team
    for said in ("Asked when", "HL1234", "recess", "chased by"):
        assert said not in news
    assert "Dated the day the report is built" not in out
    longest = out.split("== LONGEST-OVERDUE PROMISES (2 past their deadline) ==")[1]
    assert longest.index("Implement the protocol") < longest.index("Publish the guidance")
    assert "* Over two and a half years late" not in longest and "late: Implement the protocol" in longest
    assert "Fund the scheme" not in longest and "Answer the Commissioner" not in longest  # not promises


def test_the_readmes_sample_is_what_the_command_prints(cli, write_register, sqlite_url: str) -> None:
    """The README shows this register's report line for line (its "…" stands for the lines it leaves out)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    sample = readme.split("on the register in `tests/test_report.py`):\n\n```text\n", 1)[1].split("\n```", 1)[0]
    out = report(cli, write_register(REGISTER), sqlite_url, "--since", "2026-11-01").output.splitlines()
    shown = [line for line in sample.splitlines() if line.strip() != "…"]
    at = 0
    for line in shown:  # in order, each one a line the command printed
        assert line in out[at:], f"the README shows a line the report does not print: {line!r}"
        at = out.index(line, at) + 1


def test_the_first_report_covers_30_days_and_the_next_starts_where_it_stopped(cli, write_register, sqlite_url: str,
                                                                            tmp_path: Path) -> None:
    path = write_register(REGISTER)
    first = report(cli, path, sqlite_url)
    assert first.output.startswith("COMMITMENTS REPORT — 1 – 30 Nov 2026\n")  # 30 days before 1 Dec
    with smtp_server(tmp_path) as server:
        sent = report(cli, path, sqlite_url, "--to", "trustees@example.org", env=server.env())
        assert sent.exit_code == 0, sent.output
        again = report(cli, path, sqlite_url, "--to", "trustees@example.org", env=server.env(), now="2026-12-01T10:00")
        assert again.exit_code == 0 and "already sent today 1" in again.output
        env = {**server.env(), "COMMITMENT_BOT_REPORT_TO": "trustees@example.org"}
        later = report(cli, path, sqlite_url, env=env, now="2027-01-04T09:00")
        assert later.output.startswith("COMMITMENTS REPORT — 1 Dec 2026 – 3 Jan 2027\n"), later.output[:200]
        assert "Dated the day the report is built" in later.output  # the news it left for the next one
    assert len(server.handler.received) == 1


# -- mailed ------------------------------------------------------------------------------------
def parts(message: EmailMessage) -> tuple[str, str]:
    text, html = (message.get_body((k,)) for k in ("plain", "html"))
    assert text is not None and html is not None
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n").replace("&nbsp;", " ")


def test_mailed_it_is_one_mail_in_text_and_html(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    env_site = {"COMMITMENT_BOT_SITE_URL": "https://commitments.example.org"}
    with smtp_server(tmp_path) as server:
        sent = report(cli, path, sqlite_url, "--since", "2026-11-01", "--to", "trustees@example.org",
                      "--to", "chair@example.org", env={**server.env(), **env_site})
        assert sent.exit_code == 0, sent.output
    assert sorted(a for r in server.handler.received for a in r.rcpt_tos) == ["chair@example.org",
                                                                             "trustees@example.org"]
    (mail,) = server.handler.to("trustees@example.org")
    assert mail.get_content_type() == "multipart/alternative"
    # the period's events said as such, and how many are past their date in all (p-old lapsed in 2024)
    assert mail["Subject"] == ("Commitments report, 1 – 30 Nov 2026: 4 past their date in all; in the period: "
                               "3 newly past their date, 1 slipped, 1 closed, 1 with news, 3 team actions")
    text, html = parts(mail)
    assert "Still awaited: chases with no reply recorded (2)" in text
    assert "someone ran `commitment-bot report --to trustees@example.org`" in text
    assert "What the team did <span" in html and "(its own actions, not government news)" in html
    assert '<a href="https://commitments.example.org/c/p-old.html"' in html
    assert "https://commitments.example.org/c/p-old.html" in text
    assert "<strong>No answer</strong>: " in html and "asked for by 20 Nov 2026" in html


def test_a_quiet_period_s_subject_never_hides_what_is_past_its_date(cli, write_register, sqlite_url: str,
                                                                    tmp_path: Path) -> None:
    """Found in a truth audit: a period with no events was mailed as "0 past their date, 0
    slipped …" while the body counted four past their date and three overdue promises. A trustee
    reading only the subject must not be misled: it says the period's events are the period's."""
    path = write_register(REGISTER)
    out = report(cli, path, sqlite_url, "--since", "2026-12-01", "--dry-run", "--to", "trustees@example.org",
                 "--out", str(tmp_path / "preview"), now="2026-12-02T09:00")
    assert out.exit_code == 0, out.output
    (eml,) = (tmp_path / "preview").glob("*.eml")
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert mail["Subject"] == ("Commitments report, 1 Dec 2026: 4 past their date in all; in the period: "
                               "0 newly past their date, 0 slipped, 0 closed, 1 with news, 0 team actions")
    text, html = parts(mail)  # type: ignore[arg-type]
    assert "LONGEST-OVERDUE PROMISES (2 past their deadline)" in text
    assert f"<title>{mail['Subject']}</title>" in html


def test_the_report_refuses_what_it_cannot_do(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    path = write_register(REGISTER)
    bad = report(cli, path, sqlite_url, "--to", "not an address")
    assert bad.exit_code == 1 and '"not an address" is not an email address' in bad.output
    unset = report(cli, path, sqlite_url, "--to", "trustees@example.org")
    assert unset.exit_code == 1 and "SMTP_URL is not set" in unset.output and "--dry-run" in unset.output
    future = report(cli, path, sqlite_url, "--since", "2027-01-01")
    assert future.exit_code == 1 and "after today" in future.output
    nobody = report(cli, path, sqlite_url, "--dry-run")
    assert nobody.exit_code == 1 and "give --to ADDRESS, or set COMMITMENT_BOT_REPORT_TO" in nobody.output
    out = tmp_path / "preview"
    preview = report(cli, path, sqlite_url, "--dry-run", "--to", "trustees@example.org", "--out", str(out))
    assert preview.exit_code == 0, preview.output
    (eml,) = out.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert str(message["Subject"]).startswith("Commitments report, 1 – 30 Nov 2026")
    with smtp_server(tmp_path) as server:
        refused = report(cli, path, sqlite_url, "--to", "trustees@example.org",
                         env={**server.env(), "SMTP_URL": server.url().replace(str(server.port), "1")})
    assert refused.exit_code == 3 and "not sent to trustees@example.org (will retry)" in refused.output


# -- hostile text stays inert ------------------------------------------------------------------
HOSTILE_TITLES = [
    "<script>alert(1)</script> Review <b>bold</b>",
    "Review =?utf-8?q?=0D=0ABcc:_x@evil.example?=",
    "=?utf-8?b?DQpCY2M6IHhAZXZpbC5leGFtcGxl?= Review",
]


def test_hostile_register_text_is_inert_in_the_report(cli, write_register, sqlite_url: str, tmp_path: Path) -> None:
    from tests.test_hostile_text import HEADERS, STRUCTURE

    text = REGISTER
    for cid, title in zip(("p-lapsed", "p-slip", "p-news"), HOSTILE_TITLES, strict=True):
        old = re.search(rf"  - id: {cid}\n    title: (.*)\n", text).group(1)  # type: ignore[union-attr]
        text = text.replace(f"title: {old}\n", f"title: {title!r}\n".replace("'", '"'), 1)
    path = write_register(text)
    record = cli("update", "p-old", "--file", str(path), "--database", sqlite_url, "--now", "2026-11-30T09:00",
                 "--on", "2026-11-30", "--note", "<img src=x onerror=alert(2)> =?utf-8?q?=0D=0ABcc:_y@evil.example?=")
    assert record.exit_code == 0, record.output
    with smtp_server(tmp_path) as server:
        sent = report(cli, path, sqlite_url, "--since", "2026-11-01", "--to", "trustees@example.org",
                      env=server.env())
        assert sent.exit_code == 0, sent.output
    (received,) = server.handler.received
    assert received.rcpt_tos == ["trustees@example.org"]
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    assert b"evil" not in head and b"Bcc" not in head
    message = message_from_bytes(received.raw, policy=policy.default)
    assert [k for k in message.keys()] == HEADERS
    assert [p.get_content_type() for p in message.walk()] == STRUCTURE
    plain, html = parts(message)  # type: ignore[arg-type]
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Review &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    for title in HOSTILE_TITLES:
        assert title in plain  # shown as written, an encoded word stays literal text
    printed = report(cli, path, sqlite_url, "--since", "2026-11-01")
    assert "=?utf-8?q?=0D=0ABcc:_x@evil.example?=" in printed.output and "\x1b" not in printed.output


def test_control_characters_from_the_database_are_shown_as_escapes(cli, write_register, sqlite_url: str) -> None:
    """A note with control characters cannot be recorded (the CLI refuses it) but an older
    version may have stored one: the report shows it inert, as every other surface does."""
    from storage.db import connect
    from storage.repository import Store

    path = write_register(REGISTER)
    assert report(cli, path, sqlite_url).exit_code == 0  # syncs the register
    engine = connect(sqlite_url)
    try:
        Store(engine).updates.add("p-old", date(2026, 11, 29), "\x1b]0;pwned\x07\x1b[2Jcleared", None, None, None,
                                 None, None, datetime(2026, 11, 29, 10, tzinfo=LONDON))
    finally:
        engine.dispose()
    printed = report(cli, path, sqlite_url)
    assert "\x1b" not in printed.output and "\x07" not in printed.output
    assert "\\x1b]0;pwned\\x07\\x1b[2Jcleared" in printed.output


# -- schedule.report in `run` ------------------------------------------------------------------
def runner_for(path: Path, db: str, env: dict[str, str], now: str):  # type: ignore[no-untyped-def]
    from bot.shell.context import Context
    from bot.shell.scheduler import Runner, RunOptions
    from bot.shell.settings import from_env

    settings = from_env(env, cwd=path.parent)
    return Runner(RunOptions(path, settings), Context(settings, path, db), {}, lambda: at(now))


def test_schedule_report_is_a_job_of_run_only_when_set(write_register) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from bot.shell.scheduler import _add_jobs

    for schedule, has in (("", False), ('schedule: {report: "0 8 1 * *"}\n', True)):
        register = register_of(REGISTER.replace("version: 1\n", f"version: 1\n{schedule}", 1))
        scheduler = BackgroundScheduler()
        runner = runner_for(write_register(REGISTER), "sqlite://", {}, NOW)
        _add_jobs(scheduler, runner, register, catch_up=False)
        assert (scheduler.get_job("report") is not None) is has
        if has:
            assert str(scheduler.get_job("report").trigger).startswith("cron[month='*', day='1'")


def test_the_scheduled_report_goes_to_the_report_addresses_once_a_day(write_register, sqlite_url: str,
                                                                      tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from bot.shell import jobs

    path = write_register(REGISTER.replace("version: 1\n", 'version: 1\nschedule: {report: "0 8 1 * *"}\n', 1))
    with smtp_server(tmp_path) as server:
        env = {**server.env(), "COMMITMENT_BOT_REPORT_TO": "trustees@example.org, chair@example.org",
               "MAINTAINER_EMAIL": "keeper@example.org"}
        jobs.report(runner_for(path, sqlite_url, env, NOW))
        jobs.report(runner_for(path, sqlite_url, env, "2026-12-01T09:05"))  # a second replica, or a double fire
        jobs.report(runner_for(path, sqlite_url, {**server.env(), "MAINTAINER_EMAIL": "keeper@example.org"}, NOW))
        with caplog.at_level(logging.ERROR, logger="commitment-bot.run"):
            jobs.report(runner_for(path, sqlite_url, server.env(), NOW))
    assert sorted(a for r in server.handler.received for a in r.rcpt_tos) == [
        "chair@example.org", "keeper@example.org", "trustees@example.org"]
    (mail,) = server.handler.to("keeper@example.org")
    assert "COMMITMENT_BOT_REPORT_TO (or MAINTAINER_EMAIL) names keeper@example.org" in parts(mail)[0]
    assert "report failed: no address to send the report to" in caplog.text


def test_a_recurring_commitment_is_counted_once() -> None:
    """A recurring commitment is counted once, by its most urgent period (as `status` does)."""
    text = REGISTER + """\
  - id: funding
    title: Fund each year
    owner: Home Office
    type: expectation
    made_on: 2022-04-01
    due: 2022-23
    recurs: financial-year
"""
    r = build_report(register_of(text), {}, {}, at(NOW), date(2026, 11, 1))
    assert r.totals == (5, 1, 2) and r.total == 8
    assert sum(counts[2] for _, counts in r.counts) == 2  # its five periods are one expectation


def test_evidence_with_no_title_is_its_link_alone(cli, write_register, sqlite_url: str) -> None:
    """Found in review: "evidence:  https://…" with two spaces where the source has no title."""
    path = write_register(REGISTER.replace('source: {title: Press release, url: "https://example.org/press"}',
                                           'source: {url: "https://example.org/press"}'))
    result = report(cli, path, sqlite_url, "--since", "2026-11-01")
    assert result.exit_code == 0, result.output
    assert "* Fund the service (p-done): delivered: news of 20 Nov 2026; evidence: https://example.org/press" in result.output


def test_a_chase_answered_by_its_question_s_answer_dated_before_it_is_not_awaited() -> None:
    """Audit: HL1234 answered on 10 Dec, recorded as chased on 12 Dec. The answer (its source is the
    question's own page) answers the chase whatever its date (bot.decide.holds.answer); a letter
    of the same day has no reply recorded and is still awaited."""
    text = REGISTER.split("  - id: p-lapsed")[0] + """\
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2025-06-30
    updates:
      - {date: 2025-12-10, note: HL1234 answered on 10 Dec 2025, source: {url: "https://questions-statements.parliament.uk/written-questions/detail/2025-12-01/HL1234"}}
    actions:
      - {date: 2025-12-12, kind: chase, how: written-question, ref: HL1234, reply_due: 2025-12-29}
      - {date: 2025-12-12, kind: chase, how: letter, ref: HL1234, reply_due: 2026-01-12}
"""
    r = build_report(register_of(text), {}, {}, at("2025-12-30T09:00"), date(2025, 12, 1))
    assert [(a.how, a.answered_on) for a in r.actions] == [("written-question", date(2025, 12, 10)),
                                                           ("letter", None)]
    assert [a.how for a in r.awaited] == ["letter"]
    assert [e.chased_on for e in r.news] == [None]  # news before the chase is not "the first news since" it


def test_a_slip_says_the_words_it_set_and_now_only_for_words_still_in_force(cli, write_register,
                                                                            sqlite_url: str) -> None:
    """Audit: the Protocol's first slip (9 Aug 2022, "autumn 2022") read 'now "autumn 2022"' while the
    words in force were "later this year" (31 Jul 2023), and the delivered evaluation's slip read
    'now "early 2023"'. SPEC §7.1: a quote is only ever shown as the words of the period it covers."""
    path = write_register("""\
version: 1
commitments:
  - id: mvp
    title: Implement the Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August 2022
    updates:
      - {date: 2022-08-09, note: Now autumn., due: autumn 2022, said_by: Priti Patel, source: {title: Letter to the Chair}}
      - {date: 2023-07-31, note: Now later this year., due: later this year, said_by: Lord Murray of Blidworth, source: {title: Written answer HL9622}}
  - id: eval
    title: Publish the evaluation
    owner: Home Office
    made_on: 2022-02-21
    due: end August 2022
    updates:
      - {date: 2023-01-03, note: Now early 2023., due: early 2023, said_by: Lord Sharpe of Epsom, source: {title: Written answer HL4287}}
      - {date: 2023-08-04, note: Published., status: delivered, source: {title: Evaluation, url: "https://example.org/e"}}
""")
    out = report(cli, path, sqlite_url, "--since", "2022-08-01", now="2026-12-07").output
    slipped = out.split("Slipped (3)")[1].split("Delivered")[0]
    assert ("* Implement the Protocol (mvp): moved on 9 Aug 2022 from 31 Aug 2022 to 30 Nov 2022, in the words "
            "“autumn 2022”: Priti Patel, 9 Aug 2022 (Letter to the Chair)\n") in slipped, slipped
    assert ("* Publish the evaluation (eval): moved on 3 Jan 2023 from 31 Aug 2022 to 30 Apr 2023, in the words "
            "“early 2023”: Lord Sharpe of Epsom, 3 Jan 2023 (Written answer HL4287)\n") in slipped, slipped
    assert ("* Implement the Protocol (mvp): moved on 31 Jul 2023 from 30 Nov 2022 to 31 Dec 2023; now “later this "
            "year”: Lord Murray of Blidworth, 31 Jul 2023 (Written answer HL9622)\n") in slipped, slipped
    assert slipped.count("now “") == 1


@pytest.mark.parametrize(("since", "said"), [
    ("2026-12-01", "The whole register as at 1 Dec 2026. The period starts on 1 Dec 2026: what happens that day "
                   "goes in the next report."),
    ("2026-11-30", "The whole register as at 1 Dec 2026, and what happened on 30 Nov 2026."),
    ("2026-11-01", "The whole register as at 1 Dec 2026, and what happened in the days 1 – 30 Nov 2026."),
])
def test_the_period_is_said_in_plain_words_however_long(cli, write_register, sqlite_url: str, since: str,
                                                        said: str) -> None:
    """Audit: `report --since` today printed "what happened in the days as at 7 Dec 2026"."""
    out = report(cli, write_register(REGISTER), sqlite_url, "--since", since).output
    assert said in out, out.splitlines()[:3]
    assert "in the days as at" not in out


def test_untitled_evidence_in_the_mailed_report_reads_by_host_and_path() -> None:
    """Found in review: the trustees' HTML mail showed evidence with no title as its raw address."""
    from notifiers.email.messages import ENV

    macro = ENV.from_string('{{ "https://www.example.org/answer" | link_text }}')
    assert macro.render() == "example.org/answer"
