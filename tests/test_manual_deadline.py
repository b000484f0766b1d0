"""Issue 17, item 1: `deadline:` rescues any `due` (SPEC §2), in the register and in `update`.

Words that do not read, given with a deadline, are kept as the promise and the window is the
maintainer's (kind "manual"). Through the real CLI, on SQLite and PostgreSQL (`database_url`).
The loader's own table is in tests/test_loader.py ("issue 17").
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.when.dates import Window, describe
from tests.test_storage import dump_database

PILOT = "once the pilot has been evaluated"  # words no reading of Whitehall time will ever take
NOW = "2025-06-01"
REGISTER = f"""\
version: 1
routes:
  - slack: ["#commitments"]
commitments:
  - id: beta
    title: Beta promise
    owner: Home Office
    made_on: 2024-11-04
    due: {PILOT}
    deadline: 2025-03-31
  - id: funding
    title: Scheme funding
    owner: Home Office
    made_on: 2024-03-01
    due: 2024-25
    recurs: financial-year
"""


@pytest.fixture
def register(write_register) -> Path:  # type: ignore[no-untyped-def]
    return write_register(REGISTER)


def run(cli, register: Path, url: str, *args: str):  # type: ignore[no-untyped-def]
    return cli(*args, "--file", str(register), "--database", url, "--now", NOW)


# -- the window and its words ------------------------------------------------------------------
@pytest.mark.parametrize(("earliest", "latest", "text"), [
    pytest.param(date(2024, 11, 4), date(2025, 3, 31), "31 Mar 2025, set by hand", id="from-made-on"),
    pytest.param(date(2025, 3, 31), date(2025, 3, 31), "31 Mar 2025, set by hand", id="one-day"),
])
def test_a_manual_window_says_the_deadline_was_set_by_hand(earliest: date, latest: date, text: str) -> None:
    assert describe(Window("manual", earliest, latest)) == text


def test_the_issues_example_validates(cli, write_register) -> None:
    """`due: in the new year` with `deadline: 2025-03-31` (issue 17) is a valid register."""
    path = write_register(REGISTER.replace(f"due: {PILOT}", "due: in the new year"))
    result = cli("validate", "--file", str(path))
    assert result.exit_code == 0, result.output
    status = cli("status", "--json", "--file", str(path), "--now", NOW,
                 "--database", f"sqlite:///{path.parent / 'bot.db'}")
    assert {r["id"]: r for r in json.loads(status.stdout)}["beta"]["deadline"] == "2025-03-31"


def test_a_rescued_promise_lapses_at_its_deadline_with_its_words(cli, register, database_url) -> None:
    result = run(cli, register, database_url, "check")
    assert result.exit_code == 0, result.output
    assert f"promised: {PILOT} → read as 31 Mar 2025, set by hand" in result.stdout
    status = json.loads(run(cli, register, database_url, "status", "--json").stdout)
    beta = {r["id"]: r for r in status}["beta"]
    assert (beta["state"], beta["deadline"], beta["due"]) == ("lapsed", "2025-03-31", PILOT)


# -- `commitment-bot update --deadline` --------------------------------------------------------
@pytest.mark.parametrize(("args", "deadline", "promised"), [
    pytest.param(["--due", f"{PILOT} in Wales", "--deadline", "2025-12-31"], "2025-12-31",
                 f"promised {PILOT} in Wales → 31 Dec 2025, set by hand  SLIP 1", id="unreadable-due-kept"),
    pytest.param(["--deadline", "2025-12-31"], "2025-12-31", "promised 2025-12-31 → 31 Dec 2025  SLIP 1",
                 id="deadline-alone-its-words-are-the-date"),
    pytest.param(["--due", "autumn 2025", "--deadline", "2025-12-31"], "2025-12-31",
                 "promised autumn 2025 → 1 Sep – 31 Dec 2025  SLIP 1", id="readable-due-keeps-its-reading"),
    pytest.param(["--due", f"{PILOT} in Wales", "--deadline", "2025-05-01"], "2025-05-01",
                 f"promised {PILOT} in Wales → 1 May 2025, set by hand  SLIP 1", id="deadline-on-the-day"),
])
def test_update_records_a_deadline_and_keeps_the_words(cli, register, database_url, args: list[str], deadline: str,
                                                       promised: str) -> None:
    recorded = run(cli, register, database_url, "update", "beta", "--note", "Slipped", "--on", "2025-05-01", *args)
    assert recorded.exit_code == 0, recorded.output
    status = json.loads(run(cli, register, database_url, "status", "--json").stdout)
    assert {r["id"]: r for r in status}["beta"]["deadline"] == deadline
    history = run(cli, register, database_url, "history", "beta")
    assert promised in history.stdout, history.stdout
    assert [row[10] for row in dump_database(database_url)["updates"]] == [date.fromisoformat(deadline)]


def test_a_recurring_commitments_deadline_names_its_period(cli, register, database_url) -> None:
    recorded = run(cli, register, database_url, "update", "funding", "--note", "Late again", "--period", "2024-25",
                   "--due", "when the Spending Review settles", "--deadline", "2025-06-30")
    assert recorded.exit_code == 0, recorded.output
    history = run(cli, register, database_url, "history", "funding")
    assert "promised when the Spending Review settles → 30 Jun 2025, set by hand  SLIP 1" in history.stdout


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["beta", "--due", PILOT], f'due "{PILOT}" is not a date this bot can read (try an ISO date like '
                 '2022-08-31 or a phrase like "end of August 2022", or give --deadline YYYY-MM-DD)',
                 id="unreadable-due-without-deadline-says-how"),
    pytest.param(["beta", "--due", PILOT, "--on", "2025-05-01", "--deadline", "2025-04-30"],
                 "--deadline 2025-04-30 is before the update's date (--on 2025-05-01)", id="deadline-before-on"),
    pytest.param(["beta", "--deadline", "2201-01-01"],
                 "--deadline 2201-01-01 is out of range: dates must stay within years 1900–2200", id="after-2200"),
    pytest.param(["beta", "--deadline", "1899-12-31"], "--deadline 1899-12-31 is out of range", id="before-1900"),
    pytest.param(["beta", "--deadline", "31/12/2025"], '--deadline "31/12/2025" must be a date written YYYY-MM-DD',
                 id="not-iso"),
    pytest.param(["funding", "--deadline", "2025-12-31"], "must name its --period", id="recurring-without-period"),
    pytest.param(["beta", "--due", " ", "--deadline", "2025-12-31"], "--due must give the promise's words",
                 id="empty-words-with-a-deadline"),
])
def test_a_wrong_deadline_exits_1_and_changes_nothing(cli, register, database_url, args: list[str],
                                                      message: str) -> None:
    assert run(cli, register, database_url, "check").exit_code == 0
    before = dump_database(database_url)
    result = run(cli, register, database_url, "update", *args[:1], "--note", "x", *args[1:])
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert dump_database(database_url) == before


# -- the database: migration 0003 ---------------------------------------------------------------
def test_an_older_database_keeps_its_updates_and_takes_deadlines(cli, register, database_url) -> None:
    """A database at 0002 holding a recorded update is migrated on first use: the update reads
    as before, with no deadline, and new updates may carry one."""
    from alembic import command
    from sqlalchemy import MetaData, insert

    from storage.db import HEAD, alembic_config, connect, current_revision

    engine = connect(database_url, migrate=False)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
        meta = MetaData()
        meta.reflect(engine)
        assert "deadline" not in meta.tables["updates"].c
        with engine.begin() as conn:
            conn.execute(insert(meta.tables["updates"]).values(
                commitment_id="beta", on=date(2025, 2, 1), note="Older news", due="summer 2025",
                recorded_at=datetime(2025, 2, 1, tzinfo=UTC)))
    finally:
        engine.dispose()
    history = run(cli, register, database_url, "history", "beta")
    assert history.exit_code == 0, history.output
    assert "promised summer 2025 → 1 Jun – 31 Aug 2025  SLIP 1" in history.stdout
    recorded = run(cli, register, database_url, "update", "beta", "--note", "Later still", "--on", "2025-05-01",
                   "--due", PILOT, "--deadline", "2025-12-31")
    assert recorded.exit_code == 0, recorded.output
    engine = connect(database_url, migrate=False)
    try:
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
    assert [(row[3], row[10]) for row in dump_database(database_url)["updates"]] == [
        ("Older news", None), ("Later still", date(2025, 12, 31))]
