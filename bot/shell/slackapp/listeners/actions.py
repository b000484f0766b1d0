"""Every button and every field that answers as it is used (SPEC §6.2, §6.3, §7.5): a button on an
alert opens its modal (Record reply's lists the chases awaiting a reply), a lead is confirmed (its
form opens) or dismissed, Enter in the promised time previews its reading, choosing a form
redraws the follow-up. Each listener acks first;
every check is guard.py's, and a refusal is an answer only the clicker sees, changing nothing. The
database is waited for only so long (waiting.py): a busy one is told to the clicker, not the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from typing import Any

import notifiers.slack.ids as ids
from bot.chase.draft import DraftRefused
from bot.register.model import Commitment, Register
from bot.register.recording import promised
from bot.shell import usecases
from bot.shell.slackapp import chasing, guard, replying, waiting
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.payload import date_of, metadata, selected_of, tell, where
from bot.shell.slackapp.recorder import promised_words
from bot.shell.watch.answers import as_update
from bot.when.dates import UnreadableDate, describe
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import follow_up_modal, record_modal, reply_modal, snooze_modal


def register(app: Any, desk: Desk) -> None:
    """Each button's listener, given the desk, its reads bounded (waiting.py); slack-bolt passes
    the rest by their names."""
    for name in (ids.RECORD_UPDATE, ids.MARK_DELIVERED, ids.SNOOZE):
        app.action(name)(waiting.click(desk, partial(open_form, desk)))
    for name, listener in ((ids.DRAFT_FOLLOW_UP, draft_follow_up), (ids.RECORD_REPLY, record_reply), (ids.FORM, redraft),
                           (ids.CONFIRM_LEAD, confirm_lead), (ids.DISMISS_LEAD, dismiss_lead), (ids.DUE, preview)):
        app.action(name)(waiting.click(desk, partial(listener, desk)))


def _form_meta(c: Commitment, period: str | None, channel: str | None, thread: str | None, **more: Any) -> str:
    """What a form carries back on submission: the commitment, its text's hash (a form opened on
    words since edited is refused as stale) and the thread the answer goes to."""
    return json.dumps({"id": c.id, "period": period, "hash": c.text_hash, **more, "channel": channel, "thread": thread})


@dataclass(frozen=True)
class _Click:
    """A click on an alert's button that guard.py let through: its commitment, and where it was."""

    register: Register
    c: Commitment
    period: str | None
    user: str
    channel: str | None
    thread: str | None

    @property
    def meta(self) -> str:
        return _form_meta(self.c, self.period, self.channel, self.thread)


def _alert_click(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> _Click | None:
    """Ack, then the click if the clicker may act on the alert's commitment (else guard.py told them)."""
    ack()
    found = guard.alert_clicked(desk, body, client, action)
    if found is None:
        return None
    return _Click(*found, *where(body))


def open_form(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """Record update, Snooze and Mark delivered: the modal for the commitment the button names."""
    if (k := _alert_click(desk, ack, body, client, action)) is None:
        return
    today = desk.now(k.register).date()
    if action["action_id"] == ids.SNOOZE:
        view = snooze_modal(k.meta, k.c.title, today)
    else:
        status = "delivered" if action["action_id"] == ids.MARK_DELIVERED else None
        view = record_modal(k.meta, k.c.title, promised_words(desk.store, k.register, k.c, k.period, today), today,
                            status=status, type_name=k.c.type)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def draft_follow_up(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """The draft, for the clicker alone, with what "Record as chased" records."""
    if (k := _alert_click(desk, ack, body, client, action)) is None:
        return
    try:
        shown = chasing.follow_up(desk.store, k.register, k.c, chasing.DEFAULT_FORM, desk.now(k.register))
    except DraftRefused as e:  # closed since the alert was posted
        return tell(client, k.channel, k.user, f"{escape(str(e))}: nothing was drafted.")
    client.views_open(trigger_id=body["trigger_id"], view=follow_up_modal(k.meta, k.c.title, shown))


def record_reply(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """Record reply: the form for the chases of the commitment still awaiting a reply, the alert's chosen."""
    if (k := _alert_click(desk, ack, body, client, action)) is None:
        return
    today = desk.now(k.register).date()
    awaiting = replying.chases_of(desk.store, k.register, k.c, k.period, today)
    if not awaiting.open:
        return tell(client, k.channel, k.user, "No chase of this commitment is awaiting its reply: a reply (or, for a "
                                           "written question, its answer) is recorded already. Nothing was changed.")
    client.views_open(trigger_id=body["trigger_id"], view=reply_modal(
        k.meta, k.c.title, replying.choices(awaiting), guard.value_of(action).get("chase"), today, k.c.type))


def redraft(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """Another form chosen in the follow-up: the draft and the reply due follow it."""
    ack()
    view = body["view"]
    register, c = desk.commitment(metadata(view)["id"])
    form = (action.get("selected_option") or {}).get("value")
    if c is None or form not in ids.DRAFT_FORMS:
        return  # submitting says why
    try:
        shown = chasing.follow_up(desk.store, register, c, form, desk.now(register))
    except DraftRefused:
        return
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=follow_up_modal(view["private_metadata"], c.title, shown))


def confirm_lead(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """Confirm opens the record form filled in from the lead: a person says what it means."""
    ack()
    found = guard.lead_clicked(desk, body, client, action)
    if found is None:
        return
    register, c, lead = found
    today = desk.now(register).date()
    _, channel, thread = where(body)
    meta = _form_meta(c, None, channel, thread, lead=lead.id)
    on = min(lead.published or today, today)
    note, said_by = as_update(lead.title, lead.snippet, lead.source)  # as `leads confirm` records it (SPEC §7.2)
    client.views_open(trigger_id=body["trigger_id"], view=record_modal(
        meta, c.title, promised_words(desk.store, register, c, None, today), today,
        note=note[:3000], source=lead.url, on=on, type_name=c.type, said_by=said_by))


def dismiss_lead(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    ack()
    found = guard.lead_clicked(desk, body, client, action)
    if found is None:
        return
    register, _, lead = found
    user, channel, thread = where(body)
    if usecases.dismiss_lead(desk.store, lead.id, user, desk.now(register)):
        client.chat_postMessage(channel=channel, thread_ts=thread,
                                text=f"<@{user}> dismissed this lead: {clip(lead.title, 300)}")
        return
    tell(client, channel, user, guard.decided_already(desk.store.leads.get(lead.id)))


def preview(desk: Desk, ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
    """Enter in the promised-time field: show how the words read, in the modal itself."""
    ack()
    view = body["view"]
    meta = metadata(view)
    register, c = desk.commitment(meta["id"])
    if c is None:
        return
    today = desk.now(register).date()
    on = date_of(view["state"]["values"], ids.ON) or today
    words = (action.get("value") or "").strip()
    try:
        window = promised(words, on, None, register.quarters) if words else None
        shown = f'"{words}" reads as {describe(window)}' if window else "Type the promised time and press Enter."
        if window is not None and window.latest is not None:
            shown += f": deadline {window.latest:%-d %b %Y}"
    except UnreadableDate as e:
        shown = str(e).replace("set deadline:", "pick a deadline below")
    status = selected_of(view["state"]["values"], ids.STATUS)
    client.views_update(view_id=view["id"], hash=view.get("hash"),
                        view=record_modal(view["private_metadata"], c.title,
                                          promised_words(desk.store, register, c, meta.get("period"), today),
                                          today, status=status, preview=shown, type_name=c.type))
