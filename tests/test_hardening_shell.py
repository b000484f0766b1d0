"""Issue 11, the shell's half: time travel, held channels, a broken register, an undecidable
commitment, claims that outlive their worker, and what `check` says about failures (SPEC §6.5).

Each test reproduces what a hostile or new user saw on the first release, through the real CLI,
a real database and the local Slack server.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.decide.engine import Undecidable, decide
from bot.shell.registerfile import read
from bot.shell.sandbox.slack import Fault, SlackState
from bot.when.durations import Duration
from notifiers.base import Notifier
from storage.db import connect
from storage.models import notifications as N
from storage.repository import Store
from tests.conftest import Cli
from tests.standins import running_slack, slack_env  # noqa: F401 - the "slack" fixture
from tests.test_timetravel import REGISTER

MVP_ONLY = REGISTER.split("  - id: safeguards")[0]


def check(cli: Cli, file: Path, db: str, now: str, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return cli("check", "--file", str(file), "--database", db, "--now", now, *extra, env=env)


def rows(db: str) -> list[tuple[str, str, str]]:
    with connect(db).connect() as conn:
        return [tuple(r) for r in conn.execute(select(N.c.kind, N.c.target, N.c.status).order_by(N.c.id))]  # type: ignore[misc]


# -- 12. time travel never sends stale news nor uses up tomorrow's alerts ----------------------
def test_a_real_check_ahead_of_the_clock_is_refused_and_stores_nothing(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    result = check(cli, file, database_url, "2199-12-31T09:00")
    assert result.exit_code == 1
    assert "later than the clock" in result.output and "--dry-run" in result.output
    assert rows(database_url) == []
    preview = check(cli, file, database_url, "2199-12-31T09:00", "--dry-run", "--json")
    assert preview.exit_code == 0 and json.loads(preview.stdout)["notifications"]


def test_a_real_check_before_the_last_real_run_is_refused(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    assert check(cli, file, database_url, "2022-09-08T09:00").exit_code == 0
    before = rows(database_url)
    stale = check(cli, file, database_url, "2022-08-18T09:00")  # the heads-up would arrive after the lapse
    assert stale.exit_code == 1 and "earlier than the last real run" in stale.output
    assert rows(database_url) == before
    assert check(cli, file, database_url, "2022-08-18T09:00", "--dry-run").exit_code == 0
    assert check(cli, file, database_url, "2022-09-09T09:00").exit_code == 0  # forward is fine


QUIET_REGISTER = """\
version: 1
timezone: Europe/London
commitments:
  - id: done
    title: Fund the service
    owner: MoJ
    made_on: 2022-01-01
    due: end of 2022
    updates:
      - {date: 2022-09-01, note: funded, status: delivered, source: {title: Press release, url: "https://example.org/p"}}
