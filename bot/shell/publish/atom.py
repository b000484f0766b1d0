"""`export atom`: one entry per update, slip, lapse and closure, newest first (SPEC §6.4).

An entry's id is a UUID derived from (commitment, period, kind, update or deadline), so a feed
reader never shows the same event twice however often the feed is rebuilt.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from bot.decide import words
from bot.decide.alerts import date_news
from bot.decide.kinds import kind
from bot.register.model import Commitment, Update
from bot.shell.publish.chronicle import Chronicle, Event, chronicle
from bot.shell.publish.chronicle import said as words_said
from bot.shell.publish.inputs import Inputs
from bot.shell.publish.site import safe_href

NAMESPACE = uuid.UUID("0b8e3f64-51a2-4c5e-8f0e-2d7f6f9c4b27")
PUBLISHER = "commitment-bot"  # every entry is this site's account; who spoke is named with each source
TITLES = {"update": "Update", "slipped": "Slipped", "lapsed": "Lapsed", "closed": "Closed"}


def entry_id(cid: str, e: Event) -> str:
    key = f"{cid}/{e.period or ''}/{e.kind}/{e.key}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def feed(inputs: Inputs, title: str = "Government commitments", base_url: str | None = None,
         limit: int | None = None, name: str = "feed.xml") -> bytes:
    """`name` is the feed's file name: with a base URL its link to itself is BASE/NAME; without
    one, NAME alone, a relative reference that resolves to the feed wherever it is served."""
    base = base_url.rstrip("/") if base_url else None
    events = sorted(((ch, e) for ch in (chronicle(x, inputs.now) for x in inputs.entries) for e in ch.events),
                    key=lambda ce: (ce[1].on, ce[1].kind != "lapsed", ce[0].commitment.id, ce[1].key), reverse=True)
    events = events[:limit] if limit else events
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed/' + (base or title))}")
    fg.title(title)
    fg.subtitle("Updates, slips, lapses and closures of the commitments tracked by commitment-bot")
    fg.updated(_at(events[0][1], inputs) if events else inputs.now)
    fg.generator("commitment-bot")
    fg.link(href=f"{base}/{quote(name)}" if base else quote(name), rel="self")
    if base:
        fg.link(href=f"{base}/index.html", rel="alternate")
    for ch, e in events:
        fe = fg.add_entry(order="append")
        fe.id(entry_id(ch.commitment.id, e))
        fe.title(_title(ch, e))
        fe.updated(_at(e, inputs))
        fe.published(_at(e, inputs))
        fe.author(name=PUBLISHER)  # the entry is this site's account: a note is nobody else's words (SPEC §7.2)
        evidence = safe_href(e.update.source.url if e.update and e.update.source else None)
        # the link's host and path, never its raw address as prose: the address is the entry's link
        # (without a base URL) or on the commitment's page (with one)
        fe.content(_text(ch, e) + (f" Evidence: {words.link_text(evidence, 200)}" if evidence else ""), type="text")
        # One link an entry: feedgen 1.0 writes no rel, so every link would be an "alternate".
        page = f"{base}/c/{ch.commitment.id}.html" if base else evidence
        if page:
            fe.link(href=page)
    return bytes(fg.atom_str(pretty=True))


def _at(e: Event, inputs: Inputs) -> datetime:
    return datetime.combine(e.on, time(0), tzinfo=inputs.now.tzinfo)


def _title(ch: Chronicle, e: Event) -> str:
    """A date passing says only what was true that day and stays true, whatever came after: "Lapsed"
    on the day after a deadline would still head the entry once later news said it was delivered
    (an update is dated by its news, not by when the thing was done). Only a promise has a
    deadline (SPEC §7.1): an ask has the date asked for, an expectation the expected date."""
    c = ch.commitment
    if e.kind == "lapsed":
        w = words.of(c.type)
        what = _date_passed(c, e).removeprefix("the ")
        word = f"{what[:1].upper()}{what[1:]} passed, not yet reported {w.status('delivered')}"
    elif e.kind == "closed":  # the notices' own words (bot.decide.kinds)
        word = kind(e.kind).headline(c.type, e.update.status if e.update and e.update.status else "")
    elif e.update is not None and e.update.context:  # someone else's statement, never the owner's word
        word = words.context_label(c.owner)
    else:
        word = TITLES[e.kind]
    return f"{word}: {c.title}" + (f" ({e.period})" if e.period else "")


def _date_passed(c: Commitment, e: Event) -> str:
    """The date that passed, as what it was: an ask's own date is the one asked for (an
    expectation's the expected date), and a date its owner then gave is the owner's (`words.stated_as`)."""
    if words.answered(c.type) and e.step is not None and e.step.promise.origin != "made":
        return f"the date {c.owner} gave"
    return words.of(c.type).date


def _text(ch: Chronicle, e: Event) -> str:
    w = words.of(ch.commitment.type)
    if e.kind == "lapsed" and e.step is not None:
        said = _date_passed(ch.commitment, e)
        what = "The date it was expected by" if said == words.of("expectation").date else said[:1].upper() + said[1:]
        promise = e.step.promise
        deadline, phrase = promise.deadline, promise.phrase
        assert deadline is not None  # a lapse is a deadline passing
        recurs = f" ({words.recurs(phrase)})" if promise.recurring else ""  # a later year's name is nobody's words
        # true when the entry was made and after (later news is an entry of its own), and of a
        # promise that had news before its date: only a closing would have kept it
        passed = (f"{what}, {words.written(deadline)}{recurs}, passed, and nothing recorded by then said it was "
                  f"{w.status('delivered')}.")
        # a later year's name, the team's expected date, a date the register gave: no one's words
        if promise.recurring or promise.expected or not phrase or phrase == deadline.isoformat():
            return passed
        return f"{passed} It was read from {words_said(promise, words.written)}."
    u = e.update
    assert u is not None
    said = u.note.rstrip()
    if said and not said.endswith((".", "!", "?", "…", "”", '"', "’", ")")):  # the sentences after it start afresh
        said += "."
    if e.kind == "slipped" and e.step is not None:
        said += f" New date: {e.step.promise.phrase} ({e.step.reading}); slip {e.step.slip}."
    elif e.kind == "update" and (dated := _dated(ch, u)):  # a date brought forward or given: as its alert says it
        said += f" {dated[:1].upper()}{dated[1:]}."
    if u.status:
        said += f" Status: {w.status(u.status)}."
    if cited := words.cited(u.source.named if u.source else None, u.said_by):
        said += f" {cited[:1].upper()}{cited[1:]}."
    return said


def _dated(ch: Chronicle, u: Update) -> str | None:
    """What an update did to the date of the track it speaks for, when it brought it forward or
    gave a first one (bot.decide.alerts.date_news)."""
    track = next((ln.track for ln in ch.lines if any(x.key == u.key for x in ln.track.updates)), None)
    return date_news(track, u, words.written) if track is not None else None
