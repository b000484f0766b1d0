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
from bot.register.questions import is_page_of


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


def answer(chase: Action, updates: Sequence[Update]) -> Update | None:
    """The update that answers a chase, the first of `updates` (oldest first) that does; None
    while none does. The one rule every surface reads (reply-overdue, the lapse reminders a chase
    holds, the watch for a chased question's answer, the report's "still awaited"):
    - the answer to the chase's own written question: an update whose source is the page of the
      question it names (bot.register.questions: the confirmed answer lead keeps it, and so does
      an update recorded by hand with that link), whatever day it is dated: a question answered
      before the team recorded chasing it is answered all the same;
    - else any news dated on or after the day of the chase: the government said something since
      (the team records the reply as news, or a closure). Someone else's statement (a context
      update) is not the government's answer."""
    return next((u for u in updates if answers_question(chase, u) or (u.on >= chase.on and not u.context)), None)


def answers_question(chase: Action, update: Update) -> bool:
    """The update is the answer to the written question the chase names (its source is that
    question's page): the explicit link between a chase and its answer."""
    return (chase.how == "written-question" and update.source is not None
            and is_page_of(chase.ref, chase.on, update.source.url))


def answered(chase: Action, updates: Sequence[Update]) -> bool:
    """Some update answers the chase (`answer`)."""
    return answer(chase, updates) is not None


def awaiting(actions: Sequence[Action], updates: Sequence[Update], period: str | None,
             today: date) -> tuple[Action, ...]:
    """The chases with a reply due that have no answer yet."""
    return tuple(a for a in chases(actions, period, today) if a.reply_due is not None and not answered(a, updates))


def chase_hold(actions: Sequence[Action], updates: Sequence[Update], period: str | None, today: date) -> date | None:
    """The last day lapse reminders wait for a chase's reply (SPEC §7.3): the latest reply due
    still ahead of an unanswered chase; None when no chase holds them."""
    due = [a.reply_due for a in awaiting(actions, updates, period, today) if a.reply_due and a.reply_due >= today]
    return max(due) if due else None
