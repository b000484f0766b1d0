"""The jobs `run` does beside checking, delivering and the digest: the evidence watch
(`schedule.watch`), writing recorded updates beside the register (`schedule.export`), the
report for trustees (`schedule.report`), and refreshing a published site after each check
(`run --publish DIR`). Each logs and never raises, so one failing job cannot stop the scheduler.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.register.model import Register

log = logging.getLogger("commitment-bot.run")


def failed(what: str, retry: str, error: Exception) -> None:
    """Log a job that failed: one line for a database out of reach or busy (PostgreSQL down logged
    a 99-line traceback every 15-second pass), a traceback for anything else. `retry` says when
    it is tried again ("the next pass")."""
    from storage.errors import trouble

    said = trouble(error)
    if said is not None:
        log.warning("%s failed: the database is out of reach or busy (%s); %s retries", what, said, retry)
    else:
        log.error("%s failed; %s retries", what, retry, exc_info=error)
EMPTY = "[]\n"  # the side file when every recorded update is already in the register
SIDE_FILE = "recorded-updates.yml"  # not *.yaml: a register directory never reads it as part of the register


def watch(runner: Any) -> None:
    """One watch pass; the leads' notifications go out with the next delivery pass. `run` stopping
    abandons it before its next request: it records no alerts, and the next pass asks again."""
    from bot.shell.http import Stopped
    from bot.shell.watch.run import run_watch

    try:
        register = runner.load()
        if register is None:
            return
        report = run_watch(runner.store, register, runner.options.settings, runner.clock(), channels=runner.channels,
                           stop=runner.stop)
        log.info("watch watched=%d requests=%d hits=%d leads=%d problems=%d chased=%d not_answered=%d",
                 report.watched, report.requests, report.hits, len(report.leads), len(report.problems), report.chased,
                 report.waiting)
        for problem in report.problems:
            log.warning("watch: %s", problem)
    except Stopped:
        log.info("watch abandoned: stopping; the next pass asks again")
    except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
        failed("watch", "the next run", e)


def side_file(path: Path) -> Path:
    return (path if path.is_dir() else path.parent) / SIDE_FILE


def export(runner: Any) -> None:
    """Write every update recorded outside the register to `recorded-updates.yml` beside it, so a
    copy travels with the register's directory (SPEC §6.1); `export updates --write` merges them."""
    from bot.shell.catchup import pending, replace_file, show

    try:
        register = runner.load()
        if register is None:
            return
        items = pending(register, runner.store.updates.recorded(None, quarters=register.quarters),
                        runner.store.actions.recorded())
        now = runner.clock().astimezone(ZoneInfo(register.timezone))
        target = side_file(runner.options.path)
        replace_file(target, f"# Updates and the team's actions recorded outside the register (Slack, "
                             f"`commitment-bot update`, `snooze`), as of "
                             f"{now.isoformat(timespec='minutes')}.\n# `commitment-bot export updates --write` merges "
                             f"them into the register.\n{show(items) or EMPTY}")
        log.info("export wrote=%s updates=%d", target, len(items))
    except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
        failed("export", "the next run", e)


def publish(runner: Any, register: Register, now: datetime) -> None:
    """Rebuild the site in `run --publish DIR` and swap it in whole."""
    from bot.shell.publish import refresh

    try:
        written = refresh(runner.store, register, now, runner.options.publish)
        log.info("publish dir=%s pages=%d", runner.options.publish, written.pages)
    except Exception as e:  # noqa: BLE001 - logged; the scheduler carries on
        failed("publish", "the next check", e)


def report(runner: Any) -> None:
    """Mail the report for trustees to COMMITMENT_BOT_REPORT_TO (else MAINTAINER_EMAIL), once a day
    at most per address; each covers the days since the last one sent there (SPEC §7.6)."""
    from bot.shell.bymail import NoMail, require_mail

    try:
        require_mail("the trustees' report")
        from bot.shell.report import run_report

        found = runner.loaded()
        if found is None:
            return
        register, source_hash = found
        settings = runner.options.settings
        now = runner.clock().astimezone(ZoneInfo(register.timezone))
        runner.store.register.sync(register, source_hash, now)  # serialised with every other sync
        done = run_report(runner.store, register, now, settings, scheduled=True,
                          lease_seconds=settings.claim_lease_seconds)
        log.info("report sent=%d already_sent=%d not_sent=%d", len(done.sent), len(done.already_sent),
                 len(done.refused))
        for addr, why, _permanent in done.refused:
            log.warning("report not sent to %s: %s", addr, why)
    except NoMail as e:
        log.warning("report not sent: %s", e)
    except Exception as e:  # noqa: BLE001 - logged with its reason; the next scheduled report retries
        log.error("report failed: %s; the next scheduled report retries", e)
