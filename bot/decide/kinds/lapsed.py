"""Lapsed (SPEC §3): the deadline passed with no update since (or none for `remind_every`);
first once `grace` has passed, then every `remind_every` after the last notice or update.
For an ask the headline is "No answer", for an expectation "No news": only a promise lapses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.holds import chase_hold
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, by_type
from bot.decide.states import passes_at, start_of
from bot.decide.timeline import Track
from bot.register.model import TERMINAL


class Rule:
    def due(self, m: Moment) -> list[Due]:
        deadline = m.track.deadline
        if m.state != "lapsed" or deadline is None or _held(m) is not None:
            return []
        last = m.index.latest("lapsed", m.track, deadline)
        update = m.track.last_update
        if last is None:
            due = m.c.policy.grace.after(passes_at(deadline, m.tz))
        else:
            anchor = max(last.at, start_of(update.on, m.tz)) if update else last.at
            due = m.c.policy.remind_every.after(anchor)
        if m.now < due:
            return []
        n = (last.n or 0) + 1 if last else 1  # its identity: never reused, news or not
        since = start_of(update.on, m.tz) if update else None
        return [Due(m.ident("lapsed", deadline, n), n, deadline,
                    nth=m.index.told_since("lapsed", m.track, since, deadline) + 1)]

    def next_change(self, m: Moment) -> datetime | None:
        deadline = m.track.deadline
        if m.track.status in TERMINAL or deadline is None:
            return None
        policy, update = m.c.policy, m.track.last_update
        if update is not None and update.on >= deadline:  # acknowledged after the deadline: overdue
            acknowledged_until = policy.remind_every.after(start_of(update.on, m.tz))
            if m.now < acknowledged_until:
                return acknowledged_until
        last = m.index.latest("lapsed", m.track, deadline)
        if last is None:
            t = max(m.now, policy.grace.after(passes_at(deadline, m.tz)))
        else:
            anchor = max(last.at, start_of(update.on, m.tz)) if update else last.at
            t = max(m.now, policy.remind_every.after(anchor))  # past already: due now, not decided yet
        held = _held(m)
        return t if held is None else max(t, start_of(held + timedelta(days=1), m.tz))

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state == "lapsed" and deadline == kind_deadline


def held_by(tracks: Sequence[Track], period: str | None, reply_due: date, tz: tzinfo) -> bool:
    """Whether a chase of `period` (None: the whole commitment) with its reply due on `reply_due`
    holds a lapse reminder back (SPEC §7.3): an open track it speaks for whose date has passed, or
    passes (with its grace) before the reply is due. A commitment with no date, or one whose date is
    further off, has no lapse reminder for it to hold."""
    held_until = start_of(reply_due + timedelta(days=1), tz)
    return any(t.status not in TERMINAL and t.deadline is not None and period in (None, t.period)
               and t.commitment.policy.grace.after(passes_at(t.deadline, tz)) < held_until for t in tracks)


def held_words(type_name: str) -> str:
    """What a chase holds, as its type says it (SPEC §7.1): only a promise lapses."""
    headline = KIND.headline(type_name)
    return "Lapse reminders" if type_name == "promise" else f'"{headline}" reminders'


def _held(m: Moment) -> date | None:
    """The last day a chase's reply is awaited: lapse reminders wait for it (SPEC §7.3)."""
    return chase_hold(m.actions, m.track.updates, m.track.period, m.today)


def says(a: Alert, day: Day) -> Said:
    deadline = day(a.deadline) if a.deadline else "none"
    again = words.reminder(a.n, a.every, "someone records what happened")
    if a.updated_since_deadline:
        since = f"; the last update was on {a.last_update_when(day)}."
    else:
        since = " with no update since." if a.headline_type == "promise" else ", with no update since."
    if a.date_given:  # the owner answered the ask or expectation with a date of its own, and that date passed
        asked, how = a.promises[0].deadline, words.of(a.type).time_label.lower()  # "asked for", "expected"
        return words.late(a.days_overdue).capitalize(), (
            f"{again}: the date {a.owner} gave, {deadline}, passed{since} It was {how} by "
            f"{day(asked) if asked else 'no date'}.")
    if a.type == "ask":
        return "No answer", f"{again}: it was asked for by {deadline}, {words.span(a.days_overdue)} ago{since}"
    if a.type == "expectation":
        return "No news of it", f"{again}: it was expected by {deadline}, {words.span(a.days_overdue)} ago{since}"
    return words.late(a.days_overdue).capitalize(), f"{again}: the deadline of {deadline} passed{since}"


KIND = Kind("lapsed", "🔴", "#b42318", "lapsed", by_type("Lapsed", "No answer", "No news"), says, Rule(),
            reminder=True, every=lambda policy: policy.remind_every, follow_up=True, ages_update=True)
