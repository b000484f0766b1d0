"""Quarters of financial years, and a quarter without a year read as the register says
(issue 17 item 3, SPEC §2.1 "Beyond the table").

`Q1`–`Q4` with a financial year (`2024/25`, `FY`) are financial quarters (Q1 = Apr–Jun … Q4 =
Jan–Mar of the second year); with a calendar year they are calendar quarters, whatever the
setting. A quarter with no year is read against `made_on` as `quarters` says: a calendar quarter
by default, or the first financial quarter that ends on or after `made_on`.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.when.dates import UnreadableDate, resolve

MADE = date(2024, 5, 10)
BOTH = ("calendar", "financial")

# (phrase, made_on, quarters, earliest, latest); the deadline is `latest`, the quarter's last day
READS = [
    # a quarter of a financial year is financial, whatever the setting
    ("Q3 2024/25", MADE, "calendar", "2024-10-01", "2024-12-31"),
    ("Q3 2024/25", MADE, "financial", "2024-10-01", "2024-12-31"),
    ("Q3 2024-25", None, "calendar", "2024-10-01", "2024-12-31"),
    ("Q3 FY2024/25", None, "calendar", "2024-10-01", "2024-12-31"),
    ("Q3 FY 2024-25", None, "calendar", "2024-10-01", "2024-12-31"),
    ("Q3 of 2024-25", None, "calendar", "2024-10-01", "2024-12-31"),
    ("the third quarter of 2024/25", None, "calendar", "2024-10-01", "2024-12-31"),
    ("Q1 2024/25", None, "calendar", "2024-04-01", "2024-06-30"),
    ("Q2 2024/2025", None, "calendar", "2024-07-01", "2024-09-30"),
    ("Q4 2024/25", None, "calendar", "2025-01-01", "2025-03-31"),
    ("by the end of Q4 FY24/25", None, "calendar", "2025-01-01", "2025-03-31"),
    ("the first quarter of the 2024-25 financial year", None, "calendar", "2024-04-01", "2024-06-30"),
    ("the last quarter of 2024/25", None, "financial", "2025-01-01", "2025-03-31"),
    ("Q4 1999/2000", None, "calendar", "2000-01-01", "2000-03-31"),
    # a quarter of a calendar year is calendar, whatever the setting (as today)
    ("Q4 2023", MADE, "calendar", "2023-10-01", "2023-12-31"),
    ("Q4 2023", MADE, "financial", "2023-10-01", "2023-12-31"),
    ("the first quarter of 2023", MADE, "financial", "2023-01-01", "2023-03-31"),
    ("Q4 next year", MADE, "financial", "2025-10-01", "2025-12-31"),
    # no year: a calendar quarter by default (as today) ...
    ("Q4", MADE, "calendar", "2024-10-01", "2024-12-31"),
    ("Q1", MADE, "calendar", "2025-01-01", "2025-03-31"),
    ("the fourth quarter", MADE, "calendar", "2024-10-01", "2024-12-31"),
    # ... or the first financial quarter that ends on or after made_on
    ("Q4", MADE, "financial", "2025-01-01", "2025-03-31"),
    ("Q4", date(2024, 2, 10), "financial", "2024-01-01", "2024-03-31"),
    ("Q4", date(2024, 3, 31), "financial", "2024-01-01", "2024-03-31"),
    ("Q4", date(2024, 4, 1), "financial", "2025-01-01", "2025-03-31"),
    ("Q1", MADE, "financial", "2024-04-01", "2024-06-30"),
    ("Q1", date(2024, 7, 1), "financial", "2025-04-01", "2025-06-30"),
    ("end of Q2", MADE, "financial", "2024-07-01", "2024-09-30"),
    ("the last quarter", MADE, "financial", "2025-01-01", "2025-03-31"),
    # "before X": the day before the next such quarter begins
    ("before Q4", MADE, "calendar", "2024-05-10", "2024-09-30"),
    ("before Q4", MADE, "financial", "2024-05-10", "2024-12-31"),
    ("before Q3 2024/25", MADE, "calendar", "2024-05-10", "2024-09-30"),
    # quarters of the made_on's own period read the same either way
    ("this quarter", MADE, "financial", "2024-05-10", "2024-06-30"),
    ("next quarter", MADE, "financial", "2024-07-01", "2024-09-30"),
]


@pytest.mark.parametrize(("phrase", "made_on", "quarters", "earliest", "latest"), READS)
def test_quarters_read(phrase: str, made_on: date | None, quarters: str, earliest: str, latest: str) -> None:
    w = resolve(phrase, made_on, quarters)
    assert (w.kind, w.earliest, w.latest, w.deadline) == (
        "quarter", date.fromisoformat(earliest), date.fromisoformat(latest), date.fromisoformat(latest))


# Refusals stay refusals, with either setting: (phrase, made_on, what the message says)
REFUSED = [
    ("Q5 2024/25", None, "names quarter 5, but quarters run Q1 to Q4"),
    ("Q0 2024-25", None, "names quarter 0, but quarters run Q1 to Q4"),
    ("the fifth quarter of 2024/25", None, "is not a date this bot can read"),
    ("Q3 2024/26", None, "is not a financial year: the second year must follow the first"),
    ("Q3 2023/2025", None, "is not a financial year: the second year must follow the first"),
    ("Q3 FY24/26", None, "is not a financial year: the second year must follow the first"),
    ("Q3 24/25", None, "is not a date this bot can read"),  # a two-digit first year only after FY
    ("Q4", None, "has no year and no made_on"),
    ("Q5", MADE, "names quarter 5, but quarters run Q1 to Q4"),
]


@pytest.mark.parametrize("quarters", BOTH)
@pytest.mark.parametrize(("phrase", "made_on", "message"), REFUSED)
def test_quarters_refused(phrase: str, made_on: date | None, message: str, quarters: str) -> None:
    with pytest.raises(UnreadableDate, match=message):
        resolve(phrase, made_on, quarters)


def test_an_unknown_setting_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="quarters"):
        resolve("Q4", MADE, "fiscal")


def test_the_default_is_calendar() -> None:
    assert resolve("Q4", MADE) == resolve("Q4", MADE, "calendar")


# -- `when --quarters` -------------------------------------------------------------------------
SAYS = "read as a {0} quarter; set defaults.quarters: {1} in the register, or --quarters {1}, to read it as a {1} quarter"


@pytest.mark.parametrize(("args", "deadline", "says"), [
    pytest.param(["Q4", "--made-on", "2024-05-10"], "2024-12-31", SAYS.format("calendar", "financial"), id="default"),
    pytest.param(["Q4", "--made-on", "2024-05-10", "--quarters", "financial"], "2025-03-31",
                 SAYS.format("financial", "calendar"), id="financial"),
    pytest.param(["Q3 2024/25", "--quarters", "calendar"], "2024-12-31", None, id="financial-year"),
    pytest.param(["Q4 2023", "--quarters", "financial"], "2023-12-31", None, id="calendar-year"),
])
def test_when_says_how_a_quarter_without_a_year_is_read(cli, args: list[str], deadline: str,  # type: ignore[no-untyped-def]
                                                        says: str | None) -> None:
    result = cli("when", *args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"deadline {deadline}" in lines[0]
    assert lines[1:] == ([says] if says else [])
    shape = cli("when", *args, "--json")
    assert shape.exit_code == 0
    assert json.loads(shape.output)["deadline"] == deadline
    assert set(json.loads(shape.output)) == {"phrase", "made_on", "kind", "earliest", "latest", "deadline"}


def test_when_refuses_an_unknown_setting(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("when", "Q4", "--made-on", "2024-05-10", "--quarters", "fiscal").exit_code == 2


# -- a recorded update's quarter, in every command (review of issue 23) --------------------------
FINANCIAL = """\
version: 1
defaults: {quarters: financial}
commitments:
  - id: fq
    title: Publish the plan
    owner: Home Office
    type: promise
    made_on: 2025-05-01
    due: end of 2025
    source: {url: "https://www.gov.uk/government/publications/plan", title: "A letter"}
"""


def test_a_recorded_quarter_reads_as_the_register_says_in_status_as_in_history(  # type: ignore[no-untyped-def]
        cli, write_register, database_url: str) -> None:
    """`update fq --due Q4` made in June 2025 under `quarters: financial` moves the deadline to
    31 Mar 2026 (Q4 of 2025/26): `status` says so, as `history` does, not "lapsed 2025-12-31"."""
    path = write_register(FINANCIAL)
    where = ["--file", str(path), "--database", database_url]
    recorded = cli("update", "fq", *where, "--note", "Now the last quarter", "--due", "Q4", "--on", "2025-06-01",
                   "--source", "https://www.gov.uk/government/news/plan", "--now", "2025-06-02T09:00")
    assert recorded.exit_code == 0, recorded.output
    history = cli("history", "fq", *where, "--now", "2026-01-20T09:00")
    assert "now: upcoming, deadline 2026-03-31" in history.stdout
    status = cli("status", *where, "--now", "2026-01-20T09:00", "--json")
    assert status.exit_code == 0, status.output
    (row,) = json.loads(status.stdout)
    assert (row["state"], row["deadline"], row["days_overdue"]) == ("upcoming", "2026-03-31", 0)
