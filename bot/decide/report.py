"""The report for trustees (SPEC §7.6): the whole register on one page, for a period. Pure.

It says what the government did and did not do in the period (deadlines that passed with no
news, slips, closings, news), what the team itself did (its chases and snoozes, named as the
team's and never as news), which chases still wait for an answer, and the promises longest past
their deadline. Every line is worded by type (SPEC §7.1): only a promise is "promised" or
"overdue"; an ask past its date has no answer, an expectation no news.

The period is whole days `[since, until)`, `until` being the day it is built: news dated that
day goes in the next report, as in the digest, so nothing falls between two reports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.decide.alerts import PromiseView, view
from bot.decide.holds import answer, answered_on
from bot.decide.states import SEVERITY, days_overdue, most_urgent, state
from bot.decide.timeline import Track, every_action, tracks
from bot.register.model import TERMINAL, TYPES, Action, Register, Update

PAST = ("lapsed", "overdue")  # past the deadline, with no news since / with news since


@dataclass(frozen=True)
class Row:
    """One commitment, or one period of a recurring one, as a line of the report names it."""

    id: str
    title: str
    type: str  # promise | ask | expectation
    owner: str
    period: str | None
    state: str
    deadline: date | None
    days_overdue: int


@dataclass(frozen=True)
class Event:
    """Something the register records in the period: a deadline passing, a slip, a closing, news."""

    row: Row
    on: date
    note: str | None = None  # the update's own words
    said_by: str | None = None  # who gave them (SPEC §7.2)
    source_title: str | None = None
    source_url: str | None = None
    status: str | None = None  # a closing: delivered, partly-delivered, dropped, superseded
    before: PromiseView | None = None  # a slip: the words it moved from …
    after: PromiseView | None = None  # … and the words it set, with who said them
    in_force: bool = False  # a slip: its words are still the ones in force (the track open, no later words)
    chased_on: date | None = None  # the first news since a chase: the chase's day (it came after it, no more)
    answer_to: str | None = None  # the answer to the team's written question: its reference (HL1234)
    key: str | None = None  # the update's identity (Update.key)


@dataclass(frozen=True)
class TeamAction:
    """A step the team took (SPEC §7.3): a chase or a snooze. The team's, never news."""

    row: Row
    kind: str  # chase | snooze | reply (the team recorded the reply to a chase)
    on: date
    how: str | None = None
    ref: str | None = None
    to: str | None = None
    reply_due: date | None = None
    until: date | None = None  # a snooze: held until; a reply: the day of the chase it answers
    note: str | None = None
    by: str | None = None
    answered_on: date | None = None  # a chase: the day it was answered (holds.answered_on)


@dataclass(frozen=True)
class Report:
    since: date
    until: date  # exclusive: the day it is built
    counts: tuple[tuple[str, tuple[int, ...]], ...]  # (state, a count per TYPES)
    totals: tuple[int, ...]  # per TYPES
    lapsed: tuple[Event, ...]  # a deadline that fell in the period, with no news since
    slipped: tuple[Event, ...]
    closed: tuple[Event, ...]
    news: tuple[Event, ...]
    actions: tuple[TeamAction, ...]  # the team's chases and snoozes in the period
    awaited: tuple[TeamAction, ...]  # chases (of any day) nothing answers yet, on open commitments
    overdue: tuple[Row, ...]  # promises past their deadline, longest first

    @property
    def total(self) -> int:
        return sum(self.totals)

    @property
    def past_date(self) -> int:
        """Commitments past their date at the end of the period, whenever it passed (with or
        without news since): a state, where `lapsed` lists only the deadlines of the period."""
        return sum(sum(n) for s, n in self.counts if s in PAST)


