"""The channels, one package (or module) each; `CHANNELS` is the one line a new channel adds.

A channel owns its settings check, its target syntax, its rendering and its transport
(`notifiers.base.Channel`). The console needs no settings and has no targets of its own: it is
where alerts go when nothing else is configured.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from notifiers import email, slack, teams
from notifiers.base import Channel, Delivery, Notifier, Outcome, Threads

__all__ = ["CHANNELS", "Channel", "Delivery", "Notifier", "Outcome", "build", "configured", "needs", "setting",
           "target_rules", "threads"]

CHANNELS: dict[str, Channel] = {c.name: c for c in (slack.CHANNEL, email.CHANNEL, teams.CHANNEL)}


def target_rules() -> Mapping[str, Callable[[str], str | None]]:
    """Each routable channel's target check, for the register loader (the register key is the name),
    with the channel's `longest`: an address the database cannot keep whole is refused at its line."""
    return {name: _capped(c) for name, c in CHANNELS.items()}


def _capped(channel: Channel) -> Callable[[str], str | None]:
    def check(address: str) -> str | None:
        if (problem := channel.check_target(address)) is not None or len(address) <= channel.longest:
            return problem
        shown = json.dumps(address[:59] + "…", ensure_ascii=False)
        return f"{channel.name} target {shown} is {len(address):,} characters: at most {channel.longest}"

    return check


def configured(settings: Any) -> set[str]:
    """The channels that have what they need in the settings (the console always has)."""
    return {"console"} | {name for name, c in CHANNELS.items() if c.configured(settings)}


def build(settings: Any, stream: TextIO, anchors: Any) -> dict[str, Notifier]:
    """A notifier per configured channel; `anchors` says where the bot's threads are (storage's)."""
    from notifiers.console import ConsoleNotifier

    out: dict[str, Notifier] = {"console": ConsoleNotifier(stream)}
    known = threads(settings, anchors)
    for name in configured(settings) - {"console"}:
        notifier = CHANNELS[name].build(settings, stream, known)
        if notifier is not None:
            out[name] = notifier
    return out


def threads(settings: Any, anchors: Any) -> Threads:
    """The bot's threads for the channels: where they are (`anchors`, storage's) and how to link one,
    from the first configured channel that can (Slack's permalinks), so no channel imports another."""
    if anchors is None:
        return Threads()
    on = configured(settings)
    makers = (c.links(settings) for name, c in CHANNELS.items() if c.links is not None and name in on)
    return Threads(anchors, next((m for m in makers if m is not None), None))


def needs(target: str) -> str:
    """What a person does so a held target is served: "configure slack", or "set" the address's own setting."""
    own = setting(target)
    return f"set {own}" if own else f"configure {target.partition(':')[0]}"


def setting(target: str) -> str | None:
    """The setting a target needs of its own (the variable holding a name's webhook URL), or None."""
    name, _, address = target.partition(":")
    channel = CHANNELS.get(name)
    return channel.setting(address) if channel is not None and channel.setting is not None else None
