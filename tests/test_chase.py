"""Chasing is the team's record, apart from the government's (SPEC §7.3, §7.5; issue 24 item 2):
`chase` records it with the reply due by the service standard; lapse reminders wait for the
reply; past it, unanswered, the bot says so once (`reply-overdue`). What answers a chase is its
reply (`chase ID --replied REF`), or for a written question its answer; news since is not."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.decide.holds import answer, answered_on, chase_hold
from bot.decide.horizon import quiet_until
from bot.decide.sent import SentIndex
from bot.register.model import Action, Source, Update
from tests.engine_helpers import register

LAPSING = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
routes:
  - email: [coordinator@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: 2025-06-30
    source: {title: Letter to Baroness Meacher, quote: "by end June."}
"""


def kinds_on(cli, day: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("check", "--json", "--now", f"{day}T09:00")
    assert result.exit_code == 0, result.output
    return [n["kind"] for n in json.loads(result.stdout)["notifications"]]


def test_a_chase_holds_the_lapse_until_its_reply_is_due_then_says_it_is_overdue_once(cli, write_register) -> None:
    write_register(LAPSING)
    assert kinds_on(cli, "2025-07-01") == ["lapsed"]
    chased = cli("chase", "mvp", "--how", "foi", "--to", "Home Office FOI team", "--by", "A. Advocate",
                 "--now", "2025-12-15T10:00")
    assert chased.exit_code == 0, chased.output
    # 20 working days from Mon 15 Dec 2025: Christmas Day, Boxing Day, New Year's Day and Scotland's
    # 2 January not counted (FOI counts the bank holidays of any part of the UK)
    assert "reply due 16 Jan 2026" in chased.output and "FOIA s.10(1)" in chased.output
    for day in ("2025-12-31", "2026-01-15", "2026-01-16"):  # the lapse reminder of 31 Dec waits
        assert kinds_on(cli, day) == [], day
    shown = cli("check", "--dry-run", "--now", "2026-01-17T09:00").output
    assert sorted(kinds_on(cli, "2026-01-17")) == ["lapsed", "reply-overdue"]
    assert kinds_on(cli, "2026-02-01") == []  # told once
    history = cli("history", "mvp", "--now", "2026-02-01T09:00").output
    assert "the team's own actions (not the government's record):" in history
    assert "2025-12-15  chased by FOI request to Home Office FOI team, reply due 2026-01-16 [by A. Advocate]" in history
    assert json.loads(cli("history", "mvp", "--json", "--now", "2026-02-01T09:00").stdout)["updates"] == []
    assert "No reply from Home Office FOI team to the FOI request has been recorded (recorded as chased on Mon 15 Dec " \
           "2025, reply due Fri 16 Jan 2026). This is the team's own chase, not news of the promise." in shown


def test_an_overdue_reply_says_what_the_bot_knows_not_what_the_department_did(cli, write_register) -> None:
    """Truth audit: a Lords question recorded as chased on Sun 22 Nov 2026 was "not answered" by the
    Home Office, "tabled 2026-11-22" (a Sunday). The bot knows only that the team recorded the chase
    that day, when its reply was due, and that no answer has been recorded."""
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "written-question", "--house", "lords", "--ref", "HL1235",
               "--now", "2026-11-22T10:00").exit_code == 0
    shown = cli("check", "--dry-run", "--now", "2026-12-08T09:00").output
    assert "No answer from Home Office to written question HL1235 has been recorded (recorded as chased on Sun 22 Nov " \
           "2026, reply due Mon 7 Dec 2026). This is the team's own chase, not news of the promise." in shown, shown
    assert "has not answered" not in shown and "2026-11-22" not in shown


