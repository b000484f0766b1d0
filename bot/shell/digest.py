"""The weekly digest's loop: decide who is owed a digest this ISO week, claim it, send it, record it.

The digest's content is the core's (bot.decide.digest) and its mail the email channel's
(notifiers.email.messages); this shell step owns the claiming and recording, as bot.shell.delivery
does for alerts. A digest is kept in its own table (storage.digests) rather than as a
notification row: it is built at send time from the whole register, covers "since the last
digest", and can be forced again, none of which an alert row models.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import notifiers
from bot.decide.digest import Book, Digest, build_digest, period_of, read_book
from bot.register.model import Register
from bot.register.routing import routed
from notifiers.email.links import Links, links_for
from notifiers.email.messages import digest_message, not_sent_reason
from notifiers.email.setup import MailSetup, for_preview, mail_setup
from notifiers.email.smtp import Mailer, MailError, address_problem, clean_header
from storage.digests import DigestStore, Owed
from storage.repository import Store


class UnknownRecipient(ValueError):
    """`--to` named an address the register sends nothing to (or, in a preview, no address at all)."""


@dataclass(frozen=True)
class DigestReport:
    period: str
    sent: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()  # nothing to say, so nothing sent
    already_sent: tuple[str, ...] = ()  # this period's digest went out before (or another worker has it)
    refused: tuple[tuple[str, str, bool], ...] = ()  # (recipient, why, permanent)
    written: tuple[Path, ...] = ()  # --dry-run files
    owed: tuple[Owed, ...] = ()  # this period's digests still not sent after this run
    notes: tuple[str, ...] = ()  # what a person should know about what was written (a preview's From)

    @property
    def undelivered(self) -> int:
        return len(self.owed)


def run_digest(store: Store, register: Register, now: datetime, settings: Any, *, to: str | None = None,
               force: bool = False, dry_run: bool = False, out_dir: Path | None = None,
               worker: str | None = None, lease_seconds: float = 600.0) -> DigestReport:
    """Build every recipient's digest at `now` and send what is owed this period (ISO week).

    The scheduler calls this weekly; `commitment-bot digest` is a thin wrapper. Raises
    `UnknownRecipient` for a `to` nobody routes to (a dry run previews any address: its digest is
    empty), and `MailError` when SMTP is not configured (unless `dry_run`, which writes .eml and
    .html files to `out_dir` and sends nothing).
    """
    from bot.shell.watch.listing import for_digest

    book = read_book(register, store.updates.recorded(None, quarters=register.quarters), now, store.register.first_seen(),
                     leads=for_digest(store.leads, register.timezone, {c.id: c.title for c in register.commitments}))
    period, _ = period_of(book.now)
    wanted = _wanted(book.recipients, to, preview=dry_run)
    digests = store.digests
    setup = mail_setup(settings)
    links = mail_links(store, register, settings)
    if dry_run:
        built = [build_digest(book, r, digests.last_covered(r, period)) for r in wanted]
        shown = [d for d in built if force or to is not None or not d.is_empty]
        paths = tuple(p for d in shown for p in _write(for_preview(setup), links, d, out_dir or Path("digest-preview")))
        return DigestReport(period, empty=tuple(d.recipient for d in built if d not in shown), written=paths,
                            notes=preview_notes(setup))
    config = setup.require(" (or use --dry-run to write the mails to a folder)")
    outcome: dict[str, list[Any]] = {"sent": [], "empty": [], "already_sent": [], "refused": []}
    with Mailer(config) as mailer:
        for r in wanted:
            key, detail = _send_one(book, digests, setup, links, mailer, r, period, force,
                                    worker or f"digest:{os.getpid()}", lease_seconds)
            outcome[key].append(detail)
    owed = tuple(o for o in digests.owed(period) if o.recipient in wanted)
    return DigestReport(period, tuple(outcome["sent"]), tuple(outcome["empty"]), tuple(outcome["already_sent"]),
                        tuple(outcome["refused"]), (), owed)


def _wanted(known: Mapping[str, tuple[str, ...]], to: str | None, preview: bool = False) -> list[str]:
    if to is None:
        return sorted(known)
    match = [a for a in known if a.lower() == to.strip().lower()]
    if not match and preview:  # a preview of what this address would get: nothing, shown as such
        if problem := address_problem(to.strip()):
            raise UnknownRecipient(problem)
        return [to.strip()]
    if not match:
        listed = ", ".join(sorted(known)) or "nobody"
        raise UnknownRecipient(f"{clean_header(to)} is in no route or notify of the register "
                               f"(it sends email to: {listed})")
    return match


def mail_links(store: Store, register: Register, settings: Any) -> Links:
    """The links a mail about this register may give: each commitment's page on the site and its
    Slack threads in the channels it is routed to (notifiers.email.links)."""
    threads = notifiers.threads(settings, store.threads)
    return links_for(settings, threads.anchors, {c.id: routed(c, register.routes) for c in register.commitments},
                     threads.link)


def preview_notes(setup: MailSetup) -> tuple[str, ...]:
    if setup.sender:
        return ()
    return (f"EMAIL_FROM is not set: the preview's From is {for_preview(setup).sender}; set EMAIL_FROM before "
            "sending",)


def _send_one(book: Book, digests: DigestStore, setup: MailSetup, links: Links, mailer: Mailer, recipient: str,
              period: str, force: bool, worker: str, lease_seconds: float) -> tuple[str, Any]:
    """Claim this period's row, send, record: a crash in between leaves it owed, never lost. A digest
    sent again after a send the server never confirmed (or a crash) says it may repeat that one."""
    since = digests.last_covered(recipient, period)
    digest = build_digest(book, recipient, since)
    if digest.is_empty and not force:
        return "empty", recipient
    until = datetime.combine(digest.until, datetime.min.time(), tzinfo=book.tz)
    row = digests.claim(recipient, period, since, until, worker, book.now,
                        book.now - timedelta(seconds=lease_seconds), force)
    if row is None:
        return "already_sent", recipient
    try:
        mailer.send(digest_message(setup, digest, links, again=row.unsure_since), setup.sender, recipient)
    except MailError as e:
        said = not_sent_reason(e)
        digests.not_sent(row.id, said, e.permanent, unsure_at=book.now if e.unsure else None)
        return "refused", (recipient, said, e.permanent)
    digests.sent(row.id, book.now)
    return "sent", recipient


def _write(setup: MailSetup, links: Links, digest: Digest, folder: Path) -> tuple[Path, Path]:
    return write_preview(digest_message(setup, digest, links), folder, f"{digest.period}-{safe_name(digest.recipient)}")


def write_preview(msg: EmailMessage, folder: Path, stem: str) -> tuple[Path, Path]:
    """A mail as files a person can open: the whole message (.eml) and its HTML part (.html)."""
    folder.mkdir(parents=True, exist_ok=True)
    eml, html = folder / f"{stem}.eml", folder / f"{stem}.html"
    eml.write_bytes(msg.as_bytes())
    part = msg.get_body(("html",))
    html.write_text(part.get_content() if part is not None else "", encoding="utf-8")
    return eml, html


def safe_name(addr: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "@.-_" else "_" for ch in addr)[:120]
