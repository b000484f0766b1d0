"""Storage (issue 2 §6): syncing is idempotent and deletes nothing; migrations match the models.

Every test runs on a real SQLite file, and on PostgreSQL when TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, inspect, select

REGISTER = """\
version: 1
timezone: Europe/London
routes:
  - slack: ["#commitments"]
commitments:
  - id: alpha
    title: Alpha promise
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    source:
      title: Letter to the committee
      quote: "we aim to implement them by end August."
  - id: beta
    title: Beta promise
    owner: Home Office
    made_on: 2022-05-27
    due: later this year
"""
NOW = "2022-06-01"


def dump_database(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order: two dumps are equal iff nothing changed."""
    from storage.db import connect

    engine = connect(url, migrate=False)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {name: sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
                    for name, table in meta.tables.items()}
    finally:
        engine.dispose()


def without_beta(text: str) -> str:
    return text[: text.index("  - id: beta")]


@pytest.fixture
def register(write_register) -> Path:  # type: ignore[no-untyped-def]
    return write_register(REGISTER)


def sync(cli, path: Path, url: str, now: str = NOW) -> None:  # type: ignore[no-untyped-def]
    result = cli("status", "--file", str(path), "--database", url, "--now", now, "--json")
    assert result.exit_code == 0, result.output


def commitment_rows(url: str) -> dict[str, dict[str, Any]]:
    return {r[0]: dict(zip(("id", "title", "digest", "text", "first_seen", "updated_at", "archived_at"), r,
                           strict=True))
            for r in dump_database(url)["commitments"]}


