"""`run` delivers as fast as `check` (issue 11 item 10): the same alerts, the same slow Slack.

Usage: python benchmarks/run_vs_check.py [--alerts 300] [--channels 60] [--latency 1.0]

A local Slack server answers every chat.postMessage after `--latency` seconds (it posts first,
then waits: a slow Slack, not a failing one). The register has N commitments lapsed at --now,
spread over the channels (at most 5 each, so no summaries). Each mode starts from a fresh
SQLite file: `check` is timed from launch to exit; `run` (no test interval: its catch-up check
at start) from launch until the server holds every message. Both are real processes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.shell.sandbox.slack import TOKEN, Fault, SlackServer  # noqa: E402
from tests.test_scheduler_helpers import NOW, Bot, slack_env, spread_register  # noqa: E402

BIN = Path(sys.executable).with_name("commitment-bot")


def scene(server: SlackServer, folder: Path, alerts: int, channels: int, latency: float) -> None:
    (folder / "commitments.yaml").write_text(spread_register(alerts, channels), encoding="utf-8")
    for i in range(channels):
        server.state.add_channel(f"w-{i}")
    server.state.fail(Fault(delay=latency, times=10**9))


def time_check(args: argparse.Namespace) -> float:
    with SlackServer() as server, tempfile.TemporaryDirectory() as tmp:
        scene(server, Path(tmp), args.alerts, args.channels, args.latency)
        env = {**os.environ, **slack_env(server.url, TOKEN)}
        started = time.monotonic()
        subprocess.run([str(BIN), "check", "--now", NOW, "--database", f"sqlite:///{tmp}/bot.db"], cwd=tmp, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=600)
        elapsed = time.monotonic() - started
        assert len(server.state.posted()) == args.alerts
        return elapsed


def time_run(args: argparse.Namespace) -> float:
    with SlackServer() as server, tempfile.TemporaryDirectory() as tmp:
        scene(server, Path(tmp), args.alerts, args.channels, args.latency)
        started = time.monotonic()
        bot = Bot(Path(tmp), f"sqlite:///{tmp}/bot.db", tick=None, env=slack_env(server.url, TOKEN))
        try:
            done = server.state.wait_for(lambda s: len(s.posted()) >= args.alerts, timeout=600)
            elapsed = time.monotonic() - started
        finally:
            bot.stop()
        assert done, "run did not deliver every alert"
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=300)
    parser.add_argument("--channels", type=int, default=60)
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args()
    check, run = time_check(args), time_run(args)
    floor = args.latency * -(-args.alerts // args.channels)
    print(f"{args.alerts} alerts over {args.channels} channels, Slack answering in {args.latency:g} s")
    print(f"check: {check:.1f} s   run: {run:.1f} s   run/check: {run / check:.2f}x   "
          f"(floor: {floor:.0f} s, {-(-args.alerts // args.channels)} messages per channel one after another)")


if __name__ == "__main__":
    main()
