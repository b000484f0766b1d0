"""Each Slack message carries its notification's identity in its metadata, so a post that got
no answer can be looked for exactly (SPEC §6.5). Here: how an identity is carried, and how the
bot's own messages found in a channel are matched back to notifications."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from notifiers.base import Delivery

EVENT_TYPE = "commitment_bot_alert"
TAG_MAX = 120  # an identity longer than this is carried shortened, with a hash of the whole


def tag(ident: str) -> str:
    """The identity as a message carries it: whole, or cut with a hash so it stays exact and small."""
    if len(ident) <= TAG_MAX:
        return ident
    return f"{ident[:TAG_MAX - 34]}#{hashlib.sha256(ident.encode()).hexdigest()[:32]}"


def digest(tags: Iterable[str]) -> str:
    """A summary's identity: the hash of its notifications' identities, sorted."""
    return hashlib.sha256("\n".join(sorted(tags)).encode()).hexdigest()[:32]


def ident_of(item: Delivery) -> str:
    """The shell passes the notification's identity; a row id stands in only if it did not."""
    return tag(item.ident or f"row:{item.id}")


@dataclass(frozen=True)
class Seen:
    """What the bot's own messages in a channel say they carry, since a given time."""

    channel_id: str
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # identity → the message
    summaries: dict[str, str] = field(default_factory=dict)  # a summary's digest → its ts


def carried_by(m: Mapping[str, Any]) -> dict[str, Any]:
    """The bot's own metadata on a message, or {} for anyone else's."""
    meta = m.get("metadata") or {}
    if meta.get("event_type") != EVENT_TYPE:
        return {}
    payload = meta.get("event_payload")
    return payload if isinstance(payload, dict) else {}


def note(seen: Seen, m: dict[str, Any]) -> None:
    carried = carried_by(m)
    for ident in [carried.get("ident")] + str(carried.get("idents") or "").split("\n"):
        if ident:
            seen.messages.setdefault(str(ident), m)
    if carried.get("kind") == "summary" and carried.get("digest"):
        seen.summaries.setdefault(str(carried["digest"]), str(m.get("ts")))


def summaries_among(rows: list[Delivery], seen: Seen) -> list[tuple[str, list[Delivery]]]:
    """Which unsure rows a found summary covered. Its digest names the whole set, so try the
    sets those rows can have formed: each post's rows share their `unsure_since` (the shell
    keeps the earliest, so a set may also be everything unsure up to a time), or all of them."""
    if not seen.summaries:
        return []
    times = sorted({r.unsure_since for r in rows if r.unsure_since})
    sets = [[r for r in rows if r.unsure_since == t] for t in times]
    sets += [[r for r in rows if r.unsure_since and r.unsure_since <= t] for t in times]
    out: list[tuple[str, list[Delivery]]] = []
    taken: set[int] = set()
    for group in sets:
        ts = seen.summaries.get(digest(ident_of(r) for r in group))
        if ts is not None and not taken & {r.id for r in group}:
            out.append((ts, group))
            taken |= {r.id for r in group}
    return out
