"""Leads worth a person's time (SPEC §7.4, issue 21 items 7 and 8): GOV.UK is asked for exact
phrases in relevance order, Parliament and GOV.UK are read to the last page, each find is scored
against its commitment (too low: counted, not stored), one URL is one lead naming every
commitment it may answer, and a series with one lapsed period is still watched.

The local GOV.UK and Parliament answer as the real APIs read a query (bot/shell/sandbox/ukapis.py's
engines; their sources are in tests/fixtures/uk-apis/*.source.txt).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from bot.shell.http import Client, HttpSettings
from bot.shell.registerfile import load_texts
from bot.shell.sandbox.ukapis import Doc, Question, Reply, UkApis, govuk_engine, questions_engine
from bot.shell.settings import Settings
from bot.shell.watch import run_watch
from bot.shell.watch.run import asks
from bot.shell.watch.score import score
from storage.db import connect
from storage.models import notifications
from storage.repository import Store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 1, 7, 0, tzinfo=LONDON)
SEARCH, QUESTIONS, STATEMENTS = "/api/search.json", "/api/writtenquestions/questions", "/api/writtenstatements/statements"

REGISTER = """\
version: 1
routes:
  - match: {tags: [mvp]}
    slack: ["#mvp-watch"]
  - slack: ["#commitments"]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    tags: [mvp]
    watch:
      govuk: {query: migrant victims protocol, organisations: [home-office]}
      parliament: {query: Migrant Victims Protocol}
    updates:
      - date: 2026-06-01
        note: Still promised for autumn.
  - id: mvp-engage
    title: Engage stakeholders on the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end 2022
    tags: [mvp]
    watch:
      govuk: {query: '"migrant victims protocol"'}
  - id: mvp-guidance
    title: Publish guidance for police on the Migrant Victims Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end 2022
    watch:
      govuk: {query: migrant victims protocol guidance}