def test_news_since_the_chase_is_not_its_reply_but_the_reply_the_team_records_is(cli, write_register) -> None:
    """Found in review: any news from the owner closed every chase, an FOI request or a letter
    never answered included: a minister's remark in a Lords debate, with no date, and the FOI
    reply due 5 Jan 2026 was never said to be overdue; the report's "Still awaited" was empty."""
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "foi", "--ref", "FOI-123", "--to", "Home Office",
               "--now", "2025-12-02T10:00").exit_code == 0
    assert cli("chase", "mvp", "--how", "letter", "--ref", "L-7", "--now", "2025-12-02T10:00").exit_code == 0
    assert cli("update", "mvp", "--note", "Minister mentions the Protocol in a Lords debate, no date", "--source",
               "https://hansard.parliament.uk/x", "--now", "2025-12-05T10:00").exit_code == 0
    shown = cli("check", "--dry-run", "--now", "2026-01-07T09:00").output
    assert "No reply from Home Office to the team's FOI request FOI-123 has been recorded" in shown, shown
    # both replies are overdue (the letter's was due 6 Jan); news of 5 Dec paused the lapse reminders
    # for 30 days, and the chases held them until their replies were due: now they are due again
    assert sorted(kinds_on(cli, "2026-01-07")) == ["lapsed", "reply-overdue", "reply-overdue"]
    report = cli("report", "--since", "2025-12-01", "--now", "2026-01-07T09:00").output
    assert "Still awaited: chases with no reply recorded (2)" in report, report
    assert "(the first news since the team chased on 2 Dec 2025)" in report
    replied = cli("chase", "mvp", "--replied", "FOI-123", "--on", "2026-01-08", "--note", "holds no information",
                  "--now", "2026-01-09T10:00")
    assert replied.exit_code == 0, replied.output
    assert "by FOI request FOI-123 of 2 Dec 2025 was replied to on 8 Jan 2026" in replied.output
    assert "record that with `commitment-bot update mvp" in replied.output
    report = cli("report", "--since", "2026-01-01", "--now", "2026-01-10T09:00").output
    assert "Still awaited: chases with no reply recorded (1)" in report and "letter L-7 of 2 Dec 2025" in report
    assert "the team recorded the reply to its FOI request FOI-123 of 2 Dec 2025: holds no information" in report
    history = cli("history", "mvp", "--now", "2026-01-10T09:00").output
    assert "2026-01-08  recorded the reply to the team's FOI request FOI-123 of 2025-12-02 (holds no information)" \
        in history, history
    story = json.loads(cli("history", "mvp", "--json", "--now", "2026-01-10T09:00").stdout)
    assert story["actions"][-1] == {**story["actions"][-1], "kind": "reply", "chased": "2025-12-02", "ref": "FOI-123"}


def test_a_reply_names_its_chase_by_reference_or_number_and_is_checked(cli, write_register) -> None:
    write_register(LAPSING)
    now = ("--now", "2025-12-20T10:00")
    assert cli("chase", "mvp", "--how", "letter", "--reply-due", "2025-12-10", "--now", "2025-12-01T10:00").exit_code == 0
    assert cli("chase", "mvp", "--how", "meeting", "--to", "the Minister", "--now", "2025-12-02T10:00").exit_code == 0
    for args, says in ((["--replied", "L-9"], 'no chase "L-9" of this commitment by 20 Dec 2025 (its chases: #1 '
                                                 "(by letter, 1 Dec 2025); #2 (at a meeting, 2 Dec 2025))"),
                       (["--replied", "#1", "--on", "2025-11-30"], 'no chase "#1" of this commitment by 30 Nov 2025'),
                       (["--replied", "#1", "--on", "2025-12-21"], "is after today"),
                       (["--replied", "#1", "--how", "letter"], "leave them out"),
                       (["--how", "letter", "--on", "2025-12-19"], "--on is the day a reply came"),
                       ([], "Missing option '--how'")):
        refused = cli("chase", "mvp", *args, *now)
        assert refused.exit_code in (1, 2) and says in refused.output, (args, refused.output)
    assert "reply-overdue" in kinds_on(cli, "2025-12-20")
    replied = cli("chase", "mvp", "--replied", "#1", "--on", "2025-12-19", *now)
    assert replied.exit_code == 0, replied.output
    assert "chase of mvp by letter of 1 Dec 2025 was replied to on 19 Dec 2025" in replied.output
    assert "reply-overdue" not in kinds_on(cli, "2026-01-20")


def test_an_update_dated_after_today_does_not_answer_the_chase_yet(cli, write_register) -> None:
    """An update dated in the future (`update --on … --future`) is news not yet given: until its day
    the chase is still awaiting its reply, and the reply is overdue once past its due date."""
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "letter", "--reply-due", "2025-12-10", "--now", "2025-12-01T10:00").exit_code == 0
    assert cli("update", "mvp", "--note", "Publication set for January", "--on", "2026-01-15", "--future",
               "--now", "2025-12-02T10:00").exit_code == 0
    assert "reply-overdue" in kinds_on(cli, "2025-12-20")


def test_a_snooze_holds_an_overdue_reply_too(cli, write_register) -> None:
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "letter", "--reply-due", "2025-12-10", "--now", "2025-12-01T10:00").exit_code == 0
    assert cli("snooze", "mvp", "--until", "2025-12-20", "--now", "2025-12-02T10:00").exit_code == 0
    assert kinds_on(cli, "2025-12-20") == []
    assert sorted(kinds_on(cli, "2025-12-21")) == ["lapsed", "reply-overdue"]


def test_a_chase_is_checked_at_the_door(cli, write_register) -> None:
    write_register(LAPSING)
    for args, says in ((["--how", "tweet"], "Invalid value for '--how'"),
                       (["--how", "letter", "--reply-due", "2025-11-01"], "is before today"),
                       (["--how", "letter", "--ref", "a\x1b[2Jb"], "--ref"),
                       # a Commons number said to be tabled in the Lords (found in the third audit:
                       # due by the Lords' fortnight, watched in the Commons)
                       (["--how", "written-question", "--house", "lords", "--ref", "12345"],
                        "12345 is the number of a Commons question (a Lords one starts HL)"),
                       (["--how", "written-question", "--house", "commons", "--ref", "HL 99"],
                        "HL99 is the number of a Lords question")):
        refused = cli("chase", "mvp", *args, "--now", "2025-12-01T10:00")
        assert refused.exit_code in (1, 2) and says in refused.output, refused.output
    assert "the team's own actions" not in cli("history", "mvp", "--now", "2025-12-01T10:00").output