@dataclass
class _Found:
    """What the register says, gathered commitment by commitment before it is ordered."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    lapsed: list[Event] = field(default_factory=list)
    slipped: list[Event] = field(default_factory=list)
    closed: list[Event] = field(default_factory=list)
    news: list[Event] = field(default_factory=list)
    actions: list[TeamAction] = field(default_factory=list)
    awaited: list[TeamAction] = field(default_factory=list)
    overdue: list[Row] = field(default_factory=list)


def build_report(register: Register, recorded: Mapping[str, Sequence[Update]],
                 actions: Mapping[str, Sequence[Action]], now: datetime, since: date,
                 first_seen: Mapping[str, datetime] | None = None) -> Report:
    """The report at `now` of the days from `since` to the day before `now`. Counts are per
    commitment (its most urgent period, as `status` shows it); lists are per period."""
    now = now.astimezone(ZoneInfo(register.timezone))
    today, seen, found = now.date(), first_seen or {}, _Found()
    for c in register.commitments:
        if c.made_on is not None and c.made_on > today:
            continue  # not made yet at `now`
        states = [(state(t, now, seen.get(c.id)), t) for t in tracks(c, recorded.get(c.id, ()), today)]
        if not states:
            continue  # a series with no period begun yet
        top, _ = most_urgent(states)
        found.counts.setdefault(top, [0] * len(TYPES))[TYPES.index(c.type)] += 1
        news_before = len(found.news)
        for st, track in states:
            _track(found, _row(track, st, today), track, since, today)
        _team(found, states, every_action(c, actions.get(c.id, ())), since, today, news_before)
    by_day = lambda e: (e.on, e.row.id)  # noqa: E731
    longest = lambda r: (-r.days_overdue, r.id)  # noqa: E731
    counts = found.counts
    return Report(
        since, today, tuple((s, tuple(counts[s])) for s in SEVERITY if s in counts),
        tuple(sum(n[i] for n in counts.values()) for i in range(len(TYPES))),
        lapsed=tuple(sorted(found.lapsed, key=lambda e: longest(e.row))),
        slipped=tuple(sorted(found.slipped, key=by_day)), closed=tuple(sorted(found.closed, key=by_day)),
        news=tuple(sorted(found.news, key=by_day)), actions=tuple(sorted(found.actions, key=by_day)),
        awaited=tuple(sorted(found.awaited, key=by_day)), overdue=tuple(sorted(found.overdue, key=longest)),
    )


def _row(track: Track, st: str, today: date) -> Row:
    c = track.commitment
    return Row(c.id, c.title, c.type, c.owner, track.period, st, track.deadline, days_overdue(track, today))


def _track(found: _Found, row: Row, track: Track, since: date, today: date) -> None:
    """What one track contributes: its deadline passing, slips, closing and news in the period,
    and, for a promise past its deadline, a place among the longest overdue."""
    within = lambda d: since <= d < today  # noqa: E731
    if row.state == "lapsed" and track.deadline is not None and within(track.deadline):
        found.lapsed.append(Event(row, track.deadline))
    if row.state in PAST and row.type == "promise":
        found.overdue.append(row)
    for slip in track.slips():
        if within(slip.update.on):  # its own words, "now" only while they are still in force (SPEC §7.1)
            still = slip.after is track.promises[-1] and track.status not in TERMINAL
            found.slipped.append(replace(_event(row, slip.update, before=view(slip.before), after=view(slip.after)),
                                         in_force=still))
    if track.closing is not None and track.status in TERMINAL and within(track.closing.on):
        found.closed.append(_event(row, track.closing, status=track.status))
    for news in track.news():
        if within(news.update.on):
            found.news.append(_event(row, news.update))


def _event(row: Row, u: Update, before: PromiseView | None = None, after: PromiseView | None = None,
           status: str | None = None) -> Event:
    source = u.source
    title = source.named if source else None
    return Event(row, u.on, u.note, u.said_by, title, source.url if source else None, status, before, after,
                 key=u.key)


def _team(found: _Found, states: list[tuple[str, Track]], taken: Sequence[Action], since: date, today: date,
          news_from: int) -> None:
    """The team's own steps: those taken in the period, and every chase still waiting for its
    reply (bot.decide.holds.answered_on, the rule every surface reads: the reply the team
    recorded, or its written question's answer). News after a chase is said to come after it,
    never to answer it; a written question's answer is named as that."""
    if not states:
        return
    pool = sorted({u.key: u for _, t in states for u in t.updates}.values(), key=lambda u: u.on)
    done = [a for a in taken if a.on <= today]
    for a in done:
        st, track = _for_period(states, a.period)
        answered = answered_on(a, pool, done, today) if a.kind == "chase" else None
        team = TeamAction(_row(track, st, today), a.kind, a.on, a.how, a.ref, a.to, a.reply_due, a.until,
                          a.note, a.recorder, answered)
        if since <= a.on < today:
            found.actions.append(team)
        if a.kind == "chase" and answered is None and st not in TERMINAL:
            found.awaited.append(team)
    chased = [a for a in done if a.kind == "chase"]
    for i in range(news_from, len(found.news)):  # this commitment's news in the period
        event = found.news[i]
        question = next((a for a in chased if (u := answer(a, pool)) is not None and u.key == event.key), None)
        if question is not None:
            found.news[i] = replace(event, answer_to=question.ref)
            continue
        after = [a.on for a in chased if a.on <= event.on and (first := _first_since(a.on, pool)) is not None
                 and first.key == event.key]
        if after:
            found.news[i] = replace(event, chased_on=max(after))


def _first_since(day: date, pool: Sequence[Update]) -> Update | None:
    """The owner's first news dated on or after `day` (someone else's statement is not its news)."""
    return next((u for u in pool if u.on >= day and not u.context), None)


def _for_period(states: list[tuple[str, Track]], period: str | None) -> tuple[str, Track]:
    """The track an action is about: its period's, else the commitment's most urgent."""
    for st, t in states:
        if period is not None and t.period == period:
            return st, t
    return most_urgent(states)
