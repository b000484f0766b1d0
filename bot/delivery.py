"""Delivering stored notifications: claim rows, hand them to channels, record each outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from notifiers.base import Delivery, Notifier
from storage.repository import Queued, Store

BACKOFF = (60, 300, 900, 3600)  # seconds before the next run may retry a temporary failure


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    queued: int  # temporary failures, retried next run
    failed: int  # permanent failures, kept with their reason


def deliver(store: Store, notifiers: Mapping[str, Notifier], worker: str, now: datetime,
            lease_seconds: float = 600.0) -> DeliveryReport:
    claimed = store.claim(worker, now, now - timedelta(seconds=lease_seconds))
    sent = queued = failed = 0
    try:
        for target, rows in groupby(sorted(claimed, key=lambda q: (q.target, q.id)), key=lambda q: q.target):
            s, q, f = _deliver_target(store, notifiers, target, list(rows), now)
            sent, queued, failed = sent + s, queued + q, failed + f
    finally:
        store.release(worker)
    return DeliveryReport(sent, queued, failed)


def _deliver_target(store: Store, notifiers: Mapping[str, Notifier], target: str,
                    rows: list[Queued], now: datetime) -> tuple[int, int, int]:
    channel = target.split(":", 1)[0]
    notifier = notifiers.get(channel)
    pending = {q.id: q for q in rows}
    if notifier is None:
        store.not_delivered(pending, f"{channel} is not configured here: set its settings (see README)", True, None)
        return 0, 0, len(pending)
    sent = queued = failed = 0
    try:
        for outcome in notifier.deliver(target, [Delivery(q.id, q.target, q.alert) for q in rows]):
            ids = [i for i in outcome.ids if pending.pop(i, None) is not None]
            if outcome.ok:
                store.delivered(ids, now, outcome.meta)
                sent += len(ids)
            else:
                retry = None if outcome.permanent else now + timedelta(seconds=_backoff(rows, outcome.retry_after))
                store.not_delivered(ids, outcome.error or "failed", outcome.permanent, retry)
                failed, queued = (failed + len(ids), queued) if outcome.permanent else (failed, queued + len(ids))
    except Exception as e:  # a channel bug must not lose what it did not get to
        store.not_delivered(list(pending), f"{type(e).__name__}: {e}", False, now + timedelta(seconds=BACKOFF[0]))
        return sent, queued + len(pending), failed
    if pending:  # a notifier that said nothing about some rows: they stay queued
        store.not_delivered(list(pending), "not attempted", False, None)
        queued += len(pending)
    return sent, queued, failed


def _backoff(rows: list[Queued], retry_after: float | None) -> float:
    attempts = max((q.attempts for q in rows), default=0)
    return max(retry_after or 0.0, BACKOFF[min(attempts, len(BACKOFF) - 1)])
