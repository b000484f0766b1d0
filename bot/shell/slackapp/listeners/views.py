"""Every modal's submission (SPEC §6.2, §7.3, §7.5): the record form, the snooze, "Record as
chased" and Record reply. A submission is checked, answered, then recorded through bot.shell.usecases.

Slack waits three seconds for the answer, so nothing it waits on may take longer. Everything that
decides it (the register, every field's problem, whether a lead is still open, the chases a reply
may answer) is read, not written, so the answer comes at once, with every field at fault named;
the database is waited for at most waiting.WAIT seconds, and a busy one is the answer, under the
form. Who may record is checked just after the answer: a user group's members may have to be
asked of Slack (access.py), which can take longer than Slack waits. Recording and delivery come
after that. A person access.recorders leaves out (removed from the group while the form was open),
a database that does not answer, or a lead someone else decided meanwhile, is told to the person
in Slack, with nothing recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from typing import Any

import notifiers.slack.ids as ids
from bot.decide import words
from bot.register.model import Register
from bot.register.recording import ActionRequest, check_action
from bot.shell import usecases
from bot.shell.slackapp import chasing, guard, replying, waiting
from bot.shell.slackapp.desk import Desk, not_recorded
from bot.shell.slackapp.payload import date_of, metadata, selected_of, tell, text_of
from bot.shell.slackapp.recorder import STALE, Form, in_modal_words, missing, refusals, request_of, told
from notifiers.slack.blocks import clip

LEAD_TAKEN = "Someone confirmed or dismissed this lead while the form was open: nothing was recorded."
ERROR_MAX = 1900  # what Slack shows under a field


def register(app: Any, desk: Desk) -> None:
    """Each modal's listener, given the desk (and the rows whose thread this process told, so a
    replayed submission is not told twice), and the field a busy database is told under
    (waiting.py); slack-bolt passes the rest by their names."""
    told_actions: set[int] = set()  # rows of the actions table (snoozes and chases) whose thread was told
    app.view(ids.RECORD_VIEW)(waiting.form(desk, ids.NOTE, partial(record_update, desk, set())))
    app.view(ids.SNOOZE_VIEW)(waiting.form(desk, ids.REASON, partial(snoozed, desk, told_actions)))
    app.view(ids.RECORD_CHASE)(waiting.form(desk, ids.FORM, partial(record_chase, desk, told_actions)))
    app.view(ids.REPLY_VIEW)(waiting.form(desk, ids.CHASE, partial(record_reply, desk, told_actions)))


def record_update(desk: Desk, told_updates: set[int], ack: Any, body: dict[str, Any], view: dict[str, Any],
                  client: Any) -> None:
    """The record form (Record update, Mark delivered, a lead's Confirm): refused field by field, or
    answered at once and recorded after; its alert, or a line saying who recorded it, in the thread."""
    values, meta = view["state"]["values"], metadata(view)
    form = Form(meta["id"], text_of(values, ids.NOTE) or "", date_of(values, ids.ON), text_of(values, ids.DUE),
                date_of(values, ids.DEADLINE), selected_of(values, ids.STATUS), text_of(values, ids.SOURCE),
                meta.get("period"), meta.get("hash"), view.get("id"), said_by=text_of(values, ids.SAID_BY))
    user = body["user"]["id"]
    register, source_hash = desk.register()
    c, now = register.by_id().get(form.commitment_id), desk.now(register)
    found = refusals(register, c, form, now.date())
    if not found and meta.get("lead") is not None and not _lead_open(desk, meta["lead"]):
        found = {ids.NOTE: LEAD_TAKEN}
    if found:
        return _refuse(ack, found)
    ack()
    if _denied(desk, register, user, client, meta):
        return

    def say_if_untold(row: int) -> None:
        """An update too old to be news still gets a line in its thread saying who recorded it."""
        if row in told_updates or told(desk.store, register, form.commitment_id, row):
            return
        told_updates.add(row)
        _say(client, meta, f"<@{user}> recorded an update dated {form.on}: {clip(form.note, 2500)}")

    form = replace(form, recorded_by=desk.display_name(client, user, body))  # after answering: Slack is asked
    row = _recorded(client, meta, user, lambda: _record(desk, form, meta, user, now, register, source_hash))
    if row is not None:
        desk.deliver(then=partial(say_if_untold, row), touched=form.commitment_id)


def snoozed(desk: Desk, told_actions: set[int], ack: Any, body: dict[str, Any], view: dict[str, Any],
            client: Any) -> None:
    """A snooze is the team's action (SPEC §7.3), never news: it is recorded apart from updates,
    holds reminders up to and including its day, and its thread is told who snoozed it, once."""
    values, meta = view["state"]["values"], metadata(view)
    user = body["user"]["id"]
    register, source_hash = desk.register()
    c, now = register.by_id().get(meta["id"]), desk.now(register)
    until, reason = date_of(values, ids.UNTIL), (text_of(values, ids.REASON) or "").strip()
    request = ActionRequest(meta["id"], "snooze", now.date(), meta.get("period"), until, note=reason or None,
                            by=user)
    refused = (missing(register, meta["id"]) if c is None else
               STALE if meta.get("hash") and meta.get("hash") != c.text_hash else None)
    errors = {ids.REASON: refused} if refused else _snooze_refusals(register, request, now.date())
    if errors:
        return _refuse(ack, errors)
    ack()
    if _denied(desk, register, user, client, meta):
        return
    request = replace(request, recorded_by=desk.display_name(client, user, body))
    row = _recorded(client, meta, user, lambda: _act(desk, register, source_hash, request, now, view))
    if row is not None and until is not None and row not in told_actions:
        told_actions.add(row)
        noun = words.of(c.type if c else None).noun  # only a promise is a promise (SPEC §7.1)
        _say(client, meta, f"<@{user}> snoozed the reminders until {until:%-d %b %Y}: {clip(reason, 500)}. This is "
                           f"the team's note, not news of the {noun}; news is still told here.")


def _snooze_refusals(register: Register, request: ActionRequest, today: date) -> dict[str, str]:
    """Every field's problem at once (issue 26): the day and the reason each checked alone by the
    rules of `commitment-bot snooze`, under the field that can fix it, in the form's words."""
    errors = {}
    if request.until is None:
        errors[ids.UNTIL] = "Pick today or a later day: reminders are held up to and including it."
    if not request.note:
        errors[ids.REASON] = "Say why, so the team knows."
    for alone in (replace(request, note=None), replace(request, until=request.until or today)):
        if problem := check_action(register, alone):
            block = ids.UNTIL if problem.startswith("--until") else ids.REASON  # a period's problem: the form's
            errors.setdefault(block, in_modal_words(problem, {"until": "the day", "reason": "the reason",
                                                              "period": "the period"}))
    return errors


def record_chase(desk: Desk, told_actions: set[int], ack: Any, body: dict[str, Any], view: dict[str, Any],
                 client: Any) -> None:
    """"Record as chased": the team's action (SPEC §7.3), with the reply due it chose (SPEC
    §7.5); lapse reminders wait for that day, and a reply not come by then is told here."""
    meta, user = metadata(view), body["user"]["id"]
    filled = chasing.filled(view["state"]["values"])
    register, source_hash = desk.register()
    c, now = register.by_id().get(meta["id"]), desk.now(register)
    request = chasing.request_of(meta, filled, now.date(), user)
    errors = chasing.refusals(register, c, meta, filled, request)
    if errors:
        return _refuse(ack, errors)
    assert c is not None and filled.form is not None  # or refusals would have said so
    ack()
    if _denied(desk, register, user, client, meta):
        return
    request = replace(request, recorded_by=desk.display_name(client, user, body))
    row = _recorded(client, meta, user, lambda: _act(desk, register, source_hash, request, now, view))
    if row is not None and row not in told_actions:
        told_actions.add(row)
        _say(client, meta, chasing.thread_line(user, c, filled.form, request))


def record_reply(desk: Desk, told_actions: set[int], ack: Any, body: dict[str, Any], view: dict[str, Any],
                 client: Any) -> None:
    """Record reply: the team's record that its chase was replied to (SPEC §7.3), as `chase ID
    --replied` records it; no reply is overdue for that chase any more. Its thread is told who
    recorded it, once, as the team's action. A submission delivered again records nothing more."""
    meta, user = metadata(view), body["user"]["id"]
    if view.get("id") and desk.store.actions.from_origin(str(view["id"])) is not None:
        return ack()  # recorded, and its thread told, when it first came
    f = replying.filled(view["state"]["values"])
    register, source_hash = desk.register()
    c, now = register.by_id().get(meta["id"]), desk.now(register)
    found = replying.chases_of(desk.store, register, c, meta.get("period"), now.date()) if c else None
    errors = replying.refusals(register, c, meta, f, found, now.date())
    if errors:
        return _refuse(ack, errors)
    assert c is not None and found is not None and (chase := found.named(f.chase)) is not None
    ack()
    if _denied(desk, register, user, client, meta):
        return
    request = replace(replying.request_of(meta, f, chase, user), recorded_by=desk.display_name(client, user, body))
    row = _recorded(client, meta, user, lambda: _act(desk, register, source_hash, request, now, view))
    if row is not None and row not in told_actions:
        told_actions.add(row)
        _say(client, meta, replying.thread_line(user, c, chase, request))


def _denied(desk: Desk, register: Register, user: str, client: Any, meta: dict[str, Any]) -> bool:
    """Whether access.recorders leaves `user` out (or Slack could not say whether their group lets
    them in), after telling them so: asked after the answer, as it may wait on Slack."""
    refused = guard.denied(desk, register, user, client)
    if refused:
        tell(client, meta.get("channel"), user, refused)
    return bool(refused)


def _lead_open(desk: Desk, lead_id: Any) -> bool:
    lead = desk.store.leads.get(int(lead_id))
    return lead is not None and lead.state == "new"


def _refuse(ack: Any, errors: dict[str, str]) -> None:
    ack(response_action="errors", errors={k: v[:ERROR_MAX] for k, v in errors.items()})


def _recorded(client: Any, meta: dict[str, Any], user: str, record: Callable[[], int | str]) -> int | None:
    """The row `record` stored; or None, after telling the person why nothing was (a locked or
    unreachable database, a refusal that came after the answer)."""
    try:
        row = record()
    except Exception as e:  # noqa: BLE001 - a locked or unreachable database: say so, record nothing
        tell(client, meta.get("channel"), user, not_recorded(e))
        return None
    if isinstance(row, str):
        tell(client, meta.get("channel"), user, row)
        return None
    return row


def _record(desk: Desk, form: Form, meta: dict[str, Any], user: str, now: datetime, register: Register,
            source_hash: str) -> int | str:
    """The recorded row, through the use case every door calls; or what to tell the person
    (a form's lead someone else decided meanwhile: claimed first, so one of two clicks wins)."""
    request = request_of(form, user)
    if meta.get("lead") is not None:
        rows = usecases.confirm_lead(desk.store, register, source_hash, int(meta["lead"]), [request], now, user,
                                     ref=form.ref, recorded_by=form.recorded_by)
        return LEAD_TAKEN if isinstance(rows, str) else rows[0]
    row = usecases.record_update(desk.store, register, source_hash, request, now, ref=form.ref,
                                 recorded_by=form.recorded_by)
    return f"Nothing was recorded: {clip(row, 500)}" if isinstance(row, str) else row


def _act(desk: Desk, register: Register, source_hash: str, request: ActionRequest, now: datetime,
         view: dict[str, Any]) -> int | str:
    """A snooze or a chase, through the use case every door calls; a replay of the view records once."""
    row = usecases.record_action(desk.store, register, source_hash, request, now, origin=view.get("id"))
    return f"Nothing was recorded: {clip(row, 500)}" if isinstance(row, str) else row


def _say(client: Any, meta: dict[str, Any], text: str) -> None:
    """A line in the thread of the alert the modal was opened from (none when opened elsewhere)."""
    if meta.get("channel") and meta.get("thread"):
        client.chat_postMessage(channel=meta["channel"], thread_ts=meta["thread"], text=text)
