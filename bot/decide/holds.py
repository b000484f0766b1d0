"""What the team's own actions hold back (SPEC §7.3): a snooze, and a chase awaiting its reply.

A snooze holds a commitment's reminders (due soon, lapsed, gone silent) up to and including its
`until` day; reminders still due go out the day after, not `remind_every` after the snooze. The
most recently taken snooze for a track is the one in force, so a team can shorten or lengthen
it. News of the government's own (a slip, a closure, news, a lead) is never held: a snooze is
"stop reminding us", not "stop telling us".

A chase with a reply due holds the lapse reminders until the reply is due; past it, unanswered,
it is the team's own reminder of kind `reply-overdue` (bot.decide.kinds.reply_overdue). What
answers a chase is the reply to it, never news that merely came after it (found in review: a
minister's remark in a Lords debate "answered" an FOI request and a letter nobody replied to):
- the team's record that the chase was replied to: an action of kind `reply` naming it
  (`commitment-bot chase ID --replied REF`, or `kind: reply` in the file's `actions:`);
- for a written question, also its answer: an update whose source is the question's own page
  (the confirmed answer lead keeps it, and so does an update recorded by hand with that link).
News since a chase is the government's word and still pauses the lapse reminders as any news
does (bot.decide.kinds.lapsed); it is said to come after the chase, never to answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.decide import words
from bot.register.model import Action, Update
from bot.register.questions import is_page_of


@dataclass(frozen=True)
class FoundAnswer:
    """A written question's answer the watch found and posted as a lead, not yet confirmed or
    dismissed: not the team's record yet, but no reply-overdue may say the answer is missing."""

    lead: int  # the lead's number, as `leads confirm N` takes it
    url: str  # the question's page
    on: date | None  # the day it was answered


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


def same_ref(a: str | None, b: str | None) -> bool:
    """Two references are one when they differ only in case and spacing ("hl 1234", "HL1234")."""
    def squeezed(ref: str | None) -> str:
        return "".join((ref or "").split()).casefold()

    return squeezed(a) == squeezed(b)


def replies_to(reply: Action, chase: Action) -> bool:
    """The team's record `reply` is of a reply to `chase`: the same way and reference, the same
    period, dated on or after it, and (when it names one) the day of that very chase."""
    return (reply.kind == "reply" and chase.kind == "chase" and reply.on >= chase.on
            and (reply.how is None or reply.how == chase.how) and same_ref(reply.ref, chase.ref)
            and reply.period == chase.period and (reply.chased is None or reply.chased == chase.on))


def reply(chase: Action, actions: Sequence[Action], today: date | None = None) -> Action | None:
    """The team's record of the reply to `chase` (the first, by day), when there is one by `today`."""
    return next((a for a in sorted(actions, key=lambda a: a.on)
                 if (today is None or a.on <= today) and replies_to(a, chase)), None)


def answer(chase: Action, updates: Sequence[Update]) -> Update | None:
    """The update that is the answer to the chase's own written question (the first of `updates`,
    oldest first), whatever day it is dated: a question answered before the team recorded chasing
    it is answered all the same. None for any other chase: news is not its reply."""
    return next((u for u in updates if answers_question(chase, u)), None)


def answers_question(chase: Action, update: Update) -> bool:
    """The update is the answer to the written question the chase names (its source is that
    question's page): the explicit link between a chase and its answer."""
    return (chase.how == "written-question" and update.source is not None
            and is_page_of(chase.ref, chase.on, update.source.url))


def answered_on(chase: Action, updates: Sequence[Update], actions: Sequence[Action],
                today: date | None = None) -> date | None:
    """The day the chase was answered: the reply the team recorded, or its question's answer,
    whichever came first; None while neither is recorded. The one rule every surface reads
    (reply-overdue, the lapse reminders a chase holds, the watch for a chased question's answer,
    the report's "still awaited")."""
    days = [found.on for found in (reply(chase, actions, today), answer(chase, updates)) if found is not None]
    return min(days) if days else None


def answered(chase: Action, updates: Sequence[Update], actions: Sequence[Action], today: date | None = None) -> bool:
    """Something answers the chase (`answered_on`)."""
    return answered_on(chase, updates, actions, today) is not None


