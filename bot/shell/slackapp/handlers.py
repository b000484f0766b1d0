"""The slack-bolt listeners (SPEC §6.2): buttons open modals, modals record, `/commitments`
answers, App Home lists. Every refusal is an answer in Slack, and changes nothing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from bot.dates import UnreadableDate, describe
from bot.model import TERMINAL, Commitment, Register
from bot.recording import UpdateRequest, check_update, promised
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.recorder import Form, Refusal, missing, record, refusal
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import HELP, home_view, record_modal, snooze_modal

TOLD = ("news", "slipped", "closed", "reopened")  # kinds that report an update in its thread
DUE_WITHIN = timedelta(days=30)


def install(bolt: Any, desk: Desk) -> None:
    """Register every listener on a slack_bolt.App."""

    def open_form(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        ack()
        user, channel = body["user"]["id"], (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
        message = body.get("message") or {}
        thread = message.get("thread_ts") or message.get("ts")
        try:
            value = json.loads(action.get("value") or "")
            commitment_id, period = str(value["id"]), value.get("period")
        except (ValueError, KeyError, TypeError):
            return _tell(client, channel, user, "This button is not one of the bot's: nothing was recorded.")
        register, c = desk.commitment(commitment_id)
        if c is None:
            return _tell(client, channel, user, missing(register, commitment_id))
        denied = may_record(register, user, client)
        if denied:
            return _tell(client, channel, user, denied)
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
        ack()
        record(desk.store, form, user, now)
        result = desk.check_now()
        told = any(d.commitment_id == form.commitment_id and d.kind in TOLD for d, _ in result.decisions)
        if not told and meta.get("channel") and meta.get("thread"):  # too old to be news: still say it was recorded
            client.chat_postMessage(channel=meta["channel"], thread_ts=meta["thread"],
                                    text=f"<@{user}> recorded an update dated {form.on}: {clip(form.note, 2500)}")

    @bolt.command("/commitments")
    def command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        ack()
        words = (command.get("text") or "").split()
        public = bool(words) and words[-1] == "post"
        words = words[:-1] if public else words
        answer = _answer(words, command, client)
        respond(text=answer, response_type="in_channel" if public else "ephemeral")

    def _answer(words: list[str], command: dict[str, Any], client: Any) -> str:
        sub = words[0].lower() if words else "help"
        register, _ = desk.register()
        now = desk.now(register)
        if sub in ("lapsed", "due"):
            rows = _rows(register, now)
            picked = [r for r in rows if r.state == "lapsed"] if sub == "lapsed" else \
                [r for r in rows if r.deadline and r.state not in TERMINAL and r.state != "lapsed"
                 and now.date() <= date.fromisoformat(r.deadline) <= now.date() + DUE_WITHIN]
            heading = "Lapsed" if sub == "lapsed" else "Due in the next 30 days"
            return f"*{heading}* ({len(picked)})\n" + ("\n".join(_line(r) for r in picked[:40]) or "_Nothing._")
        if sub == "show" and len(words) == 2:
            return _show(register, words[1], now)
        if sub == "update" and len(words) >= 3:
            return _update(register, words[1], " ".join(words[2:]), command, client, now)
        prefix = "" if sub == "help" else f"I do not know `{escape(' '.join(words))[:100]}`.\n"
        return prefix + HELP

    def _show(register: Register, commitment_id: str, now: Any) -> str:
        from bot.shell.text.history import render_history

        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        recorded = desk.store.recorded_updates([c.id], register.quarters).get(c.id, [])
        text = render_history(c, None, recorded, now)
        return "```" + escape(text)[:2800] + "```"

    def _update(register: Register, commitment_id: str, note: str, command: dict[str, Any], client: Any,
                now: Any) -> str:
        c = register.by_id().get(commitment_id)
        if c is None:
            return missing(register, commitment_id)
        user = command["user_id"]
        denied = may_record(register, user, client)
        if denied is None and not getattr(register, "recorders", ()) and command.get("channel_name") not in desk.slack_channels(register, c):
            where = ", ".join(f"#{n}" for n in desk.slack_channels(register, c)) or "no Slack channel"
            denied = (f"Updates for {c.id} are recorded from the channel its alerts go to ({where}): run the command "
                      "there, so the people following it see it.")
        if denied:
            return denied
        form = Form(c.id, note, now.date())
        problem = refusal(register, c, form, now.date())
        if problem:
            return f"Nothing was recorded: {problem.message}"
        record(desk.store, form, user, now)
        desk.check_now()
        return f"Recorded for *{clip(c.title, 200)}* on {now.date():%-d %b %Y}: {clip(note, 2000)}"

    def _rows(register: Register, now: Any) -> list[Any]:
        from bot.status import summarise

        return summarise(register, desk.store.recorded_updates(quarters=register.quarters), now,
                         desk.store.first_seen())

    @bolt.event("app_home_opened")
    def home(event: dict[str, Any], client: Any) -> None:
        user = event["user"]
        answer = client.users_conversations(user=user, types="public_channel,private_channel", limit=999)
        names = sorted(str(ch.get("name")) for ch in answer.get("channels") or [])
        register, _ = desk.register()
        now = desk.now(register)
        mine = {c.id for c in register.commitments if set(desk.slack_channels(register, c)) & set(names)}
        rows = [r for r in _rows(register, now) if r.id in mine]
        lapsed = [_line(r) for r in rows if r.state == "lapsed"]
        due = [_line(r) for r in rows if r.deadline and r.state not in TERMINAL and r.state != "lapsed"
               and now.date() <= date.fromisoformat(r.deadline) <= now.date() + DUE_WITHIN]
        client.views_publish(user_id=user, view=home_view(lapsed, due, names))


def may_record(register: Register, user: str, client: Any) -> str | None:
    """Why `user` may not record (SPEC §6.2 `access.recorders`), or None. Without a list, anyone
    who can see the alert may: Slack shows the buttons only to the channel's members."""
    recorders: tuple[str, ...] = getattr(register, "recorders", ())
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


def _tell(client: Any, channel: str, user: str, text: str) -> None:
    client.chat_postEphemeral(channel=channel, user=user, text=clip(text, 2900))


def _promised(c: Commitment) -> str:
    reading = describe(c.window) if c.window else "open-ended"
    return f'"{c.due}" ({reading})' if c.due else reading


def _line(r: Any) -> str:
    overdue = f"{r.days_overdue} days overdue, " if r.days_overdue else ""
    return f"• *{clip(r.title, 150)}* (`{clip(r.id, 100)}`): {overdue}deadline {r.deadline or 'none'}"


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
