"""What a notification says: everything a channel needs to render it, decided once.

An `Alert` is stored with its notification row, so a delivery hours later (or by another
process) says exactly what was decided, and notifiers never re-derive domain facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from bot.decide import words
from bot.decide.correction import WithdrawnView
from bot.decide.timeline import Promise, Slip, Track, quiet_since
from bot.register.model import Action, Update
from bot.when.dates import describe


@dataclass(frozen=True)
class PromiseView:
    on: str | None
    words: str | None
    reading: str
    deadline: str | None
    said_by: str | None = None  # who gave these words (SPEC §7.2)
    where: str | None = None  # the title of the source they were given in (a bare link is no title: None)
    recurring: bool = False  # a later period of a series: its "words" are the period's name, nobody's
    expected: bool = False  # an expectation's own date: the team's, nobody's words (SPEC §7.1)


@dataclass(frozen=True)
class UpdateView:
    on: str
    note: str
    by: str | None = None  # who recorded it, as its channel knows them (a Slack user id)
    status: str | None = None
    source_url: str | None = None
    said_by: str | None = None
    source_title: str | None = None
    recorded_by: str | None = None  # the recorder's name, for readers
    period: str | None = None  # the occurrence it answers, for a recurring commitment


@dataclass(frozen=True)
class LeadView:
    """A lead (SPEC §6.3, §7.4) as an alert of kind "lead" shows it: what was found, where, its
    stored id, which the confirm / dismiss buttons and `commitment-bot leads confirm` name, and
    every commitment it may answer: one URL is one lead, shown once per channel."""

    lead_id: int
    title: str
    url: str
    published: str | None  # YYYY-MM-DD, as the source dates it
    source: str  # govuk | parliament-question | parliament-statement | page
    snippet: str | None = None
    answers: tuple[tuple[str, str], ...] = ()  # (id, title) of each commitment it may answer, in the order found

    def others(self, commitment_id: str) -> tuple[tuple[str, str], ...]:
        """The commitments it may answer besides the one whose thread it is in."""
        return tuple(a for a in self.answers if a[0] != commitment_id)

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES.get(self.source, self.source)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeadView:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["answers"] = tuple((str(a[0]), str(a[1])) for a in values.get("answers") or ())
        return cls(**values)


SOURCE_NAMES = {"govuk": "GOV.UK", "parliament-question": "written question",
                "parliament-statement": "written statement", "page": "watched page"}


@dataclass(frozen=True)
class ChaseView:
    """The team's chase a `reply-overdue` alert is about (SPEC §7.3): the team's record, never the
    government's."""

    on: str  # YYYY-MM-DD, the day it was sent or tabled
    how: str  # written-question | letter | foi | meeting | other
    ref: str | None = None  # e.g. HL1234
    to: str | None = None
    reply_due: str | None = None
    note: str | None = None
    # A written question whose answer the watch found and posted as a lead not yet confirmed: the
    # lead's number and the day of the answer (bot.decide.holds.found_answer). None otherwise.
    lead: int | None = None
    answered: str | None = None
    key: str | None = None  # the chase's identity (Action.key): Slack's Record reply names it (None: stored before 0.4)
    number: int | None = None  # its number as `history` shows it, when recorded outside the file (`--replied #3`)
    shared: bool = False  # another chase has the same reference: `--replied REF` may answer that one instead


@dataclass(frozen=True)
class ToRecord:
    """What a person reading an alert may record next: `ask` ("Record what happened") leads the
    command or the button's name, `what` follows "To record", `button` is Slack's."""

    ask: str
    what: str
    command: str
    button: str


