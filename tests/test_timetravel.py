"""A year in the life of one promise, through the real CLI and a real database, with --now.

Heads-up, first lapse, repeat, acknowledgement by update, slip, silence, closure, and a long
outage that sends each due alert once — each step asserting exactly what `check --json` sent.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli

REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - match: {tags: [mvp]}
    slack: ["#mvp-watch"]
  - slack: ["#commitments"]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_by: Lord Sharpe of Epsom
    made_on: 2022-02-21
    due: end August
    tags: [mvp]
    source: {title: Letter to Baroness Meacher, quote: "we aim to implement them by end August"}
  - id: safeguards
    title: Identify safeguards
    owner: Home Office
    made_on: 2022-02-21
    due: medium-term
"""


def sent(cli: Cli, file: Path, db: str, now: str, *extra: str) -> list[tuple[str, str, object]]:
    result = cli("check", "--file", str(file), "--database", db, "--now", now, "--json", *extra)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    return [(n["id"], n["kind"], n["n"]) for n in doc["notifications"]]


def test_a_year_of_one_promise(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    run = lambda now, *extra: sent(cli, file, database_url, now, *extra)  # noqa: E731

    assert run("2022-08-01T09:00") == []
    assert run("2022-08-18T09:00") == [("mvp", "heads-up", None)]
    assert run("2022-08-18T09:00") == []  # re-run at the same now sends nothing
    assert run("2022-08-21T09:00") == [("safeguards", "silent", 1)]
    assert run("2022-09-08T09:00") == [("mvp", "lapsed", 1)]
    assert run("2022-10-08T09:00") == [("mvp", "lapsed", 2)]

    # Acknowledged by an update: quiet for remind_every, then lapsed again.
    result = cli("update", "mvp", "--file", str(file), "--database", database_url, "--now", "2022-10-20T12:00",
                 "--note", "Officials say drafting continues")
    assert result.exit_code == 0, result.output
    assert run("2022-11-07T09:00") == [("mvp", "news", None)]  # the update itself, told once (SPEC §6.1)
    assert run("2022-11-08T09:00") == []
    assert run("2022-11-19T09:00") == [("mvp", "lapsed", 3)]

    # A slip recorded with the CLI: announced once, with the new deadline.
    result = cli("update", "mvp", "--file", str(file), "--database", database_url, "--now", "2022-11-25T12:00",
                 "--note", "Now promised for spring", "--due", "spring 2023")
    assert result.exit_code == 0, result.output
    assert run("2022-11-25T13:00") == [("mvp", "slipped", None)]

    # A long outage: nothing for months, then each due alert once.
    assert run("2023-08-01T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 2)]
    assert run("2023-08-01T09:00") == []

    # Closure.
    result = cli("update", "mvp", "--file", str(file), "--database", database_url, "--now", "2023-08-10T12:00",
                 "--note", "Published", "--status", "delivered", "--source", "https://example.org/mvp")
    assert result.exit_code == 0, result.output
    assert run("2023-08-10T13:00") == [("mvp", "closed", None)]
    assert run("2023-12-10T13:00") == []

    status = cli("status", "--file", str(file), "--database", database_url, "--now", "2023-12-10", "--json")
    rows = {r["id"]: r for r in json.loads(status.stdout)}
    assert rows["mvp"]["state"] == "delivered"
    assert rows["mvp"]["slips"] == 1


def test_dry_run_decides_but_records_nothing(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    assert sent(cli, file, database_url, "2022-09-08T09:00", "--dry-run") == [
        ("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    assert sent(cli, file, database_url, "2022-09-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    assert sent(cli, file, database_url, "2022-09-08T09:00") == []
