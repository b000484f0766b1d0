"""The status table: one row per commitment, the most urgent of its tracks (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.decide import words
from bot.decide.states import SEVERITY, days_overdue, most_urgent, state
from bot.decide.timeline import tracks
from bot.decide.words import said_as, state_word
from bot.register.model import Register, Update


@dataclass(frozen=True)
class StatusRow:
    id: str
    title: str
    state: str
    deadline: str | None
    days_overdue: int
    slips: int
    last_update: str | None
    owner: str
    period: str | None
    words: str | None
    tags: tuple[str, ...] = ()
    type: str = "promise"  # promise | ask | expectation (SPEC §7.1)
    recurs: bool = False  # nobody's words: a later period's name, or an expectation's own date (the team's)
    stated_as: str = ""  # the type its state is said for (words.stated_as): an ask given a date is a promise's

    @property
    def said_type(self) -> str:
        return self.stated_as or self.type

    @property
    def their_words(self) -> str:
        """The "their words" column: the words in force, or in brackets why there are none. A later
        period's name ("2025-26") and an expectation's own date ("summer 2026", the team's) were
        never said by anyone, so they are not shown as if they were."""
        if self.recurs:
            return "(none said)"
        return self.words or "(no date given)"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "state": self.state, "deadline": self.deadline,
            "days_overdue": self.days_overdue, "slips": self.slips, "last_update": self.last_update,
            "owner": self.owner, "period": self.period, "due": self.words, "type": self.type,
        }


def summarise(
    register: Register, recorded: Mapping[str, Sequence[Update]], now: datetime,
    first_seen: Mapping[str, datetime] | None = None,
) -> list[StatusRow]:
    now = now.astimezone(ZoneInfo(register.timezone))
    today = now.date()
    rows = []
    for c in register.commitments:
        if c.made_on is not None and c.made_on > today:
            continue  # not promised yet at `now`
        found = tracks(c, recorded.get(c.id, ()), today)
        st, track = most_urgent([(state(t, now, (first_seen or {}).get(c.id)), t) for t in found])
        last = max((u.on for t in found for u in t.news_updates), default=None)  # the owner's, not context
        rows.append(StatusRow(
            c.id, c.title, st, track.deadline.isoformat() if track.deadline else None,
            days_overdue(track, today), len(track.slips()), last.isoformat() if last else None,
            c.owner, track.period, track.promises[-1].phrase, c.tags, c.type,
            track.promises[-1].recurring or track.promises[-1].expected,  # nobody's words
            words.stated_as(c.type, len(track.promises)),
        ))
    return rows


SORTS = ("urgency", "deadline", "overdue", "slips")
FAR = "9999-12-31"  # an open-ended deadline sorts after every dated one


def sort_rows(rows: Sequence[StatusRow], by: str = "urgency") -> list[StatusRow]:
    """The orders a coordinator asks for ("which promises slipped most?"); ties keep urgency, then id.

    `urgency` is the worst state first, then the earliest deadline: the order `status` has always shown."""
    urgency = {s: i for i, s in enumerate(SEVERITY)}
    keys: dict[str, Callable[[StatusRow], tuple[Any, ...]]] = {
        "urgency": lambda r: (urgency.get(r.state, len(urgency)), r.deadline or FAR, r.id),
        "deadline": lambda r: (r.deadline or FAR, urgency.get(r.state, len(urgency)), r.id),
        "overdue": lambda r: (-r.days_overdue, r.deadline or FAR, r.id),
        "slips": lambda r: (-r.slips, -r.days_overdue, r.id),
    }
    return sorted(rows, key=keys[by])


# The states as every table says them (SPEC §7.1): past its date a promise has lapsed, an ask has
# no answer and an expectation no news; with news since, a promise is overdue, the others past
# date; closed, a promise is delivered, the others met. Each is its own filter, most urgent first.
STATE_OF = {w: s for s in (*SEVERITY, "archived") for w in said_as(s)}  # "no news" → "lapsed"
SAID_STATES = tuple(STATE_OF)


def said(r: StatusRow) -> str:
    """The state a row is shown and filtered under: "lapsed", "no answer", "no news", "open"…"""
    return state_word(r.state, r.said_type)


def select(rows: Sequence[StatusRow], state: str | None = None, owner: str | None = None,
           tag: str | None = None) -> list[StatusRow]:
    """Rows in a state, named as SPEC §3 names it (the state `status --json` prints: "lapsed" finds
    every commitment past its date with no news, promise, ask or expectation) or as the table says
    it ("no news" finds only expectations, "no answer" only asks), of an owner (any case: "home
    office" finds "Home Office") and with a tag."""
    wanted = owner.casefold().strip() if owner is not None else None
    return [r for r in rows if (state is None or state in (r.state, said(r)))
            and (wanted is None or r.owner.casefold().strip() == wanted)
            and (tag is None or tag in r.tags)]
