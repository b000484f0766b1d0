"""Reading what Slack sent (who acted, where, what a modal's fields hold) and answering the one
person who acted. Every listener reads payloads through these, so a field that is missing, or not
what Slack would send, reads as empty instead of raising inside a listener.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any


def where(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """Who clicked, in which channel, and the thread of the message they clicked in."""
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return body["user"]["id"], str(channel or ""), message.get("thread_ts") or message.get("ts")


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """What the bot put in a modal's `private_metadata` when it opened it: the commitment, the
    period, its text hash then, and the channel and thread of the alert it was opened from."""
    return dict(json.loads(view["private_metadata"]))


def tell(client: Any, channel: str | None, user: str, text: str) -> None:
    """Answer only `user`: in the channel they acted in, else in their direct messages. `text` is
    mrkdwn the bot wrote (anything quoted in it already escaped), so it is cut, not escaped again."""
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=text[:2900])
    else:
        client.chat_postMessage(channel=user, text=text[:2900])


def text_of(values: dict[str, Any], block: str) -> str | None:
    value = ((values.get(block) or {}).get(block) or {}).get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def date_of(values: dict[str, Any], block: str) -> date | None:
    value = ((values.get(block) or {}).get(block) or {}).get("selected_date")
    try:
        return date.fromisoformat(value) if value else None
    except (ValueError, TypeError):  # not a date, or not even text: as if none was picked
        return None


def selected_of(values: dict[str, Any], block: str) -> str | None:
    option = ((values.get(block) or {}).get(block) or {}).get("selected_option")
    return str(option.get("value")) if isinstance(option, dict) and option.get("value") else None
