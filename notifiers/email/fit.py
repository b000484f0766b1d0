"""Keeping every mail under 100 KB, whatever the register holds (issue 22, item 16).

Gmail clips a message at about 102 KB and hides the rest behind "View entire message", and
other readers choke on megabyte mails. So a mail about many commitments shows the first ones
in full, the next ones as one line each (title, state, link), and then only a count ("and 940
more: see the site"). How many of each is decided by measuring the mail itself: the bytes as
sent, in both the 8-bit and the 7-bit (base64) encodings a server may get, headers included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from notifiers.email.smtp import flatten

LIMIT = 100_000  # bytes: every mail's full size stays under this
ALL = 1 << 30  # "every one", for a level that leaves nothing out


@dataclass(frozen=True)
class Level:
    """How much of a long list one mail shows: `full` items in full, then `brief` one-liners."""

    full: int
    brief: int

    def split(self, n: int) -> tuple[int, int, int]:
        """(shown in full, shown as one line, only counted) of `n` items."""
        full = min(self.full, n)
        brief = min(self.brief, n - full)
        return full, brief, n - full - brief


# From the most said to the least; each says no more than the one before, so sizes only shrink
# down the ladder and a binary search finds the most that fits.
LADDER = tuple(Level(f, b) for f, b in (
    (ALL, 0), (50, 100), (30, 100), (20, 80), (12, 60), (8, 40), (5, 30), (3, 20), (2, 12), (1, 8), (0, 8),
    (0, 3), (0, 0)))


def size(msg: EmailMessage) -> int:
    """The bytes a server receives for `msg`: the larger of its 8-bit and 7-bit forms."""
    return max(len(flatten(msg, eight_bit=True)), len(flatten(msg, eight_bit=False)))


def fit(build: Callable[[Level], EmailMessage], limit: int = LIMIT,
        ladder: Sequence[Level] = LADDER) -> EmailMessage:
    """The mail `build` makes at the most detailed level of `ladder` that stays under `limit`;
    the last level (counts only) is taken whatever its size, so a mail always goes out."""
    whole = build(ladder[0])
    if size(whole) < limit:  # the usual case: a mail about a few commitments says everything
        return whole
    low, high = 1, len(ladder) - 1
    best = build(ladder[high])
    while low < high:
        mid = (low + high) // 2
        msg = build(ladder[mid])
        if size(msg) < limit:
            best, high = msg, mid
        else:
            low = mid + 1
    return best
