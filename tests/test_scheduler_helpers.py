"""Running real `commitment-bot run` processes in tests: start, read their output, stop.

Nothing here sleeps for timing: every wait is for a condition (a line printed, an exit), with a
deadline so a broken build fails fast instead of hanging.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).with_name("commitment-bot")
HEADER = re.compile(r"^\[(?:LAPSED|DUE SOON|GONE SILENT|SLIPPED|CLOSED)\] .* \(([a-z0-9-]+)(?:, [^)]*)?\)$")
NOW = "2022-09-20T10:00"
SCHEDULER_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")


def lapsed_register(n: int, start: int = 0) -> str:
    """`n` commitments, each lapsed (first alert due) at NOW: one console alert each."""
    out = ["version: 1\ntimezone: Europe/London\nroutes:\n  - slack: [\"#commitments\"]\ncommitments:\n"]
    for i in range(start, start + n):
        out.append(f"  - id: c-{i}\n    title: Promise {i}\n    owner: Home Office\n    made_on: 2022-01-10\n"
                   f"    due: 2022-03-31\n    source: {{title: Letter {i}}}\n")
    return "".join(out)


def spread_register(n: int, channels: int) -> str:
    """`n` lapsed commitments over `channels` Slack channels: at most 5 each, so no summaries."""
    out = ["version: 1\ntimezone: Europe/London\ncommitments:\n"]
    for i in range(n):
        out.append(f"  - id: c-{i}\n    title: Promise {i}\n    owner: Home Office\n    made_on: 2022-01-10\n"
                   f"    due: 2022-03-31\n    source: {{title: Letter {i}}}\n"
                   f"    notify: {{slack: [\"#w-{i % channels}\"]}}\n")
    return "".join(out)


def slack_env(url: str, token: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": token, "SLACK_API_URL": url, "SLACK_MIN_INTERVAL_SECONDS": "0"}


def posted_commitments(state: object) -> list[str]:
    """The commitment of every message the local Slack server accepted (from its metadata)."""
    return [((m.metadata or {}).get("event_payload") or {}).get("commitment", "")
            for m in state.posted()]  # type: ignore[attr-defined]


class Bot:
    """One `commitment-bot run` subprocess with its stdout (alerts) and stderr (logs) collected."""

    def __init__(self, cwd: Path, database: str, *args: str, tick: float | None = 0.3,
                 env: dict[str, str] | None = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if k in SCHEDULER_ENV}
        full_env.update({"PYTHONUNBUFFERED": "1"}, **(env or {}))
        if tick:
            full_env["COMMITMENT_BOT_TEST_INTERVAL"] = str(tick)
        self.proc = subprocess.Popen(
            [str(BIN), "run", "--database", database, "--now", NOW, *args], cwd=cwd, env=full_env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = threading.Condition()
        self.readers = [threading.Thread(target=self._read, args=(s, lines), daemon=True)
                        for s, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self.readers:
            t.start()

    def _read(self, stream: object, lines: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self.changed:
                lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition():
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not any(t.is_alive() for t in self.readers)
                                 and not condition()):
                    raise AssertionError(f"timed out waiting for {what}; stderr:\n" + "\n".join(self.err[-30:]))
                self.changed.wait(min(left, 0.2))

    def alerts(self) -> list[str]:
        with self.changed:
            return [m.group(1) for line in self.out if (m := HEADER.match(line))]

    def checks(self) -> list[str]:
        with self.changed:
            return [line for line in self.err if " check checked=" in line]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        for t in self.readers:
            t.join(timeout)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for t in self.readers:
            t.join(10)


def duplicates(*bots: Bot) -> dict[str, int]:
    counts = Counter(a for b in bots for a in b.alerts())
    return {k: v for k, v in counts.items() if v > 1}