"""

RELEVANT = Doc("/government/publications/migrant-victims-protocol", "Migrant Victims Protocol: guidance for police",
               "How police share information under the Migrant Victims Protocol.", "2026-11-20T09:30:00Z")
# Holds the phrase only deep in its body: GOV.UK returns it for the phrase, but its title and
# summary are about something else, so it is not worth a person's time.
BODY_ONLY = Doc("/government/publications/modern-slavery-statutory-guidance", "Modern slavery: statutory guidance",
                "Guidance for frontline staff on identifying and supporting victims of modern slavery.",
                "2026-11-21T10:00:00Z", body="... see also the migrant victims protocol ...")
# Mentions each word, never the phrase: an unquoted query would find them, newest first.
NOISE = [Doc(f"/government/news/noise-{i}", f"Victims funding update {i}", "A migrant support protocol for "
             "councils.", f"2026-11-{22 + i:02d}T08:00:00Z") for i in range(5)]


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        server.routes[SEARCH] = govuk_engine([RELEVANT, BODY_ONLY, *NOISE])
        server.routes[QUESTIONS] = questions_engine([])
        server.routes[STATEMENTS] = Reply(200, {"totalResults": 0, "results": []})
        yield server


@pytest.fixture
def store(sqlite_url: str) -> Store:
    return Store(connect(sqlite_url))


def watch_once(store: Store, apis: UkApis, text: str = REGISTER, now: datetime = NOW):  # type: ignore[no-untyped-def]
    loaded = load_texts([("c.yaml", text)])
    assert loaded.register is not None, loaded.problems
    store.register.sync(loaded.register, "h", now)
    env = {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url}
    with Client(HttpSettings(user_agent="commitment-bot/test", interval=0, allow_private=frozenset({"127.0.0.1"}),
                             retries=0, backoff=0.01)) as c:
        return run_watch(store, loaded.register, Settings(env=env), now, client=c)


def test_govuk_is_asked_for_the_exact_phrase_in_relevance_order(store: Store, apis: UkApis) -> None:
    watch_once(store, apis)
    asked = [(s.query["q"][0], s.query.get("filter_public_timestamp")) for s in apis.requests(SEARCH)]
    assert asked == [('"migrant victims protocol"', ["from:2026-06-01"]),  # mvp, from its last news
                     ('"migrant victims protocol"', ["from:2022-02-21"]),  # quoted in the register: sent as written
                     ('"migrant victims protocol guidance"', ["from:2022-02-21"])]
    assert all("order" not in s.query for s in apis.requests(SEARCH))  # search-api's default for a query: relevance


def test_a_find_below_the_threshold_is_counted_not_stored(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis)
    stored = {lead.url.removeprefix(apis.url) for lead in store.leads.list()}
    assert stored == {RELEVANT.link}  # the noise was never returned; the body-only match scored too low
    assert report.below == 1 and report.hits == 2


def test_one_url_is_one_lead_naming_every_commitment_it_may_answer(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis)
    (lead,) = report.leads
    assert set(lead.commitments) == {"mvp", "mvp-engage", "mvp-guidance"}
    assert lead.commitments[0] == "mvp-guidance"  # the best match first: every query and title word found
    with store.engine.connect() as conn:
        rows = conn.execute(select(notifications.c.ident, notifications.c.target)).all()
    targets = [t for _, t in rows]
    assert sorted(targets) == ["console", "slack:#commitments", "slack:#mvp-watch"]  # each channel once
    idents = dict((t, i) for i, t in rows)
    assert idents["slack:#commitments"] == f"lead|mvp-guidance||{lead.url}"
    assert idents["slack:#mvp-watch"] == f"lead|mvp||{lead.url}"  # in the thread of the first it follows
    again = watch_once(store, apis)
    assert again.leads == () and again.named == () and again.notifications == 0


def test_a_lead_still_new_names_a_commitment_that_finds_it_later(store: Store, apis: UkApis) -> None:
    first = REGISTER.split("  - id: mvp-engage")[0]
    (lead,) = watch_once(store, apis, first).leads
    assert lead.commitments == ("mvp",)
    report = watch_once(store, apis)
    assert report.leads == () and [x.commitments for x in report.named] == [("mvp", "mvp-guidance", "mvp-engage")]
    with store.engine.connect() as conn:
        targets = sorted(conn.execute(select(notifications.c.target)).scalars())
    assert targets == ["console", "slack:#commitments", "slack:#mvp-watch"]  # #mvp-watch was not told twice


def test_a_pass_that_dies_after_storing_its_leads_tells_them_on_the_next(store: Store, apis: UkApis) -> None:
    """The leads are stored before their notifications: a pass killed in between (here, the
    database failing on the notifications' insert) must not leave a lead no channel is ever told
    of. The next pass finds the URL again, still new, and records what the first could not (the
    search's validators were not kept, so it is not told "unchanged"); a target told already is
    not told twice."""
    engine = govuk_engine([RELEVANT, BODY_ONLY, *NOISE])
    apis.routes[SEARCH] = lambda seen: Reply(200, engine(seen).body, etag=True)

    def dies(_conn, _cursor, statement: str, *_: object) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO notifications"):
            raise RuntimeError("the process was killed")

    event.listen(store.engine, "before_cursor_execute", dies)
    with pytest.raises(RuntimeError):
        watch_once(store, apis)
    event.remove(store.engine, "before_cursor_execute", dies)
    (lead,) = store.leads.list()
    report = watch_once(store, apis)
    assert report.leads == () and report.notifications == 3
    with store.engine.connect() as conn:
        targets = sorted(conn.execute(select(notifications.c.target)).scalars())
    assert targets == ["console", "slack:#commitments", "slack:#mvp-watch"]
    assert watch_once(store, apis).notifications == 0  # found again, told already: nothing more


def test_a_dismissed_lead_is_not_raised_again_for_another_commitment(store: Store, apis: UkApis) -> None:
    first = REGISTER.split("  - id: mvp-engage")[0]
    (lead,) = watch_once(store, apis, first).leads
    assert store.leads.decide(lead.id, "dismissed", NOW)
    report = watch_once(store, apis)
    assert report.leads == () and report.named == () and report.notifications == 0


def test_parliament_is_read_to_the_last_page(store: Store, apis: UkApis) -> None:
    questions = [Question(str(9000 + i), "Migrant Victims Protocol", "To ask the Secretary of State for the Home "
                          "Department, when the Migrant Victims Protocol will be published.",
                          "The Migrant Victims Protocol is being finalised.", "2026-11-25") for i in range(130)]
    apis.routes[QUESTIONS] = questions_engine(questions)
    report = watch_once(store, apis)
    skips = [s.query.get("skip", ["0"])[0] for s in apis.requests(QUESTIONS)]
    assert skips == ["0", "100"]
    assert len([x for x in report.leads if x.source == "parliament-question"]) == 130


def test_govuk_is_read_to_the_last_page(store: Store, apis: UkApis) -> None:
    many = [Doc(f"/government/publications/mvp-{i}", f"Migrant Victims Protocol: annex {i}",
                "Part of the Migrant Victims Protocol.", "2026-11-20T09:30:00Z") for i in range(60)]
    apis.routes[SEARCH] = govuk_engine(many)
    report = watch_once(store, apis, REGISTER.split("  - id: mvp-engage")[0])
    starts = [s.query.get("start", ["0"])[0] for s in apis.requests(SEARCH)]
    assert starts == ["0", "50"] and len(report.leads) == 60


def test_a_page_that_fails_is_asked_again_next_time_from_the_first(store: Store, apis: UkApis) -> None:
    """The first page's validators are kept only once every page was read: a pass that lost its
    second page must not be told "unchanged" on the first next time."""
    many = [Doc(f"/government/publications/mvp-{i}", f"Migrant Victims Protocol: annex {i}",
                "Part of the Migrant Victims Protocol.", "2026-11-20T09:30:00Z") for i in range(60)]
    engine = govuk_engine(many)
    apis.routes[SEARCH] = lambda seen: Reply(500, "down") if seen.query.get("start") else \
        Reply(200, engine(seen).body, etag=True)
    text = REGISTER.split("  - id: mvp-engage")[0]
    first = watch_once(store, apis, text)
    assert any("HTTP 500" in p for p in first.problems)
    apis.routes[SEARCH] = engine
    watch_once(store, apis, text)
    assert "if-none-match" not in apis.requests(SEARCH)[-2].headers
    assert len(store.leads.list()) == 60


RECURRING = """\
version: 1
commitments:
  - id: smv-scheme-funding
    title: Fund the Support for Migrant Victims Scheme each financial year
    owner: Home Office
    made_on: 2022-05-27
    due: 2022-23
    recurs: financial-year
    watch:
      govuk: {query: "support for migrant victims scheme", organisations: [home-office]}
    updates:
      - {date: 2023-05-22, period: 2023-24, note: A further 1.4m for 2023-24., status: delivered,
         source: {title: Written answer 185692, url: "https://questions-statements.parliament.uk/a"}}
      - {date: 2023-07-12, period: 2022-23, note: Delivered., status: delivered,
         source: {title: Lords oral question, url: "https://hansard.parliament.uk/b"}}
      - {date: 2023-07-31, period: 2024-25, note: Extended until March 2025., status: delivered,
         source: {title: Written answer HL9620, url: "https://questions-statements.parliament.uk/c"}}
"""


def test_a_series_with_one_lapsed_period_is_watched_from_its_last_news() -> None:
    loaded = load_texts([("c.yaml", RECURRING)])
    assert loaded.register is not None, loaded.problems
    (ask,) = asks(loaded.register, {}, date(2026, 12, 1))
    assert ask.commitment_id == "smv-scheme-funding" and ask.since == date(2023, 7, 31)


def test_the_lapsed_funding_year_is_watched_and_its_news_is_a_lead(store: Store, apis: UkApis) -> None:
    apis.routes[SEARCH] = govuk_engine([Doc("/government/news/smv-2025-26", "Support for Migrant Victims Scheme "
                                            "funding for 2025 to 2026", "The Support for Migrant Victims Scheme "
                                            "is funded for another financial year.", "2025-06-02T09:00:00Z")])
    report = watch_once(store, apis, RECURRING)
    assert [x.commitments for x in report.leads] == [("smv-scheme-funding",)]
    (alert,) = [a for a in _payloads(store)]
    assert alert["period"] == "2025-26"  # shown against the open year it may answer


def test_the_score_is_a_share_of_query_and_title_words() -> None:
    s = score("migrant victims protocol", "Implement the Migrant Victim Protocol and code of practice",
              "Migrant Victims Protocol: guidance", None)
    assert (s.query, s.query_of, s.title, s.title_of) == (("migrant", "protocol", "victim"), 3,
                                                            (), 3)  # implement, code, practice: none found
    assert s.percent == 75 and s.passes
    low = score("migrant victims protocol", "Implement the Migrant Victim Protocol", "Modern slavery: statutory "
                "guidance", "Supporting victims of modern slavery.")
    assert low.percent == 25 and not low.passes
    assert str(low) == "25%: 1 of 3 query words, 0 of 1 title words"


def _payloads(store: Store) -> list[dict]:  # type: ignore[type-arg]
    import json

    with store.engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(select(notifications.c.payload)).scalars()]
