"""The quiet windows a check stores are used only while they still hold (bot.horizon)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import update

from storage.db import connect
from storage.models import register_cache
from storage.repository import Store
from tests.conftest import Cli
from tests.engine_helpers import LONDON
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
    mark = store.updates_mark()
    store.save_quiet("hash-a", 1, mark, {"mvp": (NOW.timestamp(), None)}, NOW)
    assert store.quiet("hash-a", 1, mark) == {"mvp": [NOW.timestamp(), None]}
    assert store.quiet("hash-a", 2, mark) == {}  # the engine's rules changed since
    assert store.quiet("hash-b", 1, mark) == {}  # the register changed since
    assert store.quiet("hash-a", 1, mark + 1) == {}  # an update was recorded since
    with store.engine.begin() as conn:
        conn.execute(update(register_cache).where(register_cache.c.name == "quiet").values(data=b"{not json"))
    assert store.quiet("hash-a", 1, mark) == {}


def test_history_is_read_for_the_commitments_asked_about_only(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file: Path = write_register(REGISTER)
    assert sent(cli, file, database_url, "2022-09-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    store = Store(connect(database_url))
    for on in ("2022-09-20", "2022-09-10"):
        store.add_update("mvp", date.fromisoformat(on), f"News of {on}", None, None, None, None, None, NOW)
    store.add_update("safeguards", date(2022, 9, 15), "Other news", None, None, None, None, None, NOW)
    try:
        assert [(s.commitment_id, s.kind) for s in store.sent(["mvp"])] == [("mvp", "lapsed")]
        assert {s.commitment_id for s in store.sent()} == {"mvp", "safeguards"}
        assert set(store.first_seen(["safeguards"])) == {"safeguards"}
        assert [u.note for u in store.recorded_updates(["mvp"])["mvp"]] == ["News of 2022-09-10", "News of 2022-09-20"]
        assert set(store.recorded_updates(["mvp"])) == {"mvp"}
        assert set(store.recorded_updates()) == {"mvp", "safeguards"}
    finally:
        store.engine.dispose()


class UpdateArrivesMidCheck(Store):
    """Another process records an update just as this check has read its quiet windows."""

    def __init__(self, engine, cid: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(engine)
        self.cid = cid

    def quiet(self, source_hash: str, rules: int, updates_mark: int):  # type: ignore[no-untyped-def]
        windows = super().quiet(source_hash, rules, updates_mark)
        self.add_update(self.cid, date(2022, 9, 20), "Now promised for spring", "spring 2023", None, None, None,
                        None, datetime(2022, 9, 20, 12, tzinfo=UTC))
        return windows


def test_an_update_recorded_during_a_check_is_not_hidden_by_the_windows_it_stores(tmp_path: Path) -> None:
    from io import StringIO

    from bot.registerfile import read
    from bot.service import check
    from notifiers.console import ConsoleNotifier

    file = tmp_path / "commitments.yaml"
    file.write_text(REGISTER.replace("due: medium-term", "due: 2022-09-30"), encoding="utf-8")
    loaded = read(file)
    assert loaded.register is not None
    url = f"sqlite:///{tmp_path / 'race.db'}"
    console = {"console": ConsoleNotifier(StringIO())}

    def run(store: Store, when: str) -> list[tuple[str, str]]:
        now = datetime.fromisoformat(when).replace(tzinfo=LONDON)
        result = check(store, loaded.register, loaded.source_hash, now, console)  # type: ignore[arg-type]
        return [(d.commitment_id, d.kind) for d, _ in result.decisions]

    store = Store(connect(url))
    assert run(store, "2022-09-08T09:00") == [("mvp", "lapsed")]  # mvp is now quiet for a month
    # The next day safeguards is due soon (so this run stores windows) while mvp's slip is recorded.
    assert run(UpdateArrivesMidCheck(store.engine, "mvp"), "2022-09-21T09:00") == [("safeguards", "heads-up")]
    assert run(store, "2022-09-21T10:00") == [("mvp", "slipped")]
    store.engine.dispose()
