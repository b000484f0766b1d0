"""The calendar, the feed and the table (SPEC §6.4), read back with the parsers their users'
tools use: icalendar, feedparser, csv. A slip moves the same calendar event; feed ids never change."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import feedparser
import pytest
from icalendar import Calendar

from bot.register.model import Source, Update
from bot.shell.publish.atom import feed
from bot.shell.publish.chronicle import chronicle
from bot.shell.publish.ics import calendar
from bot.shell.publish.table import FIELDS, csv_text
from bot.when.dates import resolve
from tests.test_publish_site import REPO, generate, inputs_from, shipped_with_hostile

SHIPPED = (REPO / "commitments.yaml").read_text(encoding="utf-8")


def events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_one_all_day_event_per_open_deadline_and_one_per_occurrence() -> None:
    inputs = inputs_from(SHIPPED)
    found = events(calendar(inputs))
    open_tracks = [(e.commitment.id, ln.period) for e in inputs.entries for ln in chronicle(e, inputs.now).lines
                   if ln.deadline and ln.track.status == "open"]
    assert len(found) == len(open_tracks) and len(found) >= 3
    for e in found.values():
        start, end = e["DTSTART"].dt, e["DTEND"].dt  # type: ignore[index]
        assert type(start) is date and (end - start).days == 1
    summaries = [str(e["SUMMARY"]) for e in found.values()]  # type: ignore[index]
    assert any("(2025-26)" in s for s in summaries)  # the recurring funding promise, per occurrence


def test_a_slip_updates_the_same_event() -> None:
    before = events(calendar(inputs_from(SHIPPED)))
    slip = Update("db:1", date(2026, 11, 20), "Minister says spring 2027", due="spring 2027",
                  window=resolve("spring 2027", date(2026, 11, 20)))
    after = events(calendar(inputs_from(SHIPPED, {"mvp-implement-by-end-august-2022": [slip]})))
    assert before.keys() == after.keys()
    moved = [uid for uid in before if before[uid]["DTSTART"].dt != after[uid]["DTSTART"].dt]  # type: ignore[index]
    assert len(moved) == 1
    assert after[moved[0]]["DTSTART"].dt == date(2027, 5, 31)  # type: ignore[index]
    assert int(after[moved[0]]["SEQUENCE"]) == int(before[moved[0]]["SEQUENCE"]) + 1  # type: ignore[index]


def test_the_feed_has_every_update_slip_lapse_and_closure_newest_first() -> None:
    parsed = feedparser.parse(feed(inputs_from(SHIPPED), base_url="https://example.org/site"))
    assert not parsed.bozo, parsed.bozo_exception
    entries = parsed.entries
    kinds = {e.title.split(":", 1)[0].split(" — ")[0] for e in entries}
    # a lapse is "No news" for an expectation, "No answer" for an ask (SPEC §7.1); someone else's
    # statement is labelled as context, never as the owner's update
    context = "Context (not the Home Office's word)"
    passed = ("Deadline passed, not yet reported delivered", "Expected date passed, not yet reported met")
    assert {"Update", "Slipped", "Closed", *passed, context} <= kinds <= {
        "Update", "Slipped", "Closed", *passed, "Date asked for passed, not yet reported met", context}
    assert all("Fund the Support" in e.title for e in entries if e.title.startswith("Expected date passed"))
    stamps = [e.updated_parsed for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert len({e.id for e in entries}) == len(entries)
    assert all(e.link.startswith("https://example.org/site/c/") for e in entries)
    again = feedparser.parse(feed(inputs_from(SHIPPED), base_url="https://example.org/site"))
    assert [e.id for e in again.entries] == [e.id for e in entries]


def test_each_entry_is_the_sites_account_naming_who_spoke_with_its_source() -> None:
    """An update's note is the team's account (SPEC §7.2): no entry is put in a speaker's name,
    nor the owner's; who spoke is named with the source, after the note."""
    parsed = feedparser.parse(feed(inputs_from(SHIPPED), base_url="https://example.org/site"))
    assert parsed.entries and {e.author for e in parsed.entries} == {"commitment-bot"}
    slipped = next(e for e in parsed.entries if e.title.startswith("Slipped: Implement the Migrant Victim Protocol"))
    assert "Source: Written answer HL9622, Lord Murray of Blidworth." in slipped.summary
    assert not slipped.summary.startswith("Lord Murray")


