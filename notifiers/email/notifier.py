"""The email channel behind the Notifier contract: one mail per recipient per cycle."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from notifiers.base import Delivery, Notifier, Outcome
from notifiers.email.messages import MailSetup, alert_message, mail_setup, not_an_address
from notifiers.email.smtp import Mailer, MailError, valid_address


class EmailNotifier(Notifier):
    """One mail per recipient per cycle, covering every alert of the batch."""

    channel = "email"

    def __init__(self, setup: MailSetup) -> None:
        self.setup = setup

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
            msg = alert_message(self.setup, to, [d.alert for d in batch])
            with Mailer(config) as mailer:
                mailer.send(msg, self.setup.sender, to)
        except MailError as e:
            yield Outcome(ids, str(e), e.permanent)
            return
        yield Outcome(ids, meta={"message_id": str(msg["Message-ID"])})


def build(settings: Any) -> EmailNotifier:
    """A notifier even for a broken SMTP_URL: its deliveries then fail, saying why, and stay kept."""
    return EmailNotifier(mail_setup(settings))
