"""The imperative shell: gather inputs, call the pure core, store and deliver what it decided."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.delivery import DeliveryReport, deliver
from bot.engine import Decision, decide
from bot.gcpause import paused_gc
from bot.model import Register
from bot.routing import deliverable
from notifiers.base import Notifier
from storage.repository import Store, SyncReport


@dataclass(frozen=True)
class CheckResult:
    decisions: list[tuple[Decision, tuple[str, ...]]]
    sync: SyncReport
    delivery: DeliveryReport | None
    undelivered: int


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def check(store: Store, register: Register, source_hash: str, now: datetime,
          notifiers: Mapping[str, Notifier], dry_run: bool = False,
          lease_seconds: float = 600.0) -> CheckResult:
    """Sync, decide, then (unless dry-run) store the decisions and deliver everything queued.

    A dry run records the register (that only caches what the file says) but decides nothing
    into the database and sends nothing.
    """
    with paused_gc():
        report = store.sync(register, source_hash, now)
        decisions = decide(register, store.recorded_updates(), store.sent(), now, store.first_seen())
    channels = set(notifiers)
    with_targets = [(d, deliverable(d.routed, channels)) for d in decisions]
    if dry_run:
        return CheckResult(with_targets, report, None, 0)
    store.record(with_targets, now)
    delivery = deliver(store, notifiers, worker_name(), now, lease_seconds)
    return CheckResult(with_targets, report, delivery, len(store.undelivered()))
