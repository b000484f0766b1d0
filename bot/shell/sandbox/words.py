"""Slack's text as a person reads it in Slack, for the terminal: links by their label, mentions by
name, `&amp;` `&lt;` `&gt;` decoded, the markers of bold, italics, strike and code dropped (a code
block's text kept as it is), and every control character made visible (bot.register.inert), since
anything may post to the stand-in.
"""

from __future__ import annotations

import re

from bot.register.inert import inert
from bot.shell.sandbox import world

_LINK = re.compile(r"<(https?://[^|>\s]+)\|([^>]*)>")
_MENTION = re.compile(r"<[@#!]([^>|]+)(?:\|([^>]*))?>")
_CODE = re.compile(r"`([^`\n]+)`")
# *bold*, _italic_, ~strike~ as Slack reads them: not inside a word (snake_case, 2*3*4), not around spaces
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
WIDTH = 100  # one line of the terminal view, before "…"


def plain(text: str) -> str:
    blocks = text.split("```")  # a code block (the odd parts, when closed) keeps its every character
    text = "".join(part if i % 2 and i < len(blocks) - 1 else _unmarked(part) for i, part in enumerate(blocks))
    text = _LINK.sub(r"\2", text)
    text = _MENTION.sub(lambda m: m.group(2) or (world.USER_NAMES[0] if m.group(1) == world.USER else m.group(1)),
                        text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _unmarked(text: str) -> str:
    """Slack's emphasis markers gone, and `code` shown as its words (what is inside it kept as it is)."""
    out, at = [], 0
    for found in [*_CODE.finditer(text), None]:
        words = text[at:found.start() if found else len(text)]
        while (bare := _EMPHASIS.sub(r"\2", words)) != words:  # again, for *_nested_* markers
            words = bare
        out.append(words + (found.group(1) if found else ""))
        at = found.end() if found else len(text)
    return "".join(out)


def lines(text: str) -> list[str]:
    """Every line, made safe to print."""
    return [inert(line) for line in plain(text).strip().splitlines()]


def line(text: str, width: int = WIDTH) -> str:
    """The first line, made safe to print and cut to `width`."""
    first = inert((plain(text).strip().splitlines() or [""])[0])
    return first if len(first) <= width else first[:width - 1] + "…"
