"""What a draft chase says (SPEC §7.5): pure content from a commitment as the core sees it.

A draft says only what the register says. It quotes the words as given, with who gave them, when
and where (bot.decide.words.attributed), and the government's later words that set no new date;
names every slip (bot.decide.timeline) and every other change (a date brought forward); says how late in words
(bot.decide.words.late); and calls a promise a promise, an ask an ask and an expectation an expectation
(SPEC §7.1: an expectation is "expected of OWNER, not promised"). The question Parliament is asked
is one question in the House's own form, within the answering body's responsibility, without
argument (Companion 5.12: "Statements of fact should be inserted in the text of questions only to
the extent necessary to elicit the information sought"; its words: bot.chase.question); the
context the Member needs goes beside it, not into it. The shell renders this with one template
per form and never sends it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time

from bot.chase.answering import AnsweringBody, body, public_authority
from bot.chase.question import question
from bot.chase.sitting import CalendarMissing, Sittings
from bot.chase.standards import Due, reply_due
from bot.decide import words
from bot.decide.timeline import Promise, Track, tracks
from bot.register.model import TERMINAL, Commitment, Source, Update
from bot.register.questions import question_of
from bot.when.workdays import OutsideCalendar

__all__ = ["FORMS", "Change", "Draft", "DraftRefused", "Said", "draft", "nothing_to_chase"]

FORMS = ("written-question", "letter", "foi")
_LABEL = re.compile(r"^tracked (?:ask|expectation|promise):\s*", re.IGNORECASE)
# A task that is a law to make ("establish in law a data-sharing firewall", "legislate to …"): a
# department does not legislate, a minister brings forward legislative proposals.
_IN_LAW = re.compile(r"^(?:legislate\b|(?:establish|set out|put|place|enshrine)\b.*\bin law\b)|\bon a statutory footing\b",
                     re.IGNORECASE)
# How a title says a commitment recurs ("in each financial year after 2022-23", "every year"): a
# chase about one occurrence names that occurrence instead ("in 2025-26").
_RECURS = re.compile(r"\s*,?\s+(?:in\s+|for\s+)?(?:each|every)\s+(?:(?:financial|calendar|academic)\s+)?"
                     r"(?:year|quarter|month|week)\b.*$|\s+(?:annually|yearly|each year|every year)\b.*$",
                     re.IGNORECASE)


class DraftRefused(ValueError):
    """Nothing true can be drafted (a closed commitment, an unknown form); `str(e)` says why."""


def day(d: date) -> str:
    """A day as the bot writes it elsewhere: "31 Aug 2022"."""
    return f"{d:%-d %b %Y}"


def _long(d: date) -> str:
    """A day as Parliament writes it in a question: "31 July 2023"."""
    return f"{d:%-d %B %Y}"


@dataclass(frozen=True)
class Said:
    """Words given at one time: the deadline phrase, the quote that carries it, and its reading."""

    on: date | None
    phrase: str | None  # "end August", "later this year"
    deadline: date | None  # the bot's reading of the phrase (its latest day)
    quote: str | None  # the source's words, word for word
    said_by: str | None  # who gave them, when the register says (SPEC §7.2)
    attributed: str  # '“…”: Lord Sharpe of Epsom, 21 Feb 2022 (Letter …)'
    source: Source | None


@dataclass(frozen=True)
class Change:
    """One change of the words in force (SPEC §7.5: every slip named; a date brought forward or new
    words for the same date too, so a reader knows which date was in force when)."""

    kind: str  # "slip": later, or no date at all | "earlier": brought forward | "dated": a first date | "same"
    count: int  # a slip's number (0 for the other kinds)
    said: Said


@dataclass(frozen=True)
class Draft:
    id: str
    form: str  # written-question | letter | foi
    house: str | None  # commons | lords, for a written question
    type: str  # promise | ask | expectation
    title: str
    task: str  # the title as a clause: "implement the Migrant Victim Protocol and code of practice"
    owner: str
    made_by: str | None
    answering: AnsweringBody
    to: str  # who the draft goes to
    subject: str
    question: str | None  # a written question's text, in the House's form
    first: Said  # the words as first given (a promise, an ask, or what the team expected)
    changes: tuple[Change, ...]  # every change of the words since, in order: slips and the others
    today: date
    late_first: str  # "three and a half years late" against the first date ("" when not late)
    late_now: str  # against the date in force
    reply: Due | None
    reply_note: str  # why no reply date could be worked out ("" when there is one)
    sources: tuple[Said, ...]  # every source quoted, in order, with who gave its words and when
    news_since: Update | None = None  # the last update, when it came after the date in force passed
    # A recurring commitment: the occurrences past their date with no news (what is chased) and
    # those recorded as met, with the words of the update that met each (context, never chased).
    lapsed: tuple[str, ...] = ()
    met: tuple[tuple[str, Said], ...] = ()
    lapsed_dates: tuple[tuple[str, date], ...] = ()  # each of `lapsed` with the date it passed
    asked: str = ""  # what the chase asks about: the task, or for a recurring one its occurrences by name
    # The owner's own statements since the words in force that changed no date (SPEC §7.2: the latest
    # words, with who gave them, when and where); someone else's (a context update) never.
    later: tuple[Said, ...] = ()
    # A later period of a recurring promise or ask has no words of its own (SPEC §7.1): the series'
    # words, quoted as given for its first period (`first` is then the period's name and date).
    series: Said | None = None

    @property
    def periods(self) -> str:
        """The lapsed occurrences as a sentence lists them: "2025-26", "2024-25 and 2025-26"."""
        return listed(self.lapsed)

    @property
    def slips(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == "slip")

    @property
    def now(self) -> Said:
        """The words in force: the last change's, else the first."""
        return self.changes[-1].said if self.changes else self.first

    @property
    def latest(self) -> Said:
        """The government's latest words on it: its last statement since the words in force, else those."""
        return self.later[-1] if self.later else self.now

    @property
    def dated(self) -> bool:
        """Whether any words ever gave it a date: work never given one is continuing work, asked about
        as such (what was done since, and whether the commitment stands), never "when completed"."""
        return any(s.deadline for s in (self.first, *(c.said for c in self.changes)))

    @property
    def noun(self) -> str:
        return words.of(self.type).noun

    @property
    def in_law(self) -> bool:
        """The task is a law to make (found in review: "whether [his/her] Department will establish in
        law …"; a department does not legislate): asked as legislative proposals, by the minister."""
        return bool(_IN_LAW.search(self.task))