def test_a_deadline_passing_says_only_what_was_true_then_and_still_is() -> None:
    """Found in a truth audit: the £1.4 million for 2022-23 was "Lapsed" on 1 Apr 2023 in the
    feed, though its news of 12 Jul 2023 says it was delivered (an update is dated by its news, so
    it was not shown to be paid late); and the words whose deadline passed were quoted with no
    speaker, beside an ISO date. An entry says only what was true on its day and still is, with
    the words in force in the mouth of who said them, when and where (SPEC §7.2)."""
    parsed = feedparser.parse(feed(inputs_from(SHIPPED), base_url="https://example.org/site"))
    assert not [e.title for e in parsed.entries if e.title.startswith("Lapsed")]
    money = next(e for e in parsed.entries if e.title.endswith("in 2022-23 to continue to fund support for migrant "
                                                               "victims of domestic abuse") and "passed" in e.title)
    assert money.title.startswith("Deadline passed, not yet reported delivered: Provide £1.4 million")
    assert money.updated.startswith("2023-04-01")  # Atom's machine fields keep ISO
    assert money.summary.startswith("The deadline, 31 Mar 2023, passed, and nothing recorded by then said it was "
                                    "delivered. It was read from “2022-23”: ")
    mvp = next(e for e in parsed.entries if e.title == "Deadline passed, not yet reported delivered: Implement the "
               "Migrant Victim Protocol" and e.updated.startswith("2024-01-01"))
    assert mvp.summary == ("The deadline, 31 Dec 2023, passed, and nothing recorded by then said it was delivered. "
                           "It was read from “later this year”: Lord Murray of Blidworth, 31 Jul 2023 "
                           "(Written answer HL9622).")
    funding = next(e for e in parsed.entries if e.title.startswith("Expected date passed"))
    assert "31 Mar 2026 (2025-26, a period it recurs in), passed" in funding.summary  # nobody's words
    for e in parsed.entries:
        if " passed, not yet reported " not in e.title:
            continue
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", e.title + " " + e.summary), (e.title, e.summary)


def test_the_calendar_never_puts_a_date_or_a_link_in_a_speakers_place() -> None:
    """Found in a truth audit: words recorded with no speaker read "“in the new year”: 21 Nov
    2026", and with only a link, the link stood where the speaker goes."""
    bare = Update("db:1", date(2026, 11, 21), "Officials say consultation in the new year", due="in the new year",
                  window=resolve("in the new year", date(2026, 11, 21)))
    linked = Update("db:2", date(2026, 11, 21), "An answer", due="spring 2027",
                    window=resolve("spring 2027", date(2026, 11, 21)),
                    source=Source("https://example.org/answer", url="https://example.org/answer"))
    found = events(calendar(inputs_from(SHIPPED, {"code-of-practice-consultation-2023": [bare],
                                                  "mvp-implement-by-end-august-2022": [linked]})))
    text = " ".join(" ".join(str(e["DESCRIPTION"]).split()) for e in found.values())  # type: ignore[index]
    assert "Promised now: “in the new year”: 21 Nov 2026; who said it is not recorded (" in text
    assert "Promised now: “spring 2027”: 21 Nov 2026; who said it is not recorded (" in text
    assert "example.org/answer" not in text


def test_evidence_is_named_by_its_host_and_path_never_its_raw_address() -> None:
    """Found in a truth audit: an update given only a link read "Evidence: https://example.org/answer"
    in the feed's text. Its text names the link by host and path; the address itself is the
    entry's link (without --base-url), or on the commitment's page (with one)."""
    linked = Update("db:2", date(2026, 11, 21), "An answer", said_by="A. Minister",
                    source=Source("https://www.example.org/answer/", url="https://www.example.org/answer/"))
    inputs = inputs_from(SHIPPED, {"mvp-stakeholder-engagement": [linked]})
    entry = next(e for e in feedparser.parse(feed(inputs)).entries if e.summary.startswith("An answer"))
    assert entry.summary == "An answer. Said by A. Minister. Evidence: example.org/answer"
    assert entry.link == "https://www.example.org/answer/"
    for e in feedparser.parse(feed(inputs, base_url="https://example.org/site")).entries:
        assert "https://" not in e.summary and "http://" not in e.summary, e.summary


def test_the_feed_keeps_hostile_text_as_text() -> None:
    parsed = feedparser.parse(feed(shipped_with_hostile()))
    assert not parsed.bozo
    text = " ".join(e.title + e.summary for e in parsed.entries)
    assert "<iframe src=javascript:alert(6)>" in text  # text/plain content: shown, never run
    hrefs = [link.href for e in parsed.entries for link in e.get("links", [])]
    assert not [h for h in hrefs if not h.startswith("https://")]


def test_the_table_has_the_status_json_fields_plus_tags() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(inputs_from(SHIPPED)))))
    assert tuple(rows[0]) == FIELDS
    assert len(rows) == 13
    mvp = next(r for r in rows if r["id"] == "mvp-implement-by-end-august-2022")
    assert (mvp["state"], mvp["slips"], mvp["owner"], mvp["due"]) == ("lapsed", "2", "Home Office", "later this year")
    assert "migrant-victim-protocol" in mvp["tags"].split(";")
    # `state` as status --json gives it (SPEC §6.4), and beside it as people say it: only a promise
    # is "lapsed" (SPEC §7.1). Found in an acceptance audit: `state` said "no news" where --json said "lapsed".
    funding = next(r for r in rows if r["id"] == "smv-scheme-funding-each-year" and r["period"] == "2025-26")
    assert (funding["type"], funding["state"], funding["said_as"]) == ("expectation", "lapsed", "no news")


