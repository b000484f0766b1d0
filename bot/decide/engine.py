"""Deciding what is due: a pure function of (register, updates, what was sent, now).

Deciding only produces `Decision`s; the shell stores them as notification rows and a separate
step delivers them. A re-run at the same `now` decides the same identities, which the store
already holds, so nothing is sent twice (SPEC §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.decide.alerts import Alert, build
from bot.decide.holds import FoundAnswer, found_answer, shares_ref, snoozed_until
from bot.decide.kinds import DECIDED, Moment
from bot.decide.sent import Sent, SentIndex, ident
from bot.decide.states import days_overdue, state
from bot.decide.timeline import Track, every_action, tracks
from bot.register.model import Action, Commitment, Register, Retraction, Update

__all__ = ["Decision", "Sent", "SentIndex", "Undecidable", "decide", "ident"]
from bot.register.routing import routed


@dataclass(frozen=True)
class Decision:
    ident: str
    kind: str
    commitment_id: str
    deadline: date | None
    n: int | None
    period: str | None
    routed: tuple[str, ...]
    alert: Alert


@dataclass(frozen=True)
class Undecidable:
    """A commitment the rules could not decide: reported, and the others are decided regardless."""

    commitment_id: str
    reason: str


def decide(
    register: Register,
    recorded: Mapping[str, Sequence[Update]],
    sent: Iterable[Sent],
    now: datetime,
    first_seen: Mapping[str, datetime] | None = None,
    failures: list[Undecidable] | None = None,
    actions: Mapping[str, Sequence[Action]] | None = None,
    answers: Mapping[str, Sequence[FoundAnswer]] | None = None,
    retracted: Mapping[str, Sequence[Retraction]] | None = None,
    given: Mapping[str, Sequence[str]] | None = None,
) -> list[Decision]:
    """What is due now. With `failures`, a commitment that cannot be decided (a date arithmetic
    error, say) is added there and the rest are still decided; without, the error propagates.
    `actions` are the team's own steps recorded outside the file (a snooze holds reminders);
    `answers`, the chased questions' answers the watch found and no one has confirmed yet (a
    reply-overdue then says the answer is there to confirm, not that it is missing). `retracted`,
    the recorded updates the team withdrew, and `given`, where each notification went (ident →
    targets): news of a withdrawn update is corrected there (bot.decide.kinds.withdrawn)."""
    tz = ZoneInfo(register.timezone)
    now = now.astimezone(tz)
    index = SentIndex(sent, now, given)
    out: list[Decision] = []
    routes: dict[tuple[object, tuple[str, ...]], tuple[str, ...]] = {}  # most commitments share a few routes
    first_seen = first_seen or {}
    today = now.date()
    for c in register.commitments:
        if c.made_on is not None and c.made_on > today:
            continue  # not promised yet at `now`: time travel sees only what existed
        key = (c.notify, c.tags)
        targets = routes.get(key)
        if targets is None:
            targets = routes[key] = routed(c, register.routes)
        seen = first_seen.get(c.id)
        taken = every_action(c, (actions or {}).get(c.id, ()))
        withdrawn = tuple((retracted or {}).get(c.id, ()))
        try:
            out += _once(d for track in tracks(c, recorded.get(c.id, ()), today)
                         for d in _track(c, track, now, index, targets, seen, taken, (answers or {}).get(c.id, ()),
                                         withdrawn))
        except (ArithmeticError, ValueError) as e:  # OverflowError is one: a date past year 9999
            if failures is None:
                raise
            failures.append(Undecidable(c.id, f"{type(e).__name__}: {e}"))
    return out


def _once(decisions: Iterable[Decision]) -> list[Decision]:
    """Each identity once: the first track's. A chase naming no year of a series is due on every
    year it is about, under one identity (bot.decide.kinds.reply_overdue)."""
    out: dict[str, Decision] = {}
    for d in decisions:
        out.setdefault(d.ident, d)
    return list(out.values())


def _track(
    c: Commitment, track: Track, now: datetime, index: SentIndex, targets: tuple[str, ...],
    first_seen: datetime | None, actions: Sequence[Action] = (), answers: Sequence[FoundAnswer] = (),
    retracted: tuple[Retraction, ...] = (),
) -> list[Decision]:
    """Every kind's rule asked about one track (bot.decide.kinds), in the registry's order (the team's
    corrections, then the government's news, then reminders);
    reminders wait while the team's snooze holds them (SPEC §7.3)."""
    today = now.date()
    slips = tuple(track.slips()) if len(track.promises) > 1 else ()
    m = Moment(c, track, now, index, first_seen, state(track, now, first_seen), slips, tuple(actions), retracted)
    snoozed = snoozed_until(actions, track.period, today)
    out: list[Decision] = []
    for k in DECIDED:
        if k.reminder and snoozed is not None:
            continue
        assert k.rule is not None
        for d in k.rule.due(m):
            to = d.rooms if d.rooms is not None else targets
            alert = build(k.name, track, list(slips), today, d.nth or d.n, to, days_overdue(track, today), d.about,
                          d.action, str(k.every(c.policy)) if k.every else None)
            if d.withdrawn is not None:
                alert = replace(alert, withdrawn=d.withdrawn)
            if alert.chase is not None and d.action is not None and shares_ref(actions, d.action):
                alert = replace(alert, chase=replace(alert.chase, shared=True))
            if alert.chase is not None and d.action is not None and (found := found_answer(d.action, answers)):
                alert = replace(alert, chase=replace(alert.chase, lead=found.lead,
                                                     answered=found.on.isoformat() if found.on else None))
            out.append(Decision(d.key, k.name, c.id, d.deadline, d.n, track.period, to, alert))
    return out
