"""`commitment-bot when PHRASE --explain` names what read the phrase (issue 25): the rule or family,
the words set aside around a wrapped date, and the calendar row used, by the calendar it is from
(a Budget's row is the fiscal calendar's, not Parliament's)."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize(("args", "lines", "absent"), [
    pytest.param(["at the Autumn Statement", "--made-on", "2013-06-01"],
                 ["read by: fiscal calendar: the Autumn Statement 2013",
                  "Fiscal calendar row: Autumn Statement 2013 (Autumn Statement): 2013-12-05 – 2013-12-05; source http"],
                 "Parliament calendar", id="fiscal-row"),
    pytest.param(["by the summer recess", "--made-on", "2025-05-01"],
                 ["read by: Parliament calendar: a recess", "Parliament calendar row: summer recess 2025"],
                 "Fiscal calendar", id="recess-row"),
    pytest.param(["by the statutory deadline of 30 June", "--made-on", "2024-09-10"],
                 ['read by: beyond the table: a date wrapped in words (set aside: "statutory deadline of"), then '
                  "SPEC §2.1 table: a day and month"],
                 "calendar row", id="wrapped-date"),
    pytest.param(["within a couple of weeks", "--made-on", "2024-09-10"],
                 ['read by: beyond the table: a vague count ("a couple of" weeks = 2 weeks'],
                 "calendar row", id="vague-count"),
    # issue 25 audit L2: a Parliament dissolved before the 2022 Act is read to its dissolution, never by that Act
    pytest.param(["by the end of this Parliament", "--made-on", "1998-01-01"],
                 ["read by: Parliament calendar: the end of this Parliament (read to the day it was dissolved, "
                  "2001-05-14: row 52 of parliaments.csv)",
                  "Parliament calendar row: 1997 Parliament (Parliament): 1997-05-07 – 2001-05-14; source http"],
                 "DCPA", id="old-parliament"),
    pytest.param(["by Budget 2024", "--made-on", "2024-01-10"],
                 ["read by: fiscal calendar: the Autumn Budget 2024 (the later of 2 that year, the most generous "
                  "reading; the words could also mean the Spring Budget 2024 (2024-03-06))"],
                 "Parliament calendar", id="two-budgets"),
])
def test_explain_names_the_family_and_the_calendar_row(cli, args: list[str], lines: list[str], absent: str) -> None:
    result = cli("when", *args, "--explain")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    for line in lines:
        assert any(o.startswith(line) for o in out), (line, out)
    assert absent not in result.stdout


def test_explain_json_names_the_row(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("when", "Budget 2014", "--made-on", "2013-06-01", "--explain", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["deadline"] == "2014-03-19"
    assert doc["rule"] == "fiscal calendar: the Budget 2014"
    assert doc["entry"].startswith("Budget 2014 (Budget): 2014-03-19")


SPEC_KINDS = {"day", "month", "season", "quarter", "half", "year", "financial-year", "relative", "open"}


@pytest.mark.parametrize("phrase", ["this week", "next week", "w/c 18 November", "the summer recess",
                                    "the Christmas recess", "this session", "the end of this Parliament",
                                    "the House rises for the summer", "end August", "in due course", "Q3 2024/25"])
def test_when_json_kind_is_one_spec_names(cli, phrase: str) -> None:  # type: ignore[no-untyped-def]
    """SPEC §4: `kind` is one of a closed list; "this week" said "week" and a recess "parliament"
    (found in the acceptance audit). The reader's own family is kept, in a field of its own."""
    result = cli("when", phrase, "--made-on", "2024-01-10", "--json", "--explain")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["kind"] in SPEC_KINDS and out["family"], out
