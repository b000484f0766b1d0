"""Links to the bot's threads for other channels (a mail links the thread where a coordinator can
press **Record update**).

A Slack permalink is `https://WORKSPACE.slack.com/archives/CHANNEL/pTS`; only Slack knows the
workspace's part. So chat.getPermalink is asked once, for the first thread, and every other
thread is linked in the same form: a mail of sixty commitments costs one call, not sixty. Only an
https form is copied, or one on this machine (the sandbox's Slack links to its own page). A
Slack that cannot answer costs at most one call per ten minutes, and the mail goes out without
thread links (the site's page, or the command, stands in) rather than with a guessed one.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bot.decide.threads import Anchor
from notifiers.slack.answers import DEFAULT_API, Patience

RETRY_AFTER = 600.0  # seconds before asking a Slack that did not answer again
LOOPBACK = ("http://127.0.0.1:", "http://localhost:")  # a Slack on this machine (the sandbox's) links to itself


class Permalinks:
    """`permalinks(anchor)`: the thread's link, or None when Slack could not say what links look like."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.base: str | None = None
        self.failed_at: float | None = None

    def __call__(self, anchor: Anchor) -> str | None:
        if anchor.channel_id is None:
            return None
        if self.base is None and not self._ask(anchor):
            return None
        return f"{self.base}{anchor.channel_id}/p{anchor.ts.replace('.', '')}"

    def _ask(self, anchor: Anchor) -> bool:
        if self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_AFTER:
            return False
        try:
            link = str(self.client.chat_getPermalink(channel=anchor.channel_id, message_ts=anchor.ts)
                       .get("permalink") or "")
        except Exception:  # noqa: BLE001 - a link is a nicety: the mail goes out without it
            link = ""
        head, sep, _ = link.partition(f"{anchor.channel_id}/")
        if not sep or not head.startswith(("https://", *LOOPBACK)):
            self.failed_at = time.monotonic()
            return False
        self.base = head
        return True


def permalinks(settings: Any) -> Permalinks | None:
    """A link maker for the configured workspace; None without SLACK_BOT_TOKEN."""
    if not getattr(settings, "slack_bot_token", None):
        return None
    from notifiers.slack.transport import client

    policy = Patience.from_env(getattr(settings, "env", None) or os.environ)
    base = getattr(settings, "slack_api_url", None) or DEFAULT_API
    return Permalinks(client(settings.slack_bot_token, base, policy.timeout))
