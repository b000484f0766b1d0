"""A watch pass (SPEC §6.3) against the local GOV.UK / Parliament server: what is new since a
commitment's last news becomes a lead, once; a lead is never an update; each lead is a "lead"
notification for the commitment's routes; the requests are polite and conditional.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.shell.http import Client, HttpSettings
from bot.shell.registerfile import load_texts
from bot.shell.sandbox.ukapis import Reply, UkApis
from bot.shell.settings import Settings
from bot.shell.watch import run_watch
from storage.db import connect
from storage.models import notifications
from storage.repository import Store
from tests.ukbodies import govuk_search, html, written_questions, written_statements

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 12, 1, 7, 0, tzinfo=LONDON)
SEARCH, QUESTIONS, STATEMENTS = "/api/search.json", "/api/writtenquestions/questions", "/api/writtenstatements/statements"


def register_text(page: str) -> str:
    return f"""\
version: 1
routes:
  - match: {{tags: [mvp]}}
    slack: ["#mvp-watch"]
    email: [coordinator@example.org]
  - slack: ["#commitments"]
commitments:
  - id: mvp
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    tags: [mvp]
    watch:
      govuk: {{query: migrant victim protocol, organisations: [home-office]}}
      parliament: {{query: Migrant Victim Protocol}}
      pages: ["{page}"]
    updates:
      - date: 2026-06-01
        note: Still promised for autumn.
  - id: unwatched
    title: Nothing to watch
    owner: DfE
    made_on: 2022-02-21
    due: 2023
