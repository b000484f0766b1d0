"""Block Kit for the Slack app (SPEC §6.2): the buttons on an alert, the record and snooze
modals, the App Home tab and `/commitments` answers. Pure: the shell fills them and sends them.

The ids are the contract: `action_id`s `record_update`, `snooze`, `mark_delivered` carry a JSON
`value` {"id", "period"}; the record modal's inputs have `block_id` = `action_id` = `note`, `on`,
`due`, `deadline`, `status`, `source`; the snooze modal's `until` and `reason`. Everything from
the register or a person is escaped (blocks.escape) and shown in `plain_text` where Slack allows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.model import STATUSES
from notifiers.slack.blocks import clip

TITLE_MAX = 24  # a modal title
NOTE_MAX = 3000  # what a note may hold: Slack's own limit on a plain_text_input
ACTIONS = ("record_update", "snooze", "mark_delivered")


def button_value(commitment_id: str, period: str | None) -> str:
    return json.dumps({"id": commitment_id, "period": period}, separators=(",", ":"))


def alert_actions(commitment_id: str, period: str | None, closed: bool) -> dict[str, Any]:
    """The buttons under every alert; a closed promise can only be given news (or reopened)."""
    value = button_value(commitment_id, period)
    shown: list[tuple[str, str, str | None]] = [("record_update", "Record update", None)]
    if not closed:
        shown += [("snooze", "Snooze", None), ("mark_delivered", "Mark delivered", "primary")]
    elements = []
    for action, label, style in shown:
        button: dict[str, Any] = {"type": "button", "action_id": action, "value": value,
                                  "text": {"type": "plain_text", "text": label}}
        if style:
            button["style"] = style
        elements.append(button)
    return {"type": "actions", "elements": elements}  # no block_id: a reply may carry several alerts


def lead_actions(commitment_id: str, lead_id: int, label: str = "Confirm: record it",
                 dismiss: bool = True) -> dict[str, Any]:
    """Confirm (opens the record form filled from the lead, for `commitment_id`) or dismiss what the
    watch found (SPEC §6.3). A lead naming several commitments has one confirm per commitment,
    each in its own block (an action id is unique within a block), and one dismiss."""
    value = json.dumps({"id": commitment_id, "lead": lead_id}, separators=(",", ":"))
    elements: list[dict[str, Any]] = [
        {"type": "button", "action_id": "confirm_lead", "value": value, "style": "primary",
         "text": {"type": "plain_text", "text": label[:75]}}]
    if dismiss:
        elements.append({"type": "button", "action_id": "dismiss_lead", "value": value,
                         "text": {"type": "plain_text", "text": "Dismiss"}})
    return {"type": "actions", "elements": elements}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False,
           hint: str | None = None, dispatch: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "optional": optional,
                             "label": {"type": "plain_text", "text": label},
                             "element": {**element, "action_id": block_id}}
    if hint:
        block["hint"] = {"type": "plain_text", "text": clip(hint, 2000)}
    if dispatch:
        block["dispatch_action"] = True
    return block


def _text(placeholder: str, multiline: bool = False, initial: str | None = None, max_length: int = NOTE_MAX) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length,
                               "placeholder": {"type": "plain_text", "text": placeholder}}
    if initial:
        element["initial_value"] = initial
    return element


def _date_picker(initial: date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker"}
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def _option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def record_modal(metadata: str, title: str, promised: str, today: date, status: str | None = None,
                 preview: str | None = None, note: str | None = None, source: str | None = None,
                 on: date | None = None) -> dict[str, Any]:
    """The record modal; `preview` is how the `due` words typed so far read (refreshed on Enter)."""
    select: dict[str, Any] = {"type": "static_select", "placeholder": {"type": "plain_text", "text": "unchanged"},
                              "options": [_option(s) for s in STATUSES]}
    if status:
        select["initial_option"] = _option(status)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*\nPromised: {clip(promised, 500)}"}},
        _input("note", "What happened", _text("e.g. The Minister now says spring 2027", True, note)),
        _input("on", "When it happened", _date_picker(on or today)),
        _input("due", "New promised time, in the government's words", _text("e.g. spring 2027", max_length=200),
               optional=True, hint=preview or "Press Enter to see how the bot will read it.", dispatch=True),
        _input("deadline", "New deadline, if the words do not read", _date_picker(None), optional=True),
        _input("status", "Status", select, optional=True),
        _input("source", "Evidence link", _text("https://…", initial=source, max_length=2000), optional=True,
               hint="Needed to mark a promise delivered, partly delivered or dropped."),
    ]
    return {"type": "modal", "callback_id": "record_update", "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Record an update"},
            "submit": {"type": "plain_text", "text": "Record"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def snooze_modal(metadata: str, title: str, today: date) -> dict[str, Any]:
    return {"type": "modal", "callback_id": "snooze", "private_metadata": metadata,
            "title": {"type": "plain_text", "text": "Snooze reminders"},
            "submit": {"type": "plain_text", "text": "Snooze"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": f"*{clip(title, 300)}*"}},
                _input("until", "Until", _date_picker(today)),
                _input("reason", "Why", _text("e.g. Officials promised a reply after recess", max_length=500)),
            ]}


def home_view(lapsed: Sequence[str], due: Sequence[str], channels: Sequence[str]) -> dict[str, Any]:
    """The App Home tab: what is lapsed and due soon in the channels the viewer is in."""
    where = ", ".join(f"#{c}" for c in channels) or "none of the bot's channels"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Promises in your channels"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Channels: " + clip(where, 2900)}]},
    ]
    for heading, lines in (("🔴 Lapsed", lapsed), ("⏳ Due in the next 30 days", due)):
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{heading}*"}})
        body = "\n".join(lines) if lines else "_Nothing._"
        for start in range(0, min(len(body), 2900 * 20), 2900):
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[start:start + 2900]}})
    return {"type": "home", "blocks": blocks[:100]}


HELP = """*`/commitments`* — ask the bot about promises (only you see the answer; end with `post` to share it)
• `/commitments lapsed` — promises whose deadline passed with no update since
• `/commitments due` — promises due in the next 30 days
• `/commitments show ID` — one promise: what was promised, its deadline, slips and last update
• `/commitments update ID what happened…` — record news dated today, as you
• `/commitments help` — this list"""
