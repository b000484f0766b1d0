"""Checking an update before it is recorded: the same rules as the file's updates (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.dates import FIRST_DAY, LAST_DAY, UnreadableDate, outside, resolve
from bot.loader import URL_RE
from bot.model import STATUSES, TERMINAL, Register
from bot.problems import did_you_mean, one_of
from bot.recurrence import find


@dataclass(frozen=True)
class UpdateRequest:
    commitment_id: str
    on: date
    note: str
    due: str | None = None
    status: str | None = None
    period: str | None = None
    source: str | None = None
    by: str | None = None


def check_update(register: Register, u: UpdateRequest) -> str | None:
    """The first thing wrong with the request, as a message that says how to fix it; else None."""
    c = register.by_id().get(u.commitment_id)
    if c is None:
        return f'no commitment "{u.commitment_id}"{did_you_mean(u.commitment_id, register.by_id())}'
    if not u.note.strip():
        return "--note must say what happened"
    if outside(u.on):
        return f"--on {u.on} is out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}"
    if c.made_on and u.on < c.made_on:
        return f"--on {u.on} is before the promise was made ({c.made_on})"
    if u.status is not None and u.status not in STATUSES:
        return f'--status "{u.status}" is not a status{did_you_mean(u.status, STATUSES) or " (one of: " + one_of(STATUSES) + ")"}'
    if u.status in TERMINAL and u.status != "superseded" and not u.source:
        return f'--status {u.status} needs evidence: add --source URL'
    if u.source and not URL_RE.fullmatch(u.source):
        return f'--source "{u.source}" must be a link starting with http:// or https://'
    if u.due is not None:
        try:
            window = resolve(u.due, u.on)
        except UnreadableDate as e:
            return str(e)
        if (far := outside(window.latest, window.earliest)) is not None:
            return f'--due "{u.due}" reads to {far}, out of range: dates must stay within years {FIRST_DAY.year}–{LAST_DAY.year}'

    if u.period is not None:
        if not c.recurs or c.window is None:
            return "--period is only for recurring commitments"
        if find(c.window, c.recurs, u.period, date(u.on.year + 2, 12, 31)) is None:
            return f'--period "{u.period}" is not one of this series\' periods'
    elif c.recurs and u.due is not None:
        return "a recurring commitment's revised --due must name its --period"
    return None
