"""Stored leads as the core's views: for "lead" alerts and for the digest's "New leads" section."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo

from bot.decide.alerts import LeadView
from storage.leads import Lead, Leads


def lead_view(lead: Lead, titles: Mapping[str, str] | None = None) -> LeadView:
    """`titles`: the register's commitments by id; a commitment it names that is no longer in the
    register is left out of the view."""
    titles = titles or {}
    answers = tuple((cid, titles[cid]) for cid in lead.commitments if cid in titles)
    return LeadView(lead.id, lead.title, lead.url, lead.published.isoformat() if lead.published else None,
                    lead.source, lead.snippet, answers)


def for_digest(leads: Leads, timezone: str,
               titles: Mapping[str, str] | None = None) -> dict[str, list[tuple[date, LeadView]]]:
    """Every lead still new, under each commitment it may answer, with the day it was found in the
    register's timezone: what `bot.decide.digest.read_book(..., leads=...)` takes. The digest shows those
    found since the last one, each once per recipient."""
    tz = ZoneInfo(timezone)
    out: dict[str, list[tuple[date, LeadView]]] = {}
    for lead in reversed(leads.list("new")):  # oldest first
        shown = lead_view(lead, titles)
        for cid in lead.commitments:
            out.setdefault(cid, []).append((lead.found_at.astimezone(tz).date(), shown))
    return out
