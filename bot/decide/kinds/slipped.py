"""Slipped (SPEC §3): an update moved the deadline later, or withdrew it; says from → to."""

from __future__ import annotations

from datetime import date

from bot.decide.alerts import Alert, PromiseView
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, same
from bot.decide.kinds.told import News
from bot.register.model import TERMINAL


class Rule(News):
    def due(self, m: Moment) -> list[Due]:
        return [Due(key, deadline=s.after.deadline, about=s.update)
                for s in m.slips if (key := m.fresh("slipped", s.update, self.since(m)))]

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state not in TERMINAL and deadline == kind_deadline  # the new deadline it announces still stands


def says(a: Alert, day: Day) -> Said:
    before = a.promises[-2] if len(a.promises) > 1 else None
    was = day(before.deadline) if before and before.deadline else "an earlier date"
    to = day(a.deadline) if a.deadline else "no date at all (withdrawn)"
    return f"The deadline moved from {was} to {to}.", _who(a.promises[-1], day)


def _who(current: PromiseView, day: Day) -> str:
    """Who gave the new words, as far as the record says (SPEC §7.2): a speaker, else the source
    they were given in; with neither, only the day, never "Said by" a date."""
    on = f", {day(current.on)}" if current.on else ""
    if current.said_by:
        return f" Said by {current.said_by}{on}."
    if current.where and not current.where.startswith(("http://", "https://")):  # a bare link is no title
        return f" Given in {current.where}{on}."
    return f" Recorded on {day(current.on)}; who said it is not recorded." if current.on else ""


def brief(a: Alert, day: Day) -> str:
    from bot.decide.alerts import times

    return "".join(says(a, day)) + f" Slipped {times(a.slips)}."


KIND = Kind("slipped", "↪️", "#b54708", "slipped", same("Slipped"), says, Rule(), brief=brief)
