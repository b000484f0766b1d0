"""`export ics`: one all-day event per current deadline, for calendar apps (SPEC §6.4).

Each track (a commitment, or one occurrence of a recurring one) keeps one UID for ever, so a
calendar that subscribes moves the event when the promise slips instead of adding another;
SEQUENCE counts the slips, which is what tells the calendar the event was revised.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from icalendar import Calendar, Event

from bot.decide import words
from bot.decide.alerts import times
from bot.register.model import TERMINAL
from bot.shell.publish.chronicle import chronicle
from bot.shell.publish.chronicle import said as attributed
from bot.shell.publish.inputs import Inputs
from bot.shell.publish.site import safe_href

NAMESPACE = uuid.UUID("6f1c7a52-2f0e-4d7b-9d4e-7c1b8f0f3a11")  # commitment-bot's, fixed for ever


def uid(cid: str, period: str | None) -> str:
    key = f"{cid}/{period or ''}"
    return f"{uuid.uuid5(NAMESPACE, key)}@commitment-bot"


def calendar(inputs: Inputs, name: str = "Government commitments", base_url: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//commitment-bot//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in inputs.entries:
        if entry.archived_at is not None:
            continue
        ch = chronicle(entry, inputs.now)
        c = entry.commitment
        for line in ch.lines:
            if line.deadline is None or line.track.status in TERMINAL:
                continue
            event = Event()
            event.add("uid", uid(c.id, line.period))
            event.add("sequence", line.slips)
            event.add("dtstamp", inputs.now)
            event.add("dtstart", line.deadline)
            event.add("dtend", line.deadline + timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            w = words.of(c.type)
            stated = words.stated_as(c.type, len(line.steps))  # an ask its owner gave a date to: that date
            label = {"promise": "Deadline", "ask": "Asked for by", "expectation": "Expected by"}[stated]
            event.add("summary", f"{label}: {c.title}" + (f" ({line.period})" if line.period else ""))
            current = line.steps[-1].promise
            said = attributed(current, words.written)
            slipped = f"slipped {times(line.slips)}" if line.slips else "never slipped"
            lines = [f"{w.by(c.owner, c.made_by)[:1].upper()}{w.by(c.owner, c.made_by)[1:]}.",
                     f"{w.label(len(line.steps) > 1)}: {said} ({line.steps[-1].reading}).",
                     f"State on {inputs.now:%-d %b %Y}: {words.state_word(line.state, words.stated_as(c.type, len(line.steps))).replace('-', ' ')}; {slipped}."]
            quote = line.steps[0].promise.source.quote if line.steps[0].promise.source else None
            if quote:  # only words that speak for this period (SPEC §7.1)
                lines.append(f'"{quote}"')
            link = f"{base_url.rstrip('/')}/c/{c.id}.html" if base_url else safe_href(c.source.url if c.source else None)
            if link:
                event.add("url", link)
                lines.append(link)
            event.add("description", "\n".join(lines))
            event.add("categories", list(c.tags) or ["commitment"])
            cal.add_component(event)
    return bytes(cal.to_ical())
