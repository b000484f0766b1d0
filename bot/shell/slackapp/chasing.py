"""The draft follow-up (SPEC §7.3, §7.5) as the Slack app shows and records it: the draft in the
form a person chose, as `commitment-bot draft` prints it (bot.shell.usecases.draft_chase); the
reply due by the service standard, counted as `commitment-bot chase` counts it, at the instant of
the click, so after the Commons' tabling cut-off a question is tabled the next day
(bot.chase.standards.chase_reply_due); and the chase
that "Record as chased" asks the use case to record, checked field by field first.

The bot never sends the draft: it is shown only to the person who clicked, in the modal, and the
thread is told only that the team chased, by what, and when the reply is due.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import notifiers.slack.ids as ids
from bot.chase.answering import UnknownOwner
from bot.chase.references import wrong_house
from bot.chase.standards import NoReplyDue, chase_reply_due
from bot.decide import words
from bot.register.model import Commitment, Register
from bot.register.recording import LONGEST, ActionRequest, check_action
from bot.shell import usecases
from bot.shell.drafts.render import render
from bot.shell.slackapp.payload import date_of, selected_of, text_of
from bot.shell.slackapp.recorder import STALE, in_modal_words, missing
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import FollowUp

# A written question in the Lords comes first: SPEC §7.5 drafts it first, the promises registers
# like ours chase were mostly given to peers (letters to peers, Lords written answers), and any
# peer can table one. The select changes it in one click; the draft and reply due follow.
DEFAULT_FORM = ids.WQ_LORDS
LIMITS = {ids.REF: LONGEST["--ref"], ids.TO: LONGEST["--to"], ids.NOTE: LONGEST["chase --note"]}  # every door's
_OPTIONS = {"--note": (ids.NOTE, "the note"), "--ref": (ids.REF, "the reference"), "--to": (ids.TO, "whom it went to"),
            "--by": (ids.FORM, "your name as Slack shows it"), "--period": (ids.FORM, "the period")}


def follow_up(store: Any, register: Register, c: Commitment, form: str, now: datetime) -> FollowUp:
    """What the modal shows for `form` at `now` (the click). Raises bot.chase.draft.DraftRefused for a closed commitment
    (there is nothing to chase); an owner the answering table does not know gets no question or letter
    (an FOI request goes to it as the public authority), but
    the chase can still be recorded."""
    how, house = ids.DRAFT_FORMS[form]
    try:
        text, why_not = render(usecases.draft_chase(store, register, c, how, house, now)), ""
    except UnknownOwner as e:  # the CLI's words, with the modal's way to an FOI request in place of --as foi
        text, why_not = None, str(e).replace("(--as foi)", "(choose “Freedom of information request” in Draft it as)")
    try:
        due = chase_reply_due(how, house, now)
        reply, why = (due.on, f"By the standard, if it is sent today: {due.explained}") if due else (None, "")
    except NoReplyDue as e:
        reply, why = None, f"Not worked out ({e}): pick the day."
    command = f"commitment-bot draft {c.id} --as {how}" + (f" --house {house}" if house else "")
    return FollowUp(form, text, why_not, command, reply, why)


@dataclass(frozen=True)
class Filled:
    """What a person submitted in the follow-up modal."""

    form: str | None
    reply_block: str  # the block the reply due was read from (one per form: ids.reply_due_block)
    reply_due: date | None
    ref: str | None
    to: str | None
    note: str | None


def filled(values: dict[str, Any]) -> Filled:
    """The submission's fields; the reply due from the one reply-due block the modal holds."""
    block = next((b for b in values if b.startswith(ids.REPLY_DUE + ".")), ids.FORM)
    return Filled(selected_of(values, ids.FORM), block, date_of(values, block), text_of(values, ids.REF),
                  text_of(values, ids.TO), text_of(values, ids.NOTE))


def request_of(meta: dict[str, Any], f: Filled, today: date, user: str) -> ActionRequest:
    how = ids.DRAFT_FORMS[f.form][0] if f.form in ids.DRAFT_FORMS else None
    return ActionRequest(str(meta["id"]), "chase", today, meta.get("period"), how=how, ref=f.ref, to=f.to,
                         reply_due=f.reply_due, note=f.note, by=user)


def refusals(register: Register, c: Commitment | None, meta: dict[str, Any], f: Filled,
             request: ActionRequest) -> dict[str, str]:
    """Every field's problem at once ({block id: message}, under the field that can fix it);
    empty when the chase may be recorded. The same rules as `commitment-bot chase`, each field
    checked on its own, so an over-long reference does not hide a date out of range."""
    if c is None:
        return {ids.FORM: missing(register, str(meta["id"]))}
    if meta.get("hash") and meta["hash"] != c.text_hash:
        return {ids.FORM: STALE}
    found: dict[str, str] = {}
    if f.form not in ids.DRAFT_FORMS:
        found[ids.FORM] = "Choose how the team chased."
    elif f.reply_block != ids.reply_due_block(f.form):
        found[f.reply_block] = "This date was worked out for another form: check it, then record again."
    if f.reply_due is None:
        found.setdefault(f.reply_block, "Pick the day the reply is due.")
    if f.form in ids.DRAFT_FORMS and (wrong := wrong_house(f.ref, ids.DRAFT_FORMS[f.form][1])):
        found[ids.REF] = wrong[:1].upper() + wrong[1:] + "."
    texts = {ids.REF: f.ref, ids.TO: f.to, ids.NOTE: f.note}
    for block, limit in LIMITS.items():
        if (text := texts[block]) and len(text) > limit:
            found[block] = f"At most {limit} characters ({len(text)} given)."
    for problem in _problems(register, request):
        block, plain = _placed(problem, f.reply_block)
        found.setdefault(block, plain)
    return found


def _problems(register: Register, request: ActionRequest) -> list[str]:
    """check_action's answer for each field alone (the form and period, the reply due, the
    reference, whom it went to, the note), so every field at fault is named at once."""
    base = replace(request, reply_due=None, ref=None, to=None, note=None)
    alone = (base, replace(base, reply_due=request.reply_due), replace(base, ref=request.ref),
             replace(base, to=request.to), replace(base, note=request.note))
    return [p for p in (check_action(register, r) for r in alone) if p]


def _placed(problem: str, reply_block: str) -> tuple[str, str]:
    """A CLI message, under the field it is about and without the option's name."""
    option = problem.split(" ", 1)[0].rstrip(":")
    if option == "--reply-due":
        return reply_block, "The reply due date" + problem[len(option):]
    block = _OPTIONS.get(option, (ids.FORM, ""))[0]
    return block, in_modal_words(problem, {o[2:]: named for o, (_, named) in _OPTIONS.items()})


def thread_line(user: str, c: Commitment, form: str, request: ActionRequest) -> str:
    """What the commitment's thread is told: who recorded that the team chased, by what, and when
    the reply is due; never the draft, and never as news."""
    how, house = ids.DRAFT_FORMS[form]
    what = words.chased_by(how, clip(request.ref, 100) if request.ref else None)
    where = {"lords": " in the House of Lords", "commons": " in the House of Commons"}.get(house or "", "")
    to = f" to {clip(request.to, 200)}" if request.to else ""
    due = f"; reply due {request.reply_due:%-d %b %Y}" if request.reply_due else ""
    return (f"<@{user}> recorded that the team chased this {escape(words.of(c.type).noun)} {what}{where}{to}{due}. "
            "This is the team's action, not news.")
