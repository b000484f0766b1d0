"""The report for trustees (SPEC §7.6): gather what it reads, build it (bot.decide.report), then
print it, write it to files, or mail it and record that it was sent.

A sent report is kept as a row of the digests table (storage.digests), under "report:ADDRESS"
for the day it was sent: the row is claimed before the mail goes out, so a double-fired cron or
a second replica sends it once, and its `covered_until` is where the next report to that address
starts (`--since` by default). With no report sent yet, a report covers the last 30 days.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.decide.report import Report, build_report
from bot.register.model import Register
from bot.shell.digest import mail_links, preview_notes, safe_name, write_preview
from notifiers.email.links import Links
from notifiers.email.messages import not_sent_reason
from notifiers.email.report import report_message, report_text
from notifiers.email.setup import MailSetup, for_preview, mail_setup
from notifiers.email.smtp import Mailer, MailError, address_problem
from storage.digests import DigestStore
from storage.repository import Store

FIRST_SPAN = timedelta(days=30)  # what a first report covers
KEY = "report:"  # the digests table's recipient column: "report:trustees@example.org"


class NoAddress(ValueError):
    """A report to mail or preview with no address to give it, or one that is not an address."""


@dataclass(frozen=True)
class ReportRun:
    text: str | None = None  # the report, when it was only to be printed
    sent: tuple[str, ...] = ()
    already_sent: tuple[str, ...] = ()  # today's report went out before (or another worker has it)
    refused: tuple[tuple[str, str, bool], ...] = ()  # (address, why, permanent)
    written: tuple[Path, ...] = ()  # --dry-run files
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Inputs:
    store: Store
    register: Register
    now: datetime
    links: Links
    digests: DigestStore

    def report(self, since: date) -> Report:
        store = self.store
        return build_report(self.register, store.updates.recorded(None, quarters=self.register.quarters),
                            store.actions.recorded(), self.now, since, store.register.first_seen())

    def since(self, addresses: tuple[str, ...]) -> date:
        """Where the last report sent to any of `addresses` stopped, else 30 days ago."""
        period = _period(self.now)
        ends = [e for a in addresses if (e := self.digests.last_covered(KEY + a.lower(), period)) is not None]
        return max(ends).astimezone(self.now.tzinfo).date() if ends else self.now.date() - FIRST_SPAN


def scheduled_addresses(settings: Any) -> tuple[str, ...]:
    """Where `run` sends the report: COMMITMENT_BOT_REPORT_TO, else MAINTAINER_EMAIL."""
    given = tuple(getattr(settings, "report_to", ()) or ())
    maintainer = getattr(settings, "maintainer_email", None)
    return given or ((maintainer,) if maintainer else ())


def run_report(store: Store, register: Register, now: datetime, settings: Any, *, to: tuple[str, ...] = (),
               since: date | None = None, dry_run: bool = False, out_dir: Path | None = None, force: bool = False,
               scheduled: bool = False, worker: str | None = None, lease_seconds: float = 600.0) -> ReportRun:
    """Print (no `to`, no `dry_run`), write (`dry_run`) or mail the report. Raises NoAddress, and
    MailError when SMTP or EMAIL_FROM is not set for a real send."""
    inputs = _Inputs(store, register, now, mail_links(store, register, settings), store.digests)
    if not to and not dry_run and not scheduled:
        return ReportRun(text=report_text(inputs.report(since or inputs.since(scheduled_addresses(settings))),
                                          inputs.links))
    addresses = _checked(to or scheduled_addresses(settings))
    setup = mail_setup(settings)
    if dry_run:
        preview = for_preview(setup)
        written = tuple(p for a in addresses for p in write_preview(
            report_message(preview, a, inputs.report(since or inputs.since((a,))), inputs.links, _reason(a, scheduled)),
            out_dir or Path("report-preview"), f"report-{now.date().isoformat()}-{safe_name(a)}"))
        return ReportRun(written=written, notes=preview_notes(setup))
    config = setup.require(" (or use --dry-run to write the report to a folder)")
    outcome: dict[str, list[Any]] = {"sent": [], "already_sent": [], "refused": []}
    with Mailer(config) as mailer:
        for a in addresses:
            key, detail = _send_one(inputs, setup, mailer, a, since, force, scheduled,
                                    worker or f"report:{os.getpid()}", lease_seconds)
            outcome[key].append(detail)
    return ReportRun(sent=tuple(outcome["sent"]), already_sent=tuple(outcome["already_sent"]),
                     refused=tuple(outcome["refused"]))


def _checked(addresses: tuple[str, ...]) -> tuple[str, ...]:
    if not addresses:
        raise NoAddress("no address to send the report to: give --to ADDRESS, or set COMMITMENT_BOT_REPORT_TO "
                        "(or MAINTAINER_EMAIL)")
    for a in addresses:
        if problem := address_problem(a):
            raise NoAddress(problem)
    return tuple(dict.fromkeys(addresses))


def _reason(address: str, scheduled: bool) -> str:
    if scheduled:
        return (f"You get this report because COMMITMENT_BOT_REPORT_TO (or MAINTAINER_EMAIL) names {address}: "
                "`commitment-bot run` sends it on the register's schedule.report.")
    return f"You get this report because someone ran `commitment-bot report --to {address}`."


def _period(now: datetime) -> str:
    """One report per address per day: a second run that day (another replica, a cron fired twice)
    finds it sent."""
    return f"report-{now.date().isoformat()}"


def _send_one(inputs: _Inputs, setup: MailSetup, mailer: Mailer, address: str, since: date | None, force: bool,
              scheduled: bool, worker: str, lease_seconds: float) -> tuple[str, Any]:
    """Claim today's row, send, record: a crash in between leaves it owed, never sent twice unmarked (a
    report sent again after a send the server never confirmed, or a crash, says it may repeat it)."""
    now, tz = inputs.now, inputs.now.tzinfo
    start = since or inputs.since((address,))
    covered_from = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    until = datetime.combine(now.date(), datetime.min.time(), tzinfo=tz)
    row = inputs.digests.claim(KEY + address.lower(), _period(now), covered_from, until, worker, now,
                               now - timedelta(seconds=lease_seconds), force)
    if row is None:
        return "already_sent", address
    try:
        mailer.send(report_message(setup, address, inputs.report(start), inputs.links, _reason(address, scheduled),
                                   again=row.unsure_since), setup.sender, address)
    except MailError as e:
        said = not_sent_reason(e)
        inputs.digests.not_sent(row.id, said, e.permanent, unsure_at=now if e.unsure else None)
        return "refused", (address, said, e.permanent)
    inputs.digests.sent(row.id, now)
    return "sent", address
