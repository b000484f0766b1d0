"""`run` delivers as fast as `check` (issue 11 item 10): the same alerts, the same slow Slack.

Usage: python benchmarks/run_vs_check.py [--alerts 300] [--channels 60] [--latency 1.0] [--rounds 3]

A local Slack server answers every chat.postMessage after `--latency` seconds (it posts first,
then waits: a slow Slack, not a failing one). The register has N commitments lapsed at --now,
spread over the channels (at most 5 each, so no summaries). Each mode starts from a fresh
SQLite file, as a real process with the same environment and its output thrown away.

Both sides are timed alike (issue 26 item 10): from just before the process is launched to the
moment the local Slack server stored the last of the N messages (its `ts`, taken by the server
when the post lands), which is when a reader sees the last alert. Process exit is not the end
event: `run` does not exit, and `check` still waits out the last answer's latency after the post
landed. `check`'s time to exit is printed beside it for reference. The modes alternate which
goes first; an uncounted warm-up pair comes first (the first process of a session pays for a
cold disk cache); each round prints run/check, then the median and the min–max of those ratios.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.shell.sandbox.slack import TOKEN, Fault, SlackServer  # noqa: E402
from tests.test_scheduler_helpers import NOW, SCHEDULER_ENV, slack_env, spread_register  # noqa: E402

BIN = Path(sys.executable).with_name("commitment-bot")


def scene(server: SlackServer, folder: Path, alerts: int, channels: int, latency: float) -> None:
    (folder / "commitments.yaml").write_text(spread_register(alerts, channels), encoding="utf-8")
    for i in range(channels):
        server.state.add_channel(f"w-{i}")
    server.state.fail(Fault(delay=latency, times=10**9))


def timed(mode: str, args: argparse.Namespace) -> tuple[float, float | None]:
    """(launch → last post landed, launch → exit or None for `run`) of one fresh `mode` process."""
    with SlackServer() as server, tempfile.TemporaryDirectory() as tmp:
        scene(server, Path(tmp), args.alerts, args.channels, args.latency)
        env = {k: v for k, v in os.environ.items() if k in SCHEDULER_ENV} | slack_env(server.url, TOKEN)
        started = time.time()  # the server stamps each post with time.time() too
        proc = subprocess.Popen([str(BIN), mode, "--now", NOW, "--database", f"sqlite:///{tmp}/bot.db"], cwd=tmp,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            done = server.state.wait_for(lambda s: len(s.posted()) >= args.alerts, timeout=600)
            exited = None
            if mode == "check":
                proc.wait(600)
                exited = time.time() - started
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            proc.wait(60)
        posted = server.state.posted()
        assert done and len(posted) == args.alerts, f"{mode} delivered {len(posted)} of {args.alerts}"
        return max(float(m.ts) for m in posted) - started, exited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=300)
    parser.add_argument("--channels", type=int, default=60)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    per_channel = -(-args.alerts // args.channels)
    print(f"{args.alerts} alerts over {args.channels} channels, Slack answering in {args.latency:g} s; "
          f"times are launch → last post landed (floor {args.latency * (per_channel - 1):.0f} s plus start-up: "
          f"{per_channel} messages per channel one after another)", flush=True)
    timed("check", args), timed("run", args)  # warm-up, not counted
    ratios = []
    for i in range(args.rounds):
        order = ("check", "run") if i % 2 == 0 else ("run", "check")
        got = {mode: timed(mode, args) for mode in order}
        (check, check_exit), (run, _) = got["check"], got["run"]
        ratios.append(run / check)
        print(f"round {i + 1}: check {check:.2f} s (exits at {check_exit:.2f} s)   run {run:.2f} s   "
              f"run/check {run / check:.2f}x", flush=True)
    print(f"run/check over {args.rounds} paired rounds: median {statistics.median(ratios):.2f}x, "
          f"min {min(ratios):.2f}x, max {max(ratios):.2f}x")


if __name__ == "__main__":
    main()