@dataclass(frozen=True)
class Alert:
    kind: str
    id: str
    title: str
    owner: str
    made_by: str | None
    made_on: str | None
    period: str | None
    source_title: str | None
    source_url: str | None
    quote: str | None
    words: str | None  # the promised words now in force
    reading: str  # how the bot reads them, e.g. "1 – 31 Aug 2022"
    deadline: str | None
    days_overdue: int
    n: int | None
    status: str
    promises: tuple[PromiseView, ...]  # every promised time, first to latest
    slips: int
    last_update: UpdateView | None
    routed: tuple[str, ...]  # where the register routes it (slack:#x, email:a@b)
    # The day it was decided (register's timezone), "how long ago" counts from; None: stored before.
    decided_on: str | None = None
    lead: LeadView | None = None  # set on a "lead" alert only: what the watch found
    type: str = "promise"  # promise | ask | expectation (SPEC §7.1); alerts stored before 0.4 are promises
    late_days: int = 0  # a closed one: how many days after the deadline then in force it was closed
    # A year of a series with no update of its own: the commitment's latest ("no update for 2025-26").
    series_update: UpdateView | None = None
    quiet_since: str | None = None  # an open-ended one: the day its silence is counted from
    chase: ChaseView | None = None  # set on a "reply-overdue" alert only: the team's chase awaiting its answer
    # How often a repeating reminder repeats ("30 days"), so its reader knows why it came again.
    every: str | None = None
    # Its update gave new time words (`promises` end with them): news says what they did to the
    # date, brought it forward, gave a first one, answered an ask, never "stays" (SPEC §6.1).
    gives_words: bool = False
    withdrawn: WithdrawnView | None = None  # set on a "withdrawn" alert only: the update the team withdrew

    @property
    def answers(self) -> bool:
        """A news alert about an ask or an expectation whose update gave the owner's first date: it
        answers with a date, which is never a slip of the date asked for or expected (SPEC §7.1)."""
        return self.gives_words and words.answered(self.type) and len(self.promises) == 2

    @property
    def date_given(self) -> bool:
        """An ask or an expectation the owner answered with a date of its own: the date in force is
        the owner's, so it is headed as the owner's promise is ("Lapsed", "Due soon"), never "No
        answer" or "No news" (SPEC §7.1)."""
        return words.stated_as(self.type, len(self.promises)) != self.type

    @property
    def headline_type(self) -> str:
        """The type an alert's headline is worded for: a promise once the owner gave its own date."""
        return "promise" if self.date_given else self.type

    @property
    def update_command(self) -> str:
        return f'commitment-bot update {self.id} --note "what happened" --source URL'

    @property
    def reply_command(self) -> str | None:
        """For a chase awaiting its reply (no answer found to confirm): the command that records
        the reply, naming the chase as `--replied` takes it. None for every other alert."""
        chase = self.chase
        if chase is None or chase.lead is not None:
            return None
        if not chase.ref and not chase.number:
            return f"commitment-bot chase {self.id} --replied '#N' (its number in `history`)"
        # its number where its reference names another chase too (a reply by reference answers the
        # oldest of them still awaiting one); quoted for a shell, where a bare #3 starts a comment
        named = f"#{chase.number}" if chase.number and (chase.shared or not chase.ref) else chase.ref or ""
        return f"commitment-bot chase {self.id} --replied {_shell_word(named)}"

    @property
    def to_record(self) -> ToRecord:
        """What a reader is asked to record next, and how: the reply, for a chase awaiting one;
        else what happened (news, with `update`). Each channel says it its own way (a Slack
        button, a thread or page link, or the command when it knows neither)."""
        if (command := self.reply_command) is not None:
            return ToRecord("When the reply comes, record it", "the reply when it comes", command, "Record reply")
        if self.chase is not None and self.chase.lead is not None:  # the watch found the answer: it waits for a person
            lead = self.chase.lead
            return ToRecord("Confirm the answer", "the answer", f"commitment-bot leads confirm {lead}", "Confirm")
        return ToRecord("Record what happened", "what happened", self.update_command, "Record update")

    @property
    def words_over_time(self) -> str:
        """Every promised time in turn, "end August → autumn 2022 → later this year", and, when not
        every change moved the date later, how many did not: "slipped once" beside a chain of three
        words read as two slips (the evaluation's date came forward to "in the summer"). An ask's
        first date is the asker's (an expectation's the team's) and the next the owner's answer,
        neither a slip: "asked for June 2026; given by the end of 2026 → spring 2027"."""
        said = [p.words or p.reading for p in self.promises]
        if words.answered(self.type) and len(said) > 1:
            first = f"{words.of(self.type).time_label.lower()} {said[0]}"
            chain, changes = f"{first}; given " + " → ".join(said[1:]), len(said) - 2
        else:
            chain, changes = " → ".join(said), len(said) - 1
        kept = changes - self.slips
        if kept > 0:
            chain += f" ({'one change' if kept == 1 else f'{kept} changes'} did not move the date later)"
        return chain

    @property
    def updated_since_deadline(self) -> bool:
        """An update on or after the deadline day (SPEC §3: it counts from the start of its day)."""
        u = self.last_update
        return bool(u and self.deadline and u.on >= self.deadline)

    @property
    def update_age(self) -> str | None:
        """How long before the decision the last update was, e.g. "2 years ago"; None if unknown."""
        if self.last_update is None or self.decided_on is None:
            return None
        return ago((date.fromisoformat(self.decided_on) - date.fromisoformat(self.last_update.on)).days)

    def last_update_when(self, day: Callable[[str], str]) -> str:
        """The last update's day in the channel's way of writing dates, and how long ago when known:
        "14 Nov 2024, 2 years ago". Call only when there is a last update."""
        assert self.last_update is not None
        age = self.update_age
        return day(self.last_update.on) + (f", {age}" if age else "")

    def to_dict(self) -> dict[str, Any]:
        """What `dataclasses.asdict` gives, without its deep copy of every value: an alert is
        stored once per target, and at 10k alerts `asdict` was a third of a real check."""
        return _plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["promises"] = tuple(PromiseView(**p) for p in values.get("promises", ()))
        values["routed"] = tuple(values.get("routed", ()))
        for name in ("last_update", "series_update"):
            if values.get(name):
                values[name] = UpdateView(**values[name])
        if values.get("lead"):
            values["lead"] = LeadView.from_dict(values["lead"])
        if values.get("chase"):
            values["chase"] = ChaseView(**values["chase"])
        if values.get("withdrawn"):
            values["withdrawn"] = WithdrawnView(**values["withdrawn"])
        return cls(**values)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples and lists as themselves, all the way down; everything in an
    alert is otherwise immutable (str, int, None), so nothing needs copying."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None and hasattr(value, "__dataclass_fields__"):
        names = _FIELDS[cls] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if cls is tuple or cls is list:
        return cls(_plain(v) for v in value)
    if cls is dict:
        return {k: _plain(v) for k, v in value.items()}
    return value


