"""Every kind of notification and how each channel names it: the one registry they all read.

A channel that meets a kind missing here fails loudly (`kind()` raises), and a test renders
every kind in every channel, so a new kind cannot go out as a bare `KIND.upper()`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # as decided by bot.decide.engine and stored with the notification
    headline: str  # "Lapsed": the console and mail subjects show it in capitals
    icon: str  # for chat channels
    sentence: str  # what it means, for people who have not met the word before
    section: str  # the digest section that reports the same news


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("heads-up", "Due soon", "⏳", "the deadline is near and nothing says it will be met", "due-soon"),
    Kind("lapsed", "Lapsed", "🔴", "the deadline passed with no update since, or none for a long time", "lapsed"),
    Kind("silent", "Gone silent", "📭", "an open-ended promise with no news for a long time", "silent"),
    Kind("slipped", "Slipped", "↪️", "the government moved the deadline later, or withdrew it", "slipped"),
    Kind("closed", "Closed", "✅", "delivered, partly delivered, dropped or superseded", "delivered"),
    Kind("news", "News", "📰", "someone recorded news about the promise: its deadline and status stand", "news"),
    Kind("reopened", "Reopened", "🔁", "a promise marked delivered, dropped or superseded is open again", "reopened"),
    # Decided by `commitment-bot watch`, not by the engine: a hit that may be news, until a person confirms it.
    Kind("lead", "Lead", "🔎", "the bot found something that may be news: a person confirms or dismisses it", "leads"),
)}


def kind(name: str) -> Kind:
    """The registry entry for `name`; a KeyError names the kind a channel was not taught."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"notification kind {name!r} is not in bot.decide.kinds.KINDS: add it there") from None
