"""Deciding what is due: a pure function of (register, updates, what was sent, now).

Deciding only produces `Decision`s; the shell stores them as notification rows and a separate
step delivers them. A re-run at the same `now` decides the same identities, which the store
already holds, so nothing is sent twice (SPEC §3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.decide.alerts import Alert, build
from bot.decide.holds import snoozed_until
from bot.decide.states import days_overdue, last_news, passes_at, start_of, state
from bot.decide.timeline import Track, every_action, tracks
from bot.register.model import Action, Commitment, Register, Update
from bot.register.routing import routed


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


class SentIndex:
    """What was sent before `now`, indexed the ways the rules of SPEC §3 ask about it."""

    def __init__(self, sent: Iterable[Sent], now: datetime) -> None:
        self.idents: set[str] = set()
        self.last: dict[tuple[str, str, str | None, date | None], Sent] = {}
        for s in sent:
            if s.at > now:
                continue
            self.idents.add(s.ident)
            key = (s.kind, s.commitment_id, s.period, s.deadline if s.kind == "lapsed" else None)
            if s.n is not None and (key not in self.last or (self.last[key].n or 0) < s.n):
                self.last[key] = s

    def latest(self, kind: str, track: Track, deadline: date | None = None) -> Sent | None:
        return self.last.get((kind, track.commitment.id, track.period, deadline))


def ident(kind: str, cid: str, period: str | None, *parts: object) -> str:
    return "|".join([kind, cid, period or "", *(str(p) for p in parts)])


def decide(
    register: Register,
    recorded: Mapping[str, Sequence[Update]],
    sent: Iterable[Sent],
    now: datetime,
    first_seen: Mapping[str, datetime] | None = None,
    failures: list[Undecidable] | None = None,
    actions: Mapping[str, Sequence[Action]] | None = None,
) -> list[Decision]:
    """What is due now. With `failures`, a commitment that cannot be decided (a date arithmetic
    error, say) is added there and the rest are still decided; without, the error propagates.
    `actions` are the team's own steps recorded outside the file (a snooze holds reminders)."""
    tz = ZoneInfo(register.timezone)
    now = now.astimezone(tz)
    index = SentIndex(sent, now)
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
        try:
            out += [d for track in tracks(c, recorded.get(c.id, ()), today)
                    for d in _track(c, track, now, index, targets, seen, snoozed_until(taken, track.period, today))]
        except (ArithmeticError, ValueError) as e:  # OverflowError is one: a date past year 9999
            if failures is None:
                raise
            failures.append(Undecidable(c.id, f"{type(e).__name__}: {e}"))
    return out


def _track(
    c: Commitment, track: Track, now: datetime, index: SentIndex, targets: tuple[str, ...],
    first_seen: datetime | None, snoozed: date | None = None,
) -> list[Decision]:
    tz = now.tzinfo
    assert tz is not None
    today = now.date()
    slips = track.slips() if len(track.promises) > 1 else []
    news_since = c.policy.remind_every.before(now) if slips or track.closing else now

    def make(kind: str, key: str, n: int | None = None, deadline: date | None = None,
             about: Update | None = None) -> Decision:
        alert = build(kind, track, slips, today, n, targets, days_overdue(track, today), about)
        return Decision(key, kind, c.id, deadline, n, track.period, targets, alert)

    def fresh(kind: str, u: Update, since: datetime) -> str | None:
        """The identity of news about `u` not yet told; None once told or too old to tell."""
        key = ident(kind, c.id, track.period, u.key)
        legacy = ident(kind, c.id, track.period, f"db:{u.recorded}")  # recorded updates' keys before 0.3
        if key in index.idents or legacy in index.idents or start_of(u.on, tz) < since:
            return None
        return key

    out: list[Decision] = []
    for slip in slips:
        if key := fresh("slipped", slip.update, news_since):
            out.append(make("slipped", key, deadline=slip.after.deadline))
    if track.closing is not None and (key := fresh("closed", track.closing, news_since)):
        out.append(make("closed", key, deadline=track.deadline, about=track.closing))
    for news in track.news():
        if key := fresh(news.kind, news.update, c.policy.remind_every.before(now)):
            out.append(make(news.kind, key, deadline=track.deadline, about=news.update))
    current = state(track, now, first_seen)
    deadline = track.deadline
    if snoozed is not None:  # the team asked not to be reminded until after this day (SPEC §7.3)
        return out
    if current == "due-soon":
        key = ident("heads-up", c.id, track.period, deadline)
        if key not in index.idents:
            out.append(make("heads-up", key, deadline=deadline))
    elif current == "lapsed" and deadline is not None:
        due: datetime
        last = index.latest("lapsed", track, deadline)
        update = track.last_update
        if last is None:
            due = c.policy.grace.after(passes_at(deadline, tz))
        else:
            anchor = max(last.at, start_of(update.on, tz)) if update else last.at
            due = c.policy.remind_every.after(anchor)
        if now >= due:
            n = (last.n or 0) + 1 if last else 1
            out.append(make("lapsed", ident("lapsed", c.id, track.period, deadline, n), n, deadline))
    elif current == "silent":
        last = index.latest("silent", track)
        since = last_news(track, tz, first_seen)
        recent = max(last.at, since) if last and since else (last.at if last else since)
        if recent is not None and (last is None or now >= c.policy.check_in.after(recent)):
            n = (last.n or 0) + 1 if last else 1
            out.append(make("silent", ident("silent", c.id, track.period, n), n))
    return out
