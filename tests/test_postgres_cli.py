"""Every command works on PostgreSQL (DATABASE_URL=postgresql+psycopg://…), migrations included."""

from __future__ import annotations

import json

import pytest

REGISTER = """\
version: 1
timezone: Europe/London
routes:
  - slack: ["#commitments"]
commitments:
  - id: mvp-implement
    title: Implement the Migrant Victim Protocol
    owner: Home Office
    made_on: 2022-02-21
    due: end August
    source: {title: Letter to Baroness Meacher}
"""


@pytest.fixture
def pg(postgres_url: str, write_register, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    write_register(REGISTER)
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    return postgres_url


def test_db_upgrade_then_every_command(cli, pg: str) -> None:  # type: ignore[no-untyped-def]
    from storage.db import HEAD, connect, current_revision

    assert cli("db", "upgrade").output.strip() == f"database at revision {HEAD}"
    assert current_revision(connect(pg, migrate=False)) == HEAD
    assert cli("validate").exit_code == 0
    checked = cli("check", "--now", "2022-09-20T09:00", "--json")
    assert checked.exit_code == 0, checked.output
    sent = json.loads(checked.stdout)["notifications"]
    assert [(n["id"], n["kind"], n["targets"]) for n in sent] == [("mvp-implement", "lapsed", ["console"])]
    again = cli("check", "--now", "2022-09-20T09:00", "--json")
    assert json.loads(again.stdout)["notifications"] == []  # never twice
    status = cli("status", "--now", "2022-09-20", "--json")
    assert json.loads(status.stdout)[0]["state"] == "lapsed"
    recorded = cli("update", "mvp-implement", "--note", "Now promised for autumn", "--due", "autumn 2022",
                   "--on", "2022-09-21", "--now", "2022-09-21")
    assert recorded.exit_code == 0, recorded.output
    history = cli("history", "mvp-implement", "--now", "2022-09-22")
    assert "autumn 2022" in history.output
    assert json.loads(cli("status", "--now", "2022-09-22", "--json").stdout)[0]["slips"] == 1


def test_a_plain_postgresql_url_is_accepted(cli, pg: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", pg.replace("postgresql+psycopg://", "postgresql://"))
    assert cli("check", "--now", "2022-09-20T09:00").exit_code == 0


def test_status_shows_the_scheduler_heartbeat(cli, pg: str) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from storage.db import connect
    from storage.heartbeat import beat

    beat(connect(pg), "scheduler", datetime(2022, 9, 17, 9, tzinfo=UTC), {"interval_seconds": 86400})
    out = cli("status", "--now", "2022-09-20T10:00").output
    assert "scheduler last ran" in out
    assert "scheduler last ran 3 days ago: it looks stopped" in out


def test_a_locked_table_ends_update_with_the_busy_message(cli, pg: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Another session holds `updates` locked (from psql, say): `update` gives up after the lock
    timeout (shortened here through the URL, so the test is quick) and says the database is busy,
    as SQLite's "database is locked" does; nothing is recorded."""
    from sqlalchemy import create_engine, text

    assert cli("check", "--now", "2022-09-20T09:00").exit_code == 0  # tables made, register synced
    monkeypatch.setenv("DATABASE_URL", pg + "?options=-c%20lock_timeout%3D500")
    holder = create_engine(pg)
    conn = holder.connect()
    conn.execute(text("LOCK TABLE updates IN ACCESS EXCLUSIVE MODE"))
    try:
        result = cli("update", "mvp-implement", "--note", "Asked again", "--on", "2022-09-21", "--now", "2022-09-21")
    finally:
        conn.rollback()
        conn.close()
        holder.dispose()
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the database is busy: another process held a lock")
    assert "lock timeout" in result.stderr and "Try again in a minute" in result.stderr
    assert "check DATABASE_URL" not in result.stderr
    assert "Asked again" not in cli("history", "mvp-implement", "--now", "2022-09-22").output


def test_every_connection_waits_for_a_lock_at_most_30_seconds(pg: str) -> None:
    """With nothing in the URL, `connect` bounds a lock wait as SQLite's busy timeout does, and any
    statement at 5 minutes; a bound the URL gives wins, and the other default still holds."""
    from sqlalchemy import text

    from storage.db import connect

    def shown(url: str) -> tuple[str, str]:
        engine = connect(url)
        with engine.connect() as conn:
            got = (conn.execute(text("SHOW lock_timeout")).scalar(), conn.execute(text("SHOW statement_timeout")).scalar())
        engine.dispose()
        return got  # type: ignore[return-value]

    assert shown(pg) == ("30s", "5min")
    assert shown(pg + "?options=-c%20lock_timeout%3D500") == ("500ms", "5min")
    assert shown(pg + "?options=-c%20lock_timeout%3D0%20-c%20statement_timeout%3D0") == ("0", "0")  # "wait forever", said
