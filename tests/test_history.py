"""`history ID` (SPEC §4) on the shipped register: every promised date, slip and update, in order,
as seen at `--now`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parent.parent / "commitments.yaml"
TODAY = "2026-11-22"


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    path = tmp_path / "commitments.yaml"
    shutil.copyfile(SHIPPED, path)
    return path


def in_order(text: str, parts: list[str]) -> None:
    """Each part appears in `text`, after the previous one."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing (or out of order) in:\n{text}"
        at = found + len(part)


# (id, --now, what the history must say, in this order, and what it must not say)
CASES = [
    pytest.param("mvp-implement-by-end-august-2022", TODAY, [
        "(mvp-implement-by-end-august-2022)", "promised by Home Office (Lord Sharpe of Epsom) on 21 Feb 2022",
        "2022-02-21  promised end August → 1 Aug – 31 Aug 2022",
        "2022-08-09  promised autumn 2022 → 1 Sep – 30 Nov 2022  SLIP 1",
        "2023-07-31  promised later this year", "SLIP 2",
        "now: lapsed, deadline 2023-12-31, slipped twice",
    ], [], id="protocol-today"),
    pytest.param("mvp-implement-by-end-august-2022", "2022-09-01", [
        "promised end August", "promised autumn 2022", "SLIP 1",
        "now: upcoming, deadline 2022-11-30, slipped once",
    ], ["later this year", "SLIP 2", "2023-"], id="protocol-as-seen-in-2022"),
    pytest.param("smv-evaluation-final-report", TODAY, [
        "promised later this year", "promised in the summer", "promised early 2023", "SLIP 1",
        # HL9620's "publish in due course" is the first word of publishing, not a slip of the report
        "2023-07-31  update: Written answer HL9620 says", "2023-08-04  update: Delivered",
        "now: delivered, deadline 2023-04-30, slipped once",
    ], ["SLIP 2", "promised in due course"], id="evaluation-every-revision"),
    pytest.param("smv-scheme-funding", TODAY, [
        "2022-05-27  promised 2022-23 → 1 Apr 2022 – 31 Mar 2023", "2023-05-22  update: Delivered",
        "now: delivered, deadline 2023-03-31",
    ], ["period ", "2025-26"], id="funding-promised-for-one-year"),
    pytest.param("smv-scheme-funding-each-year", TODAY, [
        "expected of Home Office, not promised (tracked since 27 May 2022)",
        "period 2023-24:", "now: met", "period 2024-25:",
        # only a promise lapses or is delivered (SPEC §7.1): an expectation past its date has no news
        "now: met", "period 2025-26:", "now: no news, deadline 2026-03-31",
    ], ["period 2022-23", "lapsed", "not promised on", "now: delivered"], id="funding-expected-per-financial-year"),
]


@pytest.mark.parametrize(("cid", "now", "says", "never"), CASES)
def test_history_tells_the_story(cli, shipped, database_url, cid: str, now: str, says: list[str],
                                 never: list[str]) -> None:
    result = cli("history", cid, "--now", now, "--database", database_url)
    assert result.exit_code == 0, result.output
    in_order(result.stdout, says)
    for part in never:
        assert part not in result.stdout


def test_history_of_an_unknown_id_suggests_the_nearest(cli, shipped, sqlite_url) -> None:
    result = cli("history", "smv-evaluation-final-reprot", "--database", sqlite_url)
    assert result.exit_code == 1
    assert 'did you mean "smv-evaluation-final-report"' in result.stderr
    assert result.stdout == ""


def test_history_shows_a_recorded_slip(cli, shipped, database_url) -> None:
    cid = "mvp-implement-by-end-august-2022"
    recorded = cli("update", cid, "--note", "Now promised for next year", "--on", "2026-01-10",
                   "--due", "next year", "--now", TODAY, "--database", database_url)
    assert recorded.exit_code == 0, recorded.output
    result = cli("history", cid, "--now", TODAY, "--database", database_url)
    in_order(result.stdout, ["SLIP 2", "2026-01-10  promised next year → 1 Jan – 31 Dec 2027  SLIP 3",
                             "2026-01-10  update #1 recorded (in the database, not the register file): "
                             "Now promised for next year",
                             "deadline 2027-12-31, slipped 3 times"])


def test_a_date_brought_forward_is_marked_as_such(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Found in review: drafts called Priti Patel's "in the summer" (9 Aug 2022) a date brought
    forward, while history listed it with no mark, as if it were the first promise restated."""
    shutil.copy(SHIPPED, tmp_path / "commitments.yaml")
    out = cli("history", "smv-evaluation-final-report", "--now", "2026-12-07",
              "--file", str(tmp_path / "commitments.yaml"), "--database", f"sqlite:///{tmp_path / 'h.db'}").output
    assert "promised in the summer → 1 Jun – 31 Aug 2022  BROUGHT FORWARD" in out and "SLIP 1" in out


def test_history_json_gives_a_bare_link_as_a_link_never_as_a_title(cli, shipped, sqlite_url) -> None:
    """README "How we keep it true": "A link is never a speaker or a title". Found in the second
    review: `history --json` gave an update's bare `--source` link as the source's `title` and as
    the new promise's `where`; the file (`export updates --write`) writes it as `url:` alone."""
    import json

    cid, db = "mvp-stakeholder-outreach-programme", ("--database", sqlite_url)
    assert cli("update", cid, "--now", "2026-11-23", "--note", "Officials say spring", "--due", "spring 2027",
               "--source", "https://example.org/g", *db).exit_code == 0
    for step in ("recorded", "in the file"):
        story = json.loads(cli("history", cid, "--json", "--now", "2026-11-23", *db).stdout)
        (update,) = [u for u in story["updates"] if u["note"] == "Officials say spring"]
        assert update["source"] == {"title": None, "url": "https://example.org/g", "quote": None}, step
        promised = story["tracks"][0]["promises"][-1]
        assert (promised["due"], promised["where"]) == ("spring 2027", None), step
        assert story["source"]["title"] == "Letter to the Chair of the Home Affairs Select Committee"  # a title stays
        assert cli("export", "updates", "--write", "--now", "2026-11-23", *db).exit_code == 0
