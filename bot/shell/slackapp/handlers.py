"""The slack-bolt listeners for buttons and forms (SPEC §6.2, §6.3): a button opens a modal, a
modal records, a lead is confirmed or dismissed (`/commitments` and App Home are in commands.py).
Every refusal is an answer in Slack, and changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.dates import UnreadableDate, describe
from bot.model import Commitment, Register
from bot.recording import UpdateRequest, check_update, promised
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.recorder import Form, Refusal, missing, record, refusal
from notifiers.slack.blocks import clip
from notifiers.slack.views import record_modal, snooze_modal

TOLD = ("news", "slipped", "closed", "reopened")  # kinds that report an update in its thread
NOT_OURS = "This button is not one of the bot's: nothing was changed."


def install(bolt: Any, desk: Desk) -> None:
    """Register every listener on a slack_bolt.App."""

    def button(body: dict[str, Any], client: Any, action: dict[str, Any],
               key: str) -> tuple[Register, Commitment, Any] | None:
        """The commitment a button's value names and the value's `key`, once the clicker may
        record; or None, after telling them why not (a value the bot never made, a commitment
        no longer in the register, a clicker access.recorders leaves out)."""
        user, channel, _ = _where(body)
        try:
            value = json.loads(action.get("value") or "")
            commitment_id, wanted = str(value["id"]), value.get(key)
        except (ValueError, KeyError, TypeError, AttributeError):
            _tell(client, channel, user, NOT_OURS)
            return None
        register, c = desk.commitment(commitment_id)
        if c is None:
            _tell(client, channel, user, missing(register, commitment_id))
            return None
        denied = may_record(register, user, client)
        if denied:
            _tell(client, channel, user, denied)
            return None
        return register, c, wanted

    def open_form(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        ack()
        user, channel, thread = _where(body)
        found = button(body, client, action, "period")
        if found is None:
            return
        register, c, period = found
        today = desk.now(register).date()
        problem = check_update(register, UpdateRequest(c.id, today, "-", period=period)) if period else None
        if problem:
            return _tell(client, channel, user, f"{problem.replace('--period', 'Period')}: nothing was recorded.")
        meta = json.dumps({"id": c.id, "period": period, "hash": c.text_hash, "channel": channel, "thread": thread})
        if action["action_id"] == "snooze":
            view = snooze_modal(meta, c.title, today)
        else:
            status = "delivered" if action["action_id"] == "mark_delivered" else None
            view = record_modal(meta, c.title, _promised(c), today, status=status)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    for name in ("record_update", "mark_delivered", "snooze"):
        bolt.action(name)(open_form)

    def lead_of(body: dict[str, Any], client: Any, action: dict[str, Any]) -> tuple[Any, Any, Any] | None:
        """The lead a button names, its commitment and the register, or None after telling the user why not."""
        from storage.leads import Leads

        user, channel, _ = _where(body)
        found = button(body, client, action, "lead")
        if found is None:
            return None
        register, c, lead_id = found
        try:
            lead = Leads(desk.store.engine).get(int(lead_id))
        except (ValueError, TypeError, OverflowError):  # 1e400, "x", null: not a value the bot made
            _tell(client, channel, user, NOT_OURS)
            return None
        if lead is None or c.id not in lead.commitments:
            denied = "This lead is not in the database any more: nothing was changed."
        elif lead.state != "new":
            denied = f"This lead was already {lead.state}" + (f" by <@{lead.decided_by}>" if lead.decided_by else "") + "."
        else:
            return register, c, lead
        _tell(client, channel, user, denied)
        return None

    @bolt.action("confirm_lead")
    def confirm_lead(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        """Confirm opens the record form filled in from the lead: a person says what it means."""
        ack()
        found = lead_of(body, client, action)
        if found is None:
            return
        register, c, lead = found
        today = desk.now(register).date()
        _, channel, thread = _where(body)
        meta = json.dumps({"id": c.id, "period": None, "hash": c.text_hash, "lead": lead.id, "channel": channel,
                           "thread": thread})
        on = min(lead.published or today, today)
        client.views_open(trigger_id=body["trigger_id"], view=record_modal(
            meta, c.title, _promised(c), today, note=lead.title[:3000], source=lead.url, on=on))

    @bolt.action("dismiss_lead")
    def dismiss_lead(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        from storage.leads import Leads

        ack()
        found = lead_of(body, client, action)
        if found is None:
            return
        register, _, lead = found
        user, channel, thread = _where(body)
        if Leads(desk.store.engine).decide(lead.id, "dismissed", desk.now(register), by=user):
            client.chat_postMessage(channel=channel, thread_ts=thread,
                                    text=f"<@{user}> dismissed this lead: {clip(lead.title, 300)}")
        else:
            _tell(client, channel, user, "Someone decided this lead a moment ago: nothing was changed.")

    @bolt.action("due")
    def preview(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        """Enter in the promised-time field: show how the words read, in the modal itself."""
        ack()
        view = body["view"]
        meta = json.loads(view["private_metadata"])
        register, c = desk.commitment(meta["id"])
        if c is None:
            return
        today = desk.now(register).date()
        on = _date(view["state"]["values"], "on") or today
        words = (action.get("value") or "").strip()
        try:
            window = promised(words, on, None, register.quarters) if words else None
            shown = f'"{words}" reads as {describe(window)}' if window else "Type the promised time and press Enter."
            if window is not None and window.latest is not None:
                shown += f": deadline {window.latest:%-d %b %Y}"
        except UnreadableDate as e:
            shown = str(e).replace("set deadline:", "pick a deadline below")
        status = _selected(view["state"]["values"], "status")
        client.views_update(view_id=view["id"], hash=view.get("hash"),
                            view=record_modal(view["private_metadata"], c.title, _promised(c), today, status=status,
                                              preview=shown))

    @bolt.view("record_update")
    def submitted(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        values, meta = view["state"]["values"], json.loads(view["private_metadata"])
        form = Form(meta["id"], _text(values, "note") or "", _date(values, "on"), _text(values, "due"),
                    _date(values, "deadline"), _selected(values, "status"), _text(values, "source"),
                    meta.get("period"), meta.get("hash"), view.get("id"))
        _record(ack, body["user"]["id"], form, meta, client)

    @bolt.view("snooze")
    def snoozed(ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any) -> None:
        values, meta = view["state"]["values"], json.loads(view["private_metadata"])
        register, _ = desk.register()
        today = desk.now(register).date()
        until, reason = _date(values, "until"), _text(values, "reason") or ""
        if until is None or until <= today:
            return ack(response_action="errors", errors={"until": "Pick a day after today."})
        if not reason.strip():
            return ack(response_action="errors", errors={"reason": "Say why, so the team knows."})
        form = Form(meta["id"], f"Snoozed until {until:%-d %b %Y}: {reason.strip()}", today,
                    period=meta.get("period"), opened=meta.get("hash"), ref=view.get("id"))
        _record(ack, body["user"]["id"], form, meta, client, refusal_field="reason")

    def _record(ack: Any, user: str, form: Form, meta: dict[str, Any], client: Any,
                refusal_field: str | None = None) -> None:
        register, c = desk.commitment(form.commitment_id)
        now = desk.now(register)
        denied = may_record(register, user, client)
        problem = Refusal("note", denied) if denied else refusal(register, c, form, now.date())
        if problem is not None:
            return ack(response_action="errors", errors={refusal_field or problem.field: problem.message[:1900]})
        leads = None
        if meta.get("lead") is not None:  # claim the lead first: of two people confirming, or one dismissing, one wins
            from storage.leads import Leads

            leads = Leads(desk.store.engine)
            if not leads.decide(int(meta["lead"]), "confirmed", now, by=user):
                return ack(response_action="errors", errors={"note": "Someone confirmed or dismissed this lead while "
                                                                     "the form was open: nothing was recorded."})
        ack()
        row = record(desk.store, form, user, now)
        if leads is not None:
            leads.attach(int(meta["lead"]), row)
        result = desk.check_now()
        told = any(d.commitment_id == form.commitment_id and d.kind in TOLD for d, _ in result.decisions)
        if not told and meta.get("channel") and meta.get("thread"):  # too old to be news: still say it was recorded
            client.chat_postMessage(channel=meta["channel"], thread_ts=meta["thread"],
                                    text=f"<@{user}> recorded an update dated {form.on}: {clip(form.note, 2500)}")

    from bot.shell.slackapp.commands import install as install_commands

    install_commands(bolt, desk)


def may_record(register: Register, user: str, client: Any) -> str | None:
    """Why `user` may not record (SPEC §6.2 `access.recorders`), or None. Without a list, anyone
    who can see the alert may: Slack shows the buttons only to the channel's members."""
    recorders = register.recorders
    if not recorders or user in recorders:
        return None
    for group in (r for r in recorders if r.startswith("S")):
        try:
            if user in (client.usergroups_users_list(usergroup=group).get("users") or []):
                return None
        except Exception:  # noqa: BLE001 - a group Slack cannot list admits nobody
            continue
    return (f"Only the people listed under access.recorders in the register may record updates. Ask a maintainer "
            f"to add you (your Slack id is {user}); nothing was recorded.")


def _where(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """Who clicked, in which channel, and the thread of the message they clicked in."""
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return body["user"]["id"], str(channel), message.get("thread_ts") or message.get("ts")


def _tell(client: Any, channel: str, user: str, text: str) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=clip(text, 2900))


def _promised(c: Commitment) -> str:
    reading = describe(c.window) if c.window else "open-ended"
    return f'"{c.due}" ({reading})' if c.due else reading


def _text(values: dict[str, Any], block: str) -> str | None:
    value = ((values.get(block) or {}).get(block) or {}).get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date(values: dict[str, Any], block: str) -> date | None:
    value = ((values.get(block) or {}).get(block) or {}).get("selected_date")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _selected(values: dict[str, Any], block: str) -> str | None:
    option = ((values.get(block) or {}).get(block) or {}).get("selected_option")
    return str(option["value"]) if option else None
