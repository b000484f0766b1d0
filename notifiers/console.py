"""The console channel: every alert, readably, with no network and nothing configured.

Register text is shown inert (bot.register.inert): an escape sequence in a title or note prints as
`\\x1b[2J`, never as a cleared screen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from bot.decide import words
from bot.decide.alerts import Alert, times
from bot.decide.clip import clip
from bot.decide.kinds import kind
from bot.register.inert import inert
from notifiers.base import Delivery, Notifier, Outcome


def render(alert: Alert, record: Sequence[str] | None = None) -> str:
    """Plain text, one alert; also the fallback text other channels start from.

    `record`: the lines that say where to record what happened (a mail links the commitment's
    page and Slack thread); by default, the command that records it (`Alert.to_record`: `update`,
    or `chase --replied` for a chase awaiting its reply). The only line
    breaks are the ones put here; every control character from the register (including a
    newline or CR inside a title) is shown as a visible escape."""
    if alert.lead is not None:
        return render_lead(alert, record)
    w, k = words.of(alert.type), kind(alert.kind)
    head = f"[{k.headline_of(alert).upper()}] {alert.title} ({alert.id}"
    head += f", {alert.period})" if alert.period else ")"
    lines = [head, "  " + w.by(alert.owner, alert.made_by) + _since(alert)]
    if alert.quote:
        lines.append(f'  "{_clip(alert.quote, 300)}"')
    if alert.source_url or alert.source_title:
        lines.append(f"  source: {alert.source_title or ''} {alert.source_url or ''}".rstrip())
    lines.append(f"  {w.label(len(alert.promises) > 1).lower()}{_current(alert)}")
    stress, rest = k.says(alert, words.written)
    lines.append(f"  {stress}{rest}")
    if alert.slips:
        lines.append(f"  slipped {times(alert.slips)}: {alert.words_over_time}")
    lines += _updates(alert, k.ages_update)
    if not k.closes:
        asked = alert.to_record  # what happened, or the reply to the team's chase
        lines += [f"  {line}" for line in record] if record else [f"  {asked.ask[:1].lower()}{asked.ask[1:]}: {asked.command}"]
    return "\n".join(inert(line) for line in lines)


def _since(alert: Alert) -> str:
    """When it was made; an expectation was never made, only tracked from a day."""
    if not alert.made_on:
        return ""
    made = words.written(alert.made_on)
    return f" (tracked since {made})" if alert.type == "expectation" else f" on {made}"


def _current(alert: Alert) -> str:
    """The words in force; once an update changed them, attributed to whoever gave them (SPEC §7.2)."""
    reading = f" → read as {alert.reading}" if alert.deadline else " (open-ended: no deadline)"
    if len(alert.promises) < 2:
        recurring = bool(alert.promises and alert.promises[0].recurring)  # a later year's name: nobody's words
        return f": {words.recurs(alert.words) if recurring else alert.words}{reading}" if alert.words \
            else ": no date (open-ended)"
    now = alert.promises[-1]
    return " " + words.attributed(now.words, now.said_by, now.on, now.where, words.written) + reading


def _updates(alert: Alert, aged: bool) -> list[str]:
    """`aged`: the kind's last update is an old one (a lapse despite an update since the deadline),
    so say how old."""
    if alert.last_update:
        u = alert.last_update
        old = aged and alert.updated_since_deadline
        when = alert.last_update_when(words.written) if old else words.written(u.on)
        return [f"  last update {when}: {_clip(u.note, 200)}{_cited(u.source_title, u.source_url, u.said_by)}"]
    if alert.series_update and alert.period:
        other = alert.series_update
        about = f" (for {other.period})" if other.period else ""
        return [f"  no update recorded for {alert.period}; the last on this series was {words.written(other.on)}{about}"]
    return [f"  no update from {alert.owner} recorded"]


def _cited(title: str | None, url: str | None, said_by: str | None) -> str:
    """ " (source: Written answer HL9622, Lord Murray of Blidworth, https://…)": an update's source
    and speaker, as Slack shows them (SPEC §7.2); a bare link recorded as its own title once."""
    named = words.cited(title if title != url else None, said_by)
    link = _clip(url, 300) if url else ""
    if named and link:
        return f" ({named}, {link})"
    return f" ({named or 'source: ' + link})" if named or link else ""


def render_lead(alert: Alert, record: Sequence[str] | None = None) -> str:
    """A lead says first what was found (title, date, source, link, the passage), so two leads on
    one promise never look alike; then every commitment it may answer and how to answer it
    (`record`: where, for a reader without the command line)."""
    lead = alert.lead
    assert lead is not None
    published = f"published {words.written(lead.published)}" if lead.published else "undated"
    lines = [f"[LEAD] {lead.title}", f"  {published} · {lead.source_name} · {lead.url}"]
    if lead.snippet:
        lines.append(f'  "{_clip(" ".join(lead.snippet.split()), 300)}"')
    period = f", {alert.period}" if alert.period else ""
    lines.append(f"  may answer: {alert.title} ({alert.id}{period}): {_where_it_stands(alert)}")
    w = words.of(alert.type)
    lines.append("  " + w.by(alert.owner, alert.made_by) + _since(alert))
    if len(alert.promises) > 1:  # the deadline above is later words': say whose (SPEC §7.2)
        lines.append(f"  {w.label(True).lower()}{_current(alert)}")
    others = lead.others(alert.id)
    lines += [f"  or: {title} ({cid})" for cid, title in others]
    which = f" --commitment {alert.id}" if others else ""
    if record:
        lines += [f"  {line}" for line in record]
    else:
        lines.append(f"  not an update until someone confirms it: commitment-bot leads confirm {lead.lead_id}{which}"
                     f" · or: commitment-bot leads dismiss {lead.lead_id}")
    return "\n".join(inert(line) for line in lines)


def _where_it_stands(alert: Alert) -> str:
    """The promise's deadline in words: an open-ended promise is open-ended, not "withdrawn"."""
    if alert.deadline:
        passed = alert.decided_on is not None and alert.deadline < alert.decided_on
        return f"deadline {words.written(alert.deadline)}" + (" (passed)" if passed else "")
    if any(p.deadline for p in alert.promises):
        return "deadline withdrawn (no date now)"
    return "open-ended, no deadline"


def _clip(text: str, limit: int) -> str:
    """Cut between words, never inside one: a quote's last word stays the speaker's."""
    return clip(text, limit)


class ConsoleNotifier(Notifier):
    channel = "console"

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def deliver(self, target: str, batch: Sequence[Delivery]) -> Iterator[Outcome]:
        """One outcome for the whole batch: printing cannot half-fail the way a network send can,
        and one record instead of thousands keeps a large first run fast."""
        for item in batch:
            routed = inert(", ".join(item.alert.routed))
            where = f"routed to {routed}; shown here" if routed else "no route matches it; shown here"
            print(f"{render(item.alert)}\n  ({where})\n", file=self.stream)
        self.stream.flush()
        yield Outcome(tuple(item.id for item in batch))
