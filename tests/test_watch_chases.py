"""The loop closes itself (SPEC §7.5; issue 24 item 3): a written question the team chased is
looked up by its reference through the Parliament questions API (the local stand-in,
bot/shell/sandbox/ukapis.py), and its answer arrives as a lead on the commitment for a person to
confirm as an update, which answers the chase.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from bot.shell.cli import main
from bot.shell.cli.watch import leads, watch
from bot.shell.sandbox.ukapis import Question, Tabled, UkApis, questions_by_uin, questions_engine
from bot.shell.watch.answers import answer_snippet, reference

for command in (watch, leads):  # registered by the group in the product; added here if not yet
    if command.name not in main.commands:
        main.add_command(command)

QUESTIONS = "/api/writtenquestions/questions"
REGISTER = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: 2025-06-30
    source: {title: Letter to Baroness Meacher, quote: "by end June."}
"""
WATCHED = REGISTER + '    watch: {parliament: {query: "Migrant Victims Protocol"}}\n'
# Longer than the 255 characters the list gives, so the stand-in cuts it mid-word as the API does.
ANSWER = ("<p>The Migrant Victims Protocol pilot has been evaluated. The Government will publish the evaluation "
          "and its response together in the new year, and will set out then how the protocol is to be implemented "
          "by every police force in England and Wales, with guidance for officers and for the Home Office's "
          "immigration enforcement teams.</p>")
HL1234 = Tabled("HL1234", "Lords", "2025-12-01", answered="2025-12-10", answer=ANSWER)


def env(apis: UkApis) -> dict[str, str]:
    return {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
            "COMMITMENT_BOT_CONTACT": "team@example.org", "COMMITMENT_BOT_HTTP_INTERVAL": "0"}


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        yield server


def chase(cli, ref: str, day: str = "2025-12-01", house: str = "lords"):  # type: ignore[no-untyped-def]
    done = cli("chase", "mvp", "--how", "written-question", "--house", house, "--ref", ref, "--reply-due",
               "2025-12-15", "--by", "A. Advocate", "--now", f"{day}T10:00")
    assert done.exit_code == 0, done.output
    return done


def by_uin(apis: UkApis) -> list[dict[str, list[str]]]:
    return [s.query for s in apis.requests(QUESTIONS) if "uIN" in s.query]


def kinds(cli, apis: UkApis, now: str, *flags: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("check", "--json", *flags, "--now", now, env=env(apis))
    assert result.exit_code == 0, result.output
    return [n["kind"] for n in json.loads(result.stdout)["notifications"]]


def test_a_chased_questions_answer_is_a_lead_and_confirming_it_answers_the_chase(cli, apis: UkApis,
                                                                                   write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)  # no `watch:` at all: the chase is enough
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    chase(cli, "HL1234")
    found = cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis))
    assert found.exit_code == 0, found.output
    report = json.loads(found.stdout)
    [lead] = report["leads"]
    assert (lead["commitment"], lead["title"], lead["published"], lead["source"]) == \
        ("mvp", "HL1234 answered on 10 Dec 2025", "2025-12-10", "parliament-question")
    assert lead["url"] == apis.url + "/written-questions/detail/2025-12-01/HL1234"  # the question's own page
    assert lead["snippet"].startswith("The Migrant Victims Protocol pilot has been evaluated. The Government will")
    assert lead["snippet"].endswith(" in England and Wales, with…")  # the list's "with guida..." loses its broken word
    assert "<p>" not in lead["snippet"] and lead["answers"] == [{"commitment": "mvp", "score": None,
                                                                 "update_id": None}]
    assert found.stderr.count("[LEAD]") == 1 and "HL1234 answered on 10 Dec 2025" in found.stderr
    assert "watched 0 commitments and 1 chased question: 1 requests" in found.stderr
    assert "not answered yet" not in found.stderr
    [asked] = by_uin(apis)
    assert asked["uIN"] == ["HL1234"] and asked["house"] == ["Lords"]
    assert asked["tabledWhenFrom"] == ["2025-09-02"] and asked["tabledWhenTo"] == ["2025-12-08"]

    again = cli("watch", "--json", "--now", "2025-12-16T07:30", env=env(apis))
    assert json.loads(again.stdout)["leads"] == [] and "[LEAD]" not in again.stderr  # posted once
    assert len(by_uin(apis)) == 2  # still asked: nobody has confirmed it yet

    assert "reply-overdue" in kinds(cli, apis, "2025-12-16T09:00", "--dry-run")  # until a person confirms it
    confirmed = cli("leads", "confirm", str(lead["id"]), "--by", "A. Advocate", "--now", "2025-12-16T08:00",
                    env=env(apis))
    assert confirmed.exit_code == 0, confirmed.output
    told = kinds(cli, apis, "2025-12-16T09:00")
    assert "reply-overdue" not in told and "news" in told, told
    history = cli("history", "mvp", "--now", "2025-12-16T09:00", env=env(apis)).output
    assert "HL1234 answered on 10 Dec 2025" in history
    cli("watch", "--now", "2025-12-17T07:00", env=env(apis))
    assert len(by_uin(apis)) == 2  # answered: not asked again