def test_the_quiet_window_ends_the_day_after_a_reply_is_due() -> None:
    """bot.decide.horizon: a check may skip the commitment until the held lapse and the overdue
    reply can be told, and not a day longer."""
    c = register(LAPSING.split("commitments:\n", 1)[1]).commitments[0]
    london = ZoneInfo("Europe/London")
    now = datetime(2025, 12, 15, 10, tzinfo=london)
    chase = Action("a:1", "chase", date(2025, 12, 15), how="foi", reply_due=date(2026, 1, 16))
    index = SentIndex([], now)
    held = datetime(2026, 1, 17, tzinfo=london)
    assert quiet_until(c, (), now, index, None, (chase,)) == held  # even a lapse never told waits for the reply
    assert quiet_until(c, (), now, index, None, ()) == now  # without the chase, it is due now
    from bot.decide.sent import Sent

    told = SentIndex([Sent("lapsed|mvp||2025-06-30|1", "mvp", "lapsed", None, date(2025, 6, 30), 1,
                           datetime(2025, 12, 1, 9, tzinfo=london))], now)
    assert quiet_until(c, (), now, told, None, (chase,)) == held


def test_the_command_line_holds_the_same_lengths_as_slacks_forms(cli, write_register) -> None:
    """Found in the hostile audit: `chase --ref` took 5,000 characters (Slack's form refuses over
    100) and `update --note` 120,000 (a 127 KB page on the public site). Every door refuses the
    same, saying how long is allowed, and records nothing."""
    write_register(LAPSING)
    now = ("--now", "2025-07-01T09:00")
    chase = cli("chase", "mvp", "--how", "letter", "--ref", "H" * 5000, *now)
    assert chase.exit_code != 0 and "--ref is 5,000 characters: at most 100" in chase.output
    update = cli("update", "mvp", "--note", "n" * 120_000, "--source", "https://example.org/a", *now)
    assert update.exit_code != 0 and "--note is 120,000 characters: at most 3,000" in update.output
    snooze = cli("snooze", "mvp", "--until", "2025-08-01", "--reason", "r" * 501, *now)
    assert snooze.exit_code != 0 and "--reason is 501 characters: at most 500" in snooze.output
    story = cli("history", "mvp", *now).output
    assert "n" * 100 not in story and "r" * 100 not in story and "H" * 101 not in story  # nothing recorded
    assert cli("chase", "mvp", "--how", "letter", "--ref", "H" * 100, *now).exit_code == 0


def test_the_same_snooze_or_chase_given_twice_on_the_command_line_is_recorded_once(cli, write_register) -> None:
    """Found in the hostile audit: a repeated `snooze` (a shell's history, a cron line run twice)
    recorded the same action again. The second says so, by its number, and adds nothing."""
    write_register(LAPSING)
    now = ("--now", "2025-07-01T09:00")
    snooze = ("snooze", "mvp", "--until", "2025-08-01", "--reason", "after recess", *now)
    assert cli(*snooze).exit_code == 0
    again = cli(*snooze)
    assert again.exit_code == 1 and "already recorded" in again.output and "nothing was added" in again.output
    chase = ("chase", "mvp", "--how", "letter", "--ref", "L-12", "--to", "the Home Secretary", *now)
    assert cli(*chase).exit_code == 0 and cli(*chase).exit_code == 1
    story = cli("history", "mvp", *now).output
    assert story.count("snoozed reminders until 2025-08-01") == 1 and story.count("L-12") == 1
    assert cli("snooze", "mvp", "--until", "2025-08-15", "--reason", "after recess", *now).exit_code == 0  # another day


YEARLY = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
commitments:
  - id: funding
    title: Fund the scheme each financial year
    owner: Home Office
    type: expectation
    made_on: 2024-05-27
    due: 2025-26
    recurs: financial-year
