"""The email digest's content, per recipient: a pure function of the register, updates and now.

Tracks are read once per commitment and shared by every recipient routed to it, so 10k
commitments for 200 recipients cost one pass, not 200. "Since the last digest" is a window
of whole days `[since, until)`: a digest built on day D covers news dated before D, so news
recorded later on D is in next week's digest rather than in neither. Its title names those
days (`Digest.covers`), never the ISO week it is counted in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.decide import words
from bot.decide.alerts import LeadView, PromiseView, date_news, late_days, view
from bot.decide.states import days_overdue, state
from bot.decide.timeline import Promise, Slip, Track, tracks
from bot.register.model import TERMINAL, Commitment, Register, Update
from bot.register.routing import routed

SECTIONS = (
    ("lapsed", "Lapsed"),
    # Past their date, but not promises (SPEC §7.1): an ask has no answer, an expectation no news.
    ("unanswered", "Asks with no answer by their date"),
    ("no-news", "Expected, with no news by their date"),
    ("slipped", "Slipped since the last digest"),
    ("due-soon", "Due in the next 30 days"),
    ("silent", "Open-ended, gone silent"),
    ("delivered", "Closed since the last digest: delivered, met, dropped or superseded"),
    ("reopened", "Reopened since the last digest"),
    ("news", "News since the last digest"),
)
# Leads (SPEC §6.3) come last and apart from the news: possible news found by the watch, not yet
# confirmed. Kept out of SECTIONS, which lists what the register itself says.
LEADS = ("leads", "New leads: possible news, not yet confirmed")
ALL_SECTIONS = (*SECTIONS, LEADS)
SUBJECT_WORDS = {"lapsed": "lapsed", "unanswered": "with no answer", "no-news": "with no news", "slipped": "slipped", "due-soon": "due soon", "silent": "gone silent",
                 "delivered": "closed", "reopened": "reopened", "news": "with news",
                 "leads": "new lead"}  # the one count that is a noun: "1 new lead", "3 new leads"
LAPSED_SECTION = {"promise": "lapsed", "ask": "unanswered", "expectation": "no-news"}
DUE_WITHIN = timedelta(days=30)
FIRST_LOOKBACK = timedelta(days=7)  # a recipient's first digest covers the week before it


@dataclass(frozen=True)
class Item:
    """One commitment (or one occurrence of a recurring one) as a digest line shows it."""

    id: str
    title: str
    owner: str
    period: str | None
    state: str
    quote: str | None
    words: str | None
    reading: str
    deadline: str | None
    days_overdue: int
    slips: int
    last_update_on: str | None
    last_update_note: str | None
    source_title: str | None  # the evidence for what this line reports: the promise's source for a
    source_url: str | None  # lapse, due date or silence; the update's for a slip or closure
    event_on: str | None = None  # the day of the slip or closure this line reports
    quote_from: str | None = None  # the promise's source title: a slip or closure cites another source
    slipped_from: Promised | None = None
    slipped_to: Promised | None = None
    lead: LeadView | None = None  # the "leads" section: what the watch found (SPEC §6.3)
    type: str = "promise"  # promise | ask | expectation (SPEC §7.1)
    current: PromiseView | None = None  # the words in force, with who gave them (SPEC §7.2), once they changed
    late_days: int = 0  # a closing: days after the deadline then in force
    series_update_on: str | None = None  # no update for this period: the last one on the series
    last_update_source: str | None = None  # the last update's source and speaker, as words.cited says them
    made_by: str | None = None  # who gave the first words: "promised by Home Office (Lord Sharpe)" (SPEC §7.1)
    recurring: bool = False  # a later period of a series: `words` is the period's name, nobody's words
    expected: bool = False  # an expectation's own date: `words` are the team's, nobody's words (SPEC §7.1)
    dated: str | None = None  # news that brought the date forward or gave a first one: what it did, as its alert says

    @property
    def update_command(self) -> str:
        """What a mail names to record what happened when it knows no page and no thread (as an alert's)."""
        return f'commitment-bot update {self.id} --note "what happened" --source URL'


@dataclass(frozen=True)
class Promised:
    """A promised time as a slip line shows it: the government's words, then the deadline."""

    words: str | None  # None when the words are a plain date: the deadline says it all
    when: str  # "31 May 2027", or "no date" once the deadline is withdrawn

    def __str__(self) -> str:
        """'"by spring 2027" (31 May 2027)'; a plain date is shown once."""
        return f'"{self.words}" ({self.when})' if self.words else self.when


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Digest:
    recipient: str
    period: str  # ISO week, e.g. "2026-W48": one digest per recipient per period
    week_of: date
    since: date
    until: date
    sections: tuple[Section, ...]  # only the non-empty ones, in ALL_SECTIONS order
    routed_count: int  # how many commitments route to this recipient (for the footer)

    @property
    def is_empty(self) -> bool:
        return not self.sections

    def count(self, key: str) -> int:
        return next((len(s.items) for s in self.sections if s.key == key), 0)

    @property
    def covers(self) -> str:
        """The days of news it covers, as its title and its "news dated" line both say them: a
        digest built on Sunday 6 Dec after one built on Sunday 29 Nov covers "29 Nov – 5 Dec 2026"
        (news dated on the day it is built waits for the next one). With no day left to cover (a
        second digest forced the same day), the day it stands at."""
        return covered(self.since, self.until)

    @property
    def subject(self) -> str:
        parts = [f"{len(s.items)} {SUBJECT_WORDS[s.key]}{'s' if s.key == 'leads' and len(s.items) != 1 else ''}"
                 for s in self.sections]
        return f"{', '.join(parts) or 'Nothing new'} — commitments digest, {self.covers}"


@dataclass(frozen=True)
class Facts:
    """What one track contributes to any digest, before the per-recipient window is applied."""

    standing: tuple[tuple[str, Item], ...]  # (section, item) that hold regardless of the window
    events: tuple[tuple[str, date, Item], ...]  # (section, day, item) news to show if in the window
    sort_key: tuple[int, str]


@dataclass(frozen=True)
class Book:
    """Everything the register says per commitment, computed once for all recipients."""

    tz: ZoneInfo
    now: datetime
    facts: Mapping[str, tuple[Facts, ...]] = field(default_factory=dict)
    recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # address -> commitment ids


def covered(since: date, until: date) -> str:
    """The whole days `[since, until)` a digest or report covers, as its title says them; with
    none (a second one the same day), the day it stands at."""
    if since >= until:
        return f"as at {words.written(until)}"
    return fmt_span(since, until - timedelta(days=1))


def fmt_span(first: date, last: date) -> str:
    """Whole days from `first` to `last`, as a reader writes them: "5 Dec 2026", "23 – 29 Nov 2026",
    "29 Nov – 5 Dec 2026", "28 Dec 2026 – 3 Jan 2027"."""
    if first >= last:
        return words.written(last)
    if first.year != last.year:
        return f"{words.written(first)} – {words.written(last)}"
    if first.month != last.month:
        return f"{first.day} {first.strftime('%b')} – {words.written(last)}"
    return f"{first.day} – {words.written(last)}"


def period_of(now: datetime) -> tuple[str, date]:
    """The ISO week `now` falls in, and its Monday."""
    year, week, weekday = now.date().isocalendar()
    return f"{year}-W{week:02d}", now.date() - timedelta(days=weekday - 1)


def email_targets(c: Commitment, register: Register) -> tuple[str, ...]:
    return tuple(t.split(":", 1)[1] for t in routed(c, register.routes) if t.startswith("email:"))


def recipients(register: Register) -> dict[str, tuple[str, ...]]:
    """Every address in routes / notify, with the ids of the commitments routed to it."""
    out: dict[str, list[str]] = {}
    for c in register.commitments:
        for addr in dict.fromkeys(email_targets(c, register)):
            out.setdefault(addr, []).append(c.id)
    return {a: tuple(ids) for a, ids in out.items()}


def read_book(register: Register, recorded: Mapping[str, Sequence[Update]], now: datetime,
              first_seen: Mapping[str, datetime] | None = None,
              leads: Mapping[str, Sequence[tuple[date, LeadView]]] | None = None) -> Book:
    """`leads`: per commitment, the leads still waiting for a person (state new) and the day each
    was found, in the register's timezone; the digest lists those found since the last digest."""
    tz = ZoneInfo(register.timezone)
    now = now.astimezone(tz)
    seen = first_seen or {}
    leads = leads or {}
    facts: dict[str, tuple[Facts, ...]] = {}
    for c in register.commitments:
        found = tracks(c, recorded.get(c.id, ()), now.date())
        facts[c.id] = tuple(_facts(t, now, seen.get(c.id)) for t in found)
        if leads.get(c.id) and found:
            facts[c.id] += (_lead_facts(found[-1], now, seen.get(c.id), leads[c.id]),)
    return Book(tz, now, facts, recipients(register))


def _lead_facts(track: Track, now: datetime, first_seen: datetime | None,
                found: Sequence[tuple[date, LeadView]]) -> Facts:
    """A lead is not news until confirmed: listed apart, with the commitment as it stands."""
    base = _item(track, state(track, now, first_seen), track.slips(), now.date())
    events = tuple(("leads", day, replace(base, lead=lead, event_on=day.isoformat())) for day, lead in found)
    return Facts((), events, ((now.date()).toordinal(), base.id))


def build_digest(book: Book, recipient: str, covered_from: datetime | None) -> Digest:
    """One recipient's digest; `covered_from` is where their last digest stopped (None: never sent)."""
    today = book.now.date()
    since = covered_from.astimezone(book.tz).date() if covered_from else today - FIRST_LOOKBACK
    ids = book.recipients.get(recipient, ())
    found: dict[str, list[tuple[tuple[int, str], Item]]] = {key: [] for key, _ in ALL_SECTIONS}
    for cid in ids:
        for f in book.facts.get(cid, ()):
            for key, item in f.standing:
                found[key].append((f.sort_key, item))
            for key, day, item in f.events:
                if since <= day < today and _shown_under(item, ids):
                    found[key].append(((day.toordinal(), item.id), item))
    sections = tuple(Section(key, heading, tuple(i for _, i in sorted(found[key], key=lambda p: p[0])))
                     for key, heading in ALL_SECTIONS if found[key])
    period, monday = period_of(book.now)
    return Digest(recipient, period, monday, since, today, sections, len(ids))


def _shown_under(item: Item, ids: Sequence[str]) -> bool:
    """A lead naming several commitments is listed once, under the first of them this recipient follows."""
    if item.lead is None or not item.lead.answers:
        return True
    return next((cid for cid, _ in item.lead.answers if cid in ids), item.id) == item.id


def _facts(track: Track, now: datetime, first_seen: datetime | None) -> Facts:
    today = now.date()
    st = state(track, now, first_seen)
    slips = track.slips()
    base = _item(track, st, slips, today)
    standing: list[tuple[str, Item]] = []
    if st == "lapsed":
        standing.append((LAPSED_SECTION[words.stated_as(track.commitment.type, len(track.promises))], base))
    elif st == "silent":
        standing.append(("silent", base))
    elif track.deadline is not None and track.status not in TERMINAL and _due_soon(track.deadline, now):
        standing.append(("due-soon", base))
    events = [("slipped", s.update.on, _slipped(base, s)) for s in slips]
    if track.closing is not None and track.status in TERMINAL:
        closed = replace(base, event_on=track.closing.on.isoformat(), late_days=late_days(track))
        events.append(("delivered", track.closing.on, _with_evidence(closed, track.closing)))
    for news in track.news():
        told = replace(base, event_on=news.update.on.isoformat(), last_update_on=news.update.on.isoformat(),
                       last_update_note=news.update.note, dated=date_news(track, news.update, words.written))
        events.append((news.kind, news.update.on, _with_evidence(told, news.update)))
    order = -base.days_overdue if st == "lapsed" else (track.deadline or today).toordinal()
    return Facts(tuple(standing), tuple(events), (order, base.id))


def _due_soon(deadline: date, now: datetime) -> bool:
    """Whole days, as a reader counts them: due today up to due 30 days from today."""
    return now.date() <= deadline <= now.date() + DUE_WITHIN


def _item(track: Track, st: str, slips: list[Slip], today: date) -> Item:
    """The source and quote are the promise's for the period this line is about: a series' quote
    is never shown beside a period it does not cover (SPEC §7.1)."""
    c, last = track.commitment, track.last_update
    current, source = view(track.promises[-1]), track.promises[0].source
    series = track.series_last if last is None else None
    return Item(
        id=c.id, title=c.title, owner=c.owner, period=track.period, state=st,
        quote=source.quote if source else None, words=current.words, reading=current.reading,
        deadline=current.deadline, days_overdue=days_overdue(track, today), slips=len(slips),
        last_update_on=last.on.isoformat() if last else None, last_update_note=last.note if last else None,
        source_title=source.title if source else None, source_url=source.url if source else None,
        quote_from=source.title if source else None, type=c.type,
        current=current if len(track.promises) > 1 else None,
        series_update_on=series.on.isoformat() if series else None,
        last_update_source=_cited(last) if last else None, made_by=c.made_by, recurring=current.recurring,
        expected=current.expected,
    )


def _source_of(u: Update) -> str | None:
    """The source an update names, with who spoke in it; None when it names none (a speaker alone
    is not evidence)."""
    named = u.source.named if u.source else None
    return words.source_of(named, u.said_by) if named else None


def _cited(u: Update) -> str | None:
    return words.cited(u.source.named if u.source else None, u.said_by) or None


def _slipped(base: Item, slip: Slip) -> Item:
    moved = replace(base, event_on=slip.update.on.isoformat(), slipped_from=_promised(slip.before),
                    slipped_to=_promised(slip.after))
    return _with_evidence(moved, slip.update)


def _with_evidence(item: Item, update: Update) -> Item:
    """A slip or closure links to the update that reports it, not to the original promise: with
    no source on the update, the line has none. Who spoke in it is named with it (SPEC §7.2)."""
    source = update.source
    return replace(item, source_title=_source_of(update), source_url=source.url if source else None)


def _promised(p: Promise) -> Promised:
    when = words.written(p.deadline) if p.deadline else "no date"
    if not p.phrase:
        return Promised(None, when)
    try:
        date.fromisoformat(p.phrase)
        return Promised(None, when)
    except ValueError:
        return Promised(p.phrase, when)
