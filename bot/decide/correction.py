"""What a correction (bot.decide.kinds.withdrawn) carries beside its alert: the recorded update
the team withdrew, as it read while it counted. A plain value, stored with the alert."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WithdrawnView:
    """The recorded update a "withdrawn" alert corrects (SPEC §6.1): as it read while it counted,
    and the team's withdrawal of it. The team's record, never the government's: nobody but the
    team withdrew anything."""

    on: str  # YYYY-MM-DD, the update's own date
    note: str  # the team's account of it
    withdrawn_on: str  # YYYY-MM-DD, the day the team withdrew it
    words: str | None = None  # the time words it gave
    said_by: str | None = None  # who gave them (SPEC §7.2)
    where: str | None = None  # the title of its source (a bare link is no title: None)
    status: str | None = None  # the status it set
    why: str | None = None  # the team's note on why it was withdrawn
    restored: bool = False  # the words in force are again those it replaced (no later words since)
    number: int | None = None  # its number as `history` shows it