"""


def test_a_chase_of_a_series_is_about_the_years_past_their_date_and_names_what_it_chased(cli, write_register) -> None:
    """Found in the truth audit: one letter about the lapsed 2025-26 year gave a reply-overdue for
    2026-27 too, a year still ahead; and every reply-overdue said "not news of the promise", of an
    ask or an expectation too (SPEC §7.1)."""
    write_register(YEARLY)
    assert cli("chase", "funding", "--how", "letter", "--reply-due", "2026-11-20", "--now", "2026-11-06T09:00").exit_code == 0
    out = cli("check", "--dry-run", "--now", "2026-12-07T09:00").output
    overdue = [line for line in out.splitlines() if line.startswith("[REPLY OVERDUE]")]
    assert overdue == ["[REPLY OVERDUE] Fund the scheme each financial year (funding, 2025-26)"], overdue
    assert "not news of the expectation." in out and "news of the promise" not in out


def test_a_written_question_s_house_is_read_from_its_reference_and_is_never_required(cli, write_register) -> None:
    """SPEC §7.3 gives `chase` no --house (found in the acceptance audit: it was refused without
    one): "HL1234" is a Lords question, due by the Lords' fortnight; with no reference either, the
    chase is recorded with no reply due, and says how to have one."""
    write_register(LAPSING)
    now = ("--now", "2025-12-01T10:00")
    lords = cli("chase", "mvp", "--how", "written-question", "--ref", "HL1234", *now)
    assert lords.exit_code == 0, lords.output
    assert "reply due 15 Dec 2025" in lords.output and "House of Lords" in lords.output
    bare = cli("chase", "mvp", "--how", "written-question", "--to", "Jess Asato MP", *now)
    assert bare.exit_code == 0, bare.output
    assert "no reply due date: each House has its own standard" in bare.output
    drafted = cli("draft", "mvp", "--as", "written-question", *now)  # SPEC §7.5: --house is optional too
    assert drafted.exit_code == 0, drafted.output
    assert "To ask the Secretary of State for the Home Department" in drafted.output


def test_draft_and_chase_each_say_what_a_question_with_no_house_means(cli, write_register) -> None:
    """Found in the second review (issue 24): `draft --as written-question` with no --house drafted
    for the Commons, saying so only in --help, while `chase --how written-question` with no House
    counts no reply due, so a coordinator who drafted a Commons question and recorded it as drafted
    had no reminders held and no overdue reply. Each now says it: the draft that it took the
    Commons and how to record it with its House; the chase that nothing is held without one."""
    write_register(LAPSING)
    now = ("--now", "2025-12-01T10:00")
    drafted = cli("draft", "mvp", "--as", "written-question", *now)
    assert drafted.exit_code == 0 and "Written question (House of Commons)" in drafted.stdout
    assert "no --house given: drafted for the House of Commons, for an MP to table (for a peer: --house lords)" \
        in drafted.stderr, drafted.stderr
    assert "commitment-bot chase mvp --how written-question --house commons --ref NUMBER" in drafted.stderr
    as_json = cli("draft", "mvp", "--as", "written-question", "--json", *now)
    assert json.loads(as_json.stdout)["house"] == "commons"  # the note is not part of the JSON
    assert "no --house given" not in cli("draft", "mvp", "--as", "written-question", "--house", "commons", *now).output
    bare = cli("chase", "mvp", "--how", "written-question", *now)
    assert "no reply due date: each House has its own standard" in bare.output
    assert "without one, no reminder waits for the reply and none says it is overdue" in bare.output, bare.output


def test_history_json_lists_the_team_s_actions_apart_from_the_updates(cli, write_register) -> None:
    """SPEC §7.3: actions are "listed by `history` as the team's"; `history --json` left them out
    (found in the acceptance audit), and retracted updates too."""
    write_register(LAPSING)
    now = ("--now", "2025-12-01T10:00")
    assert cli("chase", "mvp", "--how", "written-question", "--ref", "HL1234", "--by", "Alice", *now).exit_code == 0
    assert cli("snooze", "mvp", "--until", "2025-12-20", "--reason", "recess", *now).exit_code == 0
    assert cli("update", "mvp", "--note", "A typo", *now).exit_code == 0
    assert cli("update", "mvp", "--retract", "1", *now).exit_code == 0
    story = json.loads(cli("history", "mvp", "--json", *now).stdout)
    chase, snooze = story["actions"]
    assert chase["kind"] == "chase" and chase["ref"] == "HL1234" and chase["reply_due"] == "2025-12-15"
    assert chase["recorded_by"] == "Alice" and snooze == {**snooze, "kind": "snooze", "until": "2025-12-20"}
    assert all(u.get("note") != "A typo" for u in story["updates"])  # a retracted update is not an update
    assert [r["note"] for r in story["retracted"]] == ["A typo"]


PAGE = "https://questions-statements.parliament.uk/written-questions/detail/2025-12-01/HL1234"


@pytest.mark.parametrize(("how", "ref", "url", "on", "context", "answers"), [
    # the answer to the chase's own question, dated before the chase was recorded
    ("written-question", "HL1234", PAGE, date(2025, 12, 10), False, True),
    ("written-question", "hl 1234", PAGE, date(2025, 12, 10), False, True),  # the reference as the team wrote it
    ("written-question", "HL1234", "http://127.0.0.1:8000/written-questions/detail/2025-12-01/HL1234/",
     date(2025, 12, 10), False, True),  # the page on the site the API serves (the stand-in's)
    ("written-question", "HL1234", PAGE, date(2025, 12, 10), True, True),  # its answer, whoever it is filed as
    # not its answer
    ("written-question", "HL1235", PAGE, date(2025, 12, 10), False, False),  # another question
    ("written-question", "1234", PAGE, date(2025, 12, 10), False, False),  # a Commons number is not HL1234
    ("written-question", "HL1234", PAGE.replace("2025-12-01", "2025-06-02"), date(2025, 6, 9), False,
     False),  # HL1234 of an earlier session: a UIN is numbered afresh
    ("letter", "HL1234", PAGE, date(2025, 12, 10), False, False),  # a letter is not answered by a question's answer
    ("written-question", "HL1234", "https://example.org/HL1234", date(2025, 12, 10), False, False),
    # news on or after the chase is not its reply (found in review), the owner's or anyone else's
    ("letter", None, None, date(2025, 12, 12), False, False),
    ("foi", "FOI-123", "https://hansard.parliament.uk/x", date(2025, 12, 15), False, False),
    ("written-question", "HL1234", "https://hansard.parliament.uk/x", date(2025, 12, 15), False, False),
    ("letter", None, None, date(2025, 12, 12), True, False),
])
def test_what_answers_a_chase(how: str, ref: str | None, url: str | None, on: date, context: bool,
                              answers: bool) -> None:
    chase = Action("c", "chase", date(2025, 12, 12), how=how, ref=ref, reply_due=date(2025, 12, 29))
    update = Update("u", on, "HL1234 answered on 10 Dec 2025", source=Source(url or "a note", url),
                    context=context)
    assert (answer(chase, [update]) is update) is answers
    assert chase_hold([chase], [update], None, date(2025, 12, 20)) == (None if answers else date(2025, 12, 29))


@pytest.mark.parametrize(("reply", "answers"), [
    (Action("r", "reply", date(2025, 12, 18), how="foi", ref="FOI-123", until=date(2025, 12, 12)), True),
    (Action("r", "reply", date(2025, 12, 18), how="foi", ref="foi-123"), True),  # no day named: any such chase
    (Action("r", "reply", date(2025, 12, 18), ref="FOI-123"), True),  # written in the file by hand
    (Action("r", "reply", date(2025, 12, 18), how="foi", ref="FOI-124"), False),  # another request
    (Action("r", "reply", date(2025, 12, 18), how="letter", ref="FOI-123"), False),  # a letter's reply
    (Action("r", "reply", date(2025, 12, 18), how="foi", ref="FOI-123", until=date(2025, 12, 1)), False),  # another day
    (Action("r", "reply", date(2025, 12, 10), how="foi", ref="FOI-123"), False),  # before the chase
    (Action("r", "reply", date(2025, 12, 18), how="foi", ref="FOI-123", period="2025-26"), False),  # another period
    (Action("r", "reply", date(2025, 12, 25), how="foi", ref="FOI-123"), False),  # not yet, on 20 Dec
])
def test_the_reply_the_team_records_answers_its_own_chase_only(reply: Action, answers: bool) -> None:
    chase = Action("c", "chase", date(2025, 12, 12), how="foi", ref="FOI-123", reply_due=date(2026, 1, 12))
    today = date(2025, 12, 20)
    assert (answered_on(chase, [], [chase, reply], today) == reply.on) is answers
    assert chase_hold([chase, reply], [], None, today) == (None if answers else date(2026, 1, 12))


def test_every_way_to_chase_is_named_in_the_same_words_everywhere(cli, write_register) -> None:
    """Audit: the command line said "chased … by written-question HL1234" and "by foi FOI-2026-1" where
    the report said "by written question" and "FOI request". One table (words.CHASE_NOUN) for all."""
    write_register(LAPSING)
    said = {how: cli("chase", "mvp", "--how", how, "--ref", ref, "--reply-due", "2025-12-20",
                     "--now", "2025-12-01T10:00").output.splitlines()[0]
            for how, ref in (("written-question", "HL1234"), ("foi", "FOI-2026-1"), ("letter", "L-1"),
                             ("meeting", "M-1"), ("other", "X-1"))}
    assert said["written-question"].startswith("recorded that the team chased mvp by written question HL1234 on ")
    assert said["foi"].startswith("recorded that the team chased mvp by FOI request FOI-2026-1 on ")
    assert said["letter"].startswith("recorded that the team chased mvp by letter L-1 on ")
    assert said["meeting"].startswith("recorded that the team chased mvp at a meeting (M-1) on ")
    assert said["other"].startswith("recorded that the team chased mvp X-1 on ")
    history = cli("history", "mvp", "--now", "2025-12-02T09:00").output
    for line in ("chased by written question HL1234, reply due", "chased by FOI request FOI-2026-1, reply due",
                 "chased at a meeting (M-1), reply due", "chased X-1, reply due"):
        assert line in history, history
    assert "written-question" not in history and "by foi" not in history
    report = cli("report", "--since", "2025-12-01", "--now", "2025-12-02T09:00").output
    assert "the team chased by FOI request FOI-2026-1; reply due" in report
    assert "the team's FOI request FOI-2026-1 of 1 Dec 2025" in report


def test_a_house_is_refused_for_anything_but_a_written_question(cli, write_register) -> None:
    """Audit: `chase … --how letter --house lords` recorded the letter and said nothing of --house."""
    write_register(LAPSING)
    for args in (("chase", "mvp", "--how", "letter", "--house", "lords"),
                 ("chase", "mvp", "--how", "foi", "--house", "commons"),
                 ("draft", "mvp", "--as", "letter", "--house", "lords")):
        refused = cli(*args, "--now", "2025-12-01T10:00")
        assert refused.exit_code == 2, refused.output
        assert "--house applies only to a written question (the House it is tabled in)" in refused.output
        assert "leave --house out" in refused.output
    assert "the team's own actions" not in cli("history", "mvp", "--now", "2025-12-02T09:00").output


def test_a_closed_commitment_is_not_chased_as_it_is_not_drafted(cli, write_register) -> None:
    """Found in review: `draft` refused a delivered promise ("there is nothing to chase") and Slack
    offers no follow-up for it, but `chase` recorded one. One rule (bot.chase.draft.nothing_to_chase)
    for every door, the same sentence and exit code, and nothing recorded."""
    write_register(LAPSING)
    now = ("--now", "2025-12-02T10:00")
    assert cli("update", "mvp", "--note", "Published", "--status", "delivered", "--source", "https://example.org/p",
               "--on", "2025-12-01", *now).exit_code == 0
    drafted = cli("draft", "mvp", "--as", "letter", *now)
    chased = cli("chase", "mvp", "--how", "letter", "--ref", "L-1", *now)
    said = "mvp is closed (delivered): there is nothing to chase"
    assert said in drafted.output and said in chased.output, chased.output
    assert chased.exit_code == drafted.exit_code == 1
    assert "the team's own actions" not in cli("history", "mvp", *now).output



def test_a_closed_commitment_is_not_snoozed_as_it_is_not_chased(cli, write_register) -> None:
    """Found in the second review: `snooze` recorded a snooze of a delivered commitment, exit 0,
    while `chase` refused it. A closed commitment has no reminders to hold: the same refusal,
    whether the file or a recorded update closed it, and nothing recorded."""
    from pathlib import Path

    write_register(LAPSING)
    now = ("--now", "2025-12-02T10:00")
    assert cli("update", "mvp", "--note", "Published", "--status", "delivered", "--source", "https://example.org/p",
               "--on", "2025-12-01", *now).exit_code == 0
    snoozed = cli("snooze", "mvp", "--until", "2026-01-10", "--reason", "recess", *now)
    assert snoozed.exit_code == 1 and "mvp is closed (delivered): there is nothing to snooze" in snoozed.output
    assert "the team's own actions" not in cli("history", "mvp", *now).output
    write_register((Path(__file__).resolve().parent.parent / "commitments.yaml").read_text(encoding="utf-8"))
    shipped = cli("snooze", "smv-evaluation-final-report", "--until", "2027-01-01", "--now", "2026-11-25")
    assert shipped.exit_code == 1, shipped.output
    assert "smv-evaluation-final-report is closed (delivered): there is nothing to snooze" in shipped.output
    assert cli("snooze", "smv-scheme-funding-each-year", "--until", "2027-01-01",
               "--now", "2026-11-25").exit_code == 0  # a series with a year still open is snoozed

def test_a_closed_year_of_a_series_is_not_chased_or_snoozed_while_another_is_open(cli, write_register) -> None:
    """Found in the second review: the shipped funding expectation has 2023-24 and 2024-25 met and
    2025-26 open; `chase … --period 2023-24` and `snooze … --period 2023-24` were recorded, exit 0,
    for a year with nothing left to chase. A closed year is refused as a closed commitment is, in
    the same words naming the year; an open year is still chased and snoozed."""
    from pathlib import Path

    write_register((Path(__file__).resolve().parent.parent / "commitments.yaml").read_text(encoding="utf-8"))
    cid, now = "smv-scheme-funding-each-year", ("--now", "2026-11-25")
    chased = cli("chase", cid, "--period", "2023-24", "--how", "letter", *now)
    assert chased.exit_code == 1, chased.output
    assert f"2023-24 of {cid} is closed (met): there is nothing to chase" in chased.output
    snoozed = cli("snooze", cid, "--period", "2024-25", "--until", "2027-01-01", *now)
    assert snoozed.exit_code == 1, snoozed.output
    assert f"2024-25 of {cid} is closed (met): there is nothing to snooze" in snoozed.output
    assert "the team's own actions" not in cli("history", cid, *now).output
    assert cli("chase", cid, "--period", "2025-26", "--how", "letter", *now).exit_code == 0
    assert cli("snooze", cid, "--period", "2025-26", "--until", "2027-01-01", *now).exit_code == 0


def test_a_meeting_is_with_someone(cli, write_register) -> None:
    """Found in review: "chased at a meeting to the Minister", "the team's meeting of 2 Dec 2025 to the
    Minister". A letter goes to someone; a meeting is with them."""
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "meeting", "--to", "the Minister", "--reply-due", "2025-12-16",
               "--now", "2025-12-02T10:00").exit_code == 0
    assert cli("chase", "mvp", "--how", "letter", "--to", "the Home Secretary", "--now", "2025-12-02T10:00").exit_code == 0
    history = cli("history", "mvp", "--now", "2025-12-03T09:00").output
    assert "chased at a meeting with the Minister, reply due 2025-12-16" in history, history
    assert "chased by letter to the Home Secretary" in history
    report = cli("report", "--since", "2025-12-01", "--now", "2025-12-03T09:00").output
    assert "the team chased at a meeting with the Minister; reply due 16 Dec 2025" in report, report
    assert "the team's meeting of 2 Dec 2025 with the Minister; reply due 16 Dec 2025" in report
    assert " to the Minister" not in history + report


