"""Opening the database: engine settings per backend, and migrations applied on first use.

An empty database is built from the models and stamped at the head revision, as Alembic's
cookbook advises ("Building an Up to Date Database from Scratch"): replaying every migration
would make the same tables, but importing Alembic alone costs a quarter of a second. Any
database that already has tables goes through Alembic's migrations.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    insert,
    inspect,
    text,
)

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0009"  # tests check this equals Alembic's head


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


# Alembic's own version table, as its MigrationContext defines it.
_version = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))


def upgrade(engine: Engine, from_scratch: bool = True) -> None:
    """Bring the schema to HEAD; `from_scratch=False` replays the migrations even on an empty
    database (the tests compare both ways)."""
    with engine.begin() as conn:
        serialise(conn, "migrate")  # replicas starting together on a new database migrate once
        if from_scratch and not inspect(conn).get_table_names():
            from storage.models import metadata

            metadata.create_all(conn)
            _version.create(conn)
            conn.execute(insert(_version).values(version_num=HEAD))
            return
        from alembic import command

        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def serialise(conn: Connection, name: str) -> None:
    """Hold a PostgreSQL advisory lock for the rest of this transaction (SQLite's write lock
    already serialises writers, taken at BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"commitment-bot:{name}"})


def _sqlite_immediate(conn: Connection) -> None:
    """Take the write lock when a transaction starts, so two processes wait on the busy timeout
    instead of failing with "database is locked" when both try to upgrade a read to a write.
    A connection from `reading` only reads: in WAL mode it needs no lock a writer holds, so it
    begins deferred and reads its snapshot while another process writes (or holds the file).
    Under `patience`, the busy timeout is what is left of it (and back to 30 s after)."""
    left, shortened = _left_ms(), conn.connection.info.get(_SHORTENED, False)
    if left is not None or shortened:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={left if left is not None else BUSY_TIMEOUT_MS}")
        conn.connection.info[_SHORTENED] = left is not None
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READING) else "BEGIN IMMEDIATE")


READING = "commitment_bot_reading"


def reading(engine: Engine) -> Connection:
    """A connection for reads only (`with reading(engine) as conn:`): on SQLite its transaction
    takes no write lock. Never write through it: upgrading a deferred read to a write is what
    fails at once with "database is locked" instead of waiting its turn."""
    return engine.connect().execution_options(**{READING: True})


BUSY_TIMEOUT_MS = 30000  # how long SQLite waits for another process's lock


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL and a busy timeout let a cron `check` and a running scheduler share one file."""
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_immediate)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# How long a PostgreSQL statement waits for another session's lock, and runs at all, before it
# is cancelled: a lock held from psql otherwise holds `update` or a Slack form without limit.
# 30 s is SQLite's busy timeout above; 5 minutes is far beyond any one statement the bot makes,
# so it cuts only a pathological one. storage.errors turns either into "the database is busy".
LOCK_TIMEOUT = "30s"
STATEMENT_TIMEOUT = "5min"
_TIMEOUTS = ("SELECT set_config(name, CASE name WHEN 'lock_timeout' THEN %s ELSE %s END, false) "
             "FROM pg_settings WHERE name IN ('lock_timeout', 'statement_timeout') AND source = 'default'")


def _postgres_timeouts(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    """Bound every wait on a new connection, unless something else already set that bound: the URL
    (`?options=-c lock_timeout=5s`), PGOPTIONS, `ALTER ROLE/DATABASE … SET` or the server's own
    configuration each leave pg_settings' `source` other than 'default', and win."""
    cur = dbapi_conn.cursor()
    cur.execute(_TIMEOUTS, (LOCK_TIMEOUT, STATEMENT_TIMEOUT))
    cur.close()
    dbapi_conn.commit()  # a session setting made in a transaction rolled back would be undone


# A person waiting for an answer (a Slack form is answered within Slack's three seconds, a click's
# form opened within its trigger's) waits for the database only so long: `patience(seconds)`
# bounds, in this thread, every transaction begun before the time (counted from the first of
# them) is up or `end()` is called to what is left of it, lock waits and statements alike. A wait cut short is "busy" (storage.errors).
# A bound set more tightly elsewhere (the URL, the role) still wins.
class Patience:
    """How long a person can wait for the database, counted from the block's first transaction (a
    call to Slack before it, such as asking who is in a user group, is not the database's time);
    `end()` lifts the bound."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline: float | None = None
        self.ended = False

    def end(self) -> None:
        self.ended = True

    def left_ms(self) -> int | None:
        """Milliseconds left (at least 1: none left is a wait that fails at once), or None when ended."""
        if self.ended:
            return None
        if self.deadline is None:
            self.deadline = time.monotonic() + self.seconds
        return max(1, int((self.deadline - time.monotonic()) * 1000))


_patience: ContextVar[Patience | None] = ContextVar("commitment_bot_patience", default=None)
_SHORTENED = "commitment_bot_busy_timeout_shortened"


@contextmanager
def patience(seconds: float) -> Iterator[Patience]:
    """Within the block, in this thread, the database is waited for at most `seconds` in all."""
    bound = Patience(seconds)
    token = _patience.set(bound)
    try:
        yield bound
    finally:
        _patience.reset(token)


def _left_ms() -> int | None:
    bound = _patience.get()
    return None if bound is None else bound.left_ms()


_SHORTER = ("SELECT set_config(name, %s, true) FROM pg_settings WHERE name IN ('lock_timeout', 'statement_timeout') "
            "AND (setting::bigint = 0 OR setting::bigint > %s)")


def _postgres_patience(conn: Connection) -> None:
    """Under `patience`, this transaction's lock waits and statements are bounded by what is left
    of it (set locally: the next transaction has the connection's own bounds again)."""
    left = _left_ms()
    if left is not None:
        conn.exec_driver_sql(_SHORTER, (str(left), left))


class DatabaseProblem(Exception):
    """A database URL or file that cannot be used, said in plain words (never the password)."""


EXAMPLES = "e.g. sqlite:///commitment-bot.db or postgresql://user@host/dbname"


def normal_url(url: str) -> str:
    """`postgres://` (Heroku's and libpq's spelling) and `postgresql://` mean psycopg 3 here."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def connect(url: str, migrate: bool = True) -> Engine:
    """An engine for `url`; a new or older database is migrated to the current schema."""
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

    if not url.strip():
        raise DatabaseProblem(f"the database URL is empty: give --database or DATABASE_URL ({EXAMPLES})")
    try:
        engine = create_engine(normal_url(url.strip()), future=True)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise DatabaseProblem(f"the database URL is not one this bot can use ({EXAMPLES})") from None
    if engine.dialect.name == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35):  # INSERT … RETURNING (storage.sql), from March 2021
            raise DatabaseProblem(f"this Python's SQLite is {sqlite3.sqlite_version}; the bot needs 3.35 or later: "
                                  "use a newer Python build, or PostgreSQL")
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_immediate)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_timeouts)
        event.listen(engine, "begin", _postgres_patience)
    try:
        if migrate and current_revision(engine) != HEAD:
            upgrade(engine)
    except DatabaseError as e:
        if engine.dialect.name == "sqlite" and "not a database" in str(e.orig):
            raise DatabaseProblem(f"{engine.url.database} is not a SQLite database: give another file with "
                                  "--database (or move this one away)") from None
        raise
    return engine
