"""Withdrawn (SPEC §6.1, §7): the team withdrew a recorded update (`update --retract`) whose news
was already told, so every room that was told it is told the correction, once.

A team puts its name to every word the bot says: a statement it withdrew is corrected where it
was said. The correction is the team's, never news of the commitment: it is about no update that
counts, goes only to the targets the news of the withdrawn update went to (or is still going to),
and says what the team did (it withdrew its record, recorded in error), what the update had said
and who it named, and what stands now. An update withdrawn before any check told it is corrected
nowhere: nothing was said. Like news, a withdrawal older than `remind_every` is history, not told.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.decide import words
from bot.decide.alerts import Alert
from bot.decide.clip import clip
from bot.decide.correction import WithdrawnView
from bot.decide.kinds import closed, news, slipped
from bot.decide.kinds.base import Day, Due, Kind, Moment, Said, same
from bot.decide.sent import told_as
from bot.register.model import TERMINAL, Retraction

NAME = "withdrawn"
# The kinds that tell one update (bot.decide.kinds.told.News): what a withdrawal corrects.
TOLD = tuple(k.name for k in (slipped.KIND, closed.KIND, news.KIND, news.REOPENED))


class Rule:
    def due(self, m: Moment) -> list[Due]:
        since = m.c.policy.remind_every.before(m.now)
        out = []
        for r in m.retracted:
            u = r.update
            if u.period != m.track.period or not since <= r.at <= m.now:
                continue
            key = m.ident(NAME, u.key)
            if key in m.index.idents:
                continue  # told once
            told = [i for k in TOLD for t in told_as(u) if (i := m.ident(k, t)) in m.index.idents]
            rooms = tuple(dict.fromkeys(target for i in told for target in m.index.given.get(i, ())))
            if rooms:  # never for an update no room was told
                out.append(Due(key, deadline=m.track.deadline, rooms=rooms, withdrawn=view(r, m)))
        return out

    def next_change(self, m: Moment) -> datetime | None:
        """A withdrawal recorded after `now` (a check run with an earlier `--now`) is due when it happened."""
        return min((r.at for r in m.retracted if r.at > m.now and r.update.period == m.track.period), default=None)

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return True  # the team withdrew it: that stays so


def view(r: Retraction, m: Moment) -> WithdrawnView:
    """The withdrawn update as it read, and whether the words in force are again those it replaced."""
    u = r.update
    later = any(p.origin != "made" and p.on is not None and p.on >= u.on for p in m.track.promises)
    return WithdrawnView(u.on.isoformat(), u.note, r.at.astimezone(m.tz).date().isoformat(), u.due, u.said_by,
                         u.source.named if u.source else None, u.status, r.why,
                         restored=u.window is not None and not later, number=u.recorded)


def says(a: Alert, day: Day) -> Said:
    w = a.withdrawn
    if w is None:  # only a stand-in's alert lacks what it corrects
        return "An update was withdrawn by the team", f": it was recorded in error. {_stands(a, day, None)}"
    why = f" (the team's reason: “{clip(w.why, 200)}”)" if w.why else ""
    return (f"The update of {day(w.on)}{_what(w, a.type)} was withdrawn by the team on {day(w.withdrawn_on)}",
            f": it was recorded in error{why}. {_stands(a, day, w)}")


def _what(w: WithdrawnView, type_name: str) -> str:
    """What the withdrawn update said, with who it named for its words (SPEC §7.2); its note is the
    team's own account, so it is named as the team's, never put in a speaker's mouth."""
    if w.words:
        who = w.said_by or w.where
        return f" ({words.as_said(w.words)}, {who})" if who else f" ({words.as_said(w.words)})"
    if w.status:
        return f" (marked {words.of(type_name).status(w.status)})"
    return f" (recorded as “{clip(w.note, 200)}”)"


def _stands(a: Alert, day: Day, w: WithdrawnView | None) -> str:
    """What stands now that it no longer counts."""
    tw = words.of(a.headline_type)
    if a.status in TERMINAL:
        return f"It stands as {tw.status(a.status)}."
    reopened = w is not None and w.status in TERMINAL  # the closing withdrawn: open again
    start = "It is open again; " if reopened else ""
    if a.deadline:
        how = "again " if w is not None and w.restored and not reopened else "still " if w and not w.words else ""
        said = f"{tw.date} in force is {how}{day(a.deadline)}."
    else:
        said = f"the words in force, {words.as_said(a.words)}, give no date." if a.words else "no date is in force."
    return start + said if start else said[:1].upper() + said[1:]


KIND = Kind(NAME, "✏️", "#475467", None, same("Correction"), says, Rule(), each_its_own=True,
            several={"correction": "corrections"})