def test_an_unanswered_question_stores_nothing_and_is_counted(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    chase(cli, "HL1234")
    early = cli("watch", "--json", "--now", "2025-12-09T07:00", env=env(apis))  # answered on the 10th
    assert early.exit_code == 0, early.output
    report = json.loads(early.stdout)
    assert report["leads"] == [] and report["not_answered_yet"] == 1 and report["problems"] == []
    assert "1 chased question not answered yet" in early.stderr and "[LEAD]" not in early.stderr
    assert json.loads(cli("leads", "--json", env=env(apis)).stdout) == []


@pytest.mark.parametrize("tabled", [
    Tabled("HL1234", "Lords", "2025-12-01"),  # no answer yet
    Tabled("HL1234", "Lords", "2025-12-01", answered="2025-12-10", answer="<p>I will reply as soon as possible.</p>",
           holding=True),  # a holding answer is not the answer
])
def test_a_question_with_no_answer_yet_is_waited_for(cli, apis: UkApis, write_register, tabled: Tabled) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([tabled])
    chase(cli, "HL1234")
    report = json.loads(cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis)).stdout)
    assert report["leads"] == [] and report["not_answered_yet"] == 1


@pytest.mark.parametrize(("ref", "says", "asked"), [
    ("HL4321", "mvp: written question HL4321: Parliament's questions API knows no Lords question HL4321 tabled "
               "from 2025-09-02 to 2025-12-08: is the reference right?", 1),
    ("PQ/99", "mvp: written question PQ/99: not a reference Parliament's questions API is asked by (HL1234 in "
              "the Lords, 12345 in the Commons): its answer is not looked for", 0),
])
def test_a_reference_the_api_does_not_know_is_a_warning(cli, apis: UkApis, write_register, ref: str, says: str,
                                                        asked: int) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    chase(cli, ref)
    result = cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["problems"] == [says] and f"warning: {says}" in result.stderr
    assert report["leads"] == [] and report["not_answered_yet"] == 0 and len(by_uin(apis)) == asked


def test_a_withdrawn_question_is_said_so(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([Tabled("HL1234", "Lords", "2025-12-01", withdrawn=True)])
    chase(cli, "HL1234")
    report = json.loads(cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis)).stdout)
    assert report["problems"] == ["mvp: written question HL1234 was withdrawn in the Lords: it will not be answered"]


def test_a_commons_question_of_another_session_with_the_same_number_is_not_the_teams(cli, apis: UkApis,
                                                                                     write_register) -> None:  # type: ignore[no-untyped-def]
    """Commons UINs start again each session: the one tabled nearest the chase is the team's."""
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([
        Tabled("12345", "Commons", "2025-09-03", answered="2025-09-10", answer="<p>Last session's answer.</p>"),
        Tabled("12345", "Commons", "2025-11-30", answered="2025-12-08", answer="<p>This session's answer.</p>"),
        Tabled("12345", "Lords", "2025-11-30", answered="2025-12-02", answer="<p>Not a Lords number.</p>")])
    chase(cli, "12345", house="commons")
    [lead] = json.loads(cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis)).stdout)["leads"]
    assert (lead["title"], lead["snippet"]) == ("12345 answered on 8 Dec 2025", "This session's answer.")
    assert by_uin(apis)[0]["house"] == ["Commons"]


