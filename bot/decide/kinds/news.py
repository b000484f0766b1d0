"""News (SPEC §6.1): an update that neither moved the deadline later nor closed the promise;
told if dated within `remind_every` of the check that sees it."""

from __future__ import annotations

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, same
from bot.decide.kinds.told import News


class Rule(News):
    def __init__(self, name: str) -> None:
        self.name = name  # "news", or "reopened": a closed promise set back to open

    def due(self, m: Moment) -> list[Due]:
        return [Due(key, deadline=m.track.deadline, about=n.update) for n in m.track.news()
                if n.kind == self.name and (key := m.fresh(self.name, n.update, self.since(m)))]


def says(a: Alert, day: Day) -> Said:
    if a.answers:
        return _answered(a, day)
    on = day(a.last_update.on) if a.last_update else "today"
    return f"News of {on}", f": {_stands(a, day)}."  # the news's own date, not the day it was recorded


def _answered(a: Alert, day: Day) -> Said:
    """The owner's first date for an ask or an expectation, with who gave it (SPEC §7.2), beside the
    date the asker asked for or the team expected: it answers the ask or the expectation; it is no
    slip of a date the owner never gave (SPEC §7.1)."""
    asked, given = a.promises[0], a.promises[1]
    said = words.attributed(given.words, given.said_by, given.on, given.where, day)
    how = words.of(a.type).time_label.lower()  # "asked for", "expected"
    was = f" It was {how} by {day(asked.deadline)}." if asked.deadline else ""
    if given.deadline is None:
        return f"{a.owner} answers with no date", f": {said}.{was}"
    return f"{a.owner} gives a date", f": {said}.{was}"


def _stands(a: Alert, day: Day) -> str:
    """What the news did to the date: new words may bring it forward or give a first one, and only
    words that leave it as it was let it "stay" (a later date is a slip, told apart)."""
    date = words.the_date(a.type, a.owner, len(a.promises))  # only a promise has a deadline (SPEC §7.1)
    if a.gives_words and len(a.promises) > 1 and (moved := words.date_news(date, a.promises[-2].deadline,
                                                                           a.deadline, day)):
        return moved
    if not a.deadline:
        return "it still names no date"
    return f"{date} stays {day(a.deadline)}"


def brief(a: Alert, day: Day) -> str:
    return f"news: {a.last_update.note[:200] if a.last_update else ''}"


KIND = Kind("news", "📰", "#3a4048", "news", same("News"), says, Rule("news"), each_its_own=True, brief=brief)


def says_reopened(a: Alert, day: Day) -> Said:
    on = day(a.last_update.on) if a.last_update else "today"
    return f"Reopened on {on}", f": the {words.of(a.type).noun} is open again, and {_stands(a, day)}."


# A promise marked delivered, dropped or superseded is open again.
REOPENED = Kind("reopened", "🔁", "#b54708", "reopened", same("Reopened"), says_reopened, Rule("reopened"))
