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
    assert row is not None and row.unsure_since is None
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-2", NOW, stale) is None
    store.not_sent(row.id, "451 try later", permanent=False)
    assert [o.recipient for o in store.owed("2026-W48")] == ["a@example.org"]
    again = store.claim("a@example.org", "2026-W48", None, NOW, "worker-2", NOW, stale)
    assert again == row
    store.sent(row.id, NOW)
    assert store.owed("2026-W48") == [] and store.was_sent("a@example.org", "2026-W48")
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-3", NOW, stale) is None
    assert store.claim("a@example.org", "2026-W48", None, NOW, "worker-3", NOW, stale, force=True) == row
    assert store.last_covered("a@example.org", "2026-W49") == NOW
    assert store.last_covered("a@example.org", "2026-W48") is None


def test_a_dead_workers_claim_expires(database_url: str) -> None:
    store = DigestStore(connect(database_url))
    assert store.claim("a@example.org", "2026-W48", None, NOW, "dead", NOW, NOW - timedelta(minutes=10))
    later = NOW + timedelta(minutes=11)
    taken = store.claim("a@example.org", "2026-W48", None, NOW, "alive", later, later - timedelta(minutes=10))
    # the dead worker may have sent it just before it died: the one sent now says it may repeat that one
    assert taken is not None and taken.unsure_since == NOW


def test_an_unconfirmed_send_is_kept_until_one_is_confirmed(database_url: str) -> None:
    """The first unconfirmed send's time is kept through later failures, sure or not; a confirmed
    send clears it, so a forced send after that is not called a possible repeat."""
    store = DigestStore(connect(database_url))
    stale = NOW - timedelta(minutes=10)

    def claim(at: datetime, force: bool = False):  # type: ignore[no-untyped-def]
        row = store.claim("a@example.org", "2026-W48", None, NOW, "worker", at, stale, force)
        assert row is not None
        return row

    first = claim(NOW)
    store.not_sent(first.id, "the connection closed before its answer", permanent=False, unsure_at=NOW)
    assert claim(NOW + timedelta(hours=1)).unsure_since == NOW
    store.not_sent(first.id, "connection refused", permanent=False)
    assert claim(NOW + timedelta(hours=2)).unsure_since == NOW
    store.not_sent(first.id, "timed out", permanent=False, unsure_at=NOW + timedelta(hours=2))
    assert claim(NOW + timedelta(hours=3)).unsure_since == NOW
    store.not_sent(first.id, "550 no such mailbox", permanent=True)
    assert claim(NOW + timedelta(hours=4)).unsure_since == NOW
    store.sent(first.id, NOW + timedelta(hours=4))
    assert claim(NOW + timedelta(hours=5), force=True).unsure_since is None


def test_an_old_database_gains_the_column_and_its_digests_are_not_unsure(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import MetaData, insert

    from storage.db import HEAD, alembic_config, current_revision

    engine = connect(database_url, migrate=False)
    try:
        cfg = alembic_config(engine)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0008")
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            conn.execute(insert(meta.tables["digests"]).values(
                recipient="a@example.org", period="2026-W48", status="pending", covered_until=NOW, attempts=1))
    finally:
        engine.dispose()
    engine = connect(database_url)  # migrates to the head on first use
    try:
        assert current_revision(engine) == HEAD
        store = DigestStore(engine)
        row = store.claim("a@example.org", "2026-W48", None, NOW, "worker", NOW, NOW - timedelta(minutes=10))
        assert row is not None and row.unsure_since is None
    finally:
        engine.dispose()
