"""The console channel: every alert, readably, with no network and nothing configured.

Register text is shown inert (bot.inert): an escape sequence in a title or note prints as
`\\x1b[2J`, never as a cleared screen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from bot.alerts import Alert, times
from bot.inert import inert
from bot.kinds import kind
from notifiers.base import Delivery, Outcome


def render(alert: Alert) -> str:
    """Plain text, one alert; also the fallback text other channels start from.

    The only line breaks are the ones put here; every control character from the register
    (including a newline or CR inside a title) is shown as a visible escape."""
    if alert.lead is not None:
        return render_lead(alert)
    head = f"[{kind(alert.kind).headline.upper()}] {alert.title} ({alert.id}"
    head += f", {alert.period})" if alert.period else ")"
    lines = [head]
    who = alert.owner + (f" — {alert.made_by}" if alert.made_by else "")
    lines.append(f"  promised by {who}" + (f" on {alert.made_on}" if alert.made_on else ""))
    if alert.quote:
        lines.append(f'  "{_clip(alert.quote, 300)}"')
    if alert.source_url or alert.source_title:
        lines.append(f"  source: {alert.source_title or ''} {alert.source_url or ''}".rstrip())
    lines.append(f"  promised: {alert.words or 'no date'} → read as {alert.reading}")
    lines.append(_status_line(alert))
    if alert.slips:
        chain = " → ".join(p.words or p.reading for p in alert.promises)
        lines.append(f"  slipped {times(alert.slips)}: {chain}")
    if alert.last_update:
        # a lapse despite an update since the deadline: that update is old, so say how old
        lapsed_since = alert.kind == "lapsed" and alert.updated_since_deadline
        when = alert.last_update_when(str) if lapsed_since else alert.last_update.on
        lines.append(f"  last update {when}: {_clip(alert.last_update.note, 200)}")
    else:
        lines.append("  no update recorded")
    if alert.kind != "closed":
        lines.append(f"  record what happened: {alert.update_command}")
    return "\n".join(inert(line) for line in lines)


def render_lead(alert: Alert) -> str:
    """A lead says first what was found (title, date, source, link, the passage), so two leads on
    one promise never look alike; then every commitment it may answer and how to answer it."""
    lead = alert.lead
    assert lead is not None
    published = f"published {lead.published}" if lead.published else "undated"
    lines = [f"[LEAD] {lead.title}", f"  {published} · {lead.source_name} · {lead.url}"]
    if lead.snippet:
        lines.append(f'  "{_clip(" ".join(lead.snippet.split()), 300)}"')
    period = f", {alert.period}" if alert.period else ""
    lines.append(f"  may answer: {alert.title} ({alert.id}{period}): {_where_it_stands(alert)}")
    others = lead.others(alert.id)
    lines += [f"  or: {title} ({cid})" for cid, title in others]
    which = f" --commitment {alert.id}" if others else ""
    lines.append(f"  not an update until someone confirms it: commitment-bot leads confirm {lead.lead_id}{which}"
                 f" · or: commitment-bot leads dismiss {lead.lead_id}")
    return "\n".join(inert(line) for line in lines)


def _where_it_stands(alert: Alert) -> str:
    """The promise's deadline in words: an open-ended promise is open-ended, not "withdrawn"."""
    if alert.deadline:
        passed = alert.decided_on is not None and alert.deadline < alert.decided_on
        return f"deadline {alert.deadline}" + (" (passed)" if passed else "")
    if any(p.deadline for p in alert.promises):
        return "deadline withdrawn (no date now)"
    return "open-ended, no deadline"


def _status_line(alert: Alert) -> str:
    if alert.kind == "closed":
        return f"  closed as {alert.status}"
    if alert.kind == "silent":
        return f"  open-ended, no news — reminder {alert.n}"
    if alert.deadline and alert.days_overdue:
        line = f"  deadline {alert.deadline}: {alert.days_overdue} days overdue" + (
            f" (reminder {alert.n})" if alert.n and alert.n > 1 else "")
        # otherwise the last-update line below names the update since the deadline, and its age
        if alert.kind == "lapsed" and not alert.updated_since_deadline:
            line += ", no update since the deadline"
        return line
    return f"  deadline {alert.deadline or 'withdrawn'}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConsoleNotifier:
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
