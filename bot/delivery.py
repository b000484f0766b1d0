"""Delivering stored notifications: claim rows, hand them to channels, record each outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from notifiers.base import Delivery, Notifier
from storage.repository import Queued, Store

BACKOFF = (60, 300, 900, 3600)  # seconds before the next run may retry a temporary failure
BATCH = 500  # rows of one target claimed at a time


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    queued: int  # temporary failures, retried next run
    failed: int  # permanent failures, kept with their reason


def deliver(store: Store, notifiers: Mapping[str, Notifier], worker: str, now: datetime,
            lease_seconds: float = 600.0, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> DeliveryReport:
    """Claim what is due and hand it to the channels, each target drained on its own.

    Claims are leased by the wall clock (`clock`), not by `now`: a lease is about processes that
    died, which `--now` time travel must not confuse.
    """
    stale = lambda: clock() - timedelta(seconds=lease_seconds)  # noqa: E731

    def drain(target: str) -> tuple[int, int, int]:
        # In batches, so a long delivery never outlives the lease on rows it has not reached yet
        # (another replica would take them over and send them too). Per target, so a channel
        # that finished its batch goes on without waiting for a slower one.
        totals, after = (0, 0, 0), 0
        while claimed := store.claim(worker, clock(), stale(), target, BATCH, after):
            after = claimed[-1].id
            done = _deliver_target(store, notifiers, target, claimed, now)
            totals = (totals[0] + done[0], totals[1] + done[1], totals[2] + done[2])
        return totals

    targets = store.due_targets(clock(), stale())
    parallel = [t for t in targets if getattr(notifiers.get(_channel(t)), "parallel_targets", False)]
    serial = [t for t in targets if t not in parallel]
    results: list[tuple[int, int, int]] = []
    try:
        if parallel:  # e.g. Slack's rate limit is per channel: channels wait for Slack side by side
            with ThreadPoolExecutor(max_workers=min(64, len(parallel))) as pool:
                results += pool.map(drain, parallel)
        results += [drain(target) for target in serial]
    finally:
        store.release(worker)
    return DeliveryReport(*(sum(r[i] for r in results) for i in range(3)))


def _channel(target: str) -> str:
    return target.split(":", 1)[0]


def _deliver_target(store: Store, notifiers: Mapping[str, Notifier], target: str,
                    rows: list[Queued], now: datetime) -> tuple[int, int, int]:
    channel = _channel(target)
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
