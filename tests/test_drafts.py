"""Drafts of a chase (SPEC §7.5): golden texts for the shipped register's lapsed MVP promise in each
form and House, the House's own form for every open commitment, and the words of each type.

The golden files (tests/golden/drafts/) are reviewed text: the question forms follow Erskine May
22.4, the Lords Companion 5.12-5.14 and 5.36-5.37, and real tabled questions ("To ask the Secretary
of State for the Home Department, ..." in the Commons; "To ask His Majesty's Government, further to
the Written Answer by ... (HL4341), whether ..." in the Lords). They are drafted as on Mon 2 Mar 2026.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.chase import sitting
from bot.chase.answering import UnknownOwner
from bot.chase.draft import DraftRefused, draft
from bot.register.model import Commitment, Register
from bot.shell.drafts.render import as_json, render
from bot.shell.registerfile import load_texts

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "drafts"
FIXTURE = Path(__file__).parent / "fixtures" / "chase_calendar"
TODAY = date(2026, 3, 2)
MVP = "mvp-implement-by-end-august-2022"


def register() -> Register:
    loaded = load_texts([("commitments.yaml", (ROOT / "commitments.yaml").read_text(encoding="utf-8"))])
    assert loaded.register is not None
    return loaded.register


def house(name: str) -> sitting.Sittings:
    return sitting.from_rows(name.capitalize(), csv.DictReader((FIXTURE / "recesses.csv").open(encoding="utf-8")),
                             csv.DictReader((FIXTURE / "sessions.csv").open(encoding="utf-8")))


def text(c: Commitment, form: str, where: str | None = None, today: date = TODAY) -> str:
    return render(draft(c, [], today, form, where, house(where) if where else None))


@pytest.mark.parametrize(("form", "where", "golden"), [
    ("written-question", "commons", "mvp-written-question-commons.txt"),
    ("written-question", "lords", "mvp-written-question-lords.txt"),
    ("letter", None, "mvp-letter.txt"),
    ("foi", None, "mvp-foi.txt"),
])
def test_golden_drafts(form: str, where: str | None, golden: str) -> None:
    assert text(register().by_id()[MVP], form, where) == (GOLDEN / golden).read_text(encoding="utf-8")


def open_commitments() -> list[Commitment]:
    """The commitments still open on TODAY (a delivery recorded as an update closes one)."""
    out = []
    for c in register().commitments:
        try:
            draft(c, [], TODAY, "letter")
        except DraftRefused:
            continue
        out.append(c)
    assert len(out) >= 7
    return out


@pytest.mark.parametrize("where", ["commons", "lords"])
def test_every_question_is_one_question_in_the_house_s_form(where: str) -> None:
    for c in open_commitments():
        q = draft(c, [], TODAY, "written-question", where, house(where)).question
        assert q is not None
        if where == "commons":  # "To ask the Secretary of State for the Home Department, what …"
            assert q.startswith("To ask the Secretary of State for the Home Department, "), q
        else:  # "To ask His Majesty's Government what …" or "…, further to the Written Answer …, what …"
            assert re.match(r"To ask His Majesty's Government(, further to the Written Answer [^,]+\), | )(what|whether) ", q), q
        assert q.count("To ask") == 1 and q.endswith(".") and q.count("?") == 0, q
        assert len(q.split()) <= 80, q  # one question, not a series (Companion 5.37)
        assert not re.search(r"\b(fail|failure|broken|lapsed|late|delay|still not)\b", q, re.IGNORECASE), q


def test_the_question_refers_to_the_latest_written_answer() -> None:
    """The answer that gave the words in force, or a later one that restated the work (the officer's
    audit: written answer 97812 came two days after 95873)."""
    c = register().by_id()[MVP]
    commons = draft(c, [], TODAY, "written-question", "commons", house("commons")).question or ""
    lords = draft(c, [], TODAY, "written-question", "lords", house("lords")).question or ""
    assert "with reference to the Answer given in the House of Lords on 31 July 2023 to Question HL9622, " in commons
    assert "further to the Written Answer by Lord Murray of Blidworth on 31 July 2023 (HL9622), " in lords
    # a Lords question citing a Commons answer says so (found in the chase audit: "(95873)" alone)
    safeguards = register().by_id()["retain-dv-settlement-safeguards"]
    lords = draft(safeguards, [], date(2026, 3, 2), "written-question", "lords", house("lords")).question or ""
    assert "further to the Written Answer by Mike Tapp MP in the House of Commons on 11 December 2025 (97812), " in lords


@pytest.mark.parametrize("kind", ["ask", "expectation"])
@pytest.mark.parametrize(("form", "where"), [("written-question", "commons"), ("written-question", "lords"),
                                             ("letter", None), ("foi", None)])
def test_an_ask_or_an_expectation_is_never_called_a_promise(kind: str, form: str, where: str | None) -> None:
    c = replace(register().by_id()[MVP], type=kind, made_by="Nicole Jacobs (Domestic Abuse Commissioner)")
    body = text(c, form, where)
    assert not re.search(r"\bpromis", body.replace("not promised", "").replace("did not promise", "")), body
    assert not re.search(r"\blate\b", body)  # an ask is unanswered, an expectation has no news: neither is "late"
    if kind == "expectation":
        assert "not promised" in body or "did not promise" in body
    else:
        assert "asked" in body


def test_every_slip_and_the_words_are_quoted_with_who_when_and_where() -> None:
    body = text(register().by_id()[MVP], "letter")
    assert ("“Work has commenced to develop the MVP and the code of practice and we aim to implement them by end"
            " August.”: Lord Sharpe of Epsom, 21 Feb 2022 (Letter to Baroness Meacher") in body
    assert "Slip 1, 9 Aug 2022: the date moved to 30 Nov 2022 (“autumn 2022”)." in body
    assert "Slip 2, 31 Jul 2023: the date moved to 31 Dec 2023 (“later this year”)." in body
    assert "three and a half years late against the first deadline and over two years late against the latest" in body


def test_a_closed_commitment_or_an_unknown_owner_is_refused() -> None:
    reg = register().by_id()
    with pytest.raises(DraftRefused, match="closed \\(delivered\\): there is nothing to chase"):
        draft(reg["smv-evaluation-final-report"], [], TODAY, "letter")
    with pytest.raises(UnknownOwner, match="Scottish Government"):
        draft(replace(reg[MVP], owner="Scottish Government"), [], TODAY, "letter")
    with pytest.raises(DraftRefused, match="--house commons or --house lords"):
        draft(reg[MVP], [], TODAY, "written-question")


OWNED_ELSEWHERE = """\
version: 1
defaults: {grace: 0 days}
routes:
  - email: [coordinator@example.org]
