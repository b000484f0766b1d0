"""Slack's target syntax, pure so validating a register never imports slack_sdk."""

from __future__ import annotations

import json
import re

CHANNEL = re.compile(r"^(#[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,})$")


def check_target(channel: str) -> str | None:
    """Why `channel` is not a Slack channel as the register writes one, or None."""
    if CHANNEL.fullmatch(channel):
        return None
    shown = json.dumps(channel, ensure_ascii=False)
    return f'slack channel {shown} must be "#name" (lower case) or a channel id like "C0123ABC"'