"""


def test_a_quiet_register_refuses_time_travel_too(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    """The quiet path (no commitment due, the register not even parsed) is a real run like any other:
    it refuses a --now ahead of the clock or behind the last real run, and it counts as a real run."""
    file = write_register(QUIET_REGISTER)
    assert check(cli, file, database_url, "2022-09-05T09:00").exit_code == 0  # the closure alert
    assert check(cli, file, database_url, "2022-09-10T09:00").exit_code == 0  # quiet now: nothing due
    ahead = check(cli, file, database_url, "2099-01-01T09:00", "--json")
    assert ahead.exit_code == 1 and "later than the clock" in ahead.output and "--dry-run" in ahead.output
    stale = check(cli, file, database_url, "2022-09-07T09:00")  # before the quiet run at 09-10
    assert stale.exit_code == 1 and "earlier than the last real run here (2022-09-10T09:00" in stale.output
    assert check(cli, file, database_url, "2022-09-07T09:00", "--dry-run").exit_code == 0
    assert check(cli, file, database_url, "2022-09-12T09:00").exit_code == 0  # forward is fine


# -- 13. alerts routed to an unconfigured channel are held, not used up --------------------------
def test_alerts_for_an_unconfigured_channel_are_held_then_the_current_ones_delivered(
        cli: Cli, write_register, sqlite_url: str, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    file = write_register(MVP_ONLY)
    first = check(cli, file, sqlite_url, "2022-08-18T09:00", "--json")  # the README's first check: console only
    assert first.exit_code == 0, first.output
    (note,) = json.loads(first.stdout)["notifications"]
    assert (note["kind"], note["targets"], note["held"]) == ("heads-up", ["console"], ["slack:#mvp-watch"])
    assert "held until configured: slack:#mvp-watch" in first.stderr
    assert check(cli, file, sqlite_url, "2022-09-08T09:00").exit_code == 0  # lapsed: held too
    status = cli("status", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T10:00")
    assert "2 alert(s) held" in status.output and "slack:#mvp-watch: 2" in status.output

    configured = check(cli, file, sqlite_url, "2022-09-09T09:00", env=slack_env(slack))
    assert configured.exit_code == 0, configured.output
    posted = [m.metadata["event_payload"]["kind"] for m in slack.posted()]  # type: ignore[index]
    assert posted == ["lapsed"]  # still true; the heads-up for a passed deadline is not replayed
    assert rows(sqlite_url) == [("heads-up", "console", "sent"), ("heads-up", "slack:#mvp-watch", "expired"),
                                ("lapsed", "console", "sent"), ("lapsed", "slack:#mvp-watch", "sent")]


def test_news_held_for_a_channel_is_not_sent_once_its_update_is_retracted(
        cli: Cli, write_register, sqlite_url: str, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    """An update recorded by mistake and retracted is no longer counted (SPEC §6.1): the news of it,
    held while the channel was not configured, is no longer current and is never sent."""
    file = write_register(MVP_ONLY)
    assert check(cli, file, sqlite_url, "2022-09-08T09:00").exit_code == 0
    base = ("--file", str(file), "--database", sqlite_url)
    recorded = cli("update", "mvp", *base, "--note", "Recorded by mistake", "--source", "https://example.org/x",
                   "--now", "2022-09-09T09:00")
    assert recorded.exit_code == 0, recorded.output
    assert check(cli, file, sqlite_url, "2022-09-09T10:00").exit_code == 0  # the news: held for #mvp-watch
    assert ("news", "slack:#mvp-watch", "held") in rows(sqlite_url)
    row = recorded.output.split("recorded update #")[1].split()[0]
    retracted = cli("update", "mvp", *base, "--retract", row, "--note", "wrong commitment", "--now", "2022-09-09T11:00")
    assert retracted.exit_code == 0, retracted.output
    assert check(cli, file, sqlite_url, "2022-09-10T09:00", env=slack_env(slack)).exit_code == 0
    posted = [m.metadata["event_payload"]["kind"] for m in slack.posted()]  # type: ignore[index]
    assert "news" not in posted and not any("by mistake" in m.text for m in slack.posted())
    assert ("news", "slack:#mvp-watch", "expired") in rows(sqlite_url)


# -- 14. check says which target failed and why ----------------------------------------------------
def test_check_names_each_failed_target_and_why(cli: Cli, write_register, sqlite_url: str, slack: SlackState) -> None:  # type: ignore[no-untyped-def]
    slack.add_channel("old-campaign", archived=True)
    file = write_register(MVP_ONLY.replace('slack: ["#mvp-watch"]', 'slack: ["#old-campaign"]'))
    result = check(cli, file, sqlite_url, "2022-09-08T09:00", env=slack_env(slack))
    assert result.exit_code == 3
    assert "not delivered: slack:#old-campaign: #old-campaign is archived: unarchive it" in result.stderr


# -- 6. one bad edit never stops alerts, status, history or recording ---------------------------
def test_a_broken_edit_keeps_the_last_valid_register_working(cli: Cli, write_register, database_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    assert check(cli, file, database_url, "2022-08-18T09:00").exit_code == 0
    file.write_text(REGISTER.replace("    owner: Home Office\n", "    owner: [Home Office\n", 1), encoding="utf-8")
    broken = check(cli, file, database_url, "2022-09-08T09:00", "--json")
    assert broken.exit_code == 1
    assert "commitments.yaml:" in broken.stderr and "working from the last valid register" in broken.stderr
    sent = [(n["id"], n["kind"]) for n in json.loads(broken.stdout)["notifications"]]
    assert sent == [("mvp", "lapsed"), ("safeguards", "silent")]  # delivered all the same
    base = ("--file", str(file), "--database", database_url, "--now", "2022-09-09T09:00")
    status = cli("status", *base, "--json")
    assert status.exit_code == 0 and {r["id"] for r in json.loads(status.stdout)} == {"mvp", "safeguards"}
    assert "warning:" in status.stderr
    assert cli("history", "mvp", *base).exit_code == 0
    recorded = cli("update", "mvp", *base, "--note", "Officials say drafting continues")
    assert recorded.exit_code == 0 and "recorded update #1 for mvp" in recorded.output


def test_a_broken_register_with_no_valid_one_before_still_changes_nothing(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER.replace("    owner: Home Office\n", "    owner: [Home Office\n", 1))
    result = check(cli, file, sqlite_url, "2022-09-08T09:00")
    assert result.exit_code == 1 and "nothing was changed" in result.output
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


# -- 4. one commitment that cannot be decided never stops the others ----------------------------
def test_an_undecidable_commitment_is_reported_and_the_others_decided(tmp_path: Path) -> None:
    (tmp_path / "commitments.yaml").write_text(REGISTER, encoding="utf-8")
    register = read(tmp_path / "commitments.yaml").register
    assert register is not None
    mvp, safeguards = register.commitments
    huge = replace(safeguards.policy, check_in=Duration(months=9000 * 12))  # what validation now refuses
    register = replace(register, commitments=(mvp, replace(safeguards, policy=huge)))
    now = datetime(2022, 9, 8, 9, tzinfo=UTC)
    failures: list[Undecidable] = []
    decided = decide(register, {}, [], now, None, failures)
    assert [(d.commitment_id, d.kind) for d in decided] == [("mvp", "lapsed")]
    assert [f.commitment_id for f in failures] == ["safeguards"] and "out of range" in failures[0].reason


# -- 11. claims: renewed while their worker lives, taken over (and looked for) when it is gone ---
class Holding(Notifier):
    """A channel at the world's edge whose first message waits until released."""

    channel = "console"

    def __init__(self) -> None:
        self.started, self.release, self.seen = threading.Event(), threading.Event(), []  # type: ignore[var-annotated]

    def deliver(self, target, batch):  # type: ignore[no-untyped-def]
        from notifiers.base import Outcome

        for item in batch:
            self.started.set()
            self.release.wait(20)
            self.seen.append(item)
            yield Outcome((item.id,))


