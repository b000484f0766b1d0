"""The quiet windows a check stores are used only while they still hold (bot.decide.horizon)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.register.model import Register
from bot.shell.registerfile import read
from bot.shell.sandbox.slack import Fault, SlackState
from storage.db import connect
from storage.models import register_cache
from storage.repository import Store
from storage.windows import Asleep, QuietWindows
from tests.conftest import Cli
from tests.engine_helpers import LONDON
from tests.standins import EXPECTED, posted_kinds, running_slack, slack_env  # noqa: F401
from tests.standins import NOW as SLACK_NOW
from tests.standins import REGISTER as SLACK_REGISTER
from tests.test_timetravel import REGISTER, sent

NOW = datetime(2022, 9, 8, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Written:
    register: Register
    source_hash: str


def _written(tmp_path: Path, text: str = REGISTER) -> Written:
    """The register `text`, written to commitments.yaml and read back as the bot reads it."""
    file = tmp_path / "commitments.yaml"
    file.write_text(text, encoding="utf-8")
    loaded = read(file)
    assert loaded.register is not None, [str(p) for p in loaded.problems]
    return Written(loaded.register, loaded.source_hash)


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
    # A month earlier nothing stored counts yet (SPEC §3: only what was sent before `now`): the
    # quiet windows stored at 2022-10-08 do not hide that. Going back is a dry run (SPEC §6.5).
    assert sent(cli, file, database_url, "2022-09-08T09:00", "--dry-run") == [
        ("mvp", "lapsed", 1), ("safeguards", "silent", 1)]


def test_windows_from_other_rules_another_register_or_a_damaged_row_are_ignored(sqlite_url: str, tmp_path: Path) -> None:
    register = _written(tmp_path).register
    store = Store(connect(sqlite_url))
    mark = store.windows.mark()
    store.windows.save("hash-a", 1, mark, {"mvp": (NOW.timestamp(), None)}, register, NOW)
    assert store.windows.quiet("hash-a", 1, mark) == {"mvp": [NOW.timestamp(), None]}
    assert store.windows.quiet("hash-a", 2, mark) == {}  # the engine's rules changed since
    assert store.windows.quiet("hash-b", 1, mark) == {}  # the register changed since
    assert store.windows.quiet("hash-a", 1, mark + 1) == {}  # an update was recorded since
    with store.engine.begin() as conn:
        conn.execute(update(register_cache).where(register_cache.c.name == "quiet").values(data=b"{not json"))
    assert store.windows.quiet("hash-a", 1, mark) == {}


ALL = {"mvp": (NOW.timestamp(), None), "safeguards": (NOW.timestamp(), NOW.timestamp() + 3600)}
ASLEEP_CASES = [  # (case, windows stored, file synced last, rules asked, updates since): asleep?
    ("every commitment has a window", ALL, "hash-a", 1, 0, True),
    ("one commitment has none", {"mvp": ALL["mvp"]}, "hash-a", 1, 0, False),
    ("another file was synced since", ALL, "hash-b", 1, 0, False),
    ("the engine's rules changed", ALL, "hash-a", 2, 0, False),
    ("an update was recorded since", ALL, "hash-a", 1, 1, False),
]


@pytest.mark.parametrize(("case", "windows", "synced", "rules", "updates", "asleep"), ASLEEP_CASES,
                         ids=[c[0] for c in ASLEEP_CASES])
def test_windows_are_read_before_the_register_only_when_they_cover_this_very_file(  # type: ignore[no-untyped-def]
        sqlite_url: str, tmp_path: Path, case, windows, synced, rules, updates, asleep) -> None:
    register = _written(tmp_path).register
    store = Store(connect(sqlite_url))
    store.register.sync(register, "hash-a", NOW)
    store.windows.save("hash-a", 1, store.windows.mark(), windows, register, NOW)
    store.register.sync(register, synced, NOW)
    for _ in range(updates):
        store.updates.add("mvp", date(2022, 9, 8), "News", None, None, None, None, None, NOW)
    found = store.windows.asleep("hash-a", rules, store.windows.mark())
    assert (found == Asleep("Europe/London", 2, {k: list(v) for k, v in windows.items()})) is asleep
    store.engine.dispose()


def test_a_check_that_reads_no_register_misses_nothing(tmp_path: Path) -> None:
    """Day by day for a year, with news recorded now and then: whenever `check_asleep` answers
    without the register, deciding the whole register afresh from the stored history decides
    nothing either; and it does answer on most days."""
    from io import StringIO

    from bot.decide.engine import decide
    from bot.shell.service import check, check_asleep
    from notifiers.console import ConsoleNotifier

    loaded = _written(tmp_path, REGISTER.replace("due: medium-term", "due: 2022-12-31"))
    register, source_hash = loaded.register, loaded.source_hash
    store = Store(connect(f"sqlite:///{tmp_path / 'asleep.db'}"))
    console = {"console": ConsoleNotifier(StringIO())}
    news = {date(2022, 10, 20): ("mvp", None), date(2022, 11, 2): ("mvp", "spring 2023"),
            date(2023, 1, 15): ("safeguards", None)}
    asleep_days, alerts = 0, 0
    for day in range(365):
        on = date(2022, 8, 1) + timedelta(days=day)
        now = datetime(on.year, on.month, on.day, 9, tzinfo=LONDON)
        if on in news:
            cid, due = news[on]
            store.updates.add(cid, on, f"News of {on}", due, None, None, None, None, now)
        answered = check_asleep(store, source_hash, lambda _tz: now, console, dry_run=True)  # noqa: B023
        afresh = decide(register, store.updates.recorded(None, register.quarters), store.notifications.sent(), now, store.register.first_seen())
        if answered is not None:
            asleep_days += 1
            assert answered[0].decisions == [] and afresh == [], on
        result = check(store, register, source_hash, now, console)
        assert [d.kind for d, _ in result.decisions] == [d.kind for d in afresh], on
        alerts += len(result.decisions)
    assert asleep_days > 300 and alerts >= 8
    store.engine.dispose()


def test_a_check_that_reads_no_register_still_delivers_what_is_queued(cli: Cli, write_register,  # type: ignore[no-untyped-def]
                                                                      slack: SlackState, sqlite_url: str) -> None:
    from bot.shell.service import check_asleep

    file = write_register(SLACK_REGISTER)
    slack.fail(Fault(status=502, times=10_000))
    at = ("--file", str(file), "--database", sqlite_url, "--now")
    result = cli("check", *at, SLACK_NOW, env=slack_env(slack, SLACK_RETRY_BUDGET_SECONDS="0"))
    assert result.exit_code == 3 and "0 sent, 5 queued" in result.output
    slack.faults.clear()
    later = datetime.fromisoformat("2022-09-09T12:00").replace(tzinfo=LONDON)
    store = Store(connect(sqlite_url))
    assert check_asleep(store, read(file).source_hash, lambda _tz: later, {}, dry_run=True) is not None
    store.engine.dispose()
    result = cli("check", *at, "2022-09-09T12:00", env=slack_env(slack))
    assert result.exit_code == 0 and "checked 5 commitments: 0 alerts decided; deliveries: 5 sent, 0 queued, 0 failed" in result.output
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)


def test_history_is_read_for_the_commitments_asked_about_only(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file: Path = write_register(REGISTER)
    assert sent(cli, file, database_url, "2022-09-08T09:00") == [("mvp", "lapsed", 1), ("safeguards", "silent", 1)]
    store = Store(connect(database_url))
    for on in ("2022-09-20", "2022-09-10"):
        store.updates.add("mvp", date.fromisoformat(on), f"News of {on}", None, None, None, None, None, NOW)
    store.updates.add("safeguards", date(2022, 9, 15), "Other news", None, None, None, None, None, NOW)
    try:
        assert [(s.commitment_id, s.kind) for s in store.notifications.sent(["mvp"])] == [("mvp", "lapsed")]
        assert {s.commitment_id for s in store.notifications.sent()} == {"mvp", "safeguards"}
        assert set(store.register.first_seen(["safeguards"])) == {"safeguards"}
        assert [u.note for u in store.updates.recorded(["mvp"], "calendar")["mvp"]] == ["News of 2022-09-10", "News of 2022-09-20"]
        assert set(store.updates.recorded(["mvp"], "calendar")) == {"mvp"}
        assert set(store.updates.recorded(None, "calendar")) == {"mvp", "safeguards"}
    finally:
        store.engine.dispose()


class UpdateArrivesMidCheck(QuietWindows):
    """Another process records an update just as this check has read its quiet windows."""

    def __init__(self, engine, cid: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(engine)
        self.cid = cid

    def quiet(self, source_hash: str, rules: int, updates_mark: int):  # type: ignore[no-untyped-def]
        windows = super().quiet(source_hash, rules, updates_mark)
        Store(self.engine).updates.add(self.cid, date(2022, 9, 20), "Now promised for spring", "spring 2023", None,
                                       None, None, None, datetime(2022, 9, 20, 12, tzinfo=UTC))
        return windows


def update_arrives_mid_check(engine, cid: str) -> Store:  # type: ignore[no-untyped-def]
    store = Store(engine)
    store.windows = UpdateArrivesMidCheck(engine, cid)
    return store


def test_an_update_recorded_during_a_check_is_not_hidden_by_the_windows_it_stores(tmp_path: Path) -> None:
    from io import StringIO

    from bot.shell.service import check
    from notifiers.console import ConsoleNotifier

    loaded = _written(tmp_path, REGISTER.replace("due: medium-term", "due: 2022-09-30"))
    url = f"sqlite:///{tmp_path / 'race.db'}"
    console = {"console": ConsoleNotifier(StringIO())}

    def run(store: Store, when: str) -> list[tuple[str, str]]:
        now = datetime.fromisoformat(when).replace(tzinfo=LONDON)
        result = check(store, loaded.register, loaded.source_hash, now, console)
        return [(d.commitment_id, d.kind) for d, _ in result.decisions]

    store = Store(connect(url))
    assert run(store, "2022-09-08T09:00") == [("mvp", "lapsed")]  # mvp is now quiet for a month
    # The next day safeguards is due soon (so this run stores windows) while mvp's slip is recorded.
    assert run(update_arrives_mid_check(store.engine, "mvp"), "2022-09-21T09:00") == [("safeguards", "heads-up")]
    assert run(store, "2022-09-21T10:00") == [("mvp", "slipped")]
    store.engine.dispose()
