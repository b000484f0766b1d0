"""The status table as text (colours only when writing to a terminal)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import click

from bot.status import StatusRow

if TYPE_CHECKING:
    from bot.held import HeldAlert
    from storage.repository import Claim, Undelivered

COLOURS = {"lapsed": "red", "overdue": "yellow", "due-soon": "yellow", "silent": "magenta",
           "delivered": "green", "partly-delivered": "green", "dropped": "bright_black"}


def render_status(rows: Sequence[StatusRow], now: datetime, colour: bool = False) -> str:
    header = ("STATE", "ID", "DEADLINE", "OVERDUE", "SLIPS", "LAST UPDATE", "PROMISED")
    body = [(
        r.state, r.id + (f" [{r.period}]" if r.period else ""), r.deadline or "—",
        f"{r.days_overdue}d" if r.days_overdue else "", str(r.slips) if r.slips else "",
        r.last_update or "never", r.words or "(open-ended)",
    ) for r in rows]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [f"commitments as at {now:%d %b %Y %H:%M %Z}", _line(header, widths)]
    for row in body:
        text = _line(row, widths)
        if colour and row[0] in COLOURS:
            text = click.style(row[0].ljust(widths[0]), fg=COLOURS[row[0]], bold=row[0] == "lapsed") + text[widths[0]:]
        lines.append(text)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    lines.append(", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: -kv[1])))
    return "\n".join(lines)


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
    lines = [f"\n{len(rows)} alert(s) held for channels that are not configured here:"]
    lines += [f"  {t}: {n} (configure {t.split(':', 1)[0]}, see README: the ones still current are then sent)"
              for t, n in sorted(targets.items())]
    return "\n".join(lines)


def render_abandoned(claims: Sequence[Claim]) -> str:
    """Claims whose worker stopped renewing them: that process is gone, a live one takes them over."""
    lines = ["\nclaims held by a process that is gone (a running `commitment-bot run` or the next check takes them over):"]
    lines += [f"  {c.worker}: {c.rows} notification(s), last renewed {c.renewed_at.isoformat(timespec='seconds')}"
              for c in claims]
    return "\n".join(lines)
