"""Leads reach people whole (SPEC §7.4, issue 21 item 6, issue 26 item 4): in a busy Slack channel
every lead is posted with its title, date, link, snippet and buttons, in its commitment's thread;
a lead naming several commitments is posted once per channel with a confirm for each; the console
says what was found first; a person chooses the commitment a lead is confirmed for; the digest
lists a lead once; `watch` ends with a summary line and exits 2 when no source answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.decide.alerts import Alert, LeadView, lead_alert
from bot.decide.digest import build_digest, read_book
from bot.decide.timeline import tracks
from bot.shell.cli import main
from bot.shell.cli.watch import leads, watch
from bot.shell.registerfile import load_texts
from bot.shell.sandbox.slack import SlackState
from bot.shell.sandbox.ukapis import Doc, Reply, UkApis, govuk_engine
from bot.shell.settings import Settings
from notifiers.console import render
from notifiers.email.messages import alert_message as alert_message_mail
from notifiers.email.messages import digest_message, mail_setup
from notifiers.slack.blocks import alert_message
from notifiers.slack.summary import summary_message
from tests.standins import make_alert, running_slack, slack_env  # noqa: F401

for command in (watch, leads):
    if command.name not in main.commands:
        main.add_command(command)

LONDON = ZoneInfo("Europe/London")
SEARCH = "/api/search.json"


NAMES = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")  # one query word each


def _watched(n: int) -> str:
    items = "".join(f"""
  - id: promise-{i}
    title: Publish the {NAMES[i]} review
    owner: Home Office
    made_on: 2022-01-01
    due: 2022-08-{i + 1:02d}
    watch: {{govuk: {{query: {NAMES[i]}}}}}
""" for i in range(n))
    return f"""version: 1
timezone: Europe/London
defaults: {{grace: 0 days, heads_up: 0 days}}
routes:
  - slack: ["#mvp-watch"]
commitments:{items}"""


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        server.routes[SEARCH] = govuk_engine([
            Doc(f"/government/news/{name}", f"The {name} review", f"The {name} review is out: read it here.",
                "2022-08-20T09:00:00Z") for name in NAMES])
        yield server


def _env(apis: UkApis, slack: SlackState | None = None) -> dict[str, str]:
    env = {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
           "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    return {**env, **slack_env(slack, SLACK_SIGNING_SECRET="not-a-secret")} if slack else env


def test_every_lead_reaches_a_busy_channel_whole_with_its_buttons(cli, write_register, slack: SlackState,  # type: ignore[no-untyped-def]
                                                                   apis: UkApis, sqlite_url: str) -> None:
    write_register(_watched(8))
    env = _env(apis, slack)
    # 3 Aug: promise-0 and promise-1 have lapsed: two messages, two threads
    assert cli("check", "--now", "2022-08-03T09:00", "--database", sqlite_url, env=env).exit_code == 0
    threads = {m.metadata["event_payload"]["commitment"]: m.ts for m in slack.top_level()}  # type: ignore[index]
    result = cli("watch", "--now", "2022-09-03T09:00", "--database", sqlite_url, "--json", env=env)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)["leads"]
    assert len(found) == 8  # more than five for #mvp-watch in one run
    for lead in found:
        posted = [m for m in slack.posted("#mvp-watch") if (m.metadata or {}).get("event_payload", {}).get("ident")
                  == f"lead|{lead['commitment']}||{lead['url']}"]
        assert len(posted) == 1, lead
        (m,) = posted
        text = json.dumps(m.blocks)
        assert lead["title"] in text and lead["url"] in text and "published 20 Aug 2022" in text
        assert "is out: read it here" in text  # the snippet
        buttons = [e for b in m.blocks or [] if b["type"] == "actions" for e in b["elements"]]
        assert {(e["action_id"], json.loads(e["value"])["lead"]) for e in buttons} == {
            ("confirm_lead", lead["id"]), ("dismiss_lead", lead["id"])}
        if lead["commitment"] in threads:
            assert m.thread_ts == threads[lead["commitment"]]  # in the commitment's thread
    assert not [m for m in slack.posted() if (m.metadata or {}).get("event_payload", {}).get("kind") == "summary"]


def test_a_summary_says_the_leads_went_whole_to_their_threads() -> None:
    summary = summary_message([(make_alert(id=f"p{i}"), None) for i in range(6)], leads=3)
    assert "Also 3 leads (possible news, not yet confirmed)" in json.dumps(summary.message.blocks)


LEAD = LeadView(7, "Migrant Victims Protocol: guidance", "https://www.gov.uk/government/publications/mvp",
                "2026-11-20", "govuk", "Guidance for practitioners.",
                (("mvp", "Implement the protocol"), ("mvp-engage", "Engage stakeholders on the protocol")))


def _lead_alert(lead: LeadView = LEAD, due: str = "2027") -> Alert:
    loaded = load_texts([("c.yaml", f"""\
