"""Shortening text for a reader: cut at a word boundary and say so with "…".

A quote cut mid-word ("we aim to implem…") puts words in a minister's mouth that are not
theirs; cut between words, the reader sees only whole words of the original, and the "…" says
that more followed. Pure: no I/O.
"""

from __future__ import annotations

ELLIPSIS = "…"
# A cut never throws away more than this share of the room: one very long word (a URL, a
# hostile "WWWW…") is cut inside the word rather than leaving almost nothing.
MOST_LOST = 0.3


def clip(text: str | None, limit: int) -> str:
    """`text` if it fits in `limit` characters; otherwise its longest run of whole words that,
    with a trailing "…", fits. Trailing punctuation and spaces before the "…" are dropped."""
    text = text or ""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    room = text[: limit - 1]
    if not text[limit - 1].isspace():  # the cut falls inside a word: go back to its start
        space = max(room.rfind(" "), room.rfind("\n"), room.rfind("\t"))
        if space >= (limit - 1) * (1 - MOST_LOST):
            room = room[:space]
    return room.rstrip(" \t\n,;:-–—") + ELLIPSIS