commitments:
  - id: h1
    title: Publish the housing strategy
    owner: OWNER
    made_by: A minister
    made_on: 2024-01-10
    due: 2024-06-30
    source: {title: Letter to the committee, quote: "by the end of June."}
"""


@pytest.mark.parametrize("owner", ["Ministry of Housing, Communities and Local Government", "MoJ", "DfE"])
@pytest.mark.parametrize("form", ["written-question", "letter", "foi"])
def test_the_readme_owner_and_the_usual_abbreviations_are_drafted(cli, write_register, owner: str, form: str) -> None:
    """Found in review before 0.4.0: the README's own example owner printed "error: unexpected UnknownOwner"."""
    write_register(OWNED_ELSEWHERE.replace("OWNER", owner))
    result = cli("draft", "h1", "--as", form, "--now", "2026-03-02T09:00")
    assert result.exit_code == 0, result.output
    assert "DRAFT, not sent" in result.output


@pytest.mark.parametrize("owner", ["Scottish Government", "Ofwat"])
def test_an_owner_outside_the_table_gets_a_clear_refusal_or_an_foi_request_to_it(cli, write_register, owner: str) -> None:
    write_register(OWNED_ELSEWHERE.replace("OWNER", owner))
    for form in ("written-question", "letter"):
        result = cli("draft", "h1", "--as", form, "--now", "2026-03-02T09:00")
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f'error: the answering-bodies table has no answering body for "{owner}"'), result.stderr
        assert "unexpected" not in result.stderr and "add a row" in result.stderr and "--as foi" in result.stderr
    foi = cli("draft", "h1", "--as", "foi", "--now", "2026-03-02T09:00")
    assert foi.exit_code == 0, foi.output
    assert f"To: {owner}, " in foi.output and f"the public authority: {owner}" in foi.output
    assert f"recorded information held by {owner}" in foi.output


