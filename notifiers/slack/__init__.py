"""The Slack channel: one thread per commitment per channel (notifier.py), Block Kit messages
(blocks.py), and its target syntax (targets.py). `CHANNEL` is its line in notifiers' registry."""

from __future__ import annotations

from typing import Any, TextIO

from notifiers.base import Channel, Notifier
from notifiers.slack.targets import check_target


def _configured(settings: Any) -> bool:
    return bool(getattr(settings, "slack_bot_token", None))


def _build(settings: Any, stream: TextIO, anchors: Any) -> Notifier | None:
    from notifiers.slack.notifier import build

    return build(settings, anchors)


CHANNEL = Channel("slack", check_target, _configured, _build, '"#mvp-watch"',
                  messages=("Slack message", "Slack messages"))