def _queued_store(sqlite_url: str, tmp_path: Path, n: int = 2) -> Store:
    from bot.shell.service import check as run_check

    (tmp_path / "c.yaml").write_text(MVP_ONLY, encoding="utf-8")
    loaded = read(tmp_path / "c.yaml")
    assert loaded.register is not None
    store = Store(connect(sqlite_url))
    run_check(store, loaded.register, loaded.source_hash, datetime(2022, 9, 8, 9, tzinfo=UTC), {}, dry_run=False)
    return store


def test_a_live_workers_claims_are_renewed_past_their_lease(sqlite_url: str, tmp_path: Path) -> None:
    from bot.shell.delivery import deliver

    store = _queued_store(sqlite_url, tmp_path)
    channel, now = Holding(), datetime(2022, 9, 8, 9, tzinfo=UTC)
    worker = threading.Thread(target=lambda: deliver(store, {"console": channel}, "alive", now, lease_seconds=0.6))
    worker.start()
    assert channel.started.wait(20)
    renewed = threading.Event()
    with store.engine.connect() as conn:
        first = conn.execute(select(N.c.claimed_at).where(N.c.claimed_by == "alive")).scalar()

    def claimed_at_moved() -> bool:
        with store.engine.connect() as conn:
            return conn.execute(select(N.c.claimed_at).where(N.c.claimed_by == "alive")).scalar() != first

    deadline = time.monotonic() + 10
    while not claimed_at_moved():  # the renewal thread, every 0.2 s: wait for the condition, not a time
        assert time.monotonic() < deadline, "the claim was never renewed"
        renewed.wait(0.05)
    other = deliver(store, {"console": Holding()}, "other", now, lease_seconds=0.6)
    assert other.sent == 0  # nothing taken from a worker that is alive
    channel.release.set()
    worker.join(20)
    assert rows(sqlite_url) == [("lapsed", "console", "sent"), ("lapsed", "slack:#mvp-watch", "held")]


def test_a_dead_workers_claims_are_taken_over_looked_for_first_and_shown_in_status(
        cli: Cli, sqlite_url: str, tmp_path: Path) -> None:
    from bot.shell.delivery import deliver

    store = _queued_store(sqlite_url, tmp_path)
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with store.engine.begin() as conn:  # what `kill -9` leaves: a claim nobody renews
        conn.execute(update(N).values(claimed_by="host:123:dead", claimed_at=long_ago))
    status = cli("status", "--file", str(tmp_path / "c.yaml"), "--database", sqlite_url, "--now", "2022-09-08T10:00")
    assert "claims held by a process that is gone" in status.output and "host:123:dead: 1 notification(s)" in status.output
    channel = Holding()
    channel.release.set()
    report = deliver(store, {"console": channel}, "alive", datetime(2022, 9, 8, 9, tzinfo=UTC), lease_seconds=45)
    assert report.sent == 1
    (item,) = channel.seen
    assert item.unsure_since is not None and abs(item.unsure_since - long_ago) < timedelta(seconds=1)
    assert item.ident.startswith("lapsed|mvp|")


