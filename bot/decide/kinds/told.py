"""What the four kinds that tell an update share: they are news of the government's record
(SPEC §3, §6.1), told once while fresh, and no instant of time makes one due later."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.decide.kinds.base import Moment


class News:
    """A rule whose notices only ever leave their window as time passes: never a future instant.
    Its kind announces an update (`Kind.announces`)."""

    def next_change(self, m: Moment) -> datetime | None:
        return None

    def since(self, m: Moment) -> datetime:
        """Slips and closings imported long after the fact are history, not news (SPEC §3)."""
        return m.c.policy.remind_every.before(m.now)

    def still_true(self, kind_deadline: date | None, state: str, deadline: date | None) -> bool:
        return True
