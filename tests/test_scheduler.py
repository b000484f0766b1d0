"""`commitment-bot run`: schedules, catch-up, life cycle, bad edits, heartbeats (SPEC §4 `run`)."""

from __future__ import annotations

import io
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from threading import Event, Thread
from zoneinfo import ZoneInfo

import pytest

from tests.standins import running_slack  # noqa: F401 - the local Slack server fixture, "slack"
from tests.test_scheduler_helpers import Bot, lapsed_register


# -- schedules: one case per rule ------------------------------------------------------------
@pytest.mark.parametrize("expr, problem", [
    ("0 9 * * *", None),
    ("0 8 * * MON", None),
    ("*/15 8-18 * * 1-5", None),
    ("0 2 * * *", None),                       # 02:00 exists: the clocks jump from 01:00 to 02:00
    ("59 0 * * *", None),
    ("0 1 * * MON", None),                     # the clocks go forward on a Sunday
    ("0 1 * 4-12 *", None),                    # nor in April to December
    ("*/30 * * * *", None),                    # hourly jobs lose one run, not a day
    ("30 1 * * *", "runs at 01:30, a time that does not exist in Europe/London"),
    ("0 1 * * SUN", "runs at 01:00"),
    ("15 1 * 3 *", "runs at 01:15"),
    ("0 9 * *", "must be a cron expression of 5 fields"),
    ("61 9 * * *", 'minute "61" must be a number from 0 to 59'),
    ("0 25 * * *", 'hour "25" must be a number from 0 to 23'),
    ("0 9 * * FUN", 'day of week "FUN" must be a number from 0 to 7'),
    ("0 9 5-1 * *", "runs backwards"),
    ("0 9 1 * MON", "sets both a day of the month and a day of the week"),
])
def test_schedule_rules(expr: str, problem: str | None) -> None:
    from bot.when.cron import schedule_problem

    found = schedule_problem(expr, "Europe/London")
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_dst_gap_follows_the_zone() -> None:
    from bot.when.cron import dst_gap_problem

    assert dst_gap_problem("30 2 * * *", "America/New_York") is not None
    assert dst_gap_problem("30 2 * * *", "Europe/London") is None
    assert dst_gap_problem("30 1 * * *", "UTC") is None


@pytest.mark.parametrize("expr, weekdays", [
    ("0 8 * * 1", "mon"), ("0 8 * * 0", "sun"), ("0 8 * * 7", "sun"), ("0 8 * * 1-5", "mon,tue,wed,thu,fri"),
    ("0 8 * * MON", "mon"), ("0 8 * * *", "*"),
])
def test_weekdays_are_cron_numbered_not_apscheduler_numbered(expr: str, weekdays: str) -> None:
    from apscheduler.triggers.cron import CronTrigger

    from bot.when.cron import parse

    fields = parse(expr).apscheduler_fields()
    assert fields["day_of_week"] == weekdays
    start = datetime(2024, 6, 1, tzinfo=ZoneInfo("Europe/London"))
    fire = CronTrigger(timezone="Europe/London", **fields).get_next_fire_time(None, start)
    assert fire is not None and fire.hour == 8
    assert weekdays == "*" or fire.strftime("%a").lower() == weekdays[:3]


def test_check_interval_is_the_longest_gap() -> None:
    from bot.shell.registerfile import load_texts as load
    from bot.shell.scheduler import check_interval

    text = "version: 1\nschedule: {check: \"0 9 * * 1-5\"}\ncommitments: []\n"
    register = load([("c.yaml", text)]).register
    assert register is not None
    assert check_interval(register, None) == 3 * 86400  # Friday to Monday
    assert check_interval(register, 0.5) == 0.5


