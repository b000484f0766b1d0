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
