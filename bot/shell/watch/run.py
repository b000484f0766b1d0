"""A watch pass (SPEC §6.3): ask every watched commitment's sources what is new since its last
news, store each new hit as a lead, and record a "lead" notification for its routed targets.

`run_watch(store, register, env, now)` is the entry point `commitment-bot watch` and `run` (on
`schedule.watch`) call. It returns a `WatchReport` and records notifications only; delivering
them is the delivery step's job, as for every other alert. Time is a parameter: `now` bounds what
counts as published (time travel sees nothing later) and dates the leads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.decide.alerts import lead_alert
from bot.decide.engine import Decision, ident
from bot.register.model import TERMINAL, Commitment, Register, Update
from bot.register.routing import deliverable, routed, waiting
from bot.shell.http import Client, HttpSettings, Refused, Response, Unreachable
from bot.shell.settings import Settings
from bot.shell.watch import govuk, pages, parliament
from bot.shell.watch.found import Ask, Hit
from bot.shell.watch.listing import lead_view
from bot.shell.watch.pacing import side_by_side
from storage.leads import Lead, Leads, Mark
from storage.repository import Store

Parse = Callable[[Any, str, Ask], list[Hit]]
Job = Callable[["Pass"], None]  # one source asked, on the Pass given


@dataclass(frozen=True)
class Bases:
    govuk: str = govuk.DEFAULT_BASE
    parliament: str = parliament.DEFAULT_BASE

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Bases:
        return cls(env.get("GOVUK_API_URL") or govuk.DEFAULT_BASE,
                   env.get("PARLIAMENT_QUESTIONS_API_URL") or parliament.DEFAULT_BASE)


@dataclass(frozen=True)
class WatchReport:
    now: datetime
    watched: int  # commitments with a `watch:` asked
    requests: int  # HTTP requests made, retries and redirects included
    hits: int  # everything the sources returned as new, stored before or not
    leads: tuple[Lead, ...]  # the leads stored by this pass
    notifications: int  # "lead" notification rows recorded for delivery
    problems: tuple[str, ...] = ()  # sources that could not be asked (the others were)
    sources: int = 0  # sources asked (API queries and pages)
    unreached: int = 0  # of those, the ones that never answered (refused, offline, out of time)


def asks(register: Register, recorded: Mapping[str, Sequence[Update]], today: date) -> list[Ask]:
    """Every watched commitment promised by `today` and still open, with its last news and the URLs
    it cites (a delivered or dropped promise has no news left to find)."""
    out = []
    for c in register.commitments:
        if c.watch is None or c.watch.is_empty or (c.made_on is not None and c.made_on > today):
            continue
        updates = sorted((u for u in (*c.updates, *recorded.get(c.id, ())) if u.on <= today), key=lambda u: u.on)
        status = next((u.status for u in reversed(updates) if u.status), c.status)
        if status in TERMINAL:
            continue
        since = max((u.on for u in updates), default=c.made_on)
        cited = {s.url for s in (c.source, *(u.source for u in updates)) if s is not None and s.url}
        out.append(Ask(c.id, c.watch, since, today, frozenset(cited)))
    return out


@dataclass
class Pass:
    """One pass's state: what it asks with, and what it found so far."""

    client: Client
    leads: Leads
    bases: Bases
    now: datetime
    found: list[tuple[Ask, Hit]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sources: int = 0
    unreached: int = 0

    def ask(self, ask: Ask) -> list[tuple[str, Job]]:
        """This ask's sources, each as (the URL it asks, the job that asks it): `watch` runs them
        host by host, hosts side by side (pacing.side_by_side)."""
        w, gov, base = ask.watch, self.bases.govuk, self.bases.parliament
        jobs: list[tuple[str, Job]] = []
        if w.govuk_query:
            jobs.append((gov, lambda p: p._api(ask, "GOV.UK search", govuk.search(gov, ask), govuk.hits, gov)))
        if w.parliament_query:
            jobs.append((base, lambda p: p._api(ask, "written questions", parliament.questions(base, ask),
                                                parliament.question_hits, base)))
            jobs.append((base, lambda p: p._api(ask, "written statements", parliament.statements(base, ask),
                                                parliament.statement_hits, base)))
        jobs += [(url, partial(Pass._page, ask=ask, url=url)) for url in w.pages]
        return jobs

    def alone(self, job: Job) -> Pass:
        """`job` run on a Pass of its own (own finds, problems and counts): jobs on different
        threads share no list, and `merge` puts their results back in the register's order."""
        part = replace(self, found=[], problems=[], sources=0, unreached=0)
        job(part)
        return part

    def merge(self, part: Pass) -> None:
        self.found += part.found
        self.problems += part.problems
        self.sources += part.sources
        self.unreached += part.unreached

    def _get(self, ask: Ask, what: str, url: str, mark: Mark | None) -> Response | None:
        self.sources += 1
        try:
            r = self.client.get(url, etag=mark.etag if mark else None,
                                last_modified=mark.last_modified if mark else None)
        except (Refused, Unreachable) as e:
            self.problems.append(f"{ask.commitment_id}: {what}: {e}")
            self.unreached += 1
            return None
        if r.status not in (200, 304):
            self.problems.append(f"{ask.commitment_id}: {what}: {url} answered HTTP {r.status}")
            return None
        return r

    def _api(self, ask: Ask, what: str, request: tuple[str, dict[str, Any]], parse: Parse, base: str) -> None:
        url = str(httpx.URL(request[0], params={k: v for k, v in request[1].items() if v is not None}))
        mark = self.leads.mark(url)
        r = self._get(ask, what, url, mark)
        if r is None or r.not_modified:  # 304: nothing new since the answer whose leads are stored
            return
        try:
            hits = parse(r.json(), base, ask)
        except ValueError:
            self.problems.append(f"{ask.commitment_id}: {what}: {url} did not answer JSON")
            return
        self.found += [(ask, h) for h in hits]
        self.leads.set_mark(url, Mark(r.etag, r.last_modified, None), self.now)

    def _page(self, ask: Ask, url: str) -> None:
        before = self.leads.mark(url)
        r = self._get(ask, "watched page", url, before)
        if r is None:
            return
        hit, mark = pages.changed(url, r, before, ask.today)
        if hit is not None:
            self.found.append((ask, hit))
        self.leads.set_mark(url, mark, self.now)


def watch(register: Register, recorded: Mapping[str, Sequence[Update]], leads: Leads, client: Client,
          bases: Bases, now: datetime) -> tuple[list[Lead], int, Pass]:
    """Ask every watched commitment's sources; store each new hit (one per commitment and URL).
    Returns the leads stored now, how many hits came back, and the pass (its problems: the
    sources that failed; how many were asked and how many never answered)."""
    today = now.astimezone(ZoneInfo(register.timezone)).date()
    run = Pass(client, leads, bases, now)
    todo = asks(register, recorded, today)
    jobs = [(url, partial(run.alone, job)) for ask in todo for url, job in run.ask(ask)]
    for part in side_by_side(jobs, client):
        run.merge(part)
    known = leads.known({a.commitment_id for a, _ in run.found}) if run.found else set()
    stored = []
    for ask, hit in run.found:
        if (ask.commitment_id, hit.url) in known:
            continue
        known.add((ask.commitment_id, hit.url))
        lead = leads.add(ask.commitment_id, hit.title, hit.url, hit.published, hit.source, hit.snippet, now)
        if lead is not None:
            stored.append(lead)
    return stored, len(run.found), run


def decisions(register: Register, recorded: Mapping[str, Sequence[Update]], found: Sequence[Lead],
              today: date) -> list[Decision]:
    """A "lead" notification per lead, identity ("lead", commitment, lead URL), for the commitment's
    routed targets: posted in its thread with confirm / dismiss buttons."""
    from bot.decide.timeline import tracks

    by_id: dict[str, Commitment] = register.by_id()
    out = []
    for lead in found:
        c = by_id.get(lead.commitment_id)
        if c is None:
            continue
        track = tracks(c, recorded.get(c.id, ()), today)[-1]
        targets = routed(c, register.routes)
        out.append(Decision(ident("lead", c.id, None, lead.url), "lead", c.id, track.deadline, None, None, targets,
                            lead_alert(track, lead_view(lead), today, targets)))
    return out


def run_watch(store: Store, register: Register, settings: Settings, now: datetime, *,
              client: Client | None = None) -> WatchReport:
    """One watch pass at `now` for the whole register. `settings.env` gives GOVUK_API_URL,
    PARLIAMENT_QUESTIONS_API_URL, HTTP_ALLOW_PRIVATE, COMMITMENT_BOT_CONTACT and
    COMMITMENT_BOT_HTTP_INTERVAL; the channels configured in `settings` are where a lead can go now
    (a routed channel not configured holds it, as `check` does). `client`: tests and the benchmark
    pass their own to count or tune requests."""
    import notifiers

    env = settings.env
    recorded = store.recorded_updates(quarters=register.quarters)
    own = client is None
    client = client or Client(HttpSettings.from_env(env))
    try:
        found, hits, run = watch(register, recorded, Leads(store.engine), client, Bases.from_env(env), now)
    finally:
        if own:
            client.close()
    today = now.astimezone(ZoneInfo(register.timezone)).date()
    decided = decisions(register, recorded, found, today)
    channels = notifiers.configured(settings)
    with_targets = [(d, deliverable(d.routed, channels)) for d in decided]
    held = {d.ident: w for d in decided if (w := waiting(d.routed, channels))}
    recorded_rows = store.record(with_targets, now, held)
    return WatchReport(now, len(asks(register, recorded, today)), client.requests, hits, tuple(found),
                       recorded_rows, tuple(run.problems), run.sources, run.unreached)
