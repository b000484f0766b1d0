"""Hosts side by side, each at its own pace (SPEC §6.3; issue 22, item 18).

The client allows one request per interval to one host (bot.shell.http.Pacer). Asked one after
another, a register sorted by department (twenty pages on one site, then twenty on the next)
waits out every interval in turn: the pass takes total requests × interval. Here each host has
its own queue of jobs, started in the order given, and a few workers (threads: the work is
waiting on the network) take the next job of whichever host's turn has come, as the client's
pacer says. A worker never sleeps on a host whose interval is still running while another host
is ready, and a host's next request does not wait for the last job's own work (parsing, the
database) to finish, only for its request: a pass takes about the busiest host's requests ×
interval, however the register is sorted.

Among the hosts whose turn has come, the one with the most jobs left goes first: it is the one
that sets how long the pass takes. Results come back in the order of the jobs, whatever order
they finished in, so what a pass stores and prints does not depend on which server answered
first. A job that fails unexpectedly is that job's problem only: the caller's `failed` turns its
exception into that job's result (a problem line), and every other job still runs and counts.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from typing import Generic, TypeVar
from urllib.parse import urlsplit

from bot.shell.http import Client, Pacer

T = TypeVar("T")


def host_of(url: str) -> str:
    """The queue of a URL: its host name, as the client paces it (not the port)."""
    try:
        return (urlsplit(url).hostname or url).lower()
    except ValueError:  # a malformed URL is asked (and refused) in a queue of its own
        return url


def side_by_side(jobs: Sequence[tuple[str, Callable[[], T]]], client: Client,
                 failed: Callable[[int, Exception], T] | None = None) -> list[T]:
    """Run every `(url, job)` whose requests go through `client`: one host's jobs started in
    order, each when the host's turn comes; different hosts at once, on at most
    `client.settings.hosts_at_once` threads. Returns each job's result in the order of `jobs`.
    A job that raises an Exception has `failed(its index, the exception)` as its result; without
    `failed`, the first exception a job raised is raised here once every other job has run."""
    if failed is not None:
        jobs = [(url, partial(_guarded, job, i, failed)) for i, (url, job) in enumerate(jobs)]
    queues: dict[str, deque[int]] = {}
    for i, (url, _job) in enumerate(jobs):
        queues.setdefault(host_of(url), deque()).append(i)
    workers = min(client.settings.hosts_at_once, len(queues))
    if workers <= 1:
        return [job() for _url, job in jobs]
    board = _Board(jobs, queues, client.pacer)
    client.pacer.listeners.append(board.poke)
    try:
        threads = [threading.Thread(target=board.work, name=f"host-{n}", daemon=True) for n in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        client.pacer.listeners.remove(board.poke)
    if board.failed is not None:
        raise board.failed
    return [board.results[i] for i in range(len(jobs))]


def _guarded(job: Callable[[], T], i: int, failed: Callable[[int, Exception], T]) -> T:
    try:
        return job()
    except Exception as e:  # noqa: BLE001 - this job's problem, told by `failed`; the others go on
        return failed(i, e)


class _Board(Generic[T]):
    """The jobs still to start, per host; which hosts were just given a job whose request has not
    started yet (claimed, with the pacer's word for the host at that moment)."""

    def __init__(self, jobs: Sequence[tuple[str, Callable[[], T]]], queues: dict[str, deque[int]],
                 pacer: Pacer) -> None:
        self.jobs, self.queues, self.pacer = jobs, queues, pacer
        self.claimed: dict[str, float] = {}
        self.results: dict[int, T] = {}
        self.failed: BaseException | None = None
        self.changed = threading.Condition()

    def poke(self) -> None:
        """A host's turn changed (a request started or ended): look again."""
        with self.changed:
            self.changed.notify_all()

    def work(self) -> None:
        while (taken := self._take()) is not None:
            host, i = taken
            try:
                self.results[i] = self.jobs[i][1]()
            except BaseException as e:  # noqa: BLE001 - kept, and raised once the other jobs have run
                self.failed = self.failed or e
            finally:
                with self.changed:
                    self.claimed.pop(host, None)  # a job that never asked (a refused URL) frees its host too
                    self.changed.notify_all()

    def _take(self) -> tuple[str, int] | None:
        """The next job of the host whose turn has come with the most jobs left; None when done."""
        with self.changed:
            while True:
                free = {h: self.pacer.free_at(h) for h, q in self.queues.items() if q}
                if not free:
                    return None
                for h, seen in list(self.claimed.items()):
                    if free.get(h, seen) != seen:  # its request started: the pacer speaks for it now
                        del self.claimed[h]
                now = self.pacer.clock()
                ready = [h for h, at in free.items() if at <= now and h not in self.claimed]
                if ready:
                    host = max(ready, key=lambda h: len(self.queues[h]))
                    self.claimed[host] = free[host]
                    return host, self.queues[host].popleft()
                soonest = min((at for h, at in free.items() if h not in self.claimed), default=float("inf"))
                self.changed.wait(None if soonest == float("inf") else soonest - now)