"""


@pytest.fixture
def apis() -> Iterator[UkApis]:
    with UkApis() as server:
        server.routes[SEARCH] = Reply(200, govuk_search("/government/publications/mvp-guidance",
                                                        "Migrant Victim Protocol: guidance", "2026-11-20T09:30:00Z"),
                                      etag=True)
        server.routes[QUESTIONS] = Reply(200, written_questions("2026-11-25T00:00:00", "Migrant Victim Protocol"),
                                         etag=True)
        server.routes[STATEMENTS] = Reply(200, written_statements("2026-11-26T00:00:00", "Migrant Victims Protocol"))
        server.routes["/page"] = Reply(200, html("MVP", "The protocol is in development.", chrome="v1"))
        yield server


@pytest.fixture
def store(sqlite_url: str) -> Store:
    return Store(connect(sqlite_url))


def settings(apis: UkApis) -> Settings:
    env = {"GOVUK_API_URL": apis.url, "PARLIAMENT_QUESTIONS_API_URL": apis.url, "HTTP_ALLOW_PRIVATE": "127.0.0.1",
           "COMMITMENT_BOT_CONTACT": "team@example.org", "COMMITMENT_BOT_HTTP_INTERVAL": "0.05"}
    return Settings(env=env)


def client(interval: float = 0.05) -> Client:
    return Client(HttpSettings(user_agent="commitment-bot/test (+team@example.org)", interval=interval,
                               allow_private=frozenset({"127.0.0.1"}), retries=1, backoff=0.01))


def watch_once(store: Store, apis: UkApis, now: datetime = NOW, interval: float = 0.05):  # type: ignore[no-untyped-def]
    loaded = load_texts([("c.yaml", register_text(apis.url + "/page"))])
    assert loaded.register is not None, loaded.problems
    store.register.sync(loaded.register, "h", now)
    with client(interval) as c:
        return run_watch(store, loaded.register, settings(apis), now, client=c)


def test_each_source_asks_for_what_is_new_since_the_last_news(store: Store, apis: UkApis) -> None:
    watch_once(store, apis)
    search = apis.requests(SEARCH)[0].query
    assert search["q"] == ['"migrant victim protocol"'] and search["filter_organisations"] == ["home-office"]
    assert "order" not in search and search["filter_public_timestamp"] == ["from:2026-06-01"]
    assert apis.requests(QUESTIONS)[0].query["answeredWhenFrom"] == ["2026-06-01"]
    assert apis.requests(QUESTIONS)[0].query["searchTerm"] == ["Migrant Victim Protocol"]
    assert apis.requests(STATEMENTS)[0].query["madeWhenFrom"] == ["2026-06-01"]
    assert all(s.headers["user-agent"] == "commitment-bot/test (+team@example.org)" for s in apis.seen)


def test_new_hits_become_leads_once_and_never_updates(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis)
    by_source = {lead.source: lead for lead in report.leads}
    assert set(by_source) == {"govuk", "parliament-question", "parliament-statement"}  # the page was first seen
    gov = by_source["govuk"]
    assert (gov.title, gov.url, gov.published, gov.state) == (
        "Migrant Victim Protocol: guidance", apis.url + "/government/publications/mvp-guidance", date(2026, 11, 20), "new")
    question = by_source["parliament-question"]
    assert question.url == apis.url.replace("-api.", ".") + "/written-questions/detail/2026-11-25/8024"
    assert question.title == "Written question 8024: Migrant Victim Protocol" and question.snippet
    assert store.updates.recorded(None, "calendar") == {}  # a lead is never an update
    again = watch_once(store, apis)
    assert again.leads == () and again.notifications == 0
    assert len(store.leads.list()) == 3


def test_the_recorded_2017_result_is_older_than_the_last_news_and_no_lead(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis)
    assert "Tax your vehicle" not in {lead.title for lead in report.leads}


def test_the_second_pass_asks_conditionally_and_a_304_finds_nothing(store: Store, apis: UkApis) -> None:
    watch_once(store, apis)
    watch_once(store, apis)
    first, second = apis.requests(SEARCH)
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"].startswith('"')
    assert len(apis.requests(QUESTIONS)) == 2 and "if-none-match" in apis.requests(QUESTIONS)[1].headers


def test_each_lead_is_a_lead_notification_for_the_commitments_routes(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis)
    with store.engine.connect() as conn:
        rows = conn.execute(select(notifications.c.ident, notifications.c.kind, notifications.c.target,
                                   notifications.c.status, notifications.c.payload)).all()
    assert {r.kind for r in rows} == {"lead"}
    idents = {r.ident for r in rows}
    assert idents == {f"lead|mvp||{lead.url}" for lead in report.leads}
    # no channel configured: the console now, Slack and email held until configured
    assert {(r.target, r.status) for r in rows} == {("console", "pending"), ("slack:#mvp-watch", "held"),
                                                    ("email:coordinator@example.org", "held")}
    payload = json.loads(rows[0].payload)
    assert payload["kind"] == "lead" and payload["lead"]["url"] in {lead.url for lead in report.leads}
    assert payload["lead"]["lead_id"] in {lead.id for lead in report.leads}


def test_a_lead_is_stored_for_the_targets_the_channels_serve_as_a_check_stores_its_alerts(
        store: Store, apis: UkApis) -> None:
    """Found in the second review (issue 23 item 1): the watch stored its leads' alerts itself and
    judged which targets were served from the settings, a rule of its own beside the check's. It is
    given the channels `run` and `watch` built, and stores through the use case the check uses:
    mail configured, the lead goes to the mailbox, Slack's thread holds it until Slack is configured."""
    import io

    import notifiers

    loaded = load_texts([("c.yaml", register_text(apis.url + "/page"))])
    assert loaded.register is not None, loaded.problems
    store.register.sync(loaded.register, "h", NOW)
    mail = Settings(env=settings(apis).env, smtp_url="smtp://127.0.0.1:2525", email_from="bot@example.org")
    with client() as c:
        run_watch(store, loaded.register, mail, NOW, channels=notifiers.build(mail, io.StringIO(), store.threads),
                  client=c)
    with store.engine.connect() as conn:
        rows = conn.execute(select(notifications.c.target, notifications.c.status)).all()
    assert {(r.target, r.status) for r in rows} == {("console", "pending"), ("slack:#mvp-watch", "held"),
                                                    ("email:coordinator@example.org", "pending")}


