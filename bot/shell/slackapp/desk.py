"""What the Slack app's handlers need from the rest of the bot, built once by `slack serve` or `run`.

Handlers never read files or the clock themselves: the desk gives them the register (the last
valid one when an edit broke the file), the store, `now` and a way to deliver at once what a
recorded update decided, through the same check every other run uses (so a reply in the thread
is the alert itself, sent exactly once).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.model import Commitment, Register
from bot.routing import routed

if TYPE_CHECKING:
    from bot.shell.cli.app import App
    from bot.shell.service import CheckResult
    from storage.repository import Store


@dataclass
class Desk:
    app: App
    clock: Callable[[str], datetime]  # now, in a timezone: the wall clock, or a fixed `--now` in tests
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def store(self) -> Store:
        return self.app.store

    def register(self) -> tuple[Register, str]:
        with self.lock:  # App caches what it read; one handler at a time reads the file
            return self.app.register()

    def now(self, register: Register) -> datetime:
        return self.clock(register.timezone)

    def commitment(self, commitment_id: str) -> tuple[Register, Commitment | None]:
        register, _ = self.register()
        return register, register.by_id().get(commitment_id)

    def slack_channels(self, register: Register, c: Commitment) -> tuple[str, ...]:
        """The channel names (without #) the commitment's alerts go to."""
        return tuple(t.split(":", 1)[1].lstrip("#") for t in routed(c, register.routes) if t.startswith("slack:"))

    def check_now(self) -> CheckResult:
        """Decide and deliver now, as a scheduled check would: what a recorded update decided
        (news, a slip, a closure) reaches every channel it is routed to, once."""
        import notifiers
        from bot.shell.service import check

        register, source_hash = self.register()
        store, settings = self.app.store, self.app.settings
        with self.lock:
            channels = notifiers.build(settings, sys.stdout, store.threads)
            return check(store, register, source_hash, self.now(register), channels,
                         lease_seconds=settings.claim_lease_seconds)