def test_a_question_the_search_also_found_is_one_lead(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(WATCHED)
    search = questions_engine([Question("HL1234", "Migrants: Domestic Abuse", "To ask His Majesty's Government "
                                        "when the Migrant Victims Protocol will be implemented.", ANSWER,
                                        "2025-12-10", tabled="2025-12-01")])
    apis.routes[QUESTIONS] = questions_by_uin([HL1234], search)
    chase(cli, "HL1234")
    result = cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis))
    report = json.loads(result.stdout)
    assert len(by_uin(apis)) == 1 and len(apis.requests(QUESTIONS)) == 2  # the search asked too, and found it
    [lead] = report["leads"]
    assert lead["title"] == "HL1234 answered on 10 Dec 2025" and lead["commitments"] == ["mvp"]
    assert result.stderr.count("[LEAD]") == 1 and report["hits"] == 1
    again = json.loads(cli("watch", "--json", "--now", "2025-12-17T07:00", env=env(apis)).stdout)
    assert again["leads"] == [] and again["named"] == []  # it gains nothing twice


def test_a_question_the_search_found_first_gains_the_chase_once(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    """Found by the general search for one commitment, then chased for another: the same lead,
    now naming both, told once to the thread that had not had it."""
    write_register(WATCHED + """\
  - id: guidance
    title: Publish guidance for police on migrant victims
    owner: Home Office
    made_on: 2022-02-21
    due: 2025-06-30
    source: {title: Letter to Baroness Meacher, quote: "by end June."}
""")
    search = questions_engine([Question("HL1234", "Migrants: Domestic Abuse", "To ask His Majesty's Government "
                                        "when the Migrant Victims Protocol will be implemented.", ANSWER,
                                        "2025-12-10", tabled="2025-12-01")])
    apis.routes[QUESTIONS] = questions_by_uin([HL1234], search)
    [first] = json.loads(cli("watch", "--json", "--now", "2025-12-11T07:00", env=env(apis)).stdout)["leads"]
    assert first["title"].startswith("Written question HL1234") and first["commitments"] == ["mvp"]
    done = cli("chase", "guidance", "--how", "written-question", "--house", "lords", "--ref", "HL1234",
               "--reply-due", "2025-12-20", "--now", "2025-12-01T10:00", env=env(apis))
    assert done.exit_code == 0, done.output
    later = cli("watch", "--json", "--now", "2025-12-12T07:00", env=env(apis))
    report = json.loads(later.stdout)
    assert report["leads"] == [] and [x["commitments"] for x in report["named"]] == [["mvp", "guidance"]]
    assert [x["id"] for x in report["named"]] == [first["id"]]


@pytest.mark.parametrize(("ref", "read"), [
    ("HL1234", ("HL1234", "Lords")), ("hl 1234", ("HL1234", "Lords")), ("12345", ("12345", "Commons")),
    (" 7926 ", ("7926", "Commons")), ("HL", None), ("PQ/99", None), ("HLX12", None), ("1234567890", None),
])
def test_a_reference_names_its_house_by_its_form(ref: str, read: tuple[str, str] | None) -> None:
    assert reference(ref) == read


@pytest.mark.parametrize(("text", "snippet"), [
    ("<p>Short &amp; plain.</p>", "Short & plain."),
    ("x" * 250 + " the list cut it mid-wo...", "x" * 250 + " the list cut it…"),
    ("<p>A\x1b[2J line</p>", "A\\x1b[2J line"),  # inert: a terminal sees the escape, not a control
    (" ".join(["word"] * 200), " ".join(["word"] * 120) + "…"),  # longer than the snippet: a whole word
    ("", None), (None, None),
])
def test_an_answers_snippet_is_plain_inert_and_ends_at_a_word(text: str | None, snippet: str | None) -> None:
    got = answer_snippet(text)
    assert got == snippet
    assert got is None or len(got) <= 600


def test_a_chase_in_the_register_file_is_looked_for_too(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER + "    actions:\n      - {date: 2025-12-01, kind: chase, how: written-question, "
                              "ref: HL1234, reply_due: 2025-12-15}\n"
                              "      - {date: 2025-12-01, kind: chase, how: letter, ref: HL1234}\n")
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    report = json.loads(cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis)).stdout)
    assert [x["title"] for x in report["leads"]] == ["HL1234 answered on 10 Dec 2025"]
    assert len(by_uin(apis)) == 1  # once a pass per reference; a letter's reference is not a question's
    assert report["watched"] == 0 and report["chased_questions"] == 1
    assert date.fromisoformat(report["leads"][0]["published"]) == date(2025, 12, 10)


