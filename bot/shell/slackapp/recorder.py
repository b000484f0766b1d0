"""An update from Slack (a modal or `/commitments update`): checked by the same rules as
`commitment-bot update` (bot.register.recording), refused with a message under every field at fault, and
recorded with the Slack user id as `by` (SPEC §6.1, §6.2). Whether its alert reached the thread is
read from what was decided, so a reply is posted once however many people record at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import notifiers.slack.ids as ids
from bot.decide import words
from bot.decide.kinds import KINDS
from bot.register.model import Commitment, Register
from bot.register.problems import did_you_mean
from bot.register.recording import UpdateRequest, as_promised, check_update
from bot.when.dates import describe
from notifiers.slack.blocks import clip
from notifiers.slack.views import DUE_LABELS, NOTE_MAX

FIELDS = ("note", "on", "due", "deadline", "status", "source", "period", "said-by")
OPTION = re.compile(r"--([a-z]+(?:-[a-z]+)*)")  # the whole option: --said-by, --reply-due


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
    said_by: str | None = None  # who gave the words it reports (SPEC §7.2)
    recorded_by: str | None = None  # the recorder's name as Slack shows it (the user id is kept as `by`)


STALE = ("This promise was edited in the register while this form was open, so what you saw may be out of "
         "date. Cancel, and open the form again from the alert.")


def missing(register: Register, commitment_id: str, known: bool = True) -> str:
    """Why nothing can be recorded for an id the register no longer holds (the id shown inert).
    An id typed by a person may never have been in it (`known` False): then only "did you mean"."""
    shown = clip(commitment_id, 100)
    if not known:
        return f'There is no commitment "{shown}" in the register{did_you_mean(commitment_id, register.by_id())}.'
    return (f'"{shown}" is no longer in the register (removed or archived), so nothing can be recorded '
            f"for it here{did_you_mean(commitment_id, register.by_id())}; `commitment-bot history {shown}` "
            "still shows what it was")


def refusals(register: Register, c: Commitment | None, form: Form, today: date) -> dict[str, str]:
    """Every field's problem at once, for the block that can fix it ({block id: message}); empty
    when the form may be recorded. Each field is checked by the same rules as `commitment-bot
    update`, on its own, so four mistakes are one answer, not four round trips (issue 26)."""
    if c is None:
        return {ids.NOTE: missing(register, form.commitment_id)}
    if form.opened is not None and form.opened != c.text_hash:
        return {ids.NOTE: STALE}
    found: dict[str, str] = {}
    for default, problem in _problems(register, c, form, today):
        if problem:
            found.setdefault(_field(problem, default), _plain(problem, c.type))
    return found


def _problems(register: Register, c: Commitment, form: Form, today: date) -> Iterator[tuple[str, str | None]]:
    """(the field a problem belongs to unless it names another, the problem or None), field by field."""
    base = UpdateRequest(c.id, today, "-", period=form.period)
    if len(form.note) > NOTE_MAX:
        yield ids.NOTE, (f"A note can be at most {NOTE_MAX} characters ({len(form.note)} given): link to the rest "
                       "in the evidence field.")
    yield ids.NOTE, check_update(register, replace(base, note=form.note))
    on_problem = ("Pick the day it happened." if form.on is None else
                  f"{form.on} is in the future: record what has happened (a date the government gives goes in "
                  f"\"{DUE_LABELS[c.type].split(',')[0]}\")." if form.on > today else check_update(register, replace(base, on=form.on)))
    yield ids.ON, on_problem
    on = form.on if form.on is not None and on_problem is None else today
    yield ids.DUE, check_update(register, replace(base, on=on, due=form.due, deadline=form.deadline))
    yield ids.STATUS, check_update(register, replace(base, on=on, status=form.status, source=form.source))
    yield ids.SAID_BY, check_update(register, replace(base, said_by=form.said_by))


def _field(problem: str, default: str) -> str:
    """The block a CLI message belongs to: the option it names, else `default`."""
    if "needs evidence" in problem:
        return ids.SOURCE
    named = OPTION.match(problem)
    field = named.group(1) if named and named.group(1) in FIELDS else default
    if field == "said-by":
        return ids.SAID_BY
    return ids.NOTE if field == "period" else field  # a period comes from the alert's button, not from an input


def _plain(problem: str, type_name: str = "promise") -> str:
    """A CLI message in the modal's words: no option names, and a status as this type says it (an
    ask is "met", never "delivered")."""
    w = words.of(type_name)
    text = problem.replace("add --source URL", "add an evidence link").replace(
        "give --deadline YYYY-MM-DD", "give a deadline below")
    text = re.sub(r"--status ([a-z-]+)", lambda m: f"--status {w.status(m.group(1))}", text)
    due = "the promised time" if type_name == "promise" else "the date given"
    return in_modal_words(text, {"on": "the date", "due": due, "note": "the note", "status": "status",
                                 "source": "the evidence link", "deadline": "the deadline", "period": "period",
                                 "said-by": "who said it"},
                          rest="in the evidence field" if text.startswith("--note ") else None)


_HELD = re.compile(r"^(--[a-z-]+): ((?:control )?character .*?) is not (allowed|text)(?: in (?:register text|YAML))?")


def in_modal_words(problem: str, names: dict[str, str], rest: str | None = None) -> str:
    """A CLI message as a modal says it: each option by its field's name in `names`, a character
    that may not be there said as the field holding it, and "link to the rest" only where `rest`
    says where a link goes (a form without a link field has nowhere to put the rest)."""
    text = _HELD.sub(r"\1 holds a \2 that is not \3", problem)
    text = text.replace("; link to the rest", f"; link to the rest {rest}" if rest else "")
    text = OPTION.sub(lambda m: names.get(m.group(1), m.group(1)), text)
    return text[:1].upper() + text[1:]


def request_of(form: Form, user: str) -> UpdateRequest:
    """The accepted form as the request every door records (bot.shell.usecases)."""
    assert form.on is not None
    return as_promised(UpdateRequest(form.commitment_id, form.on, form.note, form.due, form.status, form.period,
                                     form.source, user, form.deadline, form.said_by))


def told(store: Any, register: Register, commitment_id: str, row: int) -> bool:
    """Whether an alert about recorded update `row` was decided, by this process or any other
    (its identity ends in the update's key, SPEC §6.1); a withdrawn row needs no telling."""
    recorded = store.updates.recorded([commitment_id], register.quarters).get(commitment_id, [])
    update = next((u for u in recorded if u.recorded == row), None)
    if update is None:
        return True
    return any(tells(s.ident, update.key) for s in store.notifications.sent([commitment_id]))


def tells(ident: str, key: str) -> bool:
    """Whether the notification `ident` tells the update `key` in its thread: one of a kind that
    announces an update (bot.decide.kinds, `Kind.announces`), about that update."""
    announcing = KINDS.get(ident.split("|", 1)[0])
    return announcing is not None and announcing.announces and ident.endswith(f"|{key}")


def promised_words(store: Any, register: Register, c: Commitment, period: str | None, today: date) -> str:
    """The promise in force, as the record form shows it: the latest words, who gave them, when and
    where (SPEC §7.2), and how they read; never the first words once they slipped."""
    from bot.decide import words
    from bot.decide.timeline import tracks

    recorded = store.updates.recorded([c.id], register.quarters).get(c.id, [])
    found = [t for t in tracks(c, recorded, today) if t.period == period] or tracks(c, recorded, today)[-1:]
    now = found[-1].promises[-1]
    reading = describe(now.window) if now.window else "open-ended"
    said = words.attributed(now.phrase, now.said_by, now.on.isoformat() if now.on else None,
                            now.source.title if now.source else None, words.written, now.recurring, now.expected)
    label = words.of(c.type).label(len(found[-1].promises) > 1)
    return f"{label}: {said} → {reading}"  # shown as plain_text: as written, never escaped
