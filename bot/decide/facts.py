"""The facts every channel shows beside an alert's sentence: who made it, when, the words in force
(in the mouth of who said them, SPEC §7.2) and how late. One list, so every channel's
fields and cards say the same facts in the same order; each channel only marks them up."""

from __future__ import annotations

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.kinds import kind
from bot.decide.kinds.base import Day


def fields(alert: Alert, day: Day) -> list[tuple[str, str]]:
    """(label, value) pairs: who made it, when, the words in force and how late."""
    w = words.of(alert.type)
    pairs = [w.by_field(alert.owner, alert.made_by),
             ("Made on" if alert.type != "expectation" else "Tracked since",
              day(alert.made_on) if alert.made_on else "unknown"),
             (w.label(len(alert.promises) > 1), current(alert, day))]
    k = kind(alert.kind)
    if k.closes and alert.late_days:
        pairs.append(("Its news came", w.after(alert.late_days)))
    elif alert.days_overdue:  # not past its date: "Days overdue 0" would hint it might be
        pairs.append((w.past_label, str(alert.days_overdue)))
    return pairs


def current(alert: Alert, day: Day) -> str:
    """The words in force and how they read; once an update changed them, who gave them (SPEC §7.2)."""
    reading = alert.reading if not alert.deadline else f"{alert.reading} (deadline {day(alert.deadline)})"
    if len(alert.promises) < 2:
        if not alert.words:
            return "no date (open-ended)"
        first = alert.promises[0] if alert.promises else None  # a later year's name, the team's date: nobody's words
        return f"{words.as_said(alert.words, bool(first and first.recurring), bool(first and first.expected))} → {reading}"
    now = alert.promises[-1]
    return f"{words.attributed(now.words, now.said_by, now.on, now.where, day)} → {reading}"


def past_due(alert: Alert) -> str:
    """An alert's days past its deadline for a one-line summary: ", 3 days overdue" for a promise,
    ", 3 days past its date" for an ask or an expectation (nothing was promised: SPEC §7.1); ""
    when not past."""
    n = alert.days_overdue
    if not n:
        return ""
    return f", {n} day{'' if n == 1 else 's'} {'overdue' if alert.type == 'promise' else 'past its date'}"
