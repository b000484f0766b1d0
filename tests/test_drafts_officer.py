"""Drafts as a parliamentary affairs officer reads them (found in the officer's audit of the shipped
register's drafts): who made a commitment and its date in the subject, every change of the words
(a date brought forward too), the government's latest words, open-ended work asked about as
continuing work, a recurring expectation's met years cited and its open year named, and --house
refused where it has no meaning.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.chase.draft import DraftRefused, draft
from bot.shell.drafts.render import as_json, render
from tests.test_drafts import MVP, ROOT, TODAY, house, register

SAFEGUARDS, ENGAGE, EVALUATION = "retain-dv-settlement-safeguards", "mvp-stakeholder-engagement", "smv-evaluation-final-report"
FIREWALL, YEARLY, OUTREACH = "dac-firewall-amendment-ask", "smv-scheme-funding-each-year", "mvp-stakeholder-outreach-programme"
AUDIT = date(2026, 12, 7)
FORMS = [("written-question", "commons"), ("written-question", "lords"), ("letter", None), ("foi", None)]


def made(cid: str, form: str, where: str | None = None, today: date = AUDIT):  # type: ignore[no-untyped-def]
    return draft(register().by_id()[cid], [], today, form, where, house(where) if where else None)


def body(cid: str, form: str, where: str | None = None, today: date = AUDIT) -> str:
    return render(made(cid, form, where, today))


@pytest.mark.parametrize(("cid", "form", "where", "today", "subject"), [
    (MVP, "letter", None, TODAY, "Letter: Implement the Migrant Victim Protocol — promised by Home Office (Lord Sharpe of"
     " Epsom); first deadline 31 Aug 2022, three and a half years late"),
    (SAFEGUARDS, "written-question", "commons", AUDIT, "Written question (House of Commons): Retain safeguards to protect"
     " the vulnerable, including settlement rights for victims of domestic violence and abuse — promised by Home Office"
     " (Mike Tapp MP, restating the Immigration White Paper, published in May 2025); no date given"),
    (OUTREACH, "foi", None, AUDIT, "Freedom of Information request: Develop guidance enabling the police to develop and"
     " implement an outreach programme promoting crime reporting by migrants with irregular status — promised by Home"
     " Office (Priti Patel, Home Secretary); no date given"),
    (FIREWALL, "written-question", "lords", AUDIT, "Written question (House of Lords): Establish in law a data-sharing"
     " firewall between Immigration Enforcement and statutory services — asked of Home Office by Nicole Jacobs"
     " (Domestic Abuse Commissioner); no date given"),
    (YEARLY, "letter", None, AUDIT, "Letter: Fund the Support for Migrant Victims Scheme in each financial year after"
     " 2022-23 — expected of Home Office, not promised; expected date 31 Mar 2026"),
    (EVALUATION, "letter", None, date(2023, 6, 1), "Letter: Produce the final evaluation report of the Support for"
     " Migrant Victims Scheme pilot — promised by Home Office (Baroness Williams of Trafford); first deadline"
     " 31 Dec 2022, about five months late"),
])
def test_a_subject_names_who_made_it_and_says_its_date_apart_from_its_maker(cid: str, form: str, where: str | None,
                                                                              today: date, subject: str) -> None:
    """SPEC §7.1: "promised by OWNER (MADE_BY)", "asked of OWNER by MADE_BY"; the subject said only
    "(promised by Home Office)", and "promised by 31 Aug 2022" read like a maker."""
    assert made(cid, form, where, today).subject == subject


def test_every_change_of_the_words_is_named_and_a_date_brought_forward_as_such() -> None:
    """HL303's "later this year" (31 Dec 2022) was brought forward to "in the summer" (31 Aug 2022) by
    the Home Secretary on 9 Aug 2022; the draft went from 31 Dec 2022 straight to "Slip 1"."""
    letter = body(EVALUATION, "letter", today=date(2023, 6, 1))
    forward = ("Brought forward, 9 Aug 2022: the date moved earlier, to 31 Aug 2022 (“in the summer”).\n"
               "  “We will receive the final evaluation report in the summer and share the pilot's findings as soon as"
               " is practicable.”: Priti Patel (Home Secretary), 9 Aug 2022 (Letter to the Chair of the Home Affairs"
               " Select Committee)\n"
               "Slip 1, 3 Jan 2023: the date moved to 30 Apr 2023 (“early 2023”).")
    assert forward in letter, letter
    assert "2. Letter to the Chair of the Home Affairs Select Committee (Priti Patel, Home Secretary, 9 Aug 2022)" in letter
    foi = body(EVALUATION, "foi", today=date(2023, 6, 1))
    assert "including the changes announced on 9 August 2022 and 3 January 2023" in foi
    assert "including the change announced on 9 August 2022;" in body(EVALUATION, "foi", today=date(2022, 10, 1))
    # the date brought forward passed before the first one: late against the one in force, never "not passed yet"
    early = body(EVALUATION, "letter", today=date(2022, 10, 1))
    assert "On 1 Oct 2022 it is 31 days late against the deadline in force, 31 Aug 2022." in early, early
    assert "has not passed yet" not in early



def test_a_commons_question_asks_the_secretary_of_state_s_department() -> None:
    """The Table Office prints "what steps her Department is taking" (120901) or "his Department" as fits
    the Secretary of State in office; the draft said "the Home Office"."""
    for c in register().commitments:
        try:
            q = draft(c, [], AUDIT, "written-question", "commons", house("commons")).question or ""
        except DraftRefused:
            continue
        assert not re.search(r"the Home Office (has|will|decided|plans)", q), q
        # a law asked for is asked of the minister ("[he/she] will bring forward legislative proposals")
        assert "[his/her] Department" in q or "[he/she] will bring forward legislative proposals" in q, q
    assert ("write “his Department” or “her Department” as fits whoever is Secretary of State for the Home Department "
            "then") in body(MVP, "written-question", "commons")


@pytest.mark.parametrize(("form", "where"), FORMS)
def test_a_draft_quotes_the_government_s_latest_words_with_who_when_and_where(form: str, where: str | None) -> None:
    """The background said only "It names no date.", leaving out HL9622 (the sector "opted not to
    engage further") and written answer 97812: updates that change no date are the latest words."""
    engage = body(ENGAGE, form, where)
    assert ("“Representatives of the domestic abuse sector have rejected the proposal of the protocol and opted not to"
            " engage further with the Home Office on its development.”: Lord Murray of Blidworth, 31 Jul 2023"
            " (Written answer HL9622)") in engage, engage
    assert "Priti Patel (Home Secretary), 9 Aug 2022 (Letter to the Chair of the Home Affairs Select Committee)" in engage
    assert "Why we reject" not in engage  # a charity's blog (a context update) is not the government's word
    safeguards = body(SAFEGUARDS, form, where)
    assert ("“we offer immediate settlement for migrant victims of domestic abuse, under the Immigration Rules (Appendix"
            " Victim of Domestic Abuse (Appendix VDA)) for those granted permission to stay as a spouse or partner”:"
            " Mike Tapp MP, 11 Dec 2025 (Written answer 97812)") in safeguards, safeguards
    assert "Written answer 97812 (Mike Tapp MP, 11 Dec 2025): https://parallelparliament.co.uk/question/97812" in safeguards
    assert "It names no date" not in safeguards and "The promise names no date." in safeguards


@pytest.mark.parametrize("where", ["commons", "lords"])
def test_an_open_ended_promise_is_asked_what_was_done_since_and_whether_it_stands(where: str) -> None:
    """Continuing work has no completion: "and when it expects that work to be completed" asked the
    impossible."""
    questions = {c: made(c, "written-question", where).question or "" for c in (SAFEGUARDS, ENGAGE)}
    if where == "commons":
        assert questions[SAFEGUARDS] == (
            "To ask the Secretary of State for the Home Department, with reference to the Answer given on 11 December"
            " 2025 to Question 97812, what steps [his/her] Department has taken since then to retain safeguards to"
            " protect the vulnerable, including settlement rights for victims of domestic violence and abuse; and"
            " whether that commitment still stands.")
    else:
        assert questions[ENGAGE] == (
            "To ask His Majesty's Government, further to the Written Answer by Lord Murray of Blidworth on 31 July 2023"
            " (HL9622), what steps they have taken since then to engage stakeholders to inform and develop the Migrant"
            " Victim Protocol, and keep the sector informed; and whether that commitment still stands.")
    for q in questions.values():
        assert not re.search(r"\b(when|completed|progress)\b", q), q


def test_an_open_ended_promise_s_letter_and_foi_ask_about_continuing_work() -> None:
    letter = body(SAFEGUARDS, "letter")
    assert ("Please tell us what the Home Office has done since 11 December 2025 to retain safeguards to protect the"
            " vulnerable, including settlement rights for victims of domestic violence and abuse, and whether that"
            " commitment still stands.") in letter, letter
    foi = body(SAFEGUARDS, "foi")
    request = foi.split("Dear Freedom of Information team")[1].split("For reference")[0]
    assert "expects to" not in request and "timetable" not in request and "set a date" not in request, request
    assert "records what the Home Office has done to retain safeguards" in request, request
    assert "any document recording a decision on whether to continue this work, or to change or end it;" in request


def test_a_recurring_expectation_cites_the_words_of_each_year_met() -> None:
    """The letter had no references though 2023-24 and 2024-25 rest on written answers 185692 and HL9620."""
    d = made(YEARLY, "letter")
    assert [s["title"] for s in as_json(d)["sources"]] == ["Written answer 185692",
                                                           "Written answer HL9620 to the Bishop of Gloucester"]
    text = render(d)
    assert ("2023-24 and 2024-25 are recorded as met:\n"
            "  2023-24: “We recently announced that we are providing a further £1.4 million in 2023/ 24 to continue to"
            " fund the Support for Migrants Victim scheme”: Sarah Dines MP, 22 May 2023 (Written answer 185692)\n"
            "  2024-25: “This funding has now been extended until March 2025.”: Written answer HL9620 to the Bishop of"
            " Gloucester, 31 Jul 2023\n") in text, text


@pytest.mark.parametrize("where", ["commons", "lords"])
def test_a_recurring_expectation_asks_about_its_open_year_by_name(where: str) -> None:
    """On 1 Jun 2025 2023-24 and 2024-25 are met and 2025-26 is open: the question asked about "each
    financial year after 2022-23; and if so, when"."""
    q = made(YEARLY, "written-question", where, date(2025, 6, 1)).question or ""
    assert q.endswith("to fund the Support for Migrant Victims Scheme in 2025-26."), q
    assert "each financial year" not in q and "when" not in q


def test_an_empty_list_of_sources_prints_no_heading() -> None:
    c = replace(register().by_id()[YEARLY], updates=())
    for form, where in FORMS:
        text = render(draft(c, [], AUDIT, form, where, house(where) if where else None))
        assert not re.search(r"(References|SOURCES|Sources of the statements quoted)", text), text


def test_house_is_refused_for_a_letter_or_an_foi(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    """`draft … --as letter --house lords` ignored --house without a word."""
    with pytest.raises(DraftRefused, match="--house applies only to a written question"):
        draft(register().by_id()[MVP], [], TODAY, "letter", "lords")
    write_register((ROOT / "commitments.yaml").read_text(encoding="utf-8"))
    for form in ("letter", "foi"):
        out = cli("draft", MVP, "--as", form, "--house", "lords", "--now", "2026-03-02")
        assert out.exit_code == 2 and "--house applies only to a written question" in out.output, out.output