def test_only_the_use_case_layer_stores_decided_alerts() -> None:
    """One use-case layer (bot/shell/usecases.py, and the check it runs in bot/shell/service.py)
    stores what was decided; no other door calls `store.notifications.record`."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    storing = sorted(str(p.relative_to(root)) for p in (root / "bot").rglob("*.py")
                     if ".notifications.record(" in p.read_text(encoding="utf-8"))
    assert storing == ["bot/shell/service.py", "bot/shell/usecases.py"]


def test_a_watched_page_that_changes_its_main_text_is_a_lead(store: Store, apis: UkApis) -> None:
    watch_once(store, apis)  # first sight: recorded, nothing to compare with
    apis.routes["/page"] = Reply(200, html("MVP", "The protocol is in development.", chrome="v2"))
    assert [lead.source for lead in watch_once(store, apis).leads] == []  # only the menu changed
    apis.routes["/page"] = Reply(200, html("MVP", "The protocol was published today."))
    changed = watch_once(store, apis).leads
    assert [(lead.source, lead.url) for lead in changed] == [("page", apis.url + "/page#changed-2026-12-01")]
    assert "published today" in (changed[0].snippet or "")


def test_a_page_is_asked_with_the_validators_it_sent(store: Store, apis: UkApis) -> None:
    apis.routes["/page"] = Reply(200, html("MVP", "Same."), etag=True,
                                 headers={"Last-Modified": "Tue, 01 Dec 2026 06:00:00 GMT"})
    watch_once(store, apis)
    watch_once(store, apis)
    second = apis.requests("/page")[1].headers
    assert second["if-none-match"].startswith('"') and second["if-modified-since"] == "Tue, 01 Dec 2026 06:00:00 GMT"


def test_time_travel_sees_nothing_published_after_now(store: Store, apis: UkApis) -> None:
    report = watch_once(store, apis, now=datetime(2026, 11, 21, 7, tzinfo=LONDON))
    assert [lead.source for lead in report.leads] == ["govuk"]


def test_a_source_that_fails_is_reported_and_the_others_still_asked(store: Store, apis: UkApis) -> None:
    apis.routes[QUESTIONS] = Reply(500, "down")
    report = watch_once(store, apis)
    assert any("written questions" in p and "HTTP 500" in p for p in report.problems)
    assert {lead.source for lead in report.leads} == {"govuk", "parliament-statement"}
    assert len(apis.requests(QUESTIONS)) == 2  # retried once, then reported


def test_requests_to_one_host_are_paced(store: Store, apis: UkApis) -> None:
    watch_once(store, apis, interval=0.2)
    times = [s.at for s in apis.seen]
    assert len(times) == 4 and all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False)), times


def many_text(n: int, base: str) -> str:
    """`n` watched commitments, each with its own GOV.UK query and page."""
    lines = ["version: 1", "commitments:"]
    for i in range(n):
        lines += [f"  - {{id: c{i}, title: Topic {i} guidance, owner: Home Office, made_on: 2026-01-10, due: 2027, "
                  f"watch: {{govuk: {{query: topic {i} guidance}}, pages: ['{base}/page/{i}']}}}}"]
    return "\n".join(lines) + "\n"


def statements_of_a_pass(store: Store, apis: UkApis, n: int) -> tuple[int, int]:
    """(SQL statements, leads stored) of a first pass over `n` commitments, each finding its own lead."""
    from sqlalchemy import event

    loaded = load_texts([("c.yaml", many_text(n, apis.url))])
    assert loaded.register is not None, loaded.problems
    store.register.sync(loaded.register, "h", NOW)
    count = [0]

    def counted(*_: object) -> None:
        count[0] += 1

    event.listen(store.engine, "before_cursor_execute", counted)
    try:
        with client(0) as c:
            report = run_watch(store, loaded.register, settings(apis), NOW, client=c)
    finally:
        event.remove(store.engine, "before_cursor_execute", counted)
    return count[0], len(report.leads)


def test_a_pass_asks_the_database_the_same_few_times_however_many_it_finds(sqlite_url: str, tmp_path,  # type: ignore[no-untyped-def]
                                                                          apis: UkApis) -> None:
    """Storing a lead a transaction at a time, and looking up each first-seen page's mark on its
    own, made a 1,000-commitment pass spend seconds in the database, on the busiest host's lane
    and after its last request (issue 21: within 1.2× the pacing floor)."""
    def search(seen):  # type: ignore[no-untyped-def]
        q = seen.query["q"][0].strip('"').replace(" ", "-")
        return Reply(200, govuk_search(f"/government/publications/{q}", f"{q} guidance", "2026-11-20T09:30:00Z"))

    apis.routes[SEARCH] = search
    apis.routes.update({f"/page/{i}": Reply(200, html(f"Page {i}", "Unchanged.")) for i in range(40)})
    few = statements_of_a_pass(store=Store(connect(sqlite_url)), apis=apis, n=3)
    many = statements_of_a_pass(store=Store(connect(f"sqlite:///{tmp_path / 'many.db'}")), apis=apis, n=40)
    assert (few[1], many[1]) == (3, 40)
    assert many[0] == few[0], (few, many)
