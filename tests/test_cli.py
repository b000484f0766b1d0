"""The command line (SPEC §4): JSON shapes, exit codes, `update`, and help with an example."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest

from tests.test_storage import dump_database

SHIPPED = Path(__file__).resolve().parent.parent / "commitments.yaml"
MVP = "mvp-implement-by-end-august-2022"
EVALUATION = "smv-evaluation-final-report"
TODAY = "2026-11-22"
WHEN_KEYS = {"phrase", "made_on", "kind", "earliest", "latest", "deadline"}
STATUS_KEYS = {"id", "title", "state", "deadline", "days_overdue", "slips", "last_update"}
NOTIFICATION_KEYS = {"id", "kind", "deadline", "n", "targets"}


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    path = tmp_path / "commitments.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


SMALL = """\
version: 1
routes:
  - slack: ["#commitments"]
commitments:
  - id: alpha
    title: Alpha promise
    owner: Home Office
    made_on: 2022-02-21
    due: end August
"""


@pytest.fixture
def small(write_register) -> Path:  # type: ignore[no-untyped-def]
    return write_register(SMALL)


# -- when --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "expected"), [
    pytest.param(["end August", "--made-on", "2022-02-21"],
                 {"phrase": "end August", "made_on": "2022-02-21", "kind": "month", "earliest": "2022-08-01",
                  "latest": "2022-08-31", "deadline": "2022-08-31"}, id="dated"),
    pytest.param(["autumn 2022"],
                 {"phrase": "autumn 2022", "made_on": None, "kind": "season", "earliest": "2022-09-01",
                  "latest": "2022-11-30", "deadline": "2022-11-30"}, id="dated-without-made-on"),
    pytest.param(["in due course", "--made-on", "2023-05-01"],
                 {"phrase": "in due course", "made_on": "2023-05-01", "kind": "open", "earliest": None,
                  "latest": None, "deadline": None}, id="open"),
])
def test_when_json_shape(cli, args: list[str], expected: dict[str, object]) -> None:
    result = cli("when", *args, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == WHEN_KEYS
    assert doc == expected


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["autum 2022", "--json"], 'did you mean "autumn 2022"', id="typo"),
    pytest.param(["end August", "--made-on", "21/02/2022"], "YYYY-MM-DD", id="bad-made-on"),
])
def test_when_unreadable_phrase_exits_1_with_message_on_stderr(cli, args: list[str], message: str) -> None:
    result = cli("when", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr


# -- status ------------------------------------------------------------------------------------
def test_status_json_on_the_shipped_register_tells_the_story(cli, shipped, database_url) -> None:
    result = cli("status", "--json", "--now", TODAY, "--database", database_url)
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert all(STATUS_KEYS <= set(r) for r in rows.values())
    assert rows[MVP]["state"] == "lapsed"
    assert rows[MVP]["slips"] >= 2
    assert rows[MVP]["days_overdue"] > 0
    assert rows[EVALUATION]["state"] == "delivered"
    assert rows[EVALUATION]["days_overdue"] == 0


def test_status_state_filter(cli, shipped, sqlite_url) -> None:
    result = cli("status", "--json", "--state", "delivered", "--now", TODAY, "--database", sqlite_url)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["state"] for r in rows} == {"delivered"}
    assert EVALUATION in {r["id"] for r in rows}


def test_status_unknown_state_is_an_error(cli, shipped, sqlite_url) -> None:
    result = cli("status", "--state", "lapsd", "--now", TODAY, "--database", sqlite_url)
    assert result.exit_code in (1, 2)
    assert "lapsed" in result.stderr


def test_status_table_is_readable(cli, shipped, sqlite_url) -> None:
    result = cli("status", "--now", TODAY, "--database", sqlite_url)
    assert result.exit_code == 0, result.output
    mvp_line = next(line for line in result.stdout.splitlines() if MVP in line)
    assert mvp_line.startswith("lapsed")
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


# -- check -------------------------------------------------------------------------------------
def _check(cli, url: str, *extra: str):  # type: ignore[no-untyped-def]
    return cli("check", "--json", "--now", TODAY, "--database", url, *extra)


def test_check_json_shape_and_streams(cli, shipped, database_url) -> None:
    result = _check(cli, database_url)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # stdout is only the JSON document
    assert {"now", "notifications"} <= set(doc)
    assert doc["now"].startswith(TODAY)
    notes = doc["notifications"]
    assert notes and all(NOTIFICATION_KEYS <= set(n) for n in notes)
    mvp = [n for n in notes if n["id"] == MVP]
    assert mvp and mvp[0]["kind"] == "lapsed" and mvp[0]["deadline"] == "2023-12-31"
    assert all(t == "console" or t.startswith(("slack:", "email:")) for n in notes for t in n["targets"])
    assert MVP in result.stderr  # the console notifier wrote to stderr


def test_check_twice_at_the_same_now_sends_nothing_the_second_time(cli, shipped, database_url) -> None:
    first = _check(cli, database_url)
    assert json.loads(first.stdout)["notifications"]
    second = _check(cli, database_url)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["notifications"] == []


def test_a_dry_run_does_not_stop_the_real_run(cli, shipped, database_url) -> None:
    dry = _check(cli, database_url, "--dry-run")
    assert dry.exit_code == 0, dry.output
    real = _check(cli, database_url)
    assert real.exit_code == 0, real.output
    key = lambda doc: sorted((n["id"], n["kind"], n["n"]) for n in doc["notifications"])  # noqa: E731
    assert key(json.loads(dry.stdout)) == key(json.loads(real.stdout)) != []


def test_a_dry_run_records_nothing(cli, shipped, database_url) -> None:
    assert cli("status", "--now", TODAY, "--database", database_url).exit_code == 0
    before = dump_database(database_url)
    assert _check(cli, database_url, "--dry-run").exit_code == 0
    assert dump_database(database_url)["notifications"] == before["notifications"] == []


# -- exit codes --------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "code"), [
    pytest.param(["validate"], 0, id="ok"),
    pytest.param(["when", "autum 2022"], 1, id="unreadable-phrase"),
    pytest.param(["status", "--now", "yesterday"], 1, id="bad-now"),
    pytest.param(["history", "no-such-id"], 1, id="unknown-id"),
    pytest.param(["--bogus"], 2, id="unknown-top-option"),
    pytest.param(["status", "--bogus"], 2, id="unknown-option"),
    pytest.param(["frobnicate"], 2, id="unknown-command"),
    pytest.param(["when"], 2, id="missing-argument"),
    pytest.param(["update", MVP], 2, id="missing-required-option"),
])
def test_exit_codes(cli, shipped, sqlite_url, args: list[str], code: int) -> None:
    db_args = [] if args[0].startswith("--") or args[0] in ("validate", "when", "frobnicate") else [
        "--database", sqlite_url]
    result = cli(*args, *db_args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


# -- update ------------------------------------------------------------------------------------
def _synced(cli, url: str) -> dict:  # type: ignore[type-arg]
    assert cli("check", "--now", TODAY, "--database", url).exit_code == 0
    return dump_database(url)


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["mvp-implement-by-end-augst-2022", "--note", "x"], f'did you mean "{MVP}"', id="unknown-id"),
    pytest.param([MVP, "--note", "Published", "--status", "delivered"], "--source", id="delivered-without-source"),
    pytest.param([MVP, "--note", "Dropped", "--status", "dropped"], "--source", id="dropped-without-source"),
    pytest.param([MVP, "--note", "x", "--status", "deliverd", "--source", "https://example.org/x"],
                 'did you mean "delivered"', id="bad-status"),
    pytest.param([MVP, "--note", "x", "--due", "autum 2027"], 'did you mean "autumn 2027"', id="bad-due"),
    pytest.param([MVP, "--note", "x", "--on", "2020-01-01"], "before the commitment was made", id="before-made-on"),
    pytest.param([MVP, "--note", "x", "--on", "1/1/2024"], "YYYY-MM-DD", id="bad-on"),
    pytest.param([MVP, "--note", "   "], "--note", id="empty-note"),
    pytest.param([MVP, "--note", "x", "--source", "not a link"], "http", id="bad-source"),
    pytest.param([MVP, "--note", "x", "--period", "2025-26"], "recurring", id="period-on-non-recurring"),
])
def test_a_wrong_update_exits_1_and_changes_nothing(cli, shipped, database_url, args: list[str],
                                                    message: str) -> None:
    before = _synced(cli, database_url)
    result = cli("update", *args, "--now", TODAY, "--database", database_url)
    assert result.exit_code == 1
    assert message in result.stderr
    assert dump_database(database_url) == before


def test_update_then_history_shows_it(cli, shipped, database_url) -> None:
    recorded = cli("update", MVP, "--note", "Protocol published at last", "--on", "2026-11-01", "--status",
                   "delivered", "--source", "https://example.org/protocol", "--by", "Test Team",
                   "--now", TODAY, "--database", database_url)
    assert recorded.exit_code == 0, recorded.output
    history = cli("history", MVP, "--now", TODAY, "--database", database_url)
    assert history.exit_code == 0, history.output
    line = next(ln for ln in history.stdout.splitlines() if "Protocol published at last" in ln)
    assert "2026-11-01" in line and "delivered" in line and "https://example.org/protocol" in line
    status = cli("status", "--json", "--now", TODAY, "--database", database_url)
    assert {r["id"]: r for r in json.loads(status.stdout)}[MVP]["state"] == "delivered"


@pytest.mark.parametrize(("now", "state"), [
    pytest.param("2026-10-31", "lapsed", id="before-the-update"),
    pytest.param("2026-11-01", "delivered", id="on-the-day"),
    pytest.param(TODAY, "delivered", id="after"),
])
def test_status_at_now_sees_only_updates_dated_by_then(cli, shipped, database_url, now: str, state: str) -> None:
    recorded = cli("update", MVP, "--note", "Published", "--on", "2026-11-01", "--status", "delivered",
                   "--source", "https://example.org/p", "--now", TODAY, "--database", database_url)
    assert recorded.exit_code == 0, recorded.output
    status = cli("status", "--json", "--now", now, "--database", database_url)
    assert {r["id"]: r for r in json.loads(status.stdout)}[MVP]["state"] == state


# -- validate, help ----------------------------------------------------------------------------
def test_validate_passes_on_the_shipped_register(cli, shipped) -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def _commands() -> list[tuple[str, ...]]:
    from bot.shell.cli import main

    def walk(group: click.Group, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        out = []
        for name, command in sorted(group.commands.items()):
            out.append((*prefix, name))
            if isinstance(command, click.Group):
                out += walk(command, (*prefix, name))
        return out

    return [(), *walk(main, ())]


@pytest.mark.parametrize("path", [
    pytest.param(p, id=" ".join(p) or "main") for p in _commands()
])
def test_every_command_help_has_an_example(cli, path: tuple[str, ...]) -> None:
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_when_without_made_on_reads_a_yearless_phrase_as_if_said_today_and_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 26 item 8: a person asking `when "end August"` means the next end of August from today."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/London")).date()
    as_json = cli("when", "end August", "--json")
    shown = json.loads(as_json.stdout)
    assert f"made_on is today ({today.isoformat()})" in as_json.stderr
    assert shown["made_on"] == today.isoformat()  # the day it was read against, as with --made-on
    end = date(today.year, 8, 31)
    assert shown["deadline"] == (end if end >= today else date(today.year + 1, 8, 31)).isoformat()
    said = cli("when", "end August").output
    assert f"read as if said today ({today.day} {today:%b %Y})" in said and "--made-on" in said
    dated = cli("when", "end August 2022")  # a phrase with its year is read as it is: no note
    assert "read as if said today" not in dated.output and "deadline 2022-08-31" in dated.output
    assert "read as if said today" not in cli("when", "end August", "--made-on", "2022-02-21").output

@pytest.mark.parametrize(("args", "said"), [
    pytest.param(["autum 2022"], 'error: "autum 2022" is not a date this bot can read (did you mean "autumn 2022"?)',
                 id="unreadable"),
    pytest.param(["autum 2022", "--made-on", "2022-02-21"], 'error: "autum 2022" is not a date this bot can read',
                 id="unreadable-with-made-on"),
    pytest.param(["9999-12-31"], 'error: "9999-12-31" reads to 31 December 9999, out of range', id="off-the-calendar"),
])
def test_when_names_the_phrase_it_was_given_not_a_key_of_the_register(cli, args: list[str], said: str) -> None:  # type: ignore[no-untyped-def]
    """Issue 26: `when "autum 2022"` said `error: due "autum 2022" …`, though no `due` was typed."""
    result = cli("when", *args, "--now", "2026-11-22")
    assert result.exit_code == 1
    assert result.output.startswith(said), result.output



def test_every_command_takes_file_database_and_now_after_its_name(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SPEC §4: "Every command accepts, after its name, --file PATH … --database URL … and --now
    ISO"; `when` and `db upgrade` refused them (found in the acceptance audit)."""
    import json as _json

    read = cli("when", "end August", "--now", "2022-03-01", "--file", str(tmp_path / "none.yaml"), "--json")
    assert read.exit_code == 0, read.output
    assert _json.loads(read.stdout)["deadline"] == "2022-08-31"  # said on the --now day, not today
    upgraded = cli("db", "upgrade", "--database", f"sqlite:///{tmp_path / 'u.db'}", "--now", "2022-03-01",
                   "--file", str(tmp_path / "none.yaml"))
    assert upgraded.exit_code == 0, upgraded.output


def test_a_folder_of_registers_each_valid_alone_reads_together(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SPEC §2: `version` is required and a folder's files are read together, so each file may say
    `version: 1`; other settings are still set in one file only (found in the acceptance audit)."""
    folder = tmp_path / "reg"
    folder.mkdir()
    one = "version: 1\ncommitments:\n  - {{id: {id}, title: T, owner: Home Office, made_on: 2022-02-21, due: end August}}\n"
    (folder / "a.yaml").write_text(one.format(id="a"), encoding="utf-8")
    (folder / "b.yaml").write_text(one.format(id="b"), encoding="utf-8")
    result = cli("validate", "--file", str(folder))
    assert result.exit_code == 0 and "ok: 2 commitments" in result.output, result.output
    (folder / "b.yaml").write_text("timezone: Europe/London\n" + one.format(id="b"), encoding="utf-8")
    (folder / "c.yaml").write_text("version: 1\ntimezone: Europe/London\ncommitments: []\n", encoding="utf-8")
    twice = cli("validate", "--file", str(folder))
    assert twice.exit_code == 1 and '"timezone" is already set in' in twice.output, twice.output
