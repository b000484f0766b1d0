"""Storing a pass's leads many at a time (storage.leads.Leads.store_all, issue 21's 1,000-commitment
pass): each URL is one lead, each commitment named on it once, and only what a call stored is
reported (the channels are told once), on SQLite and PostgreSQL; a crash keeps what committed and
storing again adds nothing twice; two replicas storing the same URLs at once, in opposite
orders, neither wait for each other forever nor record anything twice.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, func, select

from storage.db import connect
from storage.leads import Found, Leads, Mark, Stored
from storage.models import lead_commitments, leads
from storage.sql import CHUNK

NOW = datetime(2026, 12, 1, 7, tzinfo=UTC)


def found(i: int, *cids: str) -> Found:
    return Found(f"https://www.gov.uk/news/{i}", f"News {i}", None, "govuk", None,
                 tuple((cid, 60) for cid in cids or ("a",)))


def counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(leads)).scalar_one(),
                conn.execute(select(func.count()).select_from(lead_commitments)).scalar_one())


@pytest.fixture
def engine(database_url: str):  # type: ignore[no-untyped-def]
    made = connect(database_url)
    yield made
    made.dispose()


def test_many_finds_are_stored_once_in_the_order_given(engine: Engine) -> None:
    store = Leads(engine)
    assert store.add("b", "Known", found(1).url, None, "govuk", None, NOW) is not None  # a lead still new
    dismissed = store.add("a", "Dismissed", found(2).url, None, "govuk", None, NOW)
    assert dismissed is not None and store.decide(dismissed.id, "dismissed", NOW)
    finds = [found(3, "a"), found(1, "a", "b"), found(2, "a"), found(0, "c", "a")]
    stored = store.store_all(finds, NOW)
    assert [(s.lead.url, s.new, s.added) for s in stored] == [
        (found(3).url, True, ("a",)), (found(1).url, False, ("a",)), (found(0).url, True, ("c", "a"))]
    assert stored[1].lead.commitments == ("b", "a")  # named after the commitment it named already
    with engine.connect() as conn:  # by position, not by the order rows come back (PostgreSQL's is chance)
        positions = dict(conn.execute(select(lead_commitments.c.commitment_id, lead_commitments.c.position)
                                      .where(lead_commitments.c.lead_id == stored[1].lead.id)).all())
    assert positions == {"b": 0, "a": 1}
    assert stored[0].lead.id < stored[2].lead.id  # ids in the order found
    assert stored[2].lead.commitment_id == "c" and stored[2].lead.answers[1].score == 60
    assert store.store_all(finds, NOW) == []  # again: nothing new, nothing told twice
    assert counts(engine) == (4, 6)


def test_a_crash_keeps_what_committed_and_storing_again_adds_nothing_twice(engine: Engine) -> None:
    store = Leads(engine)
    finds = [found(i, "a", "b") for i in range(CHUNK + 20)]
    inserts = Counter[str]()

    def crash(_conn, _cursor, statement: str, *_: object) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO lead_commitments"):
            inserts["answers"] += 1
            if inserts["answers"] == 2:  # the second transaction, its leads inserted, dies here
                raise RuntimeError("the process was killed")

    event.listen(engine, "before_cursor_execute", crash)
    with pytest.raises(RuntimeError):
        store.store_all(finds, NOW)
    event.remove(engine, "before_cursor_execute", crash)
    assert counts(engine) == (CHUNK, 2 * CHUNK)  # the first transaction whole, nothing of the second
    again = store.store_all(finds, NOW)
    assert [s.lead.url for s in again] == [f.url for f in finds[CHUNK:]] and all(s.new for s in again)
    assert counts(engine) == (CHUNK + 20, 2 * (CHUNK + 20))


def test_two_replicas_storing_the_same_urls_at_once_record_each_once(database_url: str) -> None:
    engines = [connect(database_url), connect(database_url)]
    finds = [found(i, "a", "b") for i in range(300)]
    orders = [finds, finds[::-1]]  # opposite orders: without taking turns, each would wait on the other
    results: list[list[Stored]] = [[], []]
    failed: list[BaseException] = []
    start = threading.Barrier(2)

    def replica(n: int) -> None:
        try:
            for _ in range(5):  # five rounds of the same URLs, each round with new commitments
                start.wait()
                results[n] += Leads(engines[n]).store_all(orders[n], NOW)
                orders[n] = [replace(f, answers=tuple((f"{cid}'", s) for cid, s in f.answers)) for f in orders[n]]
        except BaseException as e:  # noqa: BLE001 - reported below
            failed.append(e)
            start.abort()  # the other replica is not left waiting for this one

    threads = [threading.Thread(target=replica, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert failed == []
        told = Counter((s.lead.url, cid) for s in results[0] + results[1] for cid in s.added)
        names = [cid + "'" * r for r in range(5) for cid in ("a", "b")]
        assert set(told) == {(f.url, cid) for f in finds for cid in names} and max(told.values()) == 1
        assert sum(s.new for s in results[0] + results[1]) == 300
        assert counts(engines[0]) == (300, 3000)
    finally:
        for made in engines:
            made.dispose()


def test_marks_are_kept_one_per_url_the_last_given(engine: Engine) -> None:
    store = Leads(engine)
    store.set_marks([("https://a.test/1", Mark('"1"', None, None)), ("https://a.test/2", Mark(None, "Tue", "h"))], NOW)
    store.set_marks([("https://a.test/1", Mark('"2"', None, None)), ("https://a.test/3", Mark(None, None, "x")),
                     ("https://a.test/1", Mark('"3"', "Wed", None))], NOW)
    assert store.marks(["https://a.test/1", "https://a.test/2", "https://a.test/3", "https://a.test/4"]) == {
        "https://a.test/1": Mark('"3"', "Wed", None), "https://a.test/2": Mark(None, "Tue", "h"),
        "https://a.test/3": Mark(None, None, "x")}
