"""What a watch source hands back: a hit, before it is stored as a lead (SPEC §6.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.register.model import Watch


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    published: date | None
    source: str  # govuk | parliament-question | parliament-statement | page
    snippet: str | None = None
    kept: bool = False  # never scored, always kept: it answers the team's own chased question


@dataclass(frozen=True)
class Ask:
    """One commitment's watch, as a pass asks it: since its last news, up to `today`."""

    commitment_id: str
    watch: Watch
    since: date | None  # the commitment's last news (its last update, else the day it was made)
    today: date
    cited: frozenset[str]  # URLs the register or its updates already cite: not news
    title: str = ""  # the commitment's title: a find is scored against it and the query (watch/score.py)


def day_of(text: str | None) -> date | None:
    """The day of an API timestamp ("2024-03-12T00:00:00", "2017-12-07T12:54:39Z", "...+01:00")."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def in_window(published: date | None, ask: Ask) -> bool:
    """Published on or after the last news and not after `today` (time travel sees nothing later)."""
    if published is None:
        return True
    return (ask.since is None or published >= ask.since) and published <= ask.today


def paged(data: Any, offset: int, total_key: str) -> tuple[int | None, int | None]:
    """Where the next page of a paged answer starts (None at the end), and the total it gives.
    An answer without a whole-number total, or with no results, is the last page."""
    total = data.get(total_key) if isinstance(data, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(total, int) or isinstance(total, bool):
        return None, None
    if not isinstance(results, list) or not results:
        return None, total
    after = offset + len(results)
    return (after if after < total else None), total