def test_a_reply_is_written_to_the_file_and_read_back_as_the_same(cli, write_register) -> None:
    """`export updates --write` writes the reply under the commitment's `actions:` with the day of
    its chase as `chased:`; read back from the file, it still answers that chase, once."""
    path = write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "foi", "--ref", "FOI-123", "--now", "2025-12-02T10:00").exit_code == 0
    assert cli("chase", "mvp", "--replied", "FOI-123", "--on", "2025-12-20", "--now", "2025-12-21T10:00").exit_code == 0
    before = path.read_text(encoding="utf-8")
    assert cli("export", "updates", "--write", "--now", "2025-12-21T10:00").exit_code == 0
    added = path.read_text(encoding="utf-8").removeprefix(before)
    assert "      - date: 2025-12-20\n        kind: reply\n        chased: 2025-12-02\n        how: foi\n" \
           "        ref: FOI-123\n" in added, added
    assert cli("validate").exit_code == 0
    assert "reply-overdue" not in kinds_on(cli, "2026-01-20")
    history = cli("history", "mvp", "--now", "2026-01-20T10:00").output
    assert history.count("recorded the reply to the team's FOI request FOI-123 of 2025-12-02") == 1, history
    for bad, says in (("{date: 2025-12-20, kind: reply}", "a reply needs how: or ref:"),
                      ("{date: 2025-12-20, kind: reply, ref: X, until: 2025-12-02}", "a reply has no until"),
                      ("{date: 2025-12-20, kind: reply, ref: X, chased: 2025-12-22}", "a reply comes after its chase"),
                      ("{date: 2025-12-20, kind: chase, how: foi, chased: 2025-12-02}", "chased: is for a reply")):
        write_register(LAPSING + f"    actions:\n      - {bad}\n")
        refused = cli("validate")
        assert refused.exit_code != 0 and says in refused.output, (bad, refused.output)


