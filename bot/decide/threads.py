"""Where a commitment's conversation lives in a channel: a Slack thread's parent message.

A plain value shared by the three rooms that meet over it: a channel learns it when it posts
a commitment's first message, the shell records it, storage keeps it across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Anchor:
    channel: str  # "#mvp-watch" or "C0123ABC", as the register routes it
    commitment_id: str
    ts: str  # the parent message
    channel_id: str | None  # Slack's id for the channel, when known