def draft(c: Commitment, recorded: Sequence[Update], today: date, form: str, house: str | None = None,
          sittings: Sittings | None = None, at: time | None = None) -> Draft:
    """The draft of a chase of `c` by `form`, as it stands on `today` (the day it would be sent; `at`,
    the time in London, when known: a Commons question sent late in the day is tabled the next)."""
    if form not in FORMS:
        raise DraftRefused(f"no draft form {form!r}: one of {', '.join(FORMS)}")
    if house is not None and form != "written-question":  # a letter or an FOI request goes to no House
        raise DraftRefused("--house applies only to a written question")
    if form == "written-question" and house not in ("commons", "lords"):
        raise DraftRefused("a written question is tabled in one House: --house commons or --house lords")
    track = _track(c, recorded, today)
    # a question or a letter needs Parliament's answering body; an FOI request, only the public authority
    answering = public_authority(c.owner) if form == "foi" else body(c.owner)
    first = _said(track.promises[0])
    changes = _changes(track)
    later = _later(track)
    reply, note = _reply(form, house, today, sittings, at)
    lapsed, met, dated = _occurrences(c, recorded, today)
    task = _LABEL.sub("", c.title).rstrip(".")
    task = task[:1].lower() + task[1:]
    out = Draft(c.id, form, house, c.type, c.title, task, c.owner, c.made_by,
                answering, _to(form, house, answering), "", None, first, changes, today,
                # late against the first date only while the date in force has passed too (or was
                # withdrawn): a promise moved to a date still ahead is not late yet
                _late(first.deadline, today) if track.deadline is None or track.deadline < today else "",
                _late(track.deadline, today), reply, note,
                (), _news_since(track), lapsed, met, later=later, lapsed_dates=dated)
    # a recurring one asks about its occurrences past their date with no news, else the one open
    named = out.lapsed or ((track.period,) if track.period else ())
    series = _said(tracks(c, recorded, today)[0].promises[0]) \
        if track.promises[0].recurring and c.type != "expectation" else None
    return _finish(replace(out, asked=_asked(task, named), series=series,
                           sources=_sources(*([series] if series else []), first, *(c.said for c in changes), *later,
                                            *(s for _, s in out.met))))


def listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def _occurrences(c: Commitment, recorded: Sequence[Update], today: date) -> tuple[
        tuple[str, ...], tuple[tuple[str, Said], ...], tuple[tuple[str, date], ...]]:
    """A recurring commitment's occurrences past their date with no news, those met (SPEC §3:
    each occurrence is its own track), and each of the first with its date: a chase asks about the
    first, never about the second."""
    if not c.recurs:
        return (), (), ()
    every = tracks(c, recorded, today)
    dated = tuple((t.period, t.deadline) for t in every if t.period and t.status not in TERMINAL
                  and t.deadline is not None and t.deadline < today)
    met = tuple((t.period, _stated(t.closing)) for t in every
                if t.period and t.status == "delivered" and t.closing is not None)
    return tuple(period for period, _ in dated), met, dated


def _asked(task: str, periods: tuple[str, ...]) -> str:
    """The task as a chase of some occurrences asks it: "fund the scheme in 2025-26"."""
    if not periods:
        return task
    base = _RECURS.sub("", task)
    return f"{base} in {listed(periods)}" if base != task else f"{task}, for {listed(periods)}"


def nothing_to_chase(c: Commitment, recorded: Sequence[Update], today: date, act: str = "chase",
                     period: str | None = None) -> str | None:
    """Why `c` cannot be chased on `today` (it is closed: delivered, met, dropped…), in the one
    sentence every door says (`draft`, `chase`, Slack's "Record as chased"); None while it is open.
    `act`: what was asked instead ("snooze": a closed commitment has no reminders to hold either).
    `period`: the one year of a recurring commitment asked about, closed though others are open."""
    every = tracks(c, recorded, today)
    if period is not None and (own := next((t for t in every if t.period == period), None)) is not None:
        if own.status not in TERMINAL:
            return None
        return f"{period} of {c.id} is closed ({words.of(c.type).status(own.status)}): there is nothing to {act}"
    if any(t.status not in TERMINAL for t in every):
        return None
    return f"{c.id} is closed ({words.of(c.type).status(every[0].status)}): there is nothing to {act}"


def _track(c: Commitment, recorded: Sequence[Update], today: date) -> Track:
    """The track a chase is about: the open one whose deadline passed longest ago, else the first open."""
    if (closed := nothing_to_chase(c, recorded, today)) is not None:
        raise DraftRefused(closed)
    open_ = [t for t in tracks(c, recorded, today) if t.status not in TERMINAL]
    lapsed = [t for t in open_ if t.deadline is not None and t.deadline < today]
    return min(lapsed, key=lambda t: t.deadline or today) if lapsed else open_[0]


def _changes(track: Track) -> tuple[Change, ...]:
    """Every change of the promised words, in order: a slip (later, or no date at all) as the
    timeline counts them, a date brought forward, a first date, or new words for the same date."""
    slips = {s.update.key: s.count for s in track.slips()}  # as the timeline counts them: an ask's answer is none
    out = []
    for i, (before, after) in enumerate(itertools.pairwise(track.promises)):
        old, new = before.deadline, after.deadline
        if after.origin in slips:
            out.append(Change("slip", slips[after.origin], _said(after)))
        else:
            answer = i == 0 and words.answered(track.commitment.type)  # the owner's first date answers it
            kind = "dated" if new and (answer or not old) else "earlier" if old and new and new < old else "same"
            out.append(Change(kind, 0, _said(after)))
    return tuple(out)


def _later(track: Track) -> tuple[Said, ...]:
    """The owner's statements with a source since the words in force, other than those that changed
    them: a minister's answer that restates the work, or reports on it, without a new date. Only an
    update that names who said it is someone's statement: the team's note of a lead to check (the
    MVP's guidance change log of 14 Nov 2024, "not confirmed to be the Protocol") is not the
    government's words, and a draft must not put it in their mouth (found in review)."""
    origins = {p.origin for p in track.promises}
    since = track.promises[-1].on
    return tuple(_stated(u) for u in track.updates if not u.context and u.source is not None and u.said_by
                 and u.key not in origins and (since is None or u.on >= since))


def _sources(*said: Said) -> tuple[Said, ...]:
    """Every source quoted, each once, oldest first."""
    once = {s.source: s for s in reversed(said) if s.source}  # the first Said of each source
    return tuple(sorted(reversed(once.values()), key=lambda s: s.on or date.max))


