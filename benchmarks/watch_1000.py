"""A watch pass over 1,000 watched commitments against the local GOV.UK / Parliament server.

Each commitment watches a GOV.UK search, Parliament (written questions and statements) and one
page; the pages live on 50 sites. Three API hosts' worth of requests plus the pages go through
the one HTTP client, which allows one request per host per interval. Names are resolved to the
local server (127.0.0.1), so pacing is per real hostname, as in production.

Printed: requests made (per host), wall time at the interval used, the floor that interval sets
(the busiest host's requests × interval) and the floor at the production interval of 1 s, leads
stored, and peak memory (max RSS; with --trace-memory also the traced peak, but tracing slows
every allocation, so the walls are then not comparable with the pacing floor, which has no
such cost: leave it off for times). Two passes: the first finds everything, the second is answered 304 for
the APIs and the unchanged pages, and stores nothing.

Then the grouped case (issue 22, item 18): a register sorted by department, 200 watched pages on
10 hosts, twenty in a row on each, at 0.1 s per host. The floor is 20 × 0.1 = 2.0 s; asked one
host after another (one lane, as before) a pass takes about 200 × 0.1 s. Both are run, paired,
and printed as multiples of the floor (target: side by side within 1.2×).

Run: .venv/bin/python benchmarks/watch_1000.py [--commitments 1000] [--interval 0.002]
     [--grouped-pages 200 --grouped-hosts 10 --grouped-interval 0.1] [--only-grouped] [--trace-memory]
     (the interval also comes from COMMITMENT_BOT_HTTP_INTERVAL)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.shell.http import Client, HttpSettings  # noqa: E402
from bot.shell.registerfile import load_texts  # noqa: E402
from bot.shell.sandbox.ukapis import Reply, Seen, UkApis  # noqa: E402
from bot.shell.settings import Settings  # noqa: E402
from bot.shell.watch import run_watch  # noqa: E402
from storage.db import connect  # noqa: E402
from storage.repository import Store  # noqa: E402
from tests.ukbodies import govuk_search, html, written_questions, written_statements  # noqa: E402

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=ZoneInfo("Europe/London"))
SITES = 50


def register_text(n: int, port: int) -> str:
    lines = ["version: 1", "routes:", "  - slack: ['#commitments']", "commitments:"]
    for i in range(n):
        lines += [f"  - id: c{i}", f"    title: Commitment {i}", "    owner: Home Office", "    made_on: 2026-01-10",
                  "    due: 2027", "    watch:", f"      govuk: {{query: topic {i}, organisations: [home-office]}}",
                  f"      parliament: {{query: topic {i}}}",
                  f"      pages: ['http://site{i % SITES}.test:{port}/page/{i}']",
                  "    updates:", "      - {date: 2026-06-01, note: Last news.}"]
    return "\n".join(lines) + "\n"


def routes(apis: UkApis) -> None:
    def search(seen: Seen) -> Reply:
        q = seen.query["q"][0].replace(" ", "-")
        return Reply(200, govuk_search(f"/government/publications/{q}", f"New on {q}", "2026-11-20T09:30:00Z"), etag=True)

    def questions(seen: Seen) -> Reply:
        return Reply(200, written_questions("2026-11-25T00:00:00", seen.query["searchTerm"][0]), etag=True)

    def statements(seen: Seen) -> Reply:
        uin = "HCWS" + seen.query["searchTerm"][0].split()[-1]
        return Reply(200, written_statements("2026-11-26T00:00:00", "Statement", uin), etag=True)

    apis.routes["/api/search.json"] = search
    apis.routes["/api/writtenquestions/questions"] = questions
    apis.routes["/api/writtenstatements/statements"] = statements
    apis.routes.update({f"/page/{i}": Reply(200, html(f"Page {i}", "Unchanged text."), etag=True) for i in range(10_000)})


def grouped_text(pages: int, hosts: int, port: int) -> str:
    """`pages` watched pages, each its own commitment, sorted by host: pages // hosts in a row on each."""
    per = pages // hosts
    lines = ["version: 1", "commitments:"]
    for i in range(pages):
        lines += [f"  - {{id: g{i}, title: Grouped {i}, owner: Dept {i // per}, made_on: 2026-01-10, due: 2027, "
                  f"watch: {{pages: ['http://dept{i // per}.test:{port}/page/{i}']}}}}"]
    return "\n".join(lines) + "\n"


