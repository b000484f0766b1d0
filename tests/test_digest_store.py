"""The digests table: one replica wins a period's digest; a sent one is not claimed again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import connect
from storage.digests import DigestStore

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_one_worker_wins_and_a_sent_digest_stays_sent(database_url: str) -> None:
    store = DigestStore(connect(database_url))
    stale = NOW - timedelta(minutes=10)
    row = store.claim("a@example.org", "2026-W48", None, NOW, "worker-1", NOW, stale)
    assert row is not None
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-2", NOW, stale) is None
    store.not_sent(row, "451 try later", permanent=False)
    assert [o.recipient for o in store.owed("2026-W48")] == ["a@example.org"]
    again = store.claim("a@example.org", "2026-W48", None, NOW, "worker-2", NOW, stale)
    assert again == row
    store.sent(row, NOW)
    assert store.owed("2026-W48") == [] and store.was_sent("a@example.org", "2026-W48")
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-3", NOW, stale) is None
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-3", NOW, stale, force=True) == row
    assert store.last_covered("a@example.org", "2026-W49") == NOW
    assert store.last_covered("a@example.org", "2026-W48") is None


def test_a_dead_workers_claim_expires(database_url: str) -> None:
    store = DigestStore(connect(database_url))
    assert store.claim("a@example.org", "2026-W48", None, NOW, "dead", NOW, NOW - timedelta(minutes=10))
    later = NOW + timedelta(minutes=11)
    assert store.claim("a@example.org", "2026-W48", None, NOW, "alive", later, later - timedelta(minutes=10))
