"""The record and snooze forms (SPEC §6.2): a submission is checked, answered, then recorded.

Slack waits three seconds for the answer. Everything that decides it (the register, who may
record, every field's problem) is read, not written, so the answer comes at once, with every
field at fault named. Recording and delivery come after it: a database that does not answer, or a
lead someone else decided meanwhile, is told to the person in Slack, with nothing recorded.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.register.model import Register
from bot.register.recording import ActionRequest, check_action
from bot.shell import usecases
from bot.shell.slackapp.access import may_record
from bot.shell.slackapp.desk import Desk, log, plain_error
from bot.shell.slackapp.handlers import date_of, selected_of, tell, text_of
from bot.shell.slackapp.recorder import STALE, Form, missing, refusals, request_of, told
from notifiers.slack.blocks import clip

LEAD_TAKEN = "Someone confirmed or dismissed this lead while the form was open: nothing was recorded."
ERROR_MAX = 1900  # what Slack shows under a field


def install(bolt: Any, desk: Desk) -> None:
    @bolt.view("record_update")
    def submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        values, meta = view["state"]["values"], json.loads(view["private_metadata"])
        form = Form(meta["id"], text_of(values, "note") or "", date_of(values, "on"), text_of(values, "due"),
                    date_of(values, "deadline"), selected_of(values, "status"), text_of(values, "source"),
                    meta.get("period"), meta.get("hash"), view.get("id"), said_by=text_of(values, "said_by"))
        answer(ack, body["user"]["id"], form, meta, client)

    @bolt.view("snooze")
    def snoozed(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        """A snooze is the team's action (SPEC §7.3), never news: it is recorded apart from updates,
        holds reminders up to and including its day, and its thread is told who snoozed it."""
        values, meta = view["state"]["values"], json.loads(view["private_metadata"])
        user = body["user"]["id"]
        register, source_hash = desk.register()
        c, now = register.by_id().get(meta["id"]), desk.now(register)
        until, reason = date_of(values, "until"), (text_of(values, "reason") or "").strip()
        request = ActionRequest(meta["id"], "snooze", now.date(), meta.get("period"), until, note=reason or None,
                                by=user)
        errors = {}
        if until is None or until < now.date():
            errors["until"] = "Pick today or a later day: reminders are held up to and including it."
        if not reason:
            errors["reason"] = "Say why, so the team knows."
        denied = may_record(register, user, client, desk.groups)
        problem = denied or (missing(register, meta["id"]) if c is None else STALE
                             if meta.get("hash") and meta.get("hash") != c.text_hash else check_action(register, request))
        if problem and "until" not in errors:
            errors.setdefault("reason", problem)
        if errors:
            return ack(response_action="errors", errors={k: v[:ERROR_MAX] for k, v in errors.items()})
        ack()
        request = replace(request, recorded_by=desk.display_name(client, user))
        try:
            row = usecases.record_action(desk.store, register, source_hash, request, now, origin=view.get("id"))
        except Exception as e:  # noqa: BLE001 - a locked or unreachable database: say so, record nothing
            log.warning("recording from Slack failed: %s", plain_error(e))
            return tell(client, meta.get("channel"), user, f"Nothing was recorded: the database is busy or out of reach "
                                                           f"({clip(plain_error(e), 200)}). Try again in a minute.")
        if isinstance(row, str):
            return tell(client, meta.get("channel"), user, f"Nothing was recorded: {clip(row, 500)}")
        if meta.get("channel") and meta.get("thread") and until is not None:
            client.chat_postMessage(channel=meta["channel"], thread_ts=meta["thread"], text=(
                f"<@{user}> snoozed the reminders until {until:%-d %b %Y}: {clip(reason, 500)}. This is the team's "
                "note, not news of the promise; news is still told here."))

    def answer(ack: Any, user: str, form: Form, meta: dict[str, Any], client: Any,
               errors: dict[str, str] | None = None, every_field: str | None = None) -> None:
        """Answer the submission (every problem at once, or accepted), then record and deliver.
        `every_field` is where a form with a single input shows the register's objections."""
        register, source_hash = desk.register()
        c, now = register.by_id().get(form.commitment_id), desk.now(register)
        denied = may_record(register, user, client, desk.groups)
        found = {"note": denied} if denied else refusals(register, c, form, now.date())
        if not found and meta.get("lead") is not None and not _lead_open(meta["lead"]):
            found = {"note": LEAD_TAKEN}
        if every_field and found:
            found = {every_field: " ".join(found.values())}
        errors = {**found, **(errors or {})}
        if errors:
            return ack(response_action="errors", errors={k: v[:ERROR_MAX] for k, v in errors.items()})
        ack()
        form = replace(form, recorded_by=desk.display_name(client, user))  # after answering: Slack is asked
        try:
            row = _record(form, meta, user, now, register, source_hash)
        except Exception as e:  # noqa: BLE001 - a locked or unreachable database: say so, record nothing
            log.warning("recording from Slack failed: %s", plain_error(e))
            return tell(client, meta.get("channel"), user, f"Nothing was recorded: the database is busy or out of reach "
                                                           f"({clip(plain_error(e), 200)}). Try again in a minute.")
        if isinstance(row, str):
            return tell(client, meta.get("channel"), user, row)
        desk.deliver(then=lambda: _say_if_untold(client, register, form, row, user, meta), touched=form.commitment_id)

    def _lead_open(lead_id: Any) -> bool:
        lead = desk.store.leads.get(int(lead_id))
        return lead is not None and lead.state == "new"

    def _record(form: Form, meta: dict[str, Any], user: str, now: datetime, register: Register,
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

    answered: set[int] = set()  # rows whose thread was told, in this process: a replay is not told twice

    def _say_if_untold(client: Any, register: Register, form: Form, row: int, user: str, meta: dict[str, Any]) -> None:
        """An update too old to be news still gets a line in its thread saying who recorded it."""
        if row in answered or told(desk.store, register, form.commitment_id, row):
            return
        answered.add(row)
        if meta.get("channel") and meta.get("thread"):
            client.chat_postMessage(channel=meta["channel"], thread_ts=meta["thread"],
                                    text=f"<@{user}> recorded an update dated {form.on}: {clip(form.note, 2500)}")