def test_a_reply_by_reference_answers_a_chase_still_awaiting_one_never_one_already_answered(cli, write_register) -> None:
    """Found in the second review (issue 24): of two chases under one reference, `--replied FOI-1`
    answered the later one, and the overdue alert for the earlier then asked for `--replied FOI-1`,
    which recorded a second reply to the later one and left the earlier awaiting for good. A reply
    by reference answers the oldest chase still awaiting one, and says which; one already answered
    is refused; an alert about a chase whose reference is shared names it by its number."""
    write_register(LAPSING)
    for day in ("2025-07-01", "2025-07-03"):
        assert cli("chase", "mvp", "--how", "foi", "--ref", "FOI-1", "--now", f"{day}T10:00").exit_code == 0
    first = cli("chase", "mvp", "--replied", "FOI-1", "--now", "2025-07-10T10:00")
    assert first.exit_code == 0, first.output
    assert "by FOI request FOI-1 of 1 Jul 2025 was replied to on 10 Jul 2025" in first.output
    assert "FOI-1 also names chase #2 of 3 Jul 2025, still awaiting its reply" in first.output, first.output
    second = cli("chase", "mvp", "--replied", "FOI-1", "--now", "2025-07-11T10:00")
    assert second.exit_code == 0 and "of 3 Jul 2025 was replied to on 11 Jul 2025" in second.output, second.output
    for named in ("FOI-1", "#1"):
        again = cli("chase", "mvp", "--replied", named, "--now", "2025-07-12T10:00")
        assert again.exit_code == 1 and "was already replied to" in again.output, again.output
        assert "nothing was recorded" in again.output
    history = cli("history", "mvp", "--now", "2025-07-12T11:00").output
    assert history.count("recorded the reply to the team's FOI request FOI-1 of 2025-07-01") == 1, history
    assert history.count("recorded the reply to the team's FOI request FOI-1 of 2025-07-03") == 1, history