# -- bad input: database URLs and a future --on ----------------------------------------------------
def test_database_urls_that_cannot_work_say_so_plainly(cli: Cli, write_register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    for url, expected in ((f"sqlite:///{not_db}", "is not a SQLite database"),
                          ("", "the database URL is empty"),
                          ("nonsense://x", "not one this bot can use")):
        result = cli("status", "--file", str(file), "--database", url, "--now", "2022-09-08")
        assert result.exit_code == 1 and expected in result.output, (url, result.output)
        assert "Traceback" not in result.output and "sqlalchemy" not in result.output.lower()
    assert not_db.read_text(encoding="utf-8").startswith("these are my notes")


def test_a_sqlite_too_old_for_the_bot_says_so_before_anything_is_written(
        cli: Cli, write_register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Storing leads needs INSERT … RETURNING, SQLite 3.35 (2021); RHEL 9's is 3.34."""
    import sqlite3

    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.34.1")
    db = tmp_path / "old.db"
    result = cli("status", "--file", str(write_register(REGISTER)), "--database", f"sqlite:///{db}", "--now", "2022-09-08")
    assert result.exit_code == 1 and "this Python's SQLite is 3.34.1; the bot needs 3.35 or later" in result.output
    assert not db.exists()


def test_postgres_scheme_is_read_as_postgresql() -> None:
    from storage.db import normal_url

    assert normal_url("postgres://bot@db/bot") == "postgresql+psycopg://bot@db/bot"


def test_an_update_dated_after_today_needs_future(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    base = ("mvp", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T09:00", "--note", "Will publish")
    refused = cli("update", *base, "--on", "2022-10-01")
    assert refused.exit_code == 1 and "after today" in refused.output and "--future" in refused.output
    assert cli("update", *base, "--on", "2022-10-01", "--future").exit_code == 0


# -- 10 and 11 in the real `run` process ----------------------------------------------------------
def test_run_delivers_channels_side_by_side(tmp_path: Path, sqlite_url: str, slack: SlackState) -> None:
    """`run` once wrapped each channel so that Slack's channels went one at a time (issue 11 item 10)."""
    from bot.shell.sandbox.slack import TOKEN
    from tests.test_scheduler_helpers import Bot, spread_register
    from tests.test_scheduler_helpers import slack_env as run_env

    (tmp_path / "commitments.yaml").write_text(spread_register(2, 2), encoding="utf-8")
    for name in ("w-0", "w-1"):
        slack.add_channel(name)
    answer = threading.Event()
    slack.fail(Fault(hold=answer, times=2))  # Slack takes each channel's first message and waits
    bot = Bot(tmp_path, sqlite_url, tick=None, env=run_env(slack.url, TOKEN))  # type: ignore[attr-defined]
    try:
        side_by_side = slack.wait_for(lambda s: len(s.calls_to("chat.postMessage")) == 2, timeout=20)
        answer.set()
        assert side_by_side, "the second channel waited for the first"
        assert slack.wait_for(lambda s: len(s.posted()) == 2, timeout=20)
    finally:
        answer.set()
        assert bot.stop() == 0


def test_run_retries_a_failed_delivery_between_checks(tmp_path: Path, sqlite_url: str, slack: SlackState) -> None:
    """A temporary failure once waited for the next daily check (issue 11 item 11)."""
    from bot.shell.sandbox.slack import TOKEN
    from tests.test_scheduler_helpers import Bot, lapsed_register
    from tests.test_scheduler_helpers import slack_env as run_env

    (tmp_path / "commitments.yaml").write_text(lapsed_register(1), encoding="utf-8")
    slack.fail(Fault(status=503, times=1))
    env = {**run_env(slack.url, TOKEN), "SLACK_RETRY_BUDGET_SECONDS": "0",  # type: ignore[attr-defined]
           "COMMITMENT_BOT_DELIVER_SECONDS": "0.5"}
    bot = Bot(tmp_path, sqlite_url, tick=None, env=env)  # a daily check: only the catch-up check runs here
    try:
        bot.wait_for(lambda: len(bot.checks()) == 1, what="the catch-up check")
        assert slack.wait_for(lambda s: len(s.posted()) == 1, timeout=20), "\n".join(bot.err[-20:])
        bot.wait_for(lambda: any("deliver sent=1" in line for line in bot.err), what="the delivery pass's log line")
        assert len(bot.checks()) == 1  # delivered by a delivery pass, not by another check
    finally:
        assert bot.stop() == 0


def test_an_update_whose_due_reads_past_2200_is_refused(cli: Cli, write_register, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    file = write_register(REGISTER)
    base = ("mvp", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-08T09:00", "--note", "Later")
    refused = cli("update", *base, "--due", "by 9998")
    assert refused.exit_code == 1 and "out of range" in refused.output
    assert cli("check", "--file", str(file), "--database", sqlite_url, "--now", "2022-09-09T09:00").exit_code == 0