def test_the_slack_follow_up_says_the_same_and_still_drafts_the_foi_request() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import notifiers.slack.ids as ids
    from bot.shell.slackapp.chasing import follow_up

    class Updates:  # nothing recorded outside the register
        def recorded(self, ids_: object, quarters: object) -> dict[str, list[object]]:
            return {}

    class Store:
        updates = Updates()

    reg = register()
    c = replace(reg.by_id()[MVP], owner="Ofwat")
    letter = next(f for f, (how, _) in ids.DRAFT_FORMS.items() if how == "letter")
    foi = next(f for f, (how, _) in ids.DRAFT_FORMS.items() if how == "foi")
    clicked = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/London"))
    refused = follow_up(Store(), reg, c, letter, clicked)
    assert refused.text is None and refused.why_not.startswith('the answering-bodies table has no answering body for "Ofwat"')
    assert "--as foi" not in refused.why_not and "choose “Freedom of information request” in Draft it as" in refused.why_not
    drafted = follow_up(Store(), reg, c, foi, clicked)
    assert drafted.text is not None and "the public authority: Ofwat" in drafted.text


def test_a_lords_draft_past_the_calendar_counts_its_fortnight_from_the_day_and_says_so() -> None:
    """Parliament announces its recesses a few months ahead: past them, a Lords question's fortnight
    runs from the day given, and the draft says what it could not check."""
    d = draft(register().by_id()[MVP], [], date(2027, 6, 1), "written-question", "lords", house("lords"))
    assert d.reply is not None and d.reply.on == date(2027, 6, 24)  # after the Whitsun recess's usual window
    assert "its usual window, not yet announced" in render(d) and "give the reply date with `chase --reply-due`" in render(d)


def test_a_recess_the_calendar_holds_is_never_called_not_yet_announced() -> None:
    """Found in an officer's audit: past the calendar's last day, a recess from the table (the
    Lords' 2026 conference recess, 18 Sep – 11 Oct) was said to be "usually" so, "not yet announced"."""
    text = render(draft(register().by_id()[MVP], [], date(2026, 10, 8), "written-question", "lords", house("lords")))
    assert "(conference recess 2026, 18 Sep – 11 Oct 2026)" in text and "not yet announced" not in text


def test_json_shape() -> None:
    d = draft(register().by_id()[MVP], [], TODAY, "foi")
    out = json.loads(json.dumps(as_json(d)))
    assert list(out) == ["id", "as", "house", "to", "subject", "body", "reply_due", "reply_due_explained", "sources"]
    assert (out["id"], out["as"], out["house"], out["reply_due"]) == (MVP, "foi", None, "2026-03-31")
    assert out["to"] == "the Home Office, freedom of information"
    assert out["sources"][2]["url"] == "https://www.parallelparliament.co.uk/question/HL9622/migrants-domestic-abuse"
    assert out["body"] == render(d)


def test_a_commitment_that_names_no_date_is_never_said_to_keep_its_date() -> None:
    """The Commissioner's ask names no date: "The date has not moved since" beside "It names no
    date" contradicts itself (found in review)."""
    body = text(register().by_id()["dac-firewall-amendment-ask"], "written-question", "lords")
    assert "The ask names no date." in body and "The date has not moved" not in body
    # nor is an FOI officer asked for "a decision to change that date" (found in the chase audit)
    foi = text(register().by_id()["retain-dv-settlement-safeguards"], "foi")
    assert "change that date" not in foi and "a decision on whether to continue this work, or to change or end it" in foi
    # and the letter says who asked once, without brackets inside brackets
    letter = text(register().by_id()["dac-firewall-amendment-ask"], "letter")
    assert "The ask, in the words of its source:" in letter and "Commissioner))" not in letter


def test_a_draft_never_calls_a_promise_late_before_its_date_nor_an_ask_unanswered_after_news() -> None:
    """Found in review: a promise moved on 1 Jun 2025 to spring 2027, before its June 2025 date
    passed, was "nearly a year late" in its draft; an ask with news since its date was "no answer"."""
    from tests.test_every_word_true import PAST_DATES

    loaded = load_texts([("commitments.yaml", PAST_DATES)])
    assert loaded.register is not None
    found = loaded.register.by_id()
    moved = text(found["moved-ahead"], "letter", today=date(2026, 6, 1))
    assert " late" not in moved and "Its date, 31 May 2027, has not passed yet." in moved
    asked = text(found["ask-news"], "letter", today=date(2026, 6, 1))
    assert "there is no answer" not in asked
    assert ("On 1 Jun 2026 it is past the date asked for, 30 Jun 2025, nearly a year ago; the last news, on 20 May "
            "2026, was: “The Home Office said it is considering the call.”") in asked