def test_an_overdue_reply_whose_reference_is_shared_names_its_chase_by_number(cli, write_register) -> None:
    write_register(LAPSING)
    for day in ("2025-07-01", "2025-07-03"):
        assert cli("chase", "mvp", "--how", "foi", "--ref", "FOI-1", "--now", f"{day}T10:00").exit_code == 0
    assert cli("chase", "mvp", "--replied", "#2", "--now", "2025-07-10T10:00").exit_code == 0
    shown = cli("check", "--dry-run", "--now", "2025-07-31T09:00").output
    assert "(recorded as chased on Tue 1 Jul 2025, reply due Wed 30 Jul 2025)" in shown, shown
    assert "record it: commitment-bot chase mvp --replied '#1'" in shown, shown
    assert cli("chase", "mvp", "--replied", "#1", "--now", "2025-07-31T10:00").exit_code == 0
    assert "reply-overdue" not in kinds_on(cli, "2025-08-31")


YEARLY_SINCE_2024 = YEARLY.replace("due: 2025-26", "due: 2024-25")


def test_one_chase_of_a_series_naming_no_year_is_one_overdue_reply_however_many_years_it_is_about(
        cli, write_register) -> None:
    """Found in the second review (issue 24): a letter naming no year, sent when 2024-25 and 2025-26
    had both passed with no news, gave a reply-overdue for each year. SPEC §7.3: its identity is
    (id, action), so it is told once, on the earliest open year it is about."""
    write_register(YEARLY_SINCE_2024)
    assert cli("chase", "funding", "--how", "letter", "--now", "2026-04-01T10:00").exit_code == 0
    out = cli("check", "--dry-run", "--now", "2026-05-06T09:00").output
    overdue = [line for line in out.splitlines() if line.startswith("[REPLY OVERDUE]")]
    assert overdue == ["[REPLY OVERDUE] Fund the scheme each financial year (funding, 2024-25)"], overdue
    assert kinds_on(cli, "2026-05-06").count("reply-overdue") == 1
    assert "reply-overdue" not in kinds_on(cli, "2026-06-06")  # told once


