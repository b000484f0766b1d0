"""A statement the team withdrew is corrected where it was said (issue 21, SPEC §6.1, §7).

A team puts its name to every word the bot says. An update recorded by mistake and retracted
(`update --retract N`) stops counting everywhere, but the Slack thread, the mail and the Teams
card that told its news kept saying it: "The deadline moved … to 31 May 2027", with no
correction. Now the news of a withdrawn update is followed, in every room that was told it and
in no other, by one correction: what the update said and who it named, that the team withdrew
it, and what stands now. It is the team's correction, never news of the promise.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.shell.sandbox.slack import SlackState
from bot.shell.sandbox.smtp import smtp_server
from bot.shell.sandbox.teams import TeamsState, text_of
from tests.standins import running_slack, running_teams, slack_env, teams_env  # noqa: F401 (fixtures)

REGISTER = """\
version: 1
timezone: Europe/London
routes:
  - slack: ["#mvp-watch"]
    teams: [advocacy]
    email: [coord@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    source:
      title: Letter to Baroness Meacher
      quote: "we aim to implement them by end August."
    updates:
      - date: 2023-07-31
        note: The Protocol will be finalised later this year.
        due: later this year
        said_by: Lord Murray of Blidworth
        source: {title: Written answer HL9622, url: "https://example.org/hl9622"}
"""
CORRECTION = ("The update of 23 Nov 2026 (“spring 2027”, A. Minister) was withdrawn by the team on 24 Nov 2026: "
              "it was recorded in error (the team's reason: “meant another promise”). "
              "The deadline in force is again 31 Dec 2023.")
SLIP = ("update", "mvp", "--note", "Now spring 2027", "--due", "spring 2027", "--said-by", "A. Minister",
        "--source", "https://example.org/a", "--now", "2026-11-23T09:00")
RETRACT = ("update", "mvp", "--retract", "1", "--note", "meant another promise", "--now", "2026-11-24T09:00")


def _flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def test_a_withdrawn_update_is_corrected_once_in_every_room_that_was_told_it(
        cli, write_register, slack: SlackState, teams: TeamsState, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    with smtp_server(tmp_path) as server:
        env = {**slack_env(slack), **teams_env(teams), **server.env()}

        def check(now: str) -> list[str]:
            ran = cli("check", "--json", "--now", now, env=env)
            assert ran.exit_code == 0, ran.output
            import json

            return [n["kind"] for n in json.loads(ran.stdout)["notifications"]]

        assert check("2026-11-22T09:00") == ["lapsed"]
        assert cli(*SLIP).exit_code == 0
        assert check("2026-11-23T10:00") == ["slipped"]
        assert cli(*RETRACT).exit_code == 0
        posted, cards, mails = len(slack.posted()), len(teams.cards("advocacy")), len(server.handler.to("coord@example.org"))
        assert check("2026-11-24T10:00") == ["withdrawn"]

        (correction,) = slack.posted()[posted:]
        slipped = next(m for m in slack.posted() if (m.metadata or {}).get("event_payload", {}).get("kind") == "slipped")
        assert correction.thread_ts == (slipped.thread_ts or slipped.ts)  # in the thread that told the slip
        assert correction.text.startswith("✏️ Correction: Implement the Migrant Victim Protocol — The update of")
        assert CORRECTION in _flat(str(correction.blocks))
        (card,) = teams.cards("advocacy")[cards:]
        assert "Correction" in text_of(card) and CORRECTION in _flat(text_of(card))
        (mail,) = server.handler.to("coord@example.org")[mails:]
        assert str(mail["Subject"]).lower().startswith("correction: implement the migrant victim protocol")
        assert CORRECTION in _flat(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]

        # told once: a re-check says nothing more anywhere
        assert check("2026-11-25T10:00") == []
        assert len(slack.posted()) == posted + 1 and len(teams.cards("advocacy")) == cards + 1
        assert len(server.handler.to("coord@example.org")) == mails + 1
    # the team's correction, never news: the history lists the update as retracted, not as news
    history = cli("history", "mvp", "--now", "2026-11-25T10:00").stdout
    assert "RETRACTED on 2026-11-24 (meant another promise)" in history


def test_the_console_corrects_what_it_said(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    """The auditors' repro, with no channel configured: the console stands in for every one."""
    write_register(REGISTER)
    assert cli("check", "--now", "2026-11-22T09:00").exit_code == 0
    assert cli(*SLIP).exit_code == 0
    assert "[SLIPPED]" in cli("check", "--now", "2026-11-23T10:00").stdout
    retracted = cli(*RETRACT)
    assert "the next check corrects its news wherever it was told" in retracted.output
    told = cli("check", "--now", "2026-11-24T10:00").output
    assert "[CORRECTION] Implement the Migrant Victim Protocol (mvp)" in told
    assert f"  {CORRECTION}\n" in told
    assert "promised now “later this year”: Lord Murray of Blidworth, 31 Jul 2023" in told  # what stands
    assert "1 alert decided" in told
    assert "0 alerts decided" in cli("check", "--now", "2026-11-25T10:00").output
    # history --json keeps what the correction quoted: the words and who gave them (SPEC §7.2)
    (gone,) = json.loads(cli("history", "mvp", "--json", "--now", "2026-11-25T10:00").stdout)["retracted"]
    assert (gone["due"], gone["said_by"], gone["status"]) == ("spring 2027", "A. Minister", None)
    assert "recorded_by" in gone


def test_an_update_withdrawn_before_any_check_told_it_is_corrected_nowhere(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    assert cli("check", "--now", "2026-11-22T09:00").exit_code == 0
    assert cli(*SLIP).exit_code == 0
    assert cli(*RETRACT).exit_code == 0
    told = cli("check", "--now", "2026-11-24T10:00").output
    assert "0 alerts decided" in told and "CORRECTION" not in told and "SLIPPED" not in told


def test_a_correction_goes_only_where_the_news_went(cli, write_register, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    """News held for Slack while it was not configured, and expired once its update was retracted,
    was never said there: Slack gets no correction of it, the console (which told it) does."""
    write_register(REGISTER.replace('    teams: [advocacy]\n    email: [coord@example.org]\n', ""))
    assert cli("check", "--now", "2026-11-22T09:00").exit_code == 0
    assert cli(*SLIP).exit_code == 0
    assert "[SLIPPED]" in cli("check", "--now", "2026-11-23T10:00").stdout  # held for #mvp-watch
    assert cli(*RETRACT).exit_code == 0
    told = cli("check", "--now", "2026-11-24T10:00", env=slack_env(slack))
    assert told.exit_code == 0, told.output
    assert "[CORRECTION]" in told.stdout
    assert not any("Correction" in m.text or "spring 2027" in m.text for m in slack.posted())


def test_a_correction_says_what_stands_now_and_never_puts_the_teams_note_in_anyones_mouth() -> None:
    """A withdrawn closing leaves the promise open again; a withdrawn note with no words of its own
    is quoted as what the team recorded, never as the speaker's; a promise still closed says so."""
    from bot.decide.correction import WithdrawnView
    from bot.decide.kinds import kind
    from bot.decide.words import written
    from tests.standins import make_alert

    def said(now: str, **view: str) -> str:
        w = WithdrawnView(**{"on": "2026-11-23", "note": "Asked again", "withdrawn_on": "2026-11-24", **view})
        return "".join(kind("withdrawn").says(make_alert(kind="withdrawn", status=now, withdrawn=w), written))

    assert said("open", status="delivered") == (
        "The update of 23 Nov 2026 (marked delivered) was withdrawn by the team on 24 Nov 2026: it was recorded in "
        "error. It is open again; the deadline in force is still 31 Aug 2022.")
    note = said("open", said_by="A. Minister", why="wrong commitment")
    assert note == (
        "The update of 23 Nov 2026 (recorded as “Asked again”) was withdrawn by the team on 24 Nov 2026: it was "
        "recorded in error (the team's reason: “wrong commitment”). The deadline in force is still 31 Aug 2022.")
    assert "A. Minister" not in note  # the team's note is nobody else's words
    assert said("delivered", status="open").endswith("It stands as delivered.")