@pytest.mark.parametrize("title", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_no_cell_becomes_a_spreadsheet_formula(title: str) -> None:
    text = SHIPPED.replace("title: Implement the Migrant Victim Protocol\n",
                           f"title: '{title.replace(chr(39), chr(39) * 2)}'\n")
    rows = list(csv.DictReader(io.StringIO(csv_text(inputs_from(text)))))
    assert next(r for r in rows if r["id"] == "mvp-implement-by-end-august-2022")["title"] == "'" + title


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_becomes_a_formula_whatever_separator_the_spreadsheet_reads(delimiter: str) -> None:
    """Found in the hostile audit: a cell holding ";" was written unquoted, and tags are joined
    with ";", so a spreadsheet that reads ";" as its separator (the default in much of Europe)
    split "Fund the scheme;=cmd|' /C calc'!A0" and ran the second half. Every cell is quoted."""
    text = SHIPPED.replace("title: Implement the Migrant Victim Protocol\n",
                           "title: \"Fund the scheme;=cmd|' /C calc'!A0\tx,=1+1\"\n").replace(
        "tags: [migrant-victim-protocol,", "tags: [ok, '=2+5', migrant-victim-protocol,", 1)
    out = csv_text(inputs_from(text))
    cells = [c for row in csv.reader(io.StringIO(out), delimiter=delimiter) for c in row]
    assert not [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@")], delimiter


def test_a_large_register_exports_every_row() -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(inputs_from(generate(300))))))
    assert len(rows) == 300 and {r["owner"] for r in rows} >= {"Home Office", "HM Treasury"}


@pytest.mark.parametrize(("base", "name", "expected"), [
    ("https://example.org/site/", "feed.xml", "https://example.org/site/feed.xml"),
    ("https://example.org/site", "updates.atom", "https://example.org/site/updates.atom"),
    (None, "feed.xml", "feed.xml"),  # no base URL: the file's own name, which resolves to itself wherever it is served
])
def test_the_feed_names_itself(base: str | None, name: str, expected: str) -> None:
    """Issue 26 item 5: a feed reader (and the W3C validator) wants rel="self": where the feed lives."""
    parsed = feedparser.parse(feed(inputs_from(SHIPPED), base_url=base, name=name), response_headers={
        "content-location": "https://example.org/site/" + name})
    selves = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert selves == ["https://example.org/site/" + name if base is None else expected]
    raw = feed(inputs_from(SHIPPED), base_url=base, name=name).decode()
    assert f'<link href="{expected}" rel="self"/>' in raw


def test_a_lapse_entry_stays_true_after_later_news() -> None:
    """Found in the truth sweep: "passed with no update on or after it" was false once the
    promise was delivered later, and a date given as a date was printed twice."""
    from bot.shell.publish.atom import _text
    from bot.shell.publish.chronicle import chronicle
    from tests.test_publish_site import inputs_from

    inputs = inputs_from("""\
version: 1
commitments:
  - id: late
    title: Open the office
    owner: Home Office
    made_on: 2025-01-10
    due: 2025-03-31
    updates:
      - {date: 2025-09-01, note: Opened., status: delivered, source: {title: News, url: "https://example.org/n"}}
""")
    ch = chronicle(inputs.entries[0], inputs.now)
    (lapse,) = [e for e in ch.events if e.kind == "lapsed"]
    assert _text(ch, lapse) == "The deadline, 31 Mar 2025, passed, and nothing recorded by then said it was delivered."


def test_a_lapse_entry_is_true_of_a_promise_that_had_news_before_its_deadline() -> None:
    """Found in the truth audit: the 2022-23 funding had news on 9 Aug 2022 (the Home Secretary's
    letter), yet its lapse entry said the deadline "passed with no update recorded by then"."""
    from bot.shell.publish.atom import _text
    from bot.shell.publish.chronicle import chronicle

    (entry,) = [e for e in inputs_from(SHIPPED).entries if e.commitment.id == "smv-scheme-funding"]
    ch = chronicle(entry, inputs_from(SHIPPED).now)
    (lapse,) = [e for e in ch.events if e.kind == "lapsed"]
    assert "no update" not in _text(ch, lapse) and "nothing recorded by then said it was delivered" in _text(ch, lapse)


def test_a_calendar_event_says_its_state_and_date_as_people_write_them() -> None:
    """Found in the third audit: "State on 05 Nov 2026: due-soon" (a zero-padded day and the state's
    code), and a date the register gives in place of words quoted as if someone had said it:
    'Promised: “2026-12-01”: Letter, 2024-01-01'."""
    from tests.test_publish_site import NOW

    soon = (NOW.date() + timedelta(days=5)).isoformat()
    text = f"""\
version: 1
commitments:
  - id: soon
    title: Publish the guidance
    owner: Home Office
    made_on: 2024-01-01
    due: {soon}
    source: {{title: Letter, url: "https://example.org/letter"}}
"""
    (event,) = events(calendar(inputs_from(text))).values()
    description = str(event["DESCRIPTION"])  # type: ignore[index]
    assert f"State on {NOW.day} {NOW:%b %Y}: due soon;" in description
    assert f"Promised: {soon}: Letter, 1 Jan 2024" in description and f"“{soon}”" not in description