def _said(p: Promise) -> Said:
    return _words(p.on, p.phrase, p.deadline, p.said_by, p.source, dated=bool(p.source or p.said_by))


def _stated(u: Update) -> Said:
    return _words(u.on, None, None, u.said_by, _answer_source(u))


def _answer_source(u: Update) -> Source | None:
    """A recorded update's source as a draft cites it. A written question's page recorded with no
    title of its own (a confirmed answer lead) is named as the question, and the answer's words the
    note quotes ("HL1234 answered on 12 Dec 2025: “…”") are its words, as the API gave them."""
    source, page = u.source, question_of(u.source.url if u.source else None)
    if source is None or page is None or source.title != source.url:
        return source
    quoted = re.fullmatch(rf"{re.escape(page[0])} answered on [^:“]+: “(?P<words>.+)”", u.note or "", re.DOTALL)
    title = f"Written answer {page[0]}" if quoted or u.note.startswith(f"{page[0]} answered on") else \
        f"Written question {page[0]}"
    return Source(title, source.url, source.quote or (quoted["words"] if quoted else None))


def _words(on: date | None, phrase: str | None, deadline: date | None, said_by: str | None, source: Source | None,
           dated: bool = True) -> Said:
    """Words with who gave them, when and where. Words no one is recorded as saying (an expectation's
    own period) carry no date of saying; a source whose title ends with its date says it once."""
    quote = source.quote if source else None
    where = source.title if source else None
    said_on = on if on and dated and (said_by or not (where and where.endswith(day(on)))) else None
    if quote or phrase:
        line = words.attributed(quote or phrase, said_by, said_on.isoformat() if said_on else None, where,
                                lambda iso: day(date.fromisoformat(iso)))
    else:  # a statement whose words were not recorded: who, when and where only
        place = f" ({where})" if said_by and where and not where.startswith(("http://", "https://")) else ""
        line = ", ".join(p for p in (said_by or where, day(said_on) if said_on else None) if p) + place
        line += " (its words are not recorded here)" if said_by or where else ": no source recorded"
    return Said(on, phrase, deadline, quote, said_by, line, source)


def _news_since(track: Track) -> Update | None:
    """The last update, when it is dated after the date in force: an ask with news since its date
    is not "no answer" (it may not be the answer either: the draft quotes it)."""
    last = track.last_update
    return last if last is not None and track.deadline is not None and last.on > track.deadline else None


def _late(deadline: date | None, today: date) -> str:
    return words.late((today - deadline).days) if deadline else ""


def _reply(form: str, house: str | None, today: date, sittings: Sittings | None,
           at: time | None) -> tuple[Due | None, str]:
    try:
        return reply_due(form, house, today, sittings=sittings, at=at), ""
    except (OutsideCalendar, CalendarMissing) as e:
        return None, f"not worked out: {e}"


def _to(form: str, house: str | None, a: AnsweringBody) -> str:
    if form == "letter":
        return a.minister
    if form == "foi":
        return f"{a.department}, freedom of information"
    return a.commons_to if house == "commons" else f"{a.lords_to} (answered by {a.department})"


def _finish(d: Draft) -> Draft:
    return replace(d, subject=_subject(d), question=question(d) if d.form == "written-question" else None)


def _subject(d: Draft) -> str:
    """ "Letter: TITLE — promised by Home Office (Lord Sharpe of Epsom); first deadline 31 Aug 2022, three
    and a half years late": who made it as SPEC §7.1 says it, then its date, never read as its maker."""
    head = {"written-question": f"Written question ({'House of Commons' if d.house == 'commons' else 'House of Lords'})",
            "letter": "Letter", "foi": "Freedom of Information request"}[d.form]
    return f"{head}: {d.title} — {words.of(d.type).by(d.owner, d.made_by)}; {_when(d)}"


def _when(d: Draft) -> str:
    """The date as the subject gives it: a promise's first deadline when it is late against it (and
    has moved since), else the date in force; "no date given" when there is none."""
    date_word = words.of(d.type).date.removeprefix("the ")  # "deadline", "date asked for", "expected date"
    if d.type == "promise" and d.late_first and d.first.deadline:
        return f"{'first ' if d.changes else ''}{date_word} {day(d.first.deadline)}, {d.late_first}"
    if d.now.deadline is None:
        return "no date given"
    late = f", {d.late_now}" if d.type == "promise" and d.late_now else ""
    return f"{date_word} {day(d.now.deadline)}{late}"
