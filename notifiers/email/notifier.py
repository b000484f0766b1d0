"""The email channel behind the Notifier contract: one mail per recipient per cycle, however
many alerts it carries (the mail itself stays under 100 KB: notifiers.email.fit).

Exactly once, and the window left: a mail server cannot be asked whether a mail arrived. A mail
the server took whole but never confirmed (the connection dropped after the final ".", or the
time ran out waiting for its answer) may have arrived, so its rows are kept `unsure`, as a post to a
channel that cannot be searched is, and the mail that carries them again says so: "[possible repeat]"
before its subject, and a first line naming when the earlier one was sent. A row taken over from
a worker that died is sent the same way."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from notifiers.base import Delivery, Notifier, Outcome, Threads
from notifiers.email.links import Links, links_for
from notifiers.email.messages import MailSetup, alert_message, mail_setup, not_an_address, not_sent_reason
from notifiers.email.smtp import Mailer, MailError, valid_address


class EmailNotifier(Notifier):
    """One mail per recipient per cycle, covering every alert of the batch."""

    channel = "email"
    claim_all = True  # all of a recipient's due alerts in one call: one mail per recipient per cycle

    def __init__(self, setup: MailSetup, links: Links | None = None) -> None:
        self.setup = setup
        self.links = links or Links()

    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        ids = tuple(d.id for d in batch)
        to = target.split(":", 1)[1] if ":" in target else target
        if not ids:
            return
        if not valid_address(to):
            yield Outcome(ids, not_an_address(to), True)
            return
        try:
            config = self.setup.require()
            msg = alert_message(self.setup, to, [d.alert for d in batch], self.links, again=_again(batch))
            with Mailer(config) as mailer:
                mailer.send(msg, self.setup.sender, to)
        except MailError as e:
            yield Outcome(ids, not_sent_reason(e), e.permanent, unsure=e.unsure)
            return
        yield Outcome(ids, meta={"message_id": str(msg["Message-ID"])})


def _again(batch: Sequence[Delivery]) -> datetime | None:
    """When an earlier mail of these rows went unconfirmed (the shell keeps it as `unsure_since`)."""
    times = [d.unsure_since for d in batch if d.unsure_since is not None]
    return min(times) if times else None


def build(settings: Any, threads: Threads | None = None) -> EmailNotifier:
    """A notifier even for a broken SMTP_URL: its deliveries then fail, saying why, and stay kept.
    `threads` (where the bot's Slack threads are, and their permalinks) lets a mail link each
    commitment's thread."""
    threads = threads or Threads()
    return EmailNotifier(mail_setup(settings), links_for(settings, threads.anchors, link=threads.link))
