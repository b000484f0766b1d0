"""`commitment-bot run`: the long-running shell around `check` (and the digest).

Each run re-reads the register (the cache makes an unchanged file cheap), so a merged edit
takes effect without a restart; an edit that fails validation keeps the last good register
running and tells the maintainers once. APScheduler only decides *when* to run: its job store
lives in this process's memory, never shared, because every guarantee that matters between
replicas (each alert sent once, none skipped) is kept in our own tables by claimed rows.
APScheduler is imported inside functions: the rest of `bot/` never needs it.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.register.model import Register
from bot.shell import jobs
from bot.shell.context import Context
from bot.shell.settings import Settings
from bot.when.cron import parse
from notifiers.base import Notifier

log = logging.getLogger("commitment-bot.run")
MISFIRE_GRACE = 6 * 3600  # a run delayed by a busy host or a suspended VM still happens
# Delivery passes run every `settings.deliver_every_seconds` (15 s): retries go out at their retry
# time, and a dead replica's claims (lease 45 s, renewed every 15 s while alive) move within a minute.


@dataclass(frozen=True)
class RunOptions:
    path: Path
    settings: Settings
    tick: float | None = None  # test-only: run the check every `tick` seconds instead of its cron
    publish: Path | None = None  # `run --publish DIR`: the site is rebuilt there after each check


@dataclass
class Runner:
    """What one process keeps between runs: the context (with the last good register) and the
    edits already reported."""

    options: RunOptions
    context: Context
    channels: Mapping[str, Notifier]
    clock: Callable[[], datetime]
    reported: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)  # ends delivery after the message in flight, and a watch pass
    loading: threading.Lock = field(default_factory=threading.Lock)  # jobs run side by side: one reads the file at a time
    reschedule: Callable[[Register], None] | None = None  # set by `serve`: a merged schedule edit applies

    @property
    def store(self) -> Any:
        return self.context.store

    @property
    def good(self) -> tuple[Register, str] | None:
        return self.context.good

    def loaded(self) -> tuple[Register, str] | None:
        """Re-read the register: it and its fingerprint, read together (jobs run side by side, and
        one may read an edited file between another's two reads). On a bad edit, the last good one,
        and the edit reported once, after the lock (a slow mail server must not hold every job)."""
        from bot.shell.context import NoRegister

        bad: tuple[str, list[str]] | None = None
        out: tuple[Register, str] | None = None
        with self.loading:
            before = self.context.good
            try:
                loaded = self.context.load()
            except NoRegister as e:
                bad = (e.file_hash, [str(p) for p in e.problems])
            else:
                out = (loaded.register, loaded.source_hash)
                if loaded.problems:
                    bad = (loaded.file_hash, [str(p) for p in loaded.problems])
                elif before and self.reschedule and _timing(before[0]) != _timing(loaded.register):
                    self.reschedule(loaded.register)
        if bad is not None:
            self._report_bad_edit(*bad)
        return out

    def load(self) -> Register | None:
        """The register alone (`loaded`), for a job that needs no fingerprint."""
        found = self.loaded()
        return found[0] if found else None

    def check(self) -> None:
        """One scheduled check; never raises, so one bad run cannot stop the scheduler."""
        try:
            self._check()
        except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
            jobs.failed("check", "the next run", e)

    def _check(self) -> None:
        from bot.shell import usecases
        from storage.heartbeat import SCHEDULER

        started = time.monotonic()
        found = self.loaded()
        if found is None:
            log.error("check skipped: no valid register yet (fix %s)", self.options.path)
            return
        register, source_hash = found
        now = self.clock().astimezone(ZoneInfo(register.timezone))
        result = usecases.check(self.store, register, source_hash, now, self.channels,
                                lease_seconds=self.options.settings.claim_lease_seconds, stop=self.stop)
        r = result.delivery
        sent, queued, failed = (r.sent, r.queued, r.failed) if r else (0, 0, 0)
        log.info("check checked=%d decided=%d sent=%d queued=%d failed=%d undelivered=%d seconds=%.2f now=%s",
                 len(register.commitments), len(result.decisions), sent, queued, failed, result.undelivered,
                 time.monotonic() - started, now.isoformat(timespec="seconds"))
        self.store.heartbeats.beat(SCHEDULER, now, {
            "interval_seconds": check_interval(register, self.options.tick), "checked": len(register.commitments),
            "sent": sent, "queued": queued, "failed": failed})
        if self.options.publish is not None:
            jobs.publish(self, register, now)

    def deliver(self) -> None:
        """Between checks: what is queued and due (a retry, a dead replica's rows) goes out now,
        not at the next daily check. Reads no register: the rows carry their alerts."""
        from bot.shell.delivery import deliver
        from bot.shell.service import worker_name

        try:
            report = deliver(self.store, self.channels, worker_name(), self.clock(),
                             self.options.settings.claim_lease_seconds, stop=self.stop)
        except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
            jobs.failed("delivery", "the next pass", e)
            return
        if report.sent or report.queued or report.failed:
            log.info("deliver sent=%d queued=%d failed=%d", report.sent, report.queued, report.failed)

    def digest(self) -> None:
        """The weekly digest (bot.shell.digest); never raises, so one bad run cannot stop the scheduler."""
        from bot.shell.bymail import NoMail, require_mail

        try:
            require_mail("the weekly digest")
            from bot.shell.digest import run_digest

            self._digest(run_digest)
        except NoMail as e:
            log.warning("digest not sent: %s", e)
        except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
            jobs.failed("digest", "the next run", e)

    def _digest(self, run_digest: Callable[..., Any]) -> None:
        found = self.loaded()
        if found is None:
            return
        register, source_hash = found
        now = self.clock().astimezone(ZoneInfo(register.timezone))
        with self.store.register.lock():
            self.store.register.sync(register, source_hash, now)
        report = run_digest(self.store, register, now, self.options.settings,
                            lease_seconds=self.options.settings.claim_lease_seconds)
        log.info("digest period=%s sent=%d already_sent=%d empty=%d not_sent=%d", report.period, len(report.sent),
                 len(report.already_sent), len(report.empty), len(report.refused))

    def _report_bad_edit(self, source_hash: str, problems: list[str]) -> None:
        if source_hash in self.reported:
            return
        self.reported.add(source_hash)
        if not self.store.heartbeats.first_time(f"bad-register:{source_hash[:32]}", self.clock()):
            return  # another replica (or an earlier life of this one) already said so
        tell_maintainers(self.options.settings, self.options.path, problems, self.good is not None)


def check_interval(register: Register, tick: float | None) -> float:
    """The longest gap between two checks, so `status` can tell late from dead."""
    if tick:
        return tick
    from apscheduler.triggers.cron import CronTrigger

    zone = ZoneInfo(register.timezone)
    trigger = CronTrigger(timezone=zone, **parse(register.schedule.check).apscheduler_fields())
    fires: list[datetime] = []
    at: datetime | None = datetime(2024, 1, 1, tzinfo=zone)
    while at is not None and len(fires) < 15:
        at = trigger.get_next_fire_time(fires[-1] if fires else None, at)
        if at is not None:
            fires.append(at)
            at = at + timedelta(seconds=1)
    gaps = [(b - a).total_seconds() for a, b in zip(fires, fires[1:], strict=False)]
    return max(gaps, default=86400.0)


def scheduler_for(runner: Runner, register: Register) -> Any:
    """The scheduler `serve` runs, its jobs added. Check and delivery share one worker (a check
    delivers too, and two deliveries in one process never overlap), with `export`. What waits on
    servers outside runs beside them, so they keep their pace (SPEC §6.5): the digest and the
    report (a mail server) on a worker of their own, and each watch pass (web servers, each
    request up to 4 × COMMITMENT_BOT_HTTP_TIMEOUT) in a thread of its own (`_detached`)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(
        executors={"default": ThreadPoolExecutor(1), "mail": ThreadPoolExecutor(1), "watch": _detached()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE})
    _add_jobs(scheduler, runner, register)
    runner.reschedule = lambda changed: _reschedule(scheduler, runner, changed)
    return scheduler


def _detached() -> Any:
    """An executor that runs each job in a daemon thread of its own and never waits for it: a stop
    ends the process at once, whatever the watch is waiting for. The watch sees the stop before
    its next request and records no alerts (bot.shell.http.Stopped); a request under way is dropped
    with the process. Nothing is half-written: a pass stores its leads only once every source was
    asked, and one that dies before telling them is found again by the next (bot.shell.watch.run)."""
    from apscheduler.executors.base import BaseExecutor, run_job

    class Detached(BaseExecutor):  # type: ignore[misc]
        def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
            def run() -> None:
                try:
                    events = run_job(job, job._jobstore_alias, run_times, self._logger.name)
                except BaseException as e:  # noqa: BLE001 - told to the scheduler, as its pool executors do
                    self._run_job_error(job.id, e, e.__traceback__)
                else:
                    self._run_job_success(job.id, events)

            threading.Thread(target=run, name=f"job-{job.id}", daemon=True).start()

    return Detached()


def serve(runner: Runner, register: Register, stop: threading.Event, scheduler: Any = None) -> None:
    """Run the scheduler (`scheduler_for`'s, unless given) in the foreground until `stop` is set:
    a check or delivery in progress finishes, as do a digest or report being sent; a watch pass
    is abandoned (`_detached`)."""
    from apscheduler.events import EVENT_SCHEDULER_STARTED

    runner.stop = stop
    scheduler = scheduler or scheduler_for(runner, register)
    started = threading.Event()
    scheduler.add_listener(lambda _event: started.set(), EVENT_SCHEDULER_STARTED)
    stopper = threading.Thread(target=lambda: (stop.wait(), started.wait(), scheduler.shutdown(wait=True)),
                               daemon=True)
    stopper.start()
    log.info("scheduler started: check %s, digest %s (%s)", _describe(register.schedule.check, runner.options.tick),
             register.schedule.digest, register.timezone)
    scheduler.start()
    stopper.join()
    log.info("scheduler stopped")


def _add_jobs(scheduler: Any, runner: Runner, register: Register, catch_up: bool = True) -> None:
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    zone = ZoneInfo(register.timezone)
    first = datetime.now(zone) if catch_up else None  # catch-up: one check at once, then on schedule
    if runner.options.tick:
        check_trigger: Any = IntervalTrigger(seconds=runner.options.tick, timezone=zone)
    else:
        check_trigger = CronTrigger(timezone=zone, **parse(register.schedule.check).apscheduler_fields())
    extra = {"next_run_time": first} if first else {}
    scheduler.add_job(runner.check, check_trigger, id="check", name="check", **extra)
    every = runner.options.settings.deliver_every_seconds
    scheduler.add_job(runner.deliver, IntervalTrigger(seconds=every, timezone=zone), id="deliver", name="deliver")
    digest_trigger = CronTrigger(timezone=zone, **parse(register.schedule.digest).apscheduler_fields())
    scheduler.add_job(runner.digest, digest_trigger, id="digest", name="digest", executor="mail")
    watch_trigger = CronTrigger(timezone=zone, **parse(register.schedule.watch).apscheduler_fields())
    scheduler.add_job(lambda: jobs.watch(runner), watch_trigger, id="watch", name="watch", executor="watch")
    if register.schedule.export:
        export_trigger = CronTrigger(timezone=zone, **parse(register.schedule.export).apscheduler_fields())
        scheduler.add_job(lambda: jobs.export(runner), export_trigger, id="export", name="export", **extra)
    if register.schedule.report:  # off unless set, like export; never caught up at start (a mail, once a period)
        report_trigger = CronTrigger(timezone=zone, **parse(register.schedule.report).apscheduler_fields())
        scheduler.add_job(lambda: jobs.report(runner), report_trigger, id="report", name="report", executor="mail")


def _reschedule(scheduler: Any, runner: Runner, register: Register) -> None:
    log.info("schedule changed in the register: check %s, digest %s (%s)", register.schedule.check,
             register.schedule.digest, register.timezone)
    for job in scheduler.get_jobs():
        job.remove()
    _add_jobs(scheduler, runner, register, catch_up=False)


def _timing(register: Register) -> tuple[object, str]:
    return register.schedule, register.timezone


SHOWN_PROBLEMS = 40  # a mail of 40 clipped problems stays far under Gmail's ~102 KB clip, the log line short
PROBLEM_CHARS = 400


def shown_problems(problems: list[str]) -> list[str]:
    """The first problems, each clipped, then how many more: an edit that breaks every one of 1,000
    commitments made a 400 KB mail and a 390 KB log line. `validate` lists them all."""
    shown = [p if len(p) <= PROBLEM_CHARS else p[:PROBLEM_CHARS] + "…" for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(f"…and {len(problems) - SHOWN_PROBLEMS} more: `commitment-bot validate` lists them all")
    return shown


def tell_maintainers(settings: Settings, path: Path, problems: list[str], still_running: bool) -> None:
    """Log, print, and (with SMTP and MAINTAINER_EMAIL set) email what is wrong with an edit."""
    head = (f"{path}: the latest edit has {len(problems)} problem(s); "
            + ("the last good register keeps running" if still_running else "there is no valid register to run"))
    shown = shown_problems(problems)
    log.error("%s: %s", head, "; ".join(shown))
    print(f"[REGISTER INVALID] {head}\n" + "".join(f"  {p}\n" for p in shown), flush=True)
    if settings.maintainer_email and settings.smtp_url:
        if settings.email_from:
            _email_maintainers(settings, head, shown)
        else:
            log.error("could not email the maintainers: EMAIL_FROM is not set (the address mails come from)")


def _email_maintainers(settings: Settings, head: str, problems: list[str]) -> None:
    from email.message import EmailMessage

    try:
        from notifiers.email.smtp import Mailer, parse_smtp_url

        msg = EmailMessage()
        msg["Subject"] = "commitment-bot: the register edit does not validate"
        msg["From"] = sender = settings.email_from or ""
        msg["To"] = to = settings.maintainer_email or ""
        msg.set_content(head + "\n\n" + "\n".join(problems) + "\n\nRun `commitment-bot validate` to check a fix.\n")
        with Mailer(parse_smtp_url(settings.smtp_url or "")) as mailer:
            mailer.send(msg, sender, to)
    except Exception as e:  # telling maintainers must never stop the checks
        log.error("could not email the maintainers: %s", e)


def _describe(expr: str, tick: float | None) -> str:
    return f"every {tick:g}s (test interval)" if tick else f'"{expr}"'


def configure_logging() -> None:
    """One line per event on stderr; stdout stays for the console channel's alerts."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
