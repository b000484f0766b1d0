"""Hosts side by side, each at its own pace (SPEC §6.3; issue 22, item 18).

The client allows one request per interval to one host (bot.shell.http.Pacer). Asked one after
another, a register sorted by department (twenty pages on one site, then twenty on the next)
waits out every interval in turn: the pass takes total requests × interval. Here each host gets
a lane: its jobs run one after another, in the order given, while other hosts' lanes run at the
same time, so a pass takes about the busiest host's requests × interval.

At most `workers` lanes run at once (threads; the work is waiting on the network). The hosts
with the most jobs start first, so the longest lane is never left to the end. Results come back
in the order of the jobs, whatever order they finished in: what a pass stores and prints does
not depend on which server answered first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


def host_of(url: str) -> str:
    """The lane of a URL: its host name, as the client paces it (not the port)."""
    try:
        return (urlsplit(url).hostname or url).lower()
    except ValueError:  # a malformed URL is asked (and refused) in a lane of its own
        return url


def side_by_side(jobs: Sequence[tuple[str, Callable[[], T]]], workers: int) -> list[T]:
    """Run every `(url, job)`: one host's jobs one after another, different hosts at once (at most
    `workers` of them). Returns each job's result in the order of `jobs`; an exception a job
    raises is raised here once every lane has finished."""
    lanes: dict[str, list[int]] = {}
    for i, (url, _job) in enumerate(jobs):
        lanes.setdefault(host_of(url), []).append(i)
    results: dict[int, T] = {}

    def run(lane: list[int]) -> None:
        for i in lane:
            results[i] = jobs[i][1]()

    if workers <= 1 or len(lanes) <= 1:
        run(list(range(len(jobs))))
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(lanes)), thread_name_prefix="host") as pool:
            running = [pool.submit(run, lane) for lane in sorted(lanes.values(), key=len, reverse=True)]
        for done in running:
            done.result()
    return [results[i] for i in range(len(jobs))]