FIREWALL, SMV_YEARLY, AUDIT_DAY = "dac-firewall-amendment-ask", "smv-scheme-funding-each-year", date(2026, 11, 22)
FORMS = [("written-question", "commons"), ("written-question", "lords"), ("letter", None), ("foi", None)]


def audited(cid: str, form: str, where: str | None) -> str:
    """A draft of the shipped register as on Sun 22 Nov 2026, the day of the truth audit."""
    return render(draft(register().by_id()[cid], [], AUDIT_DAY, form, where, None))


@pytest.mark.parametrize(("form", "where"), FORMS)
def test_an_ask_s_drafts_ask_whether_it_will_be_done_never_when(form: str, where: str | None) -> None:
    """Truth audit: the Home Office refused the firewall (seeds 000 and 004) and never set a date
    for it, yet the letter asked "when it now expects to, and what its timetable is" and the FOI
    asked for the document "that records when the Home Office expects to" do it."""
    body = audited(FIREWALL, form, where)
    for presumed in ("timetable", "expects to", "expect to", "that date", "has done this", "plan to", "plans to",
                     "if so, when", "project plan"):
        assert presumed not in body, (presumed, body)
    # a department does not legislate (found in review): a law is asked for as legislative proposals
    asked = {"written-question": "will bring forward legislative proposals to establish in law a data-sharing firewall",
             "letter": "whether the Government will bring forward legislative proposals to establish in law a data-sharing"
             " firewall", "foi": "a decision by the Home Office on whether to establish in law"}[form]
    assert asked in body, body
    if form != "foi":  # a minister is asked why; an FOI team is asked for records (below)
        assert "why" in body.split("BACKGROUND")[0].split("Reply due")[-1].split("Why:")[-1], body


def test_an_ask_s_foi_asks_for_recorded_information_about_the_request() -> None:
    """ICO: a request is for recorded information, not an explanation or an opinion."""
    body = audited(FIREWALL, "foi", None)
    assert "recorded information held by the Home Office" in body
    assert "asked by Nicole Jacobs (Domestic Abuse Commissioner) on 9 November 2023" in body
    request = body.split("Dear Freedom of Information team")[1].split("For reference")[0]
    assert "why" not in request.lower() and "explain" not in request.lower(), request  # reasons are asked of a minister


@pytest.mark.parametrize(("form", "where"), FORMS)
def test_an_expectation_s_drafts_never_speak_of_a_date_the_government_set(form: str, where: str | None) -> None:
    body = audited(SMV_YEARLY, form, where)
    for said in ("change that date", "The date has not moved", "timetable", "expects to"):
        assert said not in body, (said, body)
    assert "No government statement sets" in body


@pytest.mark.parametrize(("form", "where"), FORMS)
def test_a_recurring_expectation_s_drafts_ask_about_the_year_with_no_news(form: str, where: str | None) -> None:
    """2023-24 and 2024-25 are recorded as met; only 2025-26 passed with no news."""
    d = draft(register().by_id()[SMV_YEARLY], [], AUDIT_DAY, form, where, None)
    body = render(d)
    ask = d.question or (body.split("Please tell us")[-1] if form == "letter" else body.split("held by")[1])
    ask = ask.split("For reference")[0].split("We would be grateful")[0]
    assert "2025-26" in ask and "each financial year" not in ask, ask
    assert "2023-24 and 2024-25" in body and "met" in body


@pytest.mark.parametrize(("form", "where"), FORMS)
def test_a_recurring_expectation_with_two_years_passed_names_both_and_their_dates(form: str, where: str | None) -> None:
    """Found in the second review (issue 24): on 1 Jun 2027 the draft said "What we expected …:
    2025-26. We expected it by 31 Mar 2026" and then asked about 2025-26 and 2026-27: the
    background names every year it asks about, each with its date."""
    body = render(draft(register().by_id()[SMV_YEARLY], [], date(2027, 6, 1), form, where, None))
    assert "What we expected (expected of Home Office, not promised): 2025-26 and 2026-27.\n" in body, body
    assert "We expected 2025-26 by 31 Mar 2026 and 2026-27 by 31 Mar 2027." in body, body
    assert "there is no news of it for 2025-26 and 2026-27: 2025-26 was expected by 31 Mar 2026, over a year ago, " \
           "and 2026-27 by 31 Mar 2027, about two months ago." in body, body


