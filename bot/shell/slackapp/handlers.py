"""The slack-bolt listeners for buttons (SPEC §6.2, §6.3): a button opens a modal, a lead is
confirmed or dismissed (the forms are in forms.py, `/commitments` and App Home in commands.py).
Every refusal is an answer in Slack, and changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.register.model import Commitment, Register
from bot.register.recording import UpdateRequest, check_update, promised
from bot.shell import usecases
from bot.shell.slackapp.access import may_record
from bot.shell.slackapp.desk import Desk
from bot.shell.slackapp.recorder import missing
from bot.when.dates import UnreadableDate, describe
from notifiers.slack.blocks import clip, escape
from notifiers.slack.views import record_modal, snooze_modal

NOT_OURS = "This button is not one of the bot's: nothing was changed."


def install(bolt: Any, desk: Desk) -> None:
    """Register every listener on a slack_bolt.App."""

    def button(body: dict[str, Any], client: Any, action: dict[str, Any],
               key: str) -> tuple[Register, Commitment, Any] | None:
        """The commitment a button's value names and the value's `key`, once the clicker may
        record; or None, after telling them why not (a value the bot never made, a commitment
        no longer in the register, a clicker access.recorders leaves out)."""
        user, channel, _ = where(body)
        try:
            value = json.loads(action.get("value") or "")
            commitment_id, wanted = str(value["id"]), value.get(key)
        except (ValueError, KeyError, TypeError, AttributeError):
            tell(client, channel, user, NOT_OURS)
            return None
        register, c = desk.commitment(commitment_id)
        if c is None:
            tell(client, channel, user, missing(register, commitment_id))
            return None
        denied = may_record(register, user, client, desk.groups)
        if denied:
            tell(client, channel, user, denied)
            return None
        return register, c, wanted

    def open_form(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        ack()
        user, channel, thread = where(body)
        found = button(body, client, action, "period")
        if found is None:
            return
        register, c, period = found
        today = desk.now(register).date()
        problem = check_update(register, UpdateRequest(c.id, today, "-", period=period)) if period else None
        if problem:
            return tell(client, channel, user, f"{escape(problem.replace('--period', 'Period'))}: nothing was recorded.")
        meta = json.dumps({"id": c.id, "period": period, "hash": c.text_hash, "channel": channel, "thread": thread})
        if action["action_id"] == "snooze":
            view = snooze_modal(meta, c.title, today)
        else:
            status = "delivered" if action["action_id"] == "mark_delivered" else None
            view = record_modal(meta, c.title, promised_words(desk, register, c, period, today), today, status=status)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    for name in ("record_update", "mark_delivered", "snooze"):
        bolt.action(name)(open_form)

    def lead_of(body: dict[str, Any], client: Any, action: dict[str, Any]) -> tuple[Any, Any, Any] | None:
        """The lead a button names, its commitment and the register, or None after telling the user why not."""
        user, channel, _ = where(body)
        found = button(body, client, action, "lead")
        if found is None:
            return None
        register, c, lead_id = found
        try:
            lead = desk.store.leads.get(int(lead_id))
        except (ValueError, TypeError, OverflowError):  # 1e400, "x", null: not a value the bot made
            tell(client, channel, user, NOT_OURS)
            return None
        if lead is None or c.id not in lead.commitments:
            denied = "This lead is not in the database any more: nothing was changed."
        elif lead.state != "new":
            denied = decided_already(lead)
        else:
            return register, c, lead
        tell(client, channel, user, denied)
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
        _, channel, thread = where(body)
        meta = json.dumps({"id": c.id, "period": None, "hash": c.text_hash, "lead": lead.id, "channel": channel,
                           "thread": thread})
        on = min(lead.published or today, today)
        client.views_open(trigger_id=body["trigger_id"], view=record_modal(
            meta, c.title, promised_words(desk, register, c, None, today), today, note=lead.title[:3000],
            source=lead.url, on=on))

    @bolt.action("dismiss_lead")
    def dismiss_lead(ack: Any, body: dict[str, Any], client: Any, action: dict[str, Any]) -> None:
        ack()
        found = lead_of(body, client, action)
        if found is None:
            return
        register, _, lead = found
        user, channel, thread = where(body)
        if usecases.dismiss_lead(desk.store, lead.id, user, desk.now(register)):
            client.chat_postMessage(channel=channel, thread_ts=thread,
                                    text=f"<@{user}> dismissed this lead: {clip(lead.title, 300)}")
            return
        tell(client, channel, user, decided_already(desk.store.leads.get(lead.id)))

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
        on = date_of(view["state"]["values"], "on") or today
        words = (action.get("value") or "").strip()
        try:
            window = promised(words, on, None, register.quarters) if words else None
            shown = f'"{words}" reads as {describe(window)}' if window else "Type the promised time and press Enter."
            if window is not None and window.latest is not None:
                shown += f": deadline {window.latest:%-d %b %Y}"
        except UnreadableDate as e:
            shown = str(e).replace("set deadline:", "pick a deadline below")
        status = selected_of(view["state"]["values"], "status")
        client.views_update(view_id=view["id"], hash=view.get("hash"),
                            view=record_modal(view["private_metadata"], c.title,
                                              promised_words(desk, register, c, meta.get("period"), today),
                                              today, status=status, preview=shown))

    from bot.shell.slackapp.forms import install as install_forms

    install_forms(bolt, desk)
    from bot.shell.slackapp.commands import install as install_commands

    install_commands(bolt, desk)


def decided_already(lead: Any) -> str:
    """What someone who clicks a lead another person decided is told: who decided it, and how.
    Two clicks at once both find the lead new; the one whose claim loses reads it again and is
    told the same, so the answer does not depend on which click Slack delivered first."""
    if lead is None or lead.state == "new":
        return "This lead is not in the database any more: nothing was changed."
    by = f" by <@{lead.decided_by}>" if lead.decided_by else ""
    return f"This lead was already {lead.state}{by}: nothing was changed."


def where(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """Who clicked, in which channel, and the thread of the message they clicked in."""
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return body["user"]["id"], str(channel or ""), message.get("thread_ts") or message.get("ts")


def tell(client: Any, channel: str | None, user: str, text: str) -> None:
    """Answer only `user`: in the channel they acted in, else in their direct messages. `text` is
    mrkdwn the bot wrote (anything quoted in it already escaped), so it is cut, not escaped again."""
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=text[:2900])
    else:
        client.chat_postMessage(channel=user, text=text[:2900])


def promised_words(desk: Desk, register: Register, c: Commitment, period: str | None, today: date) -> str:
    """The promise in force, as the record form shows it: the latest words, who gave them, when and
    where (SPEC §7.2), and how they read; never the first words once they slipped."""
    from bot.decide import words
    from bot.decide.timeline import tracks

    recorded = desk.store.updates.recorded([c.id], register.quarters).get(c.id, [])
    found = [t for t in tracks(c, recorded, today) if t.period == period] or tracks(c, recorded, today)[-1:]
    now = found[-1].promises[-1]
    reading = describe(now.window) if now.window else "open-ended"
    said = words.attributed(now.phrase, now.said_by, now.on.isoformat() if now.on else None,
                            now.source.title if now.source else None, lambda iso: f"{date.fromisoformat(iso):%-d %b %Y}")
    label = words.of(c.type).time_label + (" now" if len(found[-1].promises) > 1 else "")
    return f"{label}: {escape(said)} → {reading}"


def text_of(values: dict[str, Any], block: str) -> str | None:
    value = ((values.get(block) or {}).get(block) or {}).get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def date_of(values: dict[str, Any], block: str) -> date | None:
    value = ((values.get(block) or {}).get(block) or {}).get("selected_date")
    try:
        return date.fromisoformat(value) if value else None
    except (ValueError, TypeError):  # not a date, or not even text: as if none was picked
        return None


def selected_of(values: dict[str, Any], block: str) -> str | None:
    option = ((values.get(block) or {}).get(block) or {}).get("selected_option")
    return str(option.get("value")) if isinstance(option, dict) and option.get("value") else None
