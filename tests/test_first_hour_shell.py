"""Issue 13, what a new team sees from `status`, `check` and `update`: true, plain, consistent.

Run through the real CLI on the shipped register (or a small one) and a real SQLite file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import Cli
from tests.test_timetravel import REGISTER

ROOT = Path(__file__).resolve().parent.parent


def shipped(tmp_path: Path) -> tuple[str, ...]:
    shutil.copy(ROOT / "commitments.yaml", tmp_path / "commitments.yaml")
    return ("--file", str(tmp_path / "commitments.yaml"), "--database", f"sqlite:///{tmp_path / 'bot.db'}")


def test_time_travel_sees_only_promises_already_made(cli: Cli, tmp_path: Path) -> None:
    base = shipped(tmp_path)
    rows = json.loads(cli("status", *base, "--now", "2022-09-09", "--json").stdout)
    made = {r["id"] for r in rows}
    assert "mvp-implement-by-end-august-2022" in made
    assert "code-of-practice-consultation-2023" not in made and "retain-dv-settlement-safeguards" not in made
    decided = json.loads(cli("check", *base, "--now", "2022-09-09", "--dry-run", "--json").stdout)["notifications"]
    assert {n["id"] for n in decided} <= made


def test_status_shows_titles_owners_and_says_what_lapsed_and_overdue_mean(cli: Cli, tmp_path: Path) -> None:
    out = cli("status", *shipped(tmp_path), "--now", "2026-11-22").output
    header = out.splitlines()[1]
    assert header.split() == ["STATE", "ID", "DEADLINE", "PAST", "DUE", "SLIPS", "LAST", "UPDATE", "THEIR", "WORDS",
                              "OWNER", "TITLE"]
    assert "Home Office  Implement the Migrant" in out
    assert "lapsed = past its deadline, and no update since the deadline" in out
    assert all(len(line) <= 160 for line in out.splitlines()[:13])  # titles cut to the terminal's width
    assert "…" in out


def test_check_says_alerts_and_deliveries(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    result = cli("check", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T09:00")
    assert "checked 2 commitments: 2 alerts decided; deliveries: 2 sent, 0 queued, 0 failed" in result.output


def test_a_removed_commitment_is_said_to_be_archived_and_listed(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    base = ("--file", str(file), "--database", sqlite_url)
    assert cli("check", *base, "--now", "2022-09-08T09:00").exit_code == 0
    file.write_text(REGISTER.split("  - id: safeguards")[0], encoding="utf-8")
    result = cli("check", *base, "--now", "2022-09-09T09:00")
    assert "archived: safeguards — removed from the register, kept with their history" in result.output
    assert "put one back in the register to restore it" in result.output
    listed = cli("status", *base, "--now", "2022-09-09T10:00", "--state", "archived")
    assert listed.exit_code == 0 and "archived  safeguards  Identify safeguards" in listed.output
    (row,) = json.loads(cli("status", *base, "--now", "2022-09-09T10:00", "--state", "archived", "--json").stdout)
    assert row["id"] == "safeguards" and row["state"] == "archived"
    # SPEC §4's stable row shape (found in the acceptance audit: an archived row had four fields)
    assert {"deadline", "days_overdue", "slips", "last_update"} <= set(row)


def test_a_removal_is_dated_by_the_registers_day(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    """Removed at 00:00 on 3 Oct in London (23:00 UTC on the 2nd): the register's day, 3 Oct."""
    file = write_register(REGISTER)
    base = ("--file", str(file), "--database", sqlite_url)
    assert cli("check", *base, "--now", "2022-09-08T09:00").exit_code == 0
    file.write_text(REGISTER.split("  - id: safeguards")[0], encoding="utf-8")
    assert cli("check", *base, "--now", "2022-10-03T00:00").exit_code == 0
    listed = cli("status", *base, "--now", "2022-10-03T10:00", "--state", "archived")
    assert listed.exit_code == 0 and "(removed 3 Oct 2022)" in listed.output, listed.output


def test_update_says_which_update_of_which_commitment_and_how_to_correct_it(
        cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    base = ("mvp", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T09:00")
    first = cli("update", *base, "--note", "Drafting continues")
    second = cli("update", *base, "--note", "Still drafting")
    assert "recorded update #1 for mvp on 8 Sep 2022 (in the database;" in first.output
    assert "recorded update #2 for mvp" in second.output
    assert "to withdraw a mistake: commitment-bot update mvp --retract 2" in second.output  # the number history shows
    assert "update #2 recorded" in cli("history", *base).output


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`commitment-bot status | head -1` (issue 26 item 8): the pipe closes after one line; the command
    stops there with no "unexpected BrokenPipeError" and exit 0, as a reader who had enough expects."""
    import subprocess
    import sys

    rows = "".join(f"  - {{id: c{i}, title: Commitment number {i} with a long enough title, owner: Home Office, "
                   f"made_on: 2022-01-01, due: 2023-01-31, source: {{url: 'https://example.org/{i}'}}}}\n"
                   for i in range(3000))
    (tmp_path / "commitments.yaml").write_text(f"version: 1\ntimezone: Europe/London\ncommitments:\n{rows}",
                                               encoding="utf-8")
    bot = Path(sys.executable).parent / "commitment-bot"
    status = subprocess.Popen([str(bot), "status", "--file", "commitments.yaml", "--now", "2026-11-22"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert status.stdout is not None and status.stderr is not None
    first = status.stdout.readline()
    status.stdout.close()  # as `head -1` does once it has its line
    errors = status.stderr.read().decode()
    assert status.wait(timeout=120) == 0, errors
    assert first.startswith(b"commitments as at")
    assert errors == ""


def test_only_a_closed_stdout_counts_as_the_reader_stopping(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A BrokenPipeError from a connection (Slack, a webhook) is an error like any other; only a
    stdout whose reader closed the pipe ends a command quietly."""
    import os
    import sys

    from bot.shell.cli.app import _reader_gone

    read, write = os.pipe()
    with os.fdopen(write, "w") as out:
        monkeypatch.setattr(sys, "stdout", out)
        assert _reader_gone() is False  # someone is still reading
        os.close(read)
        assert _reader_gone() is True