@pytest.mark.parametrize("form", ["written-question", "letter", "foi"])
def test_a_lead_the_team_noted_is_never_the_governments_words(form: str) -> None:
    """Found in review: every MVP draft quoted the guidance change log of 14 Nov 2024, which the
    register notes as "a lead to check, not evidence", as "the government's own words". Only an
    update that names who said it is quoted as a statement."""
    out = text(register().by_id()[MVP], form, "commons" if form == "written-question" else None, date(2026, 12, 7))
    assert "change log" not in out and "victims of crime" not in out
    assert "Lord Murray of Blidworth" in out  # the words in force are still quoted with their speaker


def test_a_letter_claims_the_standard_for_the_public_s_letters_not_the_mps_and_peers() -> None:
    """Found in review: the letter said "the Cabinet Office asks departments to answer ministerial
    correspondence within 20 working days", citing the standard for letters from MPs and Peers
    (HL14583: their targets "may be different to the targets set for other types of correspondence").
    The team's letter is held to the one for members of the public, in its source's words."""
    body = text(register().by_id()[MVP], "letter")
    assert ("the Cabinet Office's guidance sets departments a deadline of 20 working days to respond to members of "
            "the public.") in body
    assert '"a 20 working day deadline for departments to respond to members of the public" (written answer UIN ' \
           "56156, 21 Oct 2021)" in body
    assert "ministerial correspondence" not in body and "MPs" not in body
    from bot.chase.standards import standard

    assert "members of the public" in standard("letter").sources[0][1]


def test_a_promise_with_no_date_keeps_its_own_words_of_time() -> None:
    """Found in review: "medium-term" was the promise's only timescale, and the draft said just
    "The promise names no date."."""
    body = text(register().by_id()["data-sharing-safeguards-medium-term"], "foi")
    assert "The promise names no date; its words of time are “medium-term”." in body


@pytest.mark.parametrize(("owner", "asked", "note"), [
    ("HM Treasury", "what progress [his/her] Department has made",
     "write “his Department” or “her Department” as fits whoever is Chancellor of the Exchequer then"),
    ("Attorney General's Office", "what progress [his/her] Department has made",
     "as fits whoever is Attorney General then"),
    ("Leader of the House", "what progress [he/she] has made",
     "write “he” or “she” as fits whoever is Leader of the House then: the Table Office prints it so (“what "
     "guidance she has issued”, to the Leader of the House)"),
])
def test_the_commons_note_fits_the_office_holder(cli, write_register, owner: str, asked: str, note: str) -> None:
    """Found in review: every Commons draft said "write his or her Department as fits the Secretary of
    State in office", to the Chancellor, the Attorney General and the Leader of the House too (an
    Office, "a business unit of the Cabinet Office", asked what she has done, not her Department)."""
    write_register(OWNED_ELSEWHERE.replace("OWNER", owner))
    out = cli("draft", "h1", "--as", "written-question", "--now", "2026-03-02T09:00").output
    assert asked in out and note in out, out
    assert "Secretary of State" not in out


def test_a_law_asked_for_is_asked_as_legislative_proposals() -> None:
    """Found in review: "whether [his/her] Department will establish in law a data-sharing firewall":
    a department does not legislate. The minister is asked whether he or she will bring forward
    legislative proposals (no plan presumed); the Lords asks the Government; the letter too."""
    firewall = register().by_id()["dac-firewall-amendment-ask"]
    commons = text(firewall, "written-question", "commons")
    assert ("whether [he/she] will bring forward legislative proposals to establish in law a data-sharing firewall "
            "between Immigration Enforcement and statutory services; and if not, why not.") in commons
    assert "Department will" not in commons and "write “he” or “she” as fits whoever is Secretary of State" in commons
    lords = text(firewall, "written-question", "lords")
    assert "To ask His Majesty's Government whether they will bring forward legislative proposals to establish" in lords
    letter = text(firewall, "letter")
    assert "Please tell us whether the Government will bring forward legislative proposals to establish in law" in letter
    assert "whether the Home Office will establish" not in letter
