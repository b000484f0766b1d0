"""The stand-ins of the channels beyond Slack and mail, each by its name in the channel registry.

The sandbox starts, exports, follows and shows only those whose channel is installed
(`notifiers.CHANNELS`), through the one shape below: a copy of the bot without a channel has a
sandbox that says nothing of it. A channel's stand-in keeps everything the sandbox does with it
in its own module (teams.py: the webhook, its environment line, its lines and its page section);
this table is the one line that names it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Protocol

from bot.shell.sandbox import teams


class Running(Protocol):
    """A channel's stand-in as the sandbox runs it."""

    title: str  # as the banner and the page name it: "Microsoft Teams"
    received: threading.Condition  # notified when something arrives

    def env(self) -> dict[str, str]:
        """The settings that point the bot at it."""
        ...

    def counts(self) -> tuple[int, ...]:
        """How much has arrived: the feed prints what is new when this changes."""
        ...

    def lines(self, seen: tuple[int, ...], now: tuple[int, ...]) -> list[str]:
        """A terminal line for each thing that arrived between two counts."""
        ...

    def section(self) -> tuple[str, list[str]]:
        """Its heading on the page of channels, and each thing that arrived, as plain text."""
        ...


Start = Callable[[ExitStack, int], Running]  # (the stack that stops it, its port or 0 for a free one)

# channel name → (its port after the sandbox's PORT_BASE, how to start it)
STANDINS: dict[str, tuple[int, Start]] = {"teams": (4, teams.in_sandbox)}


def installed() -> dict[str, tuple[int, Start]]:
    """The stand-ins whose channel is in the registry."""
    import notifiers

    return {name: entry for name, entry in STANDINS.items() if name in notifiers.CHANNELS}
