"""The Store: the one door to the database that every caller is given.

It holds the parts of storage, each keeping one thing and owning every SQL statement about it;
the rest of the code sees domain objects only, and never the engine behind them (the
architecture test holds that). A part is reached by what it keeps: `store.notifications.claim`,
`store.updates.add`, `store.register.sync`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy import Engine

from storage import db
from storage.actions import Actions
from storage.digests import DigestStore
from storage.heartbeat import Heartbeats
from storage.leads import Leads
from storage.notifications import Notifications
from storage.register import SyncedRegister
from storage.slack_threads import SlackThreads
from storage.updates import RecordedUpdates
from storage.windows import QuietWindows


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine  # storage's own: nothing outside storage/ reaches it (tests/test_architecture.py)
        self.register = SyncedRegister(engine)  # the commitments as last synced, their versions, the parsed file
        self.windows = QuietWindows(engine)  # when each commitment next needs deciding, and the mark they hold by
        self.updates = RecordedUpdates(engine)  # updates recorded outside the file, and their retractions
        self.actions = Actions(engine)  # the team's own snoozes and chases (SPEC §7.3)
        self.notifications = Notifications(engine)  # alerts decided: recorded, held, claimed, delivered
        self.leads = Leads(engine)  # what the watch found, and the marks of the pages it watches
        self.digests = DigestStore(engine)  # one row per recipient per period, claimed before sending
        self.threads = SlackThreads(engine)  # notifiers.slack's ThreadAnchors; the shell records new ones
        self.heartbeats = Heartbeats(engine)  # when the scheduler last ran; what was told once

    def patience(self, seconds: float) -> AbstractContextManager[db.Patience]:
        """`with store.patience(2):` a person is waiting: in this thread, until the block ends or the
        bound's `end()`, the database is waited for at most `seconds` in all, lock waits and
        statements alike; a wait cut short raises the database's "busy" error (storage.errors)."""
        return db.patience(seconds)
