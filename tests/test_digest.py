"""The digest's content (pure): sections, order, per-recipient routing, "since the last digest"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.decide.digest import SECTIONS, Digest, build_digest, period_of, read_book
from bot.register.model import Register
from bot.shell.registerfile import load_texts as load

LONDON = ZoneInfo("Europe/London")

REGISTER = """\
version: 1
timezone: Europe/London
defaults: {grace: 7 days, remind_every: 30 days, heads_up: 14 days, check_in: 6 months}
routes:
  - match: {tags: [mvp]}
    email: [coord@example.org]
  - email: [other@example.org]
commitments:
  - id: lapsed-long
    title: Lapsed long ago
    owner: Home Office
    made_on: 2026-01-10
    due: end June
    tags: [mvp]
    source: {title: Letter, url: "https://example.org/a", quote: "We aim to do it by end June."}
  - id: lapsed-recent
    title: Lapsed recently
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-09-30
    tags: [mvp]
  - id: ask-unanswered
    title: Answer the Commissioner's call
    owner: Home Office
    type: ask
    made_by: the Domestic Abuse Commissioner
    made_on: 2026-01-10
    due: 2026-07-31
    tags: [mvp]
  - id: expected-no-news
    title: Fund the scheme each year
    owner: Home Office
    type: expectation
    made_on: 2026-01-10
    due: 2026-08-31
    tags: [mvp]
  - id: slipped
    title: Slipped last week
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-10-31
    tags: [mvp]
    updates:
      - {date: 2026-11-18, note: Now next spring., due: spring 2027}
  - id: due-soon
    title: Due next month
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-12-10
    tags: [mvp]
  - id: silent
    title: Open-ended and quiet
    owner: Home Office
    made_on: 2026-01-10
    due: in due course
    tags: [mvp]
  - id: delivered
    title: Delivered last week
    owner: Home Office
    made_on: 2026-01-10
    due: 2026-10-31
    tags: [mvp]
    updates:
      - {date: 2026-11-20, note: Published., status: delivered, source: {title: GOV.UK, url: "https://example.org/d"}}
  - id: reopened
    title: Reopened last week
    owner: Home Office
    made_on: 2026-01-10
    due: 2027-10-31
    tags: [mvp]
    updates:
      - {date: 2026-02-20, note: Published., status: delivered, source: {title: GOV.UK, url: "https://example.org/r"}}
      - {date: 2026-11-19, note: Withdrawn for redrafting., status: open}
  - id: news
    title: News last week
    owner: Home Office
    made_on: 2026-01-10
    due: 2027-10-31
    tags: [mvp]
    updates:
      - {date: 2026-11-17, note: The Minister says work is under way.}
  - id: far-away
    title: Due in 2028
    owner: Treasury
    made_on: 2026-01-10
    due: 2028
    tags: [mvp]
  - id: others-lapsed
    title: Someone else's
    owner: DWP
    made_on: 2026-01-10
    due: 2026-03-31
