"""Opening the database: engine settings per backend, and migrations applied on first use."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0001"  # tests check this equals Alembic's head


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        serialise(conn, "migrate")  # replicas starting together on a new database migrate once
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
    instead of failing with "database is locked" when both try to upgrade a read to a write."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL and a busy timeout let a cron `check` and a running scheduler share one file."""
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_immediate)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def connect(url: str, migrate: bool = True) -> Engine:
    """An engine for `url`; a new or older database is migrated to the current schema."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_immediate)
    if migrate and current_revision(engine) != HEAD:
        upgrade(engine)
    return engine
