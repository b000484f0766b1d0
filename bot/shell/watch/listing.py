"""Stored leads as the core's views: for "lead" alerts and for the digest's "New leads" section."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.decide.alerts import LeadView
from storage.leads import Lead, Leads


def lead_view(lead: Lead) -> LeadView:
    return LeadView(lead.id, lead.title, lead.url, lead.published.isoformat() if lead.published else None,
                    lead.source, lead.snippet)


def for_digest(engine: Engine, timezone: str) -> dict[str, list[tuple[date, LeadView]]]:
    """Every lead still new, per commitment, with the day it was found in the register's timezone:
    what `bot.decide.digest.read_book(..., leads=...)` takes. The digest shows those found since the last one."""
    tz = ZoneInfo(timezone)
    out: dict[str, list[tuple[date, LeadView]]] = {}
    for lead in reversed(Leads(engine).list("new")):  # oldest first
        out.setdefault(lead.commitment_id, []).append((lead.found_at.astimezone(tz).date(), lead_view(lead)))
    return out
