"""Record reply (SPEC §7.3; issue 26 item 6): the Slack way to `commitment-bot chase ID --replied REF`,
for coordinators who have no command line. A reply-overdue alert's button opens a form with the
commitment's chases still awaiting a reply (the alert's own chosen), the day the reply came (today
by default; not after today, not before the chase), a note and a link to the reply. Every field's
problem is named at once; an accepted form records the team's `reply` action through the use case
the command calls, with the request the command makes (bot.register.recording.reply_request), and
the thread is told who recorded it, as the team's action, never as news of the promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import notifiers.slack.ids as ids
from bot.decide import words
from bot.decide.holds import answered, chases
from bot.decide.timeline import every_action, every_update
from bot.register.links import URL_RE, malformed
from bot.register.model import Action, Commitment, Register
from bot.register.problems import CONTROL, refused
from bot.register.recording import LONGEST, ActionRequest, check_action, reply_request, too_long
from bot.shell.slackapp.payload import date_of, selected_of, text_of
from bot.shell.slackapp.recorder import STALE, in_modal_words, missing
from notifiers.slack.blocks import clip, escape

NOTE_MAX, LINK_MAX = LONGEST["--note"], LONGEST["--source"]  # a reply's note (the link is kept in it), an evidence link
_NAMES = {"on": "the day", "note": "the note", "by": "your name as Slack shows it", "period": "the chase's period"}


@dataclass(frozen=True)
class Chases:
    """A track's chases taken by today (`taken`), and those nothing answers yet (`open`): no reply
    recorded, no answer to its written question (bot.decide.holds.answered, the rule
    reply-overdue reads)."""

    taken: tuple[Action, ...]
    open: tuple[Action, ...]

    def named(self, key: str | None) -> Action | None:
        return next((a for a in self.taken if a.key == key), None) if key else None


def chases_of(store: Any, register: Register, c: Commitment, period: str | None, today: date) -> Chases:
    actions = every_action(c, store.actions.recorded([c.id]).get(c.id, []))
    updates = every_update(c, store.updates.recorded([c.id], register.quarters).get(c.id, []))
    taken = chases(actions, period, today)
    return Chases(taken, tuple(a for a in taken if not answered(a, updates, actions, today)))


def choices(found: Chases) -> list[tuple[str, str]]:
    """The form's select: (the chase's key, how people name it), newest first."""
    return [(a.key, f"{a.on:%-d %b %Y}: chased {words.chased_by(a.how, a.ref)}".rstrip()) for a in reversed(found.open)]


@dataclass(frozen=True)
class Filled:
    """What a person submitted in the record reply form."""

    chase: str | None  # the chosen chase's key
    on: date | None
    note: str | None
    link: str | None


def filled(values: dict[str, Any]) -> Filled:
    return Filled(selected_of(values, ids.CHASE), date_of(values, ids.ON), text_of(values, ids.NOTE),
                  text_of(values, ids.LINK))


def with_link(note: str | None, link: str | None) -> str | None:
    """The note the reply is recorded with: a reply has no field for a link, so it is kept in the
    note, where `history`, the report and the file's `actions:` show it."""
    if not link:
        return note
    return f"{note} (the reply: {link})" if note else f"The reply: {link}"


def request_of(meta: dict[str, Any], f: Filled, chase: Action, user: str) -> ActionRequest:
    assert f.on is not None
    return reply_request(str(meta["id"]), chase, f.on, with_link(f.note, f.link), by=user)


def refusals(register: Register, c: Commitment | None, meta: dict[str, Any], f: Filled, found: Chases | None,
             today: date) -> dict[str, str]:
    """Every field's problem at once ({block id: message}, under the field that can fix it); empty
    when the reply may be recorded. The rules of `chase --replied`, each field checked on its own."""
    if c is None or found is None:
        return {ids.CHASE: missing(register, str(meta["id"]))}
    if meta.get("hash") and meta["hash"] != c.text_hash:
        return {ids.CHASE: STALE}
    errors: dict[str, str] = {}
    chase = found.named(f.chase)
    if f.chase is None:
        errors[ids.CHASE] = "Choose the chase that was replied to."
    elif chase is None:
        errors[ids.CHASE] = "This is not one of this commitment's chases: choose one from the list."
    elif chase not in found.open:
        errors[ids.CHASE] = ("A reply to this chase is recorded already (or, for a written question, its answer): "
                             "nothing more to record. Cancel, or choose another chase.")
    if f.on is None:
        errors[ids.ON] = "Pick the day the reply came."
    elif f.on > today:
        errors[ids.ON] = f"{f.on:%-d %b %Y} is after today: record a reply once it has come."
    elif chase is not None and f.on < chase.on:
        errors[ids.ON] = f"A reply comes after its chase ({chase.on:%-d %b %Y}): pick that day or a later one."
    if f.note and len(f.note) > NOTE_MAX:
        errors[ids.NOTE] = f"At most {NOTE_MAX} characters ({len(f.note)} given)."
    if f.link and (wrong := _link_problem(f.link)):
        errors[ids.LINK] = wrong
    stand_in = chase or Action("", "chase", today, how="other")  # to check the note when no chase is chosen
    alone = [(ids.NOTE, reply_request(c.id, stand_in, max(today, stand_in.on), f.note, None))]
    if f.on is not None and chase is not None:
        alone.append((ids.ON, reply_request(c.id, chase, f.on, None, None)))
    for block, request in alone:
        if problem := check_action(register, request):
            errors.setdefault(block, in_modal_words(problem, _NAMES))
    together = too_long("--note", with_link(f.note, f.link), "reply")
    if together and f.link and ids.NOTE not in errors and ids.LINK not in errors:
        errors[ids.NOTE] = (f"The note and the link are kept together, and together they are at most {NOTE_MAX} "
                            f"characters ({len(with_link(f.note, f.link) or '')} given).")
    return errors


def _link_problem(link: str) -> str | None:
    """Why `link` cannot be kept as the link to the reply: the rules of an evidence link."""
    if bad := CONTROL.search(link):
        return in_modal_words(f"--link: {refused(bad.group())}", {"link": "the link"})
    if len(link) > LINK_MAX:
        return f"At most {LINK_MAX} characters ({len(link)} given)."
    if not URL_RE.fullmatch(link):
        return "A link starts with http:// or https://."
    if why := malformed(link):
        return f"This is not a well-formed link: {why}."
    return None


def thread_line(user: str, c: Commitment, chase: Action, request: ActionRequest) -> str:
    """What the commitment's thread is told: who recorded that the team's chase was replied to,
    and when; the team's action, never news of the promise (what the reply says is news)."""
    what = words.chased_by(chase.how, clip(chase.ref, 100) if chase.ref else None)
    note = f": {clip(request.note, 1000)}" if request.note else ""
    noun = escape(words.of(c.type).noun)
    return (f"<@{user}> recorded that the team's chase{' ' + what if what else ''} of {chase.on:%-d %b %Y} was "
            f"replied to on {request.on:%-d %b %Y}{note}. This is the team's action, not news of the {noun}; what "
            "the reply says of it is news, recorded with *Record update*.")
