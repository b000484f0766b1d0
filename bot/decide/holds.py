"""What the team's own actions hold back (SPEC §7.3): a snooze, and a chase awaiting its reply.

A snooze holds a commitment's reminders (due soon, lapsed, gone silent) up to and including its
`until` day; reminders still due go out the day after, not `remind_every` after the snooze. The
most recently taken snooze for a track is the one in force, so a team can shorten or lengthen
it. News of the government's own (a slip, a closure, news, a lead) is never held: a snooze is
"stop reminding us", not "stop telling us".

A chase with a reply due holds the lapse reminders until the reply is due; past it, unanswered,
it is the team's own reminder of kind `reply-overdue` (bot.decide.kinds.reply_overdue).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.register.model import Action, Update


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


def chases(actions: Sequence[Action], period: str | None, today: date) -> tuple[Action, ...]:
    """The team's chases of this track taken by `today`, oldest first."""
    return tuple(a for a in actions if a.kind == "chase" and a.on <= today and speaks_for(a, period))


def answered(chase: Action, updates: Sequence[Update]) -> bool:
    """A chase is answered once any update of its track is dated on or after the day it was sent:
    the government said something since (the team records the reply as news, or a closure).
    Someone else's statement (a context update) is not the government's answer."""
    return any(u.on >= chase.on and not u.context for u in updates)


def awaiting(actions: Sequence[Action], updates: Sequence[Update], period: str | None,
             today: date) -> tuple[Action, ...]:
    """The chases with a reply due that have no answer yet."""
    return tuple(a for a in chases(actions, period, today) if a.reply_due is not None and not answered(a, updates))


def chase_hold(actions: Sequence[Action], updates: Sequence[Update], period: str | None, today: date) -> date | None:
    """The last day lapse reminders wait for a chase's reply (SPEC §7.3): the latest reply due
    still ahead of an unanswered chase; None when no chase holds them."""
    due = [a.reply_due for a in awaiting(actions, updates, period, today) if a.reply_due and a.reply_due >= today]
    return max(due) if due else None
