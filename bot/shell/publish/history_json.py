"""`history ID --json`: one commitment's chronicle as plain JSON values, for scripts.

Dates are ISO strings; texts are given as written (JSON escapes them), never cut.
"""

from __future__ import annotations

from typing import Any

from bot.register.model import Source, Update
from bot.shell.publish.chronicle import Chronicle, Line


def history_json(ch: Chronicle) -> dict[str, Any]:
    c = ch.commitment
    source = c.source
    return {
        "id": c.id, "title": c.title, "type": c.type, "owner": c.owner, "made_by": c.made_by,
        "made_on": _iso(c.made_on), "due": c.due, "tags": list(c.tags), "recurs": c.recurs,
        "source": _source(source),
        "archived_at": ch.entry.archived_at.isoformat() if ch.entry.archived_at else None,
        "tracks": [_line(ln) for ln in ch.lines],
        "updates": [update_json(u) for u in ch.updates],
    }


def _line(ln: Line) -> dict[str, Any]:
    return {
        "period": ln.period, "state": ln.state, "deadline": _iso(ln.deadline), "days_overdue": ln.days_overdue,
        "slips": ln.slips,
        "promises": [{"on": _iso(s.promise.on), "due": s.promise.phrase, "reading": s.reading,
                      "earliest": _iso(s.promise.window.earliest if s.promise.window else None),
                      "deadline": _iso(s.promise.deadline), "slip": s.slip or None, "current": s.current,
                      "said_by": s.promise.said_by,
                      "where": s.promise.source.named if s.promise.source else None}  # a bare link is no title
                     for s in ln.steps],
    }


def update_json(u: Update) -> dict[str, Any]:
    return {
        "on": u.on.isoformat(), "note": u.note, "status": u.status, "due": u.due, "period": u.period,
        "deadline": _iso(u.window.latest if u.window else None),
        # who recorded it, by name: a Slack user id stays in the database (SPEC §7.2); `by` is 0.3's
        # name for `recorded_by`, the same name, kept for scripts that read it
        "by": u.recorder, "said_by": u.said_by, "recorded_by": u.recorder,
        "source": _source(u.source),
        "recorded": u.recorded is not None,  # with `commitment-bot update` or Slack, not in the register file
        "context": u.context,  # someone else's statement about it: never the owner's news
    }


def _source(s: Source | None) -> dict[str, Any] | None:
    """A source as the file gives it: a link recorded with no title has no title (`title` null)."""
    return {"title": s.named, "url": s.url, "quote": s.quote} if s else None


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None
