"""One record of what happened (SPEC §6.1, issue 14 items 5 and 7): an update recorded outside
the file and the same update copied into it are one update; `export updates --write` merges
recorded updates into the register keeping its layout; `update --retract N` withdraws one; a
backup of the database restores every recorded update."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

SHIPPED = REPO / "commitments.yaml"
MVP = "mvp-implement-by-end-august-2022"
NOW = "2026-11-30T10:00"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "commitments.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


def run(cli, register: Path, database_url: str, *args: str):  # type: ignore[no-untyped-def]
    return cli(*args, "--file", str(register), "--database", database_url, "--now", NOW)


def notified(cli, register: Path, database_url: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    result = run(cli, register, database_url, "check", "--json")
    assert result.exit_code == 0, result.output
    return [(n["id"], n["kind"]) for n in json.loads(result.stdout)["notifications"]]


def test_a_recorded_update_copied_into_the_file_is_one_update(cli, register: Path, database_url: str) -> None:
    before = register.read_text(encoding="utf-8")
    assert run(cli, register, database_url, "update", MVP, "--note", "Asked again: no date", "--by", "Sam",
               "--source", "https://example.org/a").exit_code == 0
    assert (MVP, "news") in notified(cli, register, database_url)  # told once, when recorded
    shown = run(cli, register, database_url, "export", "updates")
    assert shown.exit_code == 0 and "note: 'Asked again: no date'" in shown.stdout and MVP in shown.stdout
    written = run(cli, register, database_url, "export", "updates", "--write")
    assert written.exit_code == 0, written.output
    after = register.read_text(encoding="utf-8")
    added = "".join(f"{line}\n" for line in [
        "      - date: 2026-11-30", "        note: 'Asked again: no date'", "        recorded_by: Sam", "        source:",
        "          url: https://example.org/a"])  # block, as the file; a bare link is never written as its own title
    assert added in after and after.replace(added, "", 1) == before  # issue 26 item 7: the file's own style
    assert cli("validate", "--file", str(register)).exit_code == 0
    assert notified(cli, register, database_url) == []  # not told a second time
    history = run(cli, register, database_url, "history", MVP).stdout
    assert history.count("Asked again: no date") == 1
    assert "the register file already holds" in run(cli, register, database_url, "export", "updates").stderr


def test_retract_withdraws_a_mistaken_update(cli, register: Path, database_url: str) -> None:
    assert run(cli, register, database_url, "update", MVP, "--note", "Wrong commitment", "--due", "2030").exit_code == 0
    status = json.loads(run(cli, register, database_url, "status", "--json").stdout)
    assert {r["id"]: r for r in status}[MVP]["deadline"] == "2030-12-31"
    retracted = run(cli, register, database_url, "update", MVP, "--retract", "1", "--note", "meant another promise")
    assert retracted.exit_code == 0, retracted.output
    status = json.loads(run(cli, register, database_url, "status", "--json").stdout)
    assert {r["id"]: r for r in status}[MVP]["deadline"] == "2023-12-31"  # no longer counted
    history = run(cli, register, database_url, "history", MVP).stdout
    assert "update #1 RETRACTED on 2026-11-30 (meant another promise), not counted: Wrong commitment" in history
    again = run(cli, register, database_url, "update", MVP, "--retract", "1")
    assert again.exit_code == 1 and "already retracted" in again.output
    other = run(cli, register, database_url, "update", "code-of-practice-consultation-2023", "--retract", "1")
    assert other.exit_code == 1 and "has no recorded update 1" in other.output
    assert "RETRACTED" not in run(cli, register, database_url, "export", "updates").stdout


def test_a_sqlite_backup_restores_every_recorded_update(cli, register: Path, sqlite_url: str, tmp_path: Path) -> None:
    notes = [f"Update {i}" for i in range(5)]
    for note in notes:
        assert run(cli, register, sqlite_url, "update", MVP, "--note", note).exit_code == 0
    backup = tmp_path / "backups" / "backup.db"  # a folder not made yet, as the README's example names
    assert cli("db", "backup", str(backup), "--database", sqlite_url).exit_code == 0
    Path(sqlite_url.removeprefix("sqlite:///")).unlink()  # the server is lost
    restored = f"sqlite:///{backup}"
    history = run(cli, register, restored, "history", MVP).stdout
    assert all(f"recorded (in the database, not the register file): {n}" in history for n in notes)


def test_a_backup_of_no_database_says_so(cli, tmp_path: Path) -> None:
    missing = cli("db", "backup", str(tmp_path / "b.db"), "--database", f"sqlite:///{tmp_path / 'none.db'}")
    assert missing.exit_code == 1
    assert f"there is no database at {tmp_path / 'none.db'} to back up" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_a_pg_dump_restores_every_recorded_update(cli, register: Path, postgres_url: str) -> None:
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    assert bins, "PostgreSQL client tools are not installed"
    assert run(cli, register, postgres_url, "update", MVP, "--note", "Kept in PostgreSQL").exit_code == 0
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    dump = subprocess.run([str(bins[-1] / "pg_dump"), "--format=custom", plain], capture_output=True, check=True).stdout
    base, name = plain.rsplit("/", 1)
    subprocess.run([str(bins[-1] / "psql"), f"{base}/postgres", "-c", f"CREATE DATABASE {name}_restored"],
                   capture_output=True, check=True)
    try:
        subprocess.run([str(bins[-1] / "pg_restore"), f"--dbname={base}/{name}_restored"], input=dump,
                       capture_output=True, check=True)
        restored = postgres_url.rsplit("/", 1)[0] + f"/{name}_restored"
        assert "Kept in PostgreSQL" in run(cli, register, restored, "history", MVP).stdout
    finally:
        subprocess.run([str(bins[-1] / "psql"), f"{base}/postgres", "-c", f"DROP DATABASE IF EXISTS {name}_restored"],
                       capture_output=True, check=False)


def test_run_writes_recorded_updates_beside_the_register_and_publishes(cli, register: Path, tmp_path: Path) -> None:
    """`schedule.export` (SPEC §6.1, issue 14 item 7) writes every recorded update to
    recorded-updates.yml next to the register; `run --publish DIR` rebuilds the site after each check."""
    from tests.test_scheduler_helpers import Bot as Running

    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace("version: 1\n", 'version: 1\nschedule: {export: "0 18 * * *"}\n', 1),
                        encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert cli("update", MVP, "--note", "Recorded on the server", "--file", str(register), "--database", database,
               "--now", "2026-11-22T10:00").exit_code == 0
    site = tmp_path / "public"
    running = Running(tmp_path, database, "--publish", str(site), tick=None)
    side = tmp_path / "recorded-updates.yml"
    try:
        running.wait_for(lambda: side.exists() and (site / "index.html").exists(), timeout=60,
                         what="the export and the site")
    finally:
        assert running.stop() == 0
    written = side.read_text(encoding="utf-8")
    assert "note: Recorded on the server" in written and MVP in written
    assert f"c/{MVP}.html" in (site / "index.html").read_text(encoding="utf-8")
    assert cli("validate", "--file", str(tmp_path)).exit_code == 0  # the side file is not read as register


def test_a_retraction_does_not_renumber_the_updates_after_it(cli, register: Path, sqlite_url: str) -> None:
    """Two same-day news, told; the first retracted; a third the same day is still told (its
    identity is not the second's, which was already sent), after the correction of the first."""
    for note in ("First", "Second"):
        assert run(cli, register, sqlite_url, "update", MVP, "--note", note).exit_code == 0
    assert notified(cli, register, sqlite_url).count((MVP, "news")) == 2
    assert run(cli, register, sqlite_url, "update", MVP, "--retract", "1").exit_code == 0
    assert run(cli, register, sqlite_url, "update", MVP, "--note", "Third").exit_code == 0
    assert notified(cli, register, sqlite_url) == [(MVP, "withdrawn"), (MVP, "news")]


def test_retracting_an_update_already_in_the_file_is_refused(cli, register: Path, sqlite_url: str) -> None:
    assert run(cli, register, sqlite_url, "update", MVP, "--note", "Slip", "--due", "2030").exit_code == 0
    assert run(cli, register, sqlite_url, "export", "updates", "--write").exit_code == 0
    refused = run(cli, register, sqlite_url, "update", MVP, "--retract", "1")
    assert refused.exit_code == 1 and "in the register file too" in refused.output
    assert "RETRACTED" not in run(cli, register, sqlite_url, "history", MVP).stdout


@pytest.mark.parametrize(("args", "code", "says"), [
    pytest.param(["--note", "red \x1b[31m text"], 1, "control character U+001B", id="escape-in-note"),
    pytest.param(["--note", "ok", "--by", "Sam\x07"], 1, "control character U+0007", id="bell-in-by"),
    pytest.param(["--retract", "99999999999999999999"], 1, "has no recorded update", id="huge-retract"),
    pytest.param(["--retract", "1", "--status", "dropped"], 2, "cannot go with it", id="retract-with-a-status"),
])
def test_update_refuses(cli, register: Path, sqlite_url: str, args: list[str], code: int, says: str) -> None:
    result = run(cli, register, sqlite_url, "update", MVP, *args)
    assert result.exit_code == code and says in result.output, result.output
    assert run(cli, register, sqlite_url, "export", "updates").stdout == ""  # nothing recorded


FLUSH = """\
version: 1
commitments:
- id: alpha
  title: Alpha
  owner: HO
  made_on: 2022-02-21
  due: 2023
  updates:
  - {date: 2022-03-01, note: First}
  # trailing comment about alpha
- id: beta
  title: Beta
  owner: HO
  made_on: 2022-02-21
  due: 2023
"""
FOUR = FLUSH.replace("\n  ", "\n    ").replace("\n- ", "\n  - ")
ALIASED = """\
version: 1
commitments:
  - id: alpha
    title: Alpha
    owner: HO
    made_on: 2022-02-21
    due: 2023
    updates: &shared
      - {date: 2022-03-01, note: First}
  - id: beta
    title: Beta
    owner: HO
    made_on: 2022-02-21
    due: 2023
    updates: *shared
"""
NUMERIC = FLUSH.replace("id: alpha", "id: 007").replace("id: beta", "id: 1e3")


@pytest.mark.parametrize(("text", "cid", "added"), [
    pytest.param(FLUSH, "alpha", ["  - {date: 2026-11-30, note: Recorded}"], id="flush-left-lists"),
    pytest.param(FLUSH, "beta", ["  updates:", "    - {date: 2026-11-30, note: Recorded}"], id="no-updates-yet"),
    pytest.param(FOUR, "alpha", ["    - {date: 2026-11-30, note: Recorded}"], id="four-space-indent"),
    pytest.param(FLUSH.replace("\n", "\r\n"), "alpha", ["  - {date: 2026-11-30, note: Recorded}"], id="crlf"),
    pytest.param(NUMERIC, "007", ["  - {date: 2026-11-30, note: Recorded}"], id="an-id-yaml-reads-as-a-number"),
])
def test_write_adds_lines_and_changes_nothing_else(cli, tmp_path: Path, text: str, cid: str, added: list[str]) -> None:
    path = tmp_path / "commitments.yaml"
    path.write_bytes(text.encode())
    path.chmod(0o644)
    base = ("--file", str(path), "--database", f"sqlite:///{tmp_path / 'bot.db'}", "--now", NOW)
    assert cli("update", cid, "--note", "Recorded", *base).exit_code == 0
    written = cli("export", "updates", "--write", *base)
    assert written.exit_code == 0, written.output
    after = path.read_bytes().decode()
    newline = "\r\n" if "\r\n" in text else "\n"
    block = "".join(f"{line}{newline}" for line in added)
    assert block in after and after.replace(block, "", 1) == text  # those lines added, every other byte kept
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert cli("validate", "--file", str(path)).exit_code == 0
    assert "already holds" in cli("export", "updates", *base).stderr


def test_an_aliased_updates_list_is_left_for_a_person(cli, tmp_path: Path) -> None:
    """Appending to `*shared` would give the update to both commitments: it is refused instead."""
    path = tmp_path / "commitments.yaml"
    path.write_text(ALIASED, encoding="utf-8")
    base = ("--file", str(path), "--database", f"sqlite:///{tmp_path / 'bot.db'}", "--now", NOW)
    assert cli("update", "beta", "--note", "Only beta", *base).exit_code == 0
    refused = cli("export", "updates", "--write", *base)
    assert refused.exit_code == 1 and "alias" in refused.output and "beta" in refused.output
    assert path.read_text(encoding="utf-8") == ALIASED


def test_write_goes_through_a_symlink_to_the_real_file(cli, tmp_path: Path) -> None:
    real = tmp_path / "checkout" / "commitments.yaml"
    real.parent.mkdir()
    real.write_text(FLUSH, encoding="utf-8")
    link = tmp_path / "commitments.yaml"
    link.symlink_to(real)
    base = ("--file", str(link), "--database", f"sqlite:///{tmp_path / 'bot.db'}", "--now", NOW)
    assert cli("update", "beta", "--note", "Recorded", *base).exit_code == 0
    assert cli("export", "updates", "--write", *base).exit_code == 0
    assert link.is_symlink() and "note: Recorded" in real.read_text(encoding="utf-8")
