"""The quiet windows a check stores are used only while they still hold (bot.horizon)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from storage.db import connect
from storage.models import register_cache
from storage.repository import Store
from tests.conftest import Cli
from tests.test_timetravel import REGISTER, sent

NOW = datetime(2022, 9, 8, 9, 0, tzinfo=UTC)


def test_an_edit_of_the_register_wakes_every_commitment(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file: Path = write_register(REGISTER)
    assert sent(cli, file, database_url, "2022-09-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    assert sent(cli, file, database_url, "2022-09-09T09:00") == []  # quiet: the next reminder is a month off
    file.write_text(REGISTER.replace("    tags: [mvp]\n", "    tags: [mvp]\n    updates:\n      - {date: 2022-09-09, "
                                     "note: Published, status: delivered, source: {url: 'https://example.org/p'}}\n"),
                    encoding="utf-8")
    assert sent(cli, file, database_url, "2022-09-10T09:00") == [("mvp", "closed", None)]


def test_going_back_in_time_decides_again(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file: Path = write_register(REGISTER)
    assert sent(cli, file, database_url, "2022-10-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    # A month earlier nothing stored counts yet (SPEC §3: only what was sent before `now`).
    assert sent(cli, file, database_url, "2022-09-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]


def test_windows_from_other_rules_another_register_or_a_damaged_row_are_ignored(sqlite_url: str) -> None:
    store = Store(connect(sqlite_url))
    store.save_quiet("hash-a", 1, store.updates_mark(), {"mvp": (NOW.timestamp(), None)}, NOW)
    assert store.quiet("hash-a", 1) == {"mvp": [NOW.timestamp(), None]}
    assert store.quiet("hash-a", 2) == {}  # the engine's rules changed since
    assert store.quiet("hash-b", 1) == {}  # the register changed since
    with store.engine.begin() as conn:
        conn.execute(update(register_cache).where(register_cache.c.name == "quiet").values(data=b"{not json"))
    assert store.quiet("hash-a", 1) == {}