"""


def register() -> Register:
    loaded = load([("commitments.yaml", REGISTER)])
    assert not loaded.problems, [str(p) for p in loaded.problems]
    assert loaded.register is not None
    return loaded.register


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def digest_for(recipient: str, now: str, since: str | None = None) -> Digest:
    book = read_book(register(), {}, at(now))
    return build_digest(book, recipient, at(since) if since else None)


def ids(d: Digest) -> dict[str, list[str]]:
    return {s.key: [i.id for i in s.items] for s in d.sections}


def test_sections_in_order_with_their_items() -> None:
    d = digest_for("coord@example.org", "2026-11-23T08:00")
    assert [s.key for s in d.sections] == [key for key, _ in SECTIONS]
    assert ids(d) == {
        "lapsed": ["lapsed-long", "lapsed-recent"],  # most days overdue first
        "unanswered": ["ask-unanswered"],  # an ask is never a lapsed promise (SPEC §7.1)
        "no-news": ["expected-no-news"],  # nor is an expectation
        "slipped": ["slipped"],
        "due-soon": ["due-soon"],
        "silent": ["silent"],
        "delivered": ["delivered"],
        "reopened": ["reopened"],
        "news": ["news"],
    }
    assert d.subject == ("2 lapsed, 1 with no answer, 1 with no news, 1 slipped, 1 due soon, 1 gone silent, 1 closed, 1 reopened, 1 with news"
                         " — commitments digest, 16 – 22 Nov 2026")
    assert (d.period, d.routed_count) == ("2026-W48", 11)


def test_items_carry_what_a_reader_needs() -> None:
    d = digest_for("coord@example.org", "2026-11-23T08:00")
    first = d.sections[0].items[0]
    assert (first.words, first.reading, first.deadline, first.days_overdue) == (
        "end June", "1 Jun – 30 Jun 2026", "2026-06-30", 146)
    assert (first.quote, first.source_url) == ("We aim to do it by end June.", "https://example.org/a")
    slip = next(s for s in d.sections if s.key == "slipped").items[0]
    assert (str(slip.slipped_from), str(slip.slipped_to), slip.event_on, slip.slips) == (
        "31 Oct 2026", '"spring 2027" (31 May 2027)', "2026-11-18", 1)
    assert slip.last_update_note == "Now next spring."


def test_each_recipient_sees_only_what_is_routed_to_them() -> None:
    d = digest_for("other@example.org", "2026-11-23T08:00")
    assert ids(d) == {"lapsed": ["others-lapsed"]}
    assert d.subject == "1 lapsed — commitments digest, 16 – 22 Nov 2026"
    assert digest_for("nobody@example.org", "2026-11-23T08:00").is_empty


@pytest.mark.parametrize("now, since, slipped, delivered", [
    ("2026-11-23T08:00", None, ["slipped"], ["delivered"]),  # first digest: the week before
    ("2026-11-23T08:00", "2026-11-19T08:00", [], ["delivered"]),  # the slip was in the last digest
    ("2026-11-23T08:00", "2026-11-21T08:00", [], []),
    ("2026-11-30T08:00", "2026-11-23T00:00", [], []),  # a week later: old news
    ("2026-11-30T08:00", None, [], []),
    ("2026-11-20T08:00", "2026-11-16T00:00", ["slipped"], []),  # news dated today waits a week
    ("2026-11-21T08:00", "2026-11-20T00:00", [], ["delivered"]),
])
def test_since_the_last_digest(now: str, since: str | None, slipped: list[str], delivered: list[str]) -> None:
    found = ids(digest_for("coord@example.org", now, since))
    assert found.get("slipped", []) == slipped
    assert found.get("delivered", []) == delivered


@pytest.mark.parametrize("now, due_soon", [
    ("2026-11-10T08:00", ["due-soon"]),  # 10 Dec passes within 30 days
    ("2026-11-09T08:00", []),  # passes at midnight ending 10 Dec: 31 days and 16 h away
    ("2026-12-10T23:00", ["due-soon"]),
    ("2026-12-11T00:00", []),  # passed: now it is overdue, not due soon
])
def test_due_in_the_next_30_days(now: str, due_soon: list[str]) -> None:
    assert ids(digest_for("coord@example.org", now)).get("due-soon", []) == due_soon


@pytest.mark.parametrize("now, period, monday", [
    ("2026-11-23T08:00", "2026-W48", "2026-11-23"),
    ("2026-11-29T23:59", "2026-W48", "2026-11-23"),
    ("2027-01-01T08:00", "2026-W53", "2026-12-28"),
])
def test_period_is_the_iso_week(now: str, period: str, monday: str) -> None:
    assert period_of(at(now)) == (period, datetime.fromisoformat(monday).date())


def test_empty_digest_subject() -> None:
    d = digest_for("coord@example.org", "2026-01-11T08:00")
    assert d.is_empty
    assert d.subject == "Nothing new — commitments digest, 4 – 10 Jan 2026"
