"""Which held alerts are still worth sending once their channel is configured (SPEC §6.5).

An alert routed to a channel that was not configured is kept, not used up. When the channel
is configured later, sending every held alert would replay history ("due soon" for a deadline
long passed); sending none would leave the team unaware of a current lapse. So each held alert
is released only while what it says is still true (its kind's rule says so: bot.decide.kinds),
and only the newest of its kind (news and leads excepted: each says something the others do not).
News of an update (news, a slip, a closing, a reopening) is true only while that update is
counted: one retracted since is not (SPEC §6.1); a lead only while nobody has decided it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.decide.holds import snoozed_until
from bot.decide.kinds import kind
from bot.decide.sent import about, told_as
from bot.decide.states import state
from bot.decide.timeline import Track, every_action, tracks
from bot.register.model import Action, Register, Update


@dataclass(frozen=True)
class HeldAlert:
    id: int
    commitment_id: str
    kind: str
    period: str | None
    deadline: date | None
    target: str
    ident: str = ""  # its identity (bot.decide.sent.ident): what it is about


def settle(register: Register, recorded: Mapping[str, Sequence[Update]], now: datetime,
           first_seen: Mapping[str, datetime], held: Sequence[HeldAlert],
           actions: Mapping[str, Sequence[Action]] | None = None,
           open_leads: Collection[str] = ()) -> tuple[set[int], set[int]]:
    """(ids to send now, ids that are no longer current). A reminder for a track the team has
    snoozed is no longer current: the reminder due after the snooze is decided afresh.
    `open_leads`: the URLs of the held leads that nobody has confirmed or dismissed yet."""
    now = now.astimezone(ZoneInfo(register.timezone))
    wanted = {h.commitment_id for h in held}
    current: dict[tuple[str, str | None], tuple[str, date | None]] = {}
    counted: dict[tuple[str, str | None], set[str]] = {}  # each track's updates still counted, by key
    snoozed: set[tuple[str, str | None]] = set()
    for c in register.commitments:
        if c.id in wanted:
            taken = every_action(c, (actions or {}).get(c.id, ()))
            for t in tracks(c, recorded.get(c.id, ()), now.date()):
                current[(c.id, t.period)] = (state(t, now, first_seen.get(c.id)), t.deadline)
                counted[(c.id, t.period)] = _keys(t)
                if snoozed_until(taken, t.period, now.date()) is not None:
                    snoozed.add((c.id, t.period))
    live = [h for h in held if not (kind(h.kind).reminder and (h.commitment_id, h.period) in snoozed)]
    newest: dict[tuple[str, str | None, str, str, int], HeldAlert] = {}
    for h in sorted(live, key=lambda h: h.id):  # each lead and each piece of news is its own; a lapse replaces the last
        newest[(h.commitment_id, h.period, h.kind, h.target, h.id if kind(h.kind).each_its_own else 0)] = h
    release = {h.id for h in newest.values() if _still_true(h, current.get((h.commitment_id, h.period)))
               and _still_about(h, counted.get((h.commitment_id, h.period), set()), open_leads)}
    return release, {h.id for h in held} - release


def awaiting_decision(held: Sequence[HeldAlert]) -> list[str]:
    """What the held alerts of a kind a person decides (`until_decided`: a lead) are about, their
    leads' URLs: `settle` is told which of them nobody has confirmed or dismissed yet."""
    return [about(h.ident) for h in held if kind(h.kind).until_decided]


def _keys(t: Track) -> set[str]:
    """The keys news of this track's updates is told under (and the database rows' older ones):
    the owner's own record only, so news of an update marked context since is not sent either."""
    return {k for u in t.news_updates for k in told_as(u)}


def _still_about(h: HeldAlert, counted: set[str], open_leads: Collection[str]) -> bool:
    """News of an update still counted; a lead still undecided (its kind is `until_decided`); any
    other kind is about no one thing."""
    if kind(h.kind).until_decided:
        return about(h.ident) in open_leads
    return not kind(h.kind).announces or about(h.ident) in counted


def _still_true(h: HeldAlert, now: tuple[str, date | None] | None) -> bool:
    """What the kind's own rule says (bot.decide.kinds); archived, or a period no longer tracked: not."""
    if now is None:
        return False
    rule = kind(h.kind).rule
    return rule is None or rule.still_true(h.deadline, *now)
