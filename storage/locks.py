"""Locks across processes, for the two steps replicas cannot safely do at once: creating the
tables of a new database, and syncing a changed register. Everything after a sync is coordinated
row by row (a notification or a digest is claimed with a conditional UPDATE), without a lock.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text


@contextmanager
def migration_lock(url: str) -> Iterator[None]:
    """Replicas starting together on a fresh database must not both create the tables."""
    from sqlalchemy import create_engine

    from storage.db import DatabaseProblem, normal_url

    try:
        engine = create_engine(normal_url(url))
    except Exception:  # noqa: BLE001 - connect() says what is wrong with the URL, in plain words
        raise DatabaseProblem("the database URL is not one this bot can use") from None
    try:
        with exclusive(engine, "migrate"):
            yield
    finally:
        engine.dispose()


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """A lock across processes. PostgreSQL: a session advisory lock, which the server releases
    if the holder dies. SQLite (one host by nature): an flock on a file next to the database."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(f"commitment-bot:{name}".encode())
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        yield
        return
    with open(f"{path}.{name}-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
