"""A lead (SPEC §6.3, §7.4): decided by `commitment-bot watch`, not by the engine — something
that may be news, until a person confirms or dismisses it. Each lead is its own."""

from __future__ import annotations

from bot.decide.alerts import Alert
from bot.decide.kinds.base import Day, Kind, Said, same


def says(a: Alert, day: Day) -> Said:
    period = f" ({a.period})" if a.period else ""
    return f"Possible news for {a.title}{period}.", " It is not an update until someone confirms it."


def brief(a: Alert, day: Day) -> str:
    return f"possible news: {a.lead.title[:200] if a.lead else ''}"


KIND = Kind("lead", "🔎", "#0b6e79", "leads", same("Lead"), says, None, each_its_own=True, brief=brief,
            several={"lead": "leads"}, until_decided=True)
