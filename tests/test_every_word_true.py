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
