"""The email channel: grouped alert mails (notifier.py), their rendering and the digest's
(messages.py, templates/), SMTP (smtp.py), and its target syntax (targets.py). `CHANNEL` is its
line in notifiers' registry."""

from __future__ import annotations

from typing import Any, TextIO

from notifiers.base import Channel, Notifier, Threads
from notifiers.email.targets import LONGEST, check_target


def _configured(settings: Any) -> bool:
    return bool(getattr(settings, "smtp_url", None))


def _build(settings: Any, stream: TextIO, threads: Threads) -> Notifier | None:
    from notifiers.email.notifier import build

    return build(settings, threads)


CHANNEL = Channel("email", check_target, _configured, _build, "coordinator@example.org", messages=("mail", "mails"),
                  longest=LONGEST)