version: 1
commitments:
  - id: mvp
    title: Implement the protocol
    owner: Home Office
    made_on: 2022-02-21
    due: {due}
""")])
    assert loaded.register is not None, loaded.problems
    track = tracks(loaded.register.commitments[0], (), date(2026, 12, 1))[-1]
    return lead_alert(track, lead, date(2026, 12, 1), ("slack:#mvp-watch",))


def test_a_lead_naming_several_commitments_has_a_confirm_for_each() -> None:
    alert = _lead_alert()
    assert Alert.from_dict(json.loads(json.dumps(alert.to_dict()))) == alert
    message = alert_message(alert, interactive=True)
    assert message.blocks[0]["text"]["text"] == "🔎 Lead: Migrant Victims Protocol: guidance"
    text = json.dumps(message.blocks)
    assert "It may also answer" in text and "Engage stakeholders on the protocol" in text and "mvp-engage" in text
    buttons = [(e["action_id"], json.loads(e["value"])["id"]) for b in message.blocks if b["type"] == "actions"
               for e in b["elements"]]
    assert buttons == [("confirm_lead", "mvp"), ("confirm_lead", "mvp-engage"), ("dismiss_lead", "mvp-engage")]
    plain = alert_message(alert, interactive=False)
    assert "leads confirm 7 --commitment mvp" in json.dumps(plain.blocks)


def test_console_leads_say_what_was_found_first() -> None:
    """Three leads on one promise read differently from their first line; an open-ended promise
    is open-ended, not "deadline withdrawn"."""
    shown = [render(_lead_alert(LeadView(i, f"Find number {i}", f"https://www.gov.uk/x/{i}", f"2026-11-2{i}",
                                         "parliament-question", f"Passage {i}")))
             for i in range(3)]
    assert len({s.splitlines()[0] for s in shown}) == 3
    first = shown[0].splitlines()
    assert first[0] == "[LEAD] Find number 0"
    assert first[1] == "  published 20 Nov 2026 · written question · https://www.gov.uk/x/0"
    assert '"Passage 0"' in shown[0] and "leads confirm 0" in shown[0]
    open_ended = render(_lead_alert(due="in due course"))
    assert "withdrawn" not in open_ended and "open-ended, no deadline" in open_ended
    assert "  or: Engage stakeholders on the protocol (mvp-engage)" in open_ended
    assert "leads confirm 7 --commitment mvp" in open_ended


SEVERAL = """\
version: 1
routes:
  - email: [coord@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2027
    watch: {govuk: {query: migrant victims protocol}}
  - id: mvp-engage
    title: Engage stakeholders on the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2027
    watch: {govuk: {query: migrant victims protocol}}
"""


def test_a_person_chooses_the_commitment_a_lead_is_confirmed_for(cli, write_register, apis: UkApis) -> None:  # type: ignore[no-untyped-def]
    apis.routes[SEARCH] = govuk_engine([Doc("/government/publications/mvp", "Migrant Victims Protocol published",
                                            "The Migrant Victims Protocol.", "2026-11-20T09:30:00Z")])
    write_register(SEVERAL)
    now = "2026-12-01T07:00"
    assert cli("watch", "--now", now, env=_env(apis)).exit_code == 0
    (lead,) = json.loads(cli("leads", "--json", env=_env(apis)).stdout)
    assert lead["commitments"] == ["mvp", "mvp-engage"] and lead["commitment"] == "mvp"
    unsure = cli("leads", "confirm", str(lead["id"]), "--now", now, env=_env(apis))
    assert unsure.exit_code == 1 and "--commitment" in unsure.stderr and "mvp-engage" in unsure.stderr
    wrong = cli("leads", "confirm", str(lead["id"]), "--commitment", "other", "--now", now, env=_env(apis))
    assert wrong.exit_code == 1 and "does not name other" in wrong.stderr
    done = cli("leads", "confirm", str(lead["id"]), "--commitment", "mvp-engage", "--now", now, env=_env(apis))
    assert done.exit_code == 0, done.output
    (after,) = json.loads(cli("leads", "--json", env=_env(apis)).stdout)
    assert after["state"] == "confirmed"
    assert [(a["commitment"], a["update_id"] is not None) for a in after["answers"]] == [
        ("mvp", False), ("mvp-engage", True)]
    assert "Migrant Victims Protocol published" in cli("history", "mvp-engage", "--now", now, env=_env(apis)).stdout
    assert "Migrant Victims Protocol published" not in cli("history", "mvp", "--now", now, env=_env(apis)).stdout


def test_the_digest_lists_a_lead_once_naming_every_commitment() -> None:
    loaded = load_texts([("c.yaml", SEVERAL)])
    assert loaded.register is not None
    lead = LeadView(3, "Migrant Victims Protocol published", "https://www.gov.uk/government/publications/mvp",
                    "2026-11-20", "govuk", None, (("mvp-engage", "Engage"), ("mvp", "Implement")))
    found = (date(2026, 11, 27), lead)
    book = read_book(loaded.register, {}, datetime(2026, 11, 30, 8, tzinfo=LONDON),
                     leads={"mvp": [found], "mvp-engage": [found]})
    digest = build_digest(book, "coord@example.org", None)
    (section,) = digest.sections
    assert [(i.id, i.lead) for i in section.items] == [("mvp-engage", lead)]  # under the first it names
    mail = digest_message(mail_setup(Settings(email_from="bot@example.org")), digest)
    for part in ("plain", "html"):
        body = mail.get_body((part,)).get_content()  # type: ignore[union-attr]
        assert body.count("Migrant Victims Protocol published") == 1 and "It may also answer: Implement (mvp)" in body


def test_a_lead_mail_names_the_other_commitments_once() -> None:
    mail = alert_message_mail(mail_setup(Settings(email_from="bot@example.org")), "coord@example.org", [_lead_alert()])
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.count("https://www.gov.uk/government/publications/mvp") == 1
    assert "or: Engage stakeholders on the protocol (mvp-engage)" in text
    assert "It may also answer: Engage stakeholders on the protocol (mvp-engage)" in html


def test_watch_ends_with_a_summary_and_exits_2_when_no_source_answers(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(SEVERAL)
    with UkApis() as closed:
        url = closed.url
    env = {"GOVUK_API_URL": url, "PARLIAMENT_QUESTIONS_API_URL": url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
           "COMMITMENT_BOT_HTTP_INTERVAL": "0"}
    result = cli("watch", "--now", "2026-12-01T07:00", env=env)
    assert result.exit_code == 2, result.output
    assert "watched 2 commitments" in result.stderr and "(0 of 2 answered)" in result.stderr
    assert "no source could be reached" in result.stderr


def test_watch_exits_0_when_some_source_answers(cli, write_register, apis: UkApis) -> None:  # type: ignore[no-untyped-def]
    write_register(SEVERAL.replace("    watch: {govuk: {query: migrant victims protocol}}\n",
                                   f"    watch: {{pages: ['{apis.url}/page']}}\n", 1))
    apis.routes[SEARCH] = Reply(404, "gone")
    apis.routes["/page"] = Reply(200, "<html><main>The protocol</main></html>")
    result = cli("watch", "--now", "2026-12-01T07:00", env=_env(apis))
    assert result.exit_code == 0, result.output
    assert "(1 of 2 answered)" in result.stderr and "warning: mvp-engage: GOV.UK search" in result.stderr