def _shell_word(text: str) -> str:
    """`text` as one word a shell reads back unchanged: as it is when it is plain, else in single quotes."""
    if re.fullmatch(r"[A-Za-z0-9._/:+-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def ago(days: int) -> str:
    """A number of days as a reader says it: "yesterday", "3 weeks ago", "2 years ago"."""
    if days in (0, 1, -1):
        return {0: "today", 1: "yesterday", -1: "tomorrow"}[days]
    n = abs(days)
    if n < 14:
        span = f"{n} days"
    elif n < 60:
        span = f"{n // 7} weeks"
    elif n < 548:  # up to 18 months
        span = f"{round(n / 30.44)} months"
    else:
        span = f"{max(2, int(n / 365.25))} years"  # whole years passed: 2 years 7 months is "2 years ago"
    return f"{span} ago" if days > 0 else f"in {span}"


def times(n: int) -> str:
    """How many slips, in words: "never", "once", "twice", "3 times"."""
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n} times")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def view(p: Promise) -> PromiseView:
    reading = describe(p.window) if p.window is not None else "open-ended"
    return PromiseView(_iso(p.on), p.phrase, reading, _iso(p.deadline), p.said_by,
                       p.source.named if p.source else None, p.recurring, p.expected)


def update_view(u: Update) -> UpdateView:
    return UpdateView(u.on.isoformat(), u.note, u.by, u.status, u.source.url if u.source else None, u.said_by,
                      u.source.named if u.source else None, u.recorded_by,
                      u.period)