def awaiting(actions: Sequence[Action], updates: Sequence[Update], period: str | None,
             today: date) -> tuple[Action, ...]:
    """The chases with a reply due that have no answer yet."""
    return tuple(a for a in chases(actions, period, today)
                 if a.reply_due is not None and not answered(a, updates, actions, today))


def chase_hold(actions: Sequence[Action], updates: Sequence[Update], period: str | None, today: date) -> date | None:
    """The last day lapse reminders wait for a chase's reply (SPEC §7.3): the latest reply due
    still ahead of an unanswered chase; None when no chase holds them."""
    due = [a.reply_due for a in awaiting(actions, updates, period, today) if a.reply_due and a.reply_due >= today]
    return max(due) if due else None


def chase_named(actions: Sequence[Action], updates: Sequence[Update], named: str, on: date) -> Action | str:
    """The chase `named` names, of those taken by `on`, that a reply recorded on `on` answers: its
    number as `history` shows it ("#3" or "3", a chase recorded outside the file) or its reference
    ("FOI-123", "HL1234", or a Commons question's "12345", which is read as a reference before a
    number; of several with the same reference, the oldest still awaiting its reply).
    A chase already answered (`answered`) is never answered twice. Else why none is, naming the
    chases there are."""
    taken = [a for a in actions if a.kind == "chase" and a.on <= on]
    wanted = named.strip()
    number = wanted.removeprefix("#")
    by_ref = [] if wanted.startswith("#") else [a for a in taken if a.ref and same_ref(a.ref, wanted)]
    if by_ref:  # a reference first: a Commons question's is a number ("12345"), and "#3" is never one
        found = by_ref
    elif number.isdigit():
        found = [a for a in taken if a.recorded == int(number)]
    else:
        found = []
    awaited = [a for a in found if not answered(a, updates, actions)]
    if awaited:
        return awaited[0]
    if found:
        each = "every chase" if len(found) > 1 else "chase"
        return f'{each} "{wanted}" of this commitment was already replied to: ' + \
            "; ".join(_answered(a, updates, actions) for a in found)
    listed = "; ".join(_named(a) for a in taken)
    there = f"its chases: {listed}" if taken else "it has no chase recorded by then"
    return f'no chase "{wanted}" of this commitment by {on:%-d %b %Y} ({there})'


def also_named(actions: Sequence[Action], updates: Sequence[Update], chase: Action, on: date) -> tuple[Action, ...]:
    """The other chases taken by `on` under `chase`'s reference still awaiting their reply: a reply
    by that reference answers only one of them (`chase_named`), so each is named by its number."""
    return tuple(a for a in actions if a.kind == "chase" and a.key != chase.key and a.on <= on and a.ref
                 and same_ref(a.ref, chase.ref) and not answered(a, updates, actions))


def shares_ref(actions: Sequence[Action], chase: Action) -> bool:
    """Another chase has the same reference: `--replied REF` may not name this one."""
    return bool(chase.ref) and any(a.kind == "chase" and a.key != chase.key and a.ref and same_ref(a.ref, chase.ref)
                                   for a in actions)


def _named(a: Action) -> str:
    """A chase as `--replied` can name it: its reference and number, and its day."""
    names = [n for n in (a.ref, f"#{a.recorded}" if a.recorded else None) if n]
    how = words.chased_by(a.how) or "another way"  # as every surface names it: "by FOI request"
    return f"{' or '.join(names) if names else 'one with no reference or number'} ({how}, {a.on:%-d %b %Y})"


def _answered(chase: Action, updates: Sequence[Update], actions: Sequence[Action]) -> str:
    """A chase already answered, and by what: the reply the team recorded (by its number when it
    has one), or its question's answer."""
    found = reply(chase, actions)
    if found is not None:
        number = f", #{found.recorded}" if found.recorded else ""
        return f"{_named(chase)}: the reply of {found.on:%-d %b %Y} is recorded{number}"
    update = answer(chase, updates)
    return f"{_named(chase)}: answered on {update.on:%-d %b %Y}" if update else _named(chase)


def found_answer(chase: Action, found: Sequence[FoundAnswer]) -> FoundAnswer | None:
    """The open lead that is the answer to the chase's own written question (its link is the
    question's page, as a confirmed one's source is: `answers_question`), when the watch found one."""
    if chase.how != "written-question":
        return None
    return next((f for f in found if is_page_of(chase.ref, chase.on, f.url)), None)
