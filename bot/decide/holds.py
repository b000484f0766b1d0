"""What the team's own actions hold back (SPEC §7.3): a snooze, and a chase awaiting its reply.

A snooze holds a commitment's reminders (due soon, lapsed, gone silent) up to and including its
`until` day; reminders still due go out the day after, not `remind_every` after the snooze. The
most recently taken snooze for a track is the one in force, so a team can shorten or lengthen
it. News of the government's own (a slip, a closure, news, a lead) is never held: a snooze is
"stop reminding us", not "stop telling us".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.register.model import Action


def speaks_for(action: Action, period: str | None) -> bool:
    """An action without a period is about the whole commitment, every occurrence included."""
    return action.period is None or action.period == period


def snoozed_until(actions: Sequence[Action], period: str | None, today: date) -> date | None:
    """The last day reminders are held for this track, when a snooze taken by `today` holds it."""
    taken = [a for a in actions if a.kind == "snooze" and a.on <= today and speaks_for(a, period)]
    if not taken:
        return None
    until = taken[-1].until  # actions come oldest first: the latest snooze is in force
    return until if until is not None and until >= today else None
