"""Every kind of notification, one module each, and the one registry everything reads.

The engine asks each kind in `DECIDED` what is due, the quiet windows ask each when it next
could be, held alerts ask whether one is still true, and every channel takes its words (headline,
icon, colour, the sentence that says it) from here. A channel that meets a kind missing here
fails loudly (`kind()` raises), and a test renders every kind in every channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.decide.kinds import closed, heads_up, lapsed, lead, news, reply_overdue, silent, slipped, withdrawn
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said

if TYPE_CHECKING:
    from bot.decide.alerts import Alert

__all__ = ["DECIDED", "KINDS", "Day", "Due", "Kind", "Moment", "Said", "kind", "tally"]

# In the order the engine tells them: the team's corrections of what it said before, then the
# government's news, then the reminders.
DECIDED: tuple[Kind, ...] = (withdrawn.KIND, slipped.KIND, closed.KIND, news.KIND, news.REOPENED, heads_up.KIND,
                             lapsed.KIND, silent.KIND, reply_overdue.KIND)
KINDS: dict[str, Kind] = {k.name: k for k in (*DECIDED, lead.KIND)}


def kind(name: str) -> Kind:
    """The registry entry for `name`; a KeyError names the kind a channel was not taught."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"notification kind {name!r} is not in bot.decide.kinds.KINDS: add it there") from None


def tally(alerts: Iterable[Alert]) -> str:
    """How many alerts of each headline, in the order first met: "3 lapsed, 2 no answer, 1 lead".
    Counted by headline, not kind, so an ask past its date is never counted as "lapsed" (SPEC
    §7.1); every channel's summary and the mail's subject say this one count."""
    counts: dict[tuple[str, str], int] = {}
    for a in alerts:
        key = (a.kind, kind(a.kind).headline_of(a).lower())
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(kind(name).counted(n, word) for (name, word), n in counts.items())
