"""A watch pass over 1,000 watched commitments against the local GOV.UK / Parliament server.

Each commitment watches a GOV.UK search, Parliament (written questions and statements) and one
page; the pages live on 50 sites. Three API hosts' worth of requests plus the pages go through
the one HTTP client, which allows one request per host per interval. Names are resolved to the
local server (127.0.0.1), so pacing is per real hostname, as in production.

Printed: requests made (per host), wall time at the interval used, the floor that interval sets
(the busiest host's requests × interval) and the floor at the production interval of 1 s, leads
stored, and peak memory. Two passes: the first finds everything, the second is answered 304 for
the APIs and the unchanged pages, and stores nothing.

Run: .venv/bin/python benchmarks/watch_1000.py [--commitments 1000] [--interval 0.002]
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
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.shell.http import Client, HttpSettings  # noqa: E402
from bot.shell.registerfile import load_texts  # noqa: E402
from bot.shell.settings import Settings  # noqa: E402
from bot.shell.watch import run_watch  # noqa: E402
from storage.db import connect  # noqa: E402
from storage.repository import Store  # noqa: E402
from tests.uk_api_server import Reply, Seen, UkApis, govuk_search, html, written_questions, written_statements  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commitments", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=float(os.environ.get("COMMITMENT_BOT_HTTP_INTERVAL") or 0.002))
    args = parser.parse_args()
    with UkApis() as apis, tempfile.TemporaryDirectory() as tmp:
        routes(apis)
        port = apis.url.rsplit(":", 1)[1]
        hosts = {"govuk.test", "parliament.test", *(f"site{i}.test" for i in range(SITES))}
        env = {"GOVUK_API_URL": f"http://govuk.test:{port}", "PARLIAMENT_QUESTIONS_API_URL": f"http://parliament.test:{port}"}
        loaded = load_texts([("c.yaml", register_text(args.commitments, int(port)))])
        assert loaded.register is not None, loaded.problems[:3]
        store = Store(connect(f"sqlite:///{tmp}/bench.db"))
        store.sync(loaded.register, "bench", NOW)
        http = HttpSettings(user_agent="commitment-bot/bench", interval=args.interval, allow_private=frozenset(hosts))
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
        _, peak = tracemalloc.get_traced_memory()
        print(f"peak traced memory {peak / 1e6:.1f} MB; max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")


if __name__ == "__main__":
    main()
