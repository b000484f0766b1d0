"""The status table as text (colours only when writing to a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import click

from bot.decide import words
from bot.decide.status import StatusRow
from bot.register.inert import inert

if TYPE_CHECKING:
    from bot.decide.held import HeldAlert
    from storage.notifications import Claim, Undelivered

COLOURS = {"lapsed": "red", "no answer": "red", "no news": "red", "overdue": "yellow", "past date": "yellow",
           "due-soon": "yellow", "silent": "magenta",
           "delivered": "green", "partly-delivered": "green", "met": "green", "partly met": "green",
           "dropped": "bright_black"}


MEANINGS = {  # what a campaigner needs to tell apart, said under the table when it shows them
    "lapsed": "lapsed = past its deadline, and no update since the deadline (or none for remind_every): alerts repeat",
    "no answer": "no answer = an ask past the date it asked for, with no answer since: alerts repeat",
    "no news": "no news = an expectation (not a promise) past its date, with no news since: alerts repeat",
    "overdue": "overdue = past its deadline, but an update came in since it, within remind_every: alerts pause",
    "past date": "past date = an ask or an expectation past its date, but an update came in since it, within "
                 "remind_every: alerts pause",
    "silent": "silent = open-ended, and no news for check_in",
}
MIN_TITLE = 20
TITLE_MARK = {"promise": "", "ask": "[ask] ", "expectation": "[expected] "}  # only a promise is unmarked (SPEC §7.1)


def render_status(rows: Sequence[StatusRow], now: datetime, colour: bool = False, width: int = 160) -> str:
    """The table, each title cut to what is left of `width` (the terminal's) after the other columns."""
    header = ("STATE", "ID", "DEADLINE", "PAST DUE", "SLIPS", "LAST UPDATE", "THEIR WORDS", "OWNER", "TITLE")
    body = [(
        words.state_word(r.state, r.said_type), r.id + (f" [{r.period}]" if r.period else ""), r.deadline or "—",
        f"{r.days_overdue}d" if r.days_overdue else "", str(r.slips) if r.slips else "",
        r.last_update or "never", r.their_words, inert(r.owner), TITLE_MARK[r.type] + inert(r.title),
    ) for r in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    room = max(MIN_TITLE, width - sum(widths[:-1]) - 2 * (len(widths) - 1))
    body = [(*row[:-1], _cut(row[-1], room)) for row in body]
    widths[-1] = max(len(row[-1]) for row in [header, *body])
    lines = [f"commitments as at {now.day} {now:%b %Y %H:%M %Z}", _line(header, widths)]
    for row in body:
        text = _line(row, widths)
        if colour and row[0] in COLOURS:
            text = click.style(row[0].ljust(widths[0]), fg=COLOURS[row[0]], bold=row[0] == "lapsed") + text[widths[0]:]
        lines.append(text)
    counts: dict[str, int] = {}
    for r in rows:
        counts[words.state_word(r.state, r.said_type)] = counts.get(words.state_word(r.state, r.said_type), 0) + 1
    lines.append(", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: -kv[1]))
                 or "no commitment matches")
    lines += [MEANINGS[s] for s in MEANINGS if s in counts]
    return "\n".join(lines)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def render_undelivered(rows: Sequence[Undelivered]) -> str:
    lines = [f"\n{len(rows)} notification(s) not delivered yet:"]
    for r in rows[:50]:
        lines.append(f"  {r.kind} for {r.commitment_id} → {r.target}: {r.last_error or 'waiting'} (tries: {r.attempts})")
    if len(rows) > 50:
        lines.append(f"  … and {len(rows) - 50} more")
    return "\n".join(lines)


def render_held(rows: Sequence[HeldAlert]) -> str:
    """Alerts kept for a channel that is routed but not configured: nothing is used up meanwhile."""
    targets: dict[str, int] = {}
    for h in rows:
        targets[h.target] = targets.get(h.target, 0) + 1
    from notifiers import needs

    lines = [f"\n{len(rows)} alert(s) held for channels that are not configured here:"]
    lines += [f"  {t}: {n} ({needs(t)}, see README: the ones still current are then sent)" for t, n in sorted(targets.items())]
    return "\n".join(lines)


def render_abandoned(claims: Sequence[Claim]) -> str:
    """Claims whose worker stopped renewing them: that process is gone, a live one takes them over."""
    lines = ["\nclaims held by a process that is gone (a running `commitment-bot run` or the next check takes them over):"]
    lines += [f"  {c.worker}: {c.rows} notification(s), last renewed {c.renewed_at.isoformat(timespec='seconds')}"
              for c in claims]
    return "\n".join(lines)