def test_a_register_with_a_time_in_the_dst_gap_does_not_validate(cli, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register('version: 1\nschedule: {check: "30 1 * * *"}\ncommitments: []\n')
    result = cli("validate")
    assert result.exit_code == 1
    assert "01:30, a time that does not exist in Europe/London" in result.output


# -- heartbeat -------------------------------------------------------------------------------
def test_heartbeat_warning(database_url: str) -> None:
    from storage.db import connect
    from storage.heartbeat import beat, heartbeat_status, heartbeat_warning
    from storage.repository import Store

    store = Store(connect(database_url))
    ran = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    assert heartbeat_warning(store, ran) is None and heartbeat_status(store, ran) is None  # cron users
    beat(store.engine, "scheduler", ran, {"interval_seconds": 86400})
    assert heartbeat_warning(store, ran + timedelta(days=2)) is None
    assert heartbeat_status(store, ran + timedelta(hours=5)) == "scheduler last ran 5 hours ago"
    assert heartbeat_warning(store, ran + timedelta(days=3)) == \
        "scheduler last ran 3 days ago: it looks stopped (it runs every 1 day)"
    beat(store.engine, "scheduler", ran + timedelta(days=3), {"interval_seconds": 86400})
    assert heartbeat_warning(store, ran + timedelta(days=3, hours=1)) is None


# -- stopping: the message in flight finishes, the rest stays queued --------------------------
def test_a_stop_finishes_the_message_in_flight_and_keeps_the_rest(sqlite_url: str, write_register,  # type: ignore[no-untyped-def]
                                                                   slack) -> None:
    import notifiers
    from bot.shell.registerfile import read
    from bot.shell.sandbox.slack import TOKEN, Fault
    from bot.shell.service import check
    from bot.shell.settings import Settings
    from storage.db import connect
    from storage.repository import Store

    loaded = read(write_register(lapsed_register(3)))
    assert loaded.register is not None
    store, stop, answer = Store(connect(sqlite_url)), Event(), Event()
    channels = notifiers.build(Settings(slack_bot_token=TOKEN, slack_api_url=slack.url), io.StringIO(), store.threads)
    slack.fail(Fault(hold=answer))  # Slack takes the first message and waits before answering
    now = datetime(2022, 9, 20, 9, tzinfo=UTC)
    run = Thread(target=lambda: check(store, loaded.register, loaded.source_hash, now, channels, stop=stop))
    run.start()
    assert slack.wait_for(lambda s: len(s.calls_to("chat.postMessage")) == 1, timeout=20)
    stop.set()  # SIGTERM arrives while the first message is in flight
    answer.set()
    run.join(20)
    assert len(slack.posted()) == 1
    assert len(store.notifications.undelivered()) == 2  # still queued, unclaimed: the next run sends them
    check(store, loaded.register, loaded.source_hash, now, channels)
    assert len(slack.posted()) == 3 and not store.notifications.undelivered()


# -- the real process -------------------------------------------------------------------------
def test_catch_up_on_start_sends_once_and_never_replays(database_url: str, tmp_path: Path, write_register) -> None:  # type: ignore[no-untyped-def]
    from storage.db import connect
    from storage.heartbeat import last_beat

    write_register(lapsed_register(3))
    bot = Bot(tmp_path, database_url, tick=None)  # the real cron schedule: only the catch-up runs now
    bot.wait_for(lambda: len(bot.checks()) == 1, what="the catch-up check")
    assert sorted(bot.alerts()) == ["c-0", "c-1", "c-2"]
    assert bot.stop() == 0
    found = last_beat(connect(database_url))
    assert found is not None and found.detail["interval_seconds"] == 86400 and found.detail["sent"] == 3
    again = Bot(tmp_path, database_url, tick=None)
    again.wait_for(lambda: len(again.checks()) == 1, what="the second start's check")
    assert again.alerts() == [] and "sent=0" in again.checks()[0]
    assert again.stop() == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_cleanly(sig: int, sqlite_url: str, tmp_path: Path, write_register) -> None:  # type: ignore[no-untyped-def]
    write_register(lapsed_register(200))
    bot = Bot(tmp_path, sqlite_url)
    bot.wait_for(lambda: len(bot.alerts()) >= 1, what="the first alert")
    assert bot.stop(sig) == 0
    assert any("finishing the delivery in progress" in line for line in bot.err)
    rest = Bot(tmp_path, sqlite_url)  # whatever the first did not reach, the next sends: once
    rest.wait_for(lambda: len(rest.checks()) >= 1 and len(bot.alerts()) + len(rest.alerts()) >= 200, what="the rest")
    assert rest.stop() == 0
    assert sorted(bot.alerts() + rest.alerts()) == sorted(f"c-{i}" for i in range(200))


def test_a_bad_edit_keeps_the_good_register_running_and_is_reported_once(
        database_url: str, tmp_path: Path, write_register) -> None:  # type: ignore[no-untyped-def]
    path = write_register(lapsed_register(1))
    bot = Bot(tmp_path, database_url, tick=0.2)
    bot.wait_for(lambda: len(bot.checks()) >= 1, what="the first check")
    path.write_text(lapsed_register(1) + "    titel: a typo\n", encoding="utf-8")
    bot.wait_for(lambda: any("[REGISTER INVALID]" in line for line in bot.out), what="the report")
    runs = len(bot.checks())
    bot.wait_for(lambda: len(bot.checks()) >= runs + 3, what="checks after the bad edit")
    assert sum("[REGISTER INVALID]" in line for line in bot.out) == 1
    assert any("titel" in line for line in bot.out)
    assert all("checked=1 " in line for line in bot.checks())
    path.write_text(lapsed_register(2), encoding="utf-8")  # the fix, merged: no restart needed
    bot.wait_for(lambda: "c-1" in bot.alerts(), what="the new commitment's alert")
    assert bot.stop() == 0
    assert sorted(bot.alerts()) == ["c-0", "c-1"]


def test_a_database_out_of_reach_is_one_line_in_the_log_not_a_traceback_a_pass(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Found in the hostile audit: with PostgreSQL down, `run` logged a 99-line traceback every
    15-second delivery pass. A database out of reach (or busy) is a condition, not a bug: one line
    naming what failed and the database's own words; the next pass retries."""
    import logging

    from bot.shell.context import Context
    from bot.shell.scheduler import Runner, RunOptions
    from bot.shell.settings import Settings
    from storage.db import connect
    from storage.repository import Store

    gone = f"sqlite:///{tmp_path}/no-such-folder/commitment-bot.db"
    settings = Settings()
    context = Context(settings, tmp_path / "commitments.yaml", gone, connect=lambda url: Store(connect(url, migrate=False)))
    runner = Runner(RunOptions(tmp_path / "commitments.yaml", settings), context, {}, lambda: datetime.now(UTC))
    with caplog.at_level(logging.WARNING, logger="commitment-bot.run"):
        runner.deliver()
    (record,) = caplog.records
    assert record.exc_info is None and "delivery failed" in record.getMessage()
    assert "unable to open database file" in record.getMessage() and "the next pass retries" in record.getMessage()


def test_a_bad_edit_of_a_large_register_is_told_in_a_mail_under_100_kb(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Found in the second hostile audit: an edit that broke each of 1,000 commitments (an unknown
    300-character key) made a 406 KB mail to the maintainers and a 391 KB log line."""
    from bot.shell.sandbox.smtp import smtp_server
    from bot.shell.scheduler import tell_maintainers
    from bot.shell.settings import Settings

    problems = [f"commitments.yaml:{10 + 9 * i}:5: commitment #{i + 1}: unknown key '{'k' * 300}'" for i in range(1000)]
    with smtp_server(tmp_path) as server:
        settings = Settings(smtp_url=server.env()["SMTP_URL"], email_from="bot@example.org",
                            maintainer_email="maint@example.org")
        tell_maintainers(settings, tmp_path / "commitments.yaml", problems, still_running=True)
        (mail,) = server.handler.to("maint@example.org")
    assert len(mail.as_bytes()) < 100_000
    text = mail.get_content()
    assert "1000 problem(s)" in text and "commitment #1:" in text
    assert "…and 960 more: `commitment-bot validate` lists them all" in text
    assert len(capsys.readouterr().out) < 100_000


def test_replicas_started_together_with_one_now_keep_one_clock() -> None:
    """`run --now` reads its clock from the moment it was started, not from when it got past the
    migration lock: a replica that waited for the other's migrations must not run behind it, or a
    dead replica's claims (stamped by its clock) would look fresh to the survivor for as long as
    it waited (test_replicas.py's lease of 2 s became 30 s and more on a loaded machine)."""
    import time

    from bot.shell.process import make_clock

    start = datetime(2022, 9, 20, 9, 0, tzinfo=UTC)
    launched = time.monotonic() - 30.0  # started 30 s ago, and only now past the migration lock
    first, waited = make_clock(start, launched), make_clock(start, launched)
    assert first() - start >= timedelta(seconds=30) and abs(first() - waited()) < timedelta(seconds=1)
    assert make_clock(start)() - start < timedelta(seconds=30)  # without it: the moment it is made


# -- what waits on servers outside holds neither check nor delivery, nor a stop ------------------
def until(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Wait for `condition` (looked at every 20 ms), failing after `timeout` seconds."""
    end, looked = time.monotonic() + timeout, Event()
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        looked.wait(0.02)


def test_a_watch_held_by_a_slow_page_holds_neither_the_checks_nor_a_stop(sqlite_url: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                         write_register,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """Found in the second review (issue 22): check, delivery, digest and watch shared the
    scheduler's one worker, so four watched pages that answered a byte a second held every check
    and delivery for four minutes ("maximum number of running instances reached"), and SIGTERM
    waited for the watch. Here the watch is held by a page that never ends (each request may take
    4 × 30 s): checks go on at their pace meanwhile, a stop ends `run` at once, and the abandoned
    watch stores nothing."""
    import logging

    import notifiers
    from bot.shell.context import Context
    from bot.shell.process import make_clock
    from bot.shell.scheduler import Runner, RunOptions, scheduler_for, serve
    from bot.shell.settings import from_env
    from tests.dripping import dripping
    from tests.test_storage import dump_database

    caplog.set_level(logging.INFO, logger="commitment-bot.run")
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    with dripping(head, b"x", "/slow-page") as page:
        path = write_register(lapsed_register(1) + f"    watch: {{pages: [\"{page.url}\"]}}\n")
        settings = from_env({"HTTP_ALLOW_PRIVATE": "127.0.0.1", "COMMITMENT_BOT_HTTP_TIMEOUT": "30"}, tmp_path)
        context = Context(settings, path, sqlite_url)
        runner = Runner(RunOptions(path, settings, tick=0.2), context,
                        notifiers.build(settings, io.StringIO(), context.store.threads),
                        make_clock(datetime(2022, 9, 20, 9, tzinfo=UTC)))
        register = runner.load()
        assert register is not None
        scheduler = scheduler_for(runner, register)
        scheduler.modify_job("watch", next_run_time=datetime.now(UTC))  # its cron's next minute, now
        stop = Event()
        running = Thread(target=serve, args=(runner, register, stop, scheduler), daemon=True)
        running.start()

        def checks() -> int:
            return sum(r.getMessage().startswith("check checked=") for r in list(caplog.records))

        until(lambda: len(page.requests) == 1, "the watch to ask the page")
        held = checks()
        until(lambda: checks() >= held + 3, "three checks while the watch is held")
        stop.set()
        running.join(10)
        assert not running.is_alive(), "the stop waited for the watch"
        assert len(page.requests) == 1  # the page is still answering the watch, a byte at a time
    until(lambda: any("watch abandoned" in r.getMessage() for r in list(caplog.records)), "the watch to give up")
    assert dump_database(sqlite_url)["leads"] == []


def test_a_digest_held_by_a_slow_mail_server_holds_no_check(sqlite_url: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                            write_register, caplog: pytest.LogCaptureFixture) -> None:
    """The same for the weekly digest (and the report, on the same worker): a mail server that
    drips its answer holds the digest up to SMTP_TIMEOUT, never the checks beside it. A stop
    still lets the digest's mail in flight end (here, when the server lets go)."""
    import logging

    from bot.shell.context import Context
    from bot.shell.process import make_clock
    from bot.shell.scheduler import Runner, RunOptions, scheduler_for, serve
    from bot.shell.settings import from_env
    from tests.smtp_standin import smtp_standin

    caplog.set_level(logging.INFO, logger="commitment-bot.run")
    text = lapsed_register(1).replace('  - slack: ["#commitments"]', "  - email: [coord@example.org]")
    path = write_register(text)
    with smtp_standin("drip") as server:
        settings = from_env({"SMTP_URL": server.url, "EMAIL_FROM": "bot@example.org", "SMTP_TIMEOUT": "120"}, tmp_path)
        context = Context(settings, path, sqlite_url)
        runner = Runner(RunOptions(path, settings, tick=0.2), context, {}, make_clock(datetime(2022, 9, 20, 9, tzinfo=UTC)))
        register = runner.load()
        assert register is not None
        scheduler = scheduler_for(runner, register)
        scheduler.modify_job("digest", next_run_time=datetime.now(UTC))
        stop = Event()
        running = Thread(target=serve, args=(runner, register, stop, scheduler), daemon=True)
        running.start()

        def checks() -> int:
            return sum(r.getMessage().startswith("check checked=") for r in list(caplog.records))

        until(lambda: server.connections == 1, "the digest to reach the mail server")
        held = checks()
        until(lambda: checks() >= held + 3, "three checks while the digest is held")
        assert not any(r.getMessage().startswith("digest period=") for r in list(caplog.records))  # still held
        stop.set()
    running.join(30)  # the mail server let go: the digest's mail ended, then the scheduler
    assert not running.is_alive()
    assert any(r.getMessage().startswith("digest period=") for r in list(caplog.records))
