"""Two `check`s at once on one database (two cron hosts, or cron beside an operator): alerts another
live run holds are that run's to send, not this run's failure (SPEC §4 exit 3: "something could
not be delivered (it stays queued and is retried next run)").

The first check is a real process whose first Slack post the local server holds on an Event (not
a sleep) until the second check, run in-process on the same database, has finished.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections import Counter
from pathlib import Path

from bot.shell.sandbox.slack import Fault, SlackState
from tests.conftest import Cli
from tests.standins import EXPECTED, NOW, REGISTER, posted_kinds, running_slack, slack_env  # noqa: F401

REPO = Path(__file__).resolve().parent.parent


def test_alerts_another_live_check_is_sending_are_not_this_checks_failure(  # type: ignore[no-untyped-def]
        cli: Cli, write_register, slack: SlackState, database_url: str) -> None:
    path = write_register(REGISTER)
    gate = threading.Event()
    slack.fail(Fault(hold=gate))  # Slack keeps the first post and answers it when the gate opens
    env = {**slack_env(slack), "SLACK_TIMEOUT_SECONDS": "120", "SLACK_PARALLEL_CHANNELS": "0"}
    args = ("check", "--database", database_url, "--file", str(path), "--now", NOW)
    first = subprocess.Popen([str(REPO / ".venv/bin/commitment-bot"), *args], env={**os.environ, **env},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert slack.wait_for(lambda s: len(s.calls_to("chat.postMessage")) == 1, timeout=60)
        second = cli(*args, env=env)  # while the first holds its claim on the channel it is posting to
    finally:
        gate.set()
        out, err = first.communicate(timeout=120)
    assert second.exit_code == 0, second.output
    assert "being delivered by another run" in second.stderr
    assert "not delivered" not in second.stderr and "could not be delivered" not in second.output
    assert first.returncode == 0, err
    assert Counter(posted_kinds(slack)) == Counter(EXPECTED)  # each once, by one run or the other
