"""An update from Slack (a modal or `/commitments update`): checked by the same rules as
`commitment-bot update` (bot.recording), refused with a message for the field at fault, and
recorded with the Slack user id as `by` (SPEC §6.1, §6.2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.dates import UnreadableDate
from bot.model import Commitment, Register
from bot.problems import did_you_mean
from bot.recording import UpdateRequest, check_update, promised
from notifiers.slack.views import NOTE_MAX

FIELDS = ("note", "on", "due", "deadline", "status", "source", "period")
OPTION = re.compile(r"--([a-z]+)")


@dataclass(frozen=True)
class Form:
    """What a person filled in; `opened` is the commitment's text hash when the form opened."""

    commitment_id: str
    note: str
    on: date | None
    due: str | None = None
    deadline: date | None = None
    status: str | None = None
    source: str | None = None
    period: str | None = None
    opened: str | None = None
    ref: str | None = None  # the Slack view id: a submission delivered twice is recorded once


@dataclass(frozen=True)
class Refusal:
    field: str  # the modal block that shows it ("note" when no input is at fault)
    message: str


def missing(register: Register, commitment_id: str) -> str:
    return (f'"{commitment_id}" is no longer in the register (removed or archived), so nothing can be recorded '
            f"for it here{did_you_mean(commitment_id, register.by_id())}; `commitment-bot history {commitment_id}` "
            "still shows what it was")


def refusal(register: Register, c: Commitment | None, form: Form, today: date) -> Refusal | None:
    """The first thing wrong with the form, for the field that can fix it; None when it may be recorded."""
    if c is None:
        return Refusal("note", missing(register, form.commitment_id))
    if form.opened is not None and form.opened != c.text_hash:
        return Refusal("note", "This promise was edited in the register while this form was open, so what you "
                               "saw may be out of date. Cancel, and open the form again from the alert.")
    if len(form.note) > NOTE_MAX:
        return Refusal("note", f"A note can be at most {NOTE_MAX} characters ({len(form.note)} given): link to the "
                               "rest in the evidence field.")
    if form.on is None:
        return Refusal("on", "Pick the day it happened.")
    if form.on > today:
        return Refusal("on", f"{form.on} is in the future: record what has happened (a promised date goes in "
                             "\"New promised time\").")
    if form.due is not None and form.deadline is None:
        try:
            promised(form.due, form.on, None, register.quarters)
        except UnreadableDate as e:
            return Refusal("due", f"{e}".replace("set deadline:", "pick a deadline below"))
    problem = check_update(register, UpdateRequest(c.id, form.on, form.note, form.due, form.status, form.period,
                                                   form.source, None, form.deadline))
    if problem is None:
        return None
    named = OPTION.match(problem)
    field = named.group(1) if named and named.group(1) in FIELDS else "note"
    if "needs evidence" in problem:
        field = "source"
    if field == "period":
        field = "note"  # a period comes from the alert's button, not from an input
    return Refusal(field, _plain(problem))


def _plain(problem: str) -> str:
    """A CLI message in the modal's words: no option names."""
    text = problem.replace("add --source URL", "add an evidence link").replace(
        "give --deadline YYYY-MM-DD", "give a deadline below")
    text = OPTION.sub(lambda m: {"on": "the date", "due": "the promised time", "note": "the note",
                                 "status": "status", "source": "the evidence link", "deadline": "the deadline",
                                 "period": "period"}.get(m.group(1), m.group(1)), text)
    return text[:1].upper() + text[1:]


def record(store: Any, form: Form, user: str, now: Any) -> int:
    """Record an accepted form; the row id (the first one when Slack delivered it twice)."""
    due = form.due if form.due is not None else (form.deadline.isoformat() if form.deadline else None)
    assert form.on is not None
    return int(store.add_update(form.commitment_id, form.on, form.note.strip(), due, form.status, form.period,
                                form.source, user, now, deadline=form.deadline, ref=form.ref))
