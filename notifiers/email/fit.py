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
    """The bytes a server receives for `msg`, whether it takes 8-bit mail or needs 7 bits: the
    8-bit form exactly, plus what base64 adds to each part that is not plain ASCII (4 characters
    for 3 bytes, and a line break every 76: at most 37% more, counted with each line end as
    CRLF). An upper bound, so a mail under the limit here is under it on the wire; made without
    building the 7-bit form, which copies and re-encodes the whole mail."""
    eight = flatten(msg, eight_bit=True)
    if eight.isascii():
        return len(eight)
    extra = 0
    for part in msg.walk():
        body = part.get_payload()
        if isinstance(body, str) and not body.isascii():
            extra += (len(body.encode("utf-8", "surrogateescape")) + body.count("\n")) * 37 // 100 + 80
    return len(eight) + extra


def fit(render: Callable[[Level], tuple[str, str]], make: Callable[[str, str], EmailMessage],
        limit: int = LIMIT, ladder: Sequence[Level] = LADDER,
        least: Callable[[Level], int] | None = None) -> EmailMessage:
    """The mail `make` builds from the (text, HTML) `render` gives at the most detailed level of
    `ladder` that stays under `limit`; the last level (counts only) is taken whatever its size,
    so a mail always goes out. Parts already over the limit are refused before a mail is made,
    and a level is not even rendered when `least` (a lower bound on its characters, such as the
    cards it would show in full) already passes the limit."""

    def under(level: Level) -> EmailMessage | None:
        if least is not None and least(level) >= limit:
            return None
        text, html = render(level)
        if len(text.encode("utf-8", "replace")) + len(html.encode("utf-8", "replace")) >= limit:
            return None
        msg = make(text, html)
        return msg if size(msg) < limit else None

    whole = under(ladder[0])
    if whole is not None:  # the usual case: a mail about a few commitments says everything
        return whole
    # Gallop down from the most detailed: a mail a little too long fits a step or two down, so
    # most mails take one or two more renders; then a binary search between the last level that
    # did not fit and the first that did. The last level (counts only) goes out whatever it weighs.
    last = len(ladder) - 1
    fits: dict[int, EmailMessage] = {}
    low, high, probe, step = 1, last, 1, 1
    while probe < last:
        msg = under(ladder[probe])
        if msg is not None:
            fits[probe], high = msg, probe
            break
        low, probe, step = probe + 1, min(last, probe + step), step * 2
    while low < high:
        mid = (low + high) // 2
        msg = under(ladder[mid])
        if msg is not None:
            fits[mid], high = msg, mid
        else:
            low = mid + 1
    return fits.get(high) or under(ladder[high]) or make(*render(ladder[high]))
