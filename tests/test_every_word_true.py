"""Every word true (SPEC §6.1, §7.1–7.4, issue 21): what the bot says and publishes is only what
its sources say. One test (or table) per rule; each failed before the fix it holds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser

REGISTER = """\
version: 1
routes:
  - email: [coordinator@example.org]
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
        source:
          title: Written answer HL9622
          url: https://example.org/hl9622
          quote: "The Protocol will be finalised and communicated later this year."
"""
NOW = ("--now", "2026-11-30T10:00")
NOTE = "Asked again in the Lords: no date given"


def test_one_update_is_listed_once_on_every_surface_after_it_is_copied_into_the_file(
        cli, write_register, tmp_path: Path) -> None:
    """SPEC §6.1: record, `export updates --write`, then the site, the feed, the table, the
    digest, the thread and `history --json` each count the update once."""
    write_register(REGISTER)
    assert cli("update", "mvp", "--note", NOTE, "--source", "https://example.org/a", *NOW).exit_code == 0
    assert cli("check", *NOW).exit_code == 0  # the news is told once, here
    assert cli("export", "updates", "--write", *NOW).exit_code == 0
    assert NOTE in (tmp_path / "commitments.yaml").read_text(encoding="utf-8")
    told_again = json.loads(cli("check", "--json", *NOW).stdout)["notifications"]
    assert told_again == []  # the thread (and every channel) is not told a second time
    assert cli("export", "site", "public", *NOW).exit_code == 0
    page = (tmp_path / "public" / "c" / "mvp.html").read_text(encoding="utf-8")
    assert page.count(NOTE) == 1
    assert cli("export", "atom", "feed.xml", *NOW).exit_code == 0
    feed = feedparser.parse((tmp_path / "feed.xml").read_text(encoding="utf-8"))
    assert [e.id for e in feed.entries].count(next(e.id for e in feed.entries if NOTE in e.summary)) == 1
    assert sum(NOTE in e.summary for e in feed.entries) == 1
    assert cli("export", "csv", "t.csv", *NOW).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert [r["last_update"] for r in rows] == ["2026-11-30"]
    story = json.loads(cli("history", "mvp", "--json", *NOW).stdout)
    assert [u["note"] for u in story["updates"]].count(NOTE) == 1
    preview = tmp_path / "preview"
    assert cli("digest", "--dry-run", "--to", "coordinator@example.org", "--out", str(preview),
               "--now", "2026-12-07T09:00").exit_code == 0
    digest = next(preview.glob("*.eml")).read_text(encoding="utf-8")
    assert digest.count(NOTE) <= 2  # the text part and the HTML part: once each


# -- §7.3: the team's own actions are not the government's record ---------------------------------
LAPSING = """\
version: 1
defaults: {grace: 0 days, remind_every: 30 days}
routes:
  - email: [coordinator@example.org]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: 2025-11-30
    source: {title: Letter to Baroness Meacher, quote: "by end November."}
"""


def kinds_on(cli, day: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("check", "--json", "--now", f"{day}T09:00")
    assert result.exit_code == 0, result.output
    return [n["kind"] for n in json.loads(result.stdout)["notifications"]]


def test_a_snooze_holds_reminders_to_the_day_and_is_never_news(cli, write_register, tmp_path: Path) -> None:
    """Issue 21 item 4: the snooze was posted as "News: Snoozed until 29 Jan 2026", written into the
    register as an update, and the lapse came back 22 days before the date chosen."""
    write_register(LAPSING)
    assert kinds_on(cli, "2025-12-01") == ["lapsed"]
    snoozed = cli("snooze", "mvp", "--until", "2026-01-29", "--reason", "reply promised after recess",
                  "--by", "A. Advocate", "--now", "2025-12-07T10:00")
    assert snoozed.exit_code == 0, snoozed.output
    assert "until 29 Jan 2026" in snoozed.output
    assert kinds_on(cli, "2025-12-07") == []  # never told as news
    for day in ("2025-12-31", "2026-01-06", "2026-01-28", "2026-01-29"):  # 1 Jan would be remind_every
        assert kinds_on(cli, day) == [], day
    assert kinds_on(cli, "2026-01-30") == ["lapsed"]  # the day after, not a day later
    history = cli("history", "mvp", "--now", "2026-01-30T10:00").output
    assert "the team's own actions (not the government's record):" in history
    assert "2025-12-07  snoozed reminders until 2026-01-29 (reply promised after recess) [by A. Advocate]" in history
    assert cli("export", "updates", "--now", "2026-01-30T10:00").stdout.count("Snoozed") == 0
    story = json.loads(cli("history", "mvp", "--json", "--now", "2026-01-30T10:00").stdout)
    assert story["updates"] == []  # not an update
    assert cli("export", "site", "public", "--now", "2026-01-30T10:00").exit_code == 0
    page = (tmp_path / "public" / "c" / "mvp.html").read_text(encoding="utf-8")
    assert "snooze" not in page.lower() and "recess" not in page  # never on the public site
    assert "No update recorded yet." in page


def test_a_snooze_is_checked_at_the_door(cli, write_register) -> None:
    write_register(LAPSING)
    for args, says in ((["--until", "2025-12-01"], "is before today"),
                       (["--until", "2026-01-29", "--period", "2025-26"], "only for recurring"),
                       (["--until", "2026-01-29", "--reason", "a\x1b[2Jb"], "--reason")):
        refused = cli("snooze", "mvp", *args, "--now", "2025-12-07T10:00")
        assert refused.exit_code == 1 and says in refused.output, refused.output
    assert cli("snooze", "nope", "--until", "2026-01-29").exit_code == 1
    assert "the team's own actions" not in cli("history", "mvp", "--now", "2025-12-07T10:00").output
