"""Closed (SPEC §3): the status became delivered, partly delivered, dropped or superseded; an
ask or an expectation is "met", not delivered (SPEC §7.1)."""

from __future__ import annotations

from datetime import date

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said
from bot.decide.kinds.told import News
from bot.register.model import TERMINAL


class Rule(News):
    def due(self, m: Moment) -> list[Due]:
        closing = m.track.closing
        if closing is None or not (key := m.fresh("closed", closing, self.since(m))):
            return []
        return [Due(key, deadline=m.track.deadline, about=closing)]

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state in TERMINAL


def says(a: Alert, day: Day) -> Said:
    w = words.of(a.type)
    if a.last_update is None:
        return w.status(a.status).capitalize(), ". No more reminders unless someone reopens it."
    after = w.after(a.late_days)
    return (w.closed(a.status, day(a.last_update.on)),  # dated by its news (words.TypeWords.after)
            (f", {after}" if after else "") + ". No more reminders unless someone reopens it.")


KIND = Kind("closed", "✅", "#027a48", "delivered",
            lambda type_name, status: f"Closed — {words.of(type_name).status(status)}", says, Rule(),
            closes=True, broadcast=True, icons={"delivered": "✅", "partly-delivered": "🟡", "dropped": "✖️", "superseded": "🔁"})
