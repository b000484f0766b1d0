"""What was already decided, as the rules of SPEC §3 ask about it: by identity, and the latest
numbered notice of a kind (the last reminder) per track."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.decide.timeline import Track
from bot.register.model import Update


@dataclass(frozen=True)
class Sent:
    """A notification already decided (whatever became of its delivery)."""

    ident: str
    commitment_id: str
    kind: str
    period: str | None
    deadline: date | None
    n: int | None
    at: datetime


class SentIndex:
    """What was sent before `now`, indexed the ways the rules of SPEC §3 ask about it. Numbered
    notices (reminders) are counted per track and per the deadline they are about, as their rule's
    `Due` said: a lapse is about its deadline, so a new deadline starts its count again; a silence
    is about none. No kind's name is written here: a new kind that repeats is counted as its own
    rule says. `given`: where each notification went or is still going (ident → targets), for
    the kinds that speak only where another was said (a correction: bot.decide.kinds.withdrawn)."""

    def __init__(self, sent: Iterable[Sent], now: datetime, given: Mapping[str, Sequence[str]] | None = None) -> None:
        self.given: Mapping[str, Sequence[str]] = given or {}
        self.idents: set[str] = set()
        self.last: dict[tuple[str, str, str | None, date | None], Sent] = {}
        self.numbered: dict[tuple[str, str, str | None, date | None], list[datetime]] = {}
        for s in sent:
            if s.at > now:
                continue
            self.idents.add(s.ident)
            key = (s.kind, s.commitment_id, s.period, s.deadline)
            if s.n is not None:
                self.numbered.setdefault(key, []).append(s.at)
                if key not in self.last or (self.last[key].n or 0) < s.n:
                    self.last[key] = s

    def latest(self, kind: str, track: Track, deadline: date | None = None) -> Sent | None:
        """The last numbered notice of `kind` on this track about `deadline` (None: one about no deadline)."""
        return self.last.get((kind, track.commitment.id, track.period, deadline))

    def told_since(self, kind: str, track: Track, since: datetime | None, deadline: date | None = None) -> int:
        """How many reminders of `kind` about `deadline` went out after `since` (all, when None):
        which reminder the next one is, counted from the last news, since news starts a new
        silence or lapse."""
        ats = self.numbered.get((kind, track.commitment.id, track.period, deadline), [])
        return sum(1 for at in ats if since is None or at > since)


def ident(kind: str, cid: str, period: str | None, *parts: object) -> str:
    return "|".join([kind, cid, period or "", *(str(p) for p in parts)])


def told_as(u: Update) -> tuple[str, ...]:
    """The keys news of `u` is told under: its own, and for a recorded update also its database
    row's, the key recorded updates had before 0.3."""
    return (u.key,) if u.recorded is None else (u.key, f"db:{u.recorded}")


def about(an_ident: str) -> str:
    """What an identity made by `ident` is about, after its kind, commitment and period: the key
    of the update news tells of, a lead's URL ("" for a kind about no one thing)."""
    parts = an_ident.split("|", 3)
    return parts[3] if len(parts) == 4 else ""
