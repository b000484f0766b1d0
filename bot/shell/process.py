"""What a long-running process needs, whichever command started it (`run`, `slack serve`,
`sandbox`): its clock, and a clean stop on SIGTERM or SIGINT. Kept apart from the scheduler so the
commands share them without one entry point importing another."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger("commitment-bot.run")


def make_clock(start: datetime | None, began: float | None = None) -> Callable[[], datetime]:
    """Real UTC time, or `start` plus the time elapsed since `began` (a `time.monotonic()` reading,
    by default now), so claim leases still expire. `run` passes the moment it was started: replicas
    started together with one `--now` then keep one clock, however long each waited for the
    other's migrations (a dead replica's lease is judged by the survivor's clock)."""
    if start is None:
        return lambda: datetime.now(UTC)
    since = time.monotonic() if began is None else began
    return lambda: start + timedelta(seconds=time.monotonic() - since)


def stop_on_signals() -> threading.Event:
    """SIGTERM/SIGINT set the returned event; installed first thing, so a stop during start-up is clean too."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("%s: finishing the delivery in progress, then exiting", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop
