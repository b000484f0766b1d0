"""Delivering stored notifications: claim rows, hand them to channels, record each outcome."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from notifiers.base import Delivery, Notifier
from storage.notifications import Queued
from storage.repository import Store

BACKOFF = (60, 300, 900, 3600)  # seconds before a temporary failure is tried again
BATCH = 500  # rows of one target claimed at a time
NEVER = threading.Event()  # a stop request that never comes


@dataclass(frozen=True)
class DeliveryReport:
    """Deliveries, an alert to one target each; `messages`: how many messages carried the sent ones,
    by channel (a mail or a Slack summary carries several alerts)."""

    sent: int
    queued: int  # temporary failures, retried at their retry time
    failed: int  # permanent failures, kept with their reason
    messages: Mapping[str, int] = field(default_factory=dict)


def in_words(report: DeliveryReport) -> str:
    """The summary's words: `deliveries: 15 sent, 0 queued, 0 failed (10 Slack messages and 1 mail;
    each alert is counted once per channel)`. The console's are not counted: they are on screen."""
    from notifiers import CHANNELS

    counts = [f"{n} {c.messages[0] if n == 1 else c.messages[1]}" for name, c in CHANNELS.items()
              if (n := report.messages.get(name, 0))]
    said = f"deliveries: {report.sent} sent, {report.queued} queued, {report.failed} failed"
    if not counts:
        return said
    listed = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
    return f"{said} ({listed}; each alert is counted once per channel)"


def deliver(store: Store, notifiers: Mapping[str, Notifier], worker: str, now: datetime,
            lease_seconds: float = 600.0, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
            stop: threading.Event = NEVER) -> DeliveryReport:
    """Claim what is due and hand it to the channels, each target drained on its own.

    Claims are leased by the wall clock (`clock`), not by `now`: a lease is about processes that
    died, which `--now` time travel must not confuse. While this runs, the claims are renewed
    every third of the lease, so a short lease expires only on a worker that is gone. `stop`
    ends delivery after the message in flight; what was not reached stays queued.
    """
    stale = lambda: clock() - timedelta(seconds=lease_seconds)  # noqa: E731

    def drain(target: str) -> tuple[int, int, int, int]:
        # In batches, so a long delivery never outlives the lease on rows it has not reached yet.
        # Per target, so a channel that finished its batch goes on without waiting for a slower
        # one. A channel that sums up many alerts in one message takes all of a target's rows.
        notifier = notifiers.get(_channel(target))
        limit = None if notifier is not None and notifier.claim_all else BATCH
        totals, after = (0, 0, 0, 0), 0
        while not stop.is_set() and (claimed := store.notifications.claim(worker, clock(), stale(), target, limit, after)):
            after = claimed[-1].id
            done = _deliver_target(store, notifiers, target, claimed, now, clock, stop)
            totals = (totals[0] + done[0], totals[1] + done[1], totals[2] + done[2], totals[3] + done[3])
        return totals

    targets = store.notifications.due_targets(clock(), stale())
    serving = {t: notifiers.get(_channel(t)) for t in targets}
    parallel = [t for t, n in serving.items() if n is not None and n.parallel_targets]
    serial = [t for t in targets if t not in parallel]
    results: list[tuple[int, int, int, int]] = []
    try:
        with _renewing(store, worker, clock, max(lease_seconds / 3, 0.2)):
            if parallel:  # e.g. Slack's rate limit is per channel: channels wait for Slack side by side
                with ThreadPoolExecutor(max_workers=min(64, len(parallel))) as pool:
                    results += pool.map(drain, parallel)
            results += [drain(target) for target in serial]
    finally:
        store.notifications.release(worker)
    messages: dict[str, int] = {}
    for target, r in zip(parallel + serial, results, strict=True):
        messages[_channel(target)] = messages.get(_channel(target), 0) + r[3]
    sent, queued, failed = (sum(r[i] for r in results) for i in range(3))
    return DeliveryReport(sent, queued, failed, messages)


@contextmanager
def _renewing(store: Store, worker: str, clock: Callable[[], datetime], every: float) -> Iterator[None]:
    done = threading.Event()

    def renew() -> None:
        while not done.wait(every):
            store.notifications.renew(worker, clock())

    thread = threading.Thread(target=renew, name="renew-claims", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _channel(target: str) -> str:
    return target.split(":", 1)[0]


def _deliver_target(store: Store, notifiers: Mapping[str, Notifier], target: str, rows: list[Queued],
                    now: datetime, clock: Callable[[], datetime], stop: threading.Event) -> tuple[int, int, int, int]:
    """(sent, queued, failed, messages sent). Retry times count from `now` (a time-travelling check
    retries at once), except after an unanswered post: the wait for it to land is real time, so that
    one counts from the wall clock."""
    channel = _channel(target)
    notifier = notifiers.get(channel)
    pending = {q.id: q for q in rows}
    if notifier is None:
        store.notifications.not_delivered(pending, f"{channel} is not configured here: set its settings (see README)", True, None)
        return 0, 0, len(pending), 0
    sent = queued = failed = messages = 0
    batch = [Delivery(q.id, q.target, q.alert, q.ident, q.unsure_since) for q in rows]
    try:
        for outcome in notifier.deliver(target, batch):
            ids = [i for i in outcome.ids if pending.pop(i, None) is not None]
            if outcome.ok:
                store.notifications.delivered(ids, now, outcome.meta)
                if outcome.anchor is not None:  # the channel started a thread: where, for next time
                    store.threads.put(outcome.anchor, clock())
                sent += len(ids)
                messages += 1 if ids else 0
            else:
                base = clock() if outcome.unsure else now
                # an unanswered post is not a failure to back off from: look again once it could have landed
                wait = outcome.retry_after if outcome.unsure and outcome.retry_after else _backoff(rows, outcome.retry_after)
                retry = None if outcome.permanent else base + timedelta(seconds=wait)
                store.notifications.not_delivered(ids, outcome.error or "failed", outcome.permanent, retry,
                                    base if outcome.unsure else None)
                failed, queued = (failed + len(ids), queued) if outcome.permanent else (failed, queued + len(ids))
            if stop.is_set():
                break
    except Exception as e:  # a channel bug must not lose what it did not get to
        store.notifications.not_delivered(list(pending), f"{type(e).__name__}: {e}", False, now + timedelta(seconds=BACKOFF[0]))
        return sent, queued + len(pending), failed, messages
    if pending:  # stopped, or a notifier that said nothing about some rows: they stay queued
        store.notifications.not_delivered(list(pending), "not attempted", False, None)
        queued += len(pending)
    return sent, queued, failed, messages


def _backoff(rows: list[Queued], retry_after: float | None) -> float:
    attempts = max((q.attempts for q in rows), default=0)
    return max(retry_after or 0.0, BACKOFF[min(attempts, len(BACKOFF) - 1)])
