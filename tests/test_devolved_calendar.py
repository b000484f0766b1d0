"""A devolved government's promise is not read by Westminster's calendar (README "Whitehall time").

The reader holds the UK Parliament's sessions, recesses and dissolutions, and a phrase names no
Parliament. "By the end of this parliamentary session" from the Scottish Government means the
Scottish Parliament's session (its whole five-year term), years after Westminster's: read as
Westminster's, the bot would call the promise lapsed years early. So the register and `update`
refuse such words from a devolved government and ask for the deadline the words mean there; the
UK government's departments (the Scotland Office among them) keep Westminster's reading.
"""

from __future__ import annotations

import pytest

from bot.register.devolved import legislature

REGISTER = """\
version: 1
routes:
  - slack: ["#commitments"]
commitments:
  - id: scot
    title: Publish the strategy
    owner: {owner}
    made_on: 2022-09-01
    due: {due}
{extra}"""


def register(write_register, owner: str, due: str, extra: str = ""):  # type: ignore[no-untyped-def]
    return write_register(REGISTER.format(owner=owner, due=due, extra=extra))


@pytest.mark.parametrize(("owner", "house"), [
    ("Scottish Government", "the Scottish Parliament"),
    ("the Scottish Ministers", "the Scottish Parliament"),
    ("Welsh Government", "the Senedd"),
    ("Llywodraeth Cymru", "the Senedd"),
    ("Northern Ireland Executive", "the Northern Ireland Assembly"),
    ("Department of Health (NI)", "the Northern Ireland Assembly"),
    ("Scotland Office", None),
    ("Wales Office", None),
    ("Northern Ireland Office", None),
    ("Home Office", None),
])
def test_who_answers_to_a_devolved_legislature(owner: str, house: str | None) -> None:
    assert legislature(owner) == house


@pytest.mark.parametrize("due", ["by the end of this parliamentary session", "before the summer recess",
                                 "by the end of this Parliament"])
def test_a_devolved_governments_words_on_parliaments_calendar_are_refused(cli, write_register, due: str) -> None:
    result = cli("validate", "--file", str(register(write_register, "Scottish Government", due)))
    assert result.exit_code == 1
    assert f'due "{due}" is read by the UK Parliament\'s calendar' in result.output
    assert "Scottish Government answers to the Scottish Parliament" in result.output
    assert "set deadline:" in result.output


def test_a_deadline_given_by_hand_rescues_them(cli, write_register) -> None:
    path = register(write_register, "Scottish Government", "by the end of this parliamentary session",
                    "    deadline: 2026-05-06\n")
    result = cli("validate", "--file", str(path))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("owner", ["Scotland Office", "Home Office"])
def test_the_uk_governments_words_keep_westminsters_calendar(cli, write_register, owner: str) -> None:
    path = register(write_register, owner, "by the end of this parliamentary session")
    assert cli("validate", "--file", str(path)).exit_code == 0


def test_words_off_the_parliament_calendar_read_for_a_devolved_government(cli, write_register) -> None:
    path = register(write_register, "Welsh Government", "by spring 2023")
    assert cli("validate", "--file", str(path)).exit_code == 0


def test_a_slip_recorded_for_a_devolved_government_is_refused_the_same_way(cli, write_register, tmp_path) -> None:
    path = register(write_register, "Welsh Government", "by spring 2023")
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    result = cli("update", "scot", "--note", "Now promised before the summer recess", "--due", "before the summer recess",
                 "--on", "2023-03-01", "--file", str(path), "--database", url, "--now", "2023-03-02")
    assert result.exit_code != 0
    assert "Welsh Government answers to the Senedd" in result.output
    assert "give --deadline YYYY-MM-DD" in result.output
    history = cli("history", "scot", "--json", "--file", str(path), "--database", url, "--now", "2023-03-02")
    assert "summer recess" not in history.output