def grouped(apis: UkApis, args: argparse.Namespace) -> None:
    port = apis.url.rsplit(":", 1)[1]
    loaded = load_texts([("g.yaml", grouped_text(args.grouped_pages, args.grouped_hosts, int(port)))])
    assert loaded.register is not None, loaded.problems[:3]
    hosts = frozenset(f"dept{i}.test" for i in range(args.grouped_hosts))
    http = HttpSettings(user_agent="commitment-bot/bench", interval=args.grouped_interval, allow_private=hosts)
    floor = (args.grouped_pages // args.grouped_hosts) * args.grouped_interval
    walls = {}
    for name, lanes in (("one host after another", 1), ("hosts side by side", http.hosts_at_once)):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(connect(f"sqlite:///{tmp}/grouped.db"))
            store.register.sync(loaded.register, "bench", NOW)
            started = time.perf_counter()
            with Client(replace(http, hosts_at_once=lanes), resolver=lambda host, p: ["127.0.0.1"]) as client:
                report = run_watch(store, loaded.register, Settings(env={}), NOW, client=client)
            walls[name] = time.perf_counter() - started
        print(f"grouped, {name}: {report.requests} requests on {args.grouped_hosts} hosts at {args.grouped_interval} s "
              f"per host, {report.asked - report.answered} unanswered: wall {walls[name]:.2f} s, floor {floor:.2f} s "
              f"({walls[name] / floor:.2f}× the floor)")
    print(f"grouped: side by side is {walls['one host after another'] / walls['hosts side by side']:.1f}× faster "
          f"than one host after another")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commitments", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=float(os.environ.get("COMMITMENT_BOT_HTTP_INTERVAL") or 0.002))
    parser.add_argument("--grouped-pages", type=int, default=200)
    parser.add_argument("--grouped-hosts", type=int, default=10)
    parser.add_argument("--grouped-interval", type=float, default=0.1)
    parser.add_argument("--only-grouped", action="store_true", help="Run only the grouped-by-host case.")
    parser.add_argument("--trace-memory", action="store_true", help="Also trace Python allocations (slows the passes).")
    args = parser.parse_args()
    with UkApis() as apis, tempfile.TemporaryDirectory() as tmp:
        routes(apis)
        apis.server.socket.listen(256)  # a real site's backlog: the stand-in's 5 drops connections opened at once (1 s SYN retry)
        if args.only_grouped:
            grouped(apis, args)
            return
        port = apis.url.rsplit(":", 1)[1]
        hosts = {"govuk.test", "parliament.test", *(f"site{i}.test" for i in range(SITES))}
        env = {"GOVUK_API_URL": f"http://govuk.test:{port}", "PARLIAMENT_QUESTIONS_API_URL": f"http://parliament.test:{port}"}
        loaded = load_texts([("c.yaml", register_text(args.commitments, int(port)))])
        assert loaded.register is not None, loaded.problems[:3]
        store = Store(connect(f"sqlite:///{tmp}/bench.db"))
        store.register.sync(loaded.register, "bench", NOW)
        http = HttpSettings(user_agent="commitment-bot/bench", interval=args.interval, allow_private=frozenset(hosts))
        if args.trace_memory:
            tracemalloc.start()
        for name in ("first pass", "second pass"):
            before = len(apis.seen)
            started = time.perf_counter()
            with Client(http, resolver=lambda host, p: ["127.0.0.1"]) as client:
                report = run_watch(store, loaded.register, Settings(env=env), NOW, client=client)
            wall = time.perf_counter() - started
            per_host = Counter(s.headers["host"].split(":")[0] for s in apis.seen[before:])
            busiest = max(per_host.values())
            print(f"{name}: {report.watched} watched commitments, {report.requests} requests "
                  f"({', '.join(f'{h}: {c}' for h, c in per_host.most_common(3))}, ...; {len(per_host)} hosts), "
                  f"{len(report.leads)} leads stored, {len(report.problems)} problems")
            print(f"  wall {wall:.1f} s at {args.interval} s per host; floor at that interval {busiest * args.interval:.1f} s; "
                  f"floor at 1 s per host {busiest:.0f} s ({busiest / 60:.1f} min)")
        traced = f"peak traced memory {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB; " if args.trace_memory else ""
        print(f"{traced}max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")
        tracemalloc.stop()
        grouped(apis, args)


if __name__ == "__main__":
    main()