def late_days(track: Track) -> int:
    """How late a delivered track was delivered: days from the deadline in force when it closed (the
    last words given by then) to its closing update; 0 when on time. When the words in force give
    no date ("in due course"), a date they replaced only after it had passed was still missed, and
    the closing is late against it; one withdrawn before it passed was not."""
    if track.closing is None or track.status not in ("delivered", "partly-delivered"):
        return 0  # dropped or superseded: nothing came, late or not
    given = [p for p in track.promises if p.on is None or p.on <= track.closing.on]
    if not given:
        return 0
    deadline = given[-1].deadline
    if deadline is None and len(given) > 1 and given[-1].on is not None:
        earlier = given[-2].deadline
        deadline = earlier if earlier is not None and earlier < given[-1].on else None
    return max(0, (track.closing.on - deadline).days) if deadline else 0


def lead_alert(track: Track, lead: LeadView, today: date, routed: tuple[str, ...]) -> Alert:
    """The "lead" alert for one hit: the commitment as it stands, and what was found. A lead is
    never an update, so the track (deadline, slips, last update) is reported unchanged."""
    slips = track.slips() if len(track.promises) > 1 else []
    return replace(build("lead", track, slips, today, None, routed, 0), lead=lead)


def build(
    kind: str, track: Track, slips: list[Slip], today: date, n: int | None, routed: tuple[str, ...],
    days_overdue: int, about: Update | None = None, action: Action | None = None, every: str | None = None,
) -> Alert:
    """`about` is the update an alert reports, as its kind's rule says (`Due.about`); other alerts report the
    track's last update. One that reports an update is told as of it, whatever its kind: two slips told in one
    run each say their own from → to and count, never both the latest; news of a date brought forward, then a
    slip, says the date it brought forward, not the slip's. `action` is the team's chase a `reply-overdue`
    alert reminds of; `every`, how often a repeating reminder comes again (its kind says)."""
    c = track.commitment
    promises = track.promises
    if about is not None:
        promises = promises[:_given_by(track, about)]
        slips = [s for s in slips if s.after in promises]
    current, source = promises[-1], promises[0].source  # None: no source speaks for this period
    last = about or track.last_update
    return Alert(
        kind=kind, id=c.id, title=c.title, owner=c.owner, made_by=c.made_by,
        made_on=_iso(c.made_on), period=track.period,
        source_title=source.title if source else None,
        source_url=source.url if source else None,
        quote=source.quote if source else None,
        words=current.phrase, reading=view(current).reading, deadline=_iso(current.deadline),
        days_overdue=days_overdue, n=n, status=track.status,
        promises=tuple(view(p) for p in promises), slips=len(slips),
        last_update=update_view(last) if last else None,
        routed=routed, decided_on=today.isoformat(), type=c.type, late_days=late_days(track),
        series_update=update_view(track.series_last) if last is None and track.series_last else None,
        quiet_since=_iso(quiet_since(track)),
        chase=ChaseView(action.on.isoformat(), action.how or "other", action.ref, action.to, _iso(action.reply_due),
                        action.note, key=action.key, number=action.recorded) if action is not None else None,
        every=every,
        gives_words=about is not None and promises[-1].origin == about.key,
    )


def date_news(track: Track, about: Update, day: words.Day) -> str | None:
    """What news `about` did to the date, as its alert says it (`words.date_news`, `words.answer_news`), or None."""
    c, given = track.commitment, track.promises[:_given_by(track, about)]
    was, now = (_iso(given[-2].deadline), _iso(given[-1].deadline)) if len(given) > 1 else (None, None)
    if len(given) < 2 or given[-1].origin != about.key:
        return None
    if words.answered(c.type) and len(given) == 2:  # the owner's first date: an answer, never a slip
        return words.answer_news(c.owner, words.of(c.type).time_label.lower(), now, was, day)
    return words.date_news(words.the_date(c.type, c.owner, len(given)), was, now, day)


def _given_by(track: Track, about: Update) -> int:
    """How many promised times the update `about` had given by then: its alert is told as of then."""
    keys = [u.key for u in track.updates]
    if about.key not in keys:
        return len(track.promises)
    upto = set(keys[:keys.index(about.key) + 1])
    return sum(1 for p in track.promises if p.origin == "made" or p.origin in upto)

