"""Due soon (SPEC §3): the deadline is within `heads_up`; told once per deadline."""

from __future__ import annotations

from datetime import date, datetime

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, by_type
from bot.decide.states import passes_at
from bot.register.model import TERMINAL


class Rule:
    def due(self, m: Moment) -> list[Due]:
        key = m.ident("heads-up", m.track.deadline)
        return [Due(key, deadline=m.track.deadline)] if m.state == "due-soon" and key not in m.index.idents else []

    def next_change(self, m: Moment) -> datetime | None:
        deadline = m.track.deadline
        if m.track.status in TERMINAL or deadline is None or m.now >= passes_at(deadline, m.tz):
            return None
        soon = m.c.policy.heads_up.before(passes_at(deadline, m.tz))
        if m.now < soon:
            return soon
        return m.now if m.ident("heads-up", deadline) not in m.index.idents else None

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state == "due-soon" and deadline == kind_deadline


def says(a: Alert, day: Day) -> Said:
    deadline = day(a.deadline) if a.deadline else "none"
    lead = {"ask": f"Asked for by {deadline}.", "expectation": f"Expected by {deadline}."}.get(
        a.type, f"Deadline {deadline} is close.") if not a.date_given else f"The date {a.owner} gave, {deadline}, is close."
    if a.last_update is None:
        return lead, f" No update recorded since it was {words.of(a.type).time_label.lower()}."
    return lead, f" Last update {a.last_update_when(day)}."


KIND = Kind("heads-up", "⏳", "#1f5fbf", "due-soon", by_type("Due soon", "Date asked for soon", "Expected soon"), says,
            Rule(), reminder=True)
