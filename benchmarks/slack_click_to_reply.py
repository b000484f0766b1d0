"""From a click to the thread reply (issue 14 "Measure"), and the memory of `run` serving the app.

Usage: python benchmarks/slack_click_to_reply.py [--clicks 50] [--rounds 3] [--commitments 10000]

Part 1, in one process: the local Slack server and its Socket Mode edge, the slack-bolt app
connected over a real WebSocket, a SQLite file and the Slack tests' register (five commitments),
then the same grown to --commitments with promises due in 2030 (nothing to say about them). Each
round is one person's full path: click "Record update" on the lapsed alert, the modal opens, the
submission goes in, and the clock stops when the update's alert lands in the commitment's thread.
Prints the median and the 90th percentile, for deciding only the commitment the click touched
(as the app does) and, paired, for deciding the whole register after each click (as it did).

Part 2, real processes: `commitment-bot run` with and without SLACK_APP_TOKEN against the same
local server, paired; the peak resident memory (VmHWM) of each once its first check is done,
and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest  # noqa: E402

from bot.shell.sandbox.slack import APP_TOKEN, SlackServer  # noqa: E402
from bot.shell.sandbox.socketmode import SocketMode, click, submission  # noqa: E402
from tests.standins import REGISTER, message_for, slack_env  # noqa: E402


def grown(n: int) -> str:
    """The Slack tests' register with `n` more promises, due in 2030: each is decided, none alerts."""
    extra = "".join(f"  - {{id: quiet-{i}, title: Promise {i}, owner: Home Office, made_on: 2022-01-01, due: 2030}}\n"
                    for i in range(max(0, n - 5)))
    return REGISTER + extra


def clicks(n: int, commitments: int = 5, whole: bool = False) -> list[float]:
    from bot.shell.slackapp.desk import Courier
    from tests.test_slack_app import USER
    from tests.test_slack_app import Bot as Scene

    out: list[float] = []
    with SlackServer() as server, SocketMode(server.state) as edge, tempfile.TemporaryDirectory() as tmp:
        state = server.state
        state.add_channel("mvp-watch")
        state.add_channel("commitments")
        state.url = server.url  # type: ignore[attr-defined]
        with pytest.MonkeyPatch.context() as mp:
            os.chdir(tmp)
            if whole:  # as before: every click decided the whole register
                ask = Courier.ask
                mp.setattr(Courier, "ask", lambda self, then=None, touched=None: ask(self, then, None))
            scene = Scene(Path(tmp), state, mp, register=grown(commitments))
            from bot.shell.slackapp.serve import socket_mode

            handler = socket_mode(scene.bolt, APP_TOKEN)
            parent = message_for(state, "lapse", "lapsed")
            for i in range(n):
                started = time.perf_counter()
                before = len(state.view_calls)
                edge.ack(edge.send("interactive", click(state, "record_update", {"id": "lapse", "period": None}, USER,
                                                        "#mvp-watch", parent.ts)))
                assert state.wait_for(lambda s, b=before: len(s.view_calls) > b)
                view_id, view = list(state.views.items())[-1]
                posted = len(state.posted())
                edge.ack(edge.send("interactive", submission(view, view_id, USER,
                                                             {"note": f"Asked again ({i})", "on": "2022-09-08"})))
                assert state.wait_for(lambda s, p=posted: any(m.thread_ts == parent.ts for m in s.posted()[p:]))
                out.append(time.perf_counter() - started)
            handler.close()
    return out


def peak_memory(with_app: bool) -> int:
    from tests.test_scheduler_helpers import Bot as Running

    with SlackServer() as server, SocketMode(server.state), tempfile.TemporaryDirectory() as tmp:
        server.state.add_channel("mvp-watch")
        server.state.add_channel("commitments")
        server.state.url = server.url  # type: ignore[attr-defined]
        (Path(tmp) / "commitments.yaml").write_text(REGISTER, encoding="utf-8")
        env = slack_env(server.state, **({"SLACK_APP_TOKEN": APP_TOKEN} if with_app else {}))
        running = Running(Path(tmp), f"sqlite:///{tmp}/bot.db", tick=None, env=env)
        try:
            running.wait_for(lambda: bool(running.checks()), timeout=60, what="the first check")
            status = Path(f"/proc/{running.proc.pid}/status").read_text()
            return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        finally:
            running.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clicks", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--commitments", type=int, default=10_000)
    parser.add_argument("--no-memory", action="store_true", help="skip part 2")
    args = parser.parse_args()
    for size in (5, args.commitments):
        for whole in (False, True):
            times = sorted(clicks(args.clicks, size, whole))
            how = "the whole register" if whole else "the commitment touched"
            print(f"{size} commitments, deciding {how}: click → thread reply over Socket Mode, {len(times)} clicks: "
                  f"median {statistics.median(times) * 1000:.0f} ms, p90 {times[int(len(times) * 0.9) - 1] * 1000:.0f} ms, "
                  f"max {times[-1] * 1000:.0f} ms", flush=True)
    if args.no_memory:
        return
    pairs = [(peak_memory(False), peak_memory(True)) for _ in range(args.rounds)]
    for without, with_app in pairs:
        print(f"run peak RSS: without the app {without / 1024:.1f} MiB, serving the app {with_app / 1024:.1f} MiB "
              f"(ratio {with_app / without:.2f})")
    print(f"median paired ratio: {statistics.median(w / o for o, w in pairs):.2f}")


if __name__ == "__main__":
    main()