# -- sync --------------------------------------------------------------------------------------
def test_second_sync_of_the_same_register_changes_nothing(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    before = dump_database(database_url)
    sync(cli, register, database_url, now="2022-07-01")
    assert dump_database(database_url) == before
    assert len(before["commitments"]) == 2


def test_resync_after_an_edit_outside_the_commitments_keeps_every_commitment_row(
    cli, register, database_url
) -> None:
    sync(cli, register, database_url)
    before = dump_database(database_url)
    register.write_text("# a comment added by a maintainer\n" + REGISTER, encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    after = dump_database(database_url)
    for table in ("commitments", "commitment_versions", "updates", "notifications"):
        assert after[table] == before[table], table


def test_a_removed_commitment_is_archived_with_its_text(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    beta_text = commitment_rows(database_url)["beta"]["text"]
    register.write_text(without_beta(REGISTER), encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    rows = commitment_rows(database_url)
    assert rows["beta"]["archived_at"] is not None
    assert rows["beta"]["text"] == beta_text
    assert "later this year" in beta_text
    assert rows["alpha"]["archived_at"] is None


def test_an_archived_commitment_keeps_its_history(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    register.write_text(without_beta(REGISTER), encoding="utf-8")
    result = cli("history", "beta", "--file", str(register), "--database", database_url, "--now", "2022-07-01")
    assert result.exit_code == 0, result.output
    assert "Beta promise (beta)" in result.stdout
    assert "archived" in result.stdout
    assert "later this year" in result.stdout


def test_re_adding_a_commitment_restores_it(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    register.write_text(without_beta(REGISTER), encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    register.write_text(REGISTER, encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-02")
    rows = commitment_rows(database_url)
    assert rows["beta"]["archived_at"] is None
    assert len(rows) == 2


def test_editing_due_keeps_the_earlier_version(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    old_text = commitment_rows(database_url)["alpha"]["text"]
    register.write_text(REGISTER.replace("due: end August", "due: end September"), encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    versions = dump_database(database_url)["commitment_versions"]
    assert [v[3] for v in versions if v[1] == "alpha"] == [old_text]
    assert "end September" in commitment_rows(database_url)["alpha"]["text"]
    history = cli("history", "alpha", "--file", str(register), "--database", database_url, "--now", "2022-07-01")
    assert history.exit_code == 0, history.output
    assert "earlier in the register: due end August" in history.stdout
    assert "promised end September" in history.stdout


def test_recorded_updates_survive_a_resync(cli, register, database_url) -> None:
    sync(cli, register, database_url)
    recorded = cli("update", "alpha", "--note", "Minister says work continues", "--on", "2022-06-15",
                   "--file", str(register), "--database", database_url, "--now", "2022-06-20")
    assert recorded.exit_code == 0, recorded.output
    register.write_text(REGISTER.replace("due: end August", "due: end September"), encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    updates = dump_database(database_url)["updates"]
    assert [(u[1], u[3]) for u in updates] == [("alpha", "Minister says work continues")]
    history = cli("history", "alpha", "--file", str(register), "--database", database_url, "--now", "2022-07-01")
    assert "update #1 recorded (in the database, not the register file): Minister says work continues" \
        in history.stdout


# -- migrations --------------------------------------------------------------------------------
def test_head_constant_is_alembics_head(sqlite_url) -> None:
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from storage.db import HEAD, alembic_config

    script = ScriptDirectory.from_config(alembic_config(create_engine(sqlite_url)))
    assert script.get_current_head() == HEAD


def test_db_upgrade_creates_a_new_database_at_head(cli, database_url) -> None:
    from storage.db import HEAD, connect, current_revision

    result = cli("db", "upgrade", "--database", database_url)
    assert result.exit_code == 0, result.output
    assert HEAD in result.stdout
    engine = connect(database_url, migrate=False)
    try:
        assert current_revision(engine) == HEAD
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"commitments", "commitment_versions", "updates", "notifications", "register_cache"} <= tables


def test_db_upgrade_twice_is_harmless(cli, database_url) -> None:
    assert cli("db", "upgrade", "--database", database_url).exit_code == 0
    before = dump_database(database_url)
    again = cli("db", "upgrade", "--database", database_url)
    assert again.exit_code == 0, again.output
    assert dump_database(database_url) == before


def test_migrations_create_exactly_the_models_schema(database_url) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from storage.db import connect, upgrade
    from storage.models import metadata

    engine = connect(database_url, migrate=False)
    try:
        upgrade(engine, from_scratch=False)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []


def schema(engine: Any) -> dict[str, Any]:
    """Everything the database says about its tables, as comparable data."""
    found = inspect(engine)
    return {t: {"columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"))
                            for c in found.get_columns(t)],
                "primary": found.get_pk_constraint(t)["constrained_columns"],
                "foreign": sorted(str(fk) for fk in found.get_foreign_keys(t)),
                "indexes": sorted(str(ix) for ix in found.get_indexes(t)),
                "unique": sorted(str(u) for u in found.get_unique_constraints(t))}
            for t in sorted(found.get_table_names())}


def test_a_new_database_built_from_the_models_is_the_one_the_migrations_build(database_url) -> None:
    from storage.db import HEAD, connect, current_revision, upgrade
    from storage.models import metadata

    engine = connect(database_url, migrate=False)
    try:
        upgrade(engine, from_scratch=False)
        migrated = schema(engine)
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE alembic_version")
        assert schema(engine) == {}
        upgrade(engine)  # an empty database: create_all and stamp
        assert schema(engine) == migrated
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()
    assert "alembic_version" in migrated and "commitments" in migrated


def test_storage_hands_history_commitment_versions_not_yaml(cli, register, database_url) -> None:  # type: ignore[no-untyped-def]
    from bot.register.model import Commitment
    from bot.shell.text.history import from_text
    from storage.db import connect
    from storage.repository import Store

    sync(cli, register, database_url)
    register.write_text(without_beta(REGISTER.replace("due: end August", "due: end September")), encoding="utf-8")
    sync(cli, register, database_url, now="2022-07-01")
    store = Store(connect(database_url))
    alpha, beta = store.register.versions("alpha", from_text), store.register.versions("beta", from_text)
    assert alpha is not None and beta is not None and store.register.versions("gamma", from_text) is None
    assert isinstance(alpha.last, Commitment) and alpha.last.due == "end September" and alpha.archived_at is None
    assert [v.due for v in alpha.earlier] == ["end August"]
    assert beta.last is not None and beta.last.id == "beta" and beta.archived_at is not None


def test_sqlites_locked_database_is_the_same_busy_message(tmp_path: Path) -> None:
    """SQLite's "database is locked" (its busy timeout passed; 0 here, so the test is quick) is
    told as PostgreSQL's lock timeout is; another database error is not called busy."""
    import sqlite3

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from storage.errors import busy_message, is_busy

    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError) as locked, engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(OperationalError) as missing, engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))
    finally:
        holder.close()
        engine.dispose()
    assert is_busy(locked.value) and not is_busy(missing.value)
    assert busy_message(locked.value) == ("the database is busy: another process held a lock, or a statement ran, "
                                          "for longer than the bot waits (database is locked). Try again in a minute")