def test_without_a_chase_nothing_is_asked_by_reference(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    result = cli("watch", "--json", "--now", "2025-12-16T07:00", env=env(apis))
    assert result.exit_code == 0 and by_uin(apis) == [] and "chased question" not in result.stderr


def test_a_question_answered_before_the_chase_was_recorded_is_answered(cli, apis: UkApis,
                                                                       write_register) -> None:  # type: ignore[no-untyped-def]
    """Audit: HL1234, tabled 1 Dec and answered 10 Dec, recorded as chased on 12 Dec. The confirmed
    answer (dated 10 Dec, before the chase) is the answer to that chase's own question: the chase
    is answered, so no `reply-overdue`, no lapse held for it, and the report does not list it as
    still awaited."""
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([HL1234])
    done = cli("chase", "mvp", "--how", "written-question", "--ref", "HL1234", "--now", "2025-12-12T10:00")
    assert done.exit_code == 0 and "reply due 31 Dec 2025" in done.output, done.output
    [lead] = json.loads(cli("watch", "--json", "--now", "2025-12-13T07:00", env=env(apis)).stdout)["leads"]
    assert lead["title"] == "HL1234 answered on 10 Dec 2025"
    confirmed = cli("leads", "confirm", str(lead["id"]), "--by", "A", "--now", "2025-12-13T08:00", env=env(apis))
    assert confirmed.exit_code == 0, confirmed.output
    assert "reply-overdue" not in kinds(cli, apis, "2026-01-02T09:00", "--dry-run")
    shown = cli("check", "--dry-run", "--now", "2026-01-02T09:00", env=env(apis)).output
    assert "to written question HL1234 has been recorded" not in shown, shown
    report = cli("report", "--since", "2025-12-01", "--now", "2026-01-02", env=env(apis)).output
    assert "Still awaited: chases with no reply recorded (0)" in report, report
    cli("watch", "--now", "2026-01-03T07:00", env=env(apis))
    assert len(by_uin(apis)) == 1  # answered: not asked again


def test_an_answer_the_watch_posted_is_not_said_to_be_missing(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    """Found in review: HL1234, tabled 2 Dec 2025 and answered 12 Dec; the watch of 17 Dec posted
    "HL1234 answered on 12 Dec 2025" as a lead, and the check two hours later still said "No answer
    to written question HL1234 has been recorded". While the lead is open, the reminder says the
    answer is there to confirm, and how; once confirmed there is none; dismissed, it says no answer
    is recorded again."""
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([Tabled("HL1234", "Lords", "2025-12-02", answered="2025-12-12",
                                                      answer=ANSWER)])
    done = cli("chase", "mvp", "--how", "written-question", "--ref", "HL1234", "--now", "2025-12-02T10:00")
    assert done.exit_code == 0 and "reply due 16 Dec 2025" in done.output, done.output
    [lead] = json.loads(cli("watch", "--json", "--now", "2025-12-17T07:00", env=env(apis)).stdout)["leads"]
    assert lead["title"] == "HL1234 answered on 12 Dec 2025"
    shown = cli("check", "--dry-run", "--now", "2025-12-17T09:00", env=env(apis)).output
    n = lead["id"]
    assert (f"HL1234 was answered on Fri 12 Dec 2025 (lead {n}, not yet confirmed): it waits for someone to confirm "
            "it as the answer, or dismiss it if it is not (recorded as chased on Tue 2 Dec 2025, reply due Tue 16 Dec "
            "2025).") in shown, shown
    assert f"confirm the answer: commitment-bot leads confirm {n}" in shown, shown  # the console's way to record it
    assert "to written question HL1234 has been recorded" not in shown
    dismissed = cli("leads", "dismiss", str(n), "--now", "2025-12-17T10:00", env=env(apis))
    assert dismissed.exit_code == 0, dismissed.output
    shown = cli("check", "--dry-run", "--now", "2025-12-17T11:00", env=env(apis)).output
    assert "No answer from Home Office to written question HL1234 has been recorded" in shown, shown
    assert "when the reply comes, record it: commitment-bot chase mvp --replied HL1234" in shown  # the console's reader has the CLI


def test_a_confirmed_answer_keeps_its_words_and_who_gave_them(cli, apis: UkApis, write_register) -> None:  # type: ignore[no-untyped-def]
    """Found in review: confirming "HL1234 answered on 12 Dec 2025" recorded only that title as the
    note: the answer's words (the lead's snippet) and the answering minister were lost. The watch
    asks for the member (expandMember, the swagger's MemberViewModel `name`); the update quotes the
    answer and names who gave it (SPEC §7.2), and a draft cites it as that written answer."""
    write_register(REGISTER)
    apis.routes[QUESTIONS] = questions_by_uin([Tabled("HL1234", "Lords", "2025-12-02", answered="2025-12-12",
                                                      answer=ANSWER, answered_by="Lord Hanson of Flint")])
    assert cli("chase", "mvp", "--how", "written-question", "--ref", "HL1234", "--now", "2025-12-02T10:00").exit_code == 0
    [lead] = json.loads(cli("watch", "--json", "--now", "2025-12-17T07:00", env=env(apis)).stdout)["leads"]
    assert all(s.query.get("expandMember") == ["true"] for s in apis.requests(QUESTIONS) if "uIN" in s.query)
    assert lead["title"] == "HL1234 answered on 12 Dec 2025 by Lord Hanson of Flint"
    confirmed = cli("leads", "confirm", str(lead["id"]), "--by", "A", "--now", "2025-12-17T08:00", env=env(apis))
    assert confirmed.exit_code == 0, confirmed.output
    story = json.loads(cli("history", "mvp", "--json", "--now", "2025-12-17T09:00").stdout)
    [update] = story["updates"]
    assert update["note"].startswith("HL1234 answered on 12 Dec 2025: “The Migrant Victims Protocol pilot has been "
                                     "evaluated."), update
    assert update["note"].endswith("…”") and update["said_by"] == "Lord Hanson of Flint"
    drafted = cli("draft", "mvp", "--as", "written-question", "--house", "lords", "--now", "2025-12-18T10:00").output
    assert ("To ask His Majesty's Government, further to the Written Answer by Lord Hanson of Flint on 12 December "
            "2025 (HL1234), ") in drafted, drafted
    assert "“The Migrant Victims Protocol pilot has been evaluated." in drafted
    assert "Written answer HL1234" in drafted


def test_an_answer_lead_s_default_note_quotes_the_answer() -> None:
    from bot.shell.watch.answers import as_update

    assert as_update("HL1234 answered on 12 Dec 2025 by Lord Hanson of Flint", "We will publish.",
                     "parliament-question") == ("HL1234 answered on 12 Dec 2025: “We will publish.”", "Lord Hanson of Flint")
    assert as_update("12345 answered on 3 Mar 2026", None, "parliament-question") == ("12345 answered on 3 Mar 2026", None)
    assert as_update("Migrants: Domestic Abuse", "x", "parliament-question") == ("Migrants: Domestic Abuse", None)
    assert as_update("HL1234 answered on 12 Dec 2025 by X", "x", "govuk") == ("HL1234 answered on 12 Dec 2025 by X", None)
