"""Slack delivery under load: 1,000 due alerts over 50 channels through a hostile local Slack.

The local server (bot/shell/sandbox/slack.py) enforces Slack's 1 message/s/channel with 429s and
injects 10% 429s (Retry-After: 1) and 5% 5xx on top. Rows are stored, claimed and recorded by
the real shell (`bot.shell.delivery.deliver`): each channel is drained by its own thread.

By default every alert is its own message (grouping off), which is what the rate limit
bounds; `--grouped` runs the product's behaviour (beyond 5 per channel, one summary and the
full alerts in its thread: 4 messages a channel at the defaults, so the bound is 3 s).

    .venv/bin/python benchmarks/slack_delivery.py [--alerts 1000] [--channels 50] [--grouped]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from slack_sdk import WebClient  # noqa: E402

from bot.decide.engine import decide  # noqa: E402
from bot.register.routing import deliverable  # noqa: E402
from bot.shell.delivery import deliver  # noqa: E402
from bot.shell.registerfile import load_texts as load  # noqa: E402
from bot.shell.sandbox.slack import TOKEN, Noise, SlackServer  # noqa: E402
from notifiers.slack.notifier import Patience, SlackNotifier  # noqa: E402
from storage.db import connect  # noqa: E402
from storage.repository import Store  # noqa: E402

NOW = datetime(2022, 9, 9, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def register_text(alerts: int, channels: int) -> str:
    items = "".join(
        f"\n  - id: promise-{i:04d}\n    title: Promise {i}\n    owner: Home Office\n    made_on: 2022-01-01\n"
        f"    due: 2022-08-{1 + i % 28:02d}\n    notify: {{slack: [\"#bench-{i % channels:02d}\"]}}\n"
        for i in range(alerts))
    return f"version: 1\ntimezone: Europe/London\ndefaults: {{grace: 0 days}}\ncommitments:{items}"


def queue(store: Store, alerts: int, channels: int) -> int:
    loaded = load([("bench.yaml", register_text(alerts, channels))])
    assert loaded.register is not None, loaded.problems[:3]
    store.register.sync(loaded.register, "bench", NOW)
    decisions = decide(loaded.register, {}, [], NOW, store.register.first_seen())
    return store.notifications.record([(d, deliverable(d.routed, {"slack"})) for d in decisions], NOW)


def deliver_concurrently(store: Store, notifier: SlackNotifier) -> tuple[int, int, int]:
    """The product's own delivery step: channels in parallel, because the notifier allows it."""
    report = deliver(store, {"slack": notifier}, "bench", NOW)
    return report.sent, report.queued, report.failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--grouped", action="store_true", help="group beyond 5 per channel, as the product does")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, SlackServer() as server:
        state = server.state
        for c in range(args.channels):
            state.add_channel(f"bench-{c:02d}")
        store = Store(connect(f"sqlite:///{tmp}/bench.db"))
        rows = queue(store, args.alerts, args.channels)
        state.rate_per_channel = 1.0
        state.noise = Noise(p429=0.10, p5xx=0.05, retry_after=1)
        client = WebClient(token=TOKEN, base_url=server.url, timeout=10, retry_handlers=[])
        policy = Patience(budget=120, group_above=5 if args.grouped else 10**9)
        notifier = SlackNotifier(client, store.threads, policy)
        started = time.monotonic()
        sent, queued, failed = deliver_concurrently(store, notifier)
        wall = time.monotonic() - started
        report(state, rows, args, wall, sent, queued, failed)


def report(state, rows: int, args: argparse.Namespace, wall: float, sent: int, queued: int, failed: int) -> None:  # type: ignore[no-untyped-def]
    payloads = [m.metadata["event_payload"] for m in state.posted()]
    keys = Counter(p.get("ident") or p.get("idents") or p.get("digest") for p in payloads)
    covered = Counter(i for p in payloads
                      for i in ([p["ident"]] if p.get("ident") else (p.get("idents") or "").split("\n")) if i)
    messages = len(state.posted())
    per_channel = max(Counter(m.channel for m in state.posted()).values(), default=0)
    bound = max(per_channel - 1, 0) / (state.rate_per_channel or 1.0)
    calls = Counter(c.status for c in state.calls_to("chat.postMessage"))
    print(f"alerts queued:      {rows} over {args.channels} channels ({'grouped' if args.grouped else 'one message each'})")
    print(f"messages posted:    {messages} (max {per_channel} per channel)")
    print(f"delivered:          {len(covered)} alerts (recorded sent {sent}, queued {queued}, failed {failed})")
    print(f"duplicates:         {sum(n - 1 for n in keys.values())} messages, {sum(n - 1 for n in covered.values())} alerts")
    print(f"lost:               {rows - len(covered)}")
    print(f"postMessage calls:  {sum(calls.values())} ({calls.get(200, 0)} ok, {calls.get(429, 0)} × 429, "
          f"{sum(n for s, n in calls.items() if s >= 500)} × 5xx)")
    print(f"wall time:          {wall:.1f} s")
    print(f"lower bound:        {bound:.1f} s ({per_channel} messages per channel at 1/s, the first at 0 s; "
          f"{per_channel:.0f} s counting the last second)")
    if bound:
        print(f"ratio:              {wall / bound:.2f}× the {bound:.0f} s bound, {wall / per_channel:.2f}× the "
              f"{per_channel} s one (target ≤ 1.5×)")
    # What the injected faults alone cost: each 429 must be waited out for its Retry-After, so on
    # the unluckiest channel no client can finish sooner than its posts plus its 429s.
    calls = state.calls_to("chat.postMessage")
    busiest = Counter(c.params.get("channel") for c in calls if c.status == 200)
    refused = Counter(c.params.get("channel") for c in calls if c.status == 429)
    floor = max((busiest[ch] - 1) / (state.rate_per_channel or 1.0) + refused[ch] * state.noise.retry_after
                for ch in busiest)
    print(f"with the 429s:      no client honouring Retry-After can finish before {floor:.1f} s "
          f"(the unluckiest channel's posts and 429s); wall time is {wall / floor:.2f}× that")


if __name__ == "__main__":
    main()
