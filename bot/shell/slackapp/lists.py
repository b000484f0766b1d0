"""The lists `/commitments` and App Home show: what is past its deadline and what is due in the
next 30 days, one line a promise, most overdue (or soonest due) first, with a link to the site's
full list when COMMITMENT_BOT_SITE_URL names it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from bot.decide import words
from bot.register.model import TERMINAL, Register
from bot.shell.slackapp.desk import Desk
from notifiers.slack.blocks import clip, day

DUE_WITHIN = timedelta(days=30)
PAST = ("lapsed", "overdue")  # past the deadline: recent news pauses reminders, it does not keep a promise
_SAFE_URL = re.compile(r"https?://[^\s<>|]+")


def rows(desk: Desk, register: Register, now: datetime) -> list[Any]:
    """Every commitment's status row, as `status` works it out."""
    from bot.decide.status import summarise

    return summarise(register, desk.store.updates.recorded(None, quarters=register.quarters), now,
                     desk.store.register.first_seen())


def lapsed_and_due(rows: list[Any], today: date) -> tuple[list[Any], list[Any]]:
    """What is past its deadline and not closed (lapsed, or overdue with recent news), most overdue
    first; and what is due in the next 30 days and not closed, soonest first."""
    lapsed = sorted((r for r in rows if r.state in PAST), key=lambda r: (-r.days_overdue, r.id))
    due = sorted((r for r in rows if r.deadline and r.state not in TERMINAL and r.state not in PAST
                  and today <= date.fromisoformat(r.deadline) <= today + DUE_WITHIN), key=lambda r: (r.deadline, r.id))
    return lapsed, due


def line(r: Any) -> str:
    """One promise in a list: an ask or an expectation named as such, lateness in words (SPEC §7.1)."""
    kind = {"ask": "ask: ", "expectation": "expected: "}.get(r.type, "")
    if r.days_overdue:
        said = words.state_word(r.state, r.said_type) if r.state == "lapsed" and r.said_type != "promise" else None
        late = ", ".join(w for w in (said, words.of(r.type).past(r.days_overdue)) if w)
        when = f"{late}, deadline {day(r.deadline)}" + ("; news since, reminders paused" if r.state == "overdue" else "")
    else:
        when = f"deadline {day(r.deadline) if r.deadline else 'none'}"
    return f"• {kind}*{clip(r.title, 150)}* (`{clip(r.id, 100)}`): {when}"


def site_link(desk: Desk) -> str | None:
    """Where the site lists every commitment a list leaves out, when COMMITMENT_BOT_SITE_URL names
    the published site; None without one, or with one that is not a plain http(s) address (it
    goes inside Slack's <url|text> markup). That is its index, every commitment most urgent
    first, page after page, for both lists: the past-date list holds promises, asks and
    expectations, which the site files under three filters, and a ranking by deadline is only
    its first page (at scale, all past their deadline, none due)."""
    from bot.shell.publish.listing import href

    base = (desk.context.settings.site_url or "").rstrip("/")
    if not _SAFE_URL.fullmatch(base):
        return None
    return f"{base}/{href('all')}"
