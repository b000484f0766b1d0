"""Gone silent (SPEC §3): open-ended, with no news for `check_in`; then every `check_in` again."""

from __future__ import annotations

from datetime import date, datetime

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, same
from bot.decide.states import last_news
from bot.register.model import TERMINAL


class Rule:
    def due(self, m: Moment) -> list[Due]:
        if m.state != "silent":
            return []
        last = m.index.latest("silent", m.track)
        since = last_news(m.track, m.tz, m.first_seen)
        recent = max(last.at, since) if last and since else (last.at if last else since)
        if recent is None or (last is not None and m.now < m.c.policy.check_in.after(recent)):
            return []
        n = (last.n or 0) + 1 if last else 1  # its identity: never reused, news or not
        return [Due(m.ident("silent", n), n, nth=m.index.told_since("silent", m.track, since) + 1)]

    def next_change(self, m: Moment) -> datetime | None:
        if m.track.status in TERMINAL or m.track.deadline is not None:
            return None
        since = last_news(m.track, m.tz, m.first_seen)
        if since is None:
            return None
        last = m.index.latest("silent", m.track)
        return max(m.now, m.c.policy.check_in.after(max(last.at, since) if last else since))

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return state == "silent"


def says(a: Alert, day: Day) -> Said:
    again = words.reminder(a.n, a.every, "someone records news")
    since = f" since {day(a.quiet_since)}" if a.quiet_since else ""
    # the owner's: a charity's or the Commissioner's statement since is context, not its news
    noun = words.of(a.type).noun
    if a.last_update is None and a.quiet_since:  # the day it was made is the asker's, not the owner's
        made = "first tracked" if a.type == "expectation" else "made"
        return (f"No update from {a.owner} since the {noun} was {made} on {day(a.quiet_since)}",
                f"; it names no date{again}. Has anything happened?")
    return f"No update from {a.owner}{since}", f" on this {words.of(a.type).noun}, which names no date{again}. Has anything happened?"


KIND = Kind("silent", "📭", "#6f42c1", "silent", same("Gone silent"), says, Rule(), reminder=True,
            every=lambda policy: policy.check_in)
