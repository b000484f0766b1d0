"""Slack's text as a person reads it in Slack, for the terminal: links by their label, mentions by
name, `&amp;` `&lt;` `&gt;` decoded, code fences dropped, and every control character made visible
(bot.register.inert), since anything may post to the stand-in.
"""

from __future__ import annotations

import re

from bot.register.inert import inert
from bot.shell.sandbox import world

_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_MENTION = re.compile(r"<[@#!]([^>|]+)(?:\|([^>]*))?>")
WIDTH = 100  # one line of the terminal view, before "…"


def plain(text: str) -> str:
    text = _LINK.sub(r"\2", text.replace("```", ""))
    text = _MENTION.sub(lambda m: m.group(2) or (world.USER_NAMES[0] if m.group(1) == world.USER else m.group(1)),
                        text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def lines(text: str) -> list[str]:
    """Every line, made safe to print."""
    return [inert(line) for line in plain(text).strip().splitlines()]


def line(text: str, width: int = WIDTH) -> str:
    """The first line, made safe to print and cut to `width`."""
    first = inert((plain(text).strip().splitlines() or [""])[0])
    return first if len(first) <= width else first[:width - 1] + "…"
