"""The Slack channel: one thread per commitment per channel (notifier.py), Block Kit messages
(blocks.py), and its target syntax (targets.py). `CHANNEL` is its line in notifiers' registry."""

from __future__ import annotations

from typing import Any, TextIO

from notifiers.base import Channel, Notifier, Threads
from notifiers.slack.targets import check_target


def _configured(settings: Any) -> bool:
    return bool(getattr(settings, "slack_bot_token", None))


def _build(settings: Any, stream: TextIO, threads: Threads) -> Notifier | None:
    from notifiers.slack.notifier import build

    return build(settings, threads.anchors)


def _links(settings: Any) -> Any:
    """Its threads' permalinks, which a mail gives (notifiers.slack.permalinks); None without a token."""
    from notifiers.slack.permalinks import permalinks

    return permalinks(settings)


CHANNEL = Channel("slack", check_target, _configured, _build, '"#mvp-watch"', links=_links,
                  messages=("Slack message", "Slack messages"))
