"""A watch pass (SPEC §6.3, §7.4): ask every watched commitment's sources what is new since its
last news, score each find against the commitment, store each URL that scores well enough as one
lead naming every commitment it may answer, and record a "lead" notification for their targets.

`run_watch(store, register, env, now)` is the entry point `commitment-bot watch` and `run` (on
`schedule.watch`) call. It returns a `WatchReport` and records notifications only; delivering
them is the delivery step's job, as for every other alert. Time is a parameter: `now` bounds what
counts as published (time travel sees nothing later) and dates the leads.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx

from bot.register.model import TERMINAL, Action, Commitment, Register, Update
from bot.shell.http import Client, HttpSettings, Refused, Response, Unreachable
from bot.shell.settings import Settings
from bot.shell.watch import answers, govuk, pages, parliament
from bot.shell.watch.answers import Chased
from bot.shell.watch.found import Ask, Hit, readable, skipped_line
from bot.shell.watch.judge import judged, links_that_fit
from bot.shell.watch.notify import decisions
from bot.shell.watch.pacing import side_by_side
from storage.leads import Found, Lead, Leads, Mark, Stored
from storage.repository import Store

if TYPE_CHECKING:
    from notifiers.base import Notifier

Parse = Callable[[Any, str, Ask], tuple[list[Hit], list[str]]]  # (hits, why each unreadable result was skipped)
Job = Callable[["Pass"], None]  # one source asked, on the Pass given

__all__ = ["Bases", "WatchReport", "asks", "decisions", "run_watch", "watch"]


@dataclass(frozen=True)
class Bases:
    govuk: str = govuk.DEFAULT_BASE
    parliament: str = parliament.DEFAULT_BASE

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Bases:
        return cls(env.get("GOVUK_API_URL") or govuk.DEFAULT_BASE,
                   env.get("PARLIAMENT_QUESTIONS_API_URL") or parliament.DEFAULT_BASE)


@dataclass(frozen=True)
class Source:
    """A paged search API: how to ask for a page, read it, and find where the next one starts."""

    what: str
    request: Callable[[str, Ask, int], tuple[str, dict[str, Any]]]
    parse: Parse
    following: Callable[[Any, int], tuple[int | None, int | None]]
    size: int  # results a page
    pages: int  # pages read at most


GOVUK = Source("GOV.UK search", govuk.search, govuk.hits, govuk.following, govuk.COUNT, govuk.PAGES)
QUESTIONS = Source("written questions", parliament.questions, parliament.question_hits, parliament.following,
                   parliament.TAKE, parliament.PAGES)
STATEMENTS = Source("written statements", parliament.statements, parliament.statement_hits, parliament.following,
                    parliament.TAKE, parliament.PAGES)


@dataclass(frozen=True)
class WatchReport:
    now: datetime
    watched: int  # commitments with a `watch:` asked
    requests: int  # HTTP requests made, retries and redirects included
    hits: int  # URLs the sources returned as new, stored before or not
    leads: tuple[Lead, ...]  # the leads stored by this pass
    notifications: int  # "lead" notification rows recorded for delivery
    problems: tuple[str, ...] = ()  # sources that could not be asked (the others were)
    below: int = 0  # finds that scored below the threshold for every commitment: counted, not stored
    named: tuple[Lead, ...] = ()  # leads still new that now name more commitments
    asked: int = 0  # requests to the sources (pages included, retries not)
    answered: int = 0  # of those, answered with something to read (200, or 304: unchanged)
    chased: int = 0  # the team's tabled questions asked for their answer (SPEC §7.5)
    waiting: int = 0  # of those, not answered yet
    held: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # ident → targets no configured channel serves

    @property
    def unreachable(self) -> bool:
        """No source could be reached at all: the pass learned nothing (`watch` exits 2)."""
        return self.asked > 0 and self.answered == 0


def asks(register: Register, recorded: Mapping[str, Sequence[Update]], today: date) -> list[Ask]:
    """Every watched commitment promised by `today` with an open occurrence, asked from the last
    news of its earliest open one, with the URLs it cites (a closed promise has no news left to
    find; a series with one lapsed period, or a year still to come, is not closed)."""
    from bot.decide.timeline import tracks

    out = []
    for c in register.commitments:
        if c.watch is None or c.watch.is_empty or (c.made_on is not None and c.made_on > today):
            continue
        found = tracks(c, recorded.get(c.id, ()), today)
        updates = [u for u in (*c.updates, *recorded.get(c.id, ())) if u.on <= today]
        since = [last_news(c, found, i, updates) for i, t in enumerate(found) if t.status not in TERMINAL]
        if not since:
            continue
        cited = {s.url for s in (c.source, *(u.source for u in updates)) if s is not None and s.url}
        starts = [d for d in since if d is not None]
        out.append(Ask(c.id, c.watch, min(starts) if starts else None, today, frozenset(cited), c.title))
    return out


def last_news(c: Commitment, found: Sequence[Any], i: int, updates: Sequence[Update]) -> date | None:
    """The last news of track `i`: its own last update; for an occurrence with none, the last
    update of the promise as a whole or of an earlier occurrence; else the day it was made. A
    context update (someone else's statement) is not news: the watch looks from before it."""
    own = found[i].last_update
    if own is not None:
        return own.on  # type: ignore[no-any-return]
    earlier = {t.period for t in found[:i]}
    return max((u.on for u in updates if (u.period is None or u.period in earlier) and not u.context),
               default=c.made_on)


@dataclass
class Pass:
    """One pass's state: what it asks with, and what it found so far. Marks (the validators of
    each answer) are held until the leads are stored and told: a pass that dies in between asks
    again."""

    client: Client
    leads: Leads
    bases: Bases
    now: datetime
    found: list[tuple[Ask, Hit]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    marks: list[tuple[str, Mark]] = field(default_factory=list)
    asked: int = 0
    answered: int = 0
    waiting: int = 0  # chased questions the API says are not answered yet
    known: dict[str, Mark] = field(default_factory=dict)  # the marks read before the pass, by URL
    looked: frozenset[str] = frozenset()  # the URLs whose marks were read then (had one or not)

    def prepare(self, todo: Sequence[Ask]) -> None:
        """Read the marks of every first page and watched page in one go, not one query a request
        (a URL without one, as every URL on a first pass, is not asked for again)."""
        urls = [url for ask in todo for url in self._first_urls(ask)]
        self.known = self.leads.marks(urls) if urls else {}
        self.looked = frozenset(urls)

    def _first_urls(self, ask: Ask) -> list[str]:
        w, out = ask.watch, list(ask.watch.pages)
        if w.govuk_query:
            out.append(_url(GOVUK.request(self.bases.govuk, ask, 0)))
        if w.parliament_query:
            out += [_url(s.request(self.bases.parliament, ask, 0)) for s in (QUESTIONS, STATEMENTS)]
        return out

    def _mark(self, url: str) -> Mark | None:
        return self.known.get(url) if url in self.looked else self.leads.mark(url)

    def ask(self, ask: Ask) -> list[tuple[str, Job]]:
        """This ask's sources, each as (the URL it asks, the job that asks it): `watch` runs them
        host by host, hosts side by side (pacing.side_by_side). A query's pages are one job, read
        in order on its host."""
        w, gov, base = ask.watch, self.bases.govuk, self.bases.parliament
        jobs: list[tuple[str, Job]] = []
        if w.govuk_query:
            jobs.append((gov, partial(Pass._paged, ask=ask, source=GOVUK, base=gov)))
        if w.parliament_query:
            jobs.append((base, partial(Pass._paged, ask=ask, source=QUESTIONS, base=base)))
            jobs.append((base, partial(Pass._paged, ask=ask, source=STATEMENTS, base=base)))
        jobs += [(url, partial(Pass._page, ask=ask, url=url)) for url in w.pages]
        return jobs

    def alone(self, job: Job) -> Pass:
        """`job` run on a Pass of its own (own finds, problems, marks and counts): jobs on
        different threads share no list, and `merge` puts their results back in register order."""
        part = replace(self, found=[], problems=[], marks=[], asked=0, answered=0, waiting=0)
        job(part)
        return part

    def failed(self, job: Job, error: Exception) -> Pass:
        """What a job that failed unexpectedly leaves: its problem line, and nothing it found (a
        bug of ours or an answer we did not foresee is that source's problem, never the pass's)."""
        kw = job.keywords if isinstance(job, partial) else {}
        ask, q = kw.get("ask"), kw.get("q")
        who = q.who if isinstance(q, Chased) else ask.commitment_id if isinstance(ask, Ask) else "watch"
        what = (f"written question {q.ref}" if isinstance(q, Chased) else kw["source"].what if "source" in kw
                else f"watched page {kw.get('url', '')}")
        said = f"{who}: {what}: unexpected {type(error).__name__} ({str(error)[:160]}); left out of this pass, the " \
               "other sources were asked: please report it"
        return replace(self, found=[], problems=[said], marks=[], asked=0, answered=0, waiting=0)

    def merge(self, part: Pass) -> None:
        self.found += part.found
        self.problems += part.problems
        self.marks += part.marks
        self.asked += part.asked
        self.answered += part.answered
        self.waiting += part.waiting

    def _get(self, ask: Ask | Chased, what: str, url: str, mark: Mark | None, api: bool = True) -> Response | None:
        self.asked += 1
        who = ask.who if isinstance(ask, Chased) else ask.commitment_id
        try:
            r = self.client.get(url, etag=mark.etag if mark else None,
                                last_modified=mark.last_modified if mark else None, api=api)
        except (Refused, Unreachable) as e:
            self.problems.append(f"{who}: {what}: {e}")
            return None
        if r.status not in (200, 304):
            self.problems.append(f"{who}: {what}: {url} answered HTTP {r.status}")
            return None
        self.answered += 1
        return r

    def _paged(self, ask: Ask, source: Source, base: str) -> None:
        """Every page of one query, to the end (or `source.pages`, then said). A first page
        answered 304 is the answer whose leads are stored: a new result anywhere would change the
        total it gives. The marks are kept only when every page was read."""
        offset: int | None = 0
        total: int | None = None
        marks: list[tuple[str, Mark]] = []
        for page in range(source.pages):
            assert offset is not None
            url = _url(source.request(base, ask, offset))
            r = self._get(ask, source.what, url, self._mark(url) if page == 0 else self.leads.mark(url))
            if r is None:
                return
            if r.not_modified:
                if page == 0 or total is None:
                    return
                offset = offset + source.size if offset + source.size < total else None
            else:
                try:
                    data = r.json()
                except ValueError as e:
                    self.problems.append(f"{ask.commitment_id}: {source.what}: {url} did not answer JSON we can read "
                                         f"({str(e)[:160]})")
                    return
                results = data.get("results") if isinstance(data, dict) else None
                if isinstance(results, list) and len(results) > source.size:
                    self.problems.append(f"{ask.commitment_id}: {source.what}: {url} answered {len(results):,} results "
                                         f"where at most {source.size} were asked for: the answer was not read")
                    return
                hits, skipped = source.parse(data, base, ask)
                if skipped:
                    self.problems.append(f"{ask.commitment_id}: {source.what}: {url}: {skipped_line(skipped)}")
                self.found += [(ask, h) for h in hits]
                marks.append((url, Mark(r.etag, r.last_modified, None)))
                offset, total = source.following(data, offset)
            if offset is None:
                self.marks += marks
                return
        self.marks += marks
        self.problems.append(f"{ask.commitment_id}: {source.what}: {total} results since "
                             f"{ask.since.isoformat() if ask.since else 'ever'}; only the first "
                             f"{source.pages * source.size} were read: narrow the query")

    def chase(self, q: Chased) -> tuple[str, Job]:
        """A chased question's job, on the Parliament host's queue with the searches."""
        return self.bases.parliament, partial(Pass._answer, q=q)

    def _answer(self, q: Chased) -> None:
        """Ask for the team's question by its reference (bot.shell.watch.answers). Asked without a
        mark and kept without one: each pass must say whether it is answered, and a 304 would not."""
        what = f"written question {q.ref}"
        url = _url(answers.request(self.bases.parliament, q))
        r = self._get(q, what, url, None)
        if r is None:
            return
        try:
            data = r.json()
        except ValueError as e:
            self.problems.append(f"{q.who}: {what}: {url} did not answer JSON we can read ({str(e)[:160]})")
            return
        good, skipped = readable(parliament.values(data), parliament.QUESTION)
        if skipped:
            self.problems.append(f"{q.who}: {what}: {url}: {skipped_line(skipped, 'answer')}")
        state, hit = answers.read({"results": [{"value": v} for v in good]}, self.bases.parliament, q)
        if hit is not None:
            self.found += [(ask, hit) for ask in q.asks()]
        elif state == "waiting":
            self.waiting += 1
        elif state == "withdrawn":
            self.problems.append(f"{q.who}: {what} was withdrawn in the {q.house}: it will not be answered")
        else:
            self.problems.append(f"{q.who}: {what}: Parliament's questions API knows no {q.house} question "
                                 f"{q.uin} tabled from {(q.first - answers.LOOK_BACK).isoformat()} to "
                                 f"{(q.last + answers.LOOK_AHEAD).isoformat()}: is the reference right?")

    def _page(self, ask: Ask, url: str) -> None:
        before = self._mark(url)
        r = self._get(ask, "watched page", url, before, api=False)
        if r is None:
            return
        hit, mark = pages.changed(url, r, before, ask.today)
        if hit is not None:
            self.found.append((ask, hit))
        self.marks.append((url, mark))


def _url(request: tuple[str, dict[str, Any]]) -> str:
    """The request as one URL: what is asked, and the key its mark is kept under."""
    return str(httpx.URL(request[0], params={k: v for k, v in request[1].items() if v is not None}))


@dataclass(frozen=True)
class Outcome:
    stored: tuple[Stored, ...]
    hits: int
    below: int
    problems: tuple[str, ...]
    asked: int
    answered: int
    chased: int = 0
    waiting: int = 0
    again: tuple[Lead, ...] = ()  # leads found again, still new, naming every commitment already
    marks: tuple[tuple[str, Mark], ...] = ()  # each answer's validators, to keep once its leads are told


def watch(register: Register, recorded: Mapping[str, Sequence[Update]], leads: Leads, client: Client,
          bases: Bases, now: datetime, actions: Mapping[str, Sequence[Action]] | None = None) -> Outcome:
    """Ask every watched commitment's sources, and Parliament for every question the team chased
    (`actions`: those recorded outside the file) that no update answers yet; store each URL that
    scores well enough, and each answer, as one lead naming its commitments (or name more
    commitments on a lead still new). The validators of each answer are returned, not kept: the
    caller keeps them once the leads' notifications are recorded, so a pass that dies in between
    asks again and finds them again (`again`), not "unchanged"."""
    today = now.astimezone(ZoneInfo(register.timezone)).date()
    run = Pass(client, leads, bases, now)
    todo = asks(register, recorded, today)
    chased, unreadable = answers.pending(register, recorded, actions or {}, today)
    run.problems += unreadable
    run.prepare(todo)
    every = [*map(run.chase, chased), *(each for ask in todo for each in run.ask(ask))]  # first: an answer's title wins
    jobs = [(url, partial(run.alone, job)) for url, job in every]
    for part in side_by_side(jobs, client, failed=lambda i, e: run.failed(every[i][1], e)):
        run.merge(part)
    run.found, run.problems = links_that_fit(run.found, run.problems)
    finds, below = judged(run.found)
    named = leads.named([f.url for f in finds]) if finds else {}
    known = {f.url for f in finds if _known(f, named.get(f.url, frozenset()))}
    stored = leads.store_all([f for f in finds if f.url not in known], now)
    again = leads.still_new(known) if known else []
    hits = len({hit.url for _, hit in run.found})
    return Outcome(tuple(stored), hits, below, tuple(run.problems), run.asked, run.answered, len(chased),
                   run.waiting, tuple(again), tuple(run.marks))


def _known(find: Found, named: frozenset[str]) -> bool:
    """Every commitment the find answers is named on its lead already, or the lead was decided."""
    return "*" in named or all(cid in named for cid, _ in find.answers)


def run_watch(store: Store, register: Register, settings: Settings, now: datetime, *,
              channels: Mapping[str, Notifier] | None = None, client: Client | None = None,
              stop: threading.Event | None = None) -> WatchReport:
    """One watch pass at `now` for the whole register. `settings.env` gives GOVUK_API_URL,
    PARLIAMENT_QUESTIONS_API_URL, HTTP_ALLOW_PRIVATE, COMMITMENT_BOT_CONTACT and
    COMMITMENT_BOT_HTTP_INTERVAL. `channels` (built from `settings` when not given) are where a lead
    can go now: its alerts are recorded by the use case `check` records with, held for a target
    no channel serves. `client`: tests and the benchmark pass their own to count or tune requests.
    Once `stop` is set (`run` is stopping) the pass is abandoned before its next request, raising
    Stopped: it records no alerts (leads stored already are found again by the next pass, and told
    then, once each)."""
    import notifiers
    from bot.shell import usecases

    env = settings.env
    recorded = store.updates.recorded(None, quarters=register.quarters)
    own = client is None
    client = client or Client(HttpSettings.from_env(env), stop=stop)
    try:
        out = watch(register, recorded, store.leads, client, Bases.from_env(env), now,
                    store.actions.recorded())
    finally:
        if own:
            client.close()
    client.stopping()  # asked everything, but too late: no alert is recorded by a process on its way out
    today = now.astimezone(ZoneInfo(register.timezone)).date()
    # A lead found again and still new is decided again: recording is once per (ident, target),
    # so a target told already is not told twice, and one a dead pass never told is told now.
    decided = decisions(register, recorded, [*(s.lead for s in out.stored), *out.again], today)
    if channels is None:
        channels = notifiers.build(settings, sys.stderr, store.threads)
    recorded_rows, held = usecases.record_leads(store, decided, now, channels)
    store.leads.set_marks(out.marks, now)
    return WatchReport(now, len(asks(register, recorded, today)), client.requests, out.hits,
                       tuple(s.lead for s in out.stored if s.new), recorded_rows, out.problems, out.below,
                       tuple(s.lead for s in out.stored if not s.new), out.asked, out.answered, out.chased,
                       out.waiting, held)
