"""What was promised when: the deadline history of a commitment, as seen at one day.

A *track* is one deadline the bot watches: a commitment, or one occurrence of a recurring
commitment (SPEC §2.2). Everything here depends on `today`, never on the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.decide import words
from bot.register.model import TERMINAL, Action, Commitment, Source, Update
from bot.register.recording import unrecorded
from bot.when.dates import Window
from bot.when.recurrence import occurrences


@dataclass(frozen=True)
class Promise:
    on: date | None  # the day it was promised (made_on, or the update's date)
    phrase: str | None
    window: Window | None  # None or open: no deadline
    origin: str  # "made", or the key of the update that set it
    said_by: str | None = None  # who gave these words (made_by, or the update's said_by): SPEC §7.2
    source: Source | None = None  # where they were given; None when no source covers these words
    recurring: bool = False  # a later period of a recurring commitment: its "words" are the period's name, nobody's
    expected: bool = False  # an expectation's own date (its `due`): the team's, nobody's words (SPEC §7.1)

    @property
    def deadline(self) -> date | None:
        return self.window.latest if self.window else None


@dataclass(frozen=True)
class Slip:
    update: Update
    before: Promise
    after: Promise
    count: int  # this is slip number `count`


@dataclass(frozen=True)
class News:
    """An update that neither moved the deadline later nor closed the promise (SPEC §6.1):
    kind "news", or "reopened" when it sets a closed promise back to open."""

    kind: str
    update: Update


@dataclass(frozen=True)
class Track:
    commitment: Commitment
    period: str | None
    promises: tuple[Promise, ...]
    updates: tuple[Update, ...]  # the ones that speak for this track, dated on or before today
    status: str
    closing: Update | None  # the update that closed it, when the status is terminal
    series_last: Update | None = None  # one occurrence of a series: the latest news on any of them

    @property
    def deadline(self) -> date | None:
        return self.promises[-1].deadline

    @property
    def news_updates(self) -> tuple[Update, ...]:
        """The owner's own record: every update but context (someone else's statement about it),
        which is listed with the others but is never news of the commitment."""
        return tuple(u for u in self.updates if not u.context)

    @property
    def last_update(self) -> Update | None:
        """The last news: the owner's last update. A commissioner's or a charity's statement after
        it resets no clock (a lapsed promise stays lapsed, a silent one silent) and is no one's
        "last update"."""
        return last_news(self.updates)

    def slips(self) -> list[Slip]:
        """Moves later, or withdrawals to an open phrase; moves earlier are not slips. An ask's
        first date is the asker's and an expectation's the team's: the owner's first date answers
        it, and only later moves of the owner's own date are slips (SPEC §7.1)."""
        out: list[Slip] = []
        pairs = zip(self.promises, self.promises[1:], strict=False)
        if words.answered(self.commitment.type):
            next(pairs, None)  # the owner's answer: a date given, never a slip of the date before it
        for before, after in pairs:
            old, new = before.deadline, after.deadline
            if old is not None and (new is None or new > old):
                update = next(u for u in self.updates if u.key == after.origin)
                out.append(Slip(update, before, after, len(out) + 1))
        return out

    def news(self) -> list[News]:
        """Every update that is not a slip or a closure, in date order."""
        told = {s.update.key for s in self.slips()}
        status = self.commitment.status if self.period is None else "open"
        out: list[News] = []
        for u in self.news_updates:
            if u.status == "open" and status in TERMINAL:
                out.append(News("reopened", u))
            elif u.key not in told and u.status not in TERMINAL:
                out.append(News("news", u))
            status = u.status or status
        return out


def every_update(c: Commitment, recorded: Sequence[Update]) -> list[Update]:
    """The file's updates and the recorded ones it does not hold yet, oldest first: the one list
    every surface reads, so an update copied into the file is never listed twice (SPEC §6.1)."""
    return sorted((*c.updates, *unrecorded(c.updates, recorded)), key=lambda u: u.on)


def every_action(c: Commitment, recorded: Sequence[Action]) -> list[Action]:
    """The team's own steps, from the file and the database, each once, oldest first (SPEC §7.3)."""
    return sorted((*c.actions, *unrecorded(c.actions, recorded)), key=lambda a: a.on)


def tracks(c: Commitment, recorded: Sequence[Update], today: date) -> list[Track]:
    """The tracks of one commitment at `today`, seeing only updates dated on or before it.

    `recorded` are the updates kept outside the file; one the file already holds (the same
    identity, SPEC §6.1) is counted once."""
    every = every_update(c, recorded)
    seen = tuple(u for u in every if u.on <= today)
    series = tuple(u for u in seen if u.period is None)
    status, closing = _status(c, series, every)
    first = Promise(c.made_on, c.due, c.window, "made", c.made_by, c.source, expected=c.type == "expectation")
    if not c.recurs or c.window is None or status in TERMINAL:
        return [Track(c, None, _promises(first, series), series, status, closing)]
    out = []
    for occ in occurrences(c.window, c.recurs, today):
        own = tuple(u for u in seen if u.period == occ.label)
        start = Promise(c.made_on, occ.label, Window(c.window.kind, occ.earliest, occ.latest), "made",
                        *_covered(c, occ.earliest), recurring=occ.earliest != c.window.earliest,
                        expected=c.type == "expectation")
        occ_status, occ_closing = _status(None, own, own)
        out.append(Track(c, occ.label, _promises(start, own), own, occ_status, occ_closing, last_news(seen)))
    return out


def last_news(updates: Sequence[Update]) -> Update | None:
    """The last of `updates` (oldest first) that is news: not context (Update.context)."""
    return next((u for u in reversed(updates) if not u.context), None)


def quiet_since(track: Track) -> date | None:
    """The day an open-ended track's silence counts from: its last update, else the day it was
    made (SPEC §3's `silent`); None when neither is known (then the day it was first seen counts)."""
    if track.deadline is not None:
        return None
    return track.last_update.on if track.last_update else track.commitment.made_on


def _covered(c: Commitment, earliest: date | None) -> tuple[str | None, Source | None]:
    """Who made an occurrence's promise, and where (SPEC §7.1: a quote is only ever shown as the
    words of the period it covers). A series' words are those given for the period its `due`
    names ("we will provide £1.4 million in 2022-23"): a later period was never said by anyone,
    so it has no speaker and no source of its own, of any type."""
    if c.window is not None and earliest == c.window.earliest:
        return c.made_by, c.source
    return None, None


def _promises(first: Promise, updates: Sequence[Update]) -> tuple[Promise, ...]:
    later = (Promise(u.on, u.due, u.window, u.key, u.said_by, u.source) for u in updates if u.window is not None)
    return (first, *later)


def _status(
    c: Commitment | None, seen: Sequence[Update], every: Sequence[Update]
) -> tuple[str, Update | None]:
    """The latest recorded status wins; a status set only in the file is dated by its evidence."""
    for u in reversed(seen):
        if u.status:
            return u.status, (u if u.status in TERMINAL else None)
    if c is None or c.status not in TERMINAL:
        return "open", None
    if any(u.status for u in every):  # the status-bearing update is still in the future
        return "open", None
    evidence = [u for u in every if u.source]
    if evidence and evidence[-1] not in seen:
        return "open", None
    return c.status, (evidence[-1] if evidence else None)
