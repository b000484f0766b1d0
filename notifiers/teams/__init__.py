"""The Microsoft Teams channel (SPEC §7.8): Adaptive Cards (cards.py) posted to each NAME's Teams
Workflows webhook (webhook.py, notifier.py), whose URL is TEAMS_WEBHOOK_NAME (setup.py), and its
target syntax (targets.py). `CHANNEL` is its line in notifiers' registry; its `test` hook is
`commitment-bot teams test NAME`."""

from __future__ import annotations

from typing import Any, TextIO

from notifiers.base import Channel, Checked, Notifier, Threads
from notifiers.teams.setup import configured, setting
from notifiers.teams.targets import check_target


def _build(settings: Any, stream: TextIO, threads: Threads) -> Notifier | None:
    from notifiers.teams.notifier import build

    return build(settings)


def _test(settings: Any, name: str) -> Checked:
    from notifiers.teams.notifier import check

    return check(settings, name)


CHANNEL = Channel("teams", check_target, configured, _build, "advocacy", test=_test,
                  messages=("Teams message", "Teams messages"), setting=setting)
