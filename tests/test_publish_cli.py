"""The publishing commands as a user types them (SPEC §6.4): `export site|ics|atom|csv`,
`status --owner/--tag/--sort`, `history ID --json`, and `refresh`'s swap that never shows half a site."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.shell.cli import main
from bot.shell.cli.export import export
from bot.shell.publish import refresh
from bot.shell.publish.swap import MARK, swap_in
from tests.conftest import Cli

if "export" not in main.commands:  # the lead registers it in bot/shell/cli/__init__.py
    main.add_command(export)

REPO = Path(__file__).resolve().parent.parent
NOW = ("--now", "2026-11-22")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(REPO / "commitments.yaml", tmp_path / "commitments.yaml"))


def ids(cli: Cli, *args: str) -> list[str]:
    result = cli("status", "--json", *NOW, *args)
    assert result.exit_code == 0, result.output
    return [r["id"] for r in json.loads(result.output)]


@pytest.mark.parametrize(("args", "expected"), [
    (["--owner", "home office"], 13),  # any case
    (["--owner", "Ministry of Nothing"], 0),
    (["--tag", "funding"], None),
    (["--tag", "funding", "--state", "no news"], 1),  # the yearly expectation, as the table says it
    (["--tag", "funding", "--state", "lapsed"], 1),  # SPEC §3's state, as status --json says it (shown "no news")
    (["--tag", "funding", "--state", "no answer"], 0),  # the table's word for an ask past its date
])
def test_status_filters(cli: Cli, shipped: Path, args: list[str], expected: int | None) -> None:
    found = ids(cli, *args)
    if expected is None:
        assert "smv-scheme-funding" in found and len(found) < 13
    else:
        assert len(found) == expected


@pytest.mark.parametrize(("sort", "key", "reverse"), [
    ("deadline", lambda r: r["deadline"] or "9999", False),
    ("overdue", lambda r: r["days_overdue"], True),
    ("slips", lambda r: r["slips"], True),
])
def test_status_sorts(cli: Cli, shipped: Path, sort: str, key, reverse: bool) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(cli("status", "--json", *NOW, "--sort", sort).output)
    assert [key(r) for r in rows] == sorted((key(r) for r in rows), reverse=reverse)


def test_status_table_says_when_nothing_matches(cli: Cli, shipped: Path) -> None:
    assert "no commitment matches" in cli("status", *NOW, "--owner", "Nobody").output


def test_history_json(cli: Cli, shipped: Path) -> None:
    result = cli("history", "mvp-implement-by-end-august-2022", "--json", *NOW)
    assert result.exit_code == 0, result.output
    story = json.loads(result.output)
    track = story["tracks"][0]
    assert (story["owner"], track["state"], track["slips"]) == ("Home Office", "lapsed", 2)
    assert [p["due"] for p in track["promises"]] == ["end August", "autumn 2022", "later this year"]
    assert [p["slip"] for p in track["promises"]] == [None, 1, 2]
    assert story["updates"][0]["on"] == "2022-08-09"


def test_export_commands_write_what_they_say(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    for args in (["site", "public"], ["ics", "d.ics"], ["atom", "feed.xml"], ["csv", "t.csv"]):
        result = cli("export", *args, *NOW)
        assert result.exit_code == 0, result.output
        assert "wrote" in result.output
    assert (tmp_path / "public" / "index.html").is_file() and not (tmp_path / "public").is_symlink()
    assert len(list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text())))) == 13
    assert (tmp_path / "d.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert cli("export", "atom", "f.xml", "--base-url", "javascript:alert(1)", *NOW).exit_code == 1
    assert b'<link href="feed.xml" rel="self"/>' in (tmp_path / "feed.xml").read_bytes()  # the file's own name
    assert cli("export", "atom", "news.atom", "--base-url", "https://example.org/c/", *NOW).exit_code == 0
    assert b'<link href="https://example.org/c/news.atom" rel="self"/>' in (tmp_path / "news.atom").read_bytes()


def test_an_archived_commitment_keeps_its_page_marked(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    assert cli("export", "site", "public", *NOW).exit_code == 0
    text = shipped.read_text(encoding="utf-8")
    start = text.index("  - id: mvp-stakeholder-engagement")
    end = text.index("  - id:", start + 10)
    shipped.write_text(text[:start] + text[end:], encoding="utf-8")
    assert cli("export", "site", "public", "--now", "2026-11-23").exit_code == 0
    page = (tmp_path / "public" / "c" / "mvp-stakeholder-engagement.html").read_text(encoding="utf-8")
    assert "<strong>Archived.</strong>" in page
    assert "l/state-archived.urgency.1.html" in (tmp_path / "public" / "index.html").read_text(encoding="utf-8")


def test_refresh_swaps_a_whole_site_in(cli: Cli, shipped: Path, tmp_path: Path) -> None:
    """The store as `run` leaves it; the target is a symlink moved with one atomic rename."""
    from bot.shell.cli.app import App

    assert cli("check", "--dry-run", *NOW).exit_code == 0
    app = App()
    register, _ = app.register()
    now = datetime(2026, 11, 22, 9, tzinfo=ZoneInfo("Europe/London"))
    target = tmp_path / "www" / "site"
    first = refresh(app.store, register, now, target)
    version = os.readlink(target)
    assert target.is_symlink() and (target / "index.html").is_file() and first.pages > 11
    refresh(app.store, register, now, target)
    assert os.readlink(target) != version
    assert {p.name for p in target.parent.iterdir()} == {"site", version, os.readlink(target)}  # one kept
    refresh(app.store, register, now, target)
    assert len(list(target.parent.iterdir())) == 3  # older ones go


def test_a_reader_sees_the_old_site_until_the_new_one_is_whole(tmp_path: Path) -> None:
    target = tmp_path / "site"
    swap_in(target, lambda out: (out / "index.html").write_text("old"))

    def write(out: Path) -> None:
        (out / "index.html").write_text("new, half written")
        assert (target / "index.html").read_text() == "old"  # mid-write, readers still get the old site

    swap_in(target, write)
    assert (target / "index.html").read_text() == "new, half written"
    with pytest.raises(RuntimeError):
        swap_in(target, lambda out: (_ for _ in ()).throw(RuntimeError("render failed")))
    assert (target / "index.html").read_text() == "new, half written"  # a failed build changes nothing


def test_swapping_in_removes_only_old_sites_the_bot_wrote(tmp_path: Path) -> None:
    """`run --publish public` keeps one previous site and removes older ones: only folders that carry
    the bot's marker (issue 22 item 17), never someone's `.public.backup` beside it."""
    target = tmp_path / "public"
    theirs = tmp_path / ".public.backup"
    theirs.mkdir()
    (theirs / "index.html").write_text("a person's copy", encoding="utf-8")
    (tmp_path / ".public.notes").mkdir()  # empty, and still not the bot's
    for n in range(3):
        swap_in(target, lambda out, n=n: (out / "index.html").write_text(f"site {n}"))  # type: ignore[misc]
    assert (theirs / "index.html").read_text(encoding="utf-8") == "a person's copy"
    assert (tmp_path / ".public.notes").is_dir()
    ours = [p for p in tmp_path.iterdir() if (p / MARK).is_file() and not p.is_symlink()]
    assert len(ours) == 2 and (target / "index.html").read_text() == "site 2"  # the current one and one before


def test_a_plain_site_turned_into_a_link_leaves_a_persons_replaced_folder_alone(tmp_path: Path) -> None:
    """Found in the hostile audit: `export site public` then `run --publish public` set the plain
    directory aside as `.public.replaced`, deleting whatever a person kept under that name first."""
    target = tmp_path / "public"
    swap_in(target, lambda out: (out / "index.html").write_text("exported"), link=False)
    theirs = tmp_path / ".public.replaced"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    swap_in(target, lambda out: (out / "index.html").write_text("published"))
    assert target.is_symlink() and (target / "index.html").read_text() == "published"
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public.replaced-")]  # the old site went


@pytest.mark.parametrize("where", [".", "notes"], ids=["the-registers-own-folder", "a-folder-of-notes"])
def test_export_site_never_replaces_a_folder_it_did_not_write(cli, tmp_path: Path, where: str) -> None:  # type: ignore[no-untyped-def]
    """`export site .` run beside the register must not delete the register and the database."""
    from tests.conftest import REPO

    shutil.copyfile(REPO / "commitments.yaml", tmp_path / "commitments.yaml")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = cli("export", "site", where, "--now", "2026-11-22")
    assert result.exit_code == 1 and "did not write" in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert cli("export", "site", "public", "--now", "2026-11-22").exit_code == 0
    assert cli("export", "site", "public", "--now", "2026-11-23").exit_code == 0  # its own site: replaced
    assert (tmp_path / "public" / "index.html").exists()
