"""SQL the parts of the Store share: rows another replica may have written a moment ago, and long
IN lists. Nothing here knows a table of ours; each part keeps its own.

PostgreSQL and SQLite both say ON CONFLICT, but SQLAlchemy builds it from each dialect's own
`insert`; the dialect is imported only when a statement needs it (a `check` that writes nothing
never pays for it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Table

T = TypeVar("T")
CHUNK = 500  # values in one IN (...) list: well inside every backend's limit on bound parameters


def dialect_insert(bind: Connection | Engine, table: Table) -> Any:
    """The backend's own INSERT into `table`, which can say ON CONFLICT (an upsert, or nothing)."""
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_ignoring_duplicates(conn: Connection, table: Table, constraint: str) -> Any:
    """An INSERT that skips a row clashing on `constraint`: a concurrent replica may have stored
    the same row a moment ago, and that is not an error. (PostgreSQL is told which unique
    constraint; SQLite's ON CONFLICT DO NOTHING names none.)"""
    insert = dialect_insert(conn, table)
    if conn.dialect.name == "postgresql":
        return insert.on_conflict_do_nothing(constraint=constraint)
    return insert.on_conflict_do_nothing()


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def for_ids(conn: Connection, query: Any, column: Any, ids: Collection[str] | None) -> list[Any]:
    """All rows of `query`, or those whose `column` is one of `ids`, fetched in one go per chunk."""
    if ids is None:
        return list(conn.execute(query).all())
    out: list[Any] = []
    for chunk in chunks(sorted(ids)):
        out += conn.execute(query.where(column.in_(chunk))).all()
    return out