OPEN_ENDED_AND_ASKED = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
commitments:
  - id: review
    title: Keep the scheme under review
    owner: Home Office
    made_on: 2025-01-10
    due: in due course
  - id: firewall
    title: Establish a data-sharing firewall
    owner: Home Office
    type: ask
    made_by: the Domestic Abuse Commissioner
    made_on: 2025-01-10
    due: 2026-06-30
"""


def test_a_chase_says_lapse_reminders_wait_only_where_there_is_one_to_hold(cli, write_register) -> None:
    """Found in the second review (issue 24): "Lapse reminders wait until then" was said of a promise
    with no date, which never lapses, and of an ask whose date was still months ahead."""
    write_register(OPEN_ENDED_AND_ASKED)
    for cid in ("review", "firewall"):
        chased = cli("chase", cid, "--how", "letter", "--now", "2025-12-01T10:00")
        assert chased.exit_code == 0 and "reply due 31 Dec 2025" in chased.output, chased.output
        assert "reminders wait" not in chased.output, chased.output
    near = cli("chase", "firewall", "--how", "foi", "--now", "2026-06-20T10:00")  # its date passes before the reply
    assert near.exit_code == 0 and '"No answer" reminders wait until then.' in near.output, near.output
    write_register(LAPSING)
    lapsed = cli("chase", "mvp", "--how", "letter", "--now", "2025-12-01T10:00")
    assert "Lapse reminders wait until then." in lapsed.output, lapsed.output


def test_a_commons_question_number_is_a_reference_before_a_chase_number(cli, write_register) -> None:
    """Found in the final review: a chase with `--ref 12345` (a Commons question's number) could not be
    answered by `--replied 12345`, which was read as chase #12345, so the reply-overdue alert's own
    command failed; and `--ref '#2'` let a reference pass for another chase's number."""
    write_register(LAPSING)
    assert cli("chase", "mvp", "--how", "letter", "--ref", "1", "--now", "2025-12-01T10:00").exit_code == 0  # chase #1
    assert cli("chase", "mvp", "--how", "written-question", "--house", "commons", "--ref", "12345",
               "--now", "2025-12-02T10:00").exit_code == 0  # chase #2
    replied = cli("chase", "mvp", "--replied", "12345", "--on", "2025-12-05", "--now", "2025-12-05T10:00")
    assert replied.exit_code == 0, replied.output
    assert "written question 12345" in replied.output
    assert cli("chase", "mvp", "--replied", "1", "--on", "2025-12-05", "--now", "2025-12-05T10:00").exit_code == 0
    story = cli("history", "mvp", "--json", "--now", "2025-12-06T10:00").stdout
    assert sorted(a.get("ref") for a in json.loads(story)["actions"] if a["kind"] == "reply") == ["1", "12345"]
    refused = cli("chase", "mvp", "--how", "letter", "--ref", "#2", "--now", "2025-12-06T10:00")
    assert refused.exit_code != 0 and 'a reference cannot start with "#"' in refused.output
